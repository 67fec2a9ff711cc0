"""Writing outputs: atomic files, errors in the user's terms, and a record of what kit wrote in each folder.

- ``atomic_write`` writes to a temporary file beside the target, then renames it into place: readers see the
  old file or the whole new one, never half. A disk or path error names the real file and the reason
  (OutputError), never the temporary name. Given the output folder (``root``), it writes only inside it:
  a link inside the folder to another folder is not followed.
- ``OutputFolder`` keeps the record (``.kit-written``, one path a line, written atomically) of the files kit
  wrote in a folder, so that kit overwrites and removes only those: a file it did not write is in the way
  (OutputError naming it, unless ``force``) and is never deleted. Every command that writes a folder writes
  through it (build, pack, site, report); ``OutputFolder.staging`` writes a whole folder beside it first and
  moves it in at the end (the site: a build that stops leaves the previous one as it was).
- ``manifest_text`` / ``write_manifest``: the one way kit writes a manifest.json (streamed, so a manifest of
  20,000 events is never one string; the same text as one ``json.dumps`` of it, indent 2).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .errors import NoSpaceError, OptionError, OutputError

WRITTEN_NAME = ".kit-written"
STAGING = ".kit-staging"  # the end of the name of a folder written beside the output folder, then moved in
_RECORD_HEAD = (
    "# The files kit wrote in this folder: kit replaces or removes only these. Leave this file here.\n"
)
_PART_RE = re.compile(
    r"^\.(.+)\.[^.]+\.part$"
)  # the temporary name atomic_write gives: .<name>.<random>.part


def atomic_write(path: str | Path, data: bytes | str, *, root: str | Path | None = None) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never half.

    With ``root`` (the output folder ``path`` is in), no link inside ``root`` is followed on the way.
    Raises OutputError naming ``path`` when it cannot be written.
    """
    with atomic_writer(path, root=root) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


@contextmanager
def atomic_writer(path: str | Path, *, root: str | Path | None = None) -> Iterator[BinaryIO]:
    """``atomic_write`` for a file written piece by piece (a manifest of 20,000 events is never one string):
    a binary handle on a temporary file, renamed into place when the block ends without an error."""
    path = Path(path)
    try:
        if root is not None:
            check_inside(path, Path(root))
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        make_folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as exc:
        raise output_error(exc, path) from None


NO_SPACE = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)})


def output_error(exc: OSError, path: Path, *, folder: bool = False) -> OutputError:
    """The OutputError for an operating-system error on ``path`` (NoSpaceError when nothing more can be written)."""
    kind = NoSpaceError if exc.errno in NO_SPACE else OutputError
    return kind(os_error_message(exc, path, folder=folder))


