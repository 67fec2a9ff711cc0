"""`kit pack`: an events spreadsheet to a ready-to-print folder per event, at national scale, resumable.

Rows are checked first (kit.events); packs whose row, content, layouts and options are unchanged are kept as
they are; the others go to the per-event builder (kit.pack.builder) in chunks handed to the workers ahead, so
none waits for the parent. Progress is saved event by event (one small file each), manifest.json and
placements.csv are written event by event, and every problem goes to problems.txt.
"""

from __future__ import annotations

import shutil
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NoSpaceError, OptionError
from ..events import Event, read_events
from ..files import MANIFEST_NAME, OutputFolder, atomic_write, check_encodable, remove_parts, write_manifest
from ..placements import (
    PLACEMENTS_CSV,
    REGISTRY_NAME,
    Place,
    Placement,
    PlacementRegistry,
    code_in,
    open_registry,
    write_placements_csv,
)
from ..version import __version__
from .builder import EventBuilder, placements_of, write_zip
from .pool import InProcessPool, Interrupts, WorkerPool, worker_count
from .results import EventResult, Failure, PackResult
from .state import STATE_DIR, OutputLock, PackState, inputs_digest
from .worker import TMP_DIR, PackWorker

if TYPE_CHECKING:
    from ..project import Project

Progress = Callable[[int, int, str], None]
PROBLEMS_NAME = "problems.txt"


def build_packs(
    project: Project,
    events_file: str | Path | bytes,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    zip_packs: bool = False,
    progress: Progress | None = None,
    force: bool = False,
) -> PackResult:
    """Read the events spreadsheet (a path, or its bytes), then build one folder per valid event (only those whose
    inputs changed).

    Raises SpreadsheetError when the file itself is unusable, OptionError when tracking has no site to measure
    or the folder's name cannot be written, NoSpaceError when the disk (or a quota, or a file size limit) is
    full; rows with problems are reported as failed events (the others are built). An interrupted run is
    finished by the same command.

    kit writes through the folder's record (kit.files.OutputFolder): a file it did not write where the run
    puts manifest.json, problems.txt, placements.csv or a zip stops it before anything is written (OutputError),
    one in an event's folder fails that event, unless ``force``.
    """
    from ..build import qr_notes, review_notes
    from ..plan import pack_notes, unpublished_rows

    _check_options(project, Path(out_dir))
    kb = project.kb
    sheet = read_events(
        events_file, venues=kb.venues, languages=kb.all_languages, default_lang=kb.languages[0]
    )
    unpublished_rows(project, sheet)  # a row in a language the site does not publish fails
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    warnings = (
        qr_notes(project)
        + review_notes(project, (lang for e in sheet.events for lang in e.languages))
        + [str(w) for w in sheet.warnings]
        + pack_notes(project, sheet.events)
    )
    results: dict[int, EventResult] = {}
    for row in sheet.failed_rows:
        problems = sheet.problems_of(row)
        message = f"row {row} has {len(problems)} problem{'s' if len(problems) > 1 else ''}"
        failure = Failure("row", message, tuple(p.as_dict() for p in problems))
        results[row] = EventResult(sheet.name_of(row), row, "failed", [failure])
    # From the lock taken to the lock given back (the manifest and placements written, the registry closed), a
    # second Ctrl-C stops at once: never a Ctrl-C inside the release of a lock or the end of a pool.
    stops: list[Callable[[], None]] = [lambda: _remove_parts_of_run(out)]
    with Interrupts(lambda: [stop() for stop in reversed(stops)]), OutputLock(out):
        with _registry(project, out) as registry:
            folder = OutputFolder(out, force=force)
            zips = [f"{event.id}.zip" for event in sheet.events] if zip_packs else []
            folder.claim([MANIFEST_NAME, PROBLEMS_NAME, *([PLACEMENTS_CSV] if registry else []), *zips])
            _run(project, sheet.events, out, results, jobs, zip_packs, progress, registry, stops, force)
            result = PackResult(out, sorted(results.values(), key=lambda r: r.row), warnings)
            result.manifest = out / MANIFEST_NAME
            result.placements = _write_placements(out, registry, sheet.events, result.events)
            result.problems = _write_problems(out, result)
    return result


