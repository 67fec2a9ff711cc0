"""Readability rule on one text: Flesch (the language's formula) and LIX against the level's limits."""

from __future__ import annotations

from .. import readability as rd
from .budgets import READABILITY
from .languages import rules_for
from .report import FALC, WARNING, Collector, Source


def check_readability(
    c: Collector, src: Source, loc: tuple, name: str, text: str, lang: str, level: str, **where
) -> None:
    limits = READABILITY[level]
    language = rules_for(lang)
    if language.flesch is None:  # no formula for this language (see languages.py): its reviewers judge
        return
    score = language.flesch(text)
    index = rd.lix(text)
    problems = []
    if score < limits.flesch_min:
        problems.append(f"{language.flesch_name} {score:.0f}, below {limits.flesch_min:.0f}")
    if index > limits.lix_max:
        problems.append(f"LIX {index:.0f}, above {limits.lix_max:.0f}")
    if problems:
        kind = "an Easy-to-Read (FALC) text" if level == FALC else "a text for the general public"
        c.add(
            WARNING,
            "readability",
            f"{name} is hard to read for {kind}: " + "; ".join(problems) + ".",
            "Use shorter sentences and shorter, everyday words.",
            src,
            loc,
            lang=lang,
            level=level,
            text=text,
            **where,
        )
