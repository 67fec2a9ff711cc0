"""Event packs in batch: a ready-to-print folder per event, at national scale, in worker processes.

Documents that are the same in many packs are rendered once and hard-linked into each pack. With tracking, a
document that differs between events only by its QR code is laid out once as a template and each event's copy
is made by writing its QR code into the template's slot (kit.channels.qrslot). Documents whose text differs
(Café IA posters, invitations, print sheets) are laid out many per WeasyPrint document and split. Chunks of
events are handed to the workers ahead, so none waits for the parent. Progress is saved event by event (one
small file each), so a run of any size resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .addresses import CODE_LENGTH, CODE_PARAMETER, printed
from .errors import FitError, KitError, LayoutError, OptionError, OutputError
from .events import Event, read_events
from .files import OutputFolder, atomic_write, atomic_writer, check_inside
from .placements import (
    PLACEMENTS_CSV,
    REGISTRY_NAME,
    Place,
    Placement,
    PlacementRegistry,
    code_in,
    open_registry,
    write_placements_csv,
)
from .plan import Planned, plan_event
from .version import __version__

if TYPE_CHECKING:
    from .build import Builder
    from .project import Project, Settings

log = logging.getLogger("kit")

STATE_DIR = ".kit-pack-state"  # inputs digest, then one small file per event: saving costs the same at any N
OLD_STATE = ".kit-pack-state.json"  # the single state file of earlier versions (read no more, removed)
LOCK_NAME = ".kit-pack.lock"
TMP_DIR = ".kit-tmp"  # WeasyPrint's temporary font folders, removed at the end of the run
BATCH_SIZE = 20  # event documents laid out per WeasyPrint document
TEMPLATED_PER_TASK = 60  # event copies of a template made per task
EVENTS_PER_CHUNK = 40  # events planned and dispatched at a time (memory stays flat)
TEMPLATES = True  # tracked documents made from templates (False: each laid out again; same bytes)
PLACEHOLDER = "0" * CODE_LENGTH

Progress = Callable[[int, int, str], None]


def pack_path(event: Event, doc: Planned) -> str:
    """Where a document goes, relative to the packs folder: <event id>/<lang>/<name>.pdf."""
    return f"{event.id}/{doc.path}"


# --- inputs and state ----------------------------------------------------------------------------


def _tree_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(
            p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(project: Project) -> str:
    """Everything besides the row that shapes a pack: kit, content (every file, kit.content.digest_of), layouts,
    options (logo included)."""
    options = project.options
    digest = hashlib.sha256(__version__.encode())
    digest.update(project.kb.digest.encode())
    digest.update(_tree_digest(project.layouts.search_path).encode())
    digest.update(repr(options).encode())
    for extra in (options.branding.logo, options.falc_logo):
        if extra and Path(extra).is_file():
            digest.update(Path(extra).read_bytes())
    return digest.hexdigest()


class PackState:
    """What earlier runs built: one file per event (its fingerprint, documents and their size and date)."""

    def __init__(self, out: Path, inputs: str):
        self.folder = out / STATE_DIR
        self.events = self.folder / "events"
        inputs_file = self.folder / "inputs"
        same = inputs_file.is_file() and inputs_file.read_text(encoding="utf-8").strip() == inputs
        if not same:  # kit, content, layouts or options changed: every pack is built again
            shutil.rmtree(self.folder, ignore_errors=True)
            self.events.mkdir(parents=True, exist_ok=True)
            atomic_write(inputs_file, inputs)
        (out / OLD_STATE).unlink(missing_ok=True)

    def file(self, event_id: str) -> Path:
        return self.events / f"{event_id}.json"

    def load(self, event_id: str) -> dict | None:
        try:
            return json.loads(self.file(event_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def save(self, event_id: str, fingerprint: str, documents: list[dict], out: Path) -> None:
        stamps = {doc["path"]: _stamp(out / doc["path"]) for doc in documents}
        atomic_write(
            self.file(event_id),
            json.dumps(
                {"fingerprint": fingerprint, "documents": documents, "stamps": stamps}, ensure_ascii=False
            ),
        )

    def forget(self, event_id: str) -> None:
        self.file(event_id).unlink(missing_ok=True)

    def known(self) -> set[str]:
        return {path.stem for path in self.events.glob("*.json")}


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _up_to_date(before: dict | None, event: Event, out: Path) -> bool:
    """The event's row is unchanged and its files are still those kit wrote (size and date, no re-reading)."""
    if not before or before.get("fingerprint") != event.fingerprint():
        return False
    stamps = before.get("stamps", {})
    return all(stamps.get(doc["path"]) == _stamp(out / doc["path"]) for doc in before.get("documents", []))


