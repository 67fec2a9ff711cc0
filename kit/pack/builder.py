"""The per-event builder: an event's pack (or a chunk of events' packs) made in an output folder with a worker
pool. `kit pack` hands it chunks of a spreadsheet's events; the web app one event at a time (``build_event``).

Documents that are the same in many packs are rendered once and hard-linked into each pack. With tracking, a
document that differs between events only by its QR code is laid out once as a template and each event's copy
is made by writing its QR code into the template's slot (kit.channels.qrslot). Documents whose text differs
(Café IA posters, invitations, print sheets) are laid out many per WeasyPrint document and split.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..addresses import printed
from ..errors import NoSpaceError, OutputError
from ..files import WRITTEN_NAME, OutputFolder, atomic_write, check_inside, remove_parts
from ..plan import Planned, plan_event
from .results import EventResult, Failure
from .worker import PLACEHOLDER, TMP_DIR, in_worker

if TYPE_CHECKING:
    from ..events import Event
    from ..placements import Placement, PlacementRegistry
    from ..project import Project
    from .state import PackState

log = logging.getLogger("kit")

STOPPED = "{target}: the worker making it stopped unexpectedly; run the same command again."


def pack_path(event: Event, doc: Planned) -> str:
    """Where a document goes, relative to the packs folder: <event id>/<lang>/<name>.pdf."""
    return f"{event.id}/{doc.path}"


@dataclass
class Chunk:
    """Events handed over together: their plans, the shared documents they are the first to need, the documents
    they make, and the pool's receipt."""

    events: list[Event]
    plans: dict[str, list[Planned]]
    shared: list
    targets: list[str]
    handed: Any
    refused: dict[str, str]  # event id -> why its folder cannot be written (a file of the user's in the way)


