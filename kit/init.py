"""`kit init`: write a ready-to-edit project folder (kit.toml, content, layouts, events) without overwriting."""

from __future__ import annotations

from pathlib import Path

from .errors import OptionError
from .files import atomic_write
from .resources import package_dir


def template_dir() -> Path:
    return package_dir() / "init_template"


def init_project(target: str | Path = ".") -> list[Path]:
    """Copy the project template into ``target``; refuse (naming them) if any of its files exist."""
    target = Path(target)
    source = template_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    existing = [target / p.relative_to(source) for p in files if (target / p.relative_to(source)).exists()]
    if existing:
        raise OptionError(
            "kit init writes nothing over existing files; these are already there: "
            + ", ".join(str(p) for p in existing)
            + ". Choose another folder or move them."
        )
    written = []
    for path in files:
        written.append(atomic_write(target / path.relative_to(source), path.read_bytes()))
    return written
