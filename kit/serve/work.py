"""What kit serve renders and keeps: one event's pack (kit.build_event on a shared worker pool) or a whole
spreadsheet's (kit.build_packs, one at a time), admitted only while the pool and its bounded queue have room,
stopped after a time limit, kept in a temporary folder under random names and removed after a set time."""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import kit

log = logging.getLogger("kit.serve")

TOKEN_CHARS = 32  # hex digits of a result's or a job's random name (128 bits): nothing else names a folder
# The default queue: renders that may wait, per worker. It was one when a pack took several seconds (on 2 cores
# shared with other work, 6 packs at once took 43 s, near the minute a client waits). Since the documents the
# same for every event are made once for the server's life (kit.SharedDocuments), a pack takes under a second
# once warm, so with one per worker 16 of 20 clients posting at once got 503 though all would have been served
# within seconds. Four per worker keeps the longest wait to about five renders per worker (a few seconds), far
# below a client's minute and the job time limit, and the bound still stops a flood: the next ones get 503 at
# once. A slow machine or heavy layouts can lower it ([serve] queue, --queue).
QUEUE_PER_WORKER = 4


class Busy(Exception):
    """Every worker is busy and the queue is full: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: int):
        super().__init__("busy")
        self.retry_after = retry_after


class TimeLimit(Exception):
    """A render ran past the job time limit and was stopped."""


def valid_token(token: str) -> bool:
    return len(token) == TOKEN_CHARS and all(c in "0123456789abcdef" for c in token)


@dataclass
class Pack:
    """One event's pack, made for a form or an API request: its folder, its zip and its documents."""

    token: str
    folder: Path
    event_id: str
    name: str
    documents: list[dict]
    created: float = field(default_factory=time.monotonic)

    @property
    def zip_path(self) -> Path:
        return self.folder / f"{self.event_id}.zip"

    def document(self, index: int) -> Path | None:
        """The index-th document's PDF (an index, never a path from the request)."""
        if 0 <= index < len(self.documents):
            return self.folder / self.documents[index]["path"]
        return None


@dataclass
class Job:
    """A spreadsheet's packs, made in the background: its state as the API and the progress page show it."""

    id: str
    folder: Path
    total: int
    failed: list[dict]
    status: str = "queued"  # queued, running, finished
    done: int = 0
    built: int = 0
    error: str | None = None
    created: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def result(self) -> Path:
        return self.folder / "packs.zip"

    def state(self) -> dict:
        state = {
            "id": self.id,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "built": self.built,
            "failed": self.failed,
        }
        if self.error:
            state["error"] = self.error
        return state


