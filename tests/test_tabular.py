"""Bounded reading of any table (not only events): from a path or bytes, its header found by the caller's
names, encodings and separators, hostile sizes refused with the caller's words."""

from __future__ import annotations

import pytest

from kit import tabular
from kit.errors import SpreadsheetError
from kit.tabular import BLANK, TableKind, read_table

ANSWERS = TableKind(
    file="answers file",
    rows="answers",
    recognise=lambda text: {"question": "question", "réponse": "answer", "answer": "answer"}.get(
        text.lower()
    ),
)


def test_a_table_that_is_not_of_events_from_bytes():
    """A feedback export: a title line, then its header (found by the caller's names), Windows-1252, tabs."""
    data = "Export du 3 mars\n\nQuestion\tRéponse\tnote\nq1\tOui, très clair\t\n".encode("cp1252")
    table = read_table(data, ANSWERS, name="export.csv")
    assert (table.encoding, table.delimiter, table.header, table.recognised) == ("cp1252", "\t", 2, 2)
    assert table.header_texts == ["Question", "Réponse", "note"]
    assert table.rows[1] is BLANK and table.rows[3] == ["q1", "Oui, très clair", ""]


def test_limits_speak_the_callers_words(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_SHEET_LINES", 50)
    data = ("question;answer\n" + "q;a\n" * 60).encode()
    with pytest.raises(
        SpreadsheetError, match=r"The answers file big.csv has more than 50 lines.*only the answers"
    ):
        read_table(data, ANSWERS, name="big.csv")
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 100)
    with pytest.raises(SpreadsheetError, match="kit reads answers files of at most"):
        read_table(data, ANSWERS, name="big.csv")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(SpreadsheetError, match=f"The answers file {path} is 0 MB"):
        read_table(path, ANSWERS)
    with pytest.raises(SpreadsheetError, match="old Excel format"):
        read_table(b"\xd0\xcf\x11\xe0" + b"\0" * 50, ANSWERS, name="old.xls")
