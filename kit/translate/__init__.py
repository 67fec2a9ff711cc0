"""`kit translate`: a language's texts out to translators (XLIFF 1.2, PO, a spreadsheet) and back into the user's
content folder with their review state (see docs/translations.md).

Modules: ``exchange`` (what a translation file carries, its bounds), ``xliff`` (stdlib writer, defusedxml reader),
``po`` (polib), ``sheet`` (openpyxl), ``notes`` (where each text is printed, its limits), ``yamledit`` (changes
written into the user's YAML without touching the rest), ``importer`` (the checks, then the writing)."""

from __future__ import annotations

from pathlib import Path

from ..content import MISSING, SOURCE_LANG, KnowledgeBase, states_of
from ..files import atomic_write
from .exchange import FORMATS, MAX_FILE_BYTES, Entry, Exchange, TranslationFileError, format_of
from .importer import ImportResult, import_translations
from .notes import note_for
from .po import write_po
from .sheet import write_xlsx
from .xliff import write_xliff

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "Exchange",
    "ImportResult",
    "TranslationFileError",
    "export_translations",
    "exchange_of",
    "import_translations",
]
WRITERS = {"xliff": write_xliff, "po": write_po, "xlsx": write_xlsx}
SUFFIX = {"xliff": ".xliff", "po": ".po", "xlsx": ".xlsx"}


def exchange_of(kb: KnowledgeBase, lang: str) -> Exchange:
    """Every text of ``lang`` (and those it lacks) beside its French, with its note and state."""
    if lang == SOURCE_LANG or lang not in kb.all_languages:
        others = ", ".join(code for code in kb.all_languages if code != SOURCE_LANG)
        raise TranslationFileError(
            f"'{lang}' is not a language to translate into: the content's are {others} (French is the source)."
        )
    entries = [
        Entry(unit.id, unit.source, unit.target, state, note_for(unit))
        for unit, state in states_of(kb, lang)
        if unit.target is not None or state == MISSING
    ]
    return Exchange(
        lang=lang,
        project=kb.meta.organisation,
        version=kb.meta.content_version,
        entries=entries,
        language_name=kb.locale(lang).name,
    )


def export_translations(kb: KnowledgeBase, lang: str, fmt: str = "xliff", out: Path | None = None) -> Path:
    """Write ``lang``'s texts as ``fmt`` (xliff, po or xlsx) to ``out`` (default: kit-<lang>.<suffix> here),
    atomically; returns the path written."""
    if fmt not in FORMATS:
        raise TranslationFileError(f"Unknown format '{fmt}': use {', '.join(FORMATS)}.")
    exchange = exchange_of(kb, lang)
    path = Path(out) if out is not None else Path(f"kit-{lang}{SUFFIX[fmt]}")
    if out is not None and format_of(path, None if path.suffix else fmt) != fmt:
        raise TranslationFileError(f"{path}: the name ends in {path.suffix}, the format asked for is {fmt}.")
    atomic_write(path, WRITERS[fmt](exchange))
    return path
