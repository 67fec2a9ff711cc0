"""Validate one event row: cells in (from a spreadsheet, a web form or a JSON request), an Event or every
problem of the row out, each with a stable code and the field's canonical name."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..content import Venue, builtin_venues, describe_hidden, hidden_characters
from ..fonts import describe_missing, missing_glyphs
from ..tabular import cell_text, serial_date
from .model import (
    CODE_FIELDS,
    COLUMNS,
    DATE_HINT,
    FIELD_LIMITS,
    HIDDEN_HINT,
    ID_HINT,
    MAX_COPIES,
    NO,
    TIME_HINT,
    WINDOWS_RESERVED,
    YES,
    Event,
    RowProblem,
    key,
    safe_id,
    shown,
)

# The stable codes of row problems (and warnings), for programs; the messages say the same in words.
PROBLEM_CODES = (
    "required",  # an empty cell that an event needs (type of place, name of place, date)
    "unknown-field",  # a field kit does not know (a form or a request; a sheet's unknown columns are warned)
    "unreadable-cell",  # a formula without its saved result, or a cell far too long to be a value
    "too-long",  # longer than its place on the documents (FIELD_LIMITS)
    "control-character",  # an invisible control character
    "missing-glyph",  # characters no font draws (they would print as empty boxes)
    "hidden-character",  # an invisible format or bidirectional character (a problem in codes, else a warning)
    "unknown-venue-type",
    "invalid-date",
    "implausible-date",  # a date before 2000 or after 2100 (Excel's zero day 1899-12-31, a typo)
    "invalid-time",
    "end-before-start",
    "end-without-start",
    "time-required",  # the type of place prints its start and end times
    "invalid-postcode",
    "invalid-contact",
    "invalid-language",  # not a two-letter code
    "unknown-language",  # a code the content has no text in
    "invalid-split",  # the people each language is for (fr:80,ar:30 or fr:70%,ar:30%) cannot be used
    "split-mismatch",  # those people do not add up to the copies column
    "unpublished-language",  # (kit pack) a language the companion site does not publish ([site] languages)
    "invalid-yes-no",
    "invalid-copies",
    "too-many-copies",
    "invalid-id",  # no letters or digits, or a name Windows reserves
    "id-changed",  # a warning: the id was made safe to name a folder
    "duplicate-id",  # (the sheet) another row has the same id
    "unknown-column",  # (the sheet, a warning) a header kit does not know
    "unnamed-column",  # (the sheet, a warning) a value in a column without a header
)
TIME_COLUMNS = ("start_time", "end_time")


class VenueTypes:
    """The venue types a spreadsheet may name: each id and its aliases, compared without case, accents or spaces."""

    def __init__(self, venues: Sequence[Venue]):
        self.venues = {venue.id: venue for venue in venues}
        self.names = {key(name): venue.id for venue in venues for name in (venue.id, *venue.aliases)}

    def find(self, written: str) -> Venue | None:
        venue_id = self.names.get(key(written))
        return self.venues.get(venue_id) if venue_id else None

    @property
    def hint(self) -> str:
        ids = list(self.venues)
        listed = ", ".join(ids[:-1]) + (" or " if len(ids) > 1 else "") + ids[-1]
        return f"Write {listed}."


@dataclass
class RowResult:
    """What one row gave: its event (None when the row has a problem), every problem and warning of the row, and
    its id (given, or made from the date and the place; None when unknown) to name it in a report."""

    row: int
    event: Event | None
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    id: str | None = None
    generated: bool = False  # the id was made by kit (no id given)
    values: dict[str, Any] = field(default_factory=dict, repr=False)  # the values an Event is made of

    @property
    def ok(self) -> bool:
        return self.event is not None


class _Row:
    """Collects the values and problems of one row."""

    def __init__(
        self,
        number: int,
        cells: dict[str, str],
        headers: Mapping[str, str],
        unreadable: Mapping[str, tuple[str, str]] | None = None,
    ):
        self.number = number
        self.cells = cells
        self.headers = headers
        self.problems: list[RowProblem] = []
        self.warnings: list[RowProblem] = []
        # Cells kit could not read at all (a formula without its result, a huge text): one problem each,
        # and no other about the same column (their value is unknown, not empty).
        self.unreadable: set[str] = set()
        for name, (message, hint) in (unreadable or {}).items():
            self.problem(name, "unreadable-cell", message, hint)
            self.unreadable.add(name)

    def column(self, name: str) -> str:
        return self.headers.get(name, name)

    def problem(self, name: str, code: str, message: str, hint: str = "") -> None:
        if name not in self.unreadable:
            self.problems.append(RowProblem(self.number, self.column(name), message, hint, name, code))

    def warn(self, name: str, code: str, message: str, hint: str = "") -> None:
        self.warnings.append(RowProblem(self.number, self.column(name), message, hint, name, code))

    def text(self, name: str) -> str:
        value = self.cells.get(name, "")
        limit = FIELD_LIMITS.get(name)
        if limit and len(value) > limit:
            self.problem(
                name,
                "too-long",
                f"this text is {len(value)} characters long; at most {limit} fit in its place "
                "on the documents.",
                "Shorten it (kit never cuts a text).",
            )
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
            self.problem(
                name,
                "control-character",
                "this text contains an invisible control character.",
                "Type the text again, or copy it without the hidden character.",
            )
        elif hidden := hidden_characters(value):
            if name in CODE_FIELDS:  # an address or a number people type: it must be exactly what is printed
                message = f'"{shown(value)}" holds {describe_hidden(hidden)}.'
                self.problem(name, "hidden-character", message, HIDDEN_HINT)
            else:
                self.warn(
                    name,
                    "hidden-character",
                    f'"{shown(value)}" holds {describe_hidden(hidden)}: it is not printed, yet it may '
                    "change how the text reads or breaks.",
                    HIDDEN_HINT,
                )
        tofu, sure = missing_glyphs(value)
        if tofu:
            say = self.problem if sure else self.warn
            say(name, "missing-glyph", f"this text has {describe_missing(tofu, sure)}.", GLYPH_HINT)
        return value


def _venue_type(row: _Row, venues: VenueTypes) -> Venue | None:
    value = row.cells.get("venue_type", "")
    if not value:
        row.problem("venue_type", "required", "the type of place is empty.", venues.hint)
        return None
    venue = venues.find(value)
    if venue is None:
        row.problem(
            "venue_type",
            "unknown-venue-type",
            f'"{shown(value)}" is not a type of place kit knows.',
            venues.hint,
        )
        return None
    return venue


GLYPH_HINT = (
    "Write it in a script kit's fonts draw (Latin, Arabic, Chinese), or install a font that has them."
)
# An event's date is within these years: 1899-12-31 (Excel's zero day, or a typo) was printed "31 décembre 1899".
EVENT_YEARS = (2000, 2100)


def _date(row: _Row) -> dt.date | None:
    day = _written_date(row)
    if day is not None and not EVENT_YEARS[0] <= day.year <= EVENT_YEARS[1]:
        excel = " (Excel shows an empty date cell as 1899 or 1900)" if day.year in (1899, 1900) else ""
        row.problem(
            "date",
            "implausible-date",
            f'"{shown(row.cells.get("date", ""))}" is in {day.year}: an event date is between '
            f"{EVENT_YEARS[0]} and {EVENT_YEARS[1]}{excel}.",
            DATE_HINT,
        )
        return None
    return day


def _written_date(row: _Row) -> dt.date | None:
    value = row.cells.get("date", "")
    if not value:
        row.problem("date", "required", "the date is empty.", DATE_HINT)
        return None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", value) and serial_date(value):  # 46093: a date cell shown as a number
        return serial_date(value)
    patterns = (
        (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", ("y", "m", "d")),
        (r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", ("d", "m", "y")),
        (r"(\d{1,2})/(\d{1,2})/(\d{2})", ("d", "m", "y2")),
    )
    for pattern, order in patterns:
        match = re.fullmatch(pattern, value)
        if match:
            parts = dict(zip(order, map(int, match.groups())))
            year = parts.get("y", 2000 + parts.get("y2", 0))
            try:
                return dt.date(year, parts["m"], parts["d"])
            except ValueError:
                break
    row.problem("date", "invalid-date", f'"{shown(value)}" is not a date.', DATE_HINT)
    return None


def _time(row: _Row, name: str) -> tuple[dt.time | None, bool]:
    """(time, written): written is True when the cell had something, even if wrong."""
    value = row.cells.get(name, "")
    if not value:
        return None, False
    match = re.fullmatch(r"(\d{1,2})\s*(?:(?:[:hH.]|heures?)\s*(\d{2})?(?::(\d{2}))?)?", value)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60 and int(match.group(3) or 0) < 60:
            return dt.time(hour, minute), True
    row.problem(name, "invalid-time", f'"{shown(value)}" is not a time.', TIME_HINT)
    return None, True


def _postcode(row: _Row) -> str | None:
    value = row.text("postcode")
    if not value:
        return None
    digits = re.sub(r"[\s.]", "", value)
    if re.fullmatch(r"\d{4}", digits):  # Excel dropped the leading zero (01000 -> 1000)
        digits = "0" + digits
    if not re.fullmatch(r"\d{5}", digits):
        row.problem(
            "postcode",
            "invalid-postcode",
            f'"{shown(value)}" is not a French postcode.',
            "Write its 5 digits, like 75001 or 01000.",
        )
        return None
    return digits


_EMAIL_RE = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[A-Za-z]{2,}")
_PHONE_RE = re.compile(r"(?:(?:\+|00)33|0)[1-9]\d{8}|3\d{3}")


def _contact(row: _Row) -> str | None:
    value = row.text("contact")
    if not value or hidden_characters(value):  # an invisible character: already said
        return None
    parts = [p for p in re.split(r"\s*(?:[/;,\n]|\bou\b|\bor\b)\s*", value) if p.strip()]

    def fine(part: str) -> bool:
        digits = re.sub(r"[\s.\-]", "", part).replace("(0)", "")
        return bool(_EMAIL_RE.fullmatch(part) or _PHONE_RE.fullmatch(digits))

    if not parts or not all(fine(p) for p in parts):
        row.problem(
            "contact",
            "invalid-contact",
            f'"{shown(value)}" is neither a phone number nor an e-mail address.',
            "Write a French phone number like 01 23 45 67 89, or an e-mail address like accueil@mairie.fr.",
        )
        return None
    return value


def _languages(
    row: _Row, default_lang: str, known: Collection[str] | None
) -> tuple[tuple[str, ...] | None, dict[str, str]]:
    """The row's languages, and the share of people each is given (``fr:80,ar:30`` or ``fr:70%,ar:30%``), as
    written (checked with the number of copies by ``_split``)."""
    value = row.cells.get("languages", "")
    if not value:
        return (default_lang,), {}
    codes: list[str] = []
    shares: dict[str, str] = {}
    bad = []
    for item in re.split(r"[\s,;/+]+", value):
        if not item:
            continue
        code, sep, share = item.partition(":")
        code = code.lower()
        if not re.fullmatch(r"[a-z]{2}", code):
            bad.append(item)
        elif code not in codes:
            codes.append(code)
            if sep:
                shares[code] = share
    if bad or not codes:
        quoted = ", ".join(f'"{shown(b)}"' for b in bad) or f'"{shown(value)}"'
        row.problem(
            "languages",
            "invalid-language",
            f"{quoted} {'is' if len(bad) <= 1 else 'are'} not "
            f"{'a two-letter language code' if len(bad) <= 1 else 'two-letter language codes'}.",
            "Write codes like fr or en, separated by commas: fr,en (with how many people each, if you "
            "like: fr:80,ar:30).",
        )
        return None, {}
    unknown = [code for code in codes if known is not None and code not in known]
    if unknown:
        row.problem(
            "languages",
            "unknown-language",
            f"{', '.join(unknown)} {'is not a language' if len(unknown) == 1 else 'are not languages'} of the "
            f"content ({', '.join(known)}).",
            "Use one of those, or add the language to your content.",
        )
        return None, {}
    return tuple(codes), shares


SPLIT_HINT = (
    "Give every language its number of people (households at the door): fr:80,ar:30,zh:10, or its share: "
    "fr:70%,ar:20%,zh:10% with the number of copies; or no numbers at all (then the first language gets "
    "every copy and the others a tenth each)."
)


def _split(
    row: _Row, languages: tuple[str, ...] | None, shares: dict[str, str], copies: int | None
) -> tuple[dict[str, int] | None, int | None]:
    """How many people each language is for (``fr:80,ar:30``; percentages need the copies column) and the
    copies (their total when the copies column is empty); (None, copies) when the row gives no shares."""
    if not shares or languages is None:
        return None, copies
    percent = [share.endswith("%") for share in shares.values()]
    numbers = [share.rstrip("%").strip() for share in shares.values()]
    if len(shares) != len(languages) or any(percent) != all(percent):
        missing = [lang for lang in languages if lang not in shares]
        message = (
            f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no share"
            if missing
            else "some shares are percentages and others numbers of people"
        )
        row.problem("languages", "invalid-split", f"{message}.", SPLIT_HINT)
        return None, copies
    if not all(re.fullmatch(r"\d+", number) and 1 <= int(number) <= MAX_COPIES for number in numbers):
        row.problem(
            "languages",
            "invalid-split",
            f'"{shown(row.cells.get("languages", ""))}": each share is a whole number from 1 (to {MAX_COPIES}).',
            SPLIT_HINT,
        )
        return None, copies
    given = dict(zip(shares, map(int, numbers)))
    if all(percent):
        total = sum(given.values())
        if total != 100 or copies is None:
            problem = f"the shares add up to {total} %, not 100 %" if total != 100 else "no copies are given"
            row.problem("languages", "invalid-split", f"{problem}.", SPLIT_HINT)
            return None, copies
        return {lang: max(1, round(copies * given[lang] / 100)) for lang in languages}, copies
    total = sum(given.values())
    if copies is not None and copies != total:
        row.problem(
            "copies",
            "split-mismatch",
            f"{copies} copies, but the languages column shares out {total} people "
            f"({', '.join(f'{lang}:{n}' for lang, n in given.items())}).",
            "Write the same total in both, or leave the copies cell empty.",
        )
        return None, copies
    if total > MAX_COPIES:
        row.problem(
            "languages",
            "too-many-copies",
            f"{total} people is more than kit prints for one event (at most {MAX_COPIES}).",
            SPLIT_HINT,
        )
        return None, copies
    return {lang: given[lang] for lang in languages}, total


def _falc(row: _Row) -> bool | None:
    value = row.cells.get("falc", "")
    if not value:
        return True
    word = key(value)
    if word in YES:
        return True
    if word in NO:
        return False
    hint = "Write oui or non (yes or no also work)."
    row.problem("falc", "invalid-yes-no", f'"{shown(value)}" is not yes or no.', hint)
    return None


def _copies(row: _Row) -> int | None:
    value = row.cells.get("copies", "")
    if not value:
        return None
    compact = re.sub(r"\s", "", value)
    hint = f"Write a whole number from 1 to {MAX_COPIES}, or leave the cell empty."
    if re.fullmatch(r"\d+", compact):
        if 1 <= int(compact) <= MAX_COPIES:
            return int(compact)
        if int(compact) > MAX_COPIES:
            row.problem(
                "copies",
                "too-many-copies",
                f"{int(compact)} copies is more than kit prints for one event (at most {MAX_COPIES}).",
                hint,
            )
            return None
    row.problem("copies", "invalid-copies", f'"{shown(value)}" is not a number of copies kit can use.', hint)
    return None


def _id(row: _Row, date: dt.date | None, venue_name: str) -> tuple[str | None, bool]:
    """(id, generated). The user's id made safe (with a warning when changed), or one made from date and place."""
    value = row.cells.get("id", "")
    if "id" in row.unreadable:
        return None, False  # unknown: neither compared with the others nor made up
    if value and (hidden := hidden_characters(value, controls=False)):  # control characters: cleaned below
        message = f'the id "{shown(value)}" holds {describe_hidden(hidden)}.'
        row.problem("id", "hidden-character", message, HIDDEN_HINT)
        return None, False
    if value:
        cleaned = safe_id(value)
        if not cleaned:
            row.problem(
                "id",
                "invalid-id",
                f'the id "{shown(value)}" has no letters or digits, so it cannot name a folder.',
                ID_HINT,
            )
            return None, False
        if cleaned in WINDOWS_RESERVED:
            row.problem("id", "invalid-id", f'the id "{cleaned}" cannot name a folder on Windows.', ID_HINT)
            return None, False
        if cleaned != value:
            message = f'the id "{shown(value)}" was changed to "{cleaned}" so that it can name a folder.'
            row.warn("id", "id-changed", message)
        return cleaned, False
    if date is None:
        return None, True
    made = safe_id(f"{date.isoformat()}-{venue_name}")
    return made, True


