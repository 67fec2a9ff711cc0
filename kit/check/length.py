"""Length rule on one text: its words against the budget of its field."""

from __future__ import annotations

from .. import readability as rd
from .budgets import Budget
from .report import ERROR, WARNING, Collector, Source


def check_length(c: Collector, src: Source, loc: tuple, name: str, text: str, budget: Budget, **where) -> None:
    n = len(rd.words(text))
    if budget.max is not None and n > budget.max:
        c.add(ERROR, "length", f"{name}: {n} words, at most {budget.max} fit the layouts.",
              f"Remove at least {n - budget.max} word{'s' if n - budget.max > 1 else ''}; keep one idea.", src, loc, text=text, **where)
    elif budget.min is not None and n < budget.min:
        c.add(WARNING, "length", f"{name}: {n} words, at least {budget.min} are expected.",
              f"Add what a reader needs to know ({budget.min}-{budget.max} words).", src, loc, text=text, **where)
