"""What earlier pack runs built in an output folder (so that only what changed is built again), what shapes a
pack besides its row, and the lock that keeps one run per folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KitError
from ..files import atomic_write
from ..version import __version__

if TYPE_CHECKING:
    from ..events import Event
    from ..project import Project

STATE_DIR = ".kit-pack-state"  # inputs digest, then one small file per event: saving costs the same at any N
OLD_STATE = ".kit-pack-state.json"  # the single state file of earlier versions (read no more, removed)
LOCK_NAME = ".kit-pack.lock"


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
        self.out = out
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
        stamps = {doc["path"]: stamp(out / doc["path"]) for doc in documents}
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

    def up_to_date(self, event: Event) -> dict | None:
        """What an earlier run built for the event, if its row is unchanged and its files are still those kit
        wrote (size and date, no re-reading); else None."""
        before = self.load(event.id)
        if not before or before.get("fingerprint") != event.fingerprint():
            return None
        stamps = before.get("stamps", {})
        documents = before.get("documents", [])
        fine = all(stamps.get(doc["path"]) == stamp(self.out / doc["path"]) for doc in documents)
        return before if fine else None


def stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


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