def _times(row: _Row, venue: Venue | None) -> tuple[dt.time | None, dt.time | None]:
    start, start_written = _time(row, "start_time")
    end, end_written = _time(row, "end_time")
    if start and end and end <= start:
        row.problem(
            "end_time",
            "end-before-start",
            f"the end time {end:%H:%M} is not after the start time {start:%H:%M}.",
            "Check both times: the event must end after it starts.",
        )
    if end and not start_written:
        message = f"there is an end time ({end:%H:%M}) but no start time."
        row.problem("start_time", "end-without-start", message, TIME_HINT)
    if venue is not None and venue.times:  # its documents print when the event starts and ends
        if not start_written:
            row.problem(
                "start_time", "time-required", f"{venue.name or venue.id} needs a start time.", TIME_HINT
            )
        if not end_written:
            row.problem(
                "end_time", "time-required", f"{venue.name or venue.id} needs an end time.", TIME_HINT
            )
    return start, end


def _values(
    row: _Row, venues: VenueTypes, default_lang: str, known: Collection[str] | None
) -> tuple[dict, bool]:
    """Every field checked (so that every problem of the row is found at once): the values and whether the id
    was made by kit."""
    venue = _venue_type(row, venues)
    venue_name = row.text("venue_name")
    if not venue_name:
        row.problem(
            "venue_name",
            "required",
            "the name of the place is empty.",
            'Write the name people know it by, like "Mairie de Lille".',
        )
    address = row.text("address") or None
    postcode = _postcode(row)
    city = row.text("city") or None
    date = _date(row)
    start, end = _times(row, venue)
    contact = _contact(row)
    languages, shares = _languages(row, default_lang, known)
    falc = _falc(row)
    split, copies = _split(row, languages, shares, _copies(row))
    event_id, generated = _id(row, date, venue_name)
    values = {
        "row": row.number,
        "id": event_id,
        "venue_type": venue.id if venue else None,
        "venue_name": venue_name,
        "address": address,
        "postcode": postcode,
        "city": city,
        "date": date,
        "start_time": start,
        "end_time": end,
        "contact": contact,
        "languages": languages,
        "falc": falc,
        "copies": copies,
        "split": split,
    }
    return values, generated


