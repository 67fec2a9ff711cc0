"""Event packs in batch: a ready-to-print folder per event, shared documents rendered once, in worker processes."""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import io
import math
import multiprocessing
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .build import BuiltDocument, Builder, _options, _prepare
from .config import Config
from .content import KnowledgeBase
from .documents import DocSpec, RenderOptions, layout_for
from .errors import FitError, KitError, LayoutError, OptionError, Problem
from .events import Event, read_events
from .files import atomic_write
from .packdocs import SIDES
from .render import check_fit

log = logging.getLogger("kit")

STATE_NAME = ".kit-pack-state.json"
BATCH_SIZE = 20           # event documents laid out per WeasyPrint document
EVENTS_PER_CHUNK = 40     # events planned and dispatched at a time (memory stays flat)
FALC_LANG = "fr"

Progress = Callable[[int, int, str], None]


# --- what a pack holds ---------------------------------------------------------------------------


def plan_event(event: Event, kb: KnowledgeBase, options: RenderOptions) -> list[DocSpec]:
    """The documents of one event's pack, by venue type, in the event's languages (FALC in French)."""
    summary = tuple(kb.summary_ids)
    venue = event.venue_type
    specs: list[DocSpec] = []
    for lang in event.languages:
        if venue in ("la-poste", "france-services"):
            specs.append(DocSpec("summary-poster", lang, "A3", summary, venue=venue))
            specs += [DocSpec("poster", lang, "A4", (qid,), venue=venue) for qid in summary]
            specs.append(DocSpec("leaflet", lang, "A4", summary, venue=venue))
            if venue == "france-services":
                specs.append(DocSpec("memo", lang, "A4", summary))  # the one-page memo: the citizen questions
        else:  # cafe-ia
            specs += [DocSpec("event-poster", lang, fmt, summary, event=event) for fmt in ("A3", "A4")]
            specs.append(DocSpec("invitation", lang, "A4", summary, event=event))
            specs.append(DocSpec("guide", lang, "A4", tuple(kb.question_ids)))
            specs.append(DocSpec("leaflet", lang, "A4", summary, venue=venue))
            specs.append(DocSpec("feedback", lang, "A4", summary))
    if event.falc and FALC_LANG in kb.languages:
        if venue == "la-poste":
            specs.append(DocSpec("leaflet", FALC_LANG, "A4", summary, level="falc"))
        else:
            specs.append(DocSpec("booklet", FALC_LANG, "A4", tuple(kb.question_ids), level="falc"))
    if options.track:  # tagged QR codes differ per event: every document is the event's own
        specs = [DocSpec(s.layout, s.lang, s.format, s.questions, s.level, s.venue, event) for s in specs]
    specs.append(DocSpec("print-sheet", event.languages[0], "A4", summary, event=event))
    return specs


def print_rows(event: Event, specs: list[DocSpec], titles: dict[DocSpec, str]) -> list[dict]:
    """The print sheet's table: what to print, on which paper, how many copies, one or two sides."""
    copies = event.copies or 1
    rows = []
    for spec in specs:
        if spec.layout == "print-sheet":
            continue
        if spec.layout in ("leaflet", "booklet", "feedback"):
            n = copies
        elif spec.layout == "invitation":
            n = math.ceil(copies / 4)
        else:
            n = 1
        rows.append({"title": titles[spec], "paper": spec.format, "copies": n,
                     "sides": SIDES.get(spec.layout, "one_side"), "file": f"{spec.lang}/{spec.name}.pdf"})
    return rows


def pack_path(event: Event, spec: DocSpec) -> str:
    """Where a document goes, relative to the packs folder: <event id>/<lang>/<name>.pdf."""
    return f"{event.id}/{spec.lang}/{spec.name}.pdf"


# --- inputs and state ----------------------------------------------------------------------------


def _tree_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_digest(kb: KnowledgeBase, layout_folders: list[Path], options: RenderOptions) -> str:
    """Everything besides the row that shapes a pack: kit, content, layouts, options (logo included)."""
    digest = hashlib.sha256(__version__.encode())
    content = {"meta": kb.meta.model_dump(mode="json"), "shared": kb.shared.model_dump(mode="json"),
               "questions": [q.model_dump(mode="json") for q in kb.questions]}
    digest.update(json.dumps(content, sort_keys=True, ensure_ascii=False).encode())
    digest.update(_tree_digest(layout_folders).encode())
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


# --- workers -------------------------------------------------------------------------------------

_worker: dict = {}


def _init_worker(settings: dict) -> None:
    """Each worker process loads the content and sets up WeasyPrint once."""
    kb, layouts = _prepare(settings["content_dir"], settings["layouts_dirs"], check=False, config=settings["config"])
    _worker["kb"] = kb
    _worker["builder"] = Builder(kb, layouts, settings["options"])
    _worker["out"] = Path(settings["out"])


