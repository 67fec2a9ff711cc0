"""Placements: the code a tracked QR code carries, the place and document it stands for, and the registry that
keeps each code unique across the whole campaign.

One module owns what a placement is (``Placement``, the columns of placements.csv), reading and writing
placements.csv, reading a code from an address (``code_in``), and the registry (``PlacementRegistry``): an
embedded SQLite file shared by every run of `kit pack --track` (and later by `kit serve` and `kit report`).

- **The same placement, the same code.** A placement is one document of one event at one place: the event's id,
  its place (type, name, address, postcode, city) and the document (its language is in its path). Asked again
  (a rebuild, another output folder, another relay typing the same row), it gets the code it was given first,
  so rebuilt packs stay the same bytes. The date, times, contact or number of copies may change: the code names
  a place, not an occasion.
- **Another placement, another code.** A new placement gets the code its own inputs hash to (the same code a run
  without a registry gives, so codes already printed keep their meaning); when another placement of the
  campaign holds that code (two relays typing the same event id for two places), it is hashed again.
- **Safe together.** Each claim is one SQLite transaction taken for writing (``BEGIN IMMEDIATE``) in WAL mode with
  a busy timeout: two `kit pack` runs, or many requests of a web app, never give one code twice.
- **Light.** Only the standard library (sqlite3, csv): `kit report` reads code -> placement on a log server
  without WeasyPrint. This module imports neither pack, channels, render nor weasyprint (tested).

Why SQLite: it is in Python's standard library (no dependency, no server to install or start), one file the
project folder keeps, with transactions that several processes can share. Another store (a shared database for
a campaign that outgrows one machine) can replace it behind the ``PlacementRegistry`` protocol.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from .addresses import CODE_ALPHABET, CODE_LENGTH, CODE_PARAMETER
from .errors import OutputError
from .files import atomic_writer, check_inside

PLACEMENTS_CSV = "placements.csv"
REGISTRY_NAME = "placements.sqlite"  # beside kit.toml; in the output folder when there is no kit.toml
# The first columns are those of earlier versions, in their order; new ones are added at the end.
PLACEMENT_COLUMNS = (
    "code",
    "event_id",
    "venue_type",
    "venue_name",
    "city",
    "document",
    "lang",
    "address",
    "postcode",
    "departement",
    "layout",
    "level",
)
APPLICATION_ID = 0x6B697470  # "kitp": PRAGMA application_id of kit's registry files
SCHEMA_VERSION = 2  # 2: layout and level (a version-1 file gains them when opened)
BUSY_TIMEOUT_S = 60.0  # how long a claim waits for another writer (a claim itself takes milliseconds)
MAX_ATTEMPTS = 1000  # codes tried for one placement before giving up (62^6 codes: never reached in practice)


# --- codes and addresses --------------------------------------------------------------------------


def placement_code(event_id: str, document: str, attempt: int = 0) -> str:
    """A short code naming one document of one event (nothing personal): the same inputs, the same code."""
    digest = hashlib.sha256(f"{event_id}\x00{document}\x00{attempt}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    code = ""
    for _ in range(CODE_LENGTH):
        number, rest = divmod(number, len(CODE_ALPHABET))
        code += CODE_ALPHABET[rest]
    return code


_CODE_RE = re.compile(f"[{re.escape(CODE_ALPHABET)}]{{{CODE_LENGTH}}}")


def code_in(url: str) -> str | None:
    """The placement code an address carries (``?p=<code>``, kit's being the last ``p`` of the query), or None."""
    values = parse_qs(urlsplit(url).query).get(CODE_PARAMETER)
    return values[-1] if values and _CODE_RE.fullmatch(values[-1]) else None


def request_code_pattern() -> re.Pattern[bytes]:
    """``code_in`` for the hot loop of `kit report`: a bytes pattern whose group 1 is the code in a request target
    as a web server logs it (``/fr/securite/?p=k3F9ab``; the last ``p`` of the query that is a code)."""
    chars = re.escape(CODE_ALPHABET).encode()
    return re.compile(
        rb".*[?&]" + CODE_PARAMETER.encode() + rb"=([" + chars + rb"]{%d})(?![^&#\s])" % CODE_LENGTH
    )


def departement(postcode: str | None) -> str:
    """The département a French postcode belongs to by its sorting office: its first two digits, three overseas
    (971 to 976, and the overseas collectivities 975, 977, 978, 98x), 2A or 2B in Corsica (20000 to 20199 is
    Corse-du-Sud); empty without a postcode. A few villages have the postcode of a neighbouring département's
    office: the postal département is what a postcode tells."""
    if not postcode or not re.fullmatch(r"\d{5}", postcode):
        return ""
    if postcode.startswith("20"):
        return "2A" if int(postcode) < 20200 else "2B"
    if postcode.startswith(("97", "98")):
        return postcode[:3]
    return postcode[:2]


# --- what a placement is --------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a placement is: the event's id and its place, as the spreadsheet row gives them."""

    event_id: str
    venue_type: str
    venue_name: str
    address: str = ""
    postcode: str = ""
    city: str = ""

    @classmethod
    def of(cls, event) -> Place:
        """The place of an event (a ``kit.events.Event``, or anything with the same fields)."""
        return cls(
            event.id,
            event.venue_type,
            event.venue_name,
            event.address or "",
            event.postcode or "",
            event.city or "",
        )

    def key(self, document: str) -> str:
        """What names one placement in the registry: this place and one document of its pack."""
        data = json.dumps(["v1", *astuple(self), document], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Placement:
    """One row of placements.csv: a code, and the place and document it stands for."""

    code: str
    event_id: str
    venue_type: str
    venue_name: str
    city: str
    document: str  # in the packs folder: <event id>/<lang>/<file>
    lang: str
    address: str  # the page the QR code leads to, as printed (no scheme, no query)
    postcode: str = ""
    departement: str = ""
    layout: str = ""  # the document's layout (poster, leaflet...) and level (standard, falc)
    level: str = ""

    @classmethod
    def of(
        cls,
        place: Place,
        code: str,
        document: str,
        lang: str,
        address: str = "",
        layout: str = "",
        level: str = "",
    ) -> Placement:
        """The placement of ``document`` (relative to the event's folder) at ``place``."""
        return cls(
            code,
            place.event_id,
            place.venue_type,
            place.venue_name,
            place.city,
            f"{place.event_id}/{document}",
            lang,
            address,
            place.postcode,
            departement(place.postcode),
            layout,
            level,
        )

    def row(self) -> tuple[str, ...]:
        return astuple(self)


assert tuple(f.name for f in fields(Placement)) == PLACEMENT_COLUMNS


# --- placements.csv -------------------------------------------------------------------------------


def write_placements_csv(target: Path, placements: Iterable[Placement], *, root: Path | None = None) -> Path:
    """placements.csv (UTF-8, one placement a line, the header first), written atomically."""
    with atomic_writer(target, root=root) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(PLACEMENT_COLUMNS)
        for placement in placements:
            writer.writerow(placement.row())
        text.flush()
        text.detach()  # the handle is closed (and the file renamed into place) by atomic_writer
    return target


def read_placements_csv(path: Path) -> list[Placement]:
    """The placements a placements.csv lists (one written by an earlier version, without the last columns,
    too). Raises OutputError naming the file when it is not one."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise OutputError(f"{path} cannot be read as a placements file: {exc}.") from None
    required = PLACEMENT_COLUMNS[:8]
    if rows and any(name not in rows[0] for name in required):
        raise OutputError(
            f"{path} is not a placements file written by kit: it needs the columns {', '.join(required)}."
        )
    return [Placement(**{name: row.get(name) or "" for name in PLACEMENT_COLUMNS}) for row in rows]


# --- the registry ---------------------------------------------------------------------------------


class RegistryError(OutputError):
    """The placement registry cannot be used: not a database, another program's file, a newer kit's, a link."""


class PlacementRegistry(Protocol):
    """The campaign's placements, shared by every run: one code per placement, never one code for two."""

    def codes(self, place: Place, documents: Sequence[tuple[str, str]]) -> list[str]:
        """The code of each (document, language) of ``place``: the one it was given, else a new unique one."""
        ...

    def adopt(self, place: Place, codes: dict[str, tuple[str, str]]) -> bool:
        """Keep the codes an existing pack already prints ({document: (code, language)}); False when one of
        them belongs to another placement (the pack must then be made again with its registered codes)."""
        ...

    def record(self, placements: Iterable[Placement]) -> None:
        """Note what is known once documents are made (the page each code leads to, the layout and level)."""
        ...

    def find(self, code: str) -> Placement | None:
        """The placement a code stands for (for the report), or None."""
        ...

    def placements(self) -> Iterator[Placement]:
        """Every placement, in the order they were first given."""
        ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS placements (
    code TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    event_id TEXT NOT NULL,
    venue_type TEXT NOT NULL,
    venue_name TEXT NOT NULL,
    city TEXT NOT NULL,
    document TEXT NOT NULL,
    lang TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    departement TEXT NOT NULL DEFAULT '',
    layout TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT ''
)
"""
_COLUMNS_SQL = ", ".join(PLACEMENT_COLUMNS)


class SqliteRegistry:
    """The placement registry in one SQLite file (or in memory, for one run: ``path=None``)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else None
        self._lock = threading.Lock()  # one connection, usable from the threads of a web app
        self._db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            db.execute(_SCHEMA)
            return db
        _check_file(self.path)
        try:
            db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise RegistryError(_cannot_open(self.path, exc)) from None
        try:
            db.execute("BEGIN IMMEDIATE")  # one process at a time checks (and on first use makes) the file
            try:
                self._check_or_create(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            _wal(db)  # readers never wait for a writer
            db.execute(
                "PRAGMA synchronous=NORMAL"
            )  # WAL keeps the file consistent; a power cut loses the last
        except sqlite3.DatabaseError as exc:
            db.close()
            raise RegistryError(_cannot_open(self.path, exc)) from None
        except RegistryError:
            db.close()
            raise
        return db

    def _check_or_create(self, db: sqlite3.Connection) -> None:
        application = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if application == 0 and not tables:  # a new (empty) file: kit makes it its registry
            db.execute(_SCHEMA)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        if application != APPLICATION_ID:
            raise RegistryError(
                f"{self.path} is a database of another program, not kit's placement registry: kit leaves it "
                "as it is. Move it away, or name another file for the registry ([build] placements in kit.toml)."
            )
        if version > SCHEMA_VERSION:
            raise RegistryError(
                f"{self.path} was written by a newer version of kit (registry version {version}; this kit reads "
                f"{SCHEMA_VERSION}). Update kit, or name another file ([build] placements in kit.toml)."
            )
        if version < 2:  # version 1: no layout or level yet
            for column in ("layout", "level"):
                db.execute(f"ALTER TABLE placements ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _write(self, work):
        """Run ``work(db)`` in one transaction taken for writing (other writers wait, up to the busy timeout)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    result = work(self._db)
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                raise RegistryError(_cannot_use(self.path, exc)) from None
            except sqlite3.DatabaseError as exc:
                raise RegistryError(_cannot_open(self.path, exc)) from None
            return result

    def codes(self, place: Place, documents: Sequence[tuple[str, str]]) -> list[str]:
        def claim(db: sqlite3.Connection) -> list[str]:
            found = []
            for document, lang in documents:
                key = place.key(document)
                row = db.execute("SELECT code FROM placements WHERE key = ?", (key,)).fetchone()
                if row is None:
                    code = self._free_code(db, place.event_id, document)
                    self._insert(db, key, Placement.of(place, code, document, lang))
                    row = (code,)
                found.append(row[0])
            return found

        return self._write(claim)

    def adopt(self, place: Place, codes: dict[str, tuple[str, str]]) -> bool:
        def keep(db: sqlite3.Connection) -> bool:
            for document, (code, lang) in codes.items():
                key = place.key(document)
                owner = db.execute("SELECT key FROM placements WHERE code = ?", (code,)).fetchone()
                if owner is not None:
                    if owner[0] != key:
                        return False
                    continue
                if db.execute("SELECT 1 FROM placements WHERE key = ?", (key,)).fetchone():
                    return False  # the registry gave this placement another code
                self._insert(db, key, Placement.of(place, code, document, lang))
            return True

        return self._write(keep)

    def record(self, placements: Iterable[Placement]) -> None:
        def note(db: sqlite3.Connection) -> None:
            db.executemany(
                "UPDATE placements SET address = ?, layout = ?, level = ? WHERE code = ? "
                "AND (address != ? OR layout != ? OR level != ?)",
                ((p.address, p.layout, p.level, p.code, p.address, p.layout, p.level) for p in placements),
            )

        self._write(note)

    def find(self, code: str) -> Placement | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS_SQL} FROM placements WHERE code = ?", (code,)
            ).fetchone()
        return Placement(*row) if row else None

    def placements(self) -> Iterator[Placement]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS_SQL} FROM placements ORDER BY rowid").fetchall()
        return (Placement(*row) for row in rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SqliteRegistry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def _free_code(db: sqlite3.Connection, event_id: str, document: str) -> str:
        for attempt in range(MAX_ATTEMPTS):
            code = placement_code(event_id, document, attempt)
            if db.execute("SELECT 1 FROM placements WHERE code = ?", (code,)).fetchone() is None:
                return code
        raise RegistryError(f"no free placement code for {event_id}/{document} after {MAX_ATTEMPTS} tries.")

    @staticmethod
    def _insert(db: sqlite3.Connection, key: str, placement: Placement) -> None:
        db.execute(
            f"INSERT INTO placements (key, {_COLUMNS_SQL}) VALUES (?{', ?' * len(PLACEMENT_COLUMNS)})",
            (key, *placement.row()),
        )


def _check_file(path: Path) -> None:
    """The registry's file is a regular file or nothing yet, not through a link, in a folder that exists."""
    if path.is_symlink():
        raise RegistryError(
            f"{path} is a link to {os.path.realpath(path)}: kit keeps its placement registry in a file of its "
            "own, not through a link. Remove the link, or name another file ([build] placements in kit.toml)."
        )
    if path.exists() and not path.is_file():
        raise RegistryError(
            f"{path} is not a file: kit keeps its placement registry there. Move it away, or name another "
            "file ([build] placements in kit.toml)."
        )
    if not path.parent.is_dir():
        raise RegistryError(f"the folder {path.parent} of the placement registry {path.name} does not exist.")


def _wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode (it stays so). SQLite answers "database is locked" at once, without its busy
    handler, when another process holds the file while the mode changes: try again until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _cannot_open(path: Path | None, exc: Exception) -> str:
    return (
        f"{path} is not kit's placement registry, or it is damaged ({exc}): kit leaves it as it is. Restore it "
        "from a backup, or move it away (the codes it held would then be given anew, and printed codes could be "
        "given twice)."
    )


def _cannot_use(path: Path | None, exc: Exception) -> str:
    return (
        f"the placement registry {path} cannot be written ({exc}): another program may hold it, or its folder "
        "is read-only or full. Wait for the other program to end, or free some space, and run again."
    )


def read_registry(path: Path) -> list[Placement]:
    """Every placement of a registry file, read without writing to it (`kit report` on a log server may be given a
    read-only copy; a file of an older version is read as it is). RegistryError when it is not kit's registry."""
    path = Path(path)
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise RegistryError(_cannot_open(path, exc)) from None
    try:
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise RegistryError(
                f"{path} is a database of another program, not kit's placement registry: give a placements.csv "
                "or the registry `kit pack --track` keeps (placements.sqlite)."
            )
        columns = {row[1] for row in db.execute("PRAGMA table_info(placements)")}
        wanted = ", ".join(name if name in columns else "''" for name in PLACEMENT_COLUMNS)
        rows = db.execute(f"SELECT {wanted} FROM placements ORDER BY rowid").fetchall()
    except sqlite3.DatabaseError as exc:
        raise RegistryError(_cannot_open(path, exc)) from None
    finally:
        db.close()
    return [Placement(*row) for row in rows]


def open_registry(path: Path | None, *, root: Path | None = None) -> SqliteRegistry:
    """The registry kept in ``path`` (made on first use), or one in memory for a single run (``None``). With
    ``root`` (the output folder it is in), it must be inside it, reached through no link."""
    if path is not None and root is not None:
        check_inside(Path(path), Path(root))
    return SqliteRegistry(path)


__all__ = [
    "PLACEMENTS_CSV",
    "PLACEMENT_COLUMNS",
    "REGISTRY_NAME",
    "Place",
    "Placement",
    "PlacementRegistry",
    "RegistryError",
    "SqliteRegistry",
    "code_in",
    "departement",
    "open_registry",
    "placement_code",
    "read_placements_csv",
    "read_registry",
    "request_code_pattern",
    "write_placements_csv",
]
