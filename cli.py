"""The `kit` command: the Typer app of kit.commands (its command groups), started.

Kept at the top level (the project's design card); installed inside the package as kit/cli.py. The commands, the
options they share and the way errors become exit codes live in kit/commands/ and kit/errors.py.
"""

from __future__ import annotations

from kit.commands import app, main

__all__ = ["app", "main"]

if __name__ == "__main__":
    main()
