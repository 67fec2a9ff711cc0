"""Walk stories.yaml: each benefit story's length, Easy-to-Read version, sources and their links."""

from __future__ import annotations

from ..content import KnowledgeBase, Link
from .budgets import STORY_FALC_ITEMS, STORY_TITLE_WORDS, STORY_WORDS
from .falc import check_falc_item, glossary_words
from .length import check_length
from .links import check_links
from .report import ERROR, FALC, STANDARD, WARNING, Collector, source_of

SOURCE_HINT = ("Name the public page where the facts were read: its publisher and title ('name'), its year and its "
               "https:// address; an official page (agency, ministry, hospital) rather than a copy of it.")


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
            c.add(ERROR, "story-source", f"story '{story.id}' names no source with an address and a year.",
                  SOURCE_HINT, src, base + ("sources",), question=qid, text=story.sources[0].name)
        source_links = [Link(label=source.name, url=source.url) if source.url else None for source in story.sources]
        check_links(c, src, base + ("sources",), source_links, links, question=qid, level=STANDARD)
        reference = [item.picto for item in story.translations[reference_lang].falc] \
            if reference_lang in story.translations else []
        for lang, text in story.translations.items():
            tbase = base + ("translations", lang)
            std = dict(question=qid, lang=lang, level=STANDARD)
            check_length(c, src, tbase + ("title",), "story title", text.title, STORY_TITLE_WORDS, **std)
            check_length(c, src, tbase + ("story",), "story", text.story, STORY_WORDS, **std)
            n = len(text.falc)
            if n > STORY_FALC_ITEMS.max or n < STORY_FALC_ITEMS.min:
                c.add(ERROR if n > STORY_FALC_ITEMS.max else WARNING, "length",
                      f"{n} Easy-to-Read sentences: a story has {STORY_FALC_ITEMS.min} to {STORY_FALC_ITEMS.max}.",
                      "Keep the ideas that tell the story: what was found, how, and what changed for people.",
                      src, tbase + ("falc",), question=qid, lang=lang, level=FALC)
            for j, item in enumerate(text.falc):
                check_falc_item(c, src, tbase + ("falc", j, "text"), item.text, qid=qid, lang=lang,
                                glossary=glossaries.get(lang, set()))
            pictos = [item.picto for item in text.falc]
            if lang != reference_lang and reference and pictos != reference:
                c.add(WARNING, "consistency",
                      f"the Easy-to-Read sentences differ from the '{reference_lang}' version (pictograms "
                      f"{', '.join(pictos)} instead of {', '.join(reference)}).",
                      f"Keep them in step with '{reference_lang}': same ideas, same order, same pictograms.",
                      src, tbase + ("falc",), question=qid, lang=lang, level=FALC)
