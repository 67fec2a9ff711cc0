"""Walk shared.yaml (summary, rights, the FALC title and end pages, the glossary) and venues.yaml (poster lines)."""

from __future__ import annotations

from .. import readability as rd
from ..content import PICTOGRAM_HINT, KnowledgeBase
from ..resources import pictogram_path
from .budgets import (
    GLOSSARY_MAX_WORDS,
    LINK_LABEL_WORDS,
    QR_CAMPAIGN_MM,
    READABILITY_MIN_WORDS,
    RIGHTS_POINT_WORDS,
    RIGHTS_POINTS,
    SUMMARY_BUDGETS,
    VENUE_MAX_WORDS,
    Budget,
)
from .falc import check_falc_item, glossary_words
from .length import check_length
from .links import check_links
from .readability_rules import check_readability
from .report import ERROR, FALC, NOTE, STANDARD, WARNING, Collector, Source


def check_venues(c: Collector, kb: KnowledgeBase, src: Source) -> None:
    """The line each venue type prints on its posters."""
    for i, venue in enumerate(kb.venues):
        for lang, value in venue.line.items():
            check_length(
                c,
                src,
                ("venues", i, "line", lang),
                f"venue line '{venue.id}'",
                value,
                Budget(None, VENUE_MAX_WORDS),
                question="venues",
                lang=lang,
                level=STANDARD,
            )


ACT_STEP_WORDS = Budget(None, 30)  # a step of "saying no in practice", read on a phone


def check_act(c: Collector, kb: KnowledgeBase, src: Source, links: list) -> None:
    """Saying no in practice: short steps and points, Easy-to-Read sentences, links, sources."""
    for lang, act in kb.shared.act.items():
        base, where = ("act", lang), dict(question="shared/act", lang=lang, level=STANDARD)
        for i, step in enumerate(act.steps):
            check_length(c, src, base + ("steps", i), "step", step, ACT_STEP_WORDS, **where)
        for i, situation in enumerate(act.situations):
            for j, point in enumerate(situation.points):
                check_length(
                    c, src, base + ("situations", i, "points", j), "point", point, ACT_STEP_WORDS, **where
                )
        glossary = glossary_words(kb, lang)
        for i, item in enumerate(act.falc):
            check_falc_item(
                c, src, base + ("falc", i, "text"), item.text, qid="shared/act", lang=lang, glossary=glossary
            )
        check_links(c, src, base + ("contacts",), act.contacts, links, **where)
        if act.help_link is not None:
            check_links(c, src, base + ("help_link",), [act.help_link], links, **where)


LETTER_TEXT_WORDS = Budget(None, 45)  # a paragraph of the letter or a line beside it, on a one-page letter


def check_letter(c: Collector, kb: KnowledgeBase, src: Source) -> None:
    """The letter to say no: short paragraphs (it is one page), and its Easy-to-Read version under the FALC
    rules (its steps, what comes next, and each route's sentences)."""
    for lang, letter in kb.shared.letter.items():
        base, where = ("letter", lang), dict(question="shared/letter", lang=lang, level=STANDARD)
        texts = [(("intro",), letter.intro), (("keep",), letter.keep), (("cut",), letter.cut)]
        texts += [(("next", i), point) for i, point in enumerate(letter.next)]
        for route_id, route in letter.routes.items():
            texts += [(("routes", route_id, "find"), route.find), (("routes", route_id, "to"), route.to)]
            texts += [(("routes", route_id, "body", i), text) for i, text in enumerate(route.body)]
        for loc, text in texts:
            check_length(c, src, base + loc, loc[0], text, LETTER_TEXT_WORDS, **where)
        glossary = glossary_words(kb, lang)
        falc = base + ("falc",)
        items = [(("steps", i, "text"), item.text) for i, item in enumerate(letter.falc.steps)]
        items += [(("next", i, "text"), item.text) for i, item in enumerate(letter.falc.next)]
        items += [(("cut",), letter.falc.cut)]
        for route_id, route in letter.falc.routes.items():
            items += [(("routes", route_id, "to"), route.to)]
            items += [(("routes", route_id, "find"), route.find)] if route.find else []
            items += [(("routes", route_id, "body", i), text) for i, text in enumerate(route.body)]
        for loc, text in items:
            check_falc_item(c, src, falc + loc, text, qid="shared/letter", lang=lang, glossary=glossary)


