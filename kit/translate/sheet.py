"""The translation spreadsheet (.xlsx, openpyxl), for reviewers without a translation tool: one row per text (id,
French, translation, note, state, reviewer), a drop-down of states, and a "kit" tab saying what the file is."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..content import FINAL, REVIEWED, STALE, TRANSLATED
from .exchange import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    NEEDS_REVIEW,
    Entry,
    Exchange,
    TranslationFileError,
)

COLUMNS = ("id", "source", "target", "note", "state", "reviewer")
# The states a reviewer picks from (the drop-down), and kit's state each one means.
SHEET_STATES = {"translated": TRANSLATED, "needs review": NEEDS_REVIEW, "reviewed": REVIEWED, "final": FINAL}
WRITTEN = {TRANSLATED: "translated", STALE: "needs review", REVIEWED: "reviewed", FINAL: "final"}
INFO = "kit"  # the tab that says which project and language the sheet is for
MAX_UNPACKED = 5 * MAX_FILE_BYTES  # bytes of the workbook once unzipped


def write_xlsx(exchange: Exchange) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = exchange.lang
    sheet.append(
        [
            "id",
            f"{exchange.source_lang} (source)",
            f"{exchange.lang} (translation)",
            "note: where it is printed, its limits",
            "state",
            "reviewer",
        ]
    )
    for entry in exchange.entries:
        target = entry.target if entry.target is not None else ""
        sheet.append([entry.id, entry.source, target, entry.note, WRITTEN.get(entry.state, ""), ""])
    last = sheet.max_row
    states = DataValidation(
        type="list",
        formula1='"' + ",".join(SHEET_STATES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Unknown state",
        error="Pick a state from the list: " + ", ".join(SHEET_STATES),
        showInputMessage=True,
        promptTitle="State",
        prompt="reviewed or final once you checked the translation as a native speaker",
    )
    sheet.add_data_validation(states)
    states.add(f"E2:E{max(last, 2)}")
    wrap = Alignment(wrap_text=True, vertical="top")
    editable = PatternFill("solid", fgColor="FFF2CC")
    for row in sheet.iter_rows(min_row=2, max_row=last):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text, never a formula
            cell.alignment = wrap
            if cell.column >= 3 and cell.column != 4:  # translation, state, reviewer
                cell.protection = Protection(locked=False)
                cell.fill = editable
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (34, 50, 50, 40, 14, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True  # ids, French and notes read-only: a guard against slips, not security
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    info = book.create_sheet(INFO)
    for row in (
        ("project", exchange.project),
        ("language", exchange.lang),
        ("content version", exchange.version),
        ("reviewer", ""),
        (
            "how",
            "Write the translation in column C; once you checked it as a native speaker, set its state to "
            "reviewed (or final) and write your name in column F (or here, for every row).",
        ),
    ):
        info.append(list(row))
    info["B4"].protection = Protection(locked=False)
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def read_xlsx(path: Path, data: bytes) -> Exchange:
    """A translation sheet: its first tab (columns as kit wrote them, found by their place), its "kit" tab."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise TranslationFileError(
            f"{path} is not a readable .xlsx workbook ({exc}); save it again as .xlsx from your spreadsheet program."
        ) from None
    if unpacked > MAX_UNPACKED:
        raise TranslationFileError(
            f"{path} unpacks to {unpacked / 1e6:,.0f} MB; a translation sheet is far smaller (kit reads at most "
            f"{MAX_UNPACKED / 1e6:,.0f} MB unpacked)."
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zip, XML and openpyxl's own errors: the file is not a workbook kit can read
        raise TranslationFileError(
            f"{path} is not a readable .xlsx workbook ({type(exc).__name__}: {exc}); save it again as .xlsx."
        ) from None
    try:
        info = {}
        if INFO in book.sheetnames:
            for row in book[INFO].iter_rows(max_row=20, max_col=2, values_only=True):
                if row and row[0]:
                    info[str(row[0]).strip()] = _text(row[1] if len(row) > 1 else None)
        sheet = book[book.sheetnames[0]]
        exchange = Exchange(
            lang=(info.get("language") or sheet.title or "").strip(),
            project=(info.get("project") or "").strip(),
            version=(info.get("content version") or "").strip(),
            reviewer=(info.get("reviewer") or "").strip() or None,
        )
        for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True), 2):
            if number - 1 > MAX_ENTRIES:
                raise TranslationFileError(
                    f"{path} has more than {MAX_ENTRIES:,} rows; check that it is the right file."
                )
            cells = list(row) + [None] * (len(COLUMNS) - len(row))
            if all(_text(cell) is None for cell in cells):
                continue
            values = dict(zip(COLUMNS, cells, strict=True))
            for name, value in values.items():
                if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                    raise TranslationFileError(
                        f"{path}, row {number}, column {name}: more than {MAX_TEXT_CHARS:,} characters."
                    )
            target = _text(values["target"])
            written = (_text(values["state"]) or "").strip().lower()
            if written and written not in SHEET_STATES:
                state = written  # reported by the import, with the row
            else:
                state = SHEET_STATES.get(written, TRANSLATED) if target else ""
            exchange.entries.append(
                Entry(
                    id=(_text(values["id"]) or "").strip(),
                    source=_text(values["source"]) or "",
                    target=target,
                    state=state,
                    reviewer=(_text(values["reviewer"]) or "").strip() or None,
                    where=f"row {number}",
                )
            )
        return exchange
    finally:
        book.close()
