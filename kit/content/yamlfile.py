"""YAML content files read safely and with line numbers, and merged (a user's file over kit's) keeping them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from .fields import SCHEMA_HINT

# --- YAML with line numbers -------------------------------------------------------------------


def line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map each path of keys/indexes in a YAML document to its 1-based line number.

    Walked with a list rather than recursion, and each node once: a node reached again (an alias,
    which read_yaml refuses anyway) is not walked again, so the work stays proportional to the file.
    """
    if index is None:
        index = {}
    seen: set[int] = set()
    todo: list[tuple] = [("node", node, path)]
    while todo:
        task = todo.pop()
        if task[0] == "line":  # a mapping key's own line, set just before its value is walked
            index[task[1]] = task[2]
            continue
        _, node, path = task
        index.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                children.append(("line", path + (key,), key_node.start_mark.line + 1))
                children.append(("node", value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            children = [("node", item, path + (i,)) for i, item in enumerate(node.value)]
        todo.extend(reversed(children))  # depth first, in the file's order
    return index


@dataclass
class YamlFile:
    path: Path
    display: str
    data: Any
    lines: dict[tuple, int]

    def line_of(self, loc: tuple) -> int | None:
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc)

    def depth(self, loc: tuple) -> int:
        """How many leading parts of ``loc`` this file itself holds."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return len(loc) if loc in self.lines else -1

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        return self.display, self.line_of(loc)

    def holder(self, loc: tuple) -> YamlFile:
        """The file that holds the value at ``loc`` (a merged file: the user's or kit's)."""
        return self

    def problem(self, message: str, loc: tuple = (), *, rule: str, hint: str) -> Problem:
        dotted = ".".join(str(part) for part in loc) or None
        display, line = self.locate(loc)
        return Problem(message, display, line, dotted, rule=rule, hint=hint)


@dataclass
class Layered(YamlFile):
    """A user's file merged over a built-in one: problems point at the file that holds the value."""

    layers: list[YamlFile] = field(default_factory=list)  # lowest first
    # For lists merged by id: (list key, index in the merged list) -> index in each layer's own file.
    positions: list[dict[tuple, int]] = field(default_factory=list)
    by_id: tuple[str, ...] = ()  # the top-level lists merged item by item, by their `id`

    def _local(self, k: int, loc: tuple) -> tuple | None:
        """``loc`` as layer ``k`` writes it (the same item of an id-merged list may sit elsewhere in its file)."""
        loc = tuple(loc)
        if len(loc) >= 2 and loc[0] in self.by_id and isinstance(loc[1], int):
            index = self.positions[k].get(loc[:2])
            return None if index is None else (loc[0], index, *loc[2:])
        return loc

    def _layer(self, loc: tuple) -> tuple[YamlFile, tuple]:
        candidates = [(layer, self._local(k, loc)) for k, layer in enumerate(self.layers)]
        candidates = [(layer, local) for layer, local in candidates if local is not None] or [
            (self.layers[-1], ())
        ]
        # The file that holds the longest part of the path; ties: the user's file.
        return max(reversed(candidates), key=lambda pair: pair[0].depth(pair[1]))

    def holder(self, loc: tuple) -> YamlFile:
        return self._layer(loc)[0].holder(())

    def line_of(self, loc: tuple) -> int | None:
        layer, local = self._layer(loc)
        return layer.line_of(local)

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        layer, local = self._layer(loc)
        return layer.display, layer.line_of(local)


def _positions(data, merged, by_id: tuple[str, ...]) -> dict[tuple, int]:
    """Where each item of the merged id-lists sits in one file's own lists."""
    found = {}
    for key in by_id:
        mine = data.get(key) if isinstance(data, dict) else None
        theirs = merged.get(key) if isinstance(merged, dict) else None
        if isinstance(mine, list) and isinstance(theirs, list):
            index = {item.get("id"): j for j, item in enumerate(mine) if isinstance(item, dict)}
            for i, item in enumerate(theirs):
                if isinstance(item, dict) and item.get("id") in index:
                    found[(key, i)] = index[item["id"]]
    return found


def merge_data(base, over, by_id: tuple[str, ...] = (), path: tuple = ()):
    """Deep-merge YAML data: mappings key by key, the top-level lists named in ``by_id`` item by item (by their
    `id`: an item with a known id merged over it, a new one added), other lists replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = merge_data(base[key], value, by_id, path + (key,)) if key in base else value
        return merged
    if len(path) == 1 and path[0] in by_id and isinstance(base, list) and isinstance(over, list):
        merged = list(base)
        index = {item.get("id"): i for i, item in enumerate(merged) if isinstance(item, dict)}
        for item in over:
            key = item.get("id") if isinstance(item, dict) else None
            if key in index:
                merged[index[key]] = merge_data(merged[index[key]], item, by_id, path + (index[key],))
            else:
                merged.append(item)
        return merged
    return over


def layer(base: YamlFile | None, over: YamlFile | None, by_id: tuple[str, ...] = ()) -> YamlFile | None:
    """``over`` merged over ``base`` (see merge_data); either may be missing."""
    if base is None or over is None:
        return over or base
    merged = merge_data(base.data, over.data, by_id)
    return Layered(
        over.path,
        over.display,
        merged,
        {},
        [base, over],
        [_positions(base.data, merged, by_id), _positions(over.data, merged, by_id)],
        by_id,
    )


# Content files are small texts (the built-in ones are under 25 KB): these bounds leave room for
# far bigger ones while keeping a hostile file from taking the memory or the stack.
MAX_YAML_BYTES = 2_000_000  # bytes of one content file
MAX_YAML_DEPTH = 40  # groups and lists inside each other (the built-in files use 6)

_SHORTCUTS = (
    "content files do not accept the YAML shortcuts '&name' and '*name' (an anchor and an alias, "
    "which repeat one part of a file in another): write the text out in full where it is needed"
)


class _Refused(Exception):
    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else None


class _ContentLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases and nesting deeper than MAX_YAML_DEPTH as it reads."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"'*{event.anchor}': {_SHORTCUTS}", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise _Refused(f"'&{event.anchor}': {_SHORTCUTS}", event.start_mark)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(
                f"the text is nested more than {MAX_YAML_DEPTH} levels deep (lists or groups inside "
                "each other); content files need far fewer: check the indentation and the brackets",
                event.start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def not_readable(path: Path, root: Path | None) -> str | None:
    """Why ``path`` is not a content file kit reads (a link leading out of ``root``, a folder, a device), or None."""
    if root is not None:
        try:
            real, folder = path.resolve(), Path(root).resolve()
        except RuntimeError:  # Python 3.11: a loop of links
            return "this file is a link that leads back to itself: replace it with the file"
        if folder not in real.parents:
            return (
                f"this file is a link to {real}, outside the folder {root}: kit reads only the files inside it (a "
                "link could make documents print any file of this computer). Copy the file into the folder "
                "instead of linking to it"
            )
    if path.is_dir():
        return "this is a folder, not a content file: rename it or move it elsewhere"
    if not path.is_file():  # a device or a pipe would never end
        return "this is not an ordinary file: replace it with a text file"
    return None


def read_yaml(path: Path, display: str, problems: list[Problem], root: Path | None = None) -> YamlFile | None:
    """Read one content file; on a problem, add it (naming ``display``) to ``problems`` and return None. With
    ``root`` (the folder it is read from), a file that is a link (or in a linked folder) leading out of it is
    refused, as the logo and the layouts' templates are: documents would print any file the link reaches."""
    try:
        refused = not_readable(path, root)
        if refused:
            problems.append(Problem(refused, display, rule="schema", hint=SCHEMA_HINT))
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        problems.append(
            Problem(f"cannot be read ({exc.strerror or exc})", display, rule="schema", hint=SCHEMA_HINT)
        )
        return None
    if len(raw) > MAX_YAML_BYTES:
        problems.append(
            Problem(
                f"this file is larger than {MAX_YAML_BYTES // 1_000_000} MB, the most kit reads for one content file "
                "(the built-in ones are under 25 KB): check that it is the right file",
                display,
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(
            Problem("not readable as UTF-8 text; save it as UTF-8", display, rule="schema", hint=SCHEMA_HINT)
        )
        return None
    try:
        loader = _ContentLoader(text)  # parsed once: the node tree gives lines, then the data
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as exc:
        problems.append(Problem(exc.message, display, exc.line, rule="schema", hint=SCHEMA_HINT))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        problems.append(
            Problem(
                f"YAML syntax error: {what} (check indentation and quotes)",
                display,
                line,
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"YAML syntax error: {exc}", display, rule="schema", hint=SCHEMA_HINT))
        return None
    if node is None:  # nothing but blank lines or comments: say so here, about this very file
        problems.append(
            Problem(
                "this file is empty (or holds only comments): write its 'key: value' lines, "
                "or delete the file",
                display,
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
        return None
    return YamlFile(path, display, data, line_index(node))
