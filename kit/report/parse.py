"""Stage 1 of `kit report`: access-log lines in, the few facts the report needs out (no address kept).

Reads the nginx and Apache ``combined`` and ``common`` formats as bytes, a block at a time. A line is split on
``"`` (nginx escapes every quote inside a field as ``\\x22``, so a line has exactly 7 parts, more with extra
fields after the user agent); a line where Apache escaped a quote as ``\\"`` goes through an escape-aware regular
expression instead. Most lines are pictures, stylesheets or fonts and are left after two splits; a line asking
for a page (or carrying a placement code) answered 2xx or 304, from a browser that is not a bot, becomes an
*event*: its time (seconds since 1970, from the line's own offset), a keyed hash of the client (address and
user agent; the key is random per run and never written) and an item (local day, code, page path, whether the
visit came without a referrer). The address itself is read only to be hashed.

Counted on the way (per local day): lines, bots and link previewers, HEAD requests, codes answered 404 or
another status; unreadable lines are counted and the first few named by their line number.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from .bots import BotFilter

try:  # ISA-L's gzip reader: two to three times faster than zlib's, the same results (see docs/report.md)
    from isal import igzip as _gzip
except ImportError:  # pragma: no cover - a platform without isal's wheel: the standard library
    _gzip = gzip

BLOCK_BYTES = 1 << 20  # read a mebibyte at a time
MAX_LINE_BYTES = 256 * 1024  # a longer line is not a log line (counted unreadable, never held whole)
HEAD_BYTES = (
    64 * 1024
)  # a log's first bytes: how it is recognised (with the 64 KiB before where reading stopped)
NAMED_LINES = 5  # unreadable lines named by their number (per input); the others only counted
GZIP_MAGIC = b"\x1f\x8b"

MONTHS = {
    name.encode(): number
    for number, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)
}
# The escape-aware way, for a line that a split on quotes does not cut right (Apache writes a quote as \").
_QUOTED = rb'"((?:[^"\\]|\\.)*)"'
LINE_RE = re.compile(
    rb"(\S+ \S+ \S+ \[[^\]]+\] )" + _QUOTED + rb" (\d{3}) (?:\d+|-)(?: " + _QUOTED + rb" " + _QUOTED + rb")?"
)
PAGE_ENDINGS = (b".html", b".htm")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# tallies: what a day's lines were, besides events
LINES, BOTS, HEAD, NOT_FOUND, OTHER_STATUS, NO_AGENT, NOT_A_PAGE = (
    "lines",
    "bots",
    "head",
    "code_not_found",
    "code_other_status",
    "no_user_agent",
    "not_a_page",
)


@dataclass(frozen=True)
class Item:
    """What an event is about: its local day, the placement code (or None), the page's path, and whether it
    came without a referrer (an address typed or a QR code scanned)."""

    day: str
    code: str | None
    path: str
    direct: bool


@dataclass
class Parsed:
    """What one piece of a log gave: events (three parallel arrays), tallies per day, unreadable lines."""

    lines: int = 0
    items: list[Item] = field(default_factory=list)
    times: array = field(default_factory=lambda: array("q"))
    clients: array = field(default_factory=lambda: array("q"))
    kinds: array = field(default_factory=lambda: array("l"))  # index into items
    tallies: dict[tuple[str, str], int] = field(default_factory=dict)
    unreadable: int = 0
    named: list[int] = field(default_factory=list)  # line numbers (1-based, within this piece)
    too_long: int = 0


class LineReader:
    """Complete lines (without their newline) from a binary stream, a block at a time. A line longer than
    MAX_LINE_BYTES is never held whole: it is skipped and given as ``None`` (so line numbers stay right).

    ``consumed``: bytes up to the end of the last line given; what follows is an unfinished line, left for the
    next run unless the stream is ``final`` (a compressed file or standard input: complete as it is).
    ``tail``: the bytes just before ``consumed`` (at most HEAD_BYTES), kept when ``keep_tail`` is set."""

    def __init__(
        self, stream: BinaryIO, limit: int | None = None, *, final: bool = False, tail: bytes | None = None
    ):
        self.stream = stream
        self.limit = limit  # read at most this many bytes (a piece of a plain file)
        self.final = final
        self.keep_tail = tail is not None  # ``tail``: the bytes just before the stream's start, if known
        self.tail = tail or b""
        self.consumed = 0
        self.unfinished = False  # not final, and the stream ends with an unfinished line

    def _remember(self, view: memoryview) -> None:
        if self.keep_tail:
            if len(view) >= HEAD_BYTES:
                self.tail = bytes(view[-HEAD_BYTES:])
            else:
                self.tail = (self.tail + bytes(view))[-HEAD_BYTES:]

    def blocks(self) -> Iterator[list]:
        pos, carry, skipping, left = 0, b"", False, self.limit
        while True:
            size = BLOCK_BYTES if left is None else min(BLOCK_BYTES, left)
            data = self.stream.read(size) if size > 0 else b""
            if not data:
                break
            start, pos = pos, pos + len(data)
            if left is not None:
                left -= len(data)
            if skipping:
                cut = data.find(b"\n")
                if cut < 0:
                    continue
                self.consumed, skipping, self.tail = start + cut + 1, False, b""
                data = data[cut + 1 :]
                yield [None]
            buffer = carry + data if carry else data
            lines = buffer.split(b"\n")
            carry = lines.pop()
            if lines:
                self.consumed = pos - len(carry)
                self._remember(memoryview(buffer)[: len(buffer) - len(carry)])
                yield lines
            if len(carry) > MAX_LINE_BYTES:
                carry, skipping = b"", True
        self.unfinished = not self.final and bool(carry or skipping)
        if self.final and (carry or skipping):
            self.consumed = pos
            if skipping:
                self.tail = b""
                yield [None]
            else:
                self._remember(memoryview(carry))
                yield [carry]


def iso_day(raw: bytes) -> str | None:
    """``10/Oct/2000`` as ``2000-10-10``; None when it is no date."""
    try:
        return date(int(raw[7:11]), MONTHS[raw[3:6]], int(raw[0:2])).isoformat()
    except (KeyError, ValueError):
        return None


def midnight(day: str, raw_offset: bytes) -> int | None:
    """Seconds since 1970 (UTC) at the start of a logged local day, given the line's offset (``+0200``)."""
    if len(raw_offset) != 5 or raw_offset[:1] not in (b"+", b"-") or not raw_offset[1:].isdigit():
        return None
    offset = (int(raw_offset[1:3]) * 60 + int(raw_offset[3:5])) * 60 * (1 if raw_offset[:1] == b"+" else -1)
    return (date.fromisoformat(day).toordinal() - EPOCH_ORDINAL) * 86400 - offset