class Work:
    """The server's renders: a worker pool (processes) for single packs, one spreadsheet job at a time, a bound on
    everything admitted (the workers plus the queue), and the temporary folder where results wait."""

    def __init__(
        self, project, *, workers: int | None, queue: int | None, keep_seconds: float, time_limit: float
    ):
        self.project = project
        self.workers = kit.worker_count(workers)
        # Renders waiting beyond the workers: QUEUE_PER_WORKER each by default, still bounded (a wait is a thread
        # and a few kilobytes; the renders themselves stay on the workers). See QUEUE_PER_WORKER for why.
        self.capacity = self.workers + (self.workers * QUEUE_PER_WORKER if queue is None else queue)
        self.keep_seconds = keep_seconds
        self.time_limit = time_limit
        self.root = Path(tempfile.mkdtemp(prefix="kit-serve-"))
        (self.root / "packs").mkdir()
        (self.root / "jobs").mkdir()
        (self.root / "workers").mkdir()
        self.pool = kit.WorkerPool(self.workers, self.root / "workers")
        # Documents the same for every event (question posters, leaflets...) are made once for the server's life.
        self.shared = kit.SharedDocuments(self.root / "shared")
        self.registry = self._open_registry()
        self.jobs_runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kit-job")
        self.lock = threading.Lock()
        self.admitted = 0
        self.packs: dict[str, Pack] = {}
        self.jobs: dict[str, Job] = {}
        self.stopping = threading.Event()
        self.cleaner = threading.Thread(target=self._clean_loop, name="kit-clean", daemon=True)
        self.cleaner.start()

    def _open_registry(self):
        """With tracking on ([build] track in kit.toml), the campaign's placement registry, as `kit pack --track`
        and the spreadsheet jobs (kit.build_packs) open it: [build] placements, else placements.sqlite beside
        kit.toml; so a code is never given twice, whether a pack comes from the form, the API, a job or kit pack.
        Without kit.toml, one in the server's temporary folder (codes unique for the server's life)."""
        if not self.project.options.track:
            return None
        path = self.project.config.placements_registry
        return kit.open_registry(path or self.root / "placements.sqlite", root=None if path else self.root)

    # --- admission -----------------------------------------------------------------------------

    def admit(self) -> None:
        """Take a place among the renders admitted, or raise Busy (the answer is then 503 with Retry-After)."""
        with self.lock:
            if self.admitted >= self.capacity:
                raise Busy(self.retry_after())
            self.admitted += 1

    def release(self) -> None:
        with self.lock:
            self.admitted = max(0, self.admitted - 1)

    def retry_after(self) -> int:
        return 10 if self.admitted <= self.workers else 30

    # --- one event -------------------------------------------------------------------------------

    def make_pack(self, event) -> tuple[Pack | None, list]:
        """One event's pack (the caller was admitted, and releases): (pack, []) or (None, failures)."""
        token = secrets.token_hex(TOKEN_CHARS // 2)
        folder = self.root / "packs" / token
        folder.mkdir()
        result = kit.build_event(
            self.project,
            event,
            folder,
            self.pool,
            registry=self.registry,
            zip_pack=True,
            shared=self.shared,
        )
        if result.status == "failed":
            shutil.rmtree(folder, ignore_errors=True)
            return None, list(result.failures)
        pack = Pack(token, folder, event.id, event.venue_name, list(result.documents))
        with self.lock:
            self.packs[token] = pack
        return pack, []

    def pack(self, token: str) -> Pack | None:
        if not valid_token(token):
            return None
        with self.lock:
            return self.packs.get(token)

    def preview(self, pack: Pack, index: int) -> Path | None:
        """A PNG of the index-th document's first page (made once, kept beside the pack)."""
        pdf = pack.document(index)
        if pdf is None or not pdf.is_file():
            return None
        png = pack.folder / ".previews" / f"{index}.png"
        if not png.is_file():
            png.parent.mkdir(exist_ok=True)
            kit.write_thumbnail(pdf, png, width_px=320, root=pack.folder)
        return png

    # --- a spreadsheet ---------------------------------------------------------------------------

    def start_job(self, data: bytes, sheet) -> Job:
        """Queue a spreadsheet already read (``sheet``: its rows checked) for its packs (the caller was admitted;
        the job releases its place when it ends)."""
        job_id = secrets.token_hex(TOKEN_CHARS // 2)
        folder = self.root / "jobs" / job_id
        folder.mkdir()
        failed = [
            {"row": p.row, "column": p.column, "field": p.field, "message": p.message, "hint": p.hint}
            for p in sheet.problems
        ]
        rows = len(sheet.failed_rows)  # rows with a problem are done already (they have no pack)
        job = Job(job_id, folder, total=len(sheet.events) + rows, failed=failed, done=rows)
        with self.lock:
            self.jobs[job_id] = job
        self.jobs_runner.submit(self._run_job, job, data)
        return job

    def job(self, job_id: str) -> Job | None:
        if not valid_token(job_id):
            return None
        with self.lock:
            return self.jobs.get(job_id)

    def _run_job(self, job: Job, data: bytes) -> None:
        try:
            if self.stopping.is_set():
                raise TimeLimit("the server is stopping")
            job.status = "running"
            deadline = time.monotonic() + self.time_limit

            first = job.done

            def progress(done: int, total: int, _what: str) -> None:
                job.done = first + done
                if time.monotonic() > deadline or self.stopping.is_set():
                    raise TimeLimit(f"{self.time_limit / 60:g}")

            out = job.folder / "packs"
            result = kit.build_packs(self.project, data, out, jobs=self.workers, progress=progress)
            job.done = job.total
            for event in result.events:
                if event.status == "failed":
                    for failure in event.failures:
                        if not failure.problems:  # a row's problems were listed when the sheet was read
                            job.failed.append(
                                {"row": event.row, "column": "", "field": None, "message": failure.message}
                            )
                else:
                    job.built += 1
            _zip_folder(out, job.result)
        except TimeLimit as stop:
            job.error = f"time limit ({stop} min)"
        except kit.KitError as error:
            job.error = str(error)
        except Exception as error:  # a bug: the job fails, the server goes on (no field value is logged)
            log.error("a spreadsheet job failed: %s", type(error).__name__)
            job.error = "unexpected error"
        finally:
            shutil.rmtree(job.folder / "packs", ignore_errors=True)
            self.release()  # before the job says it is finished: a client that saw it finish finds room
            job.finished = time.monotonic()
            job.status = "finished"

    # --- clean-up --------------------------------------------------------------------------------

    def clean(self) -> None:
        """Remove results older than the keeping time (a job's from when it finished)."""
        now = time.monotonic()
        with self.lock:
            old_packs = [t for t, p in self.packs.items() if now - p.created > self.keep_seconds]
            old_jobs = [
                i
                for i, j in self.jobs.items()
                if j.finished is not None and now - j.finished > self.keep_seconds
            ]
            gone = [self.packs.pop(t).folder for t in old_packs] + [self.jobs.pop(i).folder for i in old_jobs]
        for folder in gone:
            shutil.rmtree(folder, ignore_errors=True)

    def _clean_loop(self) -> None:
        pause = max(0.2, min(30.0, self.keep_seconds / 4))
        while not self.stopping.wait(pause):
            self.clean()

    def shutdown(self) -> None:
        """At the server's end: queued jobs dropped, running ones stopped, the workers ended, every result gone."""
        self.stopping.set()
        self.jobs_runner.shutdown(wait=True, cancel_futures=True)
        self.pool.shutdown()
        if self.registry is not None:
            self.registry.close()
        shutil.rmtree(self.root, ignore_errors=True)


def _zip_folder(folder: Path, target: Path) -> None:
    """Every pack of a spreadsheet, its manifest, problems.txt and placements.csv in one zip (not kit's own
    records of what it wrote and how far it got)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if not path.is_file() or any(part.startswith(".") for part in relative.parts):
                continue
            archive.write(path, relative.as_posix())
