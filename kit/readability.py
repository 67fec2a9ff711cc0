"""Readability scores for French and English texts: syllable counters, Flesch (Kandel & Moles for French), LIX.

The syllable counters are heuristics, good enough to rank texts, not to hyphenate them.

French counter (spoken syllables, as Kandel and Moles counted them):
- a syllable is a group of consecutive vowels (a e i o u y and their accented forms, æ œ);
- the ``u`` of ``qu`` and of ``gu`` before a vowel is silent (``quatre``, ``guerre``);
- a vowel group is split in two at a known hiatus: before a vowel with a diaeresis (``naïf``),
  before ``é`` that follows another vowel (``poésie``), after ``é`` followed by another vowel
  (``réunion``, ``créer``), except ``ée`` (``idée``, ``données``), and after a ``y`` that follows a
  vowel when another vowel comes next (``crayon``, ``moyen``);
- a final ``e`` or ``es`` after a consonant is silent (``table``, ``personnes``), but a word keeps at
  least one syllable (``le``, ``les``).
Known limits: the final ``ent`` of verbs (``ils parlent``: 1 syllable) cannot be told from the one of
nouns and adverbs (``moment``, ``souvent``: spoken), so it is always counted (verbs in the third
person plural get one syllable too many); other hiatus are not split (``diabète``, ``pays``,
``aéroport`` get one syllable too few); ``ion`` counts as one (``nation`` right, ``lion`` spoken
``li-on`` by some). Digits and other words without a vowel count as one syllable.

English counter: vowel groups (``y`` included), minus a silent final ``e`` (but not ``-le`` after a
consonant: ``table``) or before ``-ly``, ``-ful``, ``-ment``, ``-ness``, ``-less`` (``carefully``), minus ``-es``/``-ed`` endings that add no syllable (``makes``, ``used``, but
``places``, ``wanted``), at least one per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FR_VOWELS = "aeiouyàâäéèêëîïôöùûüÿæœ"
_EN_VOWELS = "aeiouy"
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# A sentence ends at . ! ? … (and the Arabic ؟) before a space, at the Chinese 。！？ (no space follows them),
# at a blank line, and before a list item.
_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?…؟])[\"”»’)\]]*\s+|(?<=[。！？])[”’）」]*\s*|\n\s*\n|\n(?=\s*[-•*]\s)"
)


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, with inner apostrophes and hyphens kept (``l'hôpital``, ``a-t-on``)."""
    return _WORD_RE.findall(text)


def sentences(text: str) -> list[str]:
    """Split a text into sentences at ``.``, ``!``, ``?`` or ``…`` followed by a space (and Chinese ``。``), and at blank lines.

    A text without final punctuation (a title, a FALC item without its full stop) is one sentence.
    """
    parts = [part.strip() for part in _SENTENCE_END_RE.split(text.strip())]
    return [part for part in parts if words(part)]


def letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


# --- French ---------------------------------------------------------------------------------------


def _fr_vowel_groups(word: str) -> list[tuple[int, int]]:
    """Start and end index of each spoken vowel group of a lower-case French word."""
    groups: list[tuple[int, int]] = []
    n = len(word)
    i = 0
    while i < n:
        ch = word[i]
        if ch not in _FR_VOWELS:
            i += 1
            continue
        # the u of qu/gu before a vowel is silent: it belongs to no group
        if ch == "u" and i > 0 and word[i - 1] in "qg" and i + 1 < n and word[i + 1] in _FR_VOWELS:
            i += 1
            continue
        start = i
        i += 1
        while i < n and word[i] in _FR_VOWELS:
            prev, cur = word[i - 1], word[i]
            if cur in "ïëü":  # diaeresis: naïf, Noël
                break
            if cur == "é" and prev != "e":  # poésie, aéroport
                break
            if prev == "é" and not (cur == "e" and re.fullmatch(r"e(?:s|nt)?", word[i:])):
                break  # réunion, créer (but idée, données)
            if prev == "y" and i - 2 >= start:  # crayon, moyen
                break
            i += 1
        groups.append((start, i))
    return groups


def syllables_fr(word: str) -> int:
    """Spoken syllables of one French word (see the module notes for the rules and their limits)."""
    w = word.lower().replace("’", "'")
    groups = _fr_vowel_groups(w)
    count = len(groups)
    if count == 0:
        return 1
    if count > 1:
        last_start, last_end = groups[-1]
        tail = w[last_start:]
        # silent final e / es after a consonant: "table", "personnes" (the e is a group of its own)
        before = w[last_start - 1]
        silent_u = before == "u" and last_start >= 2 and w[last_start - 2] in "qg"  # chaque, langue
        if tail in ("e", "es") and last_end - last_start == 1 and (before not in _FR_VOWELS or silent_u):
            count -= 1
    return count


# --- English --------------------------------------------------------------------------------------


def syllables_en(word: str) -> int:
    """Syllables of one English word (heuristic; see the module notes)."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 1
    count = len(re.findall(r"[aeiouy]+", w))
    if count == 0:
        return 1
    if count > 1:
        if re.search(r"[^aeiouy]e(?:ly|ful|fully|ment|ments|ness|less)$", w):
            count -= 1  # carefully, safely, movement
        elif w.endswith("e") and not w.endswith(("le", "ee", "ye")) and w[-2] not in _EN_VOWELS:
            count -= 1  # make, hope
        elif w.endswith("le") and len(w) > 2 and w[-3] in _EN_VOWELS:
            count -= 1  # mile, whole
        elif (
            w.endswith("es")
            and len(w) > 3
            and w[-3] not in _EN_VOWELS
            and not re.search(r"(?:[sxzgc]|ch|sh)es$", w)
        ):
            count -= 1  # makes, types (not places, boxes)
        elif w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and w[-3] not in _EN_VOWELS:
            count -= 1  # used, helped (not wanted, needed)
    return max(count, 1)


# --- Scores ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    words: int
    sentences: int
    syllables: int
    long_words: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0


def counts(text: str, lang: str = "fr") -> Counts:
    """Words, sentences, syllables (French or English counter) and long words (more than 6 letters)."""
    counter = syllables_en if lang == "en" else syllables_fr
    found = words(text)
    return Counts(
        words=len(found),
        sentences=max(len(sentences(text)), 1) if found else 0,
        syllables=sum(counter(w) for w in found),
        long_words=sum(letters(w) > 6 for w in found),
    )


def flesch_fr(text: str) -> float:
    """Flesch reading ease adapted to French by Kandel and Moles (1958): higher is easier."""
    c = counts(text, "fr")
    if not c.words:
        return 0.0
    return 207 - 1.015 * c.words_per_sentence - 73.6 * c.syllables_per_word


def flesch_en(text: str) -> float:
    """Flesch reading ease (1948) for English: higher is easier (60-70 plain English)."""
    c = counts(text, "en")
    if not c.words:
        return 0.0
    return 206.835 - 1.015 * c.words_per_sentence - 84.6 * c.syllables_per_word


def lix(text: str) -> float:
    """LIX (Björnsson): words per sentence + percentage of words longer than 6 letters; lower is easier."""
    c = counts(text)
    if not c.words:
        return 0.0
    return c.words_per_sentence + 100 * c.long_words / c.words


def flesch(text: str, lang: str) -> float:
    """The Flesch score for a language: Kandel and Moles for French, the original for English (and others)."""
    return flesch_fr(text) if lang == "fr" else flesch_en(text)