def _remove_parts_of_run(out: Path) -> None:
    """The temporary files of what was being written when the run was stopped at once (never a document)."""
    remove_parts(out, recursive=False)
    remove_parts(out / STATE_DIR / "events", recursive=False)
    shutil.rmtree(out / TMP_DIR, ignore_errors=True)


def _check_options(project: Project, out: Path) -> None:
    """What would make every document fail, said once before anything is written; a folder another command
    wrote."""
    from ..build import check_not_another_commands

    check_encodable(out, "--out")
    check_not_another_commands(out, "kit pack")
    if project.options.track and not project.options.site_base:
        raise OptionError(
            "--track adds a placement code to the address in each QR code, so that the companion site's web "
            "logs tell which places make people scan; without the site's address ([site] base_url in kit.toml) "
            "the codes would go to other sites' addresses, whose logs you never see, and would measure nothing. "
            'Add base_url under [site] in kit.toml (like base_url = "https://sante.example.org/"), publish '
            "the site there (kit site), then run kit pack --track again; or leave --track out."
        )


@contextmanager
def _registry(project: Project, out: Path) -> Iterator[PlacementRegistry | None]:
    """With tracking, the campaign's placement registry (kit.placements): [build] placements in kit.toml, else
    placements.sqlite beside kit.toml, else in the output folder."""
    if not project.options.track:
        yield None
        return
    path = project.config.placements_registry
    registry = open_registry(path or out / REGISTRY_NAME, root=None if path else out)
    try:
        yield registry
    finally:
        registry.close()


def _codes_kept(registry: PlacementRegistry | None, event: Event, documents: list[dict]) -> bool:
    """A pack left as it is keeps its codes: they are (or become) the registry's for its placements. False when
    the registry gave one of them to another placement (the pack is then made again)."""
    if registry is None:
        return True
    codes = {}
    for doc in documents:
        code = code_in(doc["qr"][0]["url"]) if doc.get("qr") else None
        if code:
            codes[doc["path"].split("/", 1)[1]] = (code, doc["lang"])
    return not codes or registry.adopt(Place.of(event), codes)


def _pending(events, out: Path, state: PackState, registry, results: dict, zip_packs: bool) -> list[Event]:
    """The events to build: not those whose pack is up to date (recorded in ``results``, their zip remade)."""
    to_build: list[Event] = []
    for event in events:
        before = state.up_to_date(event)
        if before is not None and _codes_kept(registry, event, before["documents"]):
            saved = state.file(event.id)
            results[event.row] = EventResult(
                event.id, event.row, "up-to-date", [], before["documents"], saved=saved
            )
            if zip_packs:  # cheap, and never stale
                write_zip(out, event.id, before["documents"])
        else:
            to_build.append(event)
    for event_id in state.known() - {event.id for event in events}:
        state.forget(event_id)  # a row taken off the sheet
    return to_build


def _run(
    project, events, out: Path, results: dict, jobs, zip_packs, progress, registry, stops: list, force=False
) -> None:
    state = PackState(out, inputs_digest(project))
    to_build = _pending(events, out, state, registry, results, zip_packs)
    jobs = worker_count(jobs)
    tmp = out / TMP_DIR
    tmp.mkdir(exist_ok=True)
    if jobs == 1:
        from ..build import Builder

        pool = InProcessPool(PackWorker(Builder(project)))
    else:
        pool = WorkerPool(jobs, tmp)
    builder = EventBuilder(
        project, out, pool, registry=registry, state=state, zip_packs=zip_packs, force=force
    )

    def hard_stop() -> None:  # the second Ctrl-C, while the workers end their tasks: first stop them
        pool.kill()
        builder.clean_in_flight()

    stops.append(hard_stop)
    try:
        _chunks(builder, to_build, results, progress)
        if builder.stopped:
            raise NoSpaceError(builder.stopped)
    finally:
        pool.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
        # Written at the end (and when interrupted): rewriting it per chunk would cost more and more.
        _write_manifest(out, project, list(results.values()))


