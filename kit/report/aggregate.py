"""Stage 2 of `kit report`: events in time order become counts per day, with the 30-minute rule applied.

- **A scan** is counted unless the same client (keyed hash of address and user agent) opened the same code less
  than 30 minutes before: a reload, or the same phone scanning again, counts once; the same phone hours later
  counts again. Repeats are tallied apart.
- **Read after a scan**: a page opened without a code by a client less than 30 minutes after its last scan
  (each page once per client in those 30 minutes).
- **Typed visit**: a page opened without a code and without a referrer by a client that opened nothing in the 30
  minutes before (an address typed by hand, or a bookmark).

The hashes live in this process's memory only, for the 30 minutes they are needed, and are never written.
"""

from __future__ import annotations

from collections import Counter

from .parse import Parsed

WINDOW_SECONDS = 30 * 60
PRUNE_EVERY = 200_000  # events between two clean-ups of what is older than the window
AFTER, TYPED = "after", "typed"
REPEATS = "repeats"


class Tally:
    """Counts of one run (added to the store at its end)."""

    def __init__(self, window: int = WINDOW_SECONDS):
        self.window = window
        self.scans: Counter[tuple[str, str, str]] = Counter()  # (day, code, path)
        self.views: Counter[tuple[str, str, str]] = Counter()  # (day, path, kind)
        self.tallies: Counter[tuple[str, str]] = Counter()  # (day, what)
        self._last_scan: dict[tuple[int, str], int] = {}  # (client, code) -> time of its last request
        self._scanned: dict[int, int] = {}  # client -> time of its last scan
        self._seen: dict[int, int] = {}  # client -> time of its last request
        self._read: dict[tuple[int, str], int] = {}  # (client, path) -> when counted as read after a scan
        self._latest = 0
        self._since_prune = 0

    def add(self, parsed: Parsed) -> None:  # noqa: C901 - one loop over every event, kept flat for speed
        window = self.window
        items = [(i.day, i.code, i.path, i.direct) for i in parsed.items]
        scans, views, tallies = self.scans, self.views, self.tallies
        last_scan, scanned, seen, read = self._last_scan, self._scanned, self._seen, self._read
        latest = self._latest
        for when, client, index in zip(parsed.times, parsed.clients, parsed.kinds, strict=True):
            day, code, path, direct = items[index]
            before = seen.get(client)
            seen[client] = when
            if when > latest:
                latest = when
            if code is not None:
                key = (client, code)
                last = last_scan.get(key)
                last_scan[key] = when
                scanned[client] = when
                if last is not None and abs(when - last) < window:
                    tallies[(day, REPEATS)] += 1
                else:
                    scans[(day, code, path)] += 1
                continue
            scan = scanned.get(client)
            if scan is not None and abs(when - scan) < window:
                key = (client, path)
                last = read.get(key)
                if last is None or abs(when - last) >= window:
                    read[key] = when
                    views[(day, path, AFTER)] += 1
            elif direct and (before is None or abs(when - before) >= window):
                views[(day, path, TYPED)] += 1
        for key, count in parsed.tallies.items():
            tallies[key] += count
        self._latest = latest
        self._since_prune += len(parsed.times)
        if self._since_prune >= PRUNE_EVERY:
            self._prune()

    def _prune(self) -> None:
        """Forget what is older than the window (memory stays flat whatever the size of the logs)."""
        horizon = self._latest - self.window
        for table in (self._last_scan, self._scanned, self._seen, self._read):
            old = [key for key, when in table.items() if when < horizon]
            for key in old:
                del table[key]
        self._since_prune = 0

    def forget(self) -> None:
        """The end of the run: no hash of a client is kept."""
        for table in (self._last_scan, self._scanned, self._seen, self._read):
            table.clear()
