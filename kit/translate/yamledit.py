"""Changes written into a user's YAML content file surgically: only the text of the values that change is replaced
or added, so that the file's comments, order, quoting and layout stay as the user wrote them.

Why not a round-trip YAML library (ruamel.yaml): it would re-indent and re-quote the parts of a file that do not
change (kit's own files mix list styles), and it would be one more dependency for a few edits. The positions come
from PyYAML's own parser (the one that reads the content), and every edited file is read back and compared with
the data it must hold before it is written: an edit that would say anything else is an error, never written."""

from __future__ import annotations

import json
from typing import Any

import yaml

# libyaml's parser when PyYAML has it (18 times faster on shared.yaml, the same positions), else PyYAML's own
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WIDTH = 100  # columns of a long text written as a folded block (kit's own files wrap near there)


class EditError(Exception):
    """An edit that cannot be made without changing something else (reported, nothing written)."""


class Flow(dict):
    """A mapping written on one line ({source: ..., state: ...}): the records of translations/<lang>.yaml."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # content files refuse anchors and aliases: write values out
        return True


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    Flow, lambda dumper, value: dumper.represent_mapping("tag:yaml.org,2002:map", value, True)
)


def dump(data: Any) -> str:
    """``data`` as block YAML (texts over several lines as literal blocks, Flow mappings on one line)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=WIDTH)


def _plain(value: Any) -> Any:
    """``value`` with Flow mappings as plain dicts (for comparing with what is read back)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def set_in(data: Any, path: tuple, value: Any) -> None:
    """Put ``value`` at ``path`` in ``data``, making the mappings on the way; an index one past a list's end
    appends."""
    node = data
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(part, int):
            if not isinstance(node, list) or part > len(node):
                raise EditError(f"no place {part} in the list at {'.'.join(map(str, path[:i]))}")
            if part == len(node):
                node.append(value if last else {})
            elif last:
                node[part] = value
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise EditError(f"'{'.'.join(map(str, path[:i]))}' is not a group of 'key: value' lines")
            if last:
                node[part] = value
            elif not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]


def _scalar_text(value: str, base: int, room: int) -> str:
    """A text as the value after 'key: ' (or '- '), its lines indented ``base + 2``: a literal block when it has
    several lines, a folded block when long, else a double-quoted scalar."""
    pad = " " * (base + 2)
    if "\n" in value:
        return "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
    quoted = json.dumps(value, ensure_ascii=False)
    if len(quoted) <= room or "  " in value or value != value.strip() or " " not in value:
        return quoted
    lines, line = [], ""
    for word in value.split(" "):
        if line and len(pad) + len(line) + 1 + len(word) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ">-\n" + "\n".join(pad + part for part in lines)


def _block(data: Any, indent: int) -> str:
    """``data`` dumped as block YAML, every line indented by ``indent`` columns."""
    return "".join(" " * indent + line if line.strip() else line for line in dump(data).splitlines(True))


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _locate(root: yaml.Node, path: tuple) -> tuple[yaml.Node, int, int]:
    """The node that holds ``path`` as far as the file has it: (node, how many parts of the path it covers, the
    column its lines are indented from). Inside a one-line mapping or list, or below a null, that whole value."""
    node, depth, base = root, 0, 0
    while depth < len(path):
        part, child, column = path[depth], None, base
        if isinstance(node, yaml.MappingNode) and not isinstance(part, int):
            for key, value in node.value:
                if key.value == part:
                    child, column = value, key.start_mark.column
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            column = max(child.start_mark.column - 2, 0)
        if child is None:
            break
        node, depth, base = child, depth + 1, column
        if getattr(child, "flow_style", False) or (isinstance(child, yaml.ScalarNode) and depth < len(path)):
            break
    return node, depth, base


def _end_of(text: str, node: yaml.Node) -> int:
    """Where the line holding the end of ``node``'s last value ends (after its newline)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark.index
    if end > 0 and text[end - 1] == "\n":
        return end
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def _compose(text: str) -> yaml.Node:
    node = yaml.compose(text, Loader=_LOADER)
    if not isinstance(node, yaml.MappingNode):
        raise EditError("the file does not hold 'key: value' lines at the top")
    return node


