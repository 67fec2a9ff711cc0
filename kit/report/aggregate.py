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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import unquote

from ..placements import Placement
from .parse import Parsed
from .store import Store

WINDOW_SECONDS = 30 * 60
PRUNE_EVERY = 200_000  # events between two clean-ups of what is older than the window
AFTER, TYPED = "after", "typed"
REPEATS = "repeats"
UNREADABLE = "unreadable"  # lines that are no log line (tallied under the day "")


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


# --- counts of the period, joined with the placements and the site's pages ---------------------------------

DIMENSIONS = ("venue_type", "departement", "city", "document", "layout", "lang", "level")  # tables by key


@dataclass(frozen=True)
class SitePage:
    """A page of the site, as its manifest.json lists it."""

    address: str  # relative to the site's root: "", "fr/", "fr/securite/"
    kind: str
    lang: str
    level: str
    title: str


@dataclass
class Site:
    """The pages of a `kit site` folder (manifest.json) and the path the site is served under, when known."""

    pages: dict[str, SitePage]
    base_path: str | None  # "/campagne/" from the manifest's base_url; None: found from the logs

    def resolver(self, paths: Iterable[str]) -> Callable[[str], SitePage | None]:
        """A function from a logged path to the site's page (None: not a page of the site). Without a base
        path, the one under which most logged paths are pages of the site is taken."""
        base = self.base_path
        if base is None:
            votes: Counter[str] = Counter()
            for path in map(unquote, paths):
                for address in self.pages:
                    if address and path.endswith("/" + address):
                        votes[path[: len(path) - len(address)]] += 1
            base = votes.most_common(1)[0][0] if votes else "/"

        def page(path: str) -> SitePage | None:
            path = unquote(path)
            return self.pages.get(path[len(base) :]) if path.startswith(base) else None

        return page


@dataclass
class Period:
    since: str
    until: str


@dataclass
class Figures:
    """What the report shows for one period: totals, and rows per table (key, scans), before the threshold."""

    period: Period
    days_with_data: tuple[str, str] | None
    totals: dict[str, int]
    by_day: list[tuple[str, int]]
    by_week: list[tuple[str, int]]
    by: dict[str, list[tuple[str, int]]]  # DIMENSIONS -> rows, most scans first
    placements: list[tuple[Placement, int]]  # every known placement, in the placements' order
    places: list[tuple[tuple[str, str, str, str], int]]  # (event, type, name, city) -> scans, most first
    after: list[tuple[str, str, int]]  # (path, title, views) read after a scan
    typed: list[tuple[str, str, int]]  # (path, title, visits) with no code and no referrer
    unknown: list[tuple[str, int]]  # codes no placement has
    notes: list[str] = field(default_factory=list)


def _days(since: str, until: str) -> list[str]:
    start, end = date.fromisoformat(since), date.fromisoformat(until)
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def _week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _ranked(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda row: (-row[1], row[0]))


def figures(
    store: Store,
    period: Period | None,
    placements: dict[str, Placement],
    site: Site | None,
) -> Figures:
    """The period's counts from the store (every run so far), joined with placements and the site's pages."""
    known_days = store.period()
    if period is None:
        period = Period(*(known_days or (date.today().isoformat(),) * 2))
    scans = store.scans(period.since, period.until)
    views = store.views(period.since, period.until)
    totals = Counter(store.tallies(period.since, period.until))
    page = site.resolver({row[2] for row in scans} | {row[1] for row in views}) if site else None
    per_code: Counter[str] = Counter()
    per_day: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for day, code, path, count in scans:
        if page is not None and page(path) is None:
            totals["not_a_page"] += count
        elif code in placements:
            per_code[code] += count
            per_day[day] += count
        else:
            unknown[code] += count
    totals["scans"] = sum(per_code.values())
    totals["unknown_codes"] = sum(unknown.values())
    by: dict[str, Counter[str]] = {name: Counter() for name in DIMENSIONS}
    places: Counter[tuple[str, str, str, str]] = Counter()
    for placement in placements.values():
        count = per_code.get(placement.code, 0)
        places[(placement.event_id, placement.venue_type, placement.venue_name, placement.city)] += count
        for name in DIMENSIONS:
            by[name][_dimension(placement, name)] += count
    after: Counter[tuple[str, str]] = Counter()
    typed: Counter[tuple[str, str]] = Counter()
    for _day, path, kind, count in views:
        found = page(path) if page is not None else None
        if page is not None and found is None:
            continue
        label = (path, found.title if found else "")
        (after if kind == AFTER else typed)[label] += count
    totals["read_after_scan"] = sum(after.values())
    totals["typed_visits"] = sum(typed.values())
    days = _days(period.since, period.until)
    weeks: Counter[str] = Counter()
    for day in days:
        weeks[_week(day)] += per_day.get(day, 0)
    return Figures(
        period=period,
        days_with_data=known_days,
        totals=dict(totals),
        by_day=[(day, per_day.get(day, 0)) for day in days],
        by_week=sorted(weeks.items()),
        by={name: _ranked(counts) for name, counts in by.items()},
        placements=[(p, per_code.get(p.code, 0)) for p in placements.values()],
        places=sorted(places.items(), key=lambda row: (-row[1], row[0])),
        after=[(path, title, n) for (path, title), n in _ranked(after)],
        typed=[(path, title, n) for (path, title), n in _ranked(typed)],
        unknown=_ranked(unknown),
    )


def _dimension(placement: Placement, name: str) -> str:
    if name == "document":  # the document as in every pack (<lang>/<file>), not one event's copy
        return placement.document.split("/", 1)[-1]
    return getattr(placement, name) or ""
