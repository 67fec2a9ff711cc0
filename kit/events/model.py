"""What an event is: the columns of an event spreadsheet, a valid event, a problem found in a row, a sheet's
outcome, and folder-safe ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import Problem

# --- Columns ----------------------------------------------------------------------------------

# Canonical column -> the names people write in the header (compared after key(): no case,
# accents, spaces, '_' or '-'). The first alias after the canonical name is the French one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "identifiant"),
    "venue_type": ("venue_type", "type_de_lieu", "type_lieu", "type"),
    "venue_name": ("venue_name", "nom_du_lieu", "nom_lieu", "lieu"),
    "address": ("address", "adresse"),
    "postcode": ("postcode", "code_postal", "postal_code", "zip_code", "cp"),
    "city": ("city", "ville", "commune"),
    "date": ("date",),
    "start_time": ("start_time", "heure_debut", "heure_de_debut", "debut"),
    "end_time": ("end_time", "heure_fin", "heure_de_fin", "fin"),
    "contact": ("contact",),
    "languages": ("languages", "langues", "langue", "language"),
    "falc": ("falc",),
    "copies": ("copies", "exemplaires", "nombre_d_exemplaires", "nombre_exemplaires"),
}
REQUIRED_COLUMNS = ("venue_type", "venue_name", "date")
FIELD_LIMITS = {"venue_name": 60, "address": 120, "city": 60, "contact": 80}
# Fields people type from the paper: an invisible character in them is refused (in other texts, a warning).
CODE_FIELDS = frozenset({"contact", "postcode"})
HIDDEN_HINT = (
    "Type the text again in the cell (text copied from web pages and PDF files brings such characters)."
)
ID_MAX = 60
MAX_COPIES = 1000
TIME_HINT = "Write it like 14:00, 14h or 14h30."
DATE_HINT = "Write it as 2026-03-12 or 12/03/2026."
ID_HINT = "Use letters, digits and hyphens, like lille-2026-03-12, or leave the cell empty and kit makes one."

YES = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
NO = {"non", "n", "no", "false", "faux", "0"}
WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_SPECIAL_LETTERS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "ð": "d",
    }
)


def strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


def key(text: str) -> str:
    """A name compared without case, accents, spaces or punctuation ('Type de lieu' == 'type_de_lieu')."""
    return re.sub(r"[^a-z0-9]", "", strip_accents(text).lower())


ALIASES = {key(alias): canonical for canonical, aliases in COLUMNS.items() for alias in aliases}


def column_of(header: str) -> str | None:
    """The canonical column a header text names ('Type de lieu' -> venue_type), or None."""
    return ALIASES.get(key(header))


# --- Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong (or worth knowing) about one cell: the row as the spreadsheet shows it (0 for a row from a
    form or a request), the column as its header writes it, what is wrong and what to do; ``field`` is the
    canonical name (``COLUMNS``) and ``code`` a stable identifier of the kind of problem (``PROBLEM_CODES``),
    for programs (the web app's JSON answers)."""

    row: int
    column: str
    message: str
    hint: str = ""
    field: str | None = None
    code: str = ""

    def __str__(self) -> str:
        text = (
            f'row {self.row}, column "{self.column}": {self.message}'
            if self.row
            else f'"{self.column}": {self.message}'
        )
        return f"{text} {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        """The problem as JSON data: row, field (canonical), column (as written), code, message and hint."""
        return {
            "row": self.row,
            "field": self.field,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    def as_problem(self, file: str | Path | None = None) -> Problem:
        """The same problem in kit's general form (file, line = spreadsheet row, field = column)."""
        message = f"{self.message} {self.hint}" if self.hint else self.message
        return Problem(message, str(file) if file is not None else None, self.row, self.column)


# --- Events -----------------------------------------------------------------------------------


class Event(BaseModel):
    """One valid row of the spreadsheet: a place and a date that get their own folder of documents."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    row: int
    id: str
    venue_type: str = Field(
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
    )  # a venue id of the knowledge base (venues.yaml)
    venue_name: str
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    contact: str | None = None
    languages: tuple[str, ...] = ("fr",)
    falc: bool = True
    copies: int | None = None
    fields: dict[str, str] = {}

    def canonical(self) -> dict[str, Any]:
        """The event's values as plain JSON data, without its row number (moving a row changes nothing)."""
        return {
            "id": self.id,
            "venue_type": self.venue_type,
            "venue_name": self.venue_name,
            "address": self.address,
            "postcode": self.postcode,
            "city": self.city,
            "date": self.date.isoformat(),
            "start_time": self.start_time.strftime("%H:%M") if self.start_time else None,
            "end_time": self.end_time.strftime("%H:%M") if self.end_time else None,
            "contact": self.contact,
            "languages": list(self.languages),
            "falc": self.falc,
            "copies": self.copies,
        }

    def fingerprint(self) -> str:
        """A stable sha256 of the canonical values: same inputs, same fingerprint, across runs and machines."""
        data = json.dumps(
            {"v": 1, **self.canonical()}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def __hash__(self) -> int:
        return hash((self.row, self.fingerprint()))


@dataclass
class EventSheet:
    """What a spreadsheet held: the valid events, every problem, and warnings that stop nothing."""

    path: Path
    encoding: str | None  # "utf-8", "utf-8-sig", "cp1252", "utf-16"; None for .xlsx
    delimiter: str | None  # ",", ";" or "\t"; None for .xlsx
    header_row: int = 1
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header as written
    events: list[Event] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    ids: dict[int, str] = field(default_factory=dict)  # row -> its id (given, or made), failed rows included
    _by_row: tuple = field(default=(None, None), init=False, repr=False, compare=False)

    def name_of(self, row: int) -> str:
        """How to name a row in a report: its id when it has one, else ``row-<n>``."""
        return self.ids.get(row) or f"row-{row}"

    @property
    def failed_rows(self) -> list[int]:
        """The spreadsheet rows that have at least one problem (none of them is built)."""
        return sorted({p.row for p in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_of(self, row: int) -> list[RowProblem]:
        """The problems of one row (from an index made once, not a search of every problem each time)."""
        key = (id(self.problems), len(self.problems))
        if self._by_row[0] != key:
            index: dict[int, list[RowProblem]] = {}
            for problem in self.problems:
                index.setdefault(problem.row, []).append(problem)
            self._by_row = (key, index)
        return list(self._by_row[1].get(row, ()))


# --- Ids -------------------------------------------------------------------------


def safe_id(text: str) -> str:
    """Make text usable as a folder name: a-z, 0-9, '-' and '_' only, at most ID_MAX characters.

    Accents are transliterated (é -> e), everything else becomes '-', leading and trailing '-' and
    '.' go; the result may be empty (the caller refuses it).
    """
    text = strip_accents(text).lower()
    text = re.sub(r"[^a-z0-9_-]+", "-", text)
    text = text.strip("-.")
    if len(text) > ID_MAX:
        text = text[:ID_MAX].rstrip("-.")
    return text


def shown(text: str) -> str:
    """Text quoted in a message: invisible characters written visibly (\\x00, [U+202E]), kept short."""
    visible = "".join(
        c
        if unicodedata.category(c)[0] != "C"
        else (repr(c)[1:-1] if unicodedata.category(c) == "Cc" else f"[U+{ord(c):04X}]")
        for c in text
    )
    return visible if len(visible) <= 80 else visible[:77] + "..."
