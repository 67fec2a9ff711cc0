"""Pictograms: their file (or a greyscale copy for black-and-white prints) and their alternative text."""

from __future__ import annotations

import base64
import re
from functools import cache

import yaml

from .resources import assets_dir, pictogram_path

_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _grey(match: re.Match) -> str:
    value = match.group(1)
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    level = round(0.2126 * r + 0.7152 * g + 0.0722 * b)
    return f"#{level:02x}{level:02x}{level:02x}"


@cache
def pictogram_uri(picto_id: str, bw: bool = False) -> str:
    """A URL WeasyPrint can load: the shipped file, or for ``bw`` a greyscale copy as a data URI."""
    path = pictogram_path(picto_id)
    if not bw:
        return path.as_uri()
    svg = _HEX.sub(_grey, path.read_text(encoding="utf-8"))
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@cache
def _names() -> dict:
    path = assets_dir() / "pictograms" / "names.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def pictogram_alt(picto_id: str, lang: str) -> str:
    """What the picture shows, in the document's language (the id, readable, when no name is known)."""
    return _names().get(picto_id, {}).get(lang) or picto_id.replace("-", " ")