def make_folder(folder: Path) -> None:
    """Make ``folder`` (and its parents); OutputError when a file stands where a folder is needed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, folder, folder=True) from None


def check_encodable(path: Path, option: str) -> None:
    """OptionError when the name of ``path`` (given as ``option``) cannot be written as text (bytes that are not
    UTF-8 in a folder's name: the files kit writes there could not be named or described)."""
    text = str(Path(path).absolute())
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = os.fsencode(text[exc.start : exc.end])
        shown = os.fsencode(text).decode("utf-8", errors="backslashreplace")
        raise OptionError(
            f"{option} {shown}: this folder name holds bytes that are not text ({bad!r} is not UTF-8), so kit "
            "cannot name the files it would write there. Rename the folder (or the folder it is in) with "
            f"letters, digits and hyphens, or give {option} another folder."
        ) from None


def remove_parts(folder: Path, *, recursive: bool = True) -> None:
    """Remove the temporary files kit's writers leave when a process is stopped at once (``.<name>.*.part`` and
    ``.<name>.link``) from ``folder`` (and its subfolders): never a file of another name."""
    pattern = "**/.*" if recursive else ".*"
    try:
        found = list(Path(folder).glob(pattern))
    except OSError:
        return
    for path in found:
        if (_PART_RE.match(path.name) or path.name.endswith(".link")) and not path.is_symlink():
            try:
                path.unlink()
            except OSError:
                pass


def check_inside(path: Path, root: Path) -> None:
    """``path`` is written inside the real folder ``root``: no part of it below ``root`` may be a link (the
    folder ``root`` itself may be one: the user named it)."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        raise OutputError(f"{path} is outside the output folder {root}: kit writes only inside it.") from None
    current = root
    for part in relative.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise OutputError(
                f"{current} is a link to {os.path.realpath(current)}: kit writes only inside the "
                f"output folder {root}, and does not follow links out of it. Remove the link, or "
                "choose another output folder (--out)."
            )
        if not current.exists():
            return


def os_error_message(exc: OSError, path: Path, *, folder: bool = False) -> str:
    """An operating-system error on ``path`` in the user's terms: the real path and the reason."""
    code = exc.errno
    what = "the folder" if folder else ""
    shown = f"{what} {path}".strip()
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"{shown} cannot be written: the disk is full. Free some space, or write elsewhere (--out)."
    if code == errno.EFBIG:
        return (
            f"{shown} cannot be written: it would be larger than this disk, your quota or your account allows "
            "a file to be. Free some space or ask for a larger limit, or write elsewhere (--out)."
        )
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        place = path if folder else path.parent
        return (
            f"{shown} cannot be written: kit may not write in the folder {place} (it is read-only, or belongs "
            "to someone else). Choose another folder (--out), or ask for the right to write there."
        )
    if code == errno.EISDIR:
        return f"{path} is a folder, not a file: give the name of a file to write (not of a folder)."
    if code in (errno.ENOTDIR, errno.EEXIST):
        blocker = _file_in_the_way(path if folder else path.parent)
        if blocker is not None and blocker == path:
            return f"{path} is a file, not a folder: give a folder name (--out), or move that file."
        if blocker is not None:
            return (
                f"{blocker} is a file, not a folder: kit cannot make the folder {path if folder else path.parent}"
                f" in it. Choose another name, or move that file."
            )
    if code == errno.ENAMETOOLONG:
        return (
            f"{path} cannot be written: its name is too long for this disk. Choose a shorter name or folder."
        )
    reason = exc.strerror or str(exc)
    return f"{shown} cannot be written: {reason}."


def _file_in_the_way(folder: Path) -> Path | None:
    """The first part of ``folder`` that exists and is not a folder."""
    current = Path(folder.anchor) if folder.is_absolute() else Path()
    for part in folder.parts[len(current.parts) :]:
        current = current / part
        if current.exists() and not current.is_dir():
            return current
        if not current.exists():
            return None
    return None


def describe_os_error(exc: OSError) -> str:
    """For errors met outside atomic_write: the file it names (never a temporary .part name) and the reason."""
    name = exc.filename2 if exc.errno == errno.EISDIR and exc.filename2 else exc.filename
    if name is None:
        return f"a file or folder cannot be used: {exc.strerror or exc}."
    path = Path(os.fsdecode(name))
    match = _PART_RE.match(path.name)
    if match:
        path = path.with_name(match.group(1))
    return os_error_message(exc, path, folder=exc.errno in (errno.EEXIST, errno.ENOTDIR))


# --- The record of what kit wrote in a folder ---------------------------------------------------


def _clean(name: str) -> str | None:
    """A recorded name as a relative path inside the folder, or None (absolute, '..', odd characters)."""
    if not name or "\n" in name or "\r" in name or "\\" in name:
        return None
    posix = PurePosixPath(name)
    if posix.is_absolute() or ".." in posix.parts or name.startswith("/"):
        return None
    return posix.as_posix()


class OutputFolder:
    """A folder kit writes into, with the record of the files it wrote there (``.kit-written``)."""

    def __init__(self, root: str | Path, *, force: bool = False):
        self.root = Path(root)
        self.force = force
        self._written: set[str] | None = None
        self._legacy: set[str] | None = None

    @property
    def record_path(self) -> Path:
        return self.root / WRITTEN_NAME

    @property
    def written(self) -> set[str]:
        """The files (relative paths) kit's record says it wrote here: the only ones it may remove."""
        if self._written is None:
            self._written = self._read()
        return self._written

    @property
    def legacy(self) -> set[str]:
        """In a folder written by a kit older than the record (no record), what its kit-made manifest.json lists:
        files kit may replace, never remove (a manifest is no proof: anyone can write one)."""
        if self._legacy is None:
            self._legacy = set() if os.path.lexists(self.record_path) else self._from_manifest()
        return self._legacy

    def _read(self) -> set[str]:
        try:
            text = self.record_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return set()
        names = (_clean(line) for line in text.splitlines() if line and not line.startswith("#"))
        return {name for name in names if name}

    def _from_manifest(self) -> set[str]:
        try:
            manifest = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        if not isinstance(manifest, dict) or "kit_version" not in manifest:
            return set()
        found = {"manifest.json"}
        documents = manifest.get("documents")
        events = manifest.get("events")
        if isinstance(documents, list):  # kit build: its catalogue and thumbnails too
            found.add("index.html")
            found.update(f"thumbs/{p.name}" for p in (self.root / "thumbs").glob("*.png"))
        elif isinstance(events, list):  # kit pack: its report of problems, its placements and its zips too
            events = [event for event in events if isinstance(event, dict)]
            documents = [doc for event in events for doc in event.get("documents") or []]
            found.update(("problems.txt", "placements.csv"))
            found.update(f"{event['id']}.zip" for event in events if isinstance(event.get("id"), str))
        elif manifest.get("generator") == "kit site" and isinstance(manifest.get("files"), list):
            found.update(
                name for name in manifest["files"] if isinstance(name, str)
            )  # every file of the site
        found.update(
            doc["path"]
            for doc in documents or []
            if isinstance(doc, dict) and isinstance(doc.get("path"), str)
        )
        return {name for name in map(_clean, found) if name}

    def prepare(self) -> None:
        """The folder exists (made if needed); OutputError when a file stands there."""
        if self.root.exists() and not self.root.is_dir():
            raise OutputError(
                f"{self.root} is a file, not a folder: give the output option (--out) a folder name, "
                "or move that file."
            )
        make_folder(self.root)

    def in_the_way(self, names: Iterable[str]) -> list[Path]:
        """Files among ``names`` that exist and that kit did not write."""
        mine = self.written | self.legacy
        return [self.root / name for name in names if name not in mine and os.path.lexists(self.root / name)]

    def check(self, names: Iterable[str]) -> None:
        """OutputError when one of ``names`` would be written through a link out of the folder, or would replace
        a file kit did not write (unless ``force``): said before anything is written."""
        names = list(names)
        for name in names:
            check_inside(self.root / name, self.root)
        blocking = self.in_the_way(names)
        if blocking and not self.force:
            shown = ", ".join(str(p) for p in blocking[:5]) + (
                f" and {len(blocking) - 5} others" if len(blocking) > 5 else ""
            )
            it = "them" if len(blocking) > 1 else "it"
            raise OutputError(
                f"kit did not write {shown}, and would replace {it}: move {it} away, choose another output "
                f"folder (--out), or add --force to replace {it}."
            )

    def claim(self, names: Iterable[str]) -> None:
        """Before writing ``names``: stop when a file kit did not write is in the way (unless ``force``); then
        record them, so that kit knows them as its own even if the run is cut short."""
        names = list(names)
        self.check(names)
        self.record(names)

    def record(self, names: Iterable[str]) -> None:
        added = {name for name in map(_clean, names) if name} - self.written
        if added or not self.record_path.exists():
            self.written.update(added)
            self._save()

    def keep_only(self, keep: set[str]) -> list[str]:
        """Remove the files kit's record says it wrote here that are not in ``keep`` (never any other file: not
        one a manifest.json lists), and the folders that leaves empty; record ``keep``. Returns the names
        removed."""
        keep = {name for name in map(_clean, keep) if name}
        removed, kept = [], set()
        real_root = self.root.resolve()
        for name in sorted(self.written - keep):
            path = self.root / name
            try:
                if path.resolve().parent != real_root and real_root not in path.resolve().parents:
                    continue  # a link inside the folder that leads out of it: not kit's to remove
                path.unlink()
                removed.append(name)
                self._prune(path.parent)
            except FileNotFoundError:
                removed.append(name)
            except OSError:
                kept.add(name)  # still kit's: tried again next time
        new = keep | kept
        if new != self.written or not self.record_path.exists():
            self._written = new
            self._save()
        return removed

    def remove(self, name: str) -> bool:
        """Remove the file ``name`` when kit's record says kit wrote it (never another file); True when it did."""
        name = _clean(name)
        return name is not None and name in self.written and name in self.keep_only(self.written - {name})

    def _prune(self, folder: Path) -> None:
        """Remove ``folder`` and its parents inside the output folder while they are empty (real folders only)."""
        while folder != self.root and self.root in folder.parents and not folder.is_symlink():
            try:
                folder.rmdir()
            except OSError:
                return  # not empty (or not ours to remove)
            folder = folder.parent

    def staging(self, suffix: str = STAGING) -> Staging:
        """A folder beside this one to write every file of a run into; ``Staging.commit`` moves them in."""
        return Staging(self, suffix)

    def _save(self) -> None:
        atomic_write(
            self.record_path,
            _RECORD_HEAD + "".join(f"{name}\n" for name in sorted(self.written)),
            root=self.root,
        )


class Staging:
    """Every file of a run written into a folder beside the output folder (``.<name>.<random><suffix>``), then
    moved in by ``commit``: a run that stops before (an error, Ctrl-C) leaves the folder as it was. The files go
    in through the output folder's rules: none replaces a file kit did not write (unless ``force``), none is
    written through a link, and the files kit wrote before and not this time are removed."""

    def __init__(self, folder: OutputFolder, suffix: str = STAGING):
        self.folder = folder
        self.names: dict[str, None] = {}  # in the order written
        out = folder.root
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} is a file, not a folder: give --out a folder name, or move that file.")
        make_folder(out.parent)
        try:
            self.root = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=suffix, dir=out.parent))
        except OSError as exc:
            raise output_error(exc, out, folder=True) from None

    def write(self, name: str, data: bytes | str) -> Path:
        """Stage ``data`` as the file ``name`` (a path relative to the folder); returns where it will be."""
        if _clean(name) != name:
            raise OutputError(f"{name}: kit writes only files inside the output folder {self.folder.root}.")
        atomic_write(self.root / name, data, root=self.root)
        self.names[name] = None
        return self.folder.root / name

    def commit(self) -> list[str]:
        """Move every staged file into the output folder (each move replaces one file at once), after checking
        them all (OutputFolder.claim); then remove the files kit wrote there before and not this time. Returns
        the names removed."""
        folder = self.folder
        folder.prepare()
        folder.claim(self.names)
        for name in self.names:
            target = folder.root / name
            check_inside(target, folder.root)
            make_folder(target.parent)
            try:
                os.replace(self.root / name, target)
            except OSError as exc:
                raise output_error(exc, target) from None
        return folder.keep_only(set(self.names))

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()


