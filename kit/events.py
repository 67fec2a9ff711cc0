"""Read an organiser's event spreadsheet (CSV or .xlsx, as people really save it) into validated events."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .content import Venue, builtin_venues, describe_hidden, hidden_characters
from .errors import Problem, SpreadsheetError

__all__ = [
    "COLUMNS",
    "FIELD_LIMITS",
    "ID_MAX",
    "Event",
    "EventSheet",
    "RowProblem",
    "SpreadsheetError",
    "read_events",
    "safe_id",
]


# --- Columns ----------------------------------------------------------------------------------

# Canonical column -> the names people write in the header (compared after _key(): no case,
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
HEADER_SEARCH_ROWS = 10  # the header may sit under a title row or two

# Bounds on what one event file may hold: far above real use (a national campaign may list 20,000
# places), they keep a damaged or hostile file from taking minutes or gigabytes.
MAX_ROWS = 50_000  # event rows (non-blank rows under the header)
MAX_CELL_CHARS = 2_000  # characters in one cell (the longest column holds 120)
MAX_COLUMNS = 200  # columns read (kit knows 13; the others are notes)
MAX_SHEET_LINES = 1_048_576  # lines of a sheet, blank ones included (a spreadsheet's own limit)
MAX_FILE_BYTES = 50_000_000  # size of the file itself (.csv or .xlsx)
MAX_XLSX_UNCOMPRESSED = 200_000_000  # size of an .xlsx workbook once unpacked (it is a zip archive)
MAX_XLSX_CELL_PARTS = 10_000  # pieces of one cell in the sheet's XML (formatted runs of text)
MAX_XLSX_ROW_CELLS = 16_384  # cells of one row in the sheet's XML, empty ones included (Excel's limit)
MAX_XLSX_CELLS = 3_000_000  # cells of the sheet's XML, empty ones included (50,000 rows of 14 hold 700,000)
MAX_XLSX_SHARED_STRINGS = 2_000_000  # distinct texts of a workbook (50,000 rows of 13 columns hold 650,000)

TIME_HINT = "Write it like 14:00, 14h or 14h30."
DATE_HINT = "Write it as 2026-03-12 or 12/03/2026."
ID_HINT = "Use letters, digits and hyphens, like lille-2026-03-12, or leave the cell empty and kit makes one."

_YES = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
_NO = {"non", "n", "no", "false", "faux", "0"}
_WINDOWS_RESERVED = {
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


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c))


def _key(text: str) -> str:
    """A name compared without case, accents, spaces or punctuation ('Type de lieu' == 'type_de_lieu')."""
    return re.sub(r"[^a-z0-9]", "", _strip_accents(text).lower())


_ALIASES = {_key(alias): canonical for canonical, aliases in COLUMNS.items() for alias in aliases}


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet program names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong (or worth knowing) about one cell: row as the spreadsheet shows it, column as written."""

    row: int
    column: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f'row {self.row}, column "{self.column}": {self.message}'
        return f"{text} {self.hint}" if self.hint else text

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
    _by_row: tuple = field(default=(None, None), init=False, repr=False, compare=False)

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
    text = _strip_accents(text).lower()
    text = re.sub(r"[^a-z0-9_-]+", "-", text)
    text = text.strip("-.")
    if len(text) > ID_MAX:
        text = text[:ID_MAX].rstrip("-.")
    return text


# --- Reading files ----------------------------------------------------------------------------


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
        return text, ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise SpreadsheetError(
            f'The event file {path} is not readable text. Save it as "CSV UTF-8" or as an .xlsx workbook.',
            path=path,
        ) from None


_BLANK: tuple = ()  # every blank line of a sheet, shared


class _CsvTrouble(Exception):
    """A CSV reading that went wrong on one line (kept until every separator has been tried)."""

    def __init__(self, line: int, huge: bool):
        super().__init__(line)
        self.line, self.huge = line, huge


def _too_many_lines(path: Path) -> SpreadsheetError:
    return SpreadsheetError(
        f"The event file {path} has more than {MAX_SHEET_LINES:,} lines, more than a spreadsheet holds. "
        "Check that it is the right file; keep only the events (at most "
        f"{MAX_ROWS:,} in one file).",
        path=path,
    )