class OutputLock:
    """One `kit pack` at a time per output folder: a second one stops and says who holds it."""

    def __init__(self, out: Path):
        self.path = out / LOCK_NAME
        self.handle = None

    def __enter__(self):
        import fcntl

        self.handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.seek(0)
            holder = self.handle.read().strip() or "another kit pack"
            self.handle.close()
            raise KitError(
                f"{self.path.parent} is being written by {holder}. Wait until it ends, or choose "
                "another folder with --out."
            ) from None
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(f"kit pack (process {os.getpid()})")
        self.handle.flush()
        return self

    def __exit__(self, *exc):
        self.handle.close()  # closing releases the lock
        return False


# --- work done in worker processes ----------------------------------------------------------------


class PackWorker:
    """Makes pack documents with one builder (in a worker process, or in this one with `--jobs 1`), keeping the
    templates of tracked documents it has laid out."""

    def __init__(self, builder: Builder, out: Path):
        self.builder = builder
        self.out = out
        self.templates: dict = {}

    def one(self, doc: Planned, target: str) -> dict:
        try:
            built = self.builder.build(doc, self.out / target, root=self.out)
        except (FitError, LayoutError, OptionError, OutputError) as exc:
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
            atomic_write(self.out / target, output.data, root=self.out)
            built = BuiltDocument(doc, ready.title, output.pages, ready.qr, output.sha256, target)
            results.append({"target": target, "doc": built.entry()})
        return results

    def _template(self, template_doc: Planned):
        """A tracked document laid out once in the run: (template, pages, QR entries, title), or the error. The
        first worker to lay it out leaves it in the run's temporary folder for the others (and for the workers
        that replace them)."""
        from .channels.qrslot import Template

        key = template_doc.spec
        if key in self.templates:
            return self.templates[key]
        stem = self.out / TMP_DIR / "templates" / hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        try:
            saved = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
            made = (
                KitError(saved["error"])
                if "error" in saved
                else (
                    Template.from_pdf(stem.with_suffix(".pdf").read_bytes()),
                    saved["pages"],
                    saved["qr"],
                    saved["title"],
                )
            )
        except (OSError, ValueError, KeyError):
            try:
                prepared, html = self.builder.prepare(template_doc)
                channel = self.builder.channel(template_doc.layout.channel)
                template, pages = channel.template(template_doc, prepared, html)
                made = (template, pages, prepared.qr, prepared.title)
                saved = {"pages": pages, "qr": prepared.qr, "title": prepared.title}
            except (FitError, LayoutError, OptionError, OutputError) as exc:
                made, saved = exc, {"error": str(exc)}
            if "error" not in saved:
                atomic_write(stem.with_suffix(".pdf"), template.pdf, root=self.out)
            atomic_write(stem.with_suffix(".json"), json.dumps(saved).encode(), root=self.out)  # written last
        self.templates[key] = made
        return made

    def templated(self, template_doc: Planned, items: list[tuple[Planned, str]]) -> list[dict]:
        """Events' copies of one tracked document: laid out once in the run, then each given its own QR code."""
        from .build import BuiltDocument

        made = self._template(template_doc)
        if isinstance(made, Exception):
            return [{"target": target, "error": str(made)} for _, target in items]
        template, pages, qr_entries, title = made
        channel = self.builder.channel(template_doc.layout.channel)
        results = []
        mark = f"{CODE_PARAMETER}={PLACEHOLDER}"
        for doc, target in items:
            qr = [
                {**entry, "url": entry["url"].replace(mark, f"{CODE_PARAMETER}={doc.spec.placement}")}
                for entry in qr_entries
            ]
            output = channel.from_template(template, pages, doc, qr[0]["url"] if qr else None)
            atomic_write(self.out / target, output.data, root=self.out)
            built = BuiltDocument(doc, title, output.pages, qr, output.sha256, target)
            results.append({"target": target, "doc": built.entry()})
        return results


