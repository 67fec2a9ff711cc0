"""What a translator is told about each text: where it is printed and its limits (words or characters, the
Easy-to-Read rules, text-message characters, placeholders to keep)."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from ..check import (
    FALC_SENTENCE_WORDS,
    FALC_SENTENCE_WORDS_ERROR,
    HOOK_MAX_CHARS,
    LENGTH_BUDGETS,
    LINK_LABEL_WORDS,
    RIGHTS_POINT_WORDS,
    SUMMARY_BUDGETS,
    VENUE_MAX_WORDS,
)
from ..check.budgets import STORY_TITLE_WORDS, STORY_WORDS
from ..check.languages import rules_for
from ..content import Unit

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")

EASY = (
    "Easy-to-Read: one sentence, at most {most} {unit} ({worst} is too many), digits rather than number words, "
    "no percentages, no abbreviation the glossary does not explain, no 'etc.', no semicolon, no & § #, no "
    "brackets; say it in the positive where you can"
)
# (pattern on the unit id, where it is printed, its budget in words or None): the first that matches.
WHERE: tuple[tuple[str, str, int | None], ...] = (
    ("*.falc.*", "Easy-to-Read sentence, beside its picture (booklet, leaflet, site)", None),
    (
        "questions.*.question",
        "The question: posters, leaflets, cards, the site",
        LENGTH_BUDGETS["question"].max,
    ),
    (
        "questions.*.hook",
        "The hook: printed in very large type on posters and leaflets",
        LENGTH_BUDGETS["hook"].max,
    ),
    (
        "questions.*.short",
        "The short answer: leaflets, the mediator sheet, the site",
        LENGTH_BUDGETS["short"].max,
    ),
    (
        "questions.*.detail",
        "The full answer on the site (paragraphs: keep the blank lines)",
        LENGTH_BUDGETS["detail"].max,
    ),
    ("questions.*.benefit", "A concrete example on the question's poster", LENGTH_BUDGETS["benefit"].max),
    ("questions.*.sms", "A text message (the site address is added after it)", None),
    ("questions.*.advisor", "The advisor memo of event packs: exactly two sentences", 45),
    ("questions.*.sources.*", "A source named under the question's poster", None),
    ("questions.*.links.*.label", "Where a link leads, printed beside its address", LINK_LABEL_WORDS.max),
    ("questions.*", "Event packs (Café IA guide, advisor memo)", None),
    ("shared.summary.title", "The summary poster's title", SUMMARY_BUDGETS["title"].max),
    ("shared.summary.hook", "The summary poster's hook", SUMMARY_BUDGETS["hook"].max),
    (
        "shared.summary.intro",
        "The summary poster's introduction and the leaflet's back",
        SUMMARY_BUDGETS["intro"].max,
    ),
    (
        "shared.rights.points.*",
        "One point of the 'your rights' block (posters, leaflets)",
        RIGHTS_POINT_WORDS.max,
    ),
    ("shared.*.label", "Where a link leads, printed beside its address", LINK_LABEL_WORDS.max),
    ("shared.rights.*", "The 'your rights' block (posters, leaflets)", None),
    ("shared.labels.*", "Small words printed on every document (labels, captions, page numbers)", None),
    ("shared.act.*", "How to say no in practice: the leaflet's inside and the site", None),
    ("shared.doorstep.*", "The doorstep pack: pocket card, door hanger, mediator sheet (small panels)", None),
    ("shared.site.*", "The companion site's interface words (menus, headings, links)", None),
    ("shared.events.*", "Event packs: Café IA poster, invitation, facilitator guide, print sheet", None),
    ("shared.channels.*", "Screens and messages: social cards, newsletter, text messages, slides", None),
    ("shared.glossary.*.term", "A glossary term (Easy-to-Read documents and the site)", None),
    ("shared.glossary.*", "A glossary explanation (the site)", 30),
    ("stories.*.title", "A benefit story's title: story cards, slides, the site", STORY_TITLE_WORDS.max),
    (
        "stories.*.story",
        "A benefit story (40 to 80 words): cards, slides, newsletter, the site",
        STORY_WORDS.max,
    ),
    ("venues.*.line", "The line printed on posters for this kind of place", VENUE_MAX_WORDS),
)


def note_for(unit: Unit) -> str:
    """Where ``unit`` is printed, its limits in its language's units, and the placeholders it must keep."""
    rules = rules_for(unit.lang)
    where, words = next(
        ((text, budget) for pattern, text, budget in WHERE if fnmatchcase(unit.id, pattern)),
        ("Printed in the documents of this language", None),
    )
    parts = [where]
    if fnmatchcase(unit.id, "*.falc.*"):
        parts.append(
            EASY.format(
                most=rules.budget(FALC_SENTENCE_WORDS),
                worst=rules.budget(FALC_SENTENCE_WORDS_ERROR),
                unit=rules.unit,
            )
        )
    elif words is not None:
        parts.append(f"at most {rules.budget(words)} {rules.unit}")
    if fnmatchcase(unit.id, "questions.*.hook"):
        parts.append(f"at most {HOOK_MAX_CHARS} characters")
    if fnmatchcase(unit.id, "questions.*.sms"):
        parts.append("160 characters with the address in the GSM alphabet, else 70 (one message)")
    placeholders = sorted(set(PLACEHOLDER.findall(unit.source)))
    if placeholders:
        parts.append("keep " + " and ".join(placeholders) + " exactly as they are (kit fills them in)")
    parts.append("no absolute promise (always, never, only...) unless it is exact")
    return "; ".join(parts) + "."
