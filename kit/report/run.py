"""`kit report` from end to end: options checked, logs read (stage 1) and counted (stage 2) into the store, then
the period's figures joined with placements and written (stage 3). The one call the CLI makes."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import KitError, OptionError
from ..files import OutputFolder, check_inside
from ..placements import Placement, read_placements_csv, read_registry, request_code_pattern
from .aggregate import REPEATS, UNREADABLE, Figures, Period, Site, SitePage, Tally, figures
from .parse import BOTS, HEAD, LINES, MAX_LINE_BYTES, NAMED_LINES, NOT_FOUND
from .sources import STDIN, LogInput, Reader
from .store import Source, Store

STATE_NAME = ".kit-report.sqlite"  # the report's memory (exact counts: never publish it)
DEFAULT_THRESHOLD = 5
SQLITE_MAGIC = b"SQLite format 3\x00"


class NothingRead(KitError):
    """No log given could be read: nothing counted, nothing written."""


@dataclass
class LogSummary:
    """What this run made of one log named on the command line."""

    name: str
    state: str  # new | grown | read | skipped
    lines: int = 0  # lines read this run
    unreadable: int = 0
    events: int = 0  # with --site: pages of the site asked for; else: requests carrying a code
    message: str = ""


@dataclass
class ReportResult:
    out_dir: Path
    figures: Figures
    run: dict[str, int]  # this run: lines read and skipped, bots, scans, unknown codes...
    logs: list[LogSummary]
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"

    def summary(self) -> dict:
        """What `kit report --json` prints: this run's counts, the period's totals, each log's outcome."""
        return {
            **self.run,
            "period": {"since": self.figures.period.since, "until": self.figures.period.until},
            "period_totals": self.figures.totals,
            "logs": [vars(log) for log in self.logs],
            "notes": self.notes,
            "report": str(self.index),
        }

    def to_json(self) -> str:
        return json.dumps(self.summary(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        """The summary for the terminal: each log's outcome, notes, this run's counts, where the report is."""
        counts, period = self.run, self.figures.period
        lines = [log.message for log in self.logs] + [f"Note: {note}" for note in self.notes]
        lines.append(
            f"This run: {counts['lines_read']:,} lines read, {counts['lines_skipped']:,} skipped, "
            f"{counts['bots']:,} from bots left out, {counts['scans']:,} scans, "
            f"{counts['unknown_codes']:,} of unknown codes."
        )
        lines.append(
            f"Report ({period.since} to {period.until}): {self.figures.totals.get('scans', 0):,} scans."
        )
        lines.append(f"Open:      {self.index}")
        return "\n".join(lines)


def _day(value: str | date | None, option: str) -> str | None:
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise OptionError(f"{option} {value!r} is not a date: write it as YYYY-MM-DD (2026-03-01).") from None


def load_placements(files: list[Path], registry: Path | None) -> tuple[dict[str, Placement], list[str]]:
    """code -> placement from placements.csv files and the campaign's registry (the first seen wins)."""
    found: dict[str, Placement] = {}
    notes: list[str] = []
    sources: list[tuple[str, list[Placement]]] = []
    for path in files:
        path = Path(path)
        if not path.is_file():
            raise OptionError(
                f"--placements {path}: no such file (give the placements.csv of `kit pack --track`)."
            )
        with open(path, "rb") as handle:
            is_db = handle.read(16) == SQLITE_MAGIC
        if is_db:
            sources.append((str(path), _from_registry(path)))
        else:
            sources.append((str(path), read_placements_csv(path)))
    if registry is not None and registry.is_file():
        sources.append((str(registry), _from_registry(registry)))
    for where, placements in sources:
        clashes = 0
        for placement in placements:
            other = found.setdefault(placement.code, placement)
            if other is not placement and other != placement and other.document != placement.document:
                clashes += 1
        if clashes:
            notes.append(
                f"{where}: {clashes} codes stand for another place in a file read before; kept the first."
            )
    return found, notes


def _from_registry(path: Path) -> list[Placement]:
    return read_registry(path)  # never written to: a read-only copy on a log server will do


def load_site(folder: Path | None) -> Site | None:
    """The pages of a `kit site` folder, from its manifest.json."""
    if folder is None:
        return None
    manifest = Path(folder) / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        pages = {
            entry["address"]: SitePage(
                entry["address"], entry["page"], entry["lang"], entry["level"], entry.get("title", "")
            )
            for entry in data["pages"]
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OptionError(
            f"--site {folder}: {manifest} cannot be read as the manifest of `kit site` ({exc}). Give the folder "
            "`kit site` wrote."
        ) from None
    base = data.get("base_url")
    base_path = None
    if isinstance(base, str) and "://" in base:
        base_path = "/" + base.split("://", 1)[1].partition("/")[2]
    return Site(pages, base_path)


@dataclass
class ReportOptions:
    logs: list[str]
    out: Path
    placements: list[Path] = field(default_factory=list)
    registry: Path | None = None  # the campaign's placement registry (kit.toml), read when it exists
    site: Path | None = None
    since: str | None = None
    until: str | None = None
    threshold: int = DEFAULT_THRESHOLD
    force: bool = False
    content_dir: Path | None = None
    jobs: int | None = None


def build_report(options: ReportOptions, progress=None) -> ReportResult:
    """Read the logs, count, remember, and write the report into ``options.out``."""
    from .render import FILES, load_words, write_report

    since, until = _day(options.since, "--since"), _day(options.until, "--until")
    if since and until and since > until:
        raise OptionError(f"--since {since} is after --until {until}: give the first day, then the last.")
    if options.threshold < 1:
        raise OptionError("--min-count must be 1 or more (counts under it are shown as '< N').")
    if not options.logs:
        raise OptionError("Name at least one log file (or - for standard input).")
    words = load_words(options.content_dir)
    placements, notes = load_placements(options.placements, options.registry)
    site = load_site(options.site)
    folder = OutputFolder(options.out, force=options.force)
    folder.prepare()
    folder.claim([STATE_NAME, *FILES])
    state = folder.root / STATE_NAME
    check_inside(state, folder.root)
    if state.is_symlink():
        raise KitError(
            f"{state} is a link: kit keeps the report's memory in a file of its own. Remove the link."
        )
    store = Store(state)
    try:
        tally, logs = _read(store, options, site)
        if all(log.state == "skipped" for log in logs):
            raise NothingRead(
                "No log could be read, so nothing was counted:\n"
                + "\n".join(f"  - {log.message}" for log in logs if log.message)
            )
        _save(store, tally)
        store.commit()
        period = Period(since, until) if since or until else None
        if period is not None:
            known = store.period()
            period = Period(since or (known[0] if known else until), until or (known[1] if known else since))
        result_figures = figures(store, period, placements, site)
    finally:
        store.close()
    run = _run_counts(tally, logs, placements, site)
    tally.forget()
    result = ReportResult(folder.root, result_figures, run, logs, notes)
    if not placements:
        result.notes.append(
            "No placements were given: every code counts as unknown. Give --placements with the placements.csv "
            "that `kit pack --track` wrote (or run in the project folder, beside its placement registry)."
        )
    result.files = write_report(folder, result, words, options.threshold)
    return result


def _read(store: Store, options: ReportOptions, site: Site | None) -> tuple[Tally, list[LogSummary]]:
    """Stage 1 and 2: every log's new lines, in time order, counted; each log's record saved."""
    reader = Reader(
        store,
        [str(name) for name in options.logs],
        (secrets.token_bytes(32), request_code_pattern()),
        options.jobs,
    )
    tally = Tally()
    todo = list(reader.inputs)
    while todo:
        now = reader.plan(todo)
        for log, piece in reader.read(now):
            tally.add(piece.parsed)
            _absorb(log, piece, tally)
        for log in now:
            if log.lines or log.state == "restarted" or log.packed:
                _finish(store, log)
        todo = [log for log in todo if log.state == "later"]
        for log in todo:
            log.state = "new"
    page = site.resolver(set().union(*(log.paths for log in reader.inputs))) if site else None
    for log in reader.inputs:
        log.events = log.codes if page is None else sum(1 for path in log.paths if page(path))
    return tally, [_summary(log) for log in reader.inputs]


def _absorb(log: LogInput, piece, tally: Tally) -> None:
    """One piece's outcome into its log's record of this run (lines, unreadable ones by number)."""
    parsed = piece.parsed
    if piece.restarted:  # a stream that began like a known log but differed: read from its start
        log.state, log.known, log.lines_before = "restarted", None, 0
        if log.path is None:
            log.problem = (
                "standard input begins like a log read before, then differs: the lines before the difference "
                "were not counted. Give it as a file to have them counted."
            )
    base = log.lines_before + log.lines
    log.named += [base + number for number in parsed.named][: NAMED_LINES - len(log.named)]
    log.lines += parsed.lines
    log.unreadable += parsed.unreadable
    log.too_long += parsed.too_long
    log.events += len(parsed.times) + sum(n for (_day, what), n in parsed.tallies.items() if what != LINES)
    log.codes += sum(1 for item in parsed.items if item.code is not None)
    if len(log.paths) < 10_000:
        log.paths.update(item.path for item in parsed.items)
    log.consumed, log.unfinished = piece.consumed, piece.unfinished
    if log.stream:
        log.tail = piece.tail
    if parsed.unreadable:
        tally.tallies[("", UNREADABLE)] += parsed.unreadable


def _finish(store: Store, log: LogInput) -> None:
    """Save what was read of ``log`` (its first bytes, where reading stopped, the bytes before), by content."""
    consumed = log.consumed
    if consumed <= 0 or (log.path is None and log.state == "restarted"):
        return  # nothing whole read yet; or standard input whose beginning was passed over
    head_len = min(len(log.head), consumed)
    if log.stream:
        tail = log.tail
    else:
        tail_len = min(consumed, 64 * 1024)
        with open(log.path, "rb") as handle:
            handle.seek(consumed - tail_len)
            tail = handle.read(tail_len)
    known = log.known if log.state in ("grown", "read") else None
    source = Source(
        known.id if known else None,
        head_len,
        hashlib.sha256(log.head[:head_len]).hexdigest(),
        consumed,
        len(tail),
        hashlib.sha256(tail).hexdigest(),
        log.lines_before + log.lines,
    )
    store.save_source(source, packed=log.packed)


def _save(store: Store, tally: Tally) -> None:
    store.add_scans((day, code, path, n) for (day, code, path), n in tally.scans.items())
    store.add_views((day, path, kind, n) for (day, path, kind), n in tally.views.items())
    store.add_tallies((day, what, n) for (day, what), n in tally.tallies.items())


def _run_counts(tally: Tally, logs: list[LogSummary], placements: dict, site: Site | None) -> dict[str, int]:
    """This run's figures, for the terminal: lines read and skipped, bots, scans, unknown codes."""
    page = site.resolver({path for _day, _code, path in tally.scans}) if site else None
    scans = unknown = 0
    for (_day, code, path), count in tally.scans.items():
        if page is not None and page(path) is None:
            continue
        if code in placements:
            scans += count
        else:
            unknown += count
    what = Counter()
    for (_day, name), count in tally.tallies.items():
        what[name] += count
    return {
        "lines_read": sum(log.lines for log in logs),
        "lines_skipped": sum(log.unreadable for log in logs),
        "bots": what[BOTS],
        "scans": scans,
        "unknown_codes": unknown,
        "repeats": what[REPEATS],
        "head_requests": what[HEAD],
        "codes_not_found": what[NOT_FOUND],
    }


def _summary(log: LogInput) -> LogSummary:
    """One log's outcome in plain words."""
    name = "standard input (-)" if log.name == STDIN else log.name
    found = LogSummary(name, log.state, log.lines, log.unreadable, log.events)
    if log.state == "skipped":
        found.message = log.problem or f"{name} cannot be read"
        return found
    if log.state == "read" or (log.state == "grown" and not log.lines):
        found.state = "read"
        found.message = f"{name}: already read ({log.lines_before:,} lines), nothing new"
        return found
    parts = []
    if log.state == "grown":
        parts.append(
            f"read from line {log.lines_before + 1:,} on (what came before was read by an earlier run)"
        )
    if log.state == "restarted":
        parts.append(log.problem or "begins like a log read before, then differs: read as a new log")
    readable = log.lines - log.unreadable
    if log.lines and not readable:
        found.state = "skipped"
        found.message = (
            f"{name} is not a web server's access log: none of its {log.lines:,} lines could be read (kit reads "
            "the combined and common formats of nginx and Apache)"
        )
        return found
    parts.append(f"{log.lines:,} lines read")
    if log.unreadable:
        where = ", ".join(str(n) for n in log.named)
        longer = f", {log.too_long:,} longer than {MAX_LINE_BYTES // 1024} KiB" if log.too_long else ""
        parts.append(
            f"{log.unreadable:,} could not be read (line {where}{', ...' if log.unreadable > len(log.named) else ''}{longer})"
        )
    if readable and not log.events:
        parts.append(
            "nothing in it is for this site (no placement code, no page of the site): the log of another site?"
        )
    if log.unfinished:
        parts.append("its last line is unfinished: it will be read when it is complete")
    found.message = f"{name}: " + "; ".join(parts)
    return found
