"""kit: print-ready documents about the second life of health data, from a validated knowledge base.

The public API is small; everything heavy (WeasyPrint) is imported only when something is rendered.
"""

__version__ = "0.1.0"

from .errors import (  # noqa: E402
    BuildError,
    ConfigError,
    ContentError,
    FitError,
    KitError,
    LayoutError,
    OptionError,
    Problem,
)

__all__ = [
    "__version__",
    "BuildError",
    "ConfigError",
    "ContentError",
    "FitError",
    "KitError",
    "LayoutError",
    "OptionError",
    "Problem",
    "build_falc",
    "build_kit",
    "build_leaflet",
    "build_poster",
    "check_content",
    "load_content",
]


def load_content(content_dir=None):
    """Load and validate a knowledge base (the built-in one when ``content_dir`` is None)."""
    from .content import load_content as _load

    return _load(content_dir)


def build_kit(*args, **kwargs):
    """Build the default kit (see :func:`kit.build.build_kit`)."""
    from .build import build_kit as _build

    return _build(*args, **kwargs)


def build_poster(*args, **kwargs):
    """Build one poster (see :func:`kit.build.build_poster`)."""
    from .build import build_poster as _build

    return _build(*args, **kwargs)


def build_leaflet(*args, **kwargs):
    """Build one tri-fold leaflet (see :func:`kit.build.build_leaflet`)."""
    from .build import build_leaflet as _build

    return _build(*args, **kwargs)


def build_falc(*args, **kwargs):
    """Build the Easy-to-Read documents (see :func:`kit.build.build_falc`)."""
    from .build import build_falc as _build

    return _build(*args, **kwargs)


def check_content(*args, **kwargs):
    """Check a knowledge base and return a report (see :func:`kit.check.check_content`)."""
    from .check import check_content as _check

    return _check(*args, **kwargs)
