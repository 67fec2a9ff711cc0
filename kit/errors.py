"""The one exception tree of kit; cli.py maps each class to an exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can; ``rule`` and ``hint`` (a `kit check`
    rule id and how to fix it) are given where the problem is raised, never guessed from the message."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    rule: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        return (", ".join(where) + ": " if where else "") + self.message


class KitError(Exception):
    """Base of every error kit reports to its user (never with a traceback unless --debug)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class OptionError(KitError):
    """A command-line option has a value kit cannot use."""


class ConfigError(KitError):
    """kit.toml is invalid (unknown key, wrong type, bad colour, low contrast, missing logo)."""


class ContentError(KitError):
    """The knowledge base (YAML files) is invalid: every problem is listed."""


class LayoutError(KitError):
    """A template or stylesheet is missing or broken, or asked for a file it may not read."""


class FitError(KitError):
    """Text does not fit its page or panel: nothing is clipped, the document is not written."""


class SpreadsheetError(KitError):
    """An events spreadsheet is unusable as a whole: missing, unreadable, no recognised header."""

    def __init__(
        self,
        message: str,
        problems: list[Problem] | None = None,
        *,
        path=None,
        missing: list[str] | None = None,
        found: list[str] | None = None,
    ):
        from pathlib import Path

        super().__init__(message, problems)
        self.path = Path(path) if path is not None else None
        self.missing = list(missing or [])
        self.found = list(found or [])


class OutputError(KitError):
    """A file or folder cannot be written: a file kit did not write is in the way, the disk is full, the folder is
    read-only, a file stands where a folder is needed (or the other way round), a link leads out of the folder."""


class NoSpaceError(OutputError):
    """Nothing more can be written: the disk is full, or a quota or a file size limit is reached (a run stops)."""


class BuildError(KitError):
    """Some documents could not be built (the others were); ``problems`` lists each failure."""
