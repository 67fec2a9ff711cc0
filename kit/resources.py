"""Where kit's own files live: the package's layouts, assets and content, via importlib.resources."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path


@cache
def package_dir() -> Path:
    """The installed ``kit`` package folder (a real folder: kit is never run from a zip)."""
    return Path(str(files("kit")))


def layouts_dir() -> Path:
    return package_dir() / "layouts"


def assets_dir() -> Path:
    return package_dir() / "assets"


def content_dir() -> Path:
    return package_dir() / "content"


def pictogram_path(picto_id: str) -> Path:
    return assets_dir() / "pictograms" / f"{picto_id}.svg"


def check_installed() -> None:
    """Fail clearly when kit runs from a source tree that lacks its layouts (use the installed package)."""
    from .errors import KitError

    missing = [p for p in (layouts_dir(), assets_dir(), content_dir()) if not p.is_dir()]
    if missing:
        raise KitError(
            "kit's own files are missing: " + ", ".join(str(p) for p in missing)
            + ". Install kit (./dev kit, or pip install .) instead of running it from the source folder."
        )
