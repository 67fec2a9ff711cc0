"""kit's commands: the Typer app and its command groups, each turning arguments into one call of kit's public API.

The modules here import kit's facade (``import kit``) and nothing below it: what a command needs is a public
entry point a program could use too (tests/test_architecture.py holds this)."""

from __future__ import annotations

import sys

from . import campaign, documents, feedback, knowledge, serve  # noqa: F401  (each registers its commands on the app)
from .app import app, err

# Longer than any path (Linux's limit) or value kit takes: a pasted file, a runaway script. Said briefly before Typer
# echoes it whole in its own message (an unknown command or option of 100 KB printed 100 KB).
LONGEST_ARGUMENT = 4096


def main() -> None:
    for index, argument in enumerate(sys.argv[1:], start=1):
        if len(argument) > LONGEST_ARGUMENT:
            err(
                f"Error: argument {index} has {len(argument):,} characters (it starts with "
                f"'{argument[:60]}…'); no command or option of kit takes more than {LONGEST_ARGUMENT:,}."
            )
            raise SystemExit(2)
    app()


__all__ = ["app", "main"]
