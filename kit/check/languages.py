"""What the checks need to know about each language: number words, percent and negative forms, readability formula, hints."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from .. import readability as rd


@dataclass(frozen=True)
class LanguageRules:
    """The language-specific part of the FALC and readability rules, for one language."""

    number_words: frozenset[str]        # numbers written in words (FALC writes digits); empty: the rule does not apply
    percent: re.Pattern                 # percentages, in signs or words
    negative: re.Pattern                # negative forms
    flesch: Callable[[str], float]      # the Flesch reading ease formula made for the language
    flesch_name: str                    # how the report names it
    percent_hint: str
    negative_hint: str
    absolute: re.Pattern | None = None  # words that make a sentence an absolute promise (the "promise" rule)


# Not flagged, on purpose: "un", "une" and "one" (articles and pronouns far more often than numbers:
# "un médecin", "no one"), "neuf" (also means "new"), ordinals ("premier", "second", "first").
_FR_NUMBER_WORDS = frozenset("""zéro deux trois quatre cinq six sept huit dix onze douze treize quatorze
    quinze seize vingt vingts trente quarante cinquante soixante septante huitante octante nonante cent cents
    mille million millions milliard milliards centaines milliers""".split())
_EN_NUMBER_WORDS = frozenset("""zero two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions""".split())

ENGLISH = LanguageRules(
    number_words=_EN_NUMBER_WORDS,
    percent=re.compile(r"%|\bper ?cent\b|\bpercentages?\b", re.I),
    negative=re.compile(r"\b(?:not|cannot|never|nothing|nobody|nowhere|none)\b|\w+n['’]t\b", re.I),
    flesch=rd.flesch_en,
    flesch_name="Flesch reading ease",
    percent_hint="Say it in words: 'many', 'few', '1 person in 2'.",
    negative_hint="Say it in the positive if you can ('You keep your rights' rather than 'You do not lose your rights').",
    absolute=re.compile(r"(?<!not )\b(?:always|never|only|every|everyone|everything|none|no one|nobody|solely|"
                        r"guaranteed|at any time|any time|all projects|all research)\b", re.I),
)

FRENCH = LanguageRules(
    number_words=_FR_NUMBER_WORDS,
    percent=re.compile(r"%|\bpour ?cent\b|\bpourcentages?\b", re.I),
    negative=re.compile(r"\bne\s+(?:[\w'’-]+\s+){0,3}?(?:pas|plus|jamais|rien|personne|aucune?|guère|point)\b|\bn['’]\w*", re.I),
    flesch=rd.flesch_fr,
    flesch_name="Flesch (Kandel & Moles)",
    percent_hint="Say it in words: 'beaucoup de', 'peu de', '1 personne sur 2'.",
    negative_hint="Say it in the positive if you can ('Vous gardez vos droits' rather than 'Vous ne perdez pas vos droits').",
    absolute=re.compile(r"(?<!pas )\b(?:toujours|jamais|aucune?|seuls|seules|seulement|uniquement|exclusivement|"
                        r"à tout moment|tout projet|toute recherche|tous les projets|toutes les recherches|chaque|"
                        r"personne ne|rien ne)\b", re.I),
)

LANGUAGE_RULES: dict[str, LanguageRules] = {"fr": FRENCH, "en": ENGLISH}

# Any other language: the English patterns, formula and hints (the percent sign and English negatives still catch
# something), but no number words (a list in the wrong language would flag nothing or the wrong words).
DEFAULT_RULES = replace(ENGLISH, number_words=frozenset(), absolute=None)


def rules_for(lang: str) -> LanguageRules:
    """The record of a language, or the default one for a language without its own."""
    return LANGUAGE_RULES.get(lang, DEFAULT_RULES)
