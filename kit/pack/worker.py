"""The work done for event packs in worker processes (or in this process with `--jobs 1`): documents alone,
batches of event documents laid out at once, and tracked copies made from one template. Each worker process
loads the project once per settings (a small cache: not per output folder) and says what went wrong as data."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..addresses import CODE_LENGTH, CODE_PARAMETER
from ..errors import FitError, KitError, LayoutError, NoSpaceError, OptionError, OutputError
from ..files import NO_SPACE, atomic_write, describe_os_error, os_error_message

if TYPE_CHECKING:
    from ..build import Builder
    from ..plan import Planned
    from ..project import Settings

log = logging.getLogger("kit")

TMP_DIR = ".kit-tmp"  # the run's temporary folder (templates shared between workers), removed at its end
PLACEHOLDER = "0" * CODE_LENGTH  # the stand-in code of a tracked document's template
MAX_TEMPLATES = 64  # templates a worker keeps in memory (the others are read back from the run's folder)
WORKER_PROJECTS = 2  # projects (settings) a worker process keeps loaded
DOCUMENT_ERRORS = (FitError, LayoutError, OptionError)


def failed(target: str, exc: BaseException, out: Path | None = None) -> dict:
    """A document's failure as a task outcome (plain data: it crosses the process boundary). An error of the
    system that names no file (a write to a file the engine opened) is said of the document being made."""
    if isinstance(exc, OSError) and not isinstance(exc, KitError):
        fatal = exc.errno in NO_SPACE
        if exc.filename is None and out is not None:
            message = os_error_message(exc, out / target)
        else:
            message = describe_os_error(exc)
        return {"target": target, "error": message, "kind": "output", "fatal": fatal}
    kind = "output" if isinstance(exc, OutputError) else "document"
    return {"target": target, "error": str(exc), "kind": kind, "fatal": isinstance(exc, NoSpaceError)}


class PackWorker:
    """Makes pack documents with one builder, into any output folder (``out`` is given with each task), keeping
    the templates of tracked documents it has laid out."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.templates: OrderedDict = OrderedDict()

    def run(self, task: str, out: Path, *args) -> list[dict]:
        """One task; anything that goes wrong becomes the failure of the task's documents (never a lost worker)."""
        try:
            return getattr(self, task)(out, *args)
        except (KitError, OSError) as exc:
            return [failed(target, exc, out) for target in _targets(task, args)]

    def one(self, out: Path, doc: Planned, target: str) -> dict:
        try:
            built = self.builder.build(doc, out / target, root=out)
        except (*DOCUMENT_ERRORS, OutputError, OSError) as exc:
            return failed(target, exc, out)
        built.path = target
        return {"target": target, "doc": built.entry()}

    def shared(self, out: Path, doc: Planned, target: str) -> list[dict]:
        return [self.one(out, doc, target)]

    def batch(self, out: Path, items: list[tuple[Planned, str]]) -> list[dict]:
        """Lay out many event documents of one layout in one WeasyPrint document, then split it per event."""
        from ..build import BuiltDocument
        from ..channels.pdf import BatchMismatch

        make_batch = getattr(self.builder.channel(items[0][0].layout.channel), "make_batch", None)
        if (
            len(items) == 1 or make_batch is None
        ):  # one event, or a channel that lays out one at a time (slides)
            return [self.one(out, doc, target) for doc, target in items]
        try:
            prepared = [(doc, *self.builder.prepare(doc)) for doc, _ in items]
            outputs = make_batch(prepared)
        except (BatchMismatch, KitError, AssertionError):
            # Any trouble in a batch (a document too long, a broken template, an engine failure): lay the
            # documents out one by one, so that each failure is reported for its own event only.
            log.info("batch of %d %s documents laid out one by one", len(items), items[0][0].spec.layout)
            return [self.one(out, doc, target) for doc, target in items]
        results = []
        for (doc, target), (_, ready, _), output in zip(items, prepared, outputs):
            if isinstance(output, FitError):
                results.append(failed(target, self.builder.fit_error(doc, output)))
                continue
            try:
                atomic_write(out / target, output.data, root=out)
            except OutputError as exc:
                results.append(failed(target, exc))
                continue
            built = BuiltDocument(doc, ready.title, output.pages, ready.qr, output.sha256, target)
            results.append({"target": target, "doc": built.entry()})
        return results

    def _template(self, out: Path, template_doc: Planned):
        """A tracked document laid out once in the run: (template, pages, QR entries, title), or the error. The
        first worker to lay it out leaves it in the run's temporary folder for the others (and for the workers
        that replace them)."""
        key = template_doc.spec
        if key in self.templates:
            self.templates.move_to_end(key)
            return self.templates[key]
        stem = out / TMP_DIR / "templates" / hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        made = _saved_template(stem)
        if made is None:
            try:
                prepared, html = self.builder.prepare(template_doc)
                channel = self.builder.channel(template_doc.layout.channel)
                template, pages = channel.template(template_doc, prepared, html)
                made = (template, pages, prepared.qr, prepared.title)
                saved = {"pages": pages, "qr": prepared.qr, "title": prepared.title}
            except DOCUMENT_ERRORS as exc:
                if isinstance(exc, FitError):
                    exc = self.builder.fit_error(template_doc, exc)
                made, saved = exc, {"error": str(exc)}
            if "error" not in saved:
                atomic_write(stem.with_suffix(".pdf"), template.pdf, root=out)
            atomic_write(stem.with_suffix(".json"), json.dumps(saved).encode(), root=out)  # written last
        self.templates[key] = made
        if len(self.templates) > MAX_TEMPLATES:
            self.templates.popitem(last=False)
        return made

    def templated(self, out: Path, template_doc: Planned, items: list[tuple[Planned, str]]) -> list[dict]:
        """Events' copies of one tracked document: laid out once in the run, then each given its own QR code."""
        from ..build import BuiltDocument

        made = self._template(out, template_doc)
        if isinstance(made, Exception):
            return [failed(target, made) for _, target in items]
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
            try:
                atomic_write(out / target, output.data, root=out)
            except OutputError as exc:
                results.append(failed(target, exc))
                continue
            built = BuiltDocument(doc, title, output.pages, qr, output.sha256, target)
            results.append({"target": target, "doc": built.entry()})
        return results


