"""Bounded reading of a table (CSV or .xlsx, as people really save it), from a path or from the bytes of an upload.

Not specific to events: it finds the encoding (UTF-8 with or without BOM, UTF-16, Windows-1252), the separator
(``,``, ``;``, tab, Excel's ``sep=`` line), the header row (the best of the first rows, by the names the caller
recognises), keeps formulas whose result was never saved as ``Formula`` (so that they are reported, not read as
empty), turns date and time cells into text, and refuses hostile or damaged files within the bounds below, each
with a message naming the file and what to do (SpreadsheetError). kit.events reads event spreadsheets with it;
an importer of feedback answers can too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import SpreadsheetError

__all__ = [
    "BLANK",
    "EXCEL_EPOCH",
    "Formula",
    "Table",
    "TableKind",
    "cell_text",
    "column_letter",
    "find_header",
    "read_table",
    "serial_date",
    "too_many_rows",
]

# Bounds on what one file may hold: far above real use (a national campaign may list 20,000 places), they keep
# a damaged or hostile file from taking minutes or gigabytes. Read when a file is read (tests lower them).
HEADER_SEARCH_ROWS = 10  # the header may sit under a title row or two
MAX_ROWS = 50_000  # rows of data (non-blank rows under the header)
MAX_CELL_CHARS = 2_000  # characters in one cell (the longest event column holds 120)
MAX_COLUMNS = 200  # columns read (an event sheet has 13; the others are notes)
MAX_SHEET_LINES = 1_048_576  # lines of a sheet, blank ones included (a spreadsheet's own limit)
MAX_FILE_BYTES = 50_000_000  # size of the file itself (.csv or .xlsx)
MAX_XLSX_UNCOMPRESSED = 200_000_000  # size of an .xlsx workbook once unpacked (it is a zip archive)
MAX_XLSX_CELL_PARTS = 10_000  # pieces of one cell in the sheet's XML (formatted runs of text)
MAX_XLSX_ROW_CELLS = 16_384  # cells of one row in the sheet's XML, empty ones included (Excel's limit)
MAX_XLSX_CELLS = 3_000_000  # cells of the sheet's XML, empty ones included (50,000 rows of 14 hold 700,000)
MAX_XLSX_SHARED_STRINGS = 2_000_000  # distinct texts of a workbook (50,000 rows of 13 columns hold 650,000)


def _nothing(name: str) -> str | None:
    return None


@dataclass(frozen=True)
class TableKind:
    """What a table holds: the words its messages use, and the header names it recognises."""

    file: str = "file"  # "The event file events.csv is empty."
    rows: str = "rows"  # "more than 50,000 rows of events"
    recognise: Callable[[str], str | None] = _nothing  # a header text -> the column it names, or None


@dataclass
class Table:
    """The rows of a table as saved (values of any type; blank lines are ``BLANK``) and how it was read."""

    path: Path  # the file, or the name given to the bytes of an upload
    rows: list[list[Any]]
    encoding: str | None  # "utf-8", "utf-8-sig", "cp1252", "utf-16"; None for .xlsx
    delimiter: str | None  # ",", ";" or "\t"; None for .xlsx
    epoch: dt.date  # day 0 of the workbook's date serial numbers
    header: int  # index of the header row in ``rows`` (0 for a table without one)
    recognised: int  # how many names of the header row the kind recognises

    @property
    def header_texts(self) -> list[str]:
        """The header row's cells as text."""
        return [cell_text(c) for c in (self.rows[self.header] if self.rows else [])]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet program names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _decode(data: bytes, path: Path, kind: TableKind) -> tuple[str, str]:
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
            f'The {kind.file} {path} is not readable text. Save it as "CSV UTF-8" or as an .xlsx workbook.',
            path=path,
        ) from None


BLANK: tuple = ()  # every blank line of a sheet, shared


