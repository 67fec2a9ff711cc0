"""The event-pack layouts: Café IA poster, invitation flyers, facilitator guide, advisor memo, feedback form, print sheet.

Each layout joins kit.documents.LAYOUTS (keys ``(name, "standard")``). Event documents (poster, invitation,
print sheet) need ``DocSpec.event``; the guide, the memo and the feedback form are the same for every event of
a language and use the event only for --track tags on QR codes.

The print sheet's table comes from ``PRINT_ROWS[event.id]`` (filled by the pack builder before rendering):
``[{"title": str, "paper": str, "copies": int | None, "sides": str, "file": str (optional)}]``; ``sides`` may be
one of ``SIDES_KEYS`` (printed in the document's language) or any text (printed as given); ``copies`` None
prints the event's copies; ``file`` (the PDF's path in the pack) is printed small under the title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

from markupsafe import Markup

# PACK_LAYOUTS exists before kit.documents is imported, so that importing this module first works too.
PACK_LAYOUTS: dict = {}

from .documents import (  # noqa: E402  (kit.documents imports this module at its very end)
    LAYOUTS,
    PRINT_HINTS,
    QR_SYMBOL_MM,
    DocSpec,
    Layout,
    Prepared,
    RenderOptions,
    _doc,
    _qr,
    _title,
)
from .errors import OptionError  # noqa: E402

# The print sheet: rows per event id, filled by the pack builder before rendering.
PRINT_ROWS: dict[str, list[dict]] = {}
# Values of a row's "sides" printed in the document's language (EventTexts fields).
SIDES_KEYS = ("one_side", "two_sides_short", "two_sides_long")
# How each layout of a pack is printed (a suggestion for the print sheet's rows).
SIDES = {"leaflet": "two_sides_short", "booklet": "two_sides_long", "guide": "two_sides_long"}

INVITATION_QR_SYMBOL_MM = 22
FEEDBACK_QR_SYMBOL_MM = 26

PACK_HINTS = {
    "invitation": "A4 paper (160 g/m² or more if you can), one side, actual size; cut into four A6 flyers along the dashed lines",
    "guide": "A4 paper, both sides, flip on the long edge, actual size",
    "memo": PRINT_HINTS["A4"],
    "feedback": PRINT_HINTS["A4"],
    "print-sheet": PRINT_HINTS["A4"],
}


def print_sheet_rows(spec: DocSpec) -> list[dict]:
    """The rows of the print sheet of ``spec.event`` (empty until the pack builder fills PRINT_ROWS)."""
    if spec.event is None:
        return []
    return list(PRINT_ROWS.get(spec.event.id, []))


# --- dates, times and places in words ------------------------------------------------------------

_DAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
NBSP = "\u00a0"


def date_words(day: dt.date, lang: str) -> str:
    """'jeudi 26 mars 2026', 'Thursday 26 March 2026'; ISO (2026-03-26) in other languages."""
    if lang == "fr":
        number = "1er" if day.day == 1 else str(day.day)
        return f"{_DAYS['fr'][day.weekday()]} {number} {_MONTHS['fr'][day.month - 1]} {day.year}"
    if lang == "en":
        return f"{_DAYS['en'][day.weekday()]} {day.day} {_MONTHS['en'][day.month - 1]} {day.year}"
    return day.isoformat()


def _clock(moment: dt.time, lang: str) -> str:
    if lang == "fr":
        return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")
    if lang == "en":
        return f"{(moment.hour % 12) or 12}:{moment.minute:02d}{NBSP}{'am' if moment.hour < 12 else 'pm'}"
    return moment.strftime("%H:%M")


def time_words(start: dt.time | None, end: dt.time | None, lang: str) -> str | None:
    """'18 h 30 – 20 h' (fr), '6:30 pm – 8:00 pm' (en), '18:30–20:00' (others); None without a start."""
    if start is None:
        return None
    if end is None:
        return _clock(start, lang)
    dash = f"{NBSP}– " if lang in ("fr", "en") else "–"
    return f"{_clock(start, lang)}{dash}{_clock(end, lang)}"


def event_details(event, lang: str) -> dict:
    """An event's fields as printed: date and time in words, place lines. Values stay plain text (autoescaped)."""
    town = " ".join(part for part in (event.postcode, event.city) if part)
    return {
        "id": event.id,
        "venue_name": event.venue_name,
        "address": event.address,
        "town": town or None,
        "place_lines": [line for line in (event.address, town) if line],
        "date": date_words(event.date, lang),
        "time": time_words(event.start_time, event.end_time, lang),
        "contact": event.contact,
        "copies": event.copies,
    }