class SharedDocuments:
    """Documents the same for every event (their spec names no event), kept in a folder across builders: a web
    app making one pack per request renders each once for its life instead of once per request (kit pack's one
    builder shares them already). Thread-safe; a document that failed is not kept."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._done: dict = {}

    def get(self, spec) -> dict | None:
        with self._lock:
            return self._done.get(spec)

    def keep(self, spec, outcome: dict, source: Path) -> None:
        if "error" in outcome or not source.is_file():
            return
        with self._lock:
            if spec in self._done:
                return
            kept = self.folder / f"{len(self._done)}{source.suffix}"
            try:
                os.link(source, kept)
            except OSError:
                shutil.copyfile(source, kept)
            self._done[spec] = {**outcome, "source": str(kept)}


class EventBuilder:
    """Builds event packs into one output folder with a worker pool (kit.pack.pool): ``build`` a few events (one,
    for a web request), or ``submit`` chunks ahead and ``collect`` them in order (kit pack). Documents shared by
    packs are made once per builder; with ``state``, each event's pack is saved as it is done (an interrupted run
    resumes there); with ``registry``, tracking codes are the campaign's (kit.placements)."""

    BATCH_SIZE = 20  # event documents laid out per WeasyPrint document
    TEMPLATED_PER_TASK = 60  # event copies of a template made per task
    EVENTS_PER_CHUNK = 40  # events planned and handed over at a time (memory stays flat)
    TEMPLATES = True  # tracked documents made from templates (False: each laid out again; the same bytes)

    def __init__(
        self,
        project: Project,
        out: Path,
        pool,
        *,
        registry: PlacementRegistry | None = None,
        state: PackState | None = None,
        zip_packs: bool = False,
        force: bool = False,
        shared: SharedDocuments | None = None,
    ):
        self.project, self.out, self.pool = project, Path(out), pool
        self.force = force  # replace files in an event's folder that kit did not write
        self.shared = shared  # shared documents made by earlier builders (the web app's)
        # Workers rebuild the same project from its settings (the content was checked here already).
        self.settings = replace(project.settings, config=project.config.path, check=False)
        self.registry, self.state, self.zip_packs = registry, state, zip_packs
        self.titles: dict = {}  # document titles, shared by the events' print sheets
        self.shared_done: dict = {}  # shared document -> its target, then its outcome
        self.linker = Linker(self.out)
        self.in_flight: set[str] = set()  # events handed over and not yet collected
        self.stopped: str | None = None  # nothing more can be written (a full disk): why

    def build(self, events: list[Event]) -> list[EventResult]:
        return self.collect(self.submit(events))

    def submit(self, events: list[Event]) -> Chunk:
        """Plan the events (claiming their tracking codes) and hand their documents to the pool."""
        plans = {event.id: plan_event(self.project, event, self.titles, self.registry) for event in events}
        refused = {event.id: why for event in events if (why := self._claim(event, plans[event.id]))}
        ready = [event for event in events if event.id not in refused]
        tasks, targets, shared = self._tasks(plans, ready)
        self.in_flight.update(event.id for event in ready)
        return Chunk(events, plans, shared, targets, self.pool.submit(tasks), refused)

    def _claim(self, event: Event, plan: list[Planned]) -> str | None:
        """Record the event's documents in its folder's record before they are written (kit.files.OutputFolder);
        why not, when a file kit did not write is in the way (unless ``force``) or a link leads out."""
        try:
            check_inside(self.out / event.id / WRITTEN_NAME, self.out)
            OutputFolder(self.out / event.id, force=self.force).claim(doc.path for doc in plan)
        except OutputError as exc:
            return str(exc)
        return None

    def collect(self, chunk: Chunk) -> list[EventResult]:
        """Wait for a chunk's documents; put shared ones in place; save each event's pack (or say why not)."""
        outcomes = {o["target"]: o for o in self.pool.collect(chunk.handed)}
        for target in chunk.targets:
            outcomes.setdefault(
                target, {"target": target, "error": STOPPED.format(target=target), "kind": "stopped"}
            )
        for spec in chunk.shared:
            self.shared_done[spec] = outcomes[self.shared_done[spec]]
            if self.shared is not None:
                self.shared.keep(spec, self.shared_done[spec], self.out / self.shared_done[spec]["target"])
        fatal = next((o["error"] for o in outcomes.values() if o.get("fatal")), None)
        if fatal and not self.stopped:
            self.stopped = fatal
        results = [
            self._finish(event, chunk.plans[event.id], outcomes, chunk.refused.get(event.id))
            for event in chunk.events
        ]
        self.in_flight.difference_update(event.id for event in chunk.events)
        return results

    def _finish(
        self, event: Event, plan: list[Planned], outcomes: dict, refused: str | None = None
    ) -> EventResult:
        if refused is not None:  # nothing of it was written
            if self.state is not None:
                self.state.forget(event.id)
            return EventResult(event.id, event.row, "failed", [Failure("output", refused)])
        failures, documents = [], []
        for doc in plan:
            target = pack_path(event, doc)
            outcome = self.shared_done[doc.spec] if doc.spec.event is None else outcomes[target]
            if "error" in outcome:
                failures.append(Failure(outcome.get("kind", "document"), outcome["error"], document=target))
                continue
            if doc.spec.event is None:
                source = Path(outcome["source"]) if "source" in outcome else self.out / outcome["target"]
                self.linker.place(source, self.out / target)
            documents.append({**outcome["doc"], "path": target})
        if failures:
            if self.state is not None:
                self.state.forget(event.id)
            return EventResult(event.id, event.row, "failed", failures, documents)
        remove_stale(self.out, event.id, documents)
        saved = None
        if self.state is not None:
            self.state.save(
                event.id, event.fingerprint(), documents, self.out
            )  # an interrupted run resumes here
            saved = self.state.file(event.id)
        if self.zip_packs:
            write_zip(self.out, event.id, documents)
        return EventResult(event.id, event.row, "built", [], documents, saved=saved)

    def _tasks(self, plans: dict, chunk: list[Event]) -> tuple[list[tuple], list[str], list]:
        """The chunk's work: shared documents (once per builder), templated copies of tracked documents, batches of
        event documents; the targets it makes, and the shared documents it is the first to need
        (``shared_done`` records each shared document's target until its outcome replaces it)."""
        tasks, targets, shared = [], [], []
        base = (in_worker, self.settings, str(self.out))
        templated: dict = {}
        batches: dict = {}
        for event in chunk:
            for doc in plans[event.id]:
                target = pack_path(event, doc)
                if doc.spec.event is None:
                    kept = self.shared.get(doc.spec) if self.shared is not None else None
                    if kept is not None and doc.spec not in self.shared_done:
                        self.shared_done[doc.spec] = kept  # made by an earlier builder
                    elif doc.spec not in self.shared_done:
                        self.shared_done[doc.spec] = target
                        shared.append(doc.spec)
                        tasks.append((*base, "shared", doc, target))
                        targets.append(target)
                    continue
                targets.append(target)
                if self.TEMPLATES and doc.spec.placement is not None and not doc.layout.event:
                    key = replace(doc.spec, event=None, placement=PLACEHOLDER)
                    templated.setdefault(key, (Planned(key, doc.layout), []))[1].append((doc, target))
                else:
                    key = (doc.spec.layout, doc.spec.level, doc.spec.lang, doc.spec.format)
                    batches.setdefault(key, []).append((doc, target))
        for template_doc, items in templated.values():
            for i in range(0, len(items), self.TEMPLATED_PER_TASK):
                tasks.append((*base, "templated", template_doc, items[i : i + self.TEMPLATED_PER_TASK]))
        for items in batches.values():
            for i in range(0, len(items), self.BATCH_SIZE):
                tasks.append((*base, "batch", items[i : i + self.BATCH_SIZE]))
        return tasks, targets, shared

    def clean_in_flight(self) -> None:
        """After the workers were stopped at once: the temporary files they were writing go (never a document)."""
        for event_id in self.in_flight:
            remove_parts(self.out / event_id)