@cache
def _worker(settings: Settings, out: str) -> PackWorker:
    """Each worker process loads the project and sets WeasyPrint up once (fonts, parsed CSS, image cache)."""
    import gc

    from .build import Builder
    from .project import load_project

    worker = PackWorker(Builder(load_project(settings)), Path(out))
    gc.collect()
    gc.freeze()  # the project, fonts and parsed stylesheets live as long as the worker: never scanned again
    return worker


def _in_worker(settings: Settings, out: str, task: str, *args) -> list[dict]:
    """A task run in a worker process."""
    return getattr(_worker(settings, out), task)(*args)


def _start_worker(tmp: str, parent: int) -> None:
    """In each new worker: temporary files in the run's own folder, and end when the parent ends."""
    tempfile.tempdir = tmp
    try:  # Linux: the kernel stops this worker when the process that started it dies (SIGKILL included)
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died while this worker was starting
        os._exit(1)

    def watch():  # elsewhere (and as a second guard): notice the parent is gone
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    import threading

    threading.Thread(target=watch, daemon=True).start()


class _InProcess:
    """`--jobs 1`: the same tasks, run in this process with the project already loaded (for debugging)."""

    depth = 1  # nothing runs ahead: tasks are run as they are handed over

    def __init__(self, worker: PackWorker):
        self.worker = worker

    def submit(self, tasks: list[tuple]) -> list[dict]:
        outcomes = []
        for _fn, _settings, _out, task, *args in tasks:
            try:
                outcomes.extend(getattr(self.worker, task)(*args))
            except Exception as exc:  # noqa: BLE001 - as a worker would: its documents fail, the others go on
                log.error("a task failed: %s", exc)
        return outcomes

    def collect(self, handed: list[dict]) -> list[dict]:
        return handed

    def shutdown(self, **kwargs) -> None:
        pass


@dataclass
class _Handed:
    """Tasks handed to a pool: their futures, and which pool (a lost worker means a new one) took them."""

    futures: dict
    generation: int


class _Pool:
    """Worker processes (spawned fresh: WeasyPrint, Pango and cairo are never forked); a pool that loses a
    worker is started again and the lost tasks are run once more. Tasks are handed over ahead (``depth`` chunks
    at a time), so that no worker waits while the last tasks of a chunk finish or the next chunk is planned."""

    depth = 3
    # Then the next tasks go to a fresh pool (the old one ends its tasks, then its workers end): whatever a long
    # run leaves behind in a process is given back. Not max_tasks_per_child: with tasks queued ahead, Python
    # 3.11 and 3.12 deadlock when a worker reaches that limit (CPython gh-115634; it did here at ~1,000 events).
    TASKS_PER_WORKER = 1500

    def __init__(self, jobs: int, tmp: Path):
        self.jobs, self.tmp = jobs, tmp
        self.generation = 0
        self.handed = 0  # tasks handed to the current pool
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(str(self.tmp), os.getpid()),
        )

    def _fresh(self, *, broken: bool) -> None:
        """Hand the next tasks to a new pool. A broken pool's queued tasks are dropped (their owners run them
        again); a pool renewed after its share of tasks ends its queue, then its workers end."""
        old, self.pool = self.pool, self._new()
        self.generation, self.handed = self.generation + 1, 0
        old.shutdown(wait=False, cancel_futures=broken)

    def submit(self, tasks: list[tuple]) -> _Handed:
        if self.handed >= self.TASKS_PER_WORKER * self.jobs:
            self._fresh(broken=False)
        self.handed += len(tasks)
        try:
            return _Handed({self.pool.submit(*task): task for task in tasks}, self.generation)
        except BrokenProcessPool:  # a worker stopped while earlier chunks were running: they are run again
            self._replace(self.generation)  # when collected; these go to the new pool
            return _Handed({self.pool.submit(*task): task for task in tasks}, self.generation)

    def _replace(self, generation: int) -> None:
        """A new pool for the one that lost a worker (once: the first to notice replaces it)."""
        if generation == self.generation:
            log.warning("a worker process stopped; its tasks are run again in a new one")
            self._fresh(broken=True)

    def collect(self, handed: _Handed) -> list[dict]:
        """Every outcome of tasks handed over (a task lost twice gives none: its documents fail)."""
        outcomes: list[dict] = []
        for attempt in (1, 2):
            lost = []
            for future in as_completed(handed.futures):
                try:
                    outcomes.extend(future.result())
                except BrokenProcessPool:
                    lost.append(handed.futures[future])
                except Exception as exc:  # a bug in one task: its documents fail, the other events go on
                    log.error("a worker failed: %s", exc)
            if not lost or attempt == 2:
                break
            self._replace(handed.generation)
            handed = self.submit(lost)
        return outcomes

    def run(self, tasks: list[tuple]) -> list[dict]:
        return self.collect(self.submit(tasks))

    def shutdown(self, **kwargs) -> None:
        self.pool.shutdown(**kwargs)