# The doorstep pack's texts (pocket card, door hanger, mediator sheet), in words (Chinese: characters, see languages.py).
DOORSTEP_BUDGETS: dict[str, Budget] = {
    "card_title": Budget(None, 9),
    "answers_here": Budget(None, 8),
    "say_no_title": Budget(None, 6),
    "hanger_title": Budget(None, 7),
    "hanger_message": Budget(None, 35),
    "hanger_date": Budget(None, 6),
    "hanger_who": Budget(None, 6),
    "sheet_intro": Budget(None, 45),
    "opening": Budget(None, 45),
}
DOORSTEP_LINE_WORDS = Budget(None, 9)  # a question on the card, on one line
DOORSTEP_POINT_WORDS = Budget(None, 28)  # what to say when someone is worried, where to send them


def check_doorstep(c: Collector, kb: KnowledgeBase, src: Source) -> None:
    """The doorstep texts: short enough for a card and a hanger, the opening in exactly two sentences, a line for
    each question of the summary."""
    for lang, door in kb.shared.doorstep.items():
        base, where = ("doorstep", lang), dict(question="shared/doorstep", lang=lang, level=STANDARD)
        for name, budget in DOORSTEP_BUDGETS.items():
            check_length(c, src, base + (name,), name, getattr(door, name), budget, **where)
        found = rd.sentences(door.opening)
        if len(found) != 2:
            c.add(
                ERROR,
                "length",
                f"opening: {len(found)} sentence{'s' if len(found) != 1 else ''}; the mediator says two "
                "at the door (who they are and what about, then a question).",
                "Write two short sentences: say who you are and what you talk about, then ask for two minutes.",
                src,
                base + ("opening",),
                text=door.opening,
                **where,
            )
        known = set(kb.question_ids)
        for qid, line in door.questions.items():
            check_length(
                c, src, base + ("questions", qid), f"card line '{qid}'", line, DOORSTEP_LINE_WORDS, **where
            )
            if qid not in known:
                c.add(
                    NOTE,
                    "consistency",
                    f"the card line for '{qid}' names no question of the content: it is not printed.",
                    "Remove the line, or give it the id of a question.",
                    src,
                    base + ("questions", qid),
                    **where,
                )
        for qid in kb.summary_ids:
            if (
                qid not in door.questions
                and lang in kb.questions[[q.id for q in kb.questions].index(qid)].translations
            ):
                # A note: the card prints the whole question instead, and a line too long for the card is a
                # fit error when it is built (with the advice to add this line).
                c.add(
                    NOTE,
                    "consistency",
                    f"no card line for question '{qid}': the pocket card prints the whole question.",
                    "Add the question in about 6 words to doorstep.questions.",
                    src,
                    base + ("questions",),
                    **where,
                )
        for part in ("worried", "send"):
            for i, point in enumerate(getattr(door, part)):
                check_length(c, src, base + (part, i), part, point, DOORSTEP_POINT_WORDS, **where)


def check_shared(c: Collector, kb: KnowledgeBase, src: Source, links: list) -> None:
    shared = kb.shared
    for lang in kb.all_languages:
        summary = shared.summary[lang]
        where = dict(question="shared/summary", lang=lang, level=STANDARD)
        if len(rd.words(summary.intro)) >= READABILITY_MIN_WORDS:
            check_readability(
                c,
                src,
                ("summary", lang, "intro"),
                "intro",
                summary.intro,
                lang,
                STANDARD,
                question="shared/summary",
            )
        for name, budget in SUMMARY_BUDGETS.items():
            check_length(
                c, src, ("summary", lang, name), f"summary {name}", getattr(summary, name), budget, **where
            )
        rights = shared.rights[lang]
        rights_where = dict(question="shared/rights", lang=lang, level=STANDARD)
        if len(rights.points) > RIGHTS_POINTS.max:
            c.add(
                ERROR,
                "length",
                f"rights: {len(rights.points)} points, at most {RIGHTS_POINTS.max} fit the leaflet's back.",
                "Merge or remove points.",
                src,
                ("rights", lang, "points"),
                **rights_where,
            )
        for i, point in enumerate(rights.points):
            check_length(
                c,
                src,
                ("rights", lang, "points", i),
                "rights point",
                point,
                RIGHTS_POINT_WORDS,
                **rights_where,
            )
        for block, block_links in (("summary", summary.links), ("rights", rights.links)):
            for i, link in enumerate(block_links):
                check_length(
                    c,
                    src,
                    (block, lang, "links", i, "label"),
                    "link label",
                    link.label,
                    LINK_LABEL_WORDS,
                    **where,
                )
        check_links(
            c,
            src,
            ("summary", lang, "links"),
            summary.links,
            links,
            qr=(QR_CAMPAIGN_MM, "the leaflets, summary posters and event invitations"),
            **where,
        )
        check_links(
            c,
            src,
            ("rights", lang, "links"),
            shared.rights[lang].links,
            links,
            question="shared/rights",
            lang=lang,
            level=STANDARD,
        )
    _check_shared_falc(c, kb, src)
    _check_site_falc(c, kb, src)
    seen: dict[str, int] = {}
    for i, term in enumerate(shared.glossary):
        if term.id in seen:
            c.add(
                ERROR,
                "consistency",
                f"glossary id '{term.id}' is already used by glossary entry {seen[term.id] + 1}.",
                "Give each glossary entry its own id.",
                src,
                ("glossary", i, "id"),
                question="shared/glossary",
                text=term.id,
            )
        seen.setdefault(term.id, i)
        for lang, text in term.translations.items():
            easy = getattr(text, "falc", None)
            if easy:
                check_falc_item(
                    c,
                    src,
                    ("glossary", i, "translations", lang, "falc"),
                    easy,
                    qid="shared/glossary",
                    lang=lang,
                    glossary=glossary_words(kb, lang),
                    one_sentence=False,
                )
            n = len(rd.words(text.explanation))
            if n > GLOSSARY_MAX_WORDS:
                c.add(
                    WARNING,
                    "length",
                    f"glossary explanation of '{text.term}': {n} words, at most {GLOSSARY_MAX_WORDS}.",
                    "Explain the term in one or two short sentences.",
                    src,
                    ("glossary", i, "translations", lang, "explanation"),
                    question="shared/glossary",
                    lang=lang,
                    level=STANDARD,
                    text=text.explanation,
                )