def _render_one(spec: DocSpec, target: str) -> dict:
    builder: Builder = _worker["builder"]
    try:
        built = builder.build(spec, _worker["out"] / target)
    except (FitError, LayoutError, OptionError) as exc:
        return {"target": target, "error": str(exc)}
    return {"target": target, "doc": _entry(built, target)}


def _entry(built: BuiltDocument, path: str) -> dict:
    entry = built.entry()
    entry["path"] = path
    return entry


def _task_shared(spec: DocSpec, target: str) -> list[dict]:
    return [_render_one(spec, target)]


def _task_batch(items: list[tuple[DocSpec, str]], rows: dict[str, list[dict]]) -> list[dict]:
    """Lay out many event documents of one layout in one WeasyPrint document, then split it per event."""
    from . import packdocs

    packdocs.PRINT_ROWS.update(rows)
    builder: Builder = _worker["builder"]
    layout = layout_for(items[0][0])
    if len(items) == 1 or any(layout.pages(spec) is None for spec, _ in items):
        return [_render_one(spec, target) for spec, target in items]
    try:
        return _batch(builder, items)
    except (_BatchMismatch, KitError, AssertionError):
        # Any trouble in a batch (a document too long, a broken template, an engine failure): lay the
        # documents out one by one, so that each failure is reported for its own event only.
        log.info("batch of %d %s documents laid out one by one", len(items), items[0][0].layout)
        return [_render_one(spec, target) for spec, target in items]


class _BatchMismatch(Exception):
    """The batch did not split cleanly (a document ran over its pages): fall back to one by one."""


def _batch(builder: Builder, items: list[tuple[DocSpec, str]]) -> list[dict]:
    import re

    kb = builder.kb
    first = items[0][0]
    layout = layout_for(first)
    bodies, prepared_all = [], []
    head = None
    for spec, _ in items:
        prepared = layout.prepare(spec, kb, builder.options)
        html = builder.layouts.render(layout.template, prepared.context)
        builder.renderer.allow(*prepared.extra_roots)
        match = re.search(r"(?s)^(.*?<body[^>]*>)(.*)</body>", html)
        if match is None:
            raise _BatchMismatch()
        head = head or match.group(1)
        bodies.append(match.group(2))
        prepared_all.append(prepared)
    html = head + "".join(f'<div class="batch-doc" data-doc style="break-before: page">{body}</div>' for body in bodies)
    html += "</body></html>"
    tagged = layout.tagged or builder.options.pdf_ua
    rendered = builder.renderer.render(html, layout.stylesheets_for(first), extra_css=builder._theme_css,
                                       after_css=builder._options_css, tagged=tagged)
    expected = [layout.pages(spec) for spec, _ in items]
    if sum(expected) != rendered.pages:
        raise _BatchMismatch()
    results, start = [], 0
    from .render import Rendered

    for (spec, target), prepared, count in zip(items, prepared_all, expected):
        pages = rendered.document.pages[start:start + count]
        start += count
        part = Rendered(rendered.document.copy(pages), count)
        part.document.metadata = copy.copy(rendered.document.metadata)
        part.document.metadata.title = prepared.title
        try:
            check_fit(part, count, f"The {spec.describe()}", layout.advice(spec))
        except FitError as exc:
            results.append({"target": target, "error": str(exc)})
            continue
        pdf = builder.renderer.write_pdf(part, identifier=builder.identifier(spec), tagged=tagged,
                                         variant="pdf/ua-1" if builder.options.pdf_ua else None)
        atomic_write(_worker["out"] / target, pdf)
        built = BuiltDocument(spec, prepared.title, count, prepared.qr, hashlib.sha256(pdf).hexdigest(),
                              layout.print_hint(spec))
        results.append({"target": target, "doc": _entry(built, target)})
    return results


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

    def count(self, status: str) -> int:
        return sum(1 for e in self.events if e.status == status)

    @property
    def failed(self) -> bool:
        return any(e.status == "failed" for e in self.events)


