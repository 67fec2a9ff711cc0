"""Writing a language as its locale record says: typographic spacing, dates and times in words."""

from __future__ import annotations

import datetime as dt
import re

from .content import Locale

_FR_NARROW = re.compile(r"\s+([?!;»])")
_FR_COLON = re.compile(r"(?<=\S)\s+:(?=\s|$)")
_FR_GUILLEMET = re.compile(r"«\s+")
_FR_DIGITS = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|%)")  # 7 900, 93 %: a number is never cut at a line's end


def french_spacing(text: str) -> str:
    """French typography: no-break spaces before ? ! ; : » and after «, so they never start a line, and inside
    numbers (7 900, 93 %), so a number is never cut in two."""
    text = _FR_NARROW.sub("\u00a0\\1", text)  # U+202F would be finer, but the shipped font lacks it
    text = _FR_COLON.sub("\u00a0:", text)
    text = _FR_DIGITS.sub("\u00a0", text)
    return _FR_GUILLEMET.sub("«\u00a0", text)


_TYPOGRAPHY = {"plain": lambda text: text, "french": french_spacing}


def typeset(text: str, typography: str) -> str:
    """``text`` with the spacing rules of a locale's ``typography`` (plain or french)."""
    return _TYPOGRAPHY[typography](text)


def with_colon(label: str, typography: str) -> str:
    """A label followed by a colon as its language writes it ("Sources :" in French, "Sources:" in English)."""
    return f"{label}\u00a0:" if typography == "french" else f"{label}:"


def date_words(day: dt.date, locale: Locale) -> str:
    """'jeudi 26 mars 2026', 'Thursday 26 March 2026', or 2026-03-26 for a language without names."""
    number = locale.first_day if (day.day == 1 and locale.first_day) else str(day.day)
    return locale.date.format(
        iso=day.isoformat(),
        year=day.year,
        day=number,
        weekday=locale.weekdays[day.weekday()] if locale.weekdays else "",
        month=locale.months[day.month - 1] if locale.months else "",
    )


def clock(moment: dt.time, locale: Locale) -> str:
    """'18 h 30' or '18 h' (fr), '6:30 pm' (en), '18:30' (a language without a record)."""
    pattern = locale.time_whole_hour if (moment.minute == 0 and locale.time_whole_hour) else locale.time
    return pattern.format(
        H=moment.hour,
        HH=f"{moment.hour:02d}",
        h12=(moment.hour % 12) or 12,
        MM=f"{moment.minute:02d}",
        ampm=locale.am_pm[moment.hour >= 12],
    )


def time_words(start: dt.time | None, end: dt.time | None, locale: Locale) -> str | None:
    """A start time, or a range ('18 h 30 – 20 h'); None without a start."""
    if start is None:
        return None
    if end is None:
        return clock(start, locale)
    return locale.time_range.format(start=clock(start, locale), end=clock(end, locale))