def _check_shared_falc(c: Collector, kb: KnowledgeBase, src: Source) -> None:
    """The Easy-to-Read title and end pages (shared.yaml 'falc'), when the content has them."""
    pages_by_lang = getattr(kb.shared, "falc", None) or {}
    reference_lang = kb.languages[0]
    for lang, pages in pages_by_lang.items():
        glossary = glossary_words(kb, lang)
        where = dict(qid="shared/falc", lang=lang, glossary=glossary)
        check_falc_item(c, src, ("falc", lang, "title"), pages.title, **where)
        items = []
        for part in ("intro", "end"):
            for i, item in enumerate(getattr(pages, part)):
                items.append(item)
                check_falc_item(c, src, ("falc", lang, part, i, "text"), item.text, **where)
                if not pictogram_path(item.picto).is_file():
                    c.add(
                        ERROR,
                        "pictogram",
                        f"pictogram '{item.picto}' does not exist in assets/pictograms.",
                        PICTOGRAM_HINT,
                        src,
                        ("falc", lang, part, i, "picto"),
                        question="shared/falc",
                        lang=lang,
                        level=FALC,
                        text=item.picto,
                    )
        check_readability(
            c,
            src,
            ("falc", lang),
            "the FALC title and end pages",
            "\n\n".join(item.text for item in items),
            lang,
            FALC,
            question="shared/falc",
        )
        reference = pages_by_lang.get(reference_lang)
        if lang != reference_lang and reference is not None:
            for part in ("intro", "end"):
                mine = [item.picto for item in getattr(pages, part)]
                theirs = [item.picto for item in getattr(reference, part)]
                if mine != theirs:
                    c.add(
                        WARNING,
                        "consistency",
                        f"the FALC '{part}' items differ from the '{reference_lang}' version (pictograms {', '.join(mine)} instead of {', '.join(theirs)}).",
                        f"Keep the FALC items in step with '{reference_lang}': same ideas, same order, same pictograms.",
                        src,
                        ("falc", lang, part),
                        question="shared/falc",
                        lang=lang,
                        level=FALC,
                    )


def _check_site_falc(c: Collector, kb: KnowledgeBase, src: Source) -> None:
    """The Easy-to-Read sentences of the companion site (shared.yaml 'site': easy_end), like every FALC item."""
    for lang, words in (getattr(kb.shared, "site", None) or {}).items():
        glossary = glossary_words(kb, lang)
        for i, item in enumerate(words.easy_end):
            check_falc_item(
                c,
                src,
                ("site", lang, "easy_end", i, "text"),
                item.text,
                qid="shared/site",
                lang=lang,
                glossary=glossary,
            )
            if not pictogram_path(item.picto).is_file():
                c.add(
                    ERROR,
                    "pictogram",
                    f"pictogram '{item.picto}' does not exist in assets/pictograms.",
                    PICTOGRAM_HINT,
                    src,
                    ("site", lang, "easy_end", i, "picto"),
                    question="shared/site",
                    lang=lang,
                    level=FALC,
                    text=item.picto,
                )