def _too_many_events(path: Path) -> SpreadsheetError:
    return SpreadsheetError(
        f"The event file {path} has more than {MAX_ROWS:,} rows of events; kit reads at most {MAX_ROWS:,} events "
        "from one file. Split them into several files and run kit on each.",
        path=path,
    )


def _parse_csv(text: str, delimiter: str, path: Path) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise _CsvTrouble(reader.line_num, "field larger than field limit" in str(exc)) from None
        if len(row) > MAX_COLUMNS:  # keep one value from beyond, if any, for read_events to report
            beyond = next(
                (value for value in itertools.islice(row, MAX_COLUMNS, None) if value.strip()), None
            )
            row = row[:MAX_COLUMNS] + ([beyond] if beyond is not None else [])
        rows.append(row if any(row) else _BLANK)
        if len(rows) > MAX_SHEET_LINES:
            raise _too_many_lines(path)


def _check_quotes(text: str, delimiter: str, records: int, path: Path) -> None:
    """Refuse a quote opened and never closed: it silently swallows every row after it (the last record)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        try:
            next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise SpreadsheetError(
                    f'The event file {path} has a quote (") opened on row {records} and never closed, so the '
                    "rows after it cannot be read. Close the quote or remove it, then save the file again.",
                    path=path,
                ) from None
            # Other strictness errors (a quote inside a word) are read leniently elsewhere.


def _read_csv(data: bytes, path: Path) -> tuple[list[list[Any]], str, str]:
    text, encoding = _decode(data, path)
    forced = None
    first, _, rest = text.partition("\n")
    match = re.fullmatch(r'"?sep=(.)"?\r?', first.strip("\r"), re.IGNORECASE)
    if match:  # Excel's "sep=;" line: not a row the user sees
        forced, text = match.group(1), rest
    best: tuple | None = None
    huge: int | None = None
    for delimiter in [forced] if forced else [",", ";", "\t"]:
        try:
            rows = _parse_csv(text, delimiter, path)
        except _CsvTrouble as trouble:
            if trouble.huge:
                huge = trouble.line
            continue
        header = _find_header(rows)
        score = (header[1], len([c for c in rows[header[0]] if str(c).strip()]) if rows else 0)
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    if best is not None:
        _check_quotes(text, best[1], len(best[2]), path)
    if best is None and huge is not None:
        raise SpreadsheetError(
            f"The event file {path} has a cell of more than {csv.field_size_limit():,} characters on line {huge} "
            f'(a cell of an event needs at most {MAX_CELL_CHARS:,}). Check that line: a quote (") may be left '
            "open, or a long text pasted by mistake.",
            path=path,
        )
    if best is None:
        raise SpreadsheetError(
            f"The event file {path} is not a readable CSV file (a quote may be left open). "
            "Open it in a spreadsheet program and save it again as CSV or .xlsx.",
            path=path,
        )
    return best[2], encoding, best[1]


class _Formula:
    """A formula cell whose result was never saved (a file written by a program, not a spreadsheet)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return "=" + self.text if self.text else "a formula"


