"""What documents exist: layouts, formats, print options, document specs, and the template context of each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import __version__
from .content import VENUES, KnowledgeBase
from .errors import OptionError
from .pictograms import pictogram_alt, pictogram_uri
from .qr import QUIET_ZONE, make_qr
from .templates import french_spacing
from .theme import DEFAULT_THEME, Theme

if TYPE_CHECKING:
    from .events import Event

# Portrait sizes in millimetres.
FORMATS = {"A4": (210, 297), "A3": (297, 420), "A2": (420, 594)}
DEFAULT_FORMATS = ("A4", "A3")
LEVELS = ("standard", "falc")
SUMMARY = "summary"
RTL_LANGUAGES = ("ar", "he", "fa", "ur")

# Printed width of the QR symbol itself (quiet zone excluded): scan distance is about 10 times it.
QR_SYMBOL_MM = {"A4": 32, "A3": 52, "A2": 72}
LEAFLET_QR_SYMBOL_MM = 26

ASSET_CREDITS = (
    "Fluent Emoji © Microsoft (MIT)",
    "Atkinson Hyperlegible © Braille Institute (SIL OFL)",
)
ARABIC_FONT_CREDIT = "Noto Sans Arabic © Google (SIL OFL)"
ARABIC_SCRIPT = ("ar", "fa", "ur")
EASY_TO_READ_CREDIT = "© European Easy-to-Read Logo: Inclusion Europe. More information at easy-to-read.eu"

PRINT_HINTS = {
    "A4": "A4 paper, portrait, actual size (100 %, no 'fit to page')",
    "A3": "A3 paper, portrait, actual size (100 %)",
    "A2": "A2 paper, portrait (print shop or plotter), actual size",
    "leaflet": "A4 paper, both sides, flip on the short edge, actual size; fold in three (roll fold)",
    "booklet": "A4 paper, portrait, actual size; one side or both sides (flip on the long edge)",
}


@dataclass(frozen=True)
class Branding:
    """Who gives the document out: the organisation's name, logo, contact, extra footer and credits."""

    name: str | None = None
    logo: Path | None = None
    contact: tuple[str, ...] = ()
    footer: str | None = None
    credits: str | None = None


@dataclass(frozen=True)
class RenderOptions:
    """How and for whom documents are printed: bleed, black and white, PDF/UA, FALC logo, branding, QR targets."""

    bleed_mm: float = 0.0
    bw: bool = False
    pdf_ua: bool = False
    falc_logo: Path | None = None
    base_theme: Theme = DEFAULT_THEME
    branding: Branding = Branding()
    qr_base: str | None = None
    qr_targets: tuple[tuple[str, str], ...] = ()
    track: bool = False               # event packs: utm_* campaign tags on QR addresses
    feedback_url: str | None = None   # event packs: the online feedback form, when the organiser has one

    def __post_init__(self):
        if not 0 <= self.bleed_mm <= 10:
            raise OptionError(f"--bleed {self.bleed_mm:g}: give a bleed between 0 and 10 mm (3 is usual).")

    @property
    def theme(self) -> Theme:
        return self.base_theme.black_and_white() if self.bw else self.base_theme

    def qr_link(self, link, question_id: str | None = None):
        """The QR target: the organisation's own address for this question or for all, else the content's."""
        from .content import Link

        targets = dict(self.qr_targets)
        url = targets.get(question_id) if question_id else None
        url = url or self.qr_base
        if not url:
            return link
        return Link(label=self.branding.name or url.split("/")[2], url=url, qr=True)

    def css(self) -> str:
        """Print settings as CSS, given to every document after the theme."""
        if not self.bleed_mm:
            return ""
        # Crop marks live in the bleed; the tinted paper runs into it so a cut slightly off shows no white edge.
        # Fold marks (leaflets) are drawn in the bleed too, outside the trim, at each fold.
        b = self.bleed_mm
        # A coloured panel at the sheet's edge (a leaflet cover) runs into the bleed as well.
        return (f"@page {{ bleed: {b:g}mm; marks: crop; background: var(--tint); }}\n"
                f".fold-mark {{ display: block; height: {b * 0.8:.2f}mm; }}\n"
                f".fold-mark.top {{ top: -{b:g}mm; }} .fold-mark.bottom {{ bottom: -{b:g}mm; }}\n"
                f".bleed-edge::before {{ content: ''; position: absolute; top: -{b:g}mm; bottom: -{b:g}mm; "
                f"inset-inline-end: -{b:g}mm; inset-inline-start: 0; background: inherit; z-index: -1; }}")


