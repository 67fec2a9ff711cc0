"""Characters that do not print as written. Invisible ones (rule ``invisible-character``, warning): bidirectional
controls, zero-width characters, soft hyphens and the like print as nothing, yet change how a line reads or breaks,
or hide words; links, ids and codes refuse them when the content is loaded (kit/content.py). And characters no font
draws (rule ``missing-glyph``, error; kit.fonts): they would print as empty boxes."""

from __future__ import annotations

from ..content import KnowledgeBase, describe_hidden, hidden_characters, show_hidden
from ..fonts import describe_missing, missing_glyphs
from .report import ERROR, FALC, STANDARD, WARNING, Collector, Source, source_of

GLYPH_HINT = (
    "Write the text in a script kit's fonts draw, or add a font that has these characters to your layouts "
    "(a @font-face rule in a stylesheet of your layouts folder) and install it on this computer."
)

HIDDEN_HINT = (
    "Delete it: retype the words around it (text copied from web pages, PDF files or word processors "
    "often brings such characters)."
)
_NOT_TEXT = frozenset(
    {"url", "id", "path", "picto", "audio"}
)  # links and ids: refused when loading, not warned about here


def _walk(c: Collector, src: Source, loc: tuple, value, rtl: bool, **where) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                _walk(c, src, loc + (key,), item, rtl, **where)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _walk(c, src, loc + (i,), item, rtl, **where)
    elif isinstance(value, str):
        tofu, sure = missing_glyphs(value)
        if tofu:
            c.add(
                ERROR if sure else WARNING,
                "missing-glyph",
                f"the text has {describe_missing(tofu, sure)}.",
                GLYPH_HINT,
                src,
                loc,
                text=value[:80],
                **where,
            )
        found = hidden_characters(value, rtl=rtl)
        if found:
            c.add(
                WARNING,
                "invisible-character",
                f"the text holds {describe_hidden(found)}: it is not printed, yet it can change how the line "
                "reads or where it breaks, or hide words.",
                HIDDEN_HINT,
                src,
                loc,
                text=show_hidden(value, found, around=30),
                **where,
            )


def check_hidden(c: Collector, kb: KnowledgeBase) -> None:
    rtl = {lang: kb.locale(lang).dir == "rtl" for lang in kb.all_languages}
    for question in kb.questions:
        src = source_of(kb, question.id)
        for lang, text in question.translations.items():
            for name, value in text.model_dump().items():
                if name not in _NOT_TEXT:
                    _walk(
                        c,
                        src,
                        ("translations", lang, name),
                        value,
                        rtl.get(lang, False),
                        question=question.id,
                        lang=lang,
                        level=FALC if name == "falc" else STANDARD,
                    )
    src = source_of(kb, "shared.yaml")
    for block, value in kb.shared.model_dump().items():
        if block == "glossary":
            for i, term in enumerate(value):
                for lang, text in term.get("translations", {}).items():
                    _walk(
                        c,
                        src,
                        ("glossary", i, "translations", lang),
                        text,
                        rtl.get(lang, False),
                        question="shared/glossary",
                        lang=lang,
                    )
        elif isinstance(value, dict):
            for lang, text in value.items():
                _walk(
                    c, src, (block, lang), text, rtl.get(lang, False), question=f"shared/{block}", lang=lang
                )
    src = source_of(kb, "venues.yaml")
    for i, venue in enumerate(kb.venues):
        data = venue.model_dump()
        for lang, line in (data.pop("line", None) or {}).items():
            _walk(
                c,
                src,
                ("venues", i, "line", lang),
                line,
                rtl.get(lang, False),
                question=f"venue/{venue.id}",
                lang=lang,
            )
        _walk(
            c,
            src,
            ("venues", i),
            {k: v for k, v in data.items() if k in ("name", "aliases")},
            False,
            question=f"venue/{venue.id}",
        )