def _check_unpacked_size(path: Path) -> None:
    """An .xlsx is a zip archive: refuse one that unpacks to more than MAX_XLSX_UNCOMPRESSED before reading
    it (the sizes are those the archive declares; reading never goes past them)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SpreadsheetError(
            f"The event file {path} is not a readable .xlsx workbook ({exc}). "
            "Open it in a spreadsheet program and save it again as .xlsx or CSV.",
            path=path,
        ) from None
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        biggest = max(parts, key=lambda part: part.file_size)
        raise SpreadsheetError(
            f"The event file {path} unpacks to {total / 1e6:,.0f} MB ({biggest.filename} alone is "
            f"{biggest.file_size / 1e6:,.0f} MB); kit reads workbooks of at most "
            f"{MAX_XLSX_UNCOMPRESSED / 1e6:,.0f} MB once unpacked. Pictures, other sheets or a cell holding a "
            "huge text make a workbook this big: keep only the events sheet (or save it as CSV) and try again.",
            path=path,
        )


_TEXT_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _count_texts(archive, name: str) -> int:
    """How many shared texts (<si> entries) a workbook part holds, counted in its bytes (fast, little memory)."""
    count, tail = 0, b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            count += sum(1 for match in _TEXT_TAG.finditer(data) if match.end() > len(tail))
            tail = data[-64:]
            if count > MAX_XLSX_SHARED_STRINGS:
                break
    return count


def _read_xlsx(path: Path) -> tuple[list[Any], dt.date]:
    """The rows of the first sheet (values as saved), and the workbook's first day for date serial numbers.

    Read in read-only mode, cell by cell, within the bounds above; a formula without a saved result
    comes back as a _Formula, so that it is reported rather than read as an empty cell.
    """
    try:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.worksheet._reader import CELL_TAG, FORMULA_TAG, ROW_TAG, VALUE_TAG, WorkSheetParser
        from openpyxl.xml.constants import SHARED_STRINGS
        from openpyxl.xml.functions import iterparse
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise SpreadsheetError(
            f"Reading {path} needs openpyxl ({exc}); save the file as CSV instead.", path=path
        ) from exc
    _check_unpacked_size(path)
    import warnings

    class Reader(ExcelReader):
        """openpyxl's reader, counting the shared texts before it loads them, and leaving the sheets to us
        (its read-only sheet would first read the whole sheet once to learn its size)."""

        sheet: str | None = None

        def read_strings(self):
            part = self.package.find(SHARED_STRINGS)
            if (
                part is not None
                and _count_texts(self.archive, part.PartName.lstrip("/")) > MAX_XLSX_SHARED_STRINGS
            ):
                raise SpreadsheetError(
                    f"The event file {path} holds more than {MAX_XLSX_SHARED_STRINGS:,} different texts, far more "
                    f"than {MAX_ROWS:,} events need (kit reads no more). Keep only the events sheet (or save it as "
                    "CSV) and try again.",
                    path=path,
                )
            super().read_strings()

        def read_worksheets(self):
            for _sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    self.sheet = rel.target
                    return

    reader = None
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # openpyxl's notes on styles and extensions are not the user's business
        try:
            reader = Reader(path, read_only=True, data_only=True)
            reader.read()
            workbook = reader.wb
            epoch = workbook.epoch.date() if isinstance(workbook.epoch, dt.datetime) else workbook.epoch
            if reader.sheet is None:
                return [], epoch
            with reader.archive.open(reader.sheet) as source:
                parser = WorkSheetParser(
                    source,
                    reader.shared_strings,
                    data_only=True,
                    epoch=workbook.epoch,
                    date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats,
                )
                return _xlsx_rows(
                    path, source, parser, iterparse, CELL_TAG, ROW_TAG, VALUE_TAG, FORMULA_TAG
                ), epoch
        except SpreadsheetError:
            raise
        except (
            Exception
        ) as exc:  # zipfile.BadZipFile, KeyError, openpyxl's InvalidFileException, XML errors...
            raise SpreadsheetError(
                f"The event file {path} is not a readable .xlsx workbook ({exc}). "
                "Open it in a spreadsheet program and save it again as .xlsx or CSV.",
                path=path,
            ) from None
        finally:
            if reader is not None:
                reader.archive.close()


def _column_of(reference: str) -> int:
    """The column number of a cell reference: A1 -> 1, AB7 -> 28."""
    number = 0
    for letter in reference:
        if not letter.isalpha():
            break
        number = number * 26 + ord(letter.upper()) - 64
    return number


def _xlsx_rows(path, source, parser, iterparse, cell_tag, row_tag, value_tag, formula_tag) -> list[Any]:
    """Stream the sheet's XML: each cell is read, then dropped, so that memory follows the values kept."""
    rows: list = []
    filled = 0
    parents: list = []  # the elements open around the current one
    values: dict[int, Any] = {}
    in_cell = False
    parts = cells = lines = total = 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            parents.append(element)
            if element.tag == row_tag:
                number = element.get("r")
                parser.row_counter = int(float(number)) if number else parser.row_counter + 1
                parser.col_counter = 0
                values, cells = {}, 0
                lines += 1
                if lines > MAX_SHEET_LINES:
                    raise _too_many_lines(path)
            elif element.tag == cell_tag:
                in_cell, parts = True, 0
                cells += 1
                total += 1
                if total > MAX_XLSX_CELLS:
                    raise SpreadsheetError(
                        f"The event file {path} has more than {MAX_XLSX_CELLS:,} cells (empty formatted ones "
                        f"included), far more than {MAX_ROWS:,} events need. Delete the rows and columns after the "
                        "events (or save the sheet as CSV) and try again.",
                        path=path,
                    )
                if cells > MAX_XLSX_ROW_CELLS:
                    raise SpreadsheetError(
                        f"The event file {path} has more than {MAX_XLSX_ROW_CELLS:,} cells on row "
                        f"{parser.row_counter}, more than a spreadsheet holds. Open it in a spreadsheet program "
                        "and save it again as .xlsx or CSV.",
                        path=path,
                    )
            elif in_cell:  # a cell's value, formula and pieces of text
                parts += 1
                if parts > MAX_XLSX_CELL_PARTS:
                    raise SpreadsheetError(
                        f"The event file {path} has a cell made of more than {MAX_XLSX_CELL_PARTS:,} pieces of "
                        f"formatted text (row {parser.row_counter}). Open the file in a spreadsheet program, "
                        "clear the formatting of that cell and save it again.",
                        path=path,
                    )
            continue
        parents.pop()
        if element.tag == cell_tag and not len(element):  # no value, no formula: only a format
            in_cell = False
            parser.col_counter += 1
            if element.get("r"):
                parser.col_counter = _column_of(element.get("r"))
        elif element.tag == cell_tag:
            in_cell = False
            cell = parser.parse_cell(element)
            value = cell["value"]
            if (
                value is None
                and element.find(formula_tag) is not None
                and (element.find(value_tag) is None or element.get("t") not in ("str", "s"))
            ):
                # No saved result (an empty one is only a text result, t="str", written <v></v>).
                value = _Formula(element.findtext(formula_tag) or "")
            column = cell["column"]
            if value is not None and value != "":
                if column > MAX_COLUMNS:
                    from openpyxl.utils import get_column_letter

                    raise SpreadsheetError(
                        f"The event file {path} has a value in cell {get_column_letter(column)}{parser.row_counter}, "
                        f"beyond the first {MAX_COLUMNS} columns that kit reads. Move it into the columns of the "
                        "events or delete it, then save the file again.",
                        path=path,
                    )
                values[column] = value
        elif element.tag == row_tag:
            number = parser.row_counter
            if number > MAX_SHEET_LINES:
                raise _too_many_lines(path)
            if number > len(rows):  # rows out of order or repeated are skipped, as openpyxl does
                rows.extend([_BLANK] * (number - 1 - len(rows)))
                if values:
                    row = [None] * max(values)
                    for column, value in values.items():
                        row[column - 1] = value
                    rows.append(row)
                    filled += 1
                    if filled > MAX_ROWS + HEADER_SEARCH_ROWS:  # stop here: the rest need not be read
                        raise _too_many_events(path)
                else:
                    rows.append(_BLANK)
        if not in_cell and len(parents) >= 2:
            parents[-1].remove(element)  # read, or not needed: dropped (the tree never grows)
    return rows


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's date serial numbers (day 1 is 1900-01-01)


