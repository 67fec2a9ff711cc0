"""Translations against their French: stale texts (the French changed since), and each language's coverage
(texts translated, reviewed, stale, missing, per kind of document)."""

from __future__ import annotations

from ..content import CONTENT_FILES, DONE, MISSING, SOURCE_LANG, STALE, KnowledgeBase, Unit, states_of
from .report import NOTE, WARNING, Collector, source_of

STALE_HINT = (
    "Have the text reviewed again: `kit translate export --lang {lang}` gives the texts to review (in XLIFF, PO or "
    "a spreadsheet), `kit translate import FILE` brings them back with who reviewed them."
)
NOTE_IDS = 5  # a note about a language not asked for names this many stale texts, then how many more
# Kinds of document a text is printed in, for coverage: the first whose test matches.
KINDS: tuple[tuple[str, object], ...] = (
    ("easy-to-read", lambda u: "falc" in u.loc),
    ("questions", lambda u: u.key == "questions"),
    ("doorstep", lambda u: u.loc[0] == "doorstep"),
    ("site", lambda u: u.loc[0] == "site"),
    ("print", lambda u: u.key == "shared" and u.loc[0] in ("summary", "rights", "labels", "act")),
    ("events", lambda u: u.loc[0] == "events"),
    ("screens", lambda u: u.loc[0] == "channels"),
    ("glossary", lambda u: u.loc[0] == "glossary"),
)
COVERAGE_COLUMNS = ("kind", "units", "translated", "reviewed", "stale", "missing")


def kind_of(unit: Unit) -> str:
    """The kind of document a text belongs to (coverage groups by it)."""
    return next((name for name, test in KINDS if test(unit)), unit.key)


def _source(kb: KnowledgeBase, unit: Unit):
    if unit.item is not None:
        return source_of(kb, unit.item)
    name = next(entry.name for entry in CONTENT_FILES if entry.key == unit.key)
    return source_of(kb, name)


def check_stale(c: Collector, kb: KnowledgeBase, asked: tuple[str, ...] = ()) -> None:
    """Rule ``translation-stale``: texts translated from a French text that has changed since (their record keeps
    a digest of the French they were made from). For a language asked for (kit.toml [build] languages, `--lang`)
    each is a warning, with its file and line; for the others one note per language (notes never fail)."""
    for lang in kb.all_languages:
        if lang == SOURCE_LANG:
            continue
        stale = [unit for unit, state in states_of(kb, lang) if state == STALE]
        if not stale:
            continue
        hint = STALE_HINT.format(lang=lang)
        if lang in asked:
            for unit in stale:
                c.add(
                    WARNING,
                    "translation-stale",
                    f"'{unit.id}': the French text changed since this translation was made or reviewed; its "
                    "documents say the translation is not yet checked until it is reviewed again.",
                    hint,
                    _source(kb, unit),
                    unit.loc,
                    question=unit.item,
                    lang=lang,
                    text=unit.target,
                )
            continue
        more = len(stale) - NOTE_IDS
        names = ", ".join(unit.id for unit in stale[:NOTE_IDS]) + (f" and {more} more" if more > 0 else "")
        c.add(
            NOTE,
            "translation-stale",
            f"{len(stale)} '{lang}' text{'s' if len(stale) > 1 else ''} translated from a French text that has "
            f"changed since: {names}. `kit check --lang {lang}` lists them with their lines.",
            hint,
            source_of(kb, "kit.yaml"),
            ("language_review", lang) if lang in kb.meta.language_review else ("language_review",),
            lang=lang,
        )


def coverage(kb: KnowledgeBase, lang: str) -> list[dict]:
    """One row per kind of document (then the total): how many texts ``lang`` has to give (units), has
    (translated, whatever their review), has reviewed (reviewed or final), has stale and lacks (missing)."""
    rows: dict[str, dict] = {}
    total = dict.fromkeys(COVERAGE_COLUMNS[1:], 0)
    for unit, state in states_of(kb, lang):
        row = rows.setdefault(kind_of(unit), dict.fromkeys(COVERAGE_COLUMNS[1:], 0))
        counts = {
            "units": 1,
            "translated": state != MISSING,
            "reviewed": state in DONE,
            "stale": state == STALE,
            "missing": state == MISSING,
        }
        for name, value in counts.items():
            row[name] += int(value)
            total[name] += int(value)
    order = [name for name, _ in KINDS]
    kinds = sorted(rows, key=lambda kind: (order.index(kind) if kind in order else len(order), kind))
    return [{"kind": kind, **rows[kind]} for kind in kinds] + [{"kind": "total", **total}]