@dataclass(frozen=True)
class DocSpec:
    """One document to build: a layout at a level, in a language and format, about some questions."""

    layout: str
    lang: str
    format: str
    questions: tuple[str, ...]
    level: str = "standard"
    venue: str | None = None
    event: "Event | None" = None  # event packs: the event a document is made for (kit.events.Event)

    @property
    def name(self) -> str:
        if self.layout == "summary-poster":
            parts = ["poster", SUMMARY, self.format]
        elif self.layout == "poster":
            parts = ["poster", *self.questions, self.format]
        else:
            parts = [self.layout, self.format]
        if self.level != "standard":
            parts.insert(0, self.level)
        if self.venue:
            parts.append(self.venue)
        return "-".join(parts)

    @property
    def path(self) -> str:
        return f"{self.lang}/{self.name}.pdf"

    def describe(self) -> str:
        level = "FALC " if self.level == "falc" else ""
        if self.layout == "poster":
            return f"{level}poster '{self.questions[0]}' ({self.lang}, {self.format})"
        if self.layout == "summary-poster":
            return f"summary poster ({self.lang}, {self.format})"
        return f"{level}{self.layout} ({self.lang}, {self.format})"


@dataclass(frozen=True)
class Prepared:
    """A document's template context and the QR codes it carries."""

    context: dict
    title: str
    qr: list[dict]
    extra_roots: tuple[Path, ...] = field(default=())


@dataclass(frozen=True)
class Layout:
    name: str
    level: str
    template: str
    stylesheets: tuple[str, ...]
    pages: Callable[[DocSpec], int] | None
    formats: tuple[str, ...]
    prepare: Callable[[DocSpec, KnowledgeBase, RenderOptions], Prepared]
    advice: Callable[[DocSpec], str]
    format_sheet: bool = True
    tagged: bool = False

    def stylesheets_for(self, spec: DocSpec) -> list[str]:
        sheets = list(self.stylesheets)
        if self.format_sheet:
            sheets.append(f"css/format-{spec.format}.css")
        return sheets

    def print_hint(self, spec: DocSpec) -> str:
        return PRINT_HINTS.get(self.name, PRINT_HINTS[spec.format])


# --- context pieces ------------------------------------------------------------------------------


def _title(spec: DocSpec, text: str) -> str:
    """A document title exactly as the PDF metadata will carry it (French spacing in French)."""
    return french_spacing(text) if spec.lang == "fr" else text


def _doc(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions, title: str, subject: str) -> dict:
    brand = options.branding
    organisation = brand.name or kb.meta.organisation
    return {
        "lang": spec.lang,
        "dir": "rtl" if spec.lang in RTL_LANGUAGES else "ltr",
        "title": title,
        "subject": subject,
        "author": organisation,
        "organisation": organisation,
        "org": {"name": organisation, "logo": brand.logo.as_uri() if brand.logo else None,
                "contact": list(brand.contact), "footer": brand.footer, "credits": brand.credits,
                "branded": bool(brand.name or brand.contact or brand.footer)},
        "keywords": "données de santé, recherche, RGPD",
        "kit_version": __version__,
        "created": f"{kb.meta.date.isoformat()}T00:00:00+00:00",
        "format": spec.format,
        "level": spec.level,
        "bw": options.bw,
        "bleed": options.bleed_mm,
        "credits": " · ".join((*ASSET_CREDITS, *((ARABIC_FONT_CREDIT,) if spec.lang in ARABIC_SCRIPT else ()),
                                f"kit {__version__}", f"content {kb.meta.content_version}")),
    }


def tracked_url(url: str, spec: DocSpec, options: RenderOptions) -> str:
    """The address a QR code carries: with `--track`, tagged with the event's venue type and id (nothing personal)."""
    if options.track and spec.event is not None:
        from .events import utm

        return utm(url, spec.event)
    return url


