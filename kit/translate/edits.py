"""Where an imported text goes in the user's content folder: the file (shared.yaml, questions/<id>.yaml...), the
place in it (a whole list when the user's file must replace kit's list), the record of the language, and
kit.yaml's language_review once the whole language is reviewed."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..content import CONTENT_FILES, KnowledgeBase, Unit, records_of
from .yamledit import Flow, edit_text

HEADER = (
    "# Written by `kit translate import` (kit's texts in other languages); edit it as any content file.\n"
)


def _minimal(node: Any, rest: tuple) -> Any:
    """What a user's file must hold for ``rest`` below ``node`` to be what ``node`` says once merged over kit's
    file: mappings only on the way, a whole list (lists are replaced, not merged), an item of an id-list alone."""
    if not rest:
        return copy.deepcopy(node)
    part = rest[0]
    if isinstance(part, int):
        item = node[part]
        if isinstance(item, dict) and "id" in item:
            return [{"id": item["id"], **_minimal(item, rest[1:])}]
        return copy.deepcopy(node)
    return {part: _minimal(node[part], rest[1:])}


class Edits:
    """The edits of one import, file by file, and the files' new texts."""

    def __init__(self, user: Path, trial: Path, kb: KnowledgeBase, lang: str):
        self.user, self.trial, self.kb, self.lang = user, trial, kb, lang
        self.edits: dict[Path, list[tuple[tuple, Any]]] = {}
        self.texts: dict[Path, str] = {}  # the user's files as they will be written
        self.expected: dict[Path, Any] = {}  # each merged file's data with the imported texts
        self.users: dict[Path, Any] = {}  # each user file's data with the edits made so far

    def _user_file(self, unit: Unit) -> tuple[Path, Any, tuple]:
        """The user's file for ``unit``, its data (None: no such file yet), and what a new one starts with."""
        entry = next(entry for entry in CONTENT_FILES if entry.key == unit.key)
        if entry.folder:
            for path in entry.paths(self.user):
                data = _load(path)
                if isinstance(data, dict) and str(data.get("id") or path.stem) == unit.item:
                    return path, data, ()
            return self.user / entry.name / f"{unit.item}.yaml", None, ((("id",), unit.item),)
        path = self.user / entry.name
        return path, (_load(path) if path.is_file() else None), ()

    def _merged(self, unit: Unit, path: Path) -> Any:
        if path not in self.expected:
            entry = next(entry for entry in CONTENT_FILES if entry.key == unit.key)
            source = self.kb.sources[unit.item if entry.folder else entry.name]
            self.expected[path] = copy.deepcopy(source.data)
        return self.expected[path]

    def text(self, unit: Unit, target: str) -> None:
        """``target`` as ``unit``'s text in the user's file."""
        path, data, start = self._user_file(unit)
        merged = self._merged(unit, path)
        node = merged
        for part in unit.loc[:-1]:
            node = node[part]
        node[unit.loc[-1]] = target
        edits = self.edits.setdefault(path, list(start))
        if path not in self.users:
            self.users[path] = data if data is not None else {"id": unit.item} if start else {}
        user, place = self.users[path], ()
        node = merged
        for i, part in enumerate(unit.loc):
            rest = unit.loc[i:]
            if isinstance(part, int):
                item = node[part]
                if isinstance(item, dict) and "id" in item:
                    mine = user if isinstance(user, list) else None
                    index = next(
                        (
                            j
                            for j, x in enumerate(mine or [])
                            if isinstance(x, dict) and x.get("id") == item["id"]
                        ),
                        None,
                    )
                    if mine is None:
                        edits.append((place, _minimal(node, rest)))
                        return
                    if index is None:
                        edits.append((place + (len(mine),), _minimal(node, rest)[0]))
                        mine.append(_minimal(node, rest)[0])
                        return
                    user, place = mine[index], place + (index,)
                elif isinstance(user, list) and len(user) == len(node):
                    user, place = user[part], place + (part,)
                else:
                    edits.append((place, copy.deepcopy(node)))
                    return
                node = item
            else:
                if not isinstance(user, dict) or part not in user:
                    edits.append((place + (part,), _minimal(node[part], rest[1:])))
                    if isinstance(user, dict):
                        user[part] = _minimal(node[part], rest[1:])
                    return
                user, place, node = user[part], place + (part,), node[part]
        edits.append((place, target))

    def record(self, unit: Unit, record: dict) -> None:
        path = self.user / "translations" / f"{self.lang}.yaml"
        start = () if path.is_file() else ((("id",), self.lang),)
        self.edits.setdefault(path, list(start)).append((("texts", unit.id), Flow(record)))

    def add(self, changes: Iterable[tuple[Unit, str | None, dict | None]]) -> None:
        for unit, target, record in changes:
            if target is not None:
                self.text(unit, target)
            if record is not None:
                self.record(unit, record)

    def write(self, into: Path) -> None:
        """Make every file's new text, and write it under ``into`` (the trial copy of the user's folder)."""
        for path, edits in self.edits.items():
            original = path.read_text(encoding="utf-8") if path.is_file() else None
            self.texts[path] = edit_text(original, edits, HEADER)
            trial = into / path.relative_to(self.user)
            trial.parent.mkdir(parents=True, exist_ok=True)
            trial.write_text(self.texts[path], encoding="utf-8")

    def review_language(self, kb: KnowledgeBase, today: dt.date) -> None:
        """kit.yaml language_review: the language reviewed by everyone its record names, on ``today``."""
        names = list(kb.reviewers(self.lang))
        for record in records_of(kb, self.lang).values():
            if record.by and record.by not in names:
                names.append(record.by)
        path = self.user / "kit.yaml"
        original = self.texts.get(path) or (path.read_text(encoding="utf-8") if path.is_file() else None)
        edits = [(("language_review", self.lang, "reviewed_by"), names)]
        edits.append((("language_review", self.lang, "reviewed_on"), today))
        self.texts[path] = edit_text(original, edits, HEADER)


def _load(path: Path) -> Any:
    try:
        return yaml.load(
            path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
