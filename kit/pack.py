"""Event packs in batch: a ready-to-print folder per event, shared documents rendered once, in worker processes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import multiprocessing
import os
import zipfile
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import parse_qs, urlsplit

from .addresses import CODE_PARAMETER, PlacementBook, printed
from .errors import FitError, KitError, LayoutError, OptionError
from .events import Event, read_events
from .files import OutputFolder, atomic_write
from .plan import Planned, plan_event
from .version import __version__

if TYPE_CHECKING:
    from .build import Builder
    from .project import Project, Settings

log = logging.getLogger("kit")

STATE_NAME = ".kit-pack-state.json"
PLACEMENTS_NAME = "placements.csv"
BATCH_SIZE = 20           # event documents laid out per WeasyPrint document
EVENTS_PER_CHUNK = 40     # events planned and dispatched at a time (memory stays flat)

Progress = Callable[[int, int, str], None]


def pack_path(event: Event, doc: Planned) -> str:
    """Where a document goes, relative to the packs folder: <event id>/<lang>/<name>.pdf."""
    return f"{event.id}/{doc.path}"


# --- inputs and state ----------------------------------------------------------------------------


def _tree_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(project: "Project") -> str:
    """Everything besides the row that shapes a pack: kit, content, layouts, options (logo included)."""
    kb, options = project.kb, project.options
    digest = hashlib.sha256(__version__.encode())
    content = {"meta": kb.meta.model_dump(mode="json"), "shared": kb.shared.model_dump(mode="json"),
               "questions": [q.model_dump(mode="json") for q in kb.questions],
               "venues": [v.model_dump(mode="json") for v in kb.venues],
               "locales": {k: v.model_dump(mode="json") for k, v in kb.locales.items()}}
    digest.update(json.dumps(content, sort_keys=True, ensure_ascii=False).encode())
    digest.update(_tree_digest(project.layouts.search_path).encode())
    digest.update(repr(options).encode())
    for extra in (options.branding.logo, options.falc_logo):
        if extra and Path(extra).is_file():
            digest.update(Path(extra).read_bytes())
    return digest.hexdigest()


def _read_state(out: Path) -> dict:
    try:
        return json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# --- work done in worker processes ----------------------------------------------------------------


@cache
def _builder(settings: "Settings") -> "Builder":
    """Each process loads the project and sets WeasyPrint up once (fonts, parsed CSS, image cache)."""
    from .build import Builder
    from .project import load_project

    return Builder(load_project(settings))


class PackWorker:
    """Renders pack documents with one builder: in a worker process, or in this one (`--jobs 1`)."""

    def __init__(self, builder: "Builder", out: Path):
        self.builder = builder
        self.out = out

    def one(self, doc: Planned, target: str) -> dict:
        try:
            built = self.builder.build(doc, self.out / target)
        except (FitError, LayoutError, OptionError) as exc:
            return {"target": target, "error": str(exc)}
        built.path = target
        return {"target": target, "doc": built.entry()}

    def shared(self, doc: Planned, target: str) -> list[dict]:
        return [self.one(doc, target)]

    def batch(self, items: list[tuple[Planned, str]]) -> list[dict]:
        """Lay out many event documents of one layout in one WeasyPrint document, then split it per event."""
        from .build import BuiltDocument
        from .channels.pdf import BatchMismatch

        if len(items) == 1 or any(doc.layout.pages(doc.spec) is None for doc, _ in items):
            return [self.one(doc, target) for doc, target in items]
        try:
            prepared = [(doc, *self.builder.prepare(doc)) for doc, _ in items]
            outputs = self.builder.channel(items[0][0].layout.channel).make_batch(prepared)
        except (BatchMismatch, KitError, AssertionError):
            # Any trouble in a batch (a document too long, a broken template, an engine failure): lay the
            # documents out one by one, so that each failure is reported for its own event only.
            log.info("batch of %d %s documents laid out one by one", len(items), items[0][0].spec.layout)
            return [self.one(doc, target) for doc, target in items]
        results = []
        for (doc, target), (_, ready, _), output in zip(items, prepared, outputs):
            if isinstance(output, FitError):
                results.append({"target": target, "error": str(output)})
                continue
            atomic_write(self.out / target, output.data)
            built = BuiltDocument(doc, ready.title, output.pages, ready.qr, output.sha256, target)
            results.append({"target": target, "doc": built.entry()})
        return results


def _in_worker(settings: "Settings", out: str, task: str, *args) -> list[dict]:
    """A task run in a worker process."""
    return getattr(PackWorker(_builder(settings), Path(out)), task)(*args)


class _InProcess:
    """`--jobs 1`: the same tasks, run in this process with the project already loaded (for debugging)."""

    def __init__(self, worker: PackWorker):
        self.worker = worker

    def submit(self, fn, settings, out, task: str, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(getattr(self.worker, task)(*args))
        except Exception as exc:  # handed over as a pool would
            future.set_exception(exc)
        return future

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# --- the run -------------------------------------------------------------------------------------


@dataclass
class EventResult:
    id: str
    row: int
    status: str  # built | up-to-date | failed
    errors: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)

    def entry(self) -> dict:
        return {"id": self.id, "row": self.row, "status": self.status, "errors": self.errors,
                "documents": self.documents}


@dataclass
class PackResult:
    out_dir: Path
    events: list[EventResult]
    warnings: list[str]
    manifest: Path | None = None
    placements: Path | None = None

    def count(self, status: str) -> int:
        return sum(1 for e in self.events if e.status == status)

    @property
    def failed(self) -> bool:
        return any(e.status == "failed" for e in self.events)


def _write_manifest(out: Path, project: "Project", results: list[EventResult]) -> Path:
    manifest = {"kit_version": __version__, "content_version": project.kb.meta.content_version,
                "events": [r.entry() for r in sorted(results, key=lambda r: r.row)]}
    return atomic_write(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def _write_zip(out: Path, event_id: str, documents: list[dict]) -> None:
    """<id>.zip: exactly the pack's documents (nothing stale), with fixed dates so it is repeatable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(doc["path"] for doc in documents):
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (out / path).read_bytes())
    atomic_write(out / f"{event_id}.zip", buffer.getvalue())


