"""Load the knowledge base: read the table's files from kit's folder and the user's, merge, validate, cross-check."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from ..errors import ContentError, Problem
from ..resources import content_dir as builtin_content_dir
from . import consistency
from .fields import COMPLETE_HINT, SCHEMA_HINT, VALIDATOR_RULES, Model
from .knowledge import KnowledgeBase
from .models import Venue, VenuesFile
from .table import CONTENT_FILES, WHOLE, ContentFile, content_roots, digest_of
from .yamlfile import YamlFile, layer, read_yaml

_FRIENDLY = {
    "missing": "this field is required but missing",
    "extra_forbidden": "unknown field: check its spelling (unknown fields are refused so that typos are not ignored)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a group of 'key: value' lines",
    "model_type": "must be a group of 'key: value' lines",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_type": "must be a date written as YYYY-MM-DD",
    "too_short": "must not be empty",
}


def _validation_problems(exc: ValidationError, source: YamlFile, prefix: tuple = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        # pydantic adds the validator's name to locations of Annotated validators; drop non-data parts.
        loc = tuple(part for part in loc if not (isinstance(part, str) and "[" in part))
        if err["type"] in VALIDATOR_RULES:  # raised by _rule_error: the type is the rule
            ctx = err["ctx"]
            problems.append(source.problem(ctx["message"], loc, rule=err["type"], hint=ctx["hint"]))
            continue
        message = _FRIENDLY.get(err["type"])
        if message is None:
            message = err["msg"].removeprefix("Value error, ")
        problems.append(source.problem(message, loc, rule="schema", hint=SCHEMA_HINT))
    return problems


def _validate(model: type[Model], source: YamlFile, problems: list[Problem]):
    if not isinstance(source.data, dict):
        problems.append(
            source.problem(
                "the file must contain 'key: value' lines at the top level", rule="schema", hint=SCHEMA_HINT
            )
        )
        return None
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, source))
        return None


def _merge(entry: ContentFile, base: YamlFile | None, over: YamlFile) -> YamlFile:
    """A later folder's file over an earlier one's, as the table says."""
    return over if entry.merge == WHOLE else layer(base, over, entry.by_id)


def _read_file(entry: ContentFile, roots: list[Path], problems: list[Problem]) -> YamlFile | None:
    """One file of the table, each folder's merged over the one before (None: missing or unreadable)."""
    merged, found = None, False
    for folder in roots:
        for path in entry.paths(folder):
            found = True
            source = read_yaml(path, str(path), problems, root=folder)
            if source is None:  # unreadable: already reported
                return None
            merged = _merge(entry, merged, source)
    if not found and entry.required:
        problems.append(
            Problem(
                f"file missing: every knowledge base needs {entry.name}",
                str(roots[-1] / entry.name),
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
    return merged


def _read_folder(entry: ContentFile, roots: list[Path], problems: list[Problem]) -> dict[str, YamlFile]:
    """A folder of the table, one item a file known by its id: a later folder's item merged over an earlier one's."""
    by_id: dict[str, YamlFile] = {}
    for folder in roots:
        seen_here: dict[str, str] = {}
        for path in entry.paths(folder):
            source = read_yaml(path, str(path), problems, root=folder)
            if source is None:
                continue
            data = source.data if isinstance(source.data, dict) else {}
            item_id = str(data.get("id") or path.stem)
            if item_id in seen_here:
                problems.append(
                    source.problem(
                        f"id '{item_id}' is already used by {seen_here[item_id]}",
                        ("id",),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
                continue
            seen_here[item_id] = source.display
            by_id[item_id] = _merge(entry, by_id.get(item_id), source)
    if not by_id and entry.required:
        problems.append(
            Problem(
                f"no {entry.item} files found (expected {entry.name}/<id>.yaml)",
                str(roots[-1] / entry.name),
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
    return by_id


def _cross_problems(parts: dict, files: dict[str, YamlFile | None], items: list[tuple]) -> list[Problem]:
    """What needs more than one file: languages of kit.yaml in every other file, pictograms, ids once."""
    meta = parts.get("meta")
    if meta is None:
        return []
    problems = consistency.meta_problems(meta, files["meta"])
    for question, source in items:
        problems += consistency.question_problems(meta, question, source)
    if parts.get("shared") is not None:
        problems += consistency.shared_problems(meta, parts["shared"], files["shared"])
    if parts.get("venues") is not None:
        problems += consistency.venue_problems(parts["venues"].venues, files["venues"], meta.languages)
    if parts.get("stories") is not None and files["stories"] is not None:
        problems += consistency.story_problems(parts["stories"].stories, files["stories"], meta.languages)
    if parts.get("locales") is not None and files["locales"] is not None:
        problems += consistency.locale_problems(parts["locales"], files["locales"])
    return problems


def load_content(content_dir: str | Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base; raise one ContentError listing every problem.

    A user's ``content_dir`` is merged over the built-in content as the table of content files says
    (``CONTENT_FILES``): a question file with a known id overrides the fields it gives, a new id adds a
    question, `shared.yaml` and `kit.yaml` override what they give (glossary terms, venues, stories by id).
    With `builtin: false` in its kit.yaml the folder stands alone.
    """
    problems: list[Problem] = []
    roots = content_roots(content_dir)
    root = roots[-1]
    files = {e.key: _read_file(e, roots, problems) for e in CONTENT_FILES if not e.folder}
    parts: dict = {}
    for entry in CONTENT_FILES:
        if not entry.folder:
            source = files[entry.key]
            if source is not None:
                parts[entry.key] = _validate(entry.model, source, problems)
            else:
                parts[entry.key] = None if entry.required else entry.model()
    items: dict[str, list[tuple]] = {}
    for entry in CONTENT_FILES:
        if entry.folder:
            items[entry.key] = []
            for source in _read_folder(entry, roots, problems).values():
                model = _validate(entry.model, source, problems)
                if model is not None:
                    items[entry.key].append((model, source))
    problems += _cross_problems(parts, files, items["questions"])
    if problems:
        raise ContentError(
            f"The knowledge base in {root} has {len(problems)} problem{'s' if len(problems) > 1 else ''}; "
            "nothing was built:",
            problems,
        )
    ordered = items["questions"] = sorted(items["questions"], key=lambda pair: (pair[0].order, pair[0].id))
    parts.update({key: [model for model, _ in pairs] for key, pairs in items.items()})
    sources = {e.name: files[e.key] for e in CONTENT_FILES if not e.folder and files[e.key] is not None}
    return KnowledgeBase(
        meta=parts["meta"],
        questions=[q for q, _ in ordered],
        shared=parts["shared"],
        root=root,
        venues=list(parts["venues"].venues),
        locales=dict(parts["locales"].locales),
        review=parts["review"],
        stories=list(parts["stories"].stories),
        sources={**sources, **{q.id: src for q, src in ordered}},
        parts=parts,
        roots=roots,
        digest=digest_of(roots),
    )


@cache
def builtin_venues() -> list[Venue]:
    """The built-in venue types alone (for reading a spreadsheet without a whole knowledge base)."""
    problems: list[Problem] = []
    path = builtin_content_dir() / "venues.yaml"
    source = read_yaml(path, str(path), problems)
    venues = _validate(VenuesFile, source, problems) if source else None
    if venues is None:
        raise ContentError(f"kit's own {path} is broken; install kit again.", problems)
    return list(venues.venues)