class _CsvTrouble(Exception):
    """A CSV reading that went wrong on one line (kept until every separator has been tried)."""

    def __init__(self, line: int, huge: bool):
        super().__init__(line)
        self.line, self.huge = line, huge


def _too_many_lines(path: Path, kind: TableKind) -> SpreadsheetError:
    return SpreadsheetError(
        f"The {kind.file} {path} has more than {MAX_SHEET_LINES:,} lines, more than a spreadsheet holds. "
        f"Check that it is the right file; keep only the {kind.rows} (at most "
        f"{MAX_ROWS:,} in one file).",
        path=path,
    )


def too_many_rows(path: Path, kind: TableKind) -> SpreadsheetError:
    """The error for a table with more than MAX_ROWS rows of data."""
    return SpreadsheetError(
        f"The {kind.file} {path} has more than {MAX_ROWS:,} rows of {kind.rows}; kit reads at most {MAX_ROWS:,} "
        f"{kind.rows} from one file. Split them into several files and run kit on each.",
        path=path,
    )


def _parse_csv(text: str, delimiter: str, path: Path, kind: TableKind) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise _CsvTrouble(reader.line_num, "field larger than field limit" in str(exc)) from None
        if len(row) > MAX_COLUMNS:  # keep one value from beyond, if any, for the caller to report
            beyond = next(
                (value for value in itertools.islice(row, MAX_COLUMNS, None) if value.strip()), None
            )
            row = row[:MAX_COLUMNS] + ([beyond] if beyond is not None else [])
        rows.append(row if any(row) else BLANK)
        if len(rows) > MAX_SHEET_LINES:
            raise _too_many_lines(path, kind)


def _check_quotes(text: str, delimiter: str, records: int, path: Path, kind: TableKind) -> None:
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
                    f'The {kind.file} {path} has a quote (") opened on row {records} and never closed, so the '
                    "rows after it cannot be read. Close the quote or remove it, then save the file again.",
                    path=path,
                ) from None
            # Other strictness errors (a quote inside a word) are read leniently elsewhere.


def _read_csv(data: bytes, path: Path, kind: TableKind) -> tuple[list[list[Any]], str, str]:
    text, encoding = _decode(data, path, kind)
    forced = None
    first, _, rest = text.partition("\n")
    match = re.fullmatch(r'"?sep=(.)"?\r?', first.strip("\r"), re.IGNORECASE)
    if match:  # Excel's "sep=;" line: not a row the user sees
        forced, text = match.group(1), rest
    best: tuple | None = None
    huge: int | None = None
    for delimiter in [forced] if forced else [",", ";", "\t"]:
        try:
            rows = _parse_csv(text, delimiter, path, kind)
        except _CsvTrouble as trouble:
            if trouble.huge:
                huge = trouble.line
            continue
        header = find_header(rows, kind)
        score = (header[1], len([c for c in rows[header[0]] if str(c).strip()]) if rows else 0)
        if best is None or score > best[0]:
            best = (score, delimiter, rows)
    if best is not None:
        _check_quotes(text, best[1], len(best[2]), path, kind)
    if best is None and huge is not None:
        raise SpreadsheetError(
            f"The {kind.file} {path} has a cell of more than {csv.field_size_limit():,} characters on line {huge} "
            f'(a cell needs at most {MAX_CELL_CHARS:,}). Check that line: a quote (") may be left '
            "open, or a long text pasted by mistake.",
            path=path,
        )
    if best is None:
        raise SpreadsheetError(
            f"The {kind.file} {path} is not a readable CSV file (a quote may be left open). "
            "Open it in a spreadsheet program and save it again as CSV or .xlsx.",
            path=path,
        )
    return best[2], encoding, best[1]


