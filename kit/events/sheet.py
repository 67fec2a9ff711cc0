"""Read an organiser's event spreadsheet (a path, or the bytes of an upload) into validated events: the bounded
reading is kit.tabular's, each row is checked by kit.events.rows.validate_row, and the sheet adds what only a
whole sheet shows (its header, ids used twice)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from .. import tabular
from ..content import Venue, builtin_venues
from ..errors import SpreadsheetError
from ..tabular import Formula, Table, TableKind, cell_text, column_letter, read_table, too_many_rows
from .model import COLUMNS, REQUIRED_COLUMNS, EventSheet, RowProblem, column_of, shown
from .rows import TIME_COLUMNS, RowResult, VenueTypes, validate_row

EVENT_TABLE = TableKind(file="event file", rows="events", recognise=column_of)


def _cell_kind(canonical: str | None) -> str | None:
    return "time" if canonical in TIME_COLUMNS else "date" if canonical == "date" else None


def read_events(
    source: str | Path | bytes,
    *,
    name: str | Path | None = None,
    venues: list[Venue] | None = None,
    languages: Collection[str] | None = None,
    default_lang: str = "fr",
) -> EventSheet:
    """Read and validate every row of an event spreadsheet (.csv or .xlsx), given as a path or as its bytes
    (an upload: ``name`` is the name messages give it).

    Returns the valid events and every problem of every row, all of a row's at once (rows with a problem are
    not in ``events``). Raises SpreadsheetError when the file itself is unusable: missing, unreadable, beyond
    the bounds of kit.tabular (MAX_ROWS, MAX_XLSX_UNCOMPRESSED...), no recognised header, a required column
    (venue_type, venue_name, date) absent, or no event row under the header. ``venues`` are the venue
    types of the knowledge base (the built-in ones when None); ``languages`` the languages its content has (a
    row asking for another fails; None: any two-letter code); a row without languages is in ``default_lang``.
    """
    table = read_table(source, EVENT_TABLE, name=name)
    path = table.path
    sheet = EventSheet(
        path=path, encoding=table.encoding, delimiter=table.delimiter, header_row=table.header + 1
    )
    by_index, unnamed = _header(table, sheet)
    venue_types = VenueTypes(venues if venues is not None else builtin_venues())
    results: list[RowResult] = []
    ignored: set[int] = set()
    for index in range(table.header + 1, len(table.rows)):
        raw = table.rows[index]
        if not raw:
            continue
        number = index + 1
        cells, unreadable = _cells(table, raw, number, by_index, unnamed, ignored, sheet)
        if not any(cells.values()) and not unreadable:
            continue  # a blank line (or only notes in unknown columns): not an event
        if len(results) >= tabular.MAX_ROWS:
            raise too_many_rows(path, EVENT_TABLE)
        for canonical in sheet.columns:
            cells.setdefault(canonical, "")
        result = validate_row(
            cells,
            venues=venue_types,
            languages=languages,
            default_lang=default_lang,
            row=number,
            headers=sheet.columns,
            unreadable=unreadable,
        )
        sheet.problems.extend(result.problems)
        sheet.warnings.extend(result.warnings)
        results.append(result)
    if not results:
        raise SpreadsheetError(
            f"The event file {path} has a header row (row {sheet.header_row}) but no event under it. Write one "
            "event per row under the header (a type of place, a place name and a date at least), save the file "
            "and try again.",
            path=path,
            found=[t for t in table.header_texts if t],
        )
    duplicated = _duplicates(results, sheet)
    for result in results:
        if result.id:
            sheet.ids[result.row] = result.id
        if result.event is not None and result.row not in duplicated:
            sheet.events.append(result.event)
    sheet.problems.sort(key=lambda p: p.row)
    sheet.warnings.sort(key=lambda p: p.row)
    return sheet


def _header(table: Table, sheet: EventSheet) -> tuple[dict[int, str], list[int]]:
    """The columns the header names (position -> canonical name, and sheet.columns), and the positions of
    unnamed ones; SpreadsheetError when there is no header, a column twice, or a required column missing."""
    path, first = table.path, table.header_texts
    listed = ", ".join(t for t in first if t) or "(nothing)"
    found = [t for t in first if t]
    if not table.recognised:
        raise SpreadsheetError(
            f"The event file {path} has no header row kit recognises (its first row is: {listed}). "
            "The first row must name the columns, at least: venue_type (type de lieu), venue_name (nom du lieu), "
            "date.",
            path=path,
            missing=list(REQUIRED_COLUMNS),
            found=found,
        )
    by_index: dict[int, str] = {}
    unnamed: list[int] = []
    for index, name in enumerate(first):
        if not name:
            unnamed.append(index)
            continue
        canonical = column_of(name)
        if canonical is None:
            sheet.warnings.append(
                RowProblem(
                    sheet.header_row,
                    name,
                    "kit does not know this column, so it was ignored.",
                    "Known columns: " + ", ".join(COLUMNS) + ".",
                    code="unknown-column",
                )
            )
            continue
        if canonical in sheet.columns:
            raise SpreadsheetError(
                f'The event file {path} has two columns for {canonical}: "{sheet.columns[canonical]}" and '
                f'"{name}". Keep only one of them.',
                path=path,
                found=found,
            )
        sheet.columns[canonical] = name
        by_index[index] = canonical
    missing = [c for c in REQUIRED_COLUMNS if c not in sheet.columns]
    if missing:
        names = " and ".join(
            f"{c} ({COLUMNS[c][1].replace('_', ' ')})" if len(COLUMNS[c]) > 1 else c for c in missing
        )
        raise SpreadsheetError(
            f"The event file {path} has no column for {names}. Columns found: {listed}. "
            f"Add the missing column{'s' if len(missing) > 1 else ''} to the header row (row {sheet.header_row}).",
            path=path,
            missing=missing,
            found=found,
        )
    return by_index, unnamed


def _cells(
    table: Table,
    raw: list[Any],
    number: int,
    by_index: dict[int, str],
    unnamed: list[int],
    ignored: set[int],
    sheet: EventSheet,
) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """One row's cells as text by canonical name, and the cells kit cannot read (message, hint)."""
    max_columns, max_chars = tabular.MAX_COLUMNS, tabular.MAX_CELL_CHARS
    if len(raw) > max_columns:
        if any(cell_text(value) for value in raw[max_columns:]):
            raise SpreadsheetError(
                f"The event file {table.path} has a value in column {column_letter(max_columns)} or further on "
                f"row {number}, beyond the first {max_columns} columns that kit reads. Move it into the columns "
                "of the events or delete it, then save the file again.",
                path=table.path,
            )
        raw = raw[:max_columns]
    cells: dict[str, str] = {}
    unreadable: dict[str, tuple[str, str]] = {}
    width = len(table.header_texts)
    for position, value in enumerate(raw):
        canonical = by_index.get(position)
        if isinstance(value, Formula):
            text = str(value)
            if canonical is not None:
                unreadable[canonical] = (
                    f"this cell holds a formula ({shown(text)}) whose result was never saved, so kit cannot "
                    "know its value.",
                    "Open the file in a spreadsheet program (Excel, LibreOffice Calc) and save it again: "
                    "that saves the results of the formulas.",
                )
        elif isinstance(value, str) and len(value) > max_chars:
            text = value[:max_chars]
            if canonical is not None:
                unreadable[canonical] = (
                    f"this cell holds {len(value):,} characters, far more than any column needs (kit reads at "
                    f"most {max_chars:,} in a cell).",
                    "Check the cell: a long text may have been pasted into it by mistake.",
                )
        else:
            text = cell_text(value, _cell_kind(canonical), table.epoch)
        if canonical in unreadable:
            cells[canonical] = ""
        elif canonical is not None:
            cells[canonical] = text
        elif text and (position >= width or position in unnamed) and position not in ignored:
            ignored.add(position)
            sheet.warnings.append(
                RowProblem(
                    number,
                    f"column {column_letter(position)}",
                    "this cell is in a column without a name in the header row, so it was ignored.",
                    "Give the column a name in the header row, or move the value into the right column.",
                    code="unnamed-column",
                )
            )
    return cells, unreadable


