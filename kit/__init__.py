"""kit: print-ready documents about the second life of health data, from a validated knowledge base.

The pipeline is project -> plan -> channels -> outputs: build a :class:`Project` once with
:func:`load_project`, then make one call (``build_kit``, ``build_poster``, ``build_packs``, ``build_site``...).
Everything heavy (WeasyPrint) is imported only when something is rendered.
"""

from .errors import (
    BuildError,
    ConfigError,
    ContentError,
    FitError,
    KitError,
    LayoutError,
    OptionError,
    OutputError,
    Problem,
)
from .version import __version__

__all__ = [
    "__version__",
    "BuildError",
    "ConfigError",
    "ContentError",
    "FitError",
    "KitError",
    "LayoutError",
    "OptionError",
    "OutputError",
    "Problem",
    "Settings",
    "build_falc",
    "build_kit",
    "build_leaflet",
    "build_packs",
    "build_poster",
    "build_site",
    "check_content",
    "load_content",
    "load_project",
]


def load_project(settings=None, **kwargs):
    """Load and validate kit.toml, the content and the layouts (see :func:`kit.project.load_project`)."""
    from .project import load_project as _load

    return _load(settings, **kwargs)


def __getattr__(name):
    """The rest of the API, imported when first used (so that `import kit` stays light)."""
    homes = {
        "Settings": "project",
        "build_kit": "build",
        "build_poster": "build",
        "build_leaflet": "build",
        "build_falc": "build",
        "build_packs": "pack",
        "build_site": "site",
        "check_content": "check",
        "load_content": "content",
    }
    if name in homes:
        import importlib

        return getattr(importlib.import_module(f".{homes[name]}", __name__), name)
    raise AttributeError(f"module 'kit' has no attribute {name!r}")
