"""Walk stories.yaml: each benefit story's length, Easy-to-Read version, sources and their links."""

from __future__ import annotations

from ..content import KnowledgeBase, Link
from .budgets import STORY_FALC_ITEMS, STORY_TITLE_WORDS, STORY_WORDS
from .falc import check_falc_item, glossary_words
from .length import check_length
from .links import check_links
from .report import ERROR, FALC, STANDARD, WARNING, Collector, source_of

SOURCE_HINT = (
    "Name the public page where the facts were read: its publisher and title ('name'), its year and its "
    "https:// address; an official page (agency, ministry, hospital) rather than a copy of it."
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