def _replacement(text: str, node: yaml.Node, base: int, whole: Any) -> tuple[int, int, str]:
    """(start, end, new text) that puts ``whole`` where ``node`` is."""
    start, end = node.start_mark.index, node.end_mark.index
    while end > start and text[end - 1] in " \n":  # a block text ends after its line breaks: keep them
        end -= 1
    if isinstance(whole, str):
        return start, end, _scalar_text(whole, base, WIDTH - node.start_mark.column)
    block = isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style
    if block and isinstance(whole, dict | list) and not isinstance(whole, Flow):
        new = _block(whole, node.start_mark.column)
        start = (
            _line_start(text, start) if text[_line_start(text, start) : start].strip(" -") == "" else start
        )
        if text[_line_start(text, node.start_mark.index) : node.start_mark.index].strip() == "-":
            start, new = node.start_mark.index, new.lstrip(" ")  # a list item's mapping, after its dash
        return start, _end_of(text, node), new
    return start, end, _flow(whole)


def _flow(value: Any) -> str:
    """A value on one line ({term: ..., falc: ...}, [a, b], a date)."""
    text = yaml.dump(
        _plain(value),
        Dumper=_Dumper,
        allow_unicode=True,
        default_flow_style=True,
        width=10**9,
        sort_keys=False,
    )
    return text.removesuffix("\n...\n").strip()


def _addition(text: str, node: yaml.Node, part, rest: Any) -> tuple[int, str]:
    """(where, new lines) that add ``part: rest`` to a block mapping, or ``rest`` as a list's next item."""
    end = _end_of(text, node)
    if isinstance(node, yaml.MappingNode):
        column = node.value[0][0].start_mark.column if node.value else 0
        return end, _block({part: rest}, column)
    first = node.value[0].start_mark.index if node.value else node.start_mark.index
    column = text.index("-", _line_start(text, first)) - _line_start(text, first)
    return end, _block([rest], column)


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _apply(text: str, edits: list[tuple[tuple, Any]], expected: Any) -> str:
    """Replacements of values the file has, made together from its end; then each addition, one at a time."""
    root = _compose(text)
    spans: dict[tuple[int, int], str] = {}
    later = []
    for path, _ in edits:
        node, depth, base = _locate(root, path)
        replaces = (
            depth == len(path) or getattr(node, "flow_style", False) or isinstance(node, yaml.ScalarNode)
        )
        if replaces and depth:
            start, end, new = _replacement(text, node, base, _get(expected, path[:depth]))
            spans[(start, end)] = new
        else:
            later.append(path)
    for (start, end), new in sorted(spans.items(), reverse=True):
        text = text[:start] + new + text[end:]
    for path in later:
        if not text.endswith("\n"):
            text += "\n"
        root = _compose(text)
        node, depth, base = _locate(root, path)
        if depth == len(path) or getattr(node, "flow_style", False) or isinstance(node, yaml.ScalarNode):
            start, end, new = _replacement(text, node, base, _get(expected, path[:depth]))
            text = text[:start] + new + text[end:]
            continue
        where, new = _addition(text, node, path[depth], _get(expected, path[: depth + 1]))
        text = text[:where] + new + text[where:]
    return text


def edit_text(text: str | None, edits: list[tuple[tuple, Any]], header: str = "") -> str:
    """The file ``text`` (None: a new file, starting with ``header``) with each (path, value) of ``edits`` made,
    everything else as it was. Raises EditError when the result would not read back as exactly that data."""
    if text is None:
        data: dict = {}
        for path, value in edits:
            set_in(data, path, value)
        return header + dump(data)
    expected = yaml.load(text, Loader=_LOADER)
    if not isinstance(expected, dict):
        raise EditError("the file does not hold 'key: value' lines at the top")
    for path, value in edits:
        set_in(expected, path, value)
    text = _apply(text, edits, expected)
    try:
        back = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise EditError(f"the edited file would not read as YAML ({exc})") from None
    if back != _plain(expected):
        raise EditError("the edited file would not hold exactly the texts given")
    return text