def _serial_date(value: Any, epoch: dt.date = _EXCEL_EPOCH) -> dt.date | None:
    """A date serial number (46093 is 2026-03-12 in Excel) as a date, when it is a plausible event date."""
    try:
        number = float(value)
        day = epoch + dt.timedelta(days=int(number))
    except (TypeError, ValueError, OverflowError):
        return None
    return day if number >= 0 and 2000 <= day.year <= 2100 else None


def _cell_text(value: Any, column: str | None = None, epoch: dt.date = _EXCEL_EPOCH) -> str:
    """A cell as text: numbers without '.0', date cells as 2026-03-12, time cells as 14:00."""
    if value is None or isinstance(value, _Formula):
        return ""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS]  # (read_events reports such a cell before it gets here)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if column in ("start_time", "end_time"):
        if isinstance(value, dt.datetime):
            return value.strftime("%H:%M")
        if isinstance(value, dt.time):
            return value.strftime("%H:%M")
        if isinstance(value, dt.timedelta):
            minutes = round(value.total_seconds() / 60)
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
        if isinstance(value, float) and 0 <= value < 1:  # a time stored as a fraction of a day
            minutes = round(value * 24 * 60)
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if column == "date" and isinstance(value, (int, float)) and _serial_date(value, epoch):
        return _serial_date(value, epoch).isoformat()  # a date cell formatted as a number
    if isinstance(value, dt.datetime):
        if column == "date" or value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip().strip("\ufeff\u200b").strip()


