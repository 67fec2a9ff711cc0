"""kit's commands: the Typer app and its command groups, each turning arguments into one call of kit's public API.

The modules here import kit's facade (``import kit``) and nothing below it: what a command needs is a public
entry point a program could use too (tests/test_architecture.py holds this)."""

from __future__ import annotations

from . import campaign, documents, feedback, knowledge  # noqa: F401  (each registers its commands on the app)
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
