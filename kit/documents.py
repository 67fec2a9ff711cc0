"""What documents exist: layouts, formats, document specs, and the template context of each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import __version__
from .content import VENUES, KnowledgeBase
from .errors import OptionError
from .qr import QUIET_ZONE, make_qr
from .resources import pictogram_path
from .templates import french_spacing

# Portrait sizes in millimetres.
FORMATS = {"A4": (210, 297), "A3": (297, 420), "A2": (420, 594)}
DEFAULT_FORMATS = ("A4", "A3")
SUMMARY = "summary"

ASSET_CREDITS = (
    "Fluent Emoji © Microsoft (MIT)",
    "Atkinson Hyperlegible © Braille Institute (SIL OFL)",
)

# Printed width of the QR symbol itself (quiet zone excluded): scan distance is about 10 times it.
QR_SYMBOL_MM = {"A4": 32, "A3": 52, "A2": 72}

PRINT_HINTS = {
    "A4": "A4 paper, portrait, actual size (100 %, no 'fit to page')",
    "A3": "A3 paper, portrait, actual size (100 %)",
    "A2": "A2 paper, portrait (print shop or plotter), actual size",
}


@dataclass(frozen=True)
class DocSpec:
    """One document to build: a layout in a language and format, about some questions."""

    layout: str
    lang: str
    format: str
    questions: tuple[str, ...]
    level: str = "standard"
    venue: str | None = None

    @property
    def name(self) -> str:
        subject = SUMMARY if self.layout == "summary-poster" else "-".join(self.questions)
        parts = ["poster", subject, self.format] if self.layout in ("poster", "summary-poster") else [self.layout, subject, self.format]
        if self.venue:
            parts.append(self.venue)
        return "-".join(parts)

    @property
    def path(self) -> str:
        return f"{self.lang}/{self.name}.pdf"

    def describe(self) -> str:
        about = "summary" if self.layout == "summary-poster" else ", ".join(self.questions)
        return f"{self.layout} '{about}' ({self.lang}, {self.format})"


@dataclass(frozen=True)
class Prepared:
    """A document's template context and the QR codes it carries."""

    context: dict
    title: str
    qr: list[dict]


@dataclass(frozen=True)
class Layout:
    name: str
    template: str
    stylesheets: tuple[str, ...]
    pages: int | None
    formats: tuple[str, ...]
    prepare: Callable[[DocSpec, KnowledgeBase], Prepared]
    advice: Callable[[DocSpec], str]

    def stylesheets_for(self, spec: DocSpec) -> list[str]:
        return [*self.stylesheets, f"css/format-{spec.format}.css"]


def _title(spec: DocSpec, text: str) -> str:
    """A document title exactly as the PDF metadata will carry it (French spacing in French)."""
    return french_spacing(text) if spec.lang == "fr" else text


def _doc(spec: DocSpec, kb: KnowledgeBase, title: str, subject: str) -> dict:
    return {
        "lang": spec.lang,
        "dir": "rtl" if spec.lang in ("ar", "he", "fa", "ur") else "ltr",
        "title": title,
        "subject": subject,
        "author": kb.meta.organisation,
        "keywords": "données de santé, recherche, RGPD",
        "kit_version": __version__,
        "created": f"{kb.meta.date.isoformat()}T00:00:00+00:00",
        "format": spec.format,
        "credits": " · ".join((*ASSET_CREDITS, f"kit {__version__}", f"content {kb.meta.content_version}")),
    }


def _qr(link, fmt: str) -> dict:
    """A QR code's image and words; its width makes the symbol (quiet zone excluded) QR_SYMBOL_MM wide."""
    code = make_qr(link.url)
    width = QR_SYMBOL_MM[fmt] * code.modules / (code.modules - 2 * QUIET_ZONE)
    return {"src": code.data_uri, "url": link.url, "label": link.label, "alt": f"QR code: {link.url}",
            "width_mm": round(width, 2)}


def _venue_line(spec: DocSpec, kb: KnowledgeBase) -> str | None:
    return kb.shared.venues[spec.venue][spec.lang] if spec.venue else None


def _prepare_poster(spec: DocSpec, kb: KnowledgeBase) -> Prepared:
    question = kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{text.question} – {labels.campaign}")
    link = text.qr_link
    context = {
        "doc": _doc(spec, kb, title, text.hook),
        "labels": labels,
        "text": text,
        "question_id": question.id,
        "pictogram": pictogram_path(question.pictogram).as_uri(),
        "qr": _qr(link, spec.format),
        "venue_line": _venue_line(spec, kb),
    }
    return Prepared(context, title, [{"page": 1, "url": link.url}])


def _prepare_summary(spec: DocSpec, kb: KnowledgeBase) -> Prepared:
    summary = kb.shared.summary[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{summary.title} – {labels.campaign}")
    link = summary.qr_link
    questions = [
        {"id": q.id, "text": q.translations[spec.lang], "pictogram": pictogram_path(q.pictogram).as_uri()}
        for q in kb.questions if q.id in spec.questions
    ]
    context = {
        "doc": _doc(spec, kb, title, summary.hook),
        "labels": labels,
        "summary": summary,
        "questions": questions,
        "qr": _qr(link, spec.format),
        "venue_line": _venue_line(spec, kb),
    }
    return Prepared(context, title, [{"page": 1, "url": link.url}])


def _poster_advice(spec: DocSpec) -> str:
    formats = list(FORMATS)
    bigger = formats[formats.index(spec.format) + 1] if spec.format != formats[-1] else None
    what = "the question's answer ('short') or benefit" if spec.layout == "poster" else "the summary intro or the hooks"
    return f"Shorten {what}" + (f", or print it in {bigger} (--format {bigger})." if bigger else ".")


LAYOUTS: dict[str, Layout] = {
    "poster": Layout("poster", "poster.html", ("css/fonts.css", "css/base.css", "css/poster.css"),
                     1, tuple(FORMATS), _prepare_poster, _poster_advice),
    "summary-poster": Layout("summary-poster", "summary-poster.html",
                             ("css/fonts.css", "css/base.css", "css/poster.css"),
                             1, tuple(FORMATS), _prepare_summary, _poster_advice),
}


def parse_list(value: str | list[str] | tuple[str, ...] | None, allowed: list[str], what: str, default) -> list[str]:
    """Split a comma-separated option and check every item, naming the bad ones and the choices."""
    if value is None:
        return list(default)
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [item.strip() for item in items if item.strip()]
    canon = {a.lower(): a for a in allowed}
    bad = [item for item in items if item.lower() not in canon]
    if bad or not items:
        raise OptionError(f"Unknown {what}: {', '.join(bad) or '(none given)'}. Choose among: {', '.join(allowed)}.")
    return list(dict.fromkeys(canon[item.lower()] for item in items))


def check_venue(venue: str | None) -> str | None:
    if venue is not None and venue not in VENUES:
        raise OptionError(f"Unknown venue '{venue}'. Choose among: {', '.join(VENUES)}.")
    return venue


def default_specs(kb: KnowledgeBase, langs: list[str], formats: list[str], venue: str | None = None) -> list[DocSpec]:
    """The default kit: a poster per question and a summary poster, per language and format."""
    specs = []
    for lang in langs:
        for fmt in formats:
            for question in kb.questions:
                specs.append(DocSpec("poster", lang, fmt, (question.id,), venue=venue))
            specs.append(DocSpec("summary-poster", lang, fmt, tuple(kb.question_ids), venue=venue))
    return specs
