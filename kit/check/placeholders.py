"""Placeholders in texts (rule ``placeholder``, error): a ``{word}`` that kit fills only in a few texts (a page
number, the date of a visit, how many questions a document holds); anywhere else it would be printed as typed,
braces and all, on a poster or a public page."""

from __future__ import annotations

import re

from ..content import KnowledgeBase
from .report import ERROR, FALC, STANDARD, Collector, Source, source_of

# The texts kit fills, by their place in shared.yaml (block, field after the language), and what it fills there.
FILLED = {
    ("labels", "page"): ("{n}", "{total}"),
    ("labels", "question_n"): ("{n}", "{total}"),
    ("labels", "qr_alt"): ("{url}",),
    ("doorstep", "hanger_date"): ("{date}",),
    ("doorstep", "hanger_who"): ("{name}",),  # a line for the mediator's first name, written by hand
    ("falc", "intro"): ("{n}",),  # how many questions the document (or the site's Easy-to-Read home) holds
    ("site", "translation_checked"): ("{names}", "{date}"),  # the about page: who reviewed a language, when
    ("events", "print_sheets"): ("{sheets}", "{per}", "{pieces}"),  # the print sheet: sheets of cards
    ("events", "print_one_sheet"): ("{per}",),
}
PLACEHOLDER = re.compile(r"\{+\s*[\w.]+\s*\}+")
_NOT_TEXT = frozenset({"url", "id", "path", "picto", "audio"})


def _hint() -> str:
    filled = "; ".join(f"{block} {name}: {' '.join(marks)}" for (block, name), marks in FILLED.items())
    return (
        "Write the words themselves (a number as digits). kit fills placeholders in these shared.yaml texts "
        f"only: {filled}."
    )


def _walk(c: Collector, src: Source, loc: tuple, value, allowed: tuple[str, ...], **where) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                _walk(c, src, loc + (key,), item, allowed, **where)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _walk(c, src, loc + (i,), item, allowed, **where)
    elif isinstance(value, str):
        unfilled = [m.group(0) for m in PLACEHOLDER.finditer(value) if m.group(0) not in allowed]
        if unfilled:
            c.add(
                ERROR,
                "placeholder",
                f"the text holds {', '.join(dict.fromkeys(unfilled))}, which kit fills in no document or "
                "page here: it would be printed as typed, braces and all.",
                _hint(),
                src,
                loc,
                text=value,
                **where,
            )


def check_placeholders(c: Collector, kb: KnowledgeBase) -> None:
    """Every text of the questions, shared blocks, venues and stories: no placeholder kit does not fill there."""
    for question in kb.questions:
        src = source_of(kb, question.id)
        for lang, text in question.translations.items():
            for name, value in text.model_dump().items():
                level = FALC if name == "falc" else STANDARD
                loc = ("translations", lang, name)
                _walk(c, src, loc, value, (), question=question.id, lang=lang, level=level)
    src = source_of(kb, "shared.yaml")
    for block, value in kb.shared.model_dump().items():
        if block == "glossary":
            for i, term in enumerate(value):
                for lang, text in term.get("translations", {}).items():
                    loc = ("glossary", i, "translations", lang)
                    _walk(c, src, loc, text, (), question="shared/glossary", lang=lang)
        elif isinstance(value, dict):
            for lang, text in value.items():
                if not isinstance(text, dict):
                    _walk(c, src, (block, lang), text, (), question=f"shared/{block}", lang=lang)
                    continue
                for name, item in text.items():
                    allowed = FILLED.get((block, name), ())
                    loc = (block, lang, name)
                    _walk(c, src, loc, item, allowed, question=f"shared/{block}", lang=lang)
    src = source_of(kb, "venues.yaml")
    for i, venue in enumerate(kb.venues):
        for lang, line in (venue.line or {}).items():
            _walk(c, src, ("venues", i, "line", lang), line, (), question=f"venue/{venue.id}", lang=lang)
    src = source_of(kb, "stories.yaml")
    for i, story in enumerate(kb.stories):
        for lang, text in story.translations.items():
            loc = ("stories", i, "translations", lang)
            _walk(c, src, loc, text.model_dump(), (), question=f"stories/{story.id}", lang=lang)