def _duplicates(results: list[RowResult], sheet: EventSheet) -> set[int]:
    """Two rows with the same id: both are reported, neither is built. Returns the rows concerned."""
    by_id: dict[str, list[RowResult]] = {}
    for result in results:
        if result.id:
            by_id.setdefault(result.id, []).append(result)
    duplicated: set[int] = set()
    for event_id, owners in by_id.items():
        if len(owners) < 2:
            continue
        first_four = [r.row for r in owners[:4]]
        for owner in owners:
            # At most three rows named, then a count: a message per row, not a list of every other row.
            named = [n for n in first_four if n != owner.row][:3]
            more = len(owners) - 1 - len(named)
            others = (
                ", ".join(map(str, named))
                if not more
                else (f"{', '.join(map(str, named))} and {more:,} other{'s' if more > 1 else ''}")
            )
            plural = "s" if len(owners) > 2 else ""
            if owner.generated:
                message = (
                    f'the id "{event_id}" made from the date and the place is also the id of row{plural} '
                    f"{others}."
                )
                hint = "Add an id column and give each event its own id."
            else:
                message = f'the id "{event_id}" is also used on row{plural} {others}.'
                hint = "Give each event its own id."
            column = sheet.columns.get("id", "id")
            sheet.problems.append(RowProblem(owner.row, column, message, hint, "id", "duplicate-id"))
            duplicated.add(owner.row)
    return duplicated
