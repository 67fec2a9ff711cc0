"""Where kit's own files live: the installed package's layouts, assets and content, or a source checkout's."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def package_dir() -> Path:
    """The ``kit`` package folder (a real folder: kit is never run from a zip)."""
    return Path(str(files("kit")))


def _shipped(name: str) -> Path:
    """A folder the wheel puts inside the package; from a source checkout, the repository's top-level one."""
    inside = package_dir() / name
    if inside.is_dir():
        return inside
    checkout = package_dir().parent / name
    return checkout if checkout.is_dir() else inside


def layouts_dir() -> Path:
    return _shipped("layouts")


def assets_dir() -> Path:
    return _shipped("assets")


def content_dir() -> Path:
    return package_dir() / "knowledge"


def cli_path() -> Path:
    """The CLI module: inside the package once installed, at the top of a source checkout."""
    inside = package_dir() / "cli.py"
    return inside if inside.is_file() else package_dir().parent / "cli.py"


def pictogram_path(picto_id: str) -> Path:
    return assets_dir() / "pictograms" / f"{picto_id}.svg"


def check_installed() -> None:
    """Fail clearly when kit's own files cannot be found (neither installed nor in a source checkout)."""
    from .errors import KitError

    missing = [p for p in (layouts_dir(), assets_dir(), content_dir()) if not p.is_dir()]
    if missing:
        raise KitError(
            "kit's own files are missing: "
            + ", ".join(str(p) for p in missing)
            + ". Install kit again (./dev kit, or pip install .)."
        )