def _need_event(spec: DocSpec, what: str):
    if spec.event is None:
        raise OptionError(f"The {what} is made for one event: build it with `kit pack EVENTS.csv` "
                          f"(a DocSpec with event=...).")
    return spec.event


def _chosen(spec: DocSpec, kb, default_ids: list[str]) -> list:
    """The spec's questions in the knowledge base's order (``default_ids`` when the spec names none)."""
    ids = spec.questions or tuple(default_ids)
    return [q for q in kb.questions if q.id in ids]


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


# --- layouts ---------------------------------------------------------------------------------------


def _summary_link(spec: DocSpec, kb, options: RenderOptions):
    return options.qr_link(kb.shared.summary[spec.lang].qr_link)


def _prepare_event_poster(spec: DocSpec, kb, options: RenderOptions) -> Prepared:
    event = _need_event(spec, "Café IA event poster")
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    details = event_details(event, spec.lang)
    title = _title(spec, f"{events.cafe_title} – {event.venue_name}, {details['date']}")
    qr = _qr(_summary_link(spec, kb, options), QR_SYMBOL_MM[spec.format], labels, spec, options)
    context = {
        "doc": _doc(spec, kb, options, title, events.invitation_title),
        "labels": labels,
        "events": events,
        "event": details,
        "qr": qr,
    }
    return Prepared(context, title, [{"page": 1, "url": qr["url"]}])


def _prepare_invitation(spec: DocSpec, kb, options: RenderOptions) -> Prepared:
    event = _need_event(spec, "invitation")
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    details = event_details(event, spec.lang)
    title = _title(spec, f"{events.invitation_title} – {event.venue_name}, {details['date']}")
    qr = _qr(_summary_link(spec, kb, options), INVITATION_QR_SYMBOL_MM, labels, spec, options)
    context = {
        "doc": _doc(spec, kb, options, title, events.invitation),
        "labels": labels,
        "events": events,
        "event": details,
        "qr": qr,
        "flyers": 4,
    }
    return Prepared(context, title, [{"page": 1, "url": qr["url"]} for _ in range(4)])


def _numbered(questions: list, lang: str, labels) -> list[dict]:
    total = len(questions)
    return [{"id": q.id, "n": n, "text": q.translations[lang],
             "label": labels.question_n.replace("{n}", str(n)).replace("{total}", str(total))}
            for n, q in enumerate(questions, start=1)]


def _prepare_guide(spec: DocSpec, kb, options: RenderOptions) -> Prepared:
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{events.guide_title} – {labels.campaign}")
    questions = _numbered(_chosen(spec, kb, kb.question_ids), spec.lang, labels)
    link_groups = [{"title": q["text"].question, "links": list(q["text"].links)} for q in questions]
    seen = {link.url for q in questions for link in q["text"].links}
    rights = kb.shared.rights[spec.lang]
    rights_links = [link for link in rights.links if link.url not in seen]
    if rights_links:
        link_groups.append({"title": rights.title, "links": rights_links})
    context = {
        "doc": _doc(spec, kb, options, title, events.guide_intro),
        "labels": labels,
        "events": events,
        "questions": questions,
        "plan_minutes": sum(step.minutes for step in events.plan),
        "link_groups": link_groups,
        "page_css": page_number_css(labels.page),
    }
    return Prepared(context, title, [])


def _prepare_memo(spec: DocSpec, kb, options: RenderOptions) -> Prepared:
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{events.memo_title} – {labels.campaign}")
    context = {
        "doc": _doc(spec, kb, options, title, events.memo_intro),
        "labels": labels,
        "events": events,
        "questions": _numbered(_chosen(spec, kb, kb.question_ids), spec.lang, labels),
        "rights": kb.shared.rights[spec.lang],
    }
    return Prepared(context, title, [])


def _prepare_feedback(spec: DocSpec, kb, options: RenderOptions) -> Prepared:
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{events.feedback_title} – {labels.campaign}")
    qr = None
    if options.feedback_url:
        link = SimpleNamespace(label=events.feedback_title, url=options.feedback_url)
        qr = _qr(link, FEEDBACK_QR_SYMBOL_MM, labels, spec, options)
    context = {
        "doc": _doc(spec, kb, options, title, events.feedback_intro),
        "labels": labels,
        "events": events,
        "questions": _numbered(_chosen(spec, kb, kb.summary_ids), spec.lang, labels),
        "qr": qr,
    }
    return Prepared(context, title, [{"page": 1, "url": qr["url"]}] if qr else [])