class Formula:
    """A formula cell whose result was never saved (a file written by a program, not a spreadsheet)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return "=" + self.text if self.text else "a formula"


def _check_unpacked_size(source: Path | BinaryIO, path: Path, kind: TableKind) -> None:
    """An .xlsx is a zip archive: refuse one that unpacks to more than MAX_XLSX_UNCOMPRESSED before reading
    it (the sizes are those the archive declares; reading never goes past them)."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SpreadsheetError(
            f"The {kind.file} {path} is not a readable .xlsx workbook ({exc}). "
            "Open it in a spreadsheet program and save it again as .xlsx or CSV.",
            path=path,
        ) from None
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        biggest = max(parts, key=lambda part: part.file_size)
        raise SpreadsheetError(
            f"The {kind.file} {path} unpacks to {total / 1e6:,.0f} MB ({biggest.filename} alone is "
            f"{biggest.file_size / 1e6:,.0f} MB); kit reads workbooks of at most "
            f"{MAX_XLSX_UNCOMPRESSED / 1e6:,.0f} MB once unpacked. Pictures, other sheets or a cell holding a "
            f"huge text make a workbook this big: keep only the sheet of {kind.rows} (or save it as CSV) and try again.",
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


def _read_xlsx(source: Path | BinaryIO, path: Path, kind: TableKind) -> tuple[list[Any], dt.date]:
    """The rows of the first sheet (values as saved), and the workbook's first day for date serial numbers.

    Read in read-only mode, cell by cell, within the bounds above; a formula without a saved result
    comes back as a Formula, so that it is reported rather than read as an empty cell.
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
    _check_unpacked_size(source, path, kind)
    if not isinstance(source, Path):
        source.seek(0)
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
                    f"The {kind.file} {path} holds more than {MAX_XLSX_SHARED_STRINGS:,} different texts, far more "
                    f"than {MAX_ROWS:,} {kind.rows} need (kit reads no more). Keep only the sheet of {kind.rows} (or "
                    "save it as CSV) and try again.",
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
            reader = Reader(source, read_only=True, data_only=True)
            reader.read()
            workbook = reader.wb
            epoch = workbook.epoch.date() if isinstance(workbook.epoch, dt.datetime) else workbook.epoch
            if reader.sheet is None:
                return [], epoch
            with reader.archive.open(reader.sheet) as stream:
                parser = WorkSheetParser(
                    stream,
                    reader.shared_strings,
                    data_only=True,
                    epoch=workbook.epoch,
                    date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats,
                )
                tags = (CELL_TAG, ROW_TAG, VALUE_TAG, FORMULA_TAG)
                return _xlsx_rows(_Sheet(path, kind, stream, parser, iterparse, *tags)), epoch
        except SpreadsheetError:
            raise
        except (
            Exception
        ) as exc:  # zipfile.BadZipFile, KeyError, openpyxl's InvalidFileException, XML errors...
            raise SpreadsheetError(
                f"The {kind.file} {path} is not a readable .xlsx workbook ({exc}). "
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


class _Sheet:
    """A sheet's XML read as a stream within the bounds: each cell is read, then dropped, so that memory follows
    the values kept."""

    def __init__(self, path, kind, source, parser, iterparse, cell_tag, row_tag, value_tag, formula_tag):
        self.path, self.kind, self.source, self.parser, self.iterparse = path, kind, source, parser, iterparse
        self.cell_tag, self.row_tag, self.value_tag, self.formula_tag = (
            cell_tag,
            row_tag,
            value_tag,
            formula_tag,
        )
        self.rows: list = []
        self.values: dict[int, Any] = {}
        self.in_cell = False
        self.filled = self.parts = self.cells = self.lines = self.total = 0

    def _refuse(self, message: str) -> SpreadsheetError:
        return SpreadsheetError(f"The {self.kind.file} {self.path} {message}", path=self.path)

    def start(self, element) -> None:
        parser = self.parser
        if element.tag == self.row_tag:
            number = element.get("r")
            parser.row_counter = int(float(number)) if number else parser.row_counter + 1
            parser.col_counter = 0
            self.values, self.cells = {}, 0
            self.lines += 1
            if self.lines > MAX_SHEET_LINES:
                raise _too_many_lines(self.path, self.kind)
        elif element.tag == self.cell_tag:
            self.in_cell, self.parts = True, 0
            self.cells += 1
            self.total += 1
            if self.total > MAX_XLSX_CELLS:
                raise self._refuse(
                    f"has more than {MAX_XLSX_CELLS:,} cells (empty formatted ones included), far more than "
                    f"{MAX_ROWS:,} {self.kind.rows} need. Delete the rows and columns after the {self.kind.rows} "
                    "(or save the sheet as CSV) and try again."
                )
            if self.cells > MAX_XLSX_ROW_CELLS:
                raise self._refuse(
                    f"has more than {MAX_XLSX_ROW_CELLS:,} cells on row {parser.row_counter}, more than a "
                    "spreadsheet holds. Open it in a spreadsheet program and save it again as .xlsx or CSV."
                )
        elif self.in_cell:  # a cell's value, formula and pieces of text
            self.parts += 1
            if self.parts > MAX_XLSX_CELL_PARTS:
                raise self._refuse(
                    f"has a cell made of more than {MAX_XLSX_CELL_PARTS:,} pieces of formatted text (row "
                    f"{parser.row_counter}). Open the file in a spreadsheet program, clear the formatting of that "
                    "cell and save it again."
                )

    def cell(self, element) -> None:
        parser = self.parser
        self.in_cell = False
        if not len(element):  # no value, no formula: only a format
            parser.col_counter += 1
            if element.get("r"):
                parser.col_counter = _column_of(element.get("r"))
            return
        cell = parser.parse_cell(element)
        value = cell["value"]
        if (
            value is None
            and element.find(self.formula_tag) is not None
            and (element.find(self.value_tag) is None or element.get("t") not in ("str", "s"))
        ):
            # No saved result (an empty one is only a text result, t="str", written <v></v>).
            value = Formula(element.findtext(self.formula_tag) or "")
        column = cell["column"]
        if value is not None and value != "":
            if column > MAX_COLUMNS:
                raise self._refuse(
                    f"has a value in cell {column_letter(column - 1)}{parser.row_counter}, beyond the first "
                    f"{MAX_COLUMNS} columns that kit reads. Move it into the columns of the {self.kind.rows} or "
                    "delete it, then save the file again."
                )
            self.values[column] = value

    def row(self) -> None:
        number, rows = self.parser.row_counter, self.rows
        if number > MAX_SHEET_LINES:
            raise _too_many_lines(self.path, self.kind)
        if number <= len(rows):  # rows out of order or repeated are skipped, as openpyxl does
            return
        rows.extend([BLANK] * (number - 1 - len(rows)))
        if not self.values:
            rows.append(BLANK)
            return
        row = [None] * max(self.values)
        for column, value in self.values.items():
            row[column - 1] = value
        rows.append(row)
        self.filled += 1
        if self.filled > MAX_ROWS + HEADER_SEARCH_ROWS:  # stop here: the rest need not be read
            raise too_many_rows(self.path, self.kind)


def _xlsx_rows(sheet: _Sheet) -> list[Any]:
    """The rows of a sheet, streamed (see _Sheet)."""
    parents: list = []  # the elements open around the current one
    for event, element in sheet.iterparse(sheet.source, events=("start", "end")):
        if event == "start":
            parents.append(element)
            sheet.start(element)
            continue
        parents.pop()
        if element.tag == sheet.cell_tag:
            sheet.cell(element)
        elif element.tag == sheet.row_tag:
            sheet.row()
        if not sheet.in_cell and len(parents) >= 2:
            parents[-1].remove(element)  # read, or not needed: dropped (the tree never grows)
    return sheet.rows


EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's date serial numbers (day 1 is 1900-01-01)


def serial_date(value: Any, epoch: dt.date = EXCEL_EPOCH) -> dt.date | None:
    """A date serial number (46093 is 2026-03-12 in Excel) as a date, when it is a plausible date (2000-2100)."""
    try:
        number = float(value)
        day = epoch + dt.timedelta(days=int(number))
    except (TypeError, ValueError, OverflowError):
        return None
    return day if number >= 0 and 2000 <= day.year <= 2100 else None


def cell_text(value: Any, kind: str | None = None, epoch: dt.date = EXCEL_EPOCH) -> str:
    """A cell as text: numbers without '.0', date cells as 2026-03-12, time cells as 14:00. ``kind`` says what
    the column holds: "date", "time" or anything else (None)."""
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS]  # (the caller reports such a cell before it gets here)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if kind == "time":
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
    if kind == "date" and isinstance(value, (int, float)) and serial_date(value, epoch):
        return serial_date(value, epoch).isoformat()  # a date cell formatted as a number
    if isinstance(value, dt.datetime):
        if kind == "date" or value.time() == dt.time(0):
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


def find_header(rows: list[list[Any]], kind: TableKind) -> tuple[int, int]:
    """(index, number of names ``kind`` recognises) of the header: the best of the first non-blank rows."""
    best = (0, 0)
    seen = 0
    for index, row in enumerate(rows):
        texts = [cell_text(c) for c in row]
        if not any(texts):
            continue
        recognised = len({kind.recognise(t) for t in texts} - {None})
        if recognised > best[1]:
            best = (index, recognised)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best


def _read_bytes(path: Path, kind: TableKind) -> bytes:
    """The bytes of a file, within MAX_FILE_BYTES."""
    if not path.exists():
        raise SpreadsheetError(f"The {kind.file} {path} does not exist.", path=path)
    if path.is_dir():
        raise SpreadsheetError(
            f"{path} is a folder, not an {kind.file} (give a .csv or .xlsx file).", path=path
        )
    if not path.is_file():
        raise SpreadsheetError(f"{path} is not an ordinary file (give a .csv or .xlsx file).", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_big(path, kind, size)
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SpreadsheetError(
            f"The {kind.file} {path} cannot be read ({exc.strerror}).", path=path
        ) from None


def _too_big(path: Path, kind: TableKind, size: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"The {kind.file} {path} is {size / 1e6:,.0f} MB; kit reads {kind.file}s of at most "
        f"{MAX_FILE_BYTES / 1e6:,.0f} MB (that is far more than {MAX_ROWS:,} {kind.rows}). Check that it is the "
        "right file, or split it into several files.",
        path=path,
    )


def read_table(source: str | Path | bytes, kind: TableKind, *, name: str | Path | None = None) -> Table:
    """Read a table from a .csv or .xlsx file, given as a path or as its bytes (an upload: ``name`` is then the
    name messages give it). Raises SpreadsheetError, naming the file, when it is unusable: missing, unreadable,
    not a table, or beyond the bounds above."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        path = Path(name) if name is not None else Path("upload")
        data = bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise _too_big(path, kind, len(data))
        opened: Path | BinaryIO = io.BytesIO(data)
    else:
        path = Path(source)
        data = _read_bytes(path, kind)
        opened = path
    if not data.strip():
        raise SpreadsheetError(f"The {kind.file} {path} is empty.", path=path)
    suffix = path.suffix.lower()
    encoding = delimiter = None
    epoch = EXCEL_EPOCH
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        if suffix == ".ods":
            raise SpreadsheetError(
                f"{path} is an OpenDocument spreadsheet; save it as .xlsx or CSV.", path=path
            )
        del data  # a path is read again by the workbook reader; the bytes of an upload stay in ``opened``
        rows, epoch = _read_xlsx(opened, path, kind)
    elif suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            f"{path} is in the old Excel format (.xls); save it as .xlsx or CSV.", path=path
        )
    else:
        rows, encoding, delimiter = _read_csv(data, path, kind)
    header, recognised = find_header(rows, kind)
    return Table(path, rows, encoding, delimiter, epoch, header, recognised)
