"""Walk stories.yaml: each benefit story's length, Easy-to-Read version, sources and their links."""

from __future__ import annotations

import re

from ..content import KnowledgeBase, Link
from .budgets import (
    STORY_CARD_BUDGETS,
    STORY_CARD_CHARS,
    STORY_FALC_ITEMS,
    STORY_FIGURE_CHARS,
    STORY_TITLE_WORDS,
    STORY_WORDS,
)
from .falc import check_falc_item, glossary_words
from .languages import rules_for
from .length import check_length
from .links import check_links
from .report import ERROR, FALC, STANDARD, WARNING, Collector, source_of

SOURCE_HINT = (
    "Name the public page where the facts were read: its publisher and title ('name'), its year and its "
    "https:// address; an official page (agency, ministry, hospital) rather than a copy of it."
)


# A number as written in a text: digits, with spaces, commas or dots between them ("1 000", "2,8", "27,105").
NUMBER = re.compile(r"\d+(?:[\s.,]\d+)*")


def numbers_in(text: str) -> set[str]:
    """The numbers written in digits in ``text``, their spaces removed ("1\u202f000" and "1 000" are "1000")."""
    return {re.sub(r"\s", "", found) for found in NUMBER.findall(text)}


def check_card(c: Collector, src, tbase: tuple, text, **where) -> None:
    """A story's card (its phone card and slide): the figure, what it counts and the sentence within their budgets;
    the figure a number the story itself gives (the story's facts are checked against its sources)."""
    card = text.card
    if card is None:
        c.add(
            WARNING,
            "length",
            "card: missing: the story's card and slide show its title only.",
            "Give the story a card: one figure from the story ('figure', with 'unit', what it counts) and one "
            "short sentence ('sentence').",
            src,
            tbase + ("card",),
            **where,
        )
        return
    loc = tbase + ("card",)
    for field, budget in STORY_CARD_BUDGETS.items():
        value = getattr(card, field)
        if value is not None:
            check_length(c, src, loc + (field,), f"card {field}", value, budget, **where)
    if card.figure is not None and len(card.figure) > STORY_FIGURE_CHARS:
        c.add(
            ERROR,
            "length",
            f"card figure: {len(card.figure)} characters, at most {STORY_FIGURE_CHARS} are printed very large on "
            "one line.",
            "Keep the number and its sign ('93 %', '2,8 millions'); put the rest in 'unit'.",
            src,
            loc + ("figure",),
            text=card.figure,
            **where,
        )
    chars = len(card.unit or "") + len(card.sentence)
    if rules_for(where["lang"]).unit == "words" and chars > STORY_CARD_CHARS:
        c.add(
            ERROR,
            "length",
            f"card: the unit and the sentence have {chars} characters, at most {STORY_CARD_CHARS} are read on a "
            "phone at arm's length.",
            f"Shorten the sentence ('sentence') by {chars - STORY_CARD_CHARS} characters (shorter words).",
            src,
            loc + ("sentence",),
            text=card.sentence,
            **where,
        )
    if card.figure is not None:
        unknown = sorted(numbers_in(card.figure) - numbers_in(text.story))
        if unknown:
            c.add(
                WARNING,
                "consistency",
                f"card figure: {', '.join(unknown)} is not a number of the story: a card tells no fact the story "
                "and its sources do not give.",
                "Take the figure from the story's text (as written there), or write the number in the story first, "
                "with its source (docs/stories-sources.md).",
                src,
                loc + ("figure",),
                text=card.figure,
                **where,
            )


def qid_of(story) -> str:
    return f"stories/{story.id}"


def check_stories(c: Collector, kb: KnowledgeBase, links: list) -> None:
    """The rules on every story: words, Easy-to-Read sentences, sources present, links and their hosts."""
    if not kb.stories:
        return
    src = source_of(kb, "stories.yaml")
    reference_lang = kb.languages[0]
    glossaries = {lang: glossary_words(kb, lang) for lang in kb.languages}
    for i, story in enumerate(kb.stories):
        base = ("stories", i)
        qid = f"stories/{story.id}"
        if not any(source.url and source.year for source in story.sources):
            c.add(
                ERROR,
                "story-source",
                f"story '{story.id}' names no source with an address and a year.",
                SOURCE_HINT,
                src,
                base + ("sources",),
                question=qid,
                text=story.sources[0].name,
            )
        for j, qid in enumerate(story.questions):
            if qid not in kb.question_ids:
                c.add(
                    WARNING,
                    "consistency",
                    f"story '{story.id}' illustrates a question '{qid}' that the content does "
                    "not have: it is left out.",
                    "Name the ids of the questions the story illustrates (kit list).",
                    src,
                    base + ("questions", j),
                    question=qid_of(story),
                    text=qid,
                )
        source_links = [
            Link(label=source.name, url=source.url) if source.url else None for source in story.sources
        ]
        check_links(c, src, base + ("sources",), source_links, links, question=qid, level=STANDARD)
        for lang in kb.languages:
            if lang not in story.translations:
                c.add(
                    WARNING,
                    "consistency",
                    f"story '{story.id}' has no '{lang}' version: it is not told in '{lang}'.",
                    "Translate the story (title, story, Easy-to-Read sentences) to tell it in every language.",
                    src,
                    base + ("translations",),
                    question=qid,
                    lang=lang,
                )
        for lang in story.translations:
            if lang not in kb.languages:
                c.add(
                    WARNING,
                    "consistency",
                    f"story '{story.id}' has a '{lang}' version, a language kit.yaml does "
                    "not list: it is not used.",
                    "Remove it, or add the language to kit.yaml 'languages'.",
                    src,
                    base + ("translations", lang),
                    question=qid,
                    lang=lang,
                )
        reference = (
            [item.picto for item in story.translations[reference_lang].falc]
            if reference_lang in story.translations
            else []
        )
        for lang, text in ((lang, text) for lang, text in story.translations.items() if lang in kb.languages):
            tbase = base + ("translations", lang)
            std = dict(question=qid, lang=lang, level=STANDARD)
            check_length(c, src, tbase + ("title",), "story title", text.title, STORY_TITLE_WORDS, **std)
            check_length(c, src, tbase + ("story",), "story", text.story, STORY_WORDS, **std)
            check_card(c, src, tbase, text, **std)
            n = len(text.falc)
            if n > STORY_FALC_ITEMS.max or n < STORY_FALC_ITEMS.min:
                c.add(
                    ERROR if n > STORY_FALC_ITEMS.max else WARNING,
                    "length",
                    f"{n} Easy-to-Read sentences: a story has {STORY_FALC_ITEMS.min} to {STORY_FALC_ITEMS.max}.",
                    "Keep the ideas that tell the story: what was found, how, and what changed for people.",
                    src,
                    tbase + ("falc",),
                    question=qid,
                    lang=lang,
                    level=FALC,
                )
            for j, item in enumerate(text.falc):
                check_falc_item(
                    c,
                    src,
                    tbase + ("falc", j, "text"),
                    item.text,
                    qid=qid,
                    lang=lang,
                    glossary=glossaries.get(lang, set()),
                )
            pictos = [item.picto for item in text.falc]
            if lang != reference_lang and reference and pictos != reference:
                c.add(
                    WARNING,
                    "consistency",
                    f"the Easy-to-Read sentences differ from the '{reference_lang}' version (pictograms "
                    f"{', '.join(pictos)} instead of {', '.join(reference)}).",
                    f"Keep them in step with '{reference_lang}': same ideas, same order, same pictograms.",
                    src,
                    tbase + ("falc",),
                    question=qid,
                    lang=lang,
                    level=FALC,
                )
