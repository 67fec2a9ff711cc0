"""Event packs: a ready-to-print folder per event, from a spreadsheet at national scale (``build_packs``, the
`kit pack` command) or one event at a time (``build_event``, the web app), both through the per-event builder
(``EventBuilder``) and a worker pool (``WorkerPool``, or ``InProcessPool`` for `--jobs 1`). Failures are data
(``Failure``: kind, message, problems, document), which the command line prints and an API can turn into JSON.

Modules: builder (the per-event builder), pool (worker pools, Ctrl-C), worker (what a worker does), state (what
earlier runs built, the folder's lock), results (outcomes, failures, the bounded report), run (`kit pack`).
"""

from ..plan import plan_event
from .builder import EventBuilder, SharedDocuments, build_event, pack_path
from .pool import InProcessPool, WorkerPool, worker_count
from .results import FAILURE_KINDS, EventResult, Failure, PackResult, Report, bounded_report
from .run import PROBLEMS_NAME, build_packs, build_packs_naive
from .state import LOCK_NAME, STATE_DIR, OutputLock, PackState, inputs_digest
from .worker import PLACEHOLDER, TMP_DIR, PackWorker, worker_for

__all__ = [
    "FAILURE_KINDS",
    "LOCK_NAME",
    "PLACEHOLDER",
    "PROBLEMS_NAME",
    "STATE_DIR",
    "TMP_DIR",
    "EventBuilder",
    "EventResult",
    "Failure",
    "InProcessPool",
    "OutputLock",
    "PackResult",
    "PackState",
    "PackWorker",
    "Report",
    "SharedDocuments",
    "WorkerPool",
    "bounded_report",
    "build_event",
    "build_packs",
    "build_packs_naive",
    "inputs_digest",
    "pack_path",
    "plan_event",
    "worker_count",
    "worker_for",
]