def page_path(target: bytes) -> bytes:
    """The path of a request target: the query left out, an absolute target's scheme and host too."""
    cut = target.find(b"?")
    path = target if cut < 0 else target[:cut]
    if not path.startswith(b"/") and b"://" in path:  # GET http://host/path HTTP/1.1
        slash = path.find(b"/", path.find(b"://") + 3)
        path = b"/" if slash < 0 else path[slash:]
    return path


def normal_path(path: bytes) -> str:
    """A page's path as kit compares it: ``index.html`` left out, as text (undecodable bytes escaped)."""
    if path.endswith(b"/index.html"):
        path = path[:-10]
    return path.decode("utf-8", "backslashreplace")


class LineParser:
    """Turns lines into a Parsed: the per-process part of stage 1 (the bot list compiled once, the run's key)."""

    def __init__(self, key: bytes, code_pattern: re.Pattern[bytes], bots: BotFilter | None = None):
        self.key = hashlib.blake2b(key=key, digest_size=8)
        self.code = code_pattern  # group 1: the placement code, in the query of a request target
        self.bots = bots or BotFilter()
        self._midnights: dict[bytes, int | None] = {}
        self._day_cache: dict[bytes, str | None] = {}
        self._times: dict[bytes, int] = {}

    def client(self, address: bytes, agent: bytes) -> int:
        """A keyed hash of the client: the same address and user agent give the same number within a run."""
        digest = self.key.copy()
        digest.update(address + b"\x00" + agent)
        return int.from_bytes(digest.digest(), "little", signed=True)

    @staticmethod
    def fields(line: bytes) -> tuple[bytes, bytes, bytes, bytes, bytes | None] | None:
        """The parts of a line that does not split in 7 on quotes: (before the request, request, after it,
        referrer, user agent), or None when it is no log line. Common format: no referrer, no user agent."""
        parts = line.split(b'"')
        if len(parts) > 7 and b'\\"' not in line:  # combined with more fields after the user agent
            return parts[0], parts[1], parts[2], parts[3], parts[5]
        if len(parts) == 3:
            return parts[0], parts[1], parts[2], b"-", None
        match = LINE_RE.match(line)  # Apache writes a quote inside a field as \"
        if match is None:
            return None
        pre, request, status, referrer, agent = match.groups()
        return pre, request, b" " + status + b" ", referrer if referrer is not None else b"-", agent

    def parse(self, blocks: Iterable[list]) -> Parsed:
        """Every line of ``blocks`` (Python's cycle collector paused: the loop makes many small tuples, no cycle)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._parse(blocks)
        finally:
            if collecting:
                gc.enable()

    def _day_of(self, line: bytes | None) -> str | None:
        """The local day of a line (None when it has none): to count a block's lines at once."""
        if not line:
            return None
        cut = line.find(b" [")
        return (
            self._days(line[cut + 2 : cut + 13]) if cut >= 0 and line[cut + 28 : cut + 29] == b"]" else None
        )

    def _days(self, raw: bytes) -> str | None:
        day = self._day_cache.get(raw, False)
        if day is False:
            day = self._day_cache[raw] = iso_day(raw)
        return day

    def _parse(self, blocks: Iterable[list]) -> Parsed:  # noqa: C901 - the hot loop, kept in one piece for speed
        """Every line of ``blocks``; most leave after a few byte operations (a picture, a stylesheet...). A block
        whose first and last lines have the same day has its lines counted for that day at once; a block across
        midnight, line by line."""
        out = Parsed()
        tallies, item_ids, days = out.tallies, {}, self._days
        code_match, fields = self.code.match, self.fields
        bot_cache, is_bot = self.bots.cache, self.bots.is_bot
        number = 0
        for lines in blocks:
            block_day = self._day_of(lines[0])
            if block_day is None or block_day != self._day_of(lines[-1]):
                block_day = None
            unreadable_before = out.unreadable
            for line in lines:
                number += 1
                if not line:  # a blank line, or one too long to be a log line
                    out.too_long += line is None
                    self._unreadable(out, number)
                    continue
                parts = line.split(b'"')
                if len(parts) != 7:
                    parts = fields(line)
                    if parts is None:
                        self._unreadable(out, number)
                        continue
                request = parts[1]
                if block_day is None:  # lines counted one by one, each on its own day
                    day = self._day_of(parts[0])
                    if day is None:
                        self._unreadable(out, number)
                        continue
                    tallies[(day, LINES)] = tallies.get((day, LINES), 0) + 1
                if request[:4] == b"GET ":
                    target = request[4 : request.rfind(b" ")]
                elif request[:5] == b"HEAD ":
                    target = request[5 : request.rfind(b" ")]
                else:
                    continue  # "-" (nothing asked), a TLS handshake sent to the plain port, POST...
                query = target.find(b"?")
                path = target if query < 0 else target[:query]
                if path[:1] != b"/":
                    path = page_path(target)
                asset = path.rfind(b".") > path.rfind(b"/") and not path.endswith(PAGE_ENDINGS)
                if asset and (query < 0 or b"p=" not in target):
                    continue  # a picture, a stylesheet, a font... (most lines leave here)
                pre = parts[0]
                cut = pre.find(b" [")
                if cut < 0 or len(pre) != cut + 30 or pre[cut + 28] != 93:  # "... [<26 characters>] "
                    self._unreadable(out, number)
                    continue
                day = days(pre[cut + 2 : cut + 13])
                if day is None:
                    self._unreadable(out, number)
                    continue
                code = None
                if query >= 0 and b"p=" in target:
                    found = code_match(target)
                    if found is not None:
                        code = found.group(1)
                if asset:
                    if code is not None:
                        tallies[(day, NOT_A_PAGE)] = tallies.get((day, NOT_A_PAGE), 0) + 1
                    continue
                status = parts[2][1:4]
                if request[0] == 72:  # HEAD
                    if code is not None:
                        tallies[(day, HEAD)] = tallies.get((day, HEAD), 0) + 1
                    continue
                if status[0] != 50 and status != b"304":  # not 2xx, not 304
                    if code is not None:
                        what = NOT_FOUND if status == b"404" else OTHER_STATUS
                        tallies[(day, what)] = tallies.get((day, what), 0) + 1
                    continue
                agent = parts[4] if len(parts) == 5 else parts[5]
                if agent is None:
                    tallies[(day, NO_AGENT)] = tallies.get((day, NO_AGENT), 0) + 1
                    agent = b""
                elif bot_cache.get(agent) or (agent not in bot_cache and is_bot(agent)):
                    tallies[(day, BOTS)] = tallies.get((day, BOTS), 0) + 1
                    continue
                self._event(out, item_ids, pre, cut, day, code, path, parts[3], agent, number)
            if block_day is not None:
                read = len(lines) - (out.unreadable - unreadable_before)
                tallies[(block_day, LINES)] = tallies.get((block_day, LINES), 0) + read
        out.lines = number
        return out

    def _event(self, out: Parsed, item_ids: dict, pre, cut, day, code, path, referrer, agent, number) -> None:
        """A request that counts: its time from the line's own offset, the client's keyed hash, its item."""
        stamp = pre[cut + 2 : cut + 28]  # 10/Oct/2000:13:55:36 -0700
        when = self._times.get(stamp)
        if when is None:
            when = self._time(stamp, day)
            if when is None:
                self._unreadable(out, number)
                return
        item_key = (day, code, path, referrer == b"-" or not referrer)
        index = item_ids.get(item_key)
        if index is None:
            index = item_ids[item_key] = len(out.items)
            text_code = code.decode("ascii") if code is not None else None
            out.items.append(Item(day, text_code, normal_path(path), item_key[3]))
        out.times.append(when)
        out.clients.append(self.client(pre[: pre.find(b" ")], agent))
        out.kinds.append(index)

    def _time(self, stamp: bytes, day: str) -> int | None:
        """Seconds since 1970 of a logged time (remembered: a busy server logs many lines a second)."""
        zone = stamp[:11] + stamp[20:26]
        day_start = self._midnights.get(zone, False)
        if day_start is False:
            day_start = self._midnights[zone] = midnight(day, stamp[21:26])
        clock = stamp[12:20]
        if day_start is None or not clock.replace(b":", b"").isdigit():
            return None
        if len(self._times) >= 100_000:
            self._times.clear()
        when = self._times[stamp] = day_start + int(clock[:2]) * 3600 + int(clock[3:5]) * 60 + int(clock[6:])
        return when

    @staticmethod
    def _unreadable(out: Parsed, number: int) -> None:
        out.unreadable += 1
        if len(out.named) < NAMED_LINES:
            out.named.append(number)


@contextmanager
def open_log(path) -> Iterator[BinaryIO]:
    """A log file's bytes, decompressed when it is gzip (known by its first bytes, whatever its name)."""
    with open(path, "rb") as handle:
        if handle.read(2) != GZIP_MAGIC:
            handle.seek(0)
            yield handle
            return
        handle.seek(0)
        with _gzip.open(handle, "rb") as unpacked:
            yield unpacked


def is_gzip(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == GZIP_MAGIC
