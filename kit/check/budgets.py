"""Budgets and thresholds the layouts are sized for: words per field, items per list, readability limits."""

from __future__ import annotations

from typing import NamedTuple

from ..content import HOOK_MAX_WORDS
from ..qr import QR_CAMPAIGN_MM, QR_QUESTION_MM  # noqa: F401  (budgets of QR links, with those of texts)
from .report import FALC, STANDARD


class Budget(NamedTuple):
    """Words (or items) a field may hold: fewer than ``min`` is a warning, more than ``max`` an error."""

    min: int | None
    max: int | None


LENGTH_BUDGETS: dict[str, Budget] = {
    "question": Budget(None, 14),
    "hook": Budget(None, HOOK_MAX_WORDS),  # 12, also enforced when loading
    "short": Budget(50, 110),
    "detail": Budget(200, 400),
    "benefit": Budget(None, 45),
    "wall": Budget(None, 25),  # the question poster's sentences for the wall
}
# What a question poster says above its fine print (question, hook, wall sentences, the call to scan and the
# printed address), read from two metres: at most this many words. The poster sets the wall text at 24 pt or more
# (A4) and the question at 40 pt or more: tested at these maxima.
POSTER_WORDS = 50
# The hook is printed in large type on the posters and the leaflet: besides its words, its characters and its longest
# word (a word is never broken) are bounded, so that a hook of long words is named here rather than found too long
# for the page when building (where the text pushed off the page is another one). Tested at these maxima with every
# other text at its own.
HOOK_MAX_CHARS = 120
HOOK_MAX_WORD_CHARS = 25  # "anticonstitutionnellement"
# The question is the poster's headline (40 pt or more on A4): its words are bounded (LENGTH_BUDGETS) and so are its
# characters, so that a question of long words beside a hook at its maximum is named here, not found too long for
# the wall poster when building. Tested at this maximum with the hook and the wall sentences at theirs.
QUESTION_MAX_CHARS = 100
# And the three together (question, hook, wall sentences) in characters, for languages counted in words: words of
# every length pass POSTER_WORDS, and the A4 wall poster holds its texts at their smallest sizes up to this many.
POSTER_CHARS = 300
# Shared texts printed on the summary poster and the leaflet's back panel.
SUMMARY_BUDGETS: dict[str, Budget] = {
    "title": Budget(None, 10),
    "hook": Budget(None, 16),
    "intro": Budget(None, 45),
}
RIGHTS_POINT_WORDS = Budget(None, 20)  # each "your rights" point
RIGHTS_POINTS = Budget(1, 5)  # how many points
LINK_LABEL_WORDS = Budget(None, 12)  # where a link leads, printed beside its address
SOURCES = Budget(1, 4)  # sources named under a poster
FALC_ITEMS = Budget(3, 7)  # FALC sentences (one picture each) per question
FALC_SENTENCE_WORDS = 12  # the usual Easy-to-Read bound: more is a warning
FALC_SENTENCE_WORDS_ERROR = 15  # more than this is an error
VENUE_MAX_WORDS = 22  # the venue line printed on posters
PAGE_PATH_CHARS = 16  # a question's site address word (fr/<path>/): people type it
STORY_WORDS = Budget(40, 80)  # a benefit story, told on cards, slides and in the newsletter
STORY_TITLE_WORDS = Budget(None, 10)  # its title, the largest type of a story card
STORY_FALC_ITEMS = Budget(3, 5)  # its Easy-to-Read version: sentences (one picture each)
# Its card (the phone card and the slide): a figure printed very large, what it counts and one sentence at 48 px or
# more on a 1080-px card; the story itself is behind the link. Tested at these maxima.
STORY_CARD_BUDGETS: dict[str, Budget] = {
    "unit": Budget(None, 7),
    "sentence": Budget(None, 16),
}
STORY_FIGURE_CHARS = 12  # "2,8 millions": the figure's characters (it is never broken across lines)
STORY_CARD_CHARS = 170  # the unit and the sentence together, in characters (words of every length)
GLOSSARY_MAX_WORDS = 30  # a glossary explanation (warning only: not printed yet)
# QR_QUESTION_MM, QR_CAMPAIGN_MM: the smallest QR codes that carry each link (kit.qr, where the bound is explained).


class Readability(NamedTuple):
    flesch_min: float  # Flesch reading ease (Kandel & Moles for French): higher is easier
    lix_max: float  # LIX: lower is easier


# Flesch bands: 50-60 "fairly difficult", 60-70 "standard / plain". LIX bands: 50-60 "difficult",
# over 60 "very difficult" (official prose). LIX counts words of more than 6 letters as long, which
# catches plain French words ("données", "maladie"): French texts score about 10 points higher than
# English ones of the same difficulty, so the LIX limits leave room for French, the reference language.
READABILITY: dict[str, Readability] = {
    STANDARD: Readability(flesch_min=50, lix_max=60),
    FALC: Readability(flesch_min=60, lix_max=55),
}
# Flesch and LIX were made for samples of 100 words; on one sentence they swing by tens of points.
# Standard texts shorter than this (question, hook, benefit) are not scored; FALC lists always are
# (their sentences are short by rule, so the score measures the words).
READABILITY_MIN_WORDS = 50
REVIEW_MAX_AGE_MONTHS = 12
