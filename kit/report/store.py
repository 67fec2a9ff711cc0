"""The report's memory: an SQLite file in the output folder with counts per day and what was read of each log.

SQLite (Python's standard library) rather than DuckDB: nothing to install on a log server, a 14 MB process
rather than 130 MB, and the volume is small (days x codes: tens of thousands of rows a year), written once per
run in one transaction; the heavy work is reading logs, not querying. Nothing personal is kept: counts per day
and, per log, hashes of its first and last bytes read (never a line, an address or a user agent).

Tables: ``scans(day, code, path, n)`` (scans counted, before any join with placements: a code unknown today may
be known tomorrow), ``views(day, path, kind, n)`` (pages read after a scan, pages reached by a typed address),
``tallies(day, what, n)`` (lines, bots, HEAD requests... ``day`` empty for unreadable lines), ``sources`` (what
was read of each log, recognised by content) and ``packed`` (compressed files read to their end, by their own
hash: a renamed copy is not even unpacked again).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import KitError, OutputError

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scans (
    day TEXT NOT NULL, code TEXT NOT NULL, path TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (day, code, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS views (
    day TEXT NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (day, path, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tallies (
    day TEXT NOT NULL, what TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (day, what)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY, head_len INTEGER NOT NULL, head TEXT NOT NULL, consumed INTEGER NOT NULL,
    tail_len INTEGER NOT NULL, tail TEXT NOT NULL, lines INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sources_head ON sources (head);
CREATE TABLE IF NOT EXISTS packed (digest TEXT PRIMARY KEY, source INTEGER NOT NULL) WITHOUT ROWID;
"""


class StoreError(KitError):
    """The report's database cannot be used (another run holds it, or it is not kit's)."""


@dataclass
class Source:
    """What was read of one log (by content): its first ``head_len`` bytes hash to ``head``; reading stopped
    after ``consumed`` bytes (``lines`` lines), and the ``tail_len`` bytes before that hash to ``tail``."""

    id: int | None
    head_len: int
    head: str
    consumed: int
    tail_len: int
    tail: str
    lines: int


class Store:
    """The report database, held for the whole run (one writer at a time: a second run waits, then stops)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            self.db.executescript(SCHEMA)  # (executescript commits first: the tables, then the run's lock)
            self.db.execute("BEGIN EXCLUSIVE")
            found = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise StoreError(
                    f"{self.path} is in use by another `kit report` on the same folder: wait for it to end, "
                    "then run this one again."
                ) from None
            raise OutputError(f"{self.path} cannot be used: {exc}.") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a database kit can read ({exc}): move it away, or choose another "
                "output folder (--out)."
            ) from None
        if found is None:
            self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif found[0] != str(SCHEMA_VERSION):
            self.db.rollback()
            raise StoreError(
                f"{self.path} was written by another version of kit report (schema {found[0]}): choose another "
                "output folder (--out), or update kit."
            )

    # --- what was read -------------------------------------------------------------------------------------

    def sources_with_head(self, heads: dict[int, str]) -> list[Source]:
        """Known logs whose first bytes hash as given (``heads``: length -> hash of that many first bytes)."""
        found = []
        for length, digest in heads.items():
            rows = self.db.execute(
                "SELECT id, head_len, head, consumed, tail_len, tail, lines FROM sources "
                "WHERE head = ? AND head_len = ?",
                (digest, length),
            )
            found += [Source(*row) for row in rows]
        return found

    def head_lengths(self) -> set[int]:
        return {row[0] for row in self.db.execute("SELECT DISTINCT head_len FROM sources")}

    def packed_source(self, digest: str) -> Source | None:
        row = self.db.execute(
            "SELECT s.id, s.head_len, s.head, s.consumed, s.tail_len, s.tail, s.lines FROM packed p "
            "JOIN sources s ON s.id = p.source WHERE p.digest = ?",
            (digest,),
        ).fetchone()
        return Source(*row) if row else None

    def save_source(self, source: Source, packed: str | None = None) -> int:
        values = (source.head_len, source.head, source.consumed, source.tail_len, source.tail, source.lines)
        if source.id is None:
            cursor = self.db.execute(
                "INSERT INTO sources (head_len, head, consumed, tail_len, tail, lines) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            source.id = cursor.lastrowid
        else:
            self.db.execute(
                "UPDATE sources SET head_len = ?, head = ?, consumed = ?, tail_len = ?, tail = ?, lines = ? "
                "WHERE id = ?",
                (*values, source.id),
            )
        if packed:
            self.db.execute("INSERT OR REPLACE INTO packed VALUES (?, ?)", (packed, source.id))
        return source.id

    # --- counts ---------------------------------------------------------------------------------------------

    def add_scans(self, rows: Iterable[tuple[str, str, str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO scans VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n", rows
        )

    def add_views(self, rows: Iterable[tuple[str, str, str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO views VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n", rows
        )

    def add_tallies(self, rows: Iterable[tuple[str, str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO tallies VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n", rows
        )

    def scans(self, since: str, until: str) -> list[tuple[str, str, str, int]]:
        return self.db.execute(
            "SELECT day, code, path, n FROM scans WHERE day BETWEEN ? AND ? ORDER BY day, code, path",
            (since, until),
        ).fetchall()

    def views(self, since: str, until: str) -> list[tuple[str, str, str, int]]:
        return self.db.execute(
            "SELECT day, path, kind, n FROM views WHERE day BETWEEN ? AND ? ORDER BY day, path, kind",
            (since, until),
        ).fetchall()

    def tallies(self, since: str, until: str) -> dict[str, int]:
        """Each tally summed over the days of the period (and the undated ones, when the period is open)."""
        rows = self.db.execute(
            "SELECT what, SUM(n) FROM tallies WHERE day BETWEEN ? AND ? OR day = '' GROUP BY what",
            (since, until),
        )
        return dict(rows.fetchall())

    def period(self) -> tuple[str, str] | None:
        """The first and last day anything was counted on."""
        row = self.db.execute("SELECT MIN(day), MAX(day) FROM tallies WHERE day != ''").fetchone()
        return (row[0], row[1]) if row and row[0] else None

    # --- the run's end -------------------------------------------------------------------------------------

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.db.close()
