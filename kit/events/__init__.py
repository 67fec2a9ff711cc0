"""Event spreadsheets and event rows: what an event is (model), one row validated (rows: shared by the
spreadsheet reader, the web form and the API), a whole sheet read from a path or bytes (sheet; the bounded
CSV/XLSX reading itself is kit.tabular)."""

from ..errors import SpreadsheetError
from ..tabular import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEET_LINES,
    MAX_XLSX_CELL_PARTS,
    MAX_XLSX_CELLS,
    MAX_XLSX_ROW_CELLS,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_UNCOMPRESSED,
)
from .model import (
    COLUMNS,
    FIELD_LIMITS,
    ID_MAX,
    OTHER_LANGUAGES_SHARE,
    REQUIRED_COLUMNS,
    Event,
    EventSheet,
    RowProblem,
    safe_id,
)
from .rows import PROBLEM_CODES, RowResult, VenueTypes, validate_row
from .sheet import EVENT_TABLE, read_events

EVENT_COLUMNS = (
    COLUMNS  # the facade's name for the event columns (canonical name -> the headers people write)
)

__all__ = [
    "COLUMNS",
    "EVENT_COLUMNS",
    "EVENT_TABLE",
    "FIELD_LIMITS",
    "ID_MAX",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_SHEET_LINES",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_CELL_PARTS",
    "MAX_XLSX_ROW_CELLS",
    "MAX_XLSX_SHARED_STRINGS",
    "MAX_XLSX_UNCOMPRESSED",
    "OTHER_LANGUAGES_SHARE",
    "PROBLEM_CODES",
    "REQUIRED_COLUMNS",
    "Event",
    "EventSheet",
    "RowProblem",
    "RowResult",
    "SpreadsheetError",
    "VenueTypes",
    "read_events",
    "safe_id",
    "validate_row",
]