def _as_text(name: str, value: Any) -> str:
    """A value from a form or a JSON request as the text a spreadsheet cell would hold."""
    if isinstance(value, str):
        return value if value == value.strip() else value.strip()
    if isinstance(value, (list, tuple)):
        return ",".join(_as_text(name, item) for item in value)
    kind = "time" if name in TIME_COLUMNS else "date" if name == "date" else None
    return cell_text(value, kind)


def validate_row(
    cells: Mapping[str, Any],
    *,
    venues: VenueTypes | Sequence[Venue] | None = None,
    languages: Collection[str] | None = None,
    default_lang: str = "fr",
    row: int = 0,
    headers: Mapping[str, str] | None = None,
    unreadable: Mapping[str, tuple[str, str]] | None = None,
) -> RowResult:
    """Validate one event: ``cells`` maps canonical field names (``COLUMNS``: id, venue_type, venue_name, ...)
    to what was written (text, or from JSON a number, a yes/no, a list of languages).

    Every problem of the row is reported at once, each with a stable ``code`` (``PROBLEM_CODES``) and its
    ``field``; messages name the field as the sheet's header writes it (``headers``: canonical name -> header
    text, like ``languages`` -> ``langues``), else by its canonical name (a form, the API). ``venues`` are the
    venue types (the built-in ones when None); ``languages`` the languages the content has (None: any
    two-letter code); a row without languages is in ``default_lang``; ``row`` is the spreadsheet row (0 for a
    form or a request); ``unreadable`` cells (field -> message, hint) are reported as they are.
    """
    if not isinstance(venues, VenueTypes):
        venues = VenueTypes(venues if venues is not None else builtin_venues())
    headers = headers or {}
    texts: dict[str, str] = {}
    unknown = []
    for name, value in cells.items():
        if name in COLUMNS:
            texts[name] = _as_text(name, value)
        elif value not in (None, ""):
            unknown.append(name)
    for name in COLUMNS:
        texts.setdefault(name, "")
    checked = _Row(row, texts, headers, unreadable)
    for name in unknown:
        checked.problem(
            name,
            "unknown-field",
            "kit does not know this field.",
            "Known fields: " + ", ".join(COLUMNS) + ".",
        )
    values, generated = _values(checked, venues, default_lang, languages)
    values["fields"] = {name: texts[name] for name in cells if name in COLUMNS}  # the cells as written
    event = None if checked.problems else Event(**values)
    return RowResult(row, event, checked.problems, checked.warnings, values["id"], generated, values)
