"""Feedback answers read from KoboToolbox and ODK Central exports (CSV or .xlsx) and from the typed template:
columns found by field name or label (group prefixes dropped), "select multiple" split in 0/1 columns or
space-separated, submissions counted once by their id; every bad cell named by file, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpreadsheetError
from ..tabular import BLANK, TableKind, cell_text, column_letter, read_table
from .form import Form, fold

# The columns exports add around the answers: the submission's id, its time, and the rest (ignored quietly).
ID_COLUMNS = ("_uuid", "meta/instanceid", "meta-instanceid", "instanceid", "key", "_id", "meta/rootuuid")
TIME_COLUMNS = ("_submission_time", "submissiondate", "submission date", "end", "start", "today")
REVIEW_COLUMNS = ("reviewstate", "_validation_status")
OTHER_COLUMNS = frozenset(
    {
        "_index",
        "_status",
        "_submitted_by",
        "_tags",
        "_notes",
        "_version_",
        "__version__",
        "_xform_id_string",
        "_attachments",
        "_geolocation",
        "_parent_index",
        "_duration",
        "formhub/uuid",
        "meta/deprecatedid",
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "deviceid",
        "edits",
        "formversion",
        "today",
        "start",
        "end",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "meta-deprecatedid",
        "meta-instancename",
        "meta/instancename",
        "uuid",
        "parent_key",
    }
)
SEPARATORS = ("/", "-", ".", ":")


@dataclass
class Answer:
    """One submission: where it was read, its id and time, the event code and the answers by field name (a
    select multiple: names separated by spaces)."""

    source: str
    row: int
    submission: str
    time: str
    event: str
    values: dict[str, str]


@dataclass
class Answers:
    """Every submission read, and what could not be: problems (file, row, column), notes on columns."""

    answers: list[Answer] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicates: int = 0
    rejected: int = 0
    empty: int = 0


@dataclass
class _Column:
    index: int
    field: str  # the field's name, or "" for the submission id/time/review columns
    role: str  # value | choice (one 0/1 column of a select multiple) | id | time | review
    choice: str = ""


def _strip(header: str, name: str) -> bool:
    """Whether ``header`` is the field ``name``, alone or under group prefixes (group/name, group-name)."""
    header = header.strip()
    return header == name or any(header.endswith(sep + name) for sep in SEPARATORS)


def _map_columns(form: Form, headers: list[str]) -> tuple[list[_Column], list[str]]:
    """The columns the form knows, and the headers it does not (named once, ignored)."""
    labels = {}
    for f in form.fields:
        for lang in form.languages:
            labels[fold(form.label(f, lang))] = f.name
            labels[fold(f.label.get(lang, ""))] = labels.get(fold(f.label.get(lang, "")), f.name)
    names = sorted(form.names, key=len, reverse=True)
    columns, unknown = [], []
    for index, header in enumerate(headers):
        text = header.strip()
        low = text.casefold()
        if not text:
            continue
        if low in ID_COLUMNS or low.endswith("instanceid"):
            columns.append(_Column(index, "", "id"))
            continue
        if low in TIME_COLUMNS:
            if not any(c.role == "time" for c in columns) or low in ("_submission_time", "submissiondate"):
                columns = [c for c in columns if c.role != "time"] + [_Column(index, "", "time")]
            continue
        if low in REVIEW_COLUMNS:
            columns.append(_Column(index, "", "review"))
            continue
        found = next((n for n in names if _strip(text, n)), None)
        if found is None:  # a 0/1 column of one choice of a select multiple: name/choice, name.choice
            for f in form.fields:
                if f.kind != "select_multiple":
                    continue
                for choice in form.choice_names(f):
                    if any(_strip(text, f"{f.name}{sep}{choice}") for sep in SEPARATORS):
                        columns.append(_Column(index, f.name, "choice", choice))
                        found = ""
                        break
                if found is not None:
                    break
            if found == "":
                continue
        if found is None:
            found = labels.get(fold(text.rsplit("/", 1)[-1])) or labels.get(fold(text))
        if found:
            columns.append(_Column(index, found, "value"))
        elif low.startswith("_") or low in OTHER_COLUMNS or low.rsplit("/", 1)[-1] in OTHER_COLUMNS:
            continue
        else:
            unknown.append(text)
    return columns, unknown


def _recognise(form: Form):
    labels = {fold(form.label(f, lang)): f.name for f in form.fields for lang in form.languages}

    def recognise(text: str) -> str | None:
        text = text.strip()
        return (
            next((n for n in form.names if _strip(text, n)), None)
            or labels.get(fold(text.rsplit("/", 1)[-1]))
            or (text.casefold() if text.casefold() in ID_COLUMNS + TIME_COLUMNS else None)
        )

    return recognise


def _read_one(form: Form, path: Path, out: Answers, seen: set[str]) -> None:
    kind = TableKind(file="feedback file", rows="answers", recognise=_recognise(form))
    table = read_table(path, kind)
    if not table.recognised:
        raise SpreadsheetError(
            f"{path} is not an export of the feedback form: none of its first rows names a field of the form "
            f"(such as {', '.join(form.names[:3])}). Export the answers with the fields' names or labels as "
            "column headers.",
            path=path,
        )
    headers = table.header_texts
    columns, unknown = _map_columns(form, headers)
    mapped = {c.field for c in columns if c.field}
    if unknown:
        out.notes.append(
            f"{path.name}: column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"{'are' if len(unknown) > 1 else 'is'} not in this version of the form: ignored."
        )
    missing = [n for n in form.names if n not in mapped]
    if missing:
        out.notes.append(f"{path.name}: no column for {', '.join(missing)} (another version of the form?).")
    for offset, row in enumerate(table.rows[table.header + 1 :], start=table.header + 2):
        if row is BLANK or not any(cell_text(c).strip() for c in row):
            continue
        cells = {
            c.index: cell_text(row[c.index], epoch=table.epoch).strip() if c.index < len(row) else ""
            for c in columns
        }
        submission = time = ""
        values: dict[str, str] = {}
        split: dict[str, list[str]] = {}
        review = ""
        for column in columns:
            text = cells[column.index]
            where = (
                f"{path.name}, row {offset}, column {column_letter(column.index)} ({headers[column.index]})"
            )
            if column.role == "id":
                submission = submission or text
            elif column.role == "time":
                time = text
            elif column.role == "review":
                review = fold(text)
            elif column.role == "choice":
                if text in ("1", "1.0", "true", "True", "TRUE"):
                    split.setdefault(column.field, []).append(column.choice)
            elif text:
                f = form.field(column.field)
                if f.kind == "select_one":
                    name = form.read_choice(f, text)
                    if name is None:
                        allowed = ", ".join(form.choice_names(f))
                        out.problems.append(
                            f"{where}: '{text}' is not one of the answers ({allowed}); left out."
                        )
                        continue
                    values[f.name] = name
                elif f.kind == "select_multiple":
                    picked = []
                    for part in text.split():
                        name = form.read_choice(f, part)
                        if name is None:
                            out.problems.append(f"{where}: '{part}' is not one of the answers; left out.")
                        else:
                            picked.append(name)
                    if picked:
                        values[f.name] = " ".join(picked)
                else:
                    values[f.name] = text
        for name, picked in split.items():
            values.setdefault(name, " ".join(picked))
        if review == "rejected":
            out.rejected += 1
            continue
        event = values.pop("event_code", "") if "event_code" in form.names else ""
        if not values and not event:
            out.empty += 1
            continue
        if submission:
            if submission in seen:
                out.duplicates += 1
                continue
            seen.add(submission)
        out.answers.append(Answer(path.name, offset, submission, time, event, values))


def read_answers(form: Form, files: list[str | Path]) -> Answers:
    """Every answer of ``files`` (exports of KoboToolbox or ODK Central, typed templates), each submission
    once. A file that cannot be read as a table of answers raises SpreadsheetError naming it; a bad cell is a
    problem (file, row, column) and the row's other answers still count."""
    out = Answers()
    seen: set[str] = set()
    for name in files:
        _read_one(form, Path(name), out, seen)
    return out