def _remove_stale(out: Path, event_id: str, documents: list[dict]) -> None:
    """Files kit wrote for a rebuilt pack that it no longer has (say, a language taken off its row) are removed
    from its folder; a file kit did not write there (a user's own) is never touched (the folder's record)."""
    keep = {Path(doc["path"]).relative_to(event_id).as_posix() for doc in documents}
    OutputFolder(out / event_id).keep_only(keep)


def build_packs(project: "Project", events_file: str | Path, out_dir: str | Path, *, jobs: int | None = None,
                zip_packs: bool = False, progress: Progress | None = None) -> PackResult:
    """Read the events spreadsheet, then build one folder per valid event (only those whose inputs changed).

    Raises SpreadsheetError when the file itself is unusable; rows with problems are reported as failed
    events (the others are built).
    """
    kb = project.kb
    sheet = read_events(events_file, venues=kb.venues, default_lang=kb.languages[0])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from .build import qr_notes

    warnings = qr_notes(project) + [str(w) for w in sheet.warnings]

    results: dict[int, EventResult] = {}
    for row in sheet.failed_rows:
        results[row] = EventResult(f"row-{row}", row, "failed", [str(p) for p in sheet.problems_of(row)])
    valid: list[Event] = []
    for event in sheet.events:
        unknown = [lang for lang in event.languages if lang not in kb.languages]
        if unknown:
            results[event.row] = EventResult(event.id, event.row, "failed", [
                f'row {event.row}, column "languages": {", ".join(unknown)} is not a language of the content '
                f'({", ".join(kb.languages)}). Use one of those, or add the language to your content.'])
        else:
            valid.append(event)

    inputs = inputs_digest(project)
    state = _read_state(out)
    previous = state.get("events", {}) if state.get("inputs") == inputs else {}
    to_build: list[Event] = []
    for event in valid:
        before = previous.get(event.id)
        if before and before.get("fingerprint") == event.fingerprint() and all(
                _sha256(out / doc["path"]) == doc["sha256"] for doc in before.get("documents", [])):
            results[event.row] = EventResult(event.id, event.row, "up-to-date", [], before["documents"])
            if zip_packs:  # cheap, and never stale
                _write_zip(out, event.id, before["documents"])
        else:
            to_build.append(event)

    # Workers rebuild the same project from its settings (the content was checked here already).
    settings = replace(project.settings, config=project.config.path, check=False)
    jobs = max(1, jobs or os.cpu_count() or 1)
    new_state = {"inputs": inputs, "events": {k: v for k, v in previous.items()
                                              if k in {e.id for e in valid} and k not in {e.id for e in to_build}}}
    total = len(to_build)
    done = 0
    shared_done: dict = {}
    titles: dict = {}
    book = PlacementBook()  # tracking: one code per document of each event, unique in the run
    for event_id, before in new_state["events"].items():  # packs left as they are keep their codes
        for doc in before.get("documents", []):
            for qr in doc.get("qr", []):
                code = parse_qs(urlsplit(qr["url"]).query).get(CODE_PARAMETER, [None])[0]
                if code:
                    book.reserve(event_id, doc["path"].split("/", 1)[1], code)
    if jobs == 1:
        from .build import Builder

        pool = _InProcess(PackWorker(Builder(project), out))
    else:  # fresh interpreters (spawn): WeasyPrint, Pango and cairo are imported inside each worker, never forked
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   max_tasks_per_child=200)
    with pool:
        for start in range(0, len(to_build), EVENTS_PER_CHUNK):
            chunk = to_build[start:start + EVENTS_PER_CHUNK]
            plans = {event.id: plan_event(project, event, titles, book) for event in chunk}
            futures = []
            # Shared documents (no event): rendered once into the first pack that needs them.
            shared_targets: dict = {}
            for event in chunk:
                for doc in plans[event.id]:
                    if doc.spec.event is None and doc.spec not in shared_done and doc.spec not in shared_targets:
                        shared_targets[doc.spec] = (doc, pack_path(event, doc))
            for doc, target in shared_targets.values():
                futures.append(pool.submit(_in_worker, settings, str(out), "shared", doc, target))
            # Event documents, grouped by layout, language and format, in batches.
            groups: dict[tuple, list[tuple[Planned, str]]] = {}
            for event in chunk:
                for doc in plans[event.id]:
                    if doc.spec.event is not None:
                        key = (doc.spec.layout, doc.spec.level, doc.spec.lang, doc.spec.format)
                        groups.setdefault(key, []).append((doc, pack_path(event, doc)))
            for items in groups.values():
                for i in range(0, len(items), BATCH_SIZE):
                    futures.append(pool.submit(_in_worker, settings, str(out), "batch", items[i:i + BATCH_SIZE]))
            outcomes: dict[str, dict] = {}
            for future in as_completed(futures):
                try:
                    for outcome in future.result():
                        outcomes[outcome["target"]] = outcome
                except Exception as exc:  # a worker died: its documents fail, the other events go on
                    log.error("a worker failed: %s", exc)
            targets = [target for _, target in shared_targets.values()]
            targets += [target for items in groups.values() for _, target in items]
            for target in targets:
                outcomes.setdefault(target, {"target": target, "error": f"{target}: the worker building it stopped "
                                                                        f"unexpectedly; run the same command again."})
            for spec, (_, target) in shared_targets.items():
                shared_done[spec] = outcomes[target]
            # Assemble each event's pack: copy shared documents in, collect entries and errors.
            finished = []
            for event in chunk:
                errors, documents = [], []
                for doc in plans[event.id]:
                    target = pack_path(event, doc)
                    outcome = shared_done[doc.spec] if doc.spec.event is None else outcomes[target]
                    if "error" in outcome:
                        errors.append(outcome["error"])
                        continue
                    if doc.spec.event is None and outcome["target"] != target:
                        atomic_write(out / target, (out / outcome["target"]).read_bytes())
                    documents.append({**outcome["doc"], "path": target})
                status = "failed" if errors else "built"
                results[event.row] = EventResult(event.id, event.row, status, errors, documents)
                if not errors:
                    _remove_stale(out, event.id, documents)
                    new_state["events"][event.id] = {"fingerprint": event.fingerprint(), "documents": documents}
                    if zip_packs:
                        _write_zip(out, event.id, documents)
                finished.append(event.id)
            # Saved chunk by chunk: an interrupted run resumes where it stopped.
            atomic_write(out / STATE_NAME, json.dumps(new_state, ensure_ascii=False))
            _write_manifest(out, project, list(results.values()))
            for event_id in finished:
                done += 1
                if progress:
                    progress(done, total, event_id)
    atomic_write(out / STATE_NAME, json.dumps(new_state, ensure_ascii=False))
    result = PackResult(out, sorted(results.values(), key=lambda r: r.row), warnings)
    result.manifest = _write_manifest(out, project, result.events)
    result.placements = _write_placements(out, project, valid, result.events)
    return result


