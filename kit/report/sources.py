"""Which logs to read, which of their bytes are new, and reading them in worker processes (stage 1's driver).

A log is known by its content, never by its name: the hash of its first 64 KiB (decompressed) finds what an
earlier run read of it, and the hash of the 64 KiB before where that run stopped says the file still holds the
same lines up to there; only what follows is read. So a file that grew is read from where the last run
stopped, and a rotated file (``access.log`` -> ``access.log.1`` -> ``access.log.2.gz``) is not counted twice. A
compressed file read to its end is also known by the hash of its own bytes: a renamed copy is not even unpacked.

A plain file is cut into pieces of about CHUNK_BYTES at line ends and the pieces are read in parallel (one
worker process per core); a compressed file or standard input is read in one go. Pieces come back in the order
of the logs' first lines (rotated files in time order), so the next stage sees the events in time order.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import parse
from .parse import HEAD_BYTES, LineParser, LineReader, Parsed
from .store import Source, Store

CHUNK_BYTES = 32 * 1024 * 1024  # a plain file is read in pieces of about this size, in parallel
IN_PROCESS_BYTES = 48 * 1024 * 1024  # less than this to read: no worker processes (starting them costs more)
STDIN = "-"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class LogInput:
    """One log named on the command line, and what this run makes of it."""

    name: str  # as given ("-" for standard input)
    index: int
    size: int = 0  # bytes on disk
    packed: str | None = None  # hash of a compressed file's own bytes
    stream: bool = False  # compressed, or standard input: read in one go
    head: bytes = b""  # the first HEAD_BYTES of its content
    first_time: int | None = None  # seconds since 1970 of its first line, when readable
    known: Source | None = None  # what an earlier run read of it
    start: int = 0  # where this run starts reading (bytes of content)
    lines_before: int = 0  # lines before ``start``
    state: str = (
        "new"  # new | grown | read (nothing new) | skipped (cannot be read) | later (same as another)
    )
    problem: str | None = None
    # filled in while reading
    lines: int = 0
    events: int = 0
    codes: int = 0  # events carrying a placement code
    paths: set[str] = field(default_factory=set)  # pages asked for (a sample: to tell a log of another site)
    consumed: int = 0
    unreadable: int = 0
    too_long: int = 0
    named: list[int] = field(default_factory=list)
    tail: bytes = b""
    unfinished: bool = False

    @property
    def path(self) -> Path | None:
        return None if self.name == STDIN else Path(self.name)


@dataclass(frozen=True)
class Piece:
    """A part of one log for one worker: plain bytes [start, start + length), or a whole stream."""

    input: int
    path: str | None
    start: int
    length: int | None
    stream: bool
    known: Source | None = None  # a stream: check this prefix before reading on
    last: bool = True  # the log's last piece (its end may be an unfinished line)


@dataclass
class PieceResult:
    input: int
    parsed: Parsed
    consumed: int = 0  # where the log's content read so far ends (after this piece's last whole line)
    tail: bytes = b""  # a stream: the bytes before ``consumed``
    restarted: bool = False  # a stream whose beginning matched a known log but whose content then differed
    skipped_lines: int = 0  # a stream: lines of the known prefix (not parsed)
    unfinished: bool = False


def first_time(head: bytes) -> int | None:
    """When a log starts: the time of its first readable line (seconds since 1970), for ordering logs."""
    for line in head.split(b"\n")[:20]:
        cut = line.find(b" [")
        if cut >= 0 and line[cut + 28 : cut + 29] == b"]":
            stamp = line[cut + 2 : cut + 28]
            day = parse.iso_day(stamp[:11])
            midnight = parse.midnight(day, stamp[21:26]) if day else None
            clock = stamp[12:20]
            if midnight is not None and clock.replace(b":", b"").isdigit():
                return midnight + int(clock[:2]) * 3600 + int(clock[3:5]) * 60 + int(clock[6:8])
    return None


class _Prefixed(io.RawIOBase):
    """A stream with bytes already taken from it put back in front (standard input's first bytes)."""

    def __init__(self, first: bytes, rest: BinaryIO):
        self.first, self.rest = first, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.first:
            size = min(len(buffer), len(self.first))
            buffer[:size], self.first = self.first[:size], self.first[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _stdin() -> BinaryIO:
    return sys.stdin.buffer


class Reader:
    """Plans and reads the logs of one run against the store (what earlier runs read)."""

    def __init__(self, store: Store, names: list[str], parser_args: tuple, jobs: int | None = None):
        self.store = store
        self.inputs = [LogInput(name, index) for index, name in enumerate(names)]
        self.parser_args = parser_args  # (key, code pattern): given to each worker, never written
        self.jobs = jobs or os.cpu_count() or 1
        self._stdin: _Prefixed | None = None
        self._parser: LineParser | None = None

    # --- planning -------------------------------------------------------------------------------------------

    def plan(self, todo: list[LogInput]) -> list[LogInput]:
        """Look at each log; return those to read now, in time order (a log whose content begins as another's
        of this run waits for a later round, so that it is compared with what that one read)."""
        heads: set[str] = set()
        now = []
        for log in todo:
            try:
                self._look(log)
            except OSError as exc:
                log.state, log.problem = "skipped", _why(log.name, exc)
                continue
            if log.state in ("skipped", "read"):
                continue
            digest = _sha(log.head)
            if digest in heads:
                log.state = "later"
                continue
            heads.add(digest)
            now.append(log)
        now.sort(key=lambda log: (log.first_time is None, log.first_time or 0, log.index))
        return now

    def _look(self, log: LogInput) -> None:
        if log.path is None:
            if self._stdin is not None:
                log.state, log.problem = "skipped", "standard input (-) is named twice: read once"
                return
            rest = _stdin()
            head = rest.read(HEAD_BYTES)
            self._stdin = _Prefixed(head, rest)
            log.stream, log.head = True, head
        else:
            path = log.path
            if not path.is_file():
                reason = "is a folder, not a log file" if path.is_dir() else "does not exist"
                log.state, log.problem = "skipped", f"{log.name} {reason}"
                return
            log.size = path.stat().st_size
            log.stream = parse.is_gzip(path)
            if log.stream:
                log.packed = _file_sha(path)
                known = self.store.packed_source(log.packed)
                if known is not None:
                    log.state, log.known, log.consumed, log.lines_before = (
                        "read",
                        known,
                        known.consumed,
                        known.lines,
                    )
                    return
                try:
                    with parse.open_log(path) as handle:
                        log.head = handle.read(HEAD_BYTES)
                except (OSError, EOFError) as exc:
                    log.state, log.problem = "skipped", f"{log.name} is not a readable gzip file ({exc})"
                    return
            else:
                with open(path, "rb") as handle:
                    log.head = handle.read(HEAD_BYTES)
        if not log.head:
            log.state, log.problem = "skipped", f"{_shown(log.name)} is empty"
            return
        log.first_time = first_time(log.head)
        self._find_known(log)

    def _find_known(self, log: LogInput) -> None:
        """What an earlier run read of this content (the longest match), and where to start."""
        heads = {n: _sha(log.head[:n]) for n in self.store.head_lengths() if n <= len(log.head)}
        candidates = sorted(self.store.sources_with_head(heads), key=lambda s: -s.consumed)
        for known in candidates:
            if log.stream:  # checked while reading (a stream cannot seek)
                log.known, log.start, log.lines_before, log.state = (
                    known,
                    known.consumed,
                    known.lines,
                    "grown",
                )
                return
            if log.size >= known.consumed and self._tail_matches(log.path, known):
                log.known, log.start, log.lines_before = known, known.consumed, known.lines
                log.state = "grown" if log.size > known.consumed else "read"
                log.consumed = known.consumed
                return

    @staticmethod
    def _tail_matches(path: Path, known: Source) -> bool:
        with open(path, "rb") as handle:
            handle.seek(known.consumed - known.tail_len)
            return _sha(handle.read(known.tail_len)) == known.tail

    def pieces(self, log: LogInput) -> list[Piece]:
        if log.stream:
            return [Piece(log.index, log.name if log.path else None, 0, None, True, log.known)]
        pieces, start = [], log.start
        with open(log.path, "rb") as handle:
            while log.size - start > CHUNK_BYTES * 1.5:
                cut = _line_end_after(handle, start + CHUNK_BYTES, log.size)
                if cut is None:
                    break
                pieces.append(Piece(log.index, str(log.path), start, cut - start, False, last=False))
                start = cut
        pieces.append(Piece(log.index, str(log.path), start, log.size - start, False))
        return pieces

    # --- reading --------------------------------------------------------------------------------------------

    def read(self, logs: list[LogInput]) -> Iterator[tuple[LogInput, PieceResult]]:
        """Every piece of ``logs``, parsed, in order (the logs' time order, each log's pieces in file order)."""
        pieces = [piece for log in logs for piece in self.pieces(log)]
        todo = sum((log.size - log.start) if not log.stream else log.size * 8 for log in logs if log.path)
        parallel = self.jobs > 1 and len(pieces) > 1 and todo > IN_PROCESS_BYTES
        if not parallel:
            results = map(self._read_here, pieces)
            yield from ((self.inputs[r.input], r) for r in results)
            return
        in_pool = [p for p in pieces if p.path is not None]
        here = [p for p in pieces if p.path is None]  # standard input is this process's
        context = multiprocessing.get_context("spawn")  # never fork: a clean worker, the same on every system
        with context.Pool(
            min(self.jobs, len(in_pool)), initializer=_start_worker, initargs=self.parser_args
        ) as pool:
            for result in pool.imap(_read_piece, in_pool):
                yield self.inputs[result.input], result
            for result in map(self._read_here, here):
                yield self.inputs[result.input], result

    def _read_here(self, piece: Piece) -> PieceResult:
        if self._parser is None:
            self._parser = LineParser(*self.parser_args)
        return read_piece(piece, self._parser, self._stdin)


def _why(name: str, exc: OSError) -> str:
    return f"{_shown(name)} cannot be read: {exc.strerror or exc}"


def _shown(name: str) -> str:
    return "standard input (-)" if name == STDIN else name


def _file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _line_end_after(handle: BinaryIO, offset: int, size: int) -> int | None:
    """The position just after the first newline at or after ``offset`` (None: no newline before ``size``)."""
    handle.seek(offset)
    position = offset
    while position < size:
        block = handle.read(1 << 16)
        if not block:
            return None
        cut = block.find(b"\n")
        if cut >= 0:
            return position + cut + 1
        position += len(block)
    return None


# --- in a worker process (or in this one) ------------------------------------------------------------------

_WORKER: LineParser | None = None


def _start_worker(*args) -> None:
    global _WORKER
    _WORKER = LineParser(*args)


def _read_piece(piece: Piece) -> PieceResult:
    assert _WORKER is not None
    return read_piece(piece, _WORKER, None)


def read_piece(piece: Piece, parser: LineParser, stdin: BinaryIO | None) -> PieceResult:
    if not piece.stream:
        with open(piece.path, "rb") as handle:
            handle.seek(piece.start)
            reader = LineReader(handle, piece.length)
            parsed = parser.parse(reader.blocks())
        return PieceResult(
            piece.input, parsed, piece.start + reader.consumed, unfinished=piece.last and reader.unfinished
        )
    if piece.path is None:
        return _read_stream(piece, parser, stdin, reopen=None)
    with parse.open_log(piece.path) as handle:
        return _read_stream(piece, parser, handle, reopen=lambda: parse.open_log(piece.path))


def _read_stream(piece: Piece, parser: LineParser, handle: BinaryIO, reopen) -> PieceResult:
    """A whole stream: the known prefix checked (not parsed), then the rest parsed."""
    known, skipped, restarted, tail = piece.known, 0, False, b""
    if known is not None:
        tail = _skip_known(handle, known)
        if tail is not None:
            skipped = known.lines
        elif reopen is not None:
            with reopen() as again:
                result = _read_stream(
                    Piece(piece.input, piece.path, 0, None, True, None), parser, again, reopen=None
                )
            result.restarted = True
            return result
        else:
            restarted, tail = True, None  # standard input: what was passed over cannot be read again
    reader = LineReader(handle, final=True, tail=tail or b"")
    parsed = parser.parse(reader.blocks())
    base = known.consumed if known is not None and not restarted else 0
    return PieceResult(piece.input, parsed, base + reader.consumed, reader.tail, restarted, skipped)


def _skip_known(handle: BinaryIO, known: Source) -> bytes | None:
    """Read past ``known.consumed`` bytes, checking the last ``tail_len`` of them: those bytes, or None when
    they differ (or the stream is shorter)."""
    left = known.consumed - known.tail_len
    while left > 0:
        block = handle.read(min(left, 1 << 20))
        if not block:
            return None
        left -= len(block)
    tail = b""
    while len(tail) < known.tail_len:
        block = handle.read(known.tail_len - len(tail))
        if not block:
            return None
        tail += block
    return tail if _sha(tail) == known.tail else None