def _write_manifest(out: Path, kb: KnowledgeBase, results: list[EventResult]) -> Path:
    manifest = {"kit_version": __version__, "content_version": kb.meta.content_version,
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
    """Files a rebuilt pack no longer has (say, a language taken off its row) are removed from its folder."""
    keep = {out / doc["path"] for doc in documents}
    for path in (out / event_id).rglob("*.pdf"):
        if path not in keep:
            path.unlink()


def build_packs(events_file: str | Path, out_dir: str | Path, *, content_dir=None, layouts_dirs=None,
                config: Config | None = None, jobs: int | None = None, zip_packs: bool = False,
                track: bool | None = None, bleed: float = 0.0, bw: bool = False, pdf_ua: bool = False,
                check: bool = True, progress: Progress | None = None) -> PackResult:
    """Read the events spreadsheet, then build one folder per valid event (only those whose inputs changed).

    Raises SpreadsheetError when the file itself is unusable; rows with problems are reported as failed
    events (the others are built).
    """
    config = config or Config(None)
    options = _options(bleed, bw, pdf_ua, None, config, track)
    kb, layouts = _prepare(content_dir, layouts_dirs, options, check, config)
    sheet = read_events(events_file)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    warnings = [str(w) for w in sheet.warnings]

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

    inputs = inputs_digest(kb, layouts.search_path, options)
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

    settings = {"content_dir": content_dir, "layouts_dirs": layouts_dirs, "config": config, "options": options,
                "out": str(out)}
    jobs = max(1, jobs or os.cpu_count() or 1)
    new_state = {"inputs": inputs, "events": {k: v for k, v in previous.items()
                                              if k in {e.id for e in valid} and k not in {e.id for e in to_build}}}
    total = len(to_build)
    done = 0
    shared_done: dict[DocSpec, dict] = {}
    # Fresh interpreters (spawn): WeasyPrint, Pango and cairo are imported inside each worker, never forked.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(settings,),
                             mp_context=context, max_tasks_per_child=200) as pool:
        for start in range(0, len(to_build), EVENTS_PER_CHUNK):
            chunk = to_build[start:start + EVENTS_PER_CHUNK]
            plans = {event.id: plan_event(event, kb, options) for event in chunk}
            titles: dict[DocSpec, str] = {}
            for specs in plans.values():
                for spec in specs:
                    if spec not in titles and spec.layout != "print-sheet":
                        titles[spec] = layout_for(spec).prepare(spec, kb, options).title
            rows = {event.id: print_rows(event, plans[event.id], titles) for event in chunk}
            futures = []
            # Shared documents (no event): rendered once into the first pack that needs them.
            shared_targets: dict[DocSpec, str] = {}
            for event in chunk:
                for spec in plans[event.id]:
                    if spec.event is None and spec not in shared_done and spec not in shared_targets:
                        shared_targets[spec] = pack_path(event, spec)
            for spec, target in shared_targets.items():
                futures.append(pool.submit(_task_shared, spec, target))
            # Event documents, grouped by layout, language and format, in batches.
            groups: dict[tuple, list[tuple[DocSpec, str]]] = {}
            for event in chunk:
                for spec in plans[event.id]:
                    if spec.event is not None:
                        groups.setdefault((spec.layout, spec.level, spec.lang, spec.format), []).append(
                            (spec, pack_path(event, spec)))
            for items in groups.values():
                for i in range(0, len(items), BATCH_SIZE):
                    batch = items[i:i + BATCH_SIZE]
                    batch_rows = {s.event.id: rows[s.event.id] for s, _ in batch if s.layout == "print-sheet"}
                    futures.append(pool.submit(_task_batch, batch, batch_rows))
            outcomes: dict[str, dict] = {}
            for future in as_completed(futures):
                try:
                    for outcome in future.result():
                        outcomes[outcome["target"]] = outcome
                except Exception as exc:  # a worker died: its documents fail, the other events go on
                    log.error("a worker failed: %s", exc)
            for target in [*shared_targets.values(), *(t for items in groups.values() for _, t in items)]:
                outcomes.setdefault(target, {"target": target, "error": f"{target}: the worker building it stopped "
                                                                        f"unexpectedly; run the same command again."})
            for spec, target in shared_targets.items():
                shared_done[spec] = outcomes[target]
            # Assemble each event's pack: copy shared documents in, collect entries and errors.
            finished = []
            for event in chunk:
                errors, documents = [], []
                for spec in plans[event.id]:
                    target = pack_path(event, spec)
                    outcome = shared_done[spec] if spec.event is None else outcomes[target]
                    if "error" in outcome:
                        errors.append(outcome["error"])
                        continue
                    if spec.event is None and outcome["target"] != target:
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
            _write_manifest(out, kb, list(results.values()))
            for event_id in finished:
                done += 1
                if progress:
                    progress(done, total, event_id)
    atomic_write(out / STATE_NAME, json.dumps(new_state, ensure_ascii=False))
    result = PackResult(out, sorted(results.values(), key=lambda r: r.row), warnings)
    result.manifest = _write_manifest(out, kb, result.events)
    return result


def build_packs_naive(events_file: str | Path, out_dir: str | Path, **kwargs) -> int:
    """For benchmarks only: every document of every pack rendered on its own, nothing shared or reused."""
    config = kwargs.get("config") or Config(None)
    options = _options(config=config)
    kb, layouts = _prepare(kwargs.get("content_dir"), kwargs.get("layouts_dirs"), options, False, config)
    sheet = read_events(events_file)
    out = Path(out_dir)
    from . import packdocs

    count = 0
    for event in sheet.events:
        specs = plan_event(event, kb, options)
        titles = {s: layout_for(s).prepare(s, kb, options).title for s in specs if s.layout != "print-sheet"}
        packdocs.PRINT_ROWS[event.id] = print_rows(event, specs, titles)
        for spec in specs:
            Builder(kb, layouts, options, reuse=False).build(spec, out / pack_path(event, spec))
            count += 1
    return count


__all__ = ["PackResult", "EventResult", "build_packs", "plan_event", "KitError", "Problem"]
