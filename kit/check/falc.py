"""Easy-to-Read (FALC) rules on one text: sentence length, one sentence per item, abbreviations, numbers, signs, negatives."""

from __future__ import annotations

import re

from .. import readability as rd
from ..content import KnowledgeBase
from .budgets import FALC_SENTENCE_WORDS, FALC_SENTENCE_WORDS_ERROR
from .languages import rules_for
from .report import ERROR, FALC, WARNING, Collector, Source

_ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_SUFFIX_RE = re.compile(r"^([IVXLCDM]+)(e|er|re|ère|ème|eme|st|nd|rd|th)?$")
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_CAPITALS_RE = re.compile(f"[{_UPPER}]{{2,}}")
_INITIALS_RE = re.compile(f"(?<![\\w.])(?:[{_UPPER}]\\.){{2,}}")
_BIG_NUMBER_RE = re.compile(
    r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?![\d])|(?<![\d,.])\d{4,}(?![\d])"
)


# The semicolon in the scripts kit writes: Latin, Arabic (U+061B), Chinese full-width (U+FF1B), Greek question mark
# look-alike (U+037E).
SEMICOLONS = ";\u061b\uff1b\u037e"


def _is_roman(part: str) -> bool:
    m = _ROMAN_SUFFIX_RE.match(part)
    if not m or not _ROMAN_RE.match(m.group(1)):
        return False
    numeral, suffix = m.groups()
    if not set(numeral) <= set("IVX"):  # not CD, MD, CV, Le, De, Ce: words and initials
        return False
    return bool(suffix) or len(numeral) >= 2  # XXIe, Ier, Ve, II, XIV (not the pronoun I)


_HAN_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f]+")


def _word_parts(text: str) -> list[str]:
    """The parts of each word (split at apostrophes and hyphens; Chinese characters, written without spaces,
    cut the Latin letters and digits among them into parts of their own)."""
    return [
        piece
        for w in rd.words(text)
        for part in re.split(r"['’-]", w)
        for piece in _HAN_RUN.split(part)
        if piece
    ]


def glossary_words(kb: KnowledgeBase, lang: str) -> set[str]:
    """The terms the glossary explains in a language (and their words): not abbreviations to flag."""
    known = set()
    for term in kb.shared.glossary:
        text = term.translations.get(lang)
        if text:
            known.add(text.term)
            known.update(_word_parts(text.term))
    return known


def check_falc_item(
    c: Collector,
    src: Source,
    loc: tuple,
    text: str,
    *,
    qid: str,
    lang: str,
    glossary: set[str],
    one_sentence: bool = True,
) -> None:
    """Every FALC rule on one text (an item: one sentence; a glossary explanation may hold a few)."""
    where = dict(question=qid, lang=lang, level=FALC, text=text)
    language = rules_for(lang)

    def add(severity, rule, message, hint):
        c.add(severity, rule, message, hint, src, loc, **where)

    found = rd.sentences(text)
    if one_sentence and len(found) > 1:
        add(
            ERROR,
            "falc-one-sentence",
            f"{len(found)} sentences in one FALC item: each item is one sentence next to its picture.",
            "Split the item in two items, each with its own pictogram, or join the ideas in one short sentence.",
        )
    most, worst = language.budget(FALC_SENTENCE_WORDS), language.budget(FALC_SENTENCE_WORDS_ERROR)
    for sentence in found:
        n = language.length(sentence)
        if n > most:
            severity = ERROR if n > worst else WARNING
            add(
                severity,
                "falc-sentence-length",
                f"{n} {language.unit} in one sentence: FALC sentences have {most} {language.unit} or fewer"
                + (f" (more than {worst} is an error)." if severity == ERROR else "."),
                "Keep one idea per sentence: cut it in two items or remove words that add nothing.",
            )

    roman = [p for p in _word_parts(text) if _is_roman(p)]
    if roman:
        add(
            ERROR,
            "falc-roman-numeral",
            f"roman numeral {', '.join(dict.fromkeys(roman))}: FALC writes numbers with digits.",
            "Write the number with digits (XXIe siècle → 21e siècle) or say it another way.",
        )
    abbreviations = [p for p in _word_parts(text) if _CAPITALS_RE.search(p) and p not in roman]
    abbreviations += _INITIALS_RE.findall(text)
    unexplained = [
        a for a in dict.fromkeys(abbreviations) if a not in glossary and a.replace(".", "") not in glossary
    ]
    if unexplained:
        add(
            ERROR,
            "falc-abbreviation",
            f"{', '.join(repr(a) for a in unexplained)} look{'s' if len(unexplained) == 1 else ''} like abbreviations or initials, "
            "and the glossary does not explain them.",
            "Write the words in full, or add a glossary entry in shared.yaml whose 'term' is the abbreviation.",
        )
    if re.search(r"\betc\b", text, re.I):
        add(
            ERROR,
            "falc-etc",
            "'etc.' leaves the reader to guess the rest of the list.",
            "Give the whole list, or the 2 or 3 examples that matter.",
        )
    if language.percent.search(text):
        add(ERROR, "falc-percent", "percentages are hard to picture.", language.percent_hint)
    counted = language.number_phrases.sub(" ", text) if language.number_phrases else text
    number_words = [p for p in _word_parts(counted) if p.lower() in language.number_words]
    if number_words:
        add(
            ERROR,
            "falc-number-word",
            f"number written in words ({', '.join(dict.fromkeys(number_words))}): FALC writes numbers with digits.",
            "Write the number with digits (2, 3, 10), or say 'beaucoup' / 'many' for a large amount.",
        )
    for match in _BIG_NUMBER_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        value = int(digits)
        if len(match.group()) == 4 and 1900 <= value <= 2099:
            continue  # a year written with digits is fine
        if value >= 1000:
            add(
                ERROR,
                "falc-large-number",
                f"large number '{match.group()}': big numbers are hard to picture.",
                "Say 'beaucoup de' / 'many', or compare with something familiar.",
            )
    semicolons = [ch for ch in SEMICOLONS if ch in text]
    if semicolons:
        add(
            ERROR,
            "falc-semicolon",
            f"semicolon '{semicolons[0]}': FALC sentences do not use semicolons.",
            "End the sentence with a full stop and start a new item.",
        )
    specials = [ch for ch in "&§#" if ch in text]
    if specials:
        add(
            ERROR,
            "falc-special-character",
            f"special character {' '.join(specials)}: many readers do not know it.",
            "Write the word instead ('et' / 'and', 'article', 'numéro' / 'number').",
        )
    if re.search(r"[()\[\]]", text):
        add(
            ERROR,
            "falc-parentheses",
            "parentheses hide a second idea inside the sentence.",
            "Make the words in parentheses a sentence of their own, or remove them.",
        )
    negatives = [m.group() for m in language.negative.finditer(text)]
    if negatives:
        add(
            WARNING,
            "falc-negative",
            f"negative form ({', '.join(negatives)}): negative sentences are harder to understand.",
            language.negative_hint,
        )