def _prepare_print_sheet(spec: DocSpec, kb, options: RenderOptions) -> Prepared:
    event = _need_event(spec, "print sheet")
    events = kb.shared.events[spec.lang]
    labels = kb.shared.labels[spec.lang]
    details = event_details(event, spec.lang)
    title = _title(spec, f"{events.print_title} – {event.venue_name}, {details['date']}")
    # The sheet's band names the campaign already: a title's " – <campaign>" ending is left out.
    endings = tuple(f" – {kb.shared.labels[lang].campaign}" for lang in kb.shared.labels)
    rows = []
    for row in print_sheet_rows(spec):
        name = str(row.get("title") or "")
        for ending in endings:
            if name.endswith(ending) and len(name) > len(ending):
                name = name[: -len(ending)]
                break
        sides = row.get("sides") or ""
        copies = row.get("copies")
        rows.append({
            "title": name,
            "paper": row.get("paper") or "",
            "copies": copies if copies is not None else (event.copies if event.copies is not None else "—"),
            "sides": getattr(events, sides) if sides in SIDES_KEYS else sides,
            "file": row.get("file") or None,
        })
    context = {
        "doc": _doc(spec, kb, options, title, events.print_intro),
        "labels": labels,
        "events": events,
        "event": details,
        "rows": rows,
    }
    return Prepared(context, title, [])


# --- advice: what to shorten -----------------------------------------------------------------------


def _event_poster_advice(spec: DocSpec) -> str:
    bigger = " or print it in A3 (--format A3)" if spec.format == "A4" else ""
    return ("Shorten the venue name, address or contact in the spreadsheet, or the Café IA texts in shared.yaml "
            f"(cafe_title, cafe_expect, free_entry){bigger}.")


def _invitation_advice(spec: DocSpec) -> str:
    return ("Shorten invitation_title or invitation in shared.yaml, or the venue name and address in the "
            "spreadsheet: each flyer is A6.")


def _guide_advice(spec: DocSpec) -> str:
    return "Shorten the guide texts (guide_intro, plan) or a question's detail, prompts or misconceptions."


def _memo_advice(spec: DocSpec) -> str:
    return ("Shorten the advisor answers ('advisor' of each question), memo_intro, memo_more or memo_object: "
            "the memo is one page and holds about four questions.")


def _feedback_advice(spec: DocSpec) -> str:
    return ("Shorten feedback_intro or the questions: the feedback form is one page and holds about four "
            "questions.")


def _print_sheet_advice(spec: DocSpec) -> str:
    return "Shorten the document titles, or put fewer documents in the pack: the print sheet is one page."


# --- registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackLayout(Layout):
    """A layout of the event packs: the same as any layout, with its own printing hint."""

    hint: str | None = None

    def print_hint(self, spec: DocSpec) -> str:
        return self.hint or super().print_hint(spec)


def _one_page(spec: DocSpec) -> int:
    return 1


_BASE = ("css/fonts.css", "css/base.css")

PACK_LAYOUTS.update({
    ("event-poster", "standard"): PackLayout(
        "event-poster", "standard", "pack/event-poster.html", (*_BASE, "css/pack-poster.css"),
        _one_page, ("A4", "A3"), _prepare_event_poster, _event_poster_advice),
    ("invitation", "standard"): PackLayout(
        "invitation", "standard", "pack/invitation.html", (*_BASE, "css/pack-invitation.css"),
        _one_page, ("A4",), _prepare_invitation, _invitation_advice, format_sheet=False,
        hint=PACK_HINTS["invitation"]),
    ("guide", "standard"): PackLayout(
        "guide", "standard", "pack/guide.html", (*_BASE, "css/pack-doc.css", "css/pack-guide.css"),
        lambda spec: None, ("A4",), _prepare_guide, _guide_advice, hint=PACK_HINTS["guide"]),
    ("memo", "standard"): PackLayout(
        "memo", "standard", "pack/memo.html", (*_BASE, "css/pack-doc.css", "css/pack-memo.css"),
        _one_page, ("A4",), _prepare_memo, _memo_advice, hint=PACK_HINTS["memo"]),
    ("feedback", "standard"): PackLayout(
        "feedback", "standard", "pack/feedback.html", (*_BASE, "css/pack-doc.css", "css/pack-feedback.css"),
        _one_page, ("A4",), _prepare_feedback, _feedback_advice, hint=PACK_HINTS["feedback"]),
    ("print-sheet", "standard"): PackLayout(
        "print-sheet", "standard", "pack/print-sheet.html", (*_BASE, "css/pack-doc.css", "css/pack-print-sheet.css"),
        _one_page, ("A4",), _prepare_print_sheet, _print_sheet_advice, hint=PACK_HINTS["print-sheet"]),
})

# When this module is imported before kit.documents, documents registered an empty dict: register again.
LAYOUTS.update(PACK_LAYOUTS)