def _chunks(builder: EventBuilder, to_build: list[Event], results: dict, progress: Progress | None) -> None:
    """Chunks handed over ahead (the pool's ``depth``) and collected in order, until done or nothing more can
    be written."""
    size = builder.EVENTS_PER_CHUNK
    chunks = [to_build[start : start + size] for start in range(0, len(to_build), size)]
    ahead: deque = deque(builder.submit(chunk) for chunk in chunks[: builder.pool.depth])
    following = iter(chunks[builder.pool.depth :])
    total, done = len(to_build), 0
    while ahead:
        for result in builder.collect(ahead.popleft()):
            results[result.row] = result
            done += 1
            if progress:
                progress(done, total, result.id)
        if builder.stopped:
            return
        next_chunk = next(following, None)
        if next_chunk is not None:  # the workers still have the chunks handed over before it
            ahead.append(builder.submit(next_chunk))


def _write_manifest(out: Path, project: Project, results: list[EventResult]) -> Path:
    """manifest.json, written event by event (kit.files.write_manifest, as every command's)."""
    head = {"kit_version": __version__, "content_version": project.kb.meta.content_version}
    events = (result.entry() for result in sorted(results, key=lambda r: r.row))
    return write_manifest(out, head, {"events": events})


def _write_problems(out: Path, result: PackResult) -> Path | None:
    """problems.txt: every problem of the run, one a line, naming its event (the terminal shows the first)."""
    target = out / PROBLEMS_NAME
    lines = result.problem_lines()
    if not lines:
        OutputFolder(out).remove(PROBLEMS_NAME)  # kit's, of an earlier run (never a file of the user's)
        return None
    atomic_write(target, "".join(f"{line}\n" for line in lines), root=out)
    return target


def _write_placements(
    out: Path, registry: PlacementRegistry | None, events: list[Event], results: list[EventResult]
) -> Path | None:
    """placements.csv: which place and document each tracking code of this run's packs stands for, so that scans
    seen in a web host's logs can be counted by place (nothing about people). Only when tracking; the
    registry learns the page each code leads to."""
    target = out / PLACEMENTS_CSV
    if registry is None:
        OutputFolder(out).remove(PLACEMENTS_CSV)  # kit's, of an earlier tracked run: it would no longer match
        return None
    by_id = {event.id: event for event in events}

    def placements() -> Iterator[Placement]:
        for result in results:
            event = by_id.get(result.id)
            if event is not None:
                yield from placements_of(event, result.documents)

    pending: list[Placement] = []

    def noted(placements: Iterator[Placement]) -> Iterator[Placement]:
        for placement in placements:  # the registry learns each code's page a few thousand at a time
            pending.append(placement)
            if len(pending) >= 2000:
                registry.record(pending)
                pending.clear()
            yield placement

    write_placements_csv(target, noted(placements()), root=out)
    registry.record(pending)
    return target


def build_packs_naive(project: Project, events_file: str | Path, out_dir: str | Path) -> int:
    """For benchmarks only: every document of every pack rendered on its own, nothing shared or reused."""
    from ..build import Builder
    from ..plan import plan_event
    from .builder import pack_path

    kb = project.kb
    sheet = read_events(events_file, venues=kb.venues, default_lang=kb.languages[0])
    out = Path(out_dir)
    count = 0
    for event in sheet.events:
        for doc in plan_event(project, event):
            Builder(project, reuse=False).build(doc, out / pack_path(event, doc))
            count += 1
    return count
