"""What a translation file carries, whatever its format: the language, the project, and one entry per text (id,
French source, target, note, state, reviewer); the bounds kit reads such a file within."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OptionError

MAX_FILE_BYTES = 20_000_000  # a language's texts export to about 300 KB; far more is not a file kit wrote
MAX_ENTRIES = 20_000  # the built-in content has about 450 texts in a complete language
MAX_TEXT_CHARS = 20_000  # one text (the longest built-in, a full answer, is under 3,000)
FORMATS = ("xliff", "po", "xlsx")
SUFFIXES = {".xliff": "xliff", ".xlf": "xliff", ".po": "po", ".xlsx": "xlsx"}

# Incoming states, as each format's own words are read (see docs/translations.md).
NEEDS_WORK = "needs-work"  # XLIFF new / needs-translation..., PO fuzzy: the target is not to be used yet
NEEDS_REVIEW = (
    "needs-review"  # XLIFF needs-review-*, the sheet's "needs review": kit's own stale mark, untouched
)


class TranslationFileError(OptionError):
    """A translation file kit cannot read (format, size, language, project): nothing was imported (exit 2, as for
    a spreadsheet or an option)."""


@dataclass
class Entry:
    """One text in a translation file."""

    id: str
    source: str
    target: str | None
    state: str = (
        ""  # on export a kit state (kit.content.STATES); on import TRANSLATED, REVIEWED, FINAL, NEEDS_*
    )
    note: str = ""
    reviewer: str | None = None  # the sheet's reviewer column (XLIFF and PO name one reviewer for the file)
    where: str = (
        ""  # its place in the file, for messages ("line 12", "row 7"); empty when the format has none
    )
    markup: bool = False  # the target held markup (XLIFF inline elements): refused


@dataclass
class Exchange:
    """A translation file's contents."""

    lang: str  # the target language
    project: str  # the content's organisation (kit.yaml): a file of another project is refused
    version: str  # the content version it was exported from
    entries: list[Entry] = field(default_factory=list)
    reviewer: str | None = None  # who reviewed (XLIFF header phase, PO X-Kit-Reviewer, the sheet's kit tab)
    source_lang: str = "fr"
    language_name: str = ""
    format: str = ""  # xliff, po or xlsx (set when read)


def format_of(path: Path, given: str | None = None) -> str:
    """The format asked for, or the one the file's name says."""
    if given:
        if given not in FORMATS:
            raise TranslationFileError(f"Unknown format '{given}': use {', '.join(FORMATS)}.")
        return given
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise TranslationFileError(
            f"{path}: kit reads translation files ending in .xliff (or .xlf), .po or .xlsx; rename the file or "
            "give --format."
        )
    return found


def read_bounded(path: Path) -> bytes:
    """The bytes of ``path``, refused when it is not a regular file or is larger than MAX_FILE_BYTES."""
    if not path.exists():
        raise TranslationFileError(f"{path}: no such file.")
    if not path.is_file():
        raise TranslationFileError(f"{path} is not an ordinary file: give the translation file itself.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TranslationFileError(
            f"{path} is {size / 1e6:,.0f} MB; a translation file kit wrote is far smaller (kit reads at most "
            f"{MAX_FILE_BYTES / 1e6:,.0f} MB). Check that it is the right file."
        )
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise TranslationFileError(f"{path} grew beyond {MAX_FILE_BYTES / 1e6:,.0f} MB while being read.")
    return data


def check_count(path: Path, entries: list) -> None:
    if len(entries) > MAX_ENTRIES:
        raise TranslationFileError(
            f"{path} holds more than {MAX_ENTRIES:,} texts; a language of kit's content has a few hundred. "
            "Check that it is the right file."
        )
