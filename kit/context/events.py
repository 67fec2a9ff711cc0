"""Contexts of the event-pack documents: Café IA poster, invitations, facilitator guide, advisor memo, feedback
form and print sheet."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..addresses import feedback_link
from ..errors import OptionError
from ..layouts import SIDES
from .base import (
    Prepared,
    chosen,
    doc_info,
    event_details,
    one_qr,
    picto,
    qr_block,
    qr_entry,
    summary_link,
    title,
)

if TYPE_CHECKING:
    from ..events import Event
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec


def _need_event(spec: DocSpec, what: str) -> Event:
    if spec.event is None:
        raise OptionError(f"The {what} is made for one event: build it with `kit pack EVENTS.csv`.")
    return spec.event


# --- CSS generated from content ------------------------------------------------------------------


def css_string(text: str) -> str:
    """A CSS string literal; anything but letters, digits and spaces is a hex escape (so no text can end it)."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x}" for c in text) + '"'


def page_number_css(template: str) -> Markup:
    """'page {n} sur {total}' as the content of the page's bottom-centre margin box."""
    pieces = []
    for part in re.split(r"(\{n\}|\{total\})", template):
        if part == "{n}":
            pieces.append("counter(page)")
        elif part == "{total}":
            pieces.append("counter(pages)")
        elif part:
            pieces.append(css_string(part))
    return Markup("@page { @bottom-center { content: %s; } }") % Markup(" ".join(pieces))


# --- contexts -----------------------------------------------------------------------------------


def _numbered(found: list, lang: str, labels) -> list[dict]:
    total = len(found)
    return [
        {
            "id": q.id,
            "n": n,
            "text": q.translations[lang],
            "label": labels.question_n.replace("{n}", str(n)).replace("{total}", str(total)),
        }
        for n, q in enumerate(found, start=1)
    ]