def _find_header(rows: list[list[Any]]) -> tuple[int, int]:
    """(index, number of recognised names) of the header: the best of the first non-blank rows."""
    best = (0, 0)
    seen = 0
    for index, row in enumerate(rows):
        texts = [_cell_text(c) for c in row]
        if not any(texts):
            continue
        recognised = len({_ALIASES[_key(t)] for t in texts if _key(t) in _ALIASES})
        if recognised > best[1]:
            best = (index, recognised)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def _load_rows(path: Path) -> tuple[list[list[Any]], str | None, str | None, dt.date]:
    if not path.exists():
        raise SpreadsheetError(f"The event file {path} does not exist.", path=path)
    if path.is_dir():
        raise SpreadsheetError(
            f"{path} is a folder, not an event file (give a .csv or .xlsx file).", path=path
        )
    if not path.is_file():
        raise SpreadsheetError(f"{path} is not an ordinary file (give a .csv or .xlsx file).", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SpreadsheetError(
                f"The event file {path} is {size / 1e6:,.0f} MB; kit reads event files of at most "
                f"{MAX_FILE_BYTES / 1e6:,.0f} MB (that is far more than {MAX_ROWS:,} events). Check that it is the "
                "right file, or split it into several files.",
                path=path,
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SpreadsheetError(f"The event file {path} cannot be read ({exc.strerror}).", path=path) from None
    if not data.strip():
        raise SpreadsheetError(f"The event file {path} is empty.", path=path)
    suffix = path.suffix.lower()
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        if suffix == ".ods":
            raise SpreadsheetError(
                f"{path} is an OpenDocument spreadsheet; save it as .xlsx or CSV.", path=path
            )
        del data
        rows, epoch = _read_xlsx(path)
        return rows, None, None, epoch
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            f"{path} is in the old Excel format (.xls); save it as .xlsx or CSV.", path=path
        )
    rows, encoding, delimiter = _read_csv(data, path)
    return rows, encoding, delimiter, _EXCEL_EPOCH


# --- Validation of one row --------------------------------------------------------------------


class _Row:
    """Collects the values and problems of one row."""

    def __init__(
        self,
        number: int,
        cells: dict[str, str],
        headers: dict[str, str],
        unreadable: dict[str, tuple[str, str]] | None = None,
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
            self.problem(name, message, hint)
            self.unreadable.add(name)

    def column(self, name: str) -> str:
        return self.headers.get(name, name)

    def problem(self, name: str, message: str, hint: str = "") -> None:
        if name not in self.unreadable:
            self.problems.append(RowProblem(self.number, self.column(name), message, hint))

    def warn(self, name: str, message: str, hint: str = "") -> None:
        self.warnings.append(RowProblem(self.number, self.column(name), message, hint))

    def text(self, name: str) -> str:
        value = self.cells.get(name, "")
        limit = FIELD_LIMITS.get(name)
        if limit and len(value) > limit:
            self.problem(
                name,
                f"this text is {len(value)} characters long; at most {limit} fit in its place "
                "on the documents.",
                "Shorten it (kit never cuts a text).",
            )
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
            self.problem(
                name,
                "this text contains an invisible control character.",
                "Type the text again, or copy it without the hidden character.",
            )
        elif hidden := hidden_characters(value):
            if name in CODE_FIELDS:  # an address or a number people type: it must be exactly what is printed
                self.problem(name, f'"{_shown(value)}" holds {describe_hidden(hidden)}.', HIDDEN_HINT)
            else:
                self.warn(
                    name,
                    f'"{_shown(value)}" holds {describe_hidden(hidden)}: it is not printed, yet it may '
                    "change how the text reads or breaks.",
                    HIDDEN_HINT,
                )
        return value


class VenueTypes:
    """The venue types a spreadsheet may name: each id and its aliases, compared without case, accents or spaces."""

    def __init__(self, venues: list[Venue]):
        self.venues = {venue.id: venue for venue in venues}
        self.names = {_key(name): venue.id for venue in venues for name in (venue.id, *venue.aliases)}

    def find(self, written: str) -> Venue | None:
        venue_id = self.names.get(_key(written))
        return self.venues.get(venue_id) if venue_id else None

    @property
    def hint(self) -> str:
        ids = list(self.venues)
        listed = ", ".join(ids[:-1]) + (" or " if len(ids) > 1 else "") + ids[-1]
        return f"Write {listed}."


def _venue_type(row: _Row, venues: VenueTypes) -> Venue | None:
    value = row.cells.get("venue_type", "")
    if not value:
        row.problem("venue_type", "the type of place is empty.", venues.hint)
        return None
    venue = venues.find(value)
    if venue is None:
        row.problem("venue_type", f'"{_shown(value)}" is not a type of place kit knows.', venues.hint)
        return None
    return venue


def _date(row: _Row) -> dt.date | None:
    value = row.cells.get("date", "")
    if not value:
        row.problem("date", "the date is empty.", DATE_HINT)
        return None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", value) and _serial_date(
        value
    ):  # 46093: a date cell shown as a number
        return _serial_date(value)
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
    row.problem("date", f'"{_shown(value)}" is not a date.', DATE_HINT)
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
    row.problem(name, f'"{_shown(value)}" is not a time.', TIME_HINT)
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
            f'"{_shown(value)}" is not a French postcode.',
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
            f'"{_shown(value)}" is neither a phone number nor an e-mail address.',
            "Write a French phone number like 01 23 45 67 89, or an e-mail address like accueil@mairie.fr.",
        )
        return None
    return value


