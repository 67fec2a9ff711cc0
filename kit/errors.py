"""The one exception tree of kit, and what each class means to a caller: an exit code (the CLI), an HTTP status (the web app)."""

from __future__ import annotations

from dataclasses import dataclass

# A value echoed in a message (an option, a cell, a key) is cut past this many characters without a space: a
# 100 KB --lang is shown by its start and its length, never whole.
LONGEST_SHOWN = 300
SHOWN_START = 80


def bounded(text: str) -> str:
    """``text`` with each run of more than LONGEST_SHOWN characters without a space cut to its start, then
    '… (123,456 characters)'."""
    if len(text) <= LONGEST_SHOWN:
        return text
    import re

    return re.sub(
        rf"\S{{{LONGEST_SHOWN + 1},}}",
        lambda match: f"{match.group()[:SHOWN_START]}… ({len(match.group()):,} characters)",
        text,
    )


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
        return bounded((", ".join(where) + ": " if where else "") + self.message)


class KitError(Exception):
    """Base of every error kit reports to its user (never with a traceback unless --debug)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return bounded(self.message)
        lines = [bounded(self.message)] + [f"  - {p}" for p in self.problems]
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


# The one place where errors become exit codes and HTTP statuses (the most specific class wins); README.md lists
# the exit codes for users. 0 done; 1 other error (or some packs failed); 2 option, kit.toml or spreadsheet;
# 3 content; 4 layout (template, stylesheet, a file a layout may not read); 5 text does not fit; 6 some documents
# not built; 7 a file or folder cannot be written (a file kit did not write in the way, disk full, read-only, a
# file where a folder is needed; disk errors met anywhere else too); 70 a bug in kit; 130 interrupted.
# For the web app, what the person typed or sent is a 422 (they can fix it); what the server's own project holds
# (kit.toml, content, layouts) or its disk is a 500 or 507 (the person cannot fix it; the campaign can).
OUTCOMES: list[tuple[type[KitError], int, int]] = [
    (OptionError, 2, 422),
    (ConfigError, 2, 500),
    (SpreadsheetError, 2, 422),
    (ContentError, 3, 500),
    (LayoutError, 4, 500),
    (FitError, 5, 422),
    (BuildError, 6, 422),
    (NoSpaceError, 7, 507),
    (OutputError, 7, 500),
    (KitError, 1, 500),
]
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130


def exit_code_for(error: KitError) -> int:
    """The CLI's exit code for one of kit's errors."""
    return next(code for cls, code, _ in OUTCOMES if isinstance(error, cls))


def http_status_for(error: KitError) -> int:
    """The web app's HTTP status for one of kit's errors: 4xx when the sender can fix it, 5xx when the server's
    project or disk is at fault."""
    return next(status for cls, _, status in OUTCOMES if isinstance(error, cls))
