"""Walk the questions: every rule on every field of every language, in reading order."""

from __future__ import annotations

import re

from .. import readability as rd
from ..content import FALC_POSTER_IDEAS, PICTOGRAM_HINT, KnowledgeBase
from ..resources import pictogram_path
from .budgets import (
    FALC_ITEMS,
    HOOK_MAX_CHARS,
    HOOK_MAX_WORD_CHARS,
    LENGTH_BUDGETS,
    LINK_LABEL_WORDS,
    PAGE_PATH_CHARS,
    POSTER_CHARS,
    POSTER_WORDS,
    QR_QUESTION_MM,
    QUESTION_MAX_CHARS,
    READABILITY_MIN_WORDS,
    SOURCES,
)
from .falc import check_falc_item, glossary_words
from .languages import rules_for
from .length import check_length
from .links import check_links
from .readability_rules import check_readability
from .report import ERROR, FALC, NOTE, STANDARD, WARNING, Collector, source_of


def check_page_paths(c: Collector, kb: KnowledgeBase) -> None:
    """Each question's site address (<lang>/<path>/): short enough to type, and its own in its language."""
    seen: dict[tuple[str, str], str] = {}
    reserved = {lang: set(kb.shared.site[lang].paths.model_dump().values()) for lang in kb.all_languages}
    for question in kb.questions:
        src = source_of(kb, question.id)
        for lang in kb.all_languages:
            text = question.translations.get(lang)
            if text is None:
                continue
            path = text.path or question.id
            loc = ("translations", lang, "path") if text.path else ("id",)
            where = dict(question=question.id, lang=lang, level=STANDARD, text=path)
            if len(path) > PAGE_PATH_CHARS:
                c.add(
                    ERROR,
                    "length",
                    f"the site address word '{path}' has {len(path)} characters; at most "
                    f"{PAGE_PATH_CHARS} (people type it from the paper).",
                    "Give the question a shorter 'path' in this language, like 'securite'.",
                    src,
                    loc,
                    **where,
                )
            other = seen.get((lang, path))
            if other or path in reserved[lang]:
                owner = f"question '{other}'" if other else "a page of the site (shared.yaml site.paths)"
                c.add(
                    ERROR,
                    "consistency",
                    f"the site address '{lang}/{path}/' is also the address of {owner}.",
                    "Give each question its own 'path' in each language.",
                    src,
                    loc,
                    **where,
                )
            seen.setdefault((lang, path), question.id)


def check_hook_size(c: Collector, src, loc: tuple, hook: str, **where) -> None:
    """The hook's characters and longest word, beside its words: it is printed in large type."""
    longest = max(re.findall(r"[\w’'-]+", hook), key=len, default="")
    if len(hook) > HOOK_MAX_CHARS:
        c.add(
            ERROR,
            "length",
            f"hook: {len(hook)} characters, at most {HOOK_MAX_CHARS} fit the posters and the "
            "leaflet (it is printed in large type).",
            "Shorten the hook: one short sentence, with everyday words.",
            src,
            loc,
            text=hook,
            **where,
        )
    elif len(longest) > HOOK_MAX_WORD_CHARS:
        c.add(
            ERROR,
            "length",
            f"hook: the word '{longest}' has {len(longest)} characters; at most "
            f"{HOOK_MAX_WORD_CHARS} fit a line of the hook (a word is never broken).",
            "Use shorter words in the hook (or split a long compound word).",
            src,
            loc,
            text=hook,
            **where,
        )