def _languages(row: _Row, default_lang: str) -> tuple[str, ...] | None:
    value = row.cells.get("languages", "")
    if not value:
        return (default_lang,)
    codes: list[str] = []
    bad = []
    for code in re.split(r"[\s,;/+]+", value):
        if not code:
            continue
        code = code.lower()
        if not re.fullmatch(r"[a-z]{2}", code):
            bad.append(code)
        elif code not in codes:
            codes.append(code)
    if bad or not codes:
        shown = ", ".join(f'"{b}"' for b in bad) or f'"{_shown(value)}"'
        row.problem(
            "languages",
            f"{shown} {'is' if len(bad) <= 1 else 'are'} not "
            f"{'a two-letter language code' if len(bad) <= 1 else 'two-letter language codes'}.",
            "Write codes like fr or en, separated by commas: fr,en.",
        )
        return None
    return tuple(codes)


def _falc(row: _Row) -> bool | None:
    value = row.cells.get("falc", "")
    if not value:
        return True
    word = _key(value)
    if word in _YES:
        return True
    if word in _NO:
        return False
    row.problem("falc", f'"{_shown(value)}" is not yes or no.', "Write oui or non (yes or no also work).")
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
                f"{int(compact)} copies is more than kit prints for one event (at most {MAX_COPIES}).",
                hint,
            )
            return None
    row.problem("copies", f'"{_shown(value)}" is not a number of copies kit can use.', hint)
    return None


def _id(row: _Row, date: dt.date | None, venue_name: str) -> tuple[str | None, bool]:
    """(id, generated). The user's id made safe (with a warning when changed), or one made from date and place."""
    value = row.cells.get("id", "")
    if "id" in row.unreadable:
        return None, False  # unknown: neither compared with the others nor made up
    if value and (hidden := hidden_characters(value, controls=False)):  # control characters: cleaned below
        row.problem("id", f'the id "{_shown(value)}" holds {describe_hidden(hidden)}.', HIDDEN_HINT)
        return None, False
    if value:
        cleaned = safe_id(value)
        if not cleaned:
            row.problem(
                "id",
                f'the id "{_shown(value)}" has no letters or digits, so it cannot name a folder.',
                ID_HINT,
            )
            return None, False
        if cleaned in _WINDOWS_RESERVED:
            row.problem("id", f'the id "{cleaned}" cannot name a folder on Windows.', ID_HINT)
            return None, False
        if cleaned != value:
            row.warn(
                "id", f'the id "{_shown(value)}" was changed to "{cleaned}" so that it can name a folder.'
            )
        return cleaned, False
    if date is None:
        return None, True
    made = safe_id(f"{date.isoformat()}-{venue_name}")
    return made, True


