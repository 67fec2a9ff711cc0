"""Contexts of the doorstep pack (neighbourhood mediators who go door to door): pocket cards, door hangers and
the mediator sheet. They use only the texts a partial language has (kit.yaml `partial_languages`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..locales import date_words
from .base import Prepared, chosen, doc_info, ideas, picto, qr_block, qr_entry, summary_link, title

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


def contact(spec: DocSpec, project: Project) -> dict:
    """Who to call or write to: the spreadsheet row's contact (phones and e-mail addresses), else kit.toml's."""
    phones: list[str] = []
    emails: list[str] = []
    written = spec.event.contact if spec.event is not None else None
    if written:
        for part in re.split(r"\s*(?:[/;,\n]|\bou\b|\bor\b)\s*", written):
            part = part.strip()
            if part:
                (emails if _EMAIL.fullmatch(part) else phones).append(part)
    else:
        data = project.config.data.contact
        phones = [data.phone] if data.phone else []
        emails = [data.email] if data.email else []
    return {"phones": phones, "emails": emails}


def _base(spec: DocSpec, project: Project, what: str) -> tuple[dict, str]:
    kb = project.kb
    door = kb.shared.doorstep[spec.lang]
    labels = kb.shared.labels[spec.lang]
    name = title(spec, project, f"{what} – {labels.campaign}")
    context = {"doc": doc_info(spec, project, name, door.card_title), "labels": labels, "door": door}
    return context, name


def question_lines(spec: DocSpec, project: Project) -> list[dict]:
    """The summary's questions in one short line each (the doorstep block's line, else the question itself)."""
    door = project.kb.shared.doorstep[spec.lang]
    found = chosen(spec, project, project.kb.summary_ids)
    return [
        {
            "id": q.id,
            "line": door.questions.get(q.id) or q.translations[spec.lang].question,
            "pictogram": picto(q.pictogram, spec.lang, project),
        }
        for q in found
    ]


def pocket_card(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """Four A6 cards on a sheet: the questions and the QR code on the front; saying no and who to call behind."""
    door = project.kb.shared.doorstep[spec.lang]
    context, name = _base(spec, project, door.card_title)
    qr = qr_block(summary_link(spec, project), layout.qr_mm(spec), context["labels"], spec, project)
    cards = layout.pdf.per_sheet
    context.update(
        {
            "questions": question_lines(spec, project),
            "say_no": ideas(project.kb.shared.act[spec.lang].falc, spec.lang, project),
            "qr": qr,
            "contact": contact(spec, project),
            "cards": cards,
        }
    )
    return Prepared(context, name, [qr_entry(qr) for _ in range(cards)])


def door_hanger(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """Three door hangers on a sheet: one message, the visit's date, the QR code and the contact."""
    door = project.kb.shared.doorstep[spec.lang]
    context, name = _base(spec, project, door.hanger_title)
    qr = qr_block(summary_link(spec, project), layout.qr_mm(spec), context["labels"], spec, project)
    hangers = layout.pdf.per_sheet
    known = spec.event.date if spec.event is not None else None
    when = date_words(known, project.locale(spec.lang)) if known else ""
    # The visit box: the date (the row's, printed on its line; else a line to write it on) and a line for the
    # mediator's first name, written by hand. Each sentence is split at its placeholder: words, line, words.
    visit = [_write_in(door.hanger_date, "{date}", when), _write_in(door.hanger_who, "{name}", "")]
    context.update({"qr": qr, "contact": contact(spec, project), "hangers": hangers, "visit": visit})
    return Prepared(context, name, [qr_entry(qr) for _ in range(hangers)])


def _write_in(sentence: str, placeholder: str, filled: str) -> dict:
    """A line of the hanger's visit box: the words before and after the placeholder, and what goes on the line
    (printed, or nothing: a line to write on by hand)."""
    before, _, after = sentence.partition(placeholder)
    return {"before": before.strip(), "filled": filled, "after": after.strip()}


def mediator_sheet(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """One page for the mediator: opening words, the short answers, worries, where to send people."""
    door = project.kb.shared.doorstep[spec.lang]
    context, name = _base(spec, project, door.sheet_title)
    found = chosen(spec, project, project.kb.summary_ids)
    qr = qr_block(summary_link(spec, project), layout.qr_mm(spec), context["labels"], spec, project)
    context.update(
        {
            "questions": [
                {
                    "n": n,
                    "question": q.translations[spec.lang].question,
                    "short": q.translations[spec.lang].short,
                }
                for n, q in enumerate(found, start=1)
            ],
            "qr": qr,
        }
    )
    return Prepared(context, name, [qr_entry(qr)])
