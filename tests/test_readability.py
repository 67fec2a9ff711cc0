"""Readability: syllable counters, sentence splitting, Flesch (Kandel & Moles, English) and LIX against hand-computed values."""

from __future__ import annotations

import pytest

from kit.readability import (
    counts,
    flesch,
    flesch_en,
    flesch_fr,
    lix,
    sentences,
    syllables_en,
    syllables_fr,
    words,
)

# Spoken syllables, as a French reader says them.
FRENCH_WORDS = [
    ("santé", 2),
    ("données", 2),
    ("personnes", 2),
    ("table", 1),
    ("recherche", 2),
    ("chercheurs", 2),
    ("médicament", 4),
    ("maladie", 3),
    ("vie", 1),
    ("que", 1),
    ("quatre", 1),
    ("chaque", 1),
    ("question", 2),
    ("guerre", 1),
    ("réunion", 3),
    ("créer", 2),
    ("idée", 2),
    ("poésie", 3),
    ("naïf", 2),
    ("crayon", 2),
    ("hôpital", 3),
    ("l'hôpital", 3),
    ("aujourd'hui", 3),
    ("eau", 1),
    ("oiseau", 2),
    ("beaucoup", 2),
    ("pseudonymisation", 6),
    ("informations", 4),
    ("protégées", 3),
    ("le", 1),
    ("les", 1),
    ("soins", 1),
    ("rue", 1),
]


@pytest.mark.parametrize("word, expected", FRENCH_WORDS)
def test_french_syllables(word, expected):
    assert syllables_fr(word) == expected


def test_french_syllables_known_limits():
    """Documented approximations: verb endings in -ent are counted, some hiatus are not split."""
    assert syllables_fr("parlent") == 2  # spoken 1: a verb's -ent cannot be told from "moment"
    assert syllables_fr("moment") == 2  # spoken 2: right
    assert syllables_fr("diabète") == 2  # spoken 3 (di-a-bète): the hiatus "ia" is not split


@pytest.mark.parametrize(
    "word, expected",
    [
        ("make", 1),
        ("table", 2),
        ("whole", 1),
        ("people", 2),
        ("places", 2),
        ("makes", 1),
        ("used", 1),
        ("needed", 2),
        ("wanted", 2),
        ("studies", 2),
        ("carefully", 3),
        ("research", 2),
        ("data", 2),
        ("the", 1),
        ("information", 4),
    ],
)
def test_english_syllables(word, expected):
    assert syllables_en(word) == expected


def test_words_and_sentences():
    assert words("A-t-on le droit d'agir ? Oui, à 100 %.") == [
        "A-t-on",
        "le",
        "droit",
        "d'agir",
        "Oui",
        "à",
        "100",
    ]
    assert sentences("Bonjour. Ça va ? Oui ! Très bien… Fin") == [
        "Bonjour.",
        "Ça va ?",
        "Oui !",
        "Très bien…",
        "Fin",
    ]
    assert sentences("Un titre sans point") == ["Un titre sans point"]
    assert sentences("Premier.\n\nSecond sans point\n\nTroisième.") == [
        "Premier.",
        "Second sans point",
        "Troisième.",
    ]
    assert sentences("") == []


def test_flesch_fr_hand_computed():
    # 6 words, 2 sentences, 6 syllables: 207 - 1.015 * 3 - 73.6 * 1
    assert flesch_fr("Le chat dort. Il fait beau.") == pytest.approx(130.355)
    # 5 words, 1 sentence, les 1 + chercheurs 2 + étudient 3 + la 1 + maladie 3 = 10 syllables
    c = counts("Les chercheurs étudient la maladie.", "fr")
    assert (c.words, c.sentences, c.syllables, c.long_words) == (5, 1, 10, 3)
    assert flesch_fr("Les chercheurs étudient la maladie.") == pytest.approx(207 - 1.015 * 5 - 73.6 * 2)
    assert flesch("Les chercheurs étudient la maladie.", "fr") == flesch_fr(
        "Les chercheurs étudient la maladie."
    )


def test_flesch_en_hand_computed():
    # 6 words, 1 sentence, 6 syllables
    assert flesch_en("The cat sat on the mat.") == pytest.approx(206.835 - 1.015 * 6 - 84.6)
    # researchers 3 + study 2 + data 2 = 7 syllables in 3 words
    assert flesch_en("Researchers study data.") == pytest.approx(206.835 - 1.015 * 3 - 84.6 * 7 / 3)
    assert flesch("Researchers study data.", "en") == flesch_en("Researchers study data.")


def test_lix_hand_computed():
    assert lix("Le chat dort. Il fait beau.") == pytest.approx(3.0)  # 6/2 + 100 * 0/6
    # chercheurs, étudient, maladie have more than 6 letters: 5/1 + 100 * 3/5
    assert lix("Les chercheurs étudient la maladie.") == pytest.approx(65.0)
    # "données" has 7 letters (long), "santé" 5 (short): 4/1 + 100 * 1/4
    assert lix("Vos données de santé") == pytest.approx(29.0)


def test_harder_text_scores_worse():
    easy = "Vos données aident la recherche. Les médecins soignent mieux."
    hard = (
        "La réutilisation secondaire des informations médicales pseudonymisées nécessite "
        "systématiquement une autorisation réglementaire préalable délivrée par l'autorité compétente."
    )
    assert flesch_fr(easy) > flesch_fr(hard)
    assert lix(easy) < lix(hard)


def test_empty_text_scores_zero():
    assert flesch_fr("") == 0.0 and flesch_en("  ") == 0.0 and lix("") == 0.0