def _shown(text: str) -> str:
    """Text quoted in a message: invisible characters written visibly (\\x00, [U+202E]), kept short."""
    shown = "".join(
        c
        if unicodedata.category(c)[0] != "C"
        else (repr(c)[1:-1] if unicodedata.category(c) == "Cc" else f"[U+{ord(c):04X}]")
        for c in text
    )
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _validate_row(row: _Row, venues: VenueTypes, default_lang: str) -> tuple[dict[str, Any] | None, bool]:
    venue = _venue_type(row, venues)
    venue_name = row.text("venue_name")
    if not venue_name:
        row.problem(
            "venue_name",
            "the name of the place is empty.",
            'Write the name people know it by, like "Mairie de Lille".',
        )
    address = row.text("address") or None
    postcode = _postcode(row)
    city = row.text("city") or None
    date = _date(row)
    start, start_written = _time(row, "start_time")
    end, end_written = _time(row, "end_time")
    if start and end and end <= start:
        row.problem(
            "end_time",
            f"the end time {end:%H:%M} is not after the start time {start:%H:%M}.",
            "Check both times: the event must end after it starts.",
        )
    if end and not start_written:
        row.problem("start_time", f"there is an end time ({end:%H:%M}) but no start time.", TIME_HINT)
    if venue is not None and venue.times:  # its documents print when the event starts and ends
        if not start_written:
            row.problem("start_time", f"{venue.name or venue.id} needs a start time.", TIME_HINT)
        if not end_written:
            row.problem("end_time", f"{venue.name or venue.id} needs an end time.", TIME_HINT)
    contact = _contact(row)
    languages = _languages(row, default_lang)
    falc = _falc(row)
    copies = _copies(row)
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
        "fields": dict(row.cells),
    }
    return values, generated


# --- The whole sheet --------------------------------------------------------------------------