def _qr(link, symbol_mm: float, labels, spec: DocSpec | None = None, options: RenderOptions | None = None) -> dict:
    """A QR code's image and words; its width makes the symbol (quiet zone excluded) ``symbol_mm`` wide."""
    url = tracked_url(link.url, spec, options) if spec is not None and options is not None else link.url
    code = make_qr(url)
    width = symbol_mm * code.modules / (code.modules - 2 * QUIET_ZONE)
    return {"src": code.data_uri, "url": url, "label": link.label,
            "alt": labels.qr_alt.replace("{url}", url), "width_mm": round(width, 2)}


def _picto(picto_id: str, lang: str, options: RenderOptions) -> dict:
    return {"src": pictogram_uri(picto_id, options.bw), "alt": pictogram_alt(picto_id, lang)}


def _venue_line(spec: DocSpec, kb: KnowledgeBase) -> str | None:
    return kb.shared.venues[spec.venue][spec.lang] if spec.venue else None


def _ideas(items, lang: str, options: RenderOptions) -> list[dict]:
    """FALC items: each sentence with the pictogram shown on its left."""
    return [{"text": item.text, "picto": _picto(item.picto, lang, options)} for item in items]


def _glossary_for(kb: KnowledgeBase, lang: str, texts: list[str]) -> list[dict]:
    """Glossary terms that appear in these texts (whole words, any case), explained in easy words."""
    found = []
    joined = " ".join(texts)
    for term in kb.shared.glossary:
        entry = term.translations.get(lang)
        if entry is None:
            continue
        pattern = r"(?<!\w)" + re.escape(entry.term) + r"s?(?!\w)"
        if re.search(pattern, joined, flags=re.IGNORECASE):
            found.append({"term": entry.term, "explanation": entry.easy})
    return found


def falc_badge(kb: KnowledgeBase, options: RenderOptions) -> tuple[dict, tuple[Path, ...]]:
    """The Easy-to-Read logo (only with named checkers and a user file), or the plain wording."""
    logo = options.falc_logo
    if logo is None:
        return {"logo": None, "checkers": list(kb.meta.falc_checked_by), "credit": None}, ()
    if not kb.meta.falc_checked_by:
        raise OptionError(
            "The Easy-to-Read logo may only be printed when people with intellectual disabilities checked the "
            "text: add their names to 'falc_checked_by' in kit.yaml, or leave out --falc-logo.")
    path = Path(logo).resolve()
    if not path.is_file():
        raise OptionError(f"--falc-logo: the file {logo} does not exist.")
    if path.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg"):
        raise OptionError(f"--falc-logo: {logo} must be an SVG, PNG or JPEG picture.")
    return {"logo": path.as_uri(), "checkers": list(kb.meta.falc_checked_by), "credit": EASY_TO_READ_CREDIT}, (path,)


# --- layouts -------------------------------------------------------------------------------------