def event_poster(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    event = _need_event(spec, "Café IA event poster")
    events = project.kb.shared.events[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    details = event_details(event, spec.lang, project)
    name = title(spec, project, f"{events.cafe_title} – {event.venue_name}, {details['date']}")
    context = {
        "doc": doc_info(spec, project, name, events.invitation_title),
        "labels": labels,
        "events": events,
        "event": details,
        "picture": picto("speech-balloon", spec.lang, project),
        "qr": qr_block(summary_link(spec, project), layout.qr_mm(spec), labels, spec, project),
    }
    return one_qr(context, name)


def invitation(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    event = _need_event(spec, "invitation")
    events = project.kb.shared.events[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    details = event_details(event, spec.lang, project)
    name = title(spec, project, f"{events.invitation_title} – {event.venue_name}, {details['date']}")
    qr = qr_block(summary_link(spec, project), layout.qr_mm(spec), labels, spec, project)
    flyers = layout.pdf.per_sheet
    context = {
        "doc": doc_info(spec, project, name, events.invitation),
        "labels": labels,
        "events": events,
        "event": details,
        "qr": qr,
        "flyers": flyers,
    }
    return Prepared(context, name, [qr_entry(qr) for _ in range(flyers)])


def guide(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    kb = project.kb
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    name = title(spec, project, f"{events.guide_title} – {labels.campaign}")
    found = _numbered(chosen(spec, project, kb.question_ids), spec.lang, labels)
    link_groups = [{"title": q["text"].question, "links": list(q["text"].links)} for q in found]
    seen = {link.url for q in found for link in q["text"].links}
    rights = kb.shared.rights[spec.lang]
    rights_links = [link for link in rights.links if link.url not in seen]
    if rights_links:
        link_groups.append({"title": rights.title, "links": rights_links})
    from .channels import stories_for_guide

    context = {
        "doc": doc_info(spec, project, name, events.guide_intro),
        "labels": labels,
        "events": events,
        "questions": found,
        "stories": stories_for_guide(
            spec, project, [q["id"] for q in found]
        ),  # one true story to tell per question
        "story_words": kb.shared.channels[spec.lang],
        "plan_minutes": sum(step.minutes for step in events.plan),
        "link_groups": link_groups,
        "page_css": page_number_css(labels.page),
    }
    return Prepared(context, name, [])


def memo(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    kb = project.kb
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    name = title(spec, project, f"{events.memo_title} – {labels.campaign}")
    context = {
        "doc": doc_info(spec, project, name, events.memo_intro),
        "labels": labels,
        "events": events,
        "questions": _numbered(chosen(spec, project, kb.question_ids), spec.lang, labels),
        "rights": kb.shared.rights[spec.lang],
    }
    return Prepared(context, name, [])


def feedback(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    kb = project.kb
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    name = title(spec, project, f"{events.feedback_title} – {labels.campaign}")
    questions = _numbered(chosen(spec, project, kb.summary_ids), spec.lang, labels)
    printed_fields = printed_form(kb, spec, [q["id"] for q in questions])
    qr = None
    if project.options.feedback_url:
        # The code carries the event's code (a web form's field pre-filled, or kit.toml's {event} filled); the
        # address printed beside it is the clean one.
        url = project.options.feedback_url
        code = (printed_fields.get("form") or {}).get("code") or {}
        carried = feedback_link(url, spec.event.id if spec.event else None, code.get("name") or "event_code")
        link = SimpleNamespace(label=events.feedback_title, url=carried, address=feedback_link(url, None))
        qr = qr_block(link, layout.qr_mm(spec), labels, spec, project)
    context = {
        "doc": doc_info(spec, project, name, events.feedback_intro),
        "labels": labels,
        "events": events,
        "questions": questions,
        "qr": qr,
        **printed_fields,
    }
    return Prepared(context, name, [qr_entry(qr)] if qr else [])


def printed_form(kb, spec: DocSpec, question_ids: list[str]) -> dict:
    """The feedback form of the content (feedback.yaml) as printed: for each question its field (the name the
    XLSForm and the report share), its question and its choices; the other fields; the event code (the event's
    own on its pack, else a box to write it in). Empty when the content has no form (the form's old texts)."""
    form = kb.part("feedback")
    lang = spec.lang
    if form.settings is None or not form.fields:
        return {"form": None}
    from ..content import form_fields

    def choices(field) -> list[dict]:
        return [
            {"name": c.name, "label": c.label.get(lang, c.name)} for c in form.choices.get(field.choices, [])
        ]

    per_question, others, code = {}, [], None
    for field in form_fields(form, question_ids):
        item = {
            "name": field.name,
            "kind": field.kind,
            "label": field.label.get(lang) or next(iter(field.label.values())),
            "choices": choices(field) if field.choices else [],
            "lines": field.lines,
        }
        if field.question:
            per_question[field.question] = item
        elif field.kind == "event_code":
            code = item
        else:
            others.append(item)
    if code is not None:
        code["value"] = spec.event.id if spec.event is not None else None
    return {"form": {"per_question": per_question, "others": others, "code": code}}


def print_sheet(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The pack's print sheet: its rows come with the spec (``spec.rows``), planned with the pack."""
    event = _need_event(spec, "print sheet")
    kb = project.kb
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    details = event_details(event, spec.lang, project)
    name = title(spec, project, f"{events.print_title} – {event.venue_name}, {details['date']}")
    # The sheet's band names the campaign already: a title's " – <campaign>" ending is left out.
    endings = tuple(f" – {kb.shared.labels[lang].campaign}" for lang in kb.shared.labels)
    rows = []
    for row in spec.rows:
        text = row.title
        for ending in endings:
            if text.endswith(ending) and len(text) > len(ending):
                text = text[: -len(ending)]
                break
        copies = row.copies if row.copies is not None else (event.copies if event.copies is not None else "—")
        rows.append(
            {
                "title": text,
                "paper": row.paper,
                "copies": copies,
                "sheets": _sheets(events, copies, row.per_sheet),  # what the number means, when sheets
                "sides": getattr(events, row.sides) if row.sides in SIDES else row.sides,
                "file": row.file,
            }
        )
    context = {
        "doc": doc_info(spec, project, name, events.print_intro),
        "labels": labels,
        "events": events,
        "event": details,
        "rows": rows,
        # How the row's people share out by language (the copies of each language's documents follow it).
        "split": [{"lang": lang, "people": event.people(lang)} for lang in event.languages]
        if len(event.languages) > 1
        else [],
    }
    return Prepared(context, name, [])


def _sheets(events, copies, per_sheet: int) -> str | None:
    """A number of sheets in words, for a document printed several to a sheet: "30 sheets of 4, 120 in all"."""
    if per_sheet <= 1 or not isinstance(copies, int):
        return None
    if copies == 1:
        return events.print_one_sheet.replace("{per}", str(per_sheet))
    return (
        events.print_sheets.replace("{sheets}", str(copies))
        .replace("{per}", str(per_sheet))
        .replace("{pieces}", str(copies * per_sheet))
    )