def read_events(
    path: str | Path, *, venues: list[Venue] | None = None, default_lang: str = "fr"
) -> EventSheet:
    """Read and validate every row of an event spreadsheet (.csv or .xlsx).

    Returns the valid events and every problem of every row (rows with a problem are not in
    ``events``). Raises SpreadsheetError when the file itself is unusable: missing, unreadable, beyond
    the bounds above (MAX_ROWS, MAX_XLSX_UNCOMPRESSED...), no recognised header, a required column
    (venue_type, venue_name, date) absent, or no event row under the header. ``venues`` are the venue
    types of the knowledge base (the built-in ones when None); a row without languages is in ``default_lang``.
    """
    path = Path(path)
    rows, encoding, delimiter, epoch = _load_rows(path)
    header_index, recognised = _find_header(rows)
    first = [_cell_text(c) for c in (rows[header_index] if rows else [])]
    shown = ", ".join(t for t in first if t) or "(nothing)"
    if not recognised:
        raise SpreadsheetError(
            f"The event file {path} has no header row kit recognises (its first row is: {shown}). "
            "The first row must name the columns, at least: venue_type (type de lieu), venue_name (nom du lieu), "
            "date.",
            path=path,
            missing=list(REQUIRED_COLUMNS),
            found=[t for t in first if t],
        )

    header_row = header_index + 1
    sheet = EventSheet(path=path, encoding=encoding, delimiter=delimiter, header_row=header_row)
    venue_types = VenueTypes(venues if venues is not None else builtin_venues())
    by_index: dict[int, str] = {}
    unnamed: list[int] = []
    for index, name in enumerate(first):
        if not name:
            unnamed.append(index)
            continue
        canonical = _ALIASES.get(_key(name))
        if canonical is None:
            sheet.warnings.append(
                RowProblem(
                    header_row,
                    name,
                    "kit does not know this column, so it was ignored.",
                    "Known columns: " + ", ".join(COLUMNS) + ".",
                )
            )
            continue
        if canonical in sheet.columns:
            raise SpreadsheetError(
                f'The event file {path} has two columns for {canonical}: "{sheet.columns[canonical]}" and '
                f'"{name}". Keep only one of them.',
                path=path,
                found=[t for t in first if t],
            )
        sheet.columns[canonical] = name
        by_index[index] = canonical
    missing = [c for c in REQUIRED_COLUMNS if c not in sheet.columns]
    if missing:
        names = " and ".join(
            f"{c} ({COLUMNS[c][1].replace('_', ' ')})" if len(COLUMNS[c]) > 1 else c for c in missing
        )
        raise SpreadsheetError(
            f"The event file {path} has no column for {names}. Columns found: {shown}. "
            f"Add the missing column{'s' if len(missing) > 1 else ''} to the header row (row {header_row}).",
            path=path,
            missing=missing,
            found=[t for t in first if t],
        )

    candidates: list[tuple[_Row, dict[str, Any], bool]] = []
    ignored_columns: set[int] = set()
    for index in range(header_index + 1, len(rows)):
        raw = rows[index]
        if not raw:
            continue
        number = index + 1
        cells: dict[str, str] = {}
        unreadable: dict[str, tuple[str, str]] = {}
        if len(raw) > MAX_COLUMNS:
            if any(_cell_text(value) for value in raw[MAX_COLUMNS:]):
                raise SpreadsheetError(
                    f"The event file {path} has a value in column {_column_letter(MAX_COLUMNS)} or further on row "
                    f"{number}, beyond the first {MAX_COLUMNS} columns that kit reads. Move it into the columns "
                    "of the events or delete it, then save the file again.",
                    path=path,
                )
            raw = raw[:MAX_COLUMNS]
        for position, value in enumerate(raw):
            canonical = by_index.get(position)
            if isinstance(value, _Formula):
                text = str(value)
                if canonical is not None:
                    unreadable[canonical] = (
                        f"this cell holds a formula ({_shown(text)}) whose result was never saved, so kit cannot "
                        "know its value.",
                        "Open the file in a spreadsheet program (Excel, LibreOffice Calc) and save it again: "
                        "that saves the results of the formulas.",
                    )
            elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                text = value[:MAX_CELL_CHARS]
                if canonical is not None:
                    unreadable[canonical] = (
                        f"this cell holds {len(value):,} characters, far more than any column needs (kit reads at "
                        f"most {MAX_CELL_CHARS:,} in a cell).",
                        "Check the cell: a long text may have been pasted into it by mistake.",
                    )
            else:
                text = _cell_text(value, canonical, epoch)
            if canonical in unreadable:
                cells[canonical] = ""
            elif canonical is not None:
                cells[canonical] = text
            elif text and (position >= len(first) or position in unnamed) and position not in ignored_columns:
                ignored_columns.add(position)
                sheet.warnings.append(
                    RowProblem(
                        number,
                        f"column {_column_letter(position)}",
                        "this cell is in a column without a name in the header row, so it was ignored.",
                        "Give the column a name in the header row, or move the value into the right column.",
                    )
                )
        if not any(cells.values()) and not unreadable:
            continue  # a blank line (or only notes in unknown columns): not an event
        if len(candidates) >= MAX_ROWS:
            raise _too_many_events(path)
        for canonical in sheet.columns:
            cells.setdefault(canonical, "")
        row = _Row(number, cells, sheet.columns, unreadable)
        values, generated = _validate_row(row, venue_types, default_lang)
        sheet.problems.extend(row.problems)
        sheet.warnings.extend(row.warnings)
        candidates.append((row, values, generated))
    if not candidates:
        raise SpreadsheetError(
            f"The event file {path} has a header row (row {header_row}) but no event under it. Write one event "
            "per row under the header (a type of place, a place name and a date at least), save the file and "
            "try again.",
            path=path,
            found=[t for t in first if t],
        )

    # Two rows with the same id: both are reported, neither is built.
    by_id: dict[str, list[tuple[_Row, bool]]] = {}
    for row, values, generated in candidates:
        if values["id"]:
            by_id.setdefault(values["id"], []).append((row, generated))
    duplicated: set[int] = set()
    for event_id, owners in by_id.items():
        if len(owners) < 2:
            continue
        first_four = [r.number for r, _ in owners[:4]]
        for row, generated in owners:
            # At most three rows named, then a count: a message per row, not a list of every other row.
            named = [n for n in first_four if n != row.number][:3]
            more = len(owners) - 1 - len(named)
            others = (
                ", ".join(map(str, named))
                if not more
                else (f"{', '.join(map(str, named))} and {more:,} other{'s' if more > 1 else ''}")
            )
            plural = "s" if len(owners) > 2 else ""
            if generated:
                message = (
                    f'the id "{event_id}" made from the date and the place is also the id of row{plural} '
                    f"{others}."
                )
                hint = "Add an id column and give each event its own id."
            else:
                message = f'the id "{event_id}" is also used on row{plural} {others}.'
                hint = "Give each event its own id."
            sheet.problems.append(RowProblem(row.number, row.column("id"), message, hint))
            duplicated.add(row.number)

    for row, values, _ in candidates:
        if row.problems or row.number in duplicated:
            continue
        sheet.events.append(Event(**values))
    sheet.problems.sort(key=lambda p: p.row)
    sheet.warnings.sort(key=lambda p: p.row)
    return sheet
