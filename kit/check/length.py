"""Length rule on one text: its words against the budget of its field."""

from __future__ import annotations

from .budgets import Budget
from .languages import rules_for
from .report import ERROR, WARNING, Collector, Source


def check_length(
    c: Collector, src: Source, loc: tuple, name: str, text: str, budget: Budget, **where
) -> None:
    """The text's length in its language's units (words; characters in Chinese) against the field's budget."""
    language = rules_for(where.get("lang") or "")
    n, unit = language.length(text), language.unit
    most, least = language.budget(budget.max), language.budget(budget.min)
    if most is not None and n > most:
        c.add(
            ERROR,
            "length",
            f"{name}: {n} {unit}, at most {most} fit the layouts.",
            f"Remove at least {n - most} {unit if n - most > 1 else unit[:-1]}; keep one idea.",
            src,
            loc,
            text=text,
            **where,
        )
    elif least is not None and n < least:
        c.add(
            WARNING,
            "length",
            f"{name}: {n} {unit}, at least {least} are expected.",
            f"Add what a reader needs to know ({least}-{most} {unit}).",
            src,
            loc,
            text=text,
            **where,
        )