def build_event(
    project: Project,
    event: Event,
    out: str | Path,
    pool,
    *,
    registry: PlacementRegistry | None = None,
    zip_pack: bool = False,
    shared: SharedDocuments | None = None,
) -> EventResult:
    """One event's pack in ``out`` (its folder ``out/<event id>/``, and ``<event id>.zip`` with ``zip_pack``),
    made with ``pool`` (a kit.pack.WorkerPool, or an InProcessPool); with ``shared``, documents the same for every
    event are taken from (and left in) it rather than made again; with ``registry`` (tracking), its codes are
    the campaign's, and the registry learns the page each leads to (as `kit pack --track`). Its failures are data (EventResult.failures);
    raises NoSpaceError when nothing more can be written (a full disk, a quota, a file size limit)."""
    out = Path(out)
    builder = EventBuilder(project, out, pool, registry=registry, zip_packs=zip_pack, shared=shared)
    try:
        (result,) = builder.build([event])
    finally:
        shutil.rmtree(out / TMP_DIR, ignore_errors=True)
    if builder.stopped:
        raise NoSpaceError(builder.stopped)
    if registry is not None and result.status != "failed":
        registry.record(list(placements_of(event, result.documents)))  # each code's page, as kit pack's
    return result


def placements_of(event: Event, documents: list[dict]) -> Iterator[Placement]:
    """The placements of one event's pack (its documents' entries): the tracking code of each document's first
    QR code (an invitation sheet has four copies of one code), with the page it leads to, its layout and
    level."""
    from ..placements import Place, Placement, code_in

    place = Place.of(event)
    for doc in documents:
        for qr in doc.get("qr", [])[:1]:
            code = code_in(qr["url"])
            if code:
                yield Placement.of(
                    place,
                    code,
                    doc["path"].split("/", 1)[1],
                    doc["lang"],
                    printed(qr["address"]),
                    doc.get("layout", ""),
                    doc.get("level", ""),
                )


def write_zip(out: Path, event_id: str, documents: list[dict]) -> None:
    """<id>.zip: exactly the pack's documents (nothing stale), with fixed dates so it is repeatable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(doc["path"] for doc in documents):
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (out / path).read_bytes())
    atomic_write(out / f"{event_id}.zip", buffer.getvalue(), root=out)


def remove_stale(out: Path, event_id: str, documents: list[dict]) -> None:
    """Files kit wrote for a rebuilt pack that it no longer has (say, a language taken off its row) are removed
    from its folder; a file kit did not write there (a user's own) is never touched (the folder's record)."""
    keep = {Path(doc["path"]).relative_to(event_id).as_posix() for doc in documents}
    OutputFolder(out / event_id).keep_only(keep)


class Linker:
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