def _saved_template(stem: Path):
    """A template another worker of the run left (or its error), or None."""
    from ..channels.qrslot import Template

    try:
        saved = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        if "error" in saved:
            return KitError(saved["error"])
        pdf = Template.from_pdf(stem.with_suffix(".pdf").read_bytes())
        return (pdf, saved["pages"], saved["qr"], saved["title"])
    except (OSError, ValueError, KeyError):
        return None


def _targets(task: str, args: tuple) -> list[str]:
    """The documents a task makes (to fail them all when the task itself fails)."""
    if task in ("one", "shared"):
        return [args[1]]
    items = args[-1]
    return [target for _, target in items]


@lru_cache(maxsize=WORKER_PROJECTS)
def worker_for(settings: Settings) -> PackWorker:
    """In a worker process: the project loaded and WeasyPrint set up once per settings (fonts, parsed CSS,
    image cache), whatever the output folder; a few settings at most (a web app may serve more than one)."""
    import gc

    from ..build import Builder
    from ..project import load_project

    worker = PackWorker(Builder(load_project(settings)))
    gc.collect()
    gc.freeze()  # the project, fonts and parsed stylesheets live as long as the worker: never scanned again
    return worker


def in_worker(settings: Settings, out: str, task: str, *args) -> list[dict]:
    """A task run in a worker process."""
    return worker_for(settings).run(task, Path(out), *args)


def start_worker(tmp: str, parent: int) -> None:
    """In each new worker: temporary files in the pool's own folder, Ctrl-C left to the parent (which stops the
    workers), and an end when the parent ends."""
    import signal
    import tempfile

    tempfile.tempdir = tmp
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches every process of the group
    try:  # Linux: the kernel stops this worker when the process that started it dies (SIGKILL included)
        import ctypes

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
