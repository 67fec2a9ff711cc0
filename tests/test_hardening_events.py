"""Hostile and accidental event spreadsheets (issue 14, items 4, 14 and part of 16).

Workbooks that unpack to gigabytes, cells and sheets far too big, thousands of rows with one id, formulas
whose results were never saved, dates shown as serial numbers, a header with no event under it. Each is
answered with a message naming the file (and row, column) and what to do, in bounded time and memory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kit import tabular
from kit.events import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEET_LINES,
    MAX_XLSX_CELLS,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_UNCOMPRESSED,
    EventSheet,
    RowProblem,
    SpreadsheetError,
    read_events,
)

openpyxl = pytest.importorskip("openpyxl")

SHARED_STRINGS_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHARED_STRINGS_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def workbook(path: Path, *rows) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def with_parts(
    base: Path, target: Path, *, sheet=None, shared: tuple[bytes, bytes, int, bytes] | None = None
) -> Path:
    """Copy an .xlsx, replacing its sheet's XML (sheet(data) -> chunks) and adding a shared-strings part
    written as head + body * repeat + tail (streamed: nothing big is ever held in memory)."""
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if shared and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    + SHARED_STRINGS_TYPE
                    + b'"/></Types>',
                )
            elif shared and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="'
                    + SHARED_STRINGS_REL
                    + b'" Target="sharedStrings.xml"/></Relationships>',
                )
            if sheet and info.filename == "xl/worksheets/sheet1.xml":
                with out.open(info.filename, "w", force_zip64=True) as member:
                    for chunk in sheet(data):
                        member.write(chunk)
                continue
            out.writestr(info, data)
        if shared:
            head, body, repeat, tail = shared
            with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
                member.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + head
                )
                for _ in range(repeat):
                    member.write(body)
                member.write(tail + b"</sst>")
    return target


def huge_text_workbook(tmp_path: Path, megabytes: int) -> Path:
    """A small .xlsx (a few hundred KB) whose one text cell unpacks to `megabytes` MB."""
    base = workbook(
        tmp_path / "base.xlsx", ["venue_type", "venue_name", "date"], ["la-poste", "PLACE", "2026-03-12"]
    )

    def sheet(data: bytes):
        yield data.replace(
            b'<c r="B2" t="inlineStr"><is><t>PLACE</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
        )

    mb = b"x" * (1 << 20)
    return with_parts(
        base, tmp_path / "bomb.xlsx", sheet=sheet, shared=(b"<si><t>", mb, megabytes, b"</t></si>")
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))


def read_in_child(path: Path, timeout: float = 60) -> dict:
    """read_events in a child process with 1.5 GB of address space and a time limit (the old code took more)."""
    code = (
        "import json, sys, time\nfrom kit.events import read_events, SpreadsheetError\nstart = time.time()\n"
        "try:\n    sheet = read_events(sys.argv[1])\n    out = {'problems': [str(p) for p in sheet.problems]}\n"
        "except SpreadsheetError as error:\n    out = {'error': str(error)}\n"
        "out['seconds'] = time.time() - start\nprint(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def error_of(path: Path) -> str:
    with pytest.raises(SpreadsheetError) as info:
        read_events(path)
    assert info.value.path == path
    return str(info.value)


# --- Item 4: spreadsheet blow-ups ----------------------------------------------------------------


def test_zip_bomb_xlsx_is_refused_before_it_is_unpacked(tmp_path):
    path = huge_text_workbook(tmp_path, MAX_XLSX_UNCOMPRESSED // (1 << 20) + 10)
    assert path.stat().st_size < 1_000_000  # under a megabyte on disk
    outcome = read_in_child(path)
    assert "error" in outcome, outcome
    assert str(path) in outcome["error"] and "unpacks to" in outcome["error"]
    assert "xl/sharedStrings.xml alone" in outcome["error"] and "save it as CSV" in outcome["error"]
    assert outcome["seconds"] < 5


def test_huge_cell_within_the_unpacked_limit_is_a_row_problem(tmp_path):
    outcome = read_in_child(huge_text_workbook(tmp_path, 60))  # 60 MB in one cell
    (problem,) = outcome["problems"]
    assert problem.startswith('row 2, column "venue_name": this cell holds 62,914,560 characters')
    assert f"at most {MAX_CELL_CHARS:,}" in problem and len(problem) < 400


def test_too_many_shared_texts(tmp_path):
    base = workbook(
        tmp_path / "base.xlsx", ["venue_type", "venue_name", "date"], ["la-poste", "P", "2026-03-12"]
    )
    body = b"<si><t>a</t></si>" * 100_000
    path = with_parts(
        base, tmp_path / "texts.xlsx", shared=(b"", body, MAX_XLSX_SHARED_STRINGS // 100_000 + 1, b"")
    )
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    assert f"more than {MAX_XLSX_SHARED_STRINGS:,} different texts" in error_of(path)
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (b"<c/>", "more than 300,000 cells"),  # empty formatted cells, row after row
        (b'<c r="A3"/>' * 2, "cells on row 3"),  # one endless row
    ],
)
def test_sheet_xml_with_endless_cells(tmp_path, monkeypatch, cell, words):
    # No <dimension>: openpyxl's own read-only sheet would first read all of it to learn its size.
    assert MAX_XLSX_CELLS >= 3_000_000
    monkeypatch.setattr(tabular, "MAX_XLSX_CELLS", 300_000)  # the same code, a tenth of the time
    base = workbook(
        tmp_path / "base.xlsx", ["venue_type", "venue_name", "date"], ["la-poste", "P", "2026-03-12"]
    )
    rows_xml = (
        (b'<row r="3">' + cell * 10_000 + b"</row>")
        if b"A3" in cell
        else (b"<row>" + cell * 10_000 + b"</row>")
    )

    def sheet(data: bytes):
        head, tail = re.sub(rb"<dimension[^>]*/>", b"", data).split(b"</sheetData>")
        yield head
        for _ in range(31):
            yield rows_xml
        yield b"</sheetData>" + tail

    path = with_parts(base, tmp_path / "cells.xlsx", sheet=sheet)
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    assert words in error_of(path)
    assert time.process_time() - started < 5


@pytest.mark.parametrize(
    ("rows_xml", "repeat", "words"),
    [
        (
            b'<row r="3"/>' * 1_000,
            MAX_SHEET_LINES // 1_000 + 1,
            f"more than {MAX_SHEET_LINES:,} lines",
        ),  # one row, again
        (
            b'<row r="3"><c r="A3" t="inlineStr"><is>' + b"<r><t>a</t></r>" * 10_001 + b"</is></c></row>",
            1,
            "more than 10,000 pieces of formatted text (row 3)",
        ),
    ],
)
def test_sheet_xml_endless_otherwise(tmp_path, rows_xml, repeat, words):
    base = workbook(
        tmp_path / "base.xlsx", ["venue_type", "venue_name", "date"], ["la-poste", "P", "2026-03-12"]
    )

    def sheet(data: bytes):
        head, tail = data.split(b"</sheetData>")
        yield head
        for _ in range(repeat):
            yield rows_xml
        yield b"</sheetData>" + tail

    assert words in error_of(with_parts(base, tmp_path / "endless.xlsx", sheet=sheet))


def test_too_many_rows_xlsx_stops_reading(tmp_path):
    base = workbook(tmp_path / "base.xlsx", ["venue_type", "venue_name", "date"])
    row = b'<row><c t="inlineStr"><is><t>la-poste</t></is></c><c t="inlineStr"><is><t>P</t></is></c></row>'

    def sheet(data: bytes):
        head, tail = data.split(b"</sheetData>")
        yield head
        for _ in range(MAX_ROWS + 100):
            yield row
        yield b"</sheetData>" + tail

    message = error_of(with_parts(base, tmp_path / "rows.xlsx", sheet=sheet))
    assert f"more than {MAX_ROWS:,} rows of events" in message and "Split them" in message


def test_too_many_rows_csv(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "venue_type;venue_name;date\n" + "la-poste;P;12/03/2026\n" * (MAX_ROWS + 1), encoding="utf-8"
    )
    assert f"more than {MAX_ROWS:,} rows of events" in error_of(path)


def test_endless_blank_lines_csv(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "venue_type;venue_name;date\nla-poste;P;12/03/2026\n" + "\n" * MAX_SHEET_LINES, encoding="utf-8"
    )
    assert f"more than {MAX_SHEET_LINES:,} lines" in error_of(path)


def test_file_too_big_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "events.csv"
    with path.open("wb") as handle:
        handle.write(b"venue_type;venue_name;date\n")
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing written
    message = error_of(path)
    assert "kit reads event files of at most 50 MB" in message and "right file" in message


def test_long_cells_in_csv(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        f"venue_type;venue_name;date\nla-poste;{'x' * 20_000};12/03/2026\nla-poste;Poste;13/03/2026\n",
        encoding="utf-8",
    )
    sheet = read_events(path)
    assert [e.row for e in sheet.events] == [3]
    (problem,) = sheet.problems
    assert (problem.row, problem.column) == (2, "venue_name") and "20,000 characters" in problem.message
    path.write_text(f"venue_type;venue_name;date\nla-poste;{'x' * 200_000};12/03/2026\n", encoding="utf-8")
    message = error_of(path)
    assert "more than 131,072 characters on line 2" in message and "not a readable CSV" not in message


def test_values_beyond_the_columns_kit_reads(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "venue_type,venue_name,date\nla-poste,P,2026-03-12" + ",a" * 5_000_000 + "\n", encoding="utf-8"
    )
    assert f"beyond the first {MAX_COLUMNS} columns" in error_of(path) and "row 2" in error_of(path)
    book = openpyxl.Workbook()
    book.active.append(["venue_type", "venue_name", "date"])
    book.active.append(["la-poste", "P", "2026-03-12"])
    book.active.cell(row=2, column=MAX_COLUMNS + 1, value="far away")
    book.save(tmp_path / "wide.xlsx")
    assert f"cell {openpyxl.utils.get_column_letter(MAX_COLUMNS + 1)}2" in error_of(tmp_path / "wide.xlsx")


def test_five_thousand_rows_with_one_id(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "id;venue_type;venue_name;date\n"
        + "".join(f"same;la-poste;Poste {i};12/03/2026\n" for i in range(5_000)),
        encoding="utf-8",
    )
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    sheet = read_events(path)
    assert time.process_time() - started < 5  # minutes before
    assert sheet.events == [] and len(sheet.problems) == 5_000
    first, fifth = sheet.problems[0], sheet.problems[4]
    assert first.message == 'the id "same" is also used on rows 3, 4, 5 and 4,996 others.'
    assert fifth.message == 'the id "same" is also used on rows 2, 3, 4 and 4,996 others.'
    assert sum(len(str(p)) for p in sheet.problems) < 1_000_000  # 146 MB of manifest before


def test_two_or_four_rows_with_one_id_are_all_named(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "id;venue_type;venue_name;date\n" + "".join(f"same;la-poste;P{i};12/03/2026\n" for i in range(4)),
        encoding="utf-8",
    )
    assert read_events(path).problems[0].message == 'the id "same" is also used on rows 3, 4, 5.'


def test_problems_of_each_row_are_found_without_a_search_per_row():
    sheet = EventSheet(path=Path("events.csv"), encoding="utf-8", delimiter=";")
    sheet.problems = [RowProblem(row, "id", "the id is also used") for row in range(2, 40_002)]
    started = time.process_time()  # CPU time: a loaded machine does not make it fail
    found = [sheet.problems_of(row) for row in sheet.failed_rows]
    assert time.process_time() - started < 5  # 40,000 x 40,000 comparisons before
    assert all(len(problems) == 1 for problems in found)
    sheet.problems.append(RowProblem(2, "date", "not a date"))  # the index follows the list
    assert [p.column for p in sheet.problems_of(2)] == ["id", "date"]


# --- Item 14: formulas without saved results, date serial numbers ----------------------------------


def test_formula_without_saved_result_is_reported(tmp_path):
    path = workbook(
        tmp_path / "events.xlsx",
        ["id", "venue_type", "venue_name", "date", "copies"],
        ["a-1", "la-poste", "Poste A", "2026-03-12", "=1+1"],  # copies: was read as empty
        ['=B3&"-x"', "la-poste", "Poste B", "2026-03-13", 5],
        ["a-3", "la-poste", "Poste C", "2026-03-14", 3],
    )
    sheet = read_events(path)
    assert [e.row for e in sheet.events] == [4]
    assert [(p.row, p.column) for p in sheet.problems] == [(2, "copies"), (3, "id")]
    assert "formula (=1+1) whose result was never saved" in sheet.problems[0].message
    assert "save it again" in sheet.problems[0].hint and "spreadsheet program" in sheet.problems[0].hint
    assert '(=B3&"-x")' in sheet.problems[1].message


def test_formula_rows_only_are_not_blank_and_saved_results_are_read(tmp_path):
    path = workbook(tmp_path / "events.xlsx", ["venue_type", "venue_name", "date"], ["=A1", "=B1", "=C1"])
    sheet = read_events(path)
    assert [(p.row, p.column) for p in sheet.problems] == [(2, "venue_type"), (2, "venue_name"), (2, "date")]

    # A file saved by a spreadsheet program keeps each result next to its formula: that value is used.
    def sheet_xml(data: bytes):
        data = data.replace(b"<v></v>", b"<v />")  # openpyxl writes either, with or without lxml
        yield (
            data.replace(b"<f>A1</f><v />", b'<f>"la-poste"</f><v>la-poste</v>')
            .replace(b'<c r="A2">', b'<c r="A2" t="str">')
            .replace(b"<f>B1</f><v />", b'<f>"x"</f><v>Poste</v>')
            .replace(b'<c r="B2">', b'<c r="B2" t="str">')
            .replace(b"<f>C1</f><v />", b"<f>46093</f><v>46093</v>")
        )

    saved = with_parts(path, tmp_path / "saved.xlsx", sheet=sheet_xml)
    (event,) = read_events(saved).events
    assert (event.venue_type, event.venue_name, event.date) == ("la-poste", "Poste", dt.date(2026, 3, 12))


def test_empty_text_result_of_a_formula_is_an_empty_cell(tmp_path):
    path = workbook(
        tmp_path / "events.xlsx",
        ["venue_type", "venue_name", "date", "contact"],
        ["la-poste", "Poste", "2026-03-12", '=""'],
    )
    saved = with_parts(
        path,
        tmp_path / "saved.xlsx",
        sheet=lambda data: [
            data.replace(b"<v></v>", b"<v />").replace(  # openpyxl writes either, with or without lxml
                b'<c r="D2"><f>""</f><v /></c>', b'<c r="D2" t="str"><f>""</f><v></v></c>'
            )
        ],
    )
    sheet = read_events(saved)
    assert sheet.problems == [] and sheet.events[0].contact is None


def test_date_serial_numbers_are_read(tmp_path):
    path = workbook(
        tmp_path / "events.xlsx",
        ["venue_type", "venue_name", "date"],
        ["la-poste", "A", 46093],
        ["la-poste", "B", 46094.0],
        ["la-poste", "C", "46095"],
        ["la-poste", "D", 2026],
        ["la-poste", "E", 99999999],
    )
    sheet = read_events(path)
    assert [(e.row, e.date) for e in sheet.events] == [
        (2, dt.date(2026, 3, 12)),
        (3, dt.date(2026, 3, 13)),
        (4, dt.date(2026, 3, 14)),
    ]
    assert sheet.events[0].fields["date"] == "2026-03-12"
    assert [(p.row, p.column) for p in sheet.problems] == [(5, "date"), (6, "date")]
    assert '"2026" is not a date' in sheet.problems[0].message
    csv_path = tmp_path / "events.csv"
    csv_path.write_text("venue_type;venue_name;date\nla-poste;A;46093\n", encoding="utf-8")
    assert read_events(csv_path).events[0].date == dt.date(2026, 3, 12)


def test_date_serial_numbers_in_a_1904_workbook(tmp_path):
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.MAC_EPOCH
    book.active.append(["venue_type", "venue_name", "date"])
    book.active.append(["la-poste", "A", 44631])  # 1904-01-01 + 44631 days
    book.save(tmp_path / "mac.xlsx")
    assert read_events(tmp_path / "mac.xlsx").events[0].date == dt.date(2026, 3, 12)


# --- Item 16 (part): a header and nothing under it ---------------------------------------------------


@pytest.mark.parametrize("name", ["events.csv", "events.xlsx"])
def test_header_only_sheet_is_an_error_naming_the_file(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text("Type de lieu;Nom du lieu;Date\n;;\n\n", encoding="utf-8")
    else:
        workbook(path, ["Type de lieu", "Nom du lieu", "Date"], [None, None, None])
    message = error_of(path)
    assert str(path) in message and "header row (row 1) but no event under it" in message


def test_header_only_sheet_in_kit_pack(tmp_path, run_kit):
    path = tmp_path / "events.csv"
    path.write_text("venue_type,venue_name,date\n", encoding="utf-8")
    result = run_kit("pack", path, "--out", tmp_path / "out")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "no event under it" in result.stderr and "0 built" not in result.stdout
    assert "Traceback" not in result.stderr