def _prepare_poster(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> Prepared:
    question = kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{text.question} – {labels.campaign}")
    link = options.qr_link(text.qr_link, question.id)
    context = {
        "doc": _doc(spec, kb, options, title, text.hook),
        "labels": labels,
        "text": text,
        "question_id": question.id,
        "pictogram": _picto(question.pictogram, spec.lang, options),
        "qr": _qr(link, QR_SYMBOL_MM[spec.format], labels, spec, options),
        "venue_line": _venue_line(spec, kb),
    }
    return _with_qr(context, title)


def _prepare_campaign(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> Prepared:
    """The summary poster and the tri-fold leaflet: the campaign's summary, the questions, rights and one QR."""
    summary = kb.shared.summary[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{summary.title} – {labels.campaign}")
    link = options.qr_link(summary.qr_link)
    qr_mm = LEAFLET_QR_SYMBOL_MM if spec.layout == "leaflet" else QR_SYMBOL_MM[spec.format]
    context = {
        "doc": _doc(spec, kb, options, title, summary.hook),
        "labels": labels,
        "summary": summary,
        "rights": kb.shared.rights[spec.lang],
        "questions": _questions(spec, kb, options),
        "qr": _qr(link, qr_mm, labels, spec, options),
        "venue_line": _venue_line(spec, kb),
    }
    return _with_qr(context, title)


def _with_qr(context: dict, title: str, page: int = 1, roots: tuple[Path, ...] = ()) -> Prepared:
    """A prepared document whose one QR code (``context["qr"]``) is printed on ``page``."""
    return Prepared(context, title, [{"page": page, "url": context["qr"]["url"]}], roots)


def _questions(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> list[dict]:
    chosen = [q for q in kb.questions if q.id in spec.questions]
    return [{"id": q.id, "n": n, "total": len(chosen), "text": q.translations[spec.lang],
             "pictogram": _picto(q.pictogram, spec.lang, options)} for n, q in enumerate(chosen, start=1)]


def _falc_questions(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> list[dict]:
    """The questions with their Easy-to-Read ideas and the glossary words they use."""
    questions = _questions(spec, kb, options)
    for item in questions:
        item["ideas"] = _ideas(item["text"].falc, spec.lang, options)
        item["words"] = _glossary_for(kb, spec.lang, [item["text"].question, *(i["text"] for i in item["ideas"])])
    return questions


def _prepare_falc_leaflet(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> Prepared:
    pages = kb.shared.falc[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{pages.title} – {labels.falc}")
    link = options.qr_link(kb.shared.summary[spec.lang].qr_link)
    questions = _falc_questions(spec, kb, options)
    badge, roots = falc_badge(kb, options)
    context = {
        "doc": _doc(spec, kb, options, title, pages.title),
        "labels": labels,
        "pages": pages,
        "intro": _ideas(pages.intro, spec.lang, options),
        "end": _ideas(pages.end, spec.lang, options),
        "flap_question": questions[0] if questions else None,
        "inside_questions": questions[1:],
        "qr": _qr(link, LEAFLET_QR_SYMBOL_MM, labels, spec, options),
        "badge": badge,
    }
    return _with_qr(context, title, roots=roots)


def _prepare_falc_poster(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> Prepared:
    question = kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{text.question} – {labels.falc}")
    link = options.qr_link(text.qr_link, question.id)
    badge, roots = falc_badge(kb, options)
    ideas = _ideas(text.falc, spec.lang, options)
    context = {
        "doc": _doc(spec, kb, options, title, text.question),
        "labels": labels,
        "text": text,
        "pictogram": _picto(question.pictogram, spec.lang, options),
        "ideas": ideas,
        "words": _glossary_for(kb, spec.lang, [text.question, *(i["text"] for i in ideas)]),
        "qr": _qr(link, QR_SYMBOL_MM[spec.format], labels, spec, options),
        "badge": badge,
    }
    return _with_qr(context, title, roots=roots)


def _prepare_falc_booklet(spec: DocSpec, kb: KnowledgeBase, options: RenderOptions) -> Prepared:
    pages = kb.shared.falc[spec.lang]
    labels = kb.shared.labels[spec.lang]
    title = _title(spec, f"{pages.title} – {labels.falc}")
    link = options.qr_link(kb.shared.summary[spec.lang].qr_link)
    questions = _falc_questions(spec, kb, options)
    total = len(questions) + 2
    badge, roots = falc_badge(kb, options)
    context = {
        "doc": _doc(spec, kb, options, title, pages.title),
        "labels": labels,
        "pages": pages,
        "intro": _ideas(pages.intro, spec.lang, options),
        "end": _ideas(pages.end, spec.lang, options),
        "questions": questions,
        "page_labels": [labels.page.replace("{n}", str(n)).replace("{total}", str(total)) for n in range(1, total + 1)],
        "qr": _qr(link, QR_SYMBOL_MM["A4"], labels, spec, options),
        "badge": badge,
    }
    return _with_qr(context, title, page=total, roots=roots)


def _poster_advice(spec: DocSpec) -> str:
    formats = list(layout_for(spec).formats)
    bigger = formats[formats.index(spec.format) + 1] if spec.format in formats[:-1] else None
    if spec.level == "falc":
        what = "the FALC sentences of the question"
    elif spec.layout == "poster":
        what = "the question's answer ('short') or benefit"
    else:
        what = "the summary intro or the hooks"
    return f"Shorten {what}" + (f", or print it in {bigger} (--format {bigger})." if bigger else ".")


def _panel_advice(spec: DocSpec) -> str:
    return "Shorten the texts named for that panel."


def _booklet_advice(spec: DocSpec) -> str:
    return "Shorten or split the FALC sentences of the page named."


_POSTER_CSS = ("css/fonts.css", "css/base.css", "css/poster.css")
_FALC_CSS = ("css/fonts.css", "css/base.css", "css/falc.css")

LAYOUTS: dict[tuple[str, str], Layout] = {
    ("poster", "standard"): Layout("poster", "standard", "poster.html", _POSTER_CSS, lambda s: 1,
                                   tuple(FORMATS), _prepare_poster, _poster_advice),
    ("summary-poster", "standard"): Layout("summary-poster", "standard", "summary-poster.html", _POSTER_CSS,
                                           lambda s: 1, tuple(FORMATS), _prepare_campaign, _poster_advice),
    ("leaflet", "standard"): Layout("leaflet", "standard", "leaflet.html", ("css/fonts.css", "css/base.css", "css/leaflet.css"),
                                    lambda s: 2, ("A4",), _prepare_campaign, _panel_advice, format_sheet=False),
    ("poster", "falc"): Layout("poster", "falc", "falc/poster.html", (*_FALC_CSS, "css/falc-poster.css"), lambda s: 1,
                               ("A4", "A3"), _prepare_falc_poster, _poster_advice, tagged=True),
    ("leaflet", "falc"): Layout("leaflet", "falc", "falc/leaflet.html", (*_FALC_CSS, "css/leaflet.css", "css/falc-leaflet.css"),
                                lambda s: 2, ("A4",), _prepare_falc_leaflet, _panel_advice, format_sheet=False, tagged=True),
    ("booklet", "falc"): Layout("booklet", "falc", "falc/booklet.html", (*_FALC_CSS, "css/falc-booklet.css"),
                                lambda s: len(s.questions) + 2, ("A4",), _prepare_falc_booklet, _booklet_advice, tagged=True),
}


def _register_pack_layouts() -> None:
    """The event-pack layouts live in kit.packdocs; they join the same registry."""
    from .packdocs import PACK_LAYOUTS

    LAYOUTS.update(PACK_LAYOUTS)


def layout_for(spec: DocSpec) -> Layout:
    try:
        return LAYOUTS[(spec.layout, spec.level)]
    except KeyError:
        raise OptionError(f"There is no {spec.level} {spec.layout} layout.") from None


# --- options and the default kit ------------------------------------------------------------------


def parse_list(value: str | list[str] | tuple[str, ...] | None, allowed: list[str], what: str, default) -> list[str]:
    """Split a comma-separated option and check every item, naming the bad ones and the choices."""
    if value is None:
        value = default  # defaults (from kit.toml) are checked like a value given on the command line
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


def default_specs(kb: KnowledgeBase, langs: list[str], formats: list[str], venue: str | None = None,
                  levels: tuple[str, ...] = LEVELS) -> list[DocSpec]:
    """The default kit: posters, summary posters and leaflets; FALC booklets, posters and leaflets."""
    specs = []
    everything = tuple(kb.question_ids)
    summary = tuple(kb.summary_ids)
    for lang in langs:
        if "standard" in levels:
            for fmt in formats:
                for question in kb.questions:
                    specs.append(DocSpec("poster", lang, fmt, (question.id,), venue=venue))
                specs.append(DocSpec("summary-poster", lang, fmt, summary, venue=venue))
            specs.append(DocSpec("leaflet", lang, "A4", summary, venue=venue))
        if "falc" in levels:
            specs.append(DocSpec("booklet", lang, "A4", everything, level="falc"))
            for fmt in formats:
                if fmt in LAYOUTS[("poster", "falc")].formats:
                    for question in kb.questions:
                        specs.append(DocSpec("poster", lang, fmt, (question.id,), level="falc"))
            specs.append(DocSpec("leaflet", lang, "A4", summary, level="falc"))
    return specs


_register_pack_layouts()
