"""The feedback form (feedback.yaml) and the change record (changes.yaml): their models, and the form's fields
with their stable names."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pydantic import Field

from .fields import Model, Text

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PER_QUESTION = "per_question"  # one field for each question of the summary, named <name>_<question id>
KINDS = ("event_code", PER_QUESTION, "select_one", "select_multiple", "text")


class Choice(Model):
    """One allowed answer: its stable name and its text per language."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    label: dict[str, Text]


class FormField(Model):
    """One question of the form as written in feedback.yaml (a per-question field stands for several)."""

    name: str = Field(pattern=NAME_RE.pattern)
    kind: str = Field(pattern="^(" + "|".join(KINDS) + ")$")
    label: dict[str, Text]
    hint: dict[str, Text] = {}
    choices: str | None = None  # the list of choices.yaml's `choices` it picks from (select and per-question)
    required: bool = False
    lines: int = 0  # on paper: lines to write on (a text field)


class FormSettings(Model):
    form_id: str = Field(pattern=NAME_RE.pattern)
    title: dict[str, Text]
    instructions: dict[str, Text] = {}  # the typing template's instructions, per language


class FeedbackForm(Model):
    """feedback.yaml: the one feedback form, printed, on phones (XLSForm) and typed from paper."""

    settings: FormSettings | None = None
    fields: list[FormField] = []
    choices: dict[str, list[Choice]] = {}


@dataclass(frozen=True)
class AskedField:
    """One field of the form as it is asked: its stable name, what it is, its texts, its choices."""

    name: str
    kind: str  # event_code, select_one, select_multiple, text
    label: dict[str, str]
    hint: dict[str, str]
    choices: str | None
    required: bool
    question: str | None = None  # the knowledge base's question it is about
    group: str = ""  # the field of feedback.yaml it comes from (understood for understood_wrong-hands)
    lines: int = 0


def form_fields(form: FeedbackForm, question_ids: list[str]) -> list[AskedField]:
    """The form's fields in order, each per-question field once for each of ``question_ids`` (named
    <name>_<question id>): the names paper, phones, the typing template and the report share."""
    out = []
    for f in form.fields:
        if f.kind == PER_QUESTION:
            for qid in question_ids:
                out.append(
                    AskedField(
                        f"{f.name}_{qid}",
                        "select_one",
                        dict(f.label),
                        dict(f.hint),
                        f.choices,
                        f.required,
                        qid,
                        f.name,
                        f.lines,
                    )
                )
        else:
            out.append(
                AskedField(
                    f.name, f.kind, dict(f.label), dict(f.hint), f.choices, f.required, None, f.name, f.lines
                )
            )
    return out


def form_problems(form: FeedbackForm, languages: list[str]) -> list[str]:
    """What keeps the form from being asked in every complete language: a missing label or choice list, a
    field name used twice."""
    problems = []
    names = [f.name for f in form.fields]
    problems += [
        f"field name {name} is used twice" for name in sorted({n for n in names if names.count(n) > 1})
    ]
    for f in form.fields:
        missing = [lang for lang in languages if lang not in f.label]
        if missing:
            problems.append(f"field {f.name} has no label in {', '.join(missing)}")
        if f.kind in (PER_QUESTION, "select_one", "select_multiple") and f.choices not in form.choices:
            problems.append(f"field {f.name} picks from '{f.choices}', a list of choices it does not have")
    for list_name, choices in form.choices.items():
        for choice in choices:
            missing = [lang for lang in languages if lang not in choice.label]
            if missing:
                problems.append(f"choice {choice.name} of {list_name} has no label in {', '.join(missing)}")
    return problems


class Change(Model):
    """One dated entry of the change record: the content version, what changed and why, per language."""

    version: Text
    date: dt.date
    changes: dict[str, list[Text]] = Field(min_length=1)  # per language: what changed, and why


class ChangesFile(Model):
    """changes.yaml: the knowledge base's record of changes, newest first."""

    title: dict[str, Text] = {}  # the "what changed" page's title, per language
    intro: dict[str, Text] = {}
    changes: list[Change] = []
