"""What a pack run gives: each event's outcome, its failures as data (for the terminal, the manifest and an API's
JSON), and the run's summary with a bounded report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FAILURE_KINDS = (
    "row",  # the spreadsheet row (or the form, the request) has problems: ``problems`` lists them
    "document",  # a document could not be made (text that does not fit, a broken template or layout)
    "output",  # a file could not be written (a file kit did not write in the way, a link out of the folder)
    "stopped",  # the worker making it stopped (run the same command again)
)


@dataclass(frozen=True)
class Failure:
    """Why an event (or one of its documents) failed: its kind (``FAILURE_KINDS``), a message in plain words, the
    row's problems as data (``kit.events.RowProblem.as_dict``), and the document concerned (its path in the packs
    folder), if any."""

    kind: str
    message: str
    problems: tuple[dict, ...] = ()
    document: str | None = None

    def lines(self) -> list[str]:
        """The failure as the terminal and the manifest say it: one line per problem of a row."""
        if self.problems:
            return [_problem_line(p) for p in self.problems]
        return [self.message]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "message": self.message,
            "problems": list(self.problems),
            "document": self.document,
        }


def _problem_line(problem: dict) -> str:
    row, column = problem.get("row"), problem.get("column") or problem.get("field")
    text = (
        f'row {row}, column "{column}": {problem["message"]}' if row else f'"{column}": {problem["message"]}'
    )
    return f"{text} {problem['hint']}" if problem.get("hint") else text


class EventResult:
    """One event's outcome: built, up-to-date or failed, its failures and its documents. The documents of an
    event whose pack is saved are read back from its state file when asked for: a run of 20,000 events does
    not hold 190,000 document entries in memory."""

    __slots__ = ("id", "row", "status", "failures", "document_count", "_documents", "_saved")

    def __init__(
        self,
        id: str,
        row: int,
        status: str,
        failures: list[Failure] | None = None,
        documents: list[dict] | None = None,
        saved: Path | None = None,
    ):
        self.id, self.row, self.status = id, row, status  # status: built | up-to-date | failed
        self.failures = list(failures or [])
        self.document_count = len(documents or [])
        self._documents = None if saved is not None else list(documents or [])
        self._saved = saved

    @property
    def errors(self) -> list[str]:
        """Every failure as a line of text (a row's problems one by one)."""
        return [line for failure in self.failures for line in failure.lines()]

    @property
    def documents(self) -> list[dict]:
        if self._documents is not None:
            return self._documents
        try:
            return json.loads(self._saved.read_text(encoding="utf-8"))["documents"]
        except (OSError, ValueError, KeyError):
            return []

    def entry(self) -> dict:
        """The event in manifest.json (with its failures as data when it failed)."""
        entry = {
            "id": self.id,
            "row": self.row,
            "status": self.status,
            "errors": self.errors,
            "documents": self.documents,
        }
        if self.failures:
            entry["failures"] = [failure.as_dict() for failure in self.failures]
        return entry


@dataclass
class PackResult:
    """The run: every event's outcome (in row order), warnings, and the files written besides the packs."""

    out_dir: Path
    events: list[EventResult]
    warnings: list[str]
    manifest: Path | None = None
    placements: Path | None = None
    problems: Path | None = None  # problems.txt: every problem of the run, one a line (when any)
    stopped: str | None = None  # why the run stopped before its end (a full disk), if it did

    def count(self, status: str) -> int:
        return sum(1 for e in self.events if e.status == status)

    @property
    def failed(self) -> bool:
        return self.stopped is not None or any(e.status == "failed" for e in self.events)

    def problem_lines(self) -> list[str]:
        """Every problem of the run, one a line, each naming its event, then the notes (as in problems.txt)."""
        lines = [f"{e.id} (row {e.row}): {line}" for e in self.events for line in e.errors]
        return lines + [f"Note: {warning}" for warning in self.warnings]

    def summary(self) -> str:
        return f"{self.count('built')} built, {self.count('up-to-date')} up to date, {self.count('failed')} failed."


@dataclass
class Report:
    """What a terminal shows of a run, bounded whatever its size: the events listed (all of a short run, else
    the failed ones, at most ``limit``) with at most ``per_event`` problems each, and what is left out."""

    rows: list[tuple[EventResult, list[str]]]
    listed_all: bool  # every event is listed (a short run)
    more_events: int = 0  # failed events not listed
    more_problems: int = 0  # problems not shown (of listed and unlisted events)


def bounded_report(result: PackResult, limit: int = 50, per_event: int = 5) -> Report:
    """The events and problems a terminal shows (``limit`` events, ``per_event`` problems each); problems.txt
    and manifest.json have them all."""
    short = len(result.events) <= limit
    candidates = result.events if short else [e for e in result.events if e.failures]
    rows = [(event, event.errors[:per_event]) for event in candidates[:limit]]
    total = sum(len(e.errors) for e in result.events)
    return Report(
        rows,
        short,
        more_events=len(candidates) - len(rows),
        more_problems=total - sum(len(lines) for _, lines in rows),
    )
