"""Worker pools for event packs: processes spawned fresh (WeasyPrint, Pango and cairo are never forked), not tied
to an output folder, replaced when one is lost, renewed after their share of tasks; or this process (`--jobs 1`).
And Ctrl-C: the first stops the run cleanly, a second at once."""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .worker import PackWorker, start_worker

log = logging.getLogger("kit")


def worker_count(jobs: int | None) -> int:
    """How many worker processes: ``jobs``, at most the machine's cores (more would only share them)."""
    cores = os.cpu_count() or 1
    if jobs is None:
        return cores
    if jobs > cores:
        log.warning(
            "--jobs %d: this machine has %d cores; using %d (more would only share them)", jobs, cores, cores
        )
        return cores
    return max(1, jobs)


# After a second Ctrl-C ends this process at once, Python's resource tracker frees the pool's semaphores (as it
# should) and warns of each "leak" on the terminal, after kit's own message: it starts with this filter.
_TRACKER_QUIET = "ignore::UserWarning:multiprocessing.resource_tracker"


def _quiet_resource_tracker() -> None:
    import sys

    if _TRACKER_QUIET not in sys.warnoptions:
        sys.warnoptions.append(_TRACKER_QUIET)


@dataclass
class Handed:
    """Tasks handed to a pool: their futures, and which pool (a lost worker means a new one) took them."""

    futures: dict
    generation: int


class WorkerPool:
    """Worker processes for pack tasks (``(function, *args)``, each giving a list of outcomes). A pool that loses a
    worker is started again and the lost tasks are run once more. Tasks are handed over ahead (``depth`` chunks at
    a time), so that no worker waits while the last tasks of a chunk finish or the next chunk is planned.

    The pool is not tied to an output folder or a project: each task names its settings and folder, and each
    worker keeps the projects it loaded (kit.pack.worker.worker_for). ``tmp`` holds the workers' temporary
    files (WeasyPrint's font folders); without it the pool makes its own and removes it at shutdown."""

    depth = 3
    # Then the next tasks go to a fresh pool (the old one ends its tasks, then its workers end): whatever a long
    # run leaves behind in a process is given back. Not max_tasks_per_child: with tasks queued ahead, Python
    # 3.11 and 3.12 deadlock when a worker reaches that limit (CPython gh-115634; it did here at ~1,000 events).
    TASKS_PER_WORKER = 1500

    def __init__(self, jobs: int, tmp: Path | None = None):
        self.jobs = jobs
        self._own_tmp = tmp is None
        self.tmp = Path(tempfile.mkdtemp(prefix="kit-workers-")) if tmp is None else Path(tmp)
        self.generation = 0
        self.handed = 0  # tasks handed to the current pool
        self.draining: list[ProcessPoolExecutor] = []  # renewed pools still ending their queue
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        _quiet_resource_tracker()
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=(str(self.tmp), os.getpid()),
        )

    def _fresh(self, *, broken: bool) -> None:
        """Hand the next tasks to a new pool. A broken pool's queued tasks are dropped (their owners run them
        again); a pool renewed after its share of tasks ends its queue, then its workers end."""
        old, self.pool = self.pool, self._new()
        self.generation, self.handed = self.generation + 1, 0
        old.shutdown(wait=False, cancel_futures=broken)
        if not broken:
            self.draining = [p for p in self.draining if p._processes] + [old]

    def submit(self, tasks: list[tuple]) -> Handed:
        if self.handed >= self.TASKS_PER_WORKER * self.jobs:
            self._fresh(broken=False)
        self.handed += len(tasks)
        try:
            return Handed({self.pool.submit(*task): task for task in tasks}, self.generation)
        except BrokenProcessPool:  # a worker stopped while earlier chunks were running: they are run again
            self._replace(self.generation)  # when collected; these go to the new pool
            return Handed({self.pool.submit(*task): task for task in tasks}, self.generation)

    def _replace(self, generation: int) -> None:
        """A new pool for the one that lost a worker (once: the first to notice replaces it)."""
        if generation == self.generation:
            log.warning("a worker process stopped; its tasks are run again in a new one")
            self._fresh(broken=True)

    def collect(self, handed: Handed) -> list[dict]:
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

    def shutdown(self) -> None:
        """Tasks not started are dropped, those running end, then the workers end."""
        for pool in [*self.draining, self.pool]:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def kill(self) -> None:
        """Stop every worker at once (the second Ctrl-C): what they were writing is left as temporary files."""
        for pool in [*self.draining, self.pool]:
            for process in list((pool._processes or {}).values()):
                try:
                    process.kill()
                except (OSError, AttributeError):
                    pass

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


class InProcessPool:
    """`--jobs 1`: the same tasks, run in this process with the project already loaded (for debugging). This
    process's temporary folder is left as it is (nothing process-wide changes)."""

    depth = 1  # nothing runs ahead: tasks are run as they are handed over

    def __init__(self, worker: PackWorker):
        self.worker = worker

    def submit(self, tasks: list[tuple]) -> list[dict]:
        outcomes = []
        for _fn, _settings, out, task, *args in tasks:
            outcomes.extend(self.worker.run(task, Path(out), *args))
        return outcomes

    def collect(self, handed: list[dict]) -> list[dict]:
        return handed

    def run(self, tasks: list[tuple]) -> list[dict]:
        return self.submit(tasks)

    def shutdown(self) -> None:
        pass

    def kill(self) -> None:
        pass

    def __enter__(self) -> InProcessPool:
        return self

    def __exit__(self, *exc) -> None:
        pass


class Interrupts:
    """Ctrl-C during a run (in the main thread of a program that left Python's own handler): the first stops the
    run cleanly (KeyboardInterrupt: running tasks end, what is done is saved); a second stops at once:
    ``hard_stop`` is called (kill the workers, remove their temporary files), then the process ends with 130."""

    def __init__(self, hard_stop):
        self.hard_stop = hard_stop
        self.count = 0
        self.previous = None

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.count += 1
        if self.count == 1:
            raise KeyboardInterrupt
        try:
            self.hard_stop()
        finally:
            stop_at_once()

    def __exit__(self, *exc) -> None:
        if self.previous is None:
            return
        # Once interrupted, the run is ending: a Ctrl-C more, while the interruption is reported, ends it at once
        # (never a KeyboardInterrupt inside the release of a lock or the interpreter's own ending).
        signal.signal(signal.SIGINT, (lambda *_: stop_at_once()) if self.count else self.previous)


def stop_at_once() -> None:
    """End this process now, with exit code 130 (interrupted), saying what is left."""
    try:
        os.write(2, b"\nStopped at once. Files already written are complete; run the same command again.\n")
    finally:
        os._exit(130)