def check_questions(c: Collector, kb: KnowledgeBase, links: list) -> None:
    check_page_paths(c, kb)
    orders: dict[int, str] = {}
    for question in kb.questions:
        src = source_of(kb, question.id)
        qid = question.id
        if question.order in orders:
            c.add(
                WARNING,
                "consistency",
                f"order {question.order} is also used by question '{orders[question.order]}'.",
                "Give each question its own 'order' (1, 2, 3, ...) so the reading order is clear.",
                src,
                ("order",),
                question=qid,
                text=str(question.order),
            )
        orders.setdefault(question.order, qid)
        reference_lang = kb.languages[0]
        reference = [item.picto for item in question.translations[reference_lang].falc]
        glossaries = {lang: glossary_words(kb, lang) for lang in kb.all_languages}
        for lang in kb.all_languages:  # a partial language lacks some fields: the rules of those it has apply
            text = question.translations.get(lang)
            if text is None:  # a partial language without this question: see check_partial_questions
                continue
            base = ("translations", lang)
            std = dict(question=qid, lang=lang, level=STANDARD)
            for name, budget in LENGTH_BUDGETS.items():
                if getattr(text, name) is not None:
                    check_length(c, src, base + (name,), name, getattr(text, name), budget, **std)
            check_hook_size(c, src, base + ("hook",), text.hook, **std)
            check_poster_words(c, kb, src, base, text, **std)
            if text.sources is not None and len(text.sources) > SOURCES.max:
                c.add(
                    ERROR,
                    "length",
                    f"sources: {len(text.sources)} named, at most {SOURCES.max} fit under a poster.",
                    "Keep the main sources; the others can go in the detail text.",
                    src,
                    base + ("sources",),
                    **std,
                )
            for i, link in enumerate(text.links or []):
                check_length(
                    c, src, base + ("links", i, "label"), "link label", link.label, LINK_LABEL_WORDS, **std
                )
            for name in ("short", "detail"):
                value = getattr(text, name)
                if value is not None and len(rd.words(value)) >= READABILITY_MIN_WORDS:
                    check_readability(c, src, base + (name,), name, value, lang, STANDARD, question=qid)
            falc_loc = base + ("falc",)
            n = len(text.falc)
            if n > FALC_ITEMS.max:
                c.add(
                    ERROR,
                    "length",
                    f"{n} FALC items: at most {FALC_ITEMS.max} fit the FALC page.",
                    "Keep the ideas that matter most; one idea per item.",
                    src,
                    falc_loc,
                    question=qid,
                    lang=lang,
                    level=FALC,
                )
            elif n < FALC_ITEMS.min:
                c.add(
                    WARNING,
                    "length",
                    f"{n} FALC items: at least {FALC_ITEMS.min} are expected to answer the question.",
                    "Add the missing ideas, one short sentence and one pictogram each.",
                    src,
                    falc_loc,
                    question=qid,
                    lang=lang,
                    level=FALC,
                )
            walls = [i for i, item in enumerate(text.falc) if item.wall]
            if len(walls) > FALC_POSTER_IDEAS:
                c.add(
                    ERROR,
                    "length",
                    f"{len(walls)} FALC items say 'wall: true' (items {', '.join(str(i + 1) for i in walls)}): "
                    f"the Easy-to-Read poster of question '{qid}' in '{lang}' holds {FALC_POSTER_IDEAS}.",
                    f"Keep 'wall: true' on the {FALC_POSTER_IDEAS} ideas a reader of the poster must know; the "
                    "others are behind its QR code.",
                    src,
                    falc_loc + (walls[FALC_POSTER_IDEAS], "wall"),
                    question=qid,
                    lang=lang,
                    level=FALC,
                )
            pictos = [item.picto for item in text.falc]
            if lang != reference_lang and pictos != reference:
                c.add(
                    WARNING,
                    "consistency",
                    f"the FALC items differ from the '{reference_lang}' version (pictograms {', '.join(pictos)} instead of {', '.join(reference)}).",
                    f"Keep the FALC items in step with '{reference_lang}': same ideas, same order, same pictograms.",
                    src,
                    falc_loc,
                    question=qid,
                    lang=lang,
                    level=FALC,
                )
            for i, item in enumerate(text.falc):
                check_falc_item(
                    c, src, falc_loc + (i, "text"), item.text, qid=qid, lang=lang, glossary=glossaries[lang]
                )
                if not pictogram_path(item.picto).is_file():
                    c.add(
                        ERROR,
                        "pictogram",
                        f"pictogram '{item.picto}' does not exist in assets/pictograms.",
                        PICTOGRAM_HINT,
                        src,
                        falc_loc + (i, "picto"),
                        question=qid,
                        lang=lang,
                        level=FALC,
                        text=item.picto,
                    )
            falc_text = "\n\n".join(item.text for item in text.falc)
            check_readability(c, src, falc_loc, "the FALC text", falc_text, lang, FALC, question=qid)
            if text.links is not None:
                check_links(
                    c,
                    src,
                    base + ("links",),
                    text.links,
                    links,
                    qr=(QR_QUESTION_MM, "the question posters"),
                    **std,
                )