PLACEMENT_COLUMNS = ("code", "event_id", "venue_type", "venue_name", "city", "document", "lang", "address")


def _write_placements(out: Path, project: "Project", events: list[Event], results: list[EventResult]) -> Path | None:
    """placements.csv: which place and document each tracking code stands for, so that scans seen in a web
    host's logs can be counted by place (nothing about people). Only when tracking."""
    target = out / PLACEMENTS_NAME
    if not project.options.track:
        if target.is_file():
            target.unlink()  # a file of an earlier tracked run would no longer match the packs
        return None
    by_id = {event.id: event for event in events}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PLACEMENT_COLUMNS)
    for result in results:
        event = by_id.get(result.id)
        if event is None:
            continue
        for doc in result.documents:
            for qr in doc.get("qr", [])[:1]:  # an invitation sheet has four copies of one code
                code = parse_qs(urlsplit(qr["url"]).query).get(CODE_PARAMETER, [None])[0]
                if code:
                    writer.writerow((code, event.id, event.venue_type, event.venue_name, event.city or "",
                                     doc["path"], doc["lang"], printed(qr["address"])))
    return atomic_write(target, buffer.getvalue())


def build_packs_naive(project: "Project", events_file: str | Path, out_dir: str | Path) -> int:
    """For benchmarks only: every document of every pack rendered on its own, nothing shared or reused."""
    from .build import Builder

    kb = project.kb
    sheet = read_events(events_file, venues=kb.venues, default_lang=kb.languages[0])
    out = Path(out_dir)
    count = 0
    for event in sheet.events:
        for doc in plan_event(project, event):
            Builder(project, reuse=False).build(doc, out / pack_path(event, doc))
            count += 1
    return count


__all__ = ["EventResult", "PackResult", "build_packs", "plan_event"]
