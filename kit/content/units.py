"""Translation units: every text of a language beside its French source, with a stable id, and its review state
(translated, reviewed, final; stale when the French changed since; missing) from the translation records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .models import PARTIAL_BLOCKS, PARTIAL_FIELDS, TextReview
from .table import CONTENT_FILES

SOURCE_LANG = "fr"  # the reference texts every other language translates
# Content files that hold no translations of the French (settings, locale data, review lists, the records).
NOT_TRANSLATED = frozenset({"meta", "locales", "review", "translations"})
# Fields that are not words to translate: addresses, pictures, switches, site address words, ids.
NOT_TEXT = frozenset({"id", "url", "qr", "picto", "pictogram", "path", "paths", "audio"})

MISSING = "missing"  # the French has it, this language does not (yet)
TRANSLATED = "translated"  # written, nobody has reviewed it as a native speaker
REVIEWED = "reviewed"
FINAL = "final"
STALE = "stale"  # the French changed since this translation was made or reviewed: review it again
STATES = (MISSING, TRANSLATED, STALE, REVIEWED, FINAL)
DONE = (REVIEWED, FINAL)


def source_digest(text: str) -> str:
    """What a translation record keeps of the French it translates: 12 hex digits of its SHA-256, over the text
    with each line's spaces collapsed (reflowing a YAML paragraph changes nothing)."""
    lines = [" ".join(line.split()) for line in text.strip().split("\n")]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    """One text of one language, beside its French source."""

    id: str  # stable, without the language: "shared.doorstep.card_title", "questions.wrong-hands.falc.0.text"
    lang: str
    key: str  # the content file it lives in (``CONTENT_FILES`` key)
    item: str | None  # the id of a folder's item (a question) it belongs to
    loc: tuple  # where it is in that file's data, the language included: ("doorstep", "ar", "card_title")
    source: str  # the French text
    target: str | None  # the text in ``lang`` (None: missing)
    required: bool  # the language must give it (a complete language everything; a partial one its set)

    @property
    def digest(self) -> str:
        return source_digest(self.source)

    @property
    def field(self) -> str:
        """The last word of its place ("hook", "text", "card_title"), for notes and messages."""
        return next(str(part) for part in reversed(self.loc) if not isinstance(part, int))


def _is_by_language(node: Any, languages: frozenset[str]) -> bool:
    return isinstance(node, dict) and SOURCE_LANG in node and all(key in languages for key in node)


def _leaves(node: Any, loc: tuple = (), name: tuple = ()) -> Iterator[tuple[tuple, tuple, str]]:
    """(place in the data, place in the unit id, text) of every text under ``node``."""
    if isinstance(node, str):
        yield loc, name, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_TEXT:
                yield from _leaves(value, loc + (key,), name + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else index
            yield from _leaves(value, loc + (index,), name + (label,))


def _get(node: Any, loc: tuple) -> Any:
    for part in loc:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
        elif not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _by_language(node: Any, languages: frozenset[str], loc=(), name=()) -> Iterator[tuple]:
    """(place, place in the id, the mapping) of every mapping by language (``{fr: ..., en: ...}``) in ``node``."""
    if _is_by_language(node, languages):
        yield loc, name, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_TEXT:
                yield from _by_language(value, languages, loc + (key,), name + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("id") if isinstance(value, dict) and isinstance(value.get("id"), str) else index
            yield from _by_language(value, languages, loc + (index,), name + (label,))


def _required(key: str, loc: tuple, rel: tuple, partial: bool) -> bool:
    if not partial:
        return True
    if key == "questions":
        return bool(rel) and rel[0] in PARTIAL_FIELDS
    if key == "shared":
        return loc[0] in PARTIAL_BLOCKS
    return False


def _documents(kb) -> Iterator[tuple[str, str | None, dict]]:
    """(file key, item id, data) of every file whose texts are translated, from the validated content."""
    for entry in CONTENT_FILES:
        if entry.key in NOT_TRANSLATED or entry.key not in kb.parts or kb.parts[entry.key] is None:
            continue
        part = kb.parts[entry.key]
        if entry.folder:
            for model in part:
                yield entry.key, model.id, model.model_dump(exclude_none=True)
        else:
            yield entry.key, None, part.model_dump(exclude_none=True)


def units_of(kb, lang: str) -> list[Unit]:
    """Every text of ``lang`` that the French has, in the order of the content files (and the units the language
    does not give but must: missing)."""
    languages = frozenset([SOURCE_LANG, *kb.all_languages])
    partial = kb.is_partial(lang)
    found: list[Unit] = []
    for key, item, data in _documents(kb):
        for loc, name, mapping in _by_language(data, languages):
            # "translations" is where every mapping by language of a question, story or term sits: left out of ids
            name = name[:-1] if name and name[-1] == "translations" else name
            name = (
                name[1:] if name and name[0] == key else name
            )  # stories.yaml's `stories`, venues.yaml's `venues`
            prefix = (key, item) if item else (key,)
            target_root = mapping.get(lang)
            for rel, rel_name, text in _leaves(mapping[SOURCE_LANG]):
                target = _get(target_root, rel)
                target = target if isinstance(target, str) else None
                required = _required(key, loc, rel, partial)
                if target is None and not required:
                    continue
                unit_id = ".".join(str(part) for part in (*prefix, *name, *rel_name))
                found.append(Unit(unit_id, lang, key, item, loc + (lang,) + rel, text, target, required))
    return found


def records_of(kb, lang: str) -> dict[str, TextReview]:
    """The translation record of ``lang`` (translations/<lang>.yaml, kit's merged with the user's): unit id ->
    TextReview."""
    for record in kb.parts.get("translations") or ():
        if record.id == lang:
            return dict(record.texts)
    return {}


def unit_state(unit: Unit, record: TextReview | None, signed: bool) -> str:
    """MISSING, STALE, TRANSLATED, REVIEWED or FINAL. ``signed``: kit.yaml language_review names someone for the
    language, which stands for every text the record does not say otherwise about."""
    if unit.target is None:
        return MISSING
    if record is not None and record.source != unit.digest:
        return STALE
    if record is not None and record.state is not None:
        return record.state
    return REVIEWED if signed else TRANSLATED


def states_of(kb, lang: str) -> list[tuple[Unit, str]]:
    """Every unit of ``lang`` with its state."""
    records = records_of(kb, lang)
    signed = bool(kb.reviewers(lang))
    return [(unit, unit_state(unit, records.get(unit.id), signed)) for unit in units_of(kb, lang)]