# --- the run -------------------------------------------------------------------------------------


class EventResult:
    """One event's outcome: built, up-to-date or failed, its problems and its documents. The documents of an
    event whose pack is saved are read back from its state file when asked for: a run of 20,000 events does
    not hold 190,000 document entries in memory."""

    __slots__ = ("id", "row", "status", "errors", "document_count", "_documents", "_saved")

    def __init__(
        self,
        id: str,
        row: int,
        status: str,
        errors: list[str] | None = None,
        documents: list[dict] | None = None,
        saved: Path | None = None,
    ):
        self.id, self.row, self.status = id, row, status  # status: built | up-to-date | failed
        self.errors = list(errors or [])
        self.document_count = len(documents or [])
        self._documents = None if saved is not None else list(documents or [])
        self._saved = saved

    @property
    def documents(self) -> list[dict]:
        if self._documents is not None:
            return self._documents
        try:
            return json.loads(self._saved.read_text(encoding="utf-8"))["documents"]
        except (OSError, ValueError, KeyError):
            return []

    def entry(self) -> dict:
        return {
            "id": self.id,
            "row": self.row,
            "status": self.status,
            "errors": self.errors,
            "documents": self.documents,
        }


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


def _write_manifest(out: Path, project: Project, results: list[EventResult]) -> Path:
    """manifest.json, written event by event (the same text as one json.dumps of it, indent 2)."""
    head = json.dumps(
        {"kit_version": __version__, "content_version": project.kb.meta.content_version},
        ensure_ascii=False,
        indent=2,
    )[:-2]
    with atomic_writer(out / "manifest.json", root=out) as handle:
        handle.write(f'{head},\n  "events": ['.encode())
        for index, result in enumerate(sorted(results, key=lambda r: r.row)):
            entry = json.dumps(result.entry(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
            handle.write(f"{',' if index else ''}\n    {entry}".encode())
        handle.write(("\n  ]\n}\n" if results else "]\n}\n").encode())
    return out / "manifest.json"


def _write_zip(out: Path, event_id: str, documents: list[dict]) -> None:
    """<id>.zip: exactly the pack's documents (nothing stale), with fixed dates so it is repeatable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(doc["path"] for doc in documents):
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (out / path).read_bytes())
    atomic_write(out / f"{event_id}.zip", buffer.getvalue(), root=out)


def _remove_stale(out: Path, event_id: str, documents: list[dict]) -> None:
    """Files kit wrote for a rebuilt pack that it no longer has (say, a language taken off its row) are removed
    from its folder; a file kit did not write there (a user's own) is never touched (the folder's record)."""
    keep = {Path(doc["path"]).relative_to(event_id).as_posix() for doc in documents}
    OutputFolder(out / event_id).keep_only(keep)


class _Linker:
    """Puts one file in many packs: a hard link where the file system allows it, else a copy (said once)."""

    def __init__(self, root: Path):
        self.copying = False
        self.root = root

    def place(self, source: Path, target: Path) -> None:
        if source == target:
            return
        check_inside(target, self.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not self.copying:
            temporary = target.with_name(f".{target.name}.link")
            try:
                temporary.unlink(missing_ok=True)
                os.link(source, temporary)
                os.replace(temporary, target)
                return
            except OSError as exc:
                self.copying = True
                log.warning(
                    "this file system does not allow hard links (%s): documents the same in many packs "
                    "are copied into each, which takes more room",
                    exc.strerror or exc,
                )
        atomic_write(target, source.read_bytes(), root=self.root)


def _jobs(jobs: int | None) -> int:
    cores = os.cpu_count() or 1
    if jobs is None:
        return cores
    if jobs > cores:
        log.warning(
            "--jobs %d: this machine has %d cores; using %d (more would only share them)", jobs, cores, cores
        )
        return cores
    return max(1, jobs)


def build_packs(
    project: Project,
    events_file: str | Path,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    zip_packs: bool = False,
    progress: Progress | None = None,
) -> PackResult:
    """Read the events spreadsheet, then build one folder per valid event (only those whose inputs changed).

    Raises SpreadsheetError when the file itself is unusable; rows with problems are reported as failed
    events (the others are built). An interrupted run is finished by the same command.
    """
    from .build import qr_notes, review_notes

    kb = project.kb
    sheet = read_events(
        events_file, venues=kb.venues, languages=kb.all_languages, default_lang=kb.languages[0]
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    warnings = (
        qr_notes(project)
        + review_notes(project, (lang for e in sheet.events for lang in e.languages))
        + [str(w) for w in sheet.warnings]
    )
    with OutputLock(out), _registry(project, out) as registry:
        return _run(project, sheet, out, jobs, zip_packs, progress, warnings, registry)


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


def _run(project, sheet, out: Path, jobs, zip_packs, progress, warnings, registry) -> PackResult:
    results: dict[int, EventResult] = {}
    for row in sheet.failed_rows:
        errors = [str(p) for p in sheet.problems_of(row)]
        results[row] = EventResult(sheet.name_of(row), row, "failed", errors)
    valid: list[Event] = list(sheet.events)

    state = PackState(out, inputs_digest(project))
    to_build: list[Event] = []
    for event in valid:
        before = state.load(event.id)
        if _up_to_date(before, event, out) and _codes_kept(registry, event, before["documents"]):
            results[event.row] = EventResult(
                event.id, event.row, "up-to-date", [], before["documents"], saved=state.file(event.id)
            )
            if zip_packs:  # cheap, and never stale
                _write_zip(out, event.id, before["documents"])
        else:
            to_build.append(event)
    for event_id in state.known() - {event.id for event in valid}:
        state.forget(event_id)  # a row taken off the sheet

    # Workers rebuild the same project from its settings (the content was checked here already).
    settings = replace(project.settings, config=project.config.path, check=False)
    jobs = _jobs(jobs)
    tmp = out / TMP_DIR
    tmp.mkdir(exist_ok=True)
    total, done = len(to_build), 0
    shared_done: dict = {}
    titles: dict = {}
    linker = _Linker(out)
    if jobs == 1:
        from .build import Builder

        saved, tempfile.tempdir = tempfile.tempdir, str(tmp)
        pool = _InProcess(PackWorker(Builder(project), out))
    else:
        pool = _Pool(jobs, tmp)
    try:
        chunks = [
            to_build[start : start + EVENTS_PER_CHUNK] for start in range(0, len(to_build), EVENTS_PER_CHUNK)
        ]
        ahead: deque = deque()  # chunks handed over, in order: (events, plans, shared specs, targets, handed)

        def hand_over(chunk: list[Event]) -> None:
            plans = {event.id: plan_event(project, event, titles, registry) for event in chunk}
            tasks, targets, shared = _tasks(plans, chunk, shared_done, settings, out)
            ahead.append((chunk, plans, shared, targets, pool.submit(tasks)))

        for chunk in chunks[: pool.depth]:
            hand_over(chunk)
        following = iter(chunks[pool.depth :])
        while ahead:
            chunk, plans, shared, targets, handed = ahead.popleft()
            outcomes = {o["target"]: o for o in pool.collect(handed)}
            for target in targets:
                outcomes.setdefault(
                    target,
                    {
                        "target": target,
                        "error": f"{target}: the worker making it stopped "
                        f"unexpectedly; run the same command again.",
                    },
                )
            for spec in shared:
                shared_done[spec] = outcomes[shared_done[spec]]
            for event in chunk:
                errors, documents = [], []
                for doc in plans[event.id]:
                    target = pack_path(event, doc)
                    outcome = shared_done[doc.spec] if doc.spec.event is None else outcomes[target]
                    if "error" in outcome:
                        errors.append(outcome["error"])
                        continue
                    if doc.spec.event is None:
                        linker.place(out / outcome["target"], out / target)
                    documents.append({**outcome["doc"], "path": target})
                if errors:
                    state.forget(event.id)
                    results[event.row] = EventResult(event.id, event.row, "failed", errors, documents)
                else:
                    _remove_stale(out, event.id, documents)
                    state.save(
                        event.id, event.fingerprint(), documents, out
                    )  # an interrupted run resumes here
                    if zip_packs:
                        _write_zip(out, event.id, documents)
                    results[event.row] = EventResult(
                        event.id, event.row, "built", [], documents, saved=state.file(event.id)
                    )
                done += 1
                if progress:
                    progress(done, total, event.id)
            next_chunk = next(following, None)
            if next_chunk is not None:  # the workers still have the chunks handed over before it
                hand_over(next_chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if jobs == 1:
            tempfile.tempdir = saved
        shutil.rmtree(tmp, ignore_errors=True)
        # Written at the end (and when interrupted): rewriting it per chunk would cost more and more.
        _write_manifest(out, project, list(results.values()))
    result = PackResult(out, sorted(results.values(), key=lambda r: r.row), warnings)
    result.manifest = out / "manifest.json"
    result.placements = _write_placements(out, registry, valid, result.events)
    return result


def _tasks(
    plans: dict, chunk: list[Event], shared_done: dict, settings, out: Path
) -> tuple[list[tuple], list[str], list]:
    """The chunk's work: shared documents (once per run), templated copies of tracked documents, batches of
    event documents; the targets it makes, and the shared documents it is the first to need. ``shared_done``
    records each shared document's target until its outcome replaces it."""
    tasks, targets, shared = [], [], []
    base = (_in_worker, settings, str(out))
    templated: dict = {}
    batches: dict = {}
    for event in chunk:
        for doc in plans[event.id]:
            target = pack_path(event, doc)
            if doc.spec.event is None:
                if doc.spec not in shared_done:
                    shared_done[doc.spec] = target
                    shared.append(doc.spec)
                    tasks.append((*base, "shared", doc, target))
                    targets.append(target)
                continue
            targets.append(target)
            if TEMPLATES and doc.spec.placement is not None and not doc.layout.event:
                key = replace(doc.spec, event=None, placement=PLACEHOLDER)
                templated.setdefault(key, (Planned(key, doc.layout), []))[1].append((doc, target))
            else:
                key = (doc.spec.layout, doc.spec.level, doc.spec.lang, doc.spec.format)
                batches.setdefault(key, []).append((doc, target))
    for template_doc, items in templated.values():
        for i in range(0, len(items), TEMPLATED_PER_TASK):
            tasks.append((*base, "templated", template_doc, items[i : i + TEMPLATED_PER_TASK]))
    for items in batches.values():
        for i in range(0, len(items), BATCH_SIZE):
            tasks.append((*base, "batch", items[i : i + BATCH_SIZE]))
    return tasks, targets, shared


def _write_placements(
    out: Path, registry: PlacementRegistry | None, events: list[Event], results: list[EventResult]
) -> Path | None:
    """placements.csv: which place and document each tracking code of this run's packs stands for, so that scans
    seen in a web host's logs can be counted by place (nothing about people). Only when tracking; the
    registry learns the page each code leads to."""
    target = out / PLACEMENTS_CSV
    if registry is None:
        if target.is_file():
            target.unlink()  # a file of an earlier tracked run would no longer match the packs
        return None
    by_id = {event.id: event for event in events}

    def placements() -> Iterator[Placement]:
        for result in results:
            event = by_id.get(result.id)
            if event is None:
                continue
            place = Place.of(event)
            for doc in result.documents:
                for qr in doc.get("qr", [])[:1]:  # an invitation sheet has four copies of one code
                    code = code_in(qr["url"])
                    if code:
                        document = doc["path"].split("/", 1)[1]
                        yield Placement.of(
                            place,
                            code,
                            document,
                            doc["lang"],
                            printed(qr["address"]),
                            doc.get("layout", ""),
                            doc.get("level", ""),
                        )

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
