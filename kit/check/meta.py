"""Metadata rules on kit.yaml: the review date, and the Easy-to-Read logo only with named checkers."""

from __future__ import annotations

import datetime as dt

from ..content import KnowledgeBase
from .budgets import REVIEW_MAX_AGE_MONTHS
from .report import ERROR, FALC, WARNING, Collector, Source


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_meta(c: Collector, kb: KnowledgeBase, src: Source, falc_logo: bool, today: dt.date) -> None:
    oldest = _months_before(today, REVIEW_MAX_AGE_MONTHS)
    if kb.meta.date < oldest:
        c.add(WARNING, "review-date",
              f"the content was last reviewed on {kb.meta.date.isoformat()}, more than {REVIEW_MAX_AGE_MONTHS} months ago: laws, addresses and links change.",
              "Review the texts and links, then update 'date' (and 'content_version') in kit.yaml.",
              src, ("date",), text=kb.meta.date.isoformat())
    if falc_logo and not kb.meta.falc_checked_by:
        c.add(ERROR, "falc-logo",
              "the Easy-to-Read logo is asked for, but 'falc_checked_by' in kit.yaml names nobody. The logo may only be "
              "printed when people with intellectual disabilities checked the FALC texts, and their names are printed.",
              "Have the FALC texts checked by people with intellectual disabilities and list their names in 'falc_checked_by', "
              "or build without the logo.", src, ("falc_checked_by",), level=FALC)
