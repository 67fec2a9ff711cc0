"""The feedback form as workbooks: an XLSForm (KoboToolbox, ODK Central, Enketo) and the template to type paper
forms into (one column per field, drop-down lists of the allowed answers, an instructions sheet)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from ..addresses import FORM_ROOT
from ..errors import OptionError
from ..files import atomic_write
from .form import Form

TEMPLATE_ROWS = 2000  # rows of the typing template that offer the drop-down lists
ANSWERS_SHEET = "answers"


def _workbook():
    from openpyxl import Workbook  # deferred: only these commands write workbooks

    return Workbook()


def _save(book, path: Path) -> Path:
    buffer = io.BytesIO()
    book.save(buffer)
    return atomic_write(path, buffer.getvalue())


def _language_column(form: Form, what: str, lang: str) -> str:
    """'label::Français (fr)': XLSForm's column of a translation."""
    return f"{what}::{form.language_names.get(lang, lang)} ({lang})"


def xlsform_rows(form: Form, event_code: str | None = None) -> dict[str, list[list[str]]]:
    """The XLSForm's sheets as rows (a header first): survey, choices, settings."""
    langs = form.languages
    survey = [
        ["type", "name"]
        + [_language_column(form, "label", lang) for lang in langs]
        + [_language_column(form, "hint", lang) for lang in langs]
        + ["required", "default", "appearance"]
    ]
    for field in form.fields:
        kind = {"event_code": "text"}.get(field.kind, field.kind)
        if field.kind.startswith("select"):
            kind = f"{field.kind} {field.choices}"
        survey.append(
            [kind, field.name]
            + [form.label(field, lang) for lang in langs]
            + [field.hint.get(lang, "") for lang in langs]
            + [
                "yes" if field.required else "",
                (event_code or "") if field.kind == "event_code" else "",
                "multiline" if field.kind == "text" else "",
            ]
        )
    choices = [["list_name", "name"] + [_language_column(form, "label", lang) for lang in langs]]
    for list_name, entries in form.choices.items():
        for name, labels in entries:
            choices.append([list_name, name] + [labels.get(lang, name) for lang in langs])
    default = langs[0]
    settings = [  # name: the root of the instance, where a web form's address pre-fills the event code
        ["form_title", "form_id", "version", "default_language", "name"],
        [
            form.title.get(default, form.form_id),
            form.form_id,
            form.version,
            _language_column(form, "", default)[2:],
            FORM_ROOT,
        ],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def write_xlsform(form: Form, path: str | Path, event_code: str | None = None) -> Path:
    """Write the form as an XLSForm workbook at ``path`` (the event code field's default: ``event_code``)."""
    book = _workbook()
    book.remove(book.active)
    for title, rows in xlsform_rows(form, event_code).items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return _save(book, Path(path))


def manifest_event_codes(path: str | Path) -> list[str]:
    """The event codes (ids) a pack's manifest.json lists, in its order."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        codes = [str(event["id"]) for event in data["events"]]
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionError(f"The pack manifest {path} cannot be read ({exc}).") from None
    except (ValueError, KeyError, TypeError):
        raise OptionError(
            f"{path} is not the manifest.json of a `kit pack` folder (no list of events in it)."
        ) from None
    return codes


def write_template(form: Form, path: str | Path, lang: str, event_codes: list[str] = ()) -> Path:
    """Write the spreadsheet to type paper forms into: the answers sheet (one column per field, named by the
    field, drop-down lists of the allowed answers in ``lang``, of ``event_codes`` for the event code), an
    instructions sheet, and the hidden sheet of the lists."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    if lang not in form.languages:
        raise OptionError(f"The feedback form is in {', '.join(form.languages)}, not in {lang}.")
    book = _workbook()
    answers = book.active
    answers.title = ANSWERS_SHEET
    instructions = book.create_sheet("instructions")
    lists = book.create_sheet("lists")
    answers.append(form.names)
    answers.freeze_panes = "A2"
    lists_column = 0
    for index, field in enumerate(form.fields, start=1):
        letter = get_column_letter(index)
        answers.cell(row=1, column=index).font = Font(bold=True)
        answers.column_dimensions[letter].width = max(14, min(40, len(field.name) + 4))
        if field.kind == "event_code":
            values = list(event_codes)
        elif field.kind.startswith("select"):
            values = [form.choice_label(field.choices, name, lang) for name in form.choice_names(field)]
        else:
            continue
        if not values:
            continue
        lists_column += 1
        list_letter = get_column_letter(lists_column)
        lists.cell(row=1, column=lists_column, value=field.name)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=lists_column, value=value)
        area = f"{quote_sheetname('lists')}!${list_letter}$2:${list_letter}${len(values) + 1}"
        check = DataValidation(
            type="list",
            formula1=area,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=field.name,
            error=", ".join(values)[:250],
        )
        check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        answers.add_data_validation(check)
    lists.sheet_state = "hidden"
    instructions.append([form.title.get(lang, form.form_id)])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.append([form.instructions.get(lang, "")])
    instructions["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    instructions.append([])
    instructions.append(["column", "question", "answers"])
    for cell in instructions[4]:
        cell.font = Font(bold=True)
    for field in form.fields:
        if field.kind.startswith("select"):
            allowed = " / ".join(form.choice_label(field.choices, n, lang) for n in form.choice_names(field))
        elif field.kind == "event_code":
            allowed = " / ".join(event_codes)
        else:
            allowed = ""
        instructions.append([field.name, form.label(field, lang), allowed])
    instructions.column_dimensions["A"].width = 30
    instructions.column_dimensions["B"].width = 70
    instructions.column_dimensions["C"].width = 40
    return _save(book, Path(path))