def check_partial_questions(c: Collector, kb: KnowledgeBase, enabled: tuple[str, ...] = ()) -> None:
    """A question a partial language lacks (one a user added): its documents in that language leave it out. A
    warning when the language is asked for (kit.toml [build] languages, --lang), a note otherwise."""
    for question in kb.questions:
        for lang in kb.partial_languages:
            if lang not in question.translations:
                c.add(
                    WARNING if lang in enabled else NOTE,
                    "consistency",
                    f"question '{question.id}' has no '{lang}' text: the {kb.locale(lang).name} documents and site pages leave it out.",
                    f"Add its question, hook, short answer and Easy-to-Read sentences in '{lang}' (translations.{lang}).",
                    source_of(kb, question.id),
                    ("translations",),
                    question=question.id,
                    lang=lang,
                )


def check_poster_words(c: Collector, kb: KnowledgeBase, src, base: tuple, text, **where) -> None:
    """A question poster is read from two metres: above its fine print it says the question, the hook, the wall
    sentences, the call to scan and the printed address, POSTER_WORDS words at most. A complete language without
    wall sentences gets a poster of the question and hook only: a warning."""
    lang = where["lang"]
    if kb.is_partial(lang):
        return
    language = rules_for(lang)
    if len(text.question) > QUESTION_MAX_CHARS:
        c.add(
            ERROR,
            "length",
            f"question: {len(text.question)} characters, at most {QUESTION_MAX_CHARS} fit the posters' headline "
            "beside the hook and the wall sentences.",
            "Shorten the question, with everyday words.",
            src,
            base + ("question",),
            text=text.question,
            **where,
        )
    if text.wall is None:
        c.add(
            WARNING,
            "length",
            "wall: missing: the question's poster shows only the question, the hook and the QR code.",
            "Write two or three short sentences for the wall (the poster read from two metres), in 'wall'.",
            src,
            base + ("wall",),
            **where,
        )
        return
    scan = kb.shared.labels[lang].scan
    n = sum(language.length(part) for part in (text.question, text.hook, text.wall, scan)) + 1  # the address
    most = language.budget(POSTER_WORDS)
    chars = sum(len(part) for part in (text.question, text.hook, text.wall))
    if n <= most and language.unit == "words" and chars > POSTER_CHARS:
        c.add(
            ERROR,
            "length",
            f"the poster's question, hook and wall sentences have {chars} characters, at most {POSTER_CHARS} fit "
            "the wall poster at the sizes read from two metres.",
            f"Shorten the wall sentences ('wall') or the hook by {chars - POSTER_CHARS} characters (shorter words).",
            src,
            base + ("wall",),
            text=text.wall,
            **where,
        )
    if n > most:
        c.add(
            ERROR,
            "length",
            f"the poster says {n} {language.unit} above its fine print (question, hook, wall, the call to scan "
            f"and the address), at most {most} are read from two metres.",
            f"Shorten the wall sentences ('wall') or the hook by {n - most} {language.unit}.",
            src,
            base + ("wall",),
            text=text.wall,
            **where,
        )