# --- The one manifest writer ----------------------------------------------------------------------------------

MANIFEST_NAME = "manifest.json"


def manifest_text(head: dict, lists: dict[str, Iterable]) -> Iterator[str]:
    """A manifest.json piece by piece: ``head``'s keys, then each list of ``lists`` entry by entry; the same text
    as ``json.dumps({**head, **lists}, ensure_ascii=False, indent=2)`` and a newline."""

    def dumps(value, indent: str) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)

    items = [f"\n  {dumps(key, '')}: {dumps(value, '  ')}" for key, value in head.items()]
    yield "{" + ",".join(items)
    comma = "," if items else ""
    for key, entries in lists.items():
        yield f"{comma}\n  {dumps(key, '')}: ["
        comma, first = ",", True
        for entry in entries:
            yield f"{'' if first else ','}\n    {dumps(entry, '    ')}"
            first = False
        yield "]" if first else "\n  ]"
    yield "\n}\n" if comma else "}\n"


def write_manifest(
    folder: str | Path, head: dict, lists: dict[str, Iterable], *, name: str = MANIFEST_NAME
) -> Path:
    """Write ``folder``/manifest.json (``manifest_text``) atomically, inside the folder."""
    target = Path(folder) / name
    with atomic_writer(target, root=folder) as handle:
        for piece in manifest_text(head, lists):
            handle.write(piece.encode("utf-8"))
    return target
