"""Pieces every template context is made of: document metadata, pictograms, QR codes, glossary, FALC badge."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..addresses import SitePages, printed, with_placement
from ..content import Link
from ..errors import FitError
from ..locales import date_words, time_words, typeset
from ..pictograms import pictogram_alt, pictogram_uri
from ..project import falc_logo_file
from ..qr import QUIET_ZONE, link_length, make_qr, qr_capacity
from ..version import __version__

if TYPE_CHECKING:
    from ..events import Event
    from ..project import Project
    from ..specs import DocSpec

# The pictograms' licence (MIT) asks for the copyright notice; the fonts' (SIL OFL) only for their name.
ASSET_CREDITS = (
    "Fluent Emoji © Microsoft (MIT)",
    "Atkinson Hyperlegible (SIL OFL)",
)
UNREVIEWED_NOTE = "Translation not yet checked by a native speaker."  # when a language's labels give none
EASY_TO_READ_CREDIT = "© European Easy-to-Read Logo: Inclusion Europe. More information at easy-to-read.eu"


@dataclass(frozen=True)
class Prepared:
    """A document's template context, its title, the QR codes it carries and files it may read."""

    context: dict
    title: str
    qr: list[dict]
    extra_roots: tuple[Path, ...] = field(default=())
    manifest: dict = field(default_factory=dict)  # what the manifest says besides: links, alt text, post text


def title(spec: DocSpec, project: Project, text: str) -> str:
    """A document title exactly as the PDF metadata will carry it (with its language's spacing)."""
    return typeset(text, project.locale(spec.lang).typography)


def doc_info(spec: DocSpec, project: Project, title: str, subject: str) -> dict:
    """``doc`` in every template: language, direction, title, metadata, organisation, credits."""
    kb, options = project.kb, project.options
    locale = project.locale(spec.lang)
    brand = options.branding.in_lang(spec.lang)
    organisation = brand.name or publisher(spec, project)
    # Unsigned by kit.toml, a document is signed by the campaign and reached at its address (the site's home page,
    # else the summary's link): a tool's name means nothing to the reader.
    contact = list(brand.contact) or ([] if brand.name else [printed(summary_link(spec, project).url)])
    return {
        "lang": spec.lang,
        "dir": locale.dir,
        "typography": locale.typography,
        "title": title,
        "subject": subject,
        "author": organisation,
        "organisation": organisation,
        "org": {
            "name": organisation,
            "logo": brand.logo.as_uri() if brand.logo else None,
            "contact": contact,
            "footer": brand.footer,
            "credits": brand.credits,
            "branded": bool(brand.name or brand.contact or brand.footer),
        },
        "keywords": kb.meta.keywords,
        "kit_version": __version__,
        "created": f"{kb.meta.date.isoformat()}T00:00:00+00:00",
        "format": spec.format,
        "level": spec.level,
        "bw": options.bw,
        "bleed": options.bleed_mm,
        "credits": " · ".join(
            (*ASSET_CREDITS, *locale.font_credits, f"kit {__version__} ({kb.meta.content_version})")
        ),
        "review_note": review_note(spec.lang, project),
    }


def review_note(lang: str, project: Project) -> str | None:
    """The small print of a language nobody has reviewed yet (kit.yaml language_review), in that language."""
    kb = project.kb
    if kb.reviewed(lang):
        return None
    labels = kb.shared.labels.get(lang)
    return (labels.unreviewed if labels is not None else None) or UNREVIEWED_NOTE


def publisher(spec: DocSpec, project: Project) -> str:
    """Who publishes an unbranded document: the knowledge base's organisation when its content names one, else
    the campaign, in the document's language (never the tool's name)."""
    from ..content import Meta

    name = project.kb.meta.organisation
    if name == Meta.model_fields["organisation"].default:
        return project.kb.shared.labels[spec.lang].campaign
    return name


def qr_target(spec: DocSpec, project: Project, fallback: Link, question_id: str | None = None) -> Link:
    """Where a document's QR code leads: kit.toml's address for the question ([qr.targets]) or for all ([qr]
    base_url); else the companion site's page ([site] base_url): the question's page, or the home page, at the
    document's level (Easy-to-Read documents lead to the Easy-to-Read pages); else the content's own link."""
    options = project.options
    url = dict(options.qr_targets).get(question_id) if question_id else None
    url = url or options.qr_base
    if url:
        return Link(label=options.branding.name or url.split("/")[2], url=url, qr=True)
    if options.site_base:
        pages, words = SitePages(project.kb), project.kb.shared.site[spec.lang]
        easy = spec.level == "falc"
        if question_id:
            path, label = (
                pages.question(question_id, spec.lang, spec.level),
                words.qr_easy if easy else words.qr_question,
            )
        else:
            path, label = pages.home(spec.lang, spec.level), words.qr_easy if easy else words.qr_home
        return Link(label=label, url=options.site_base + path, qr=True)
    return fallback


class QrBlock(dict):
    """A QR code's words and picture for a template. The picture (`src`, `width_mm`) is encoded only when a
    template uses it: titles and print-sheet rows are made without encoding any QR code."""

    def __init__(self, payload: str, symbol_mm: float, **words):
        super().__init__(url=payload, symbol_mm=round(symbol_mm, 2), **words)
        self._symbol_mm = symbol_mm

    def __missing__(self, key):
        if key not in ("src", "width_mm", "quiet_mm"):
            raise KeyError(key)
        code = make_qr(self["url"])
        self["src"] = code.data_uri
        module = self._symbol_mm / (code.modules - 2 * QUIET_ZONE)
        self["width_mm"] = round(module * code.modules, 2)
        self["quiet_mm"] = round(module * QUIET_ZONE, 2)
        return self[key]


def qr_block(link, symbol_mm: float, labels, spec: DocSpec, project: Project) -> QrBlock:
    """A QR code's image and words; its width makes the symbol (quiet zone excluded) ``symbol_mm`` wide.

    ``url`` is what the code carries (with the document's placement code when tracking), ``address`` the clean
    address printed beside it and named in the alternative text (``link.address`` when the link has one: the
    feedback form's code carries the event's code, its printed address does not).
    """
    payload = with_placement(link.url, spec.placement)
    address = getattr(link, "address", None) or link.url
    limit = qr_capacity(symbol_mm)
    if (
        link_length(payload) > limit
    ):  # kit check refuses such links for kit's layouts; a user layout may be smaller
        what = f"question '{spec.questions[0]}'" if len(spec.questions) == 1 else "the document"
        raise FitError(
            f"The QR code link of {what} ({spec.lang}) has {link_length(payload):,} characters: a QR code "
            f"{symbol_mm:g} mm wide (qr_mm of the layout, {spec.format}) is read reliably by phones only up "
            f"to {limit:,}. Link to a shorter address, or give the layout a bigger QR code (qr_mm)."
        )
    return QrBlock(
        payload,
        symbol_mm,
        address=address,
        label=link.label,
        alt=labels.qr_alt.replace("{url}", printed(address)),
    )


def one_qr(context: dict, title: str, page: int = 1, roots: tuple[Path, ...] = ()) -> Prepared:
    """A prepared document whose one QR code (``context["qr"]``) is printed on ``page``."""
    return Prepared(context, title, [qr_entry(context["qr"], page)], roots)


def qr_entry(qr: dict, page: int = 1) -> dict:
    """A QR code as the manifest lists it: its page, what it carries, the address printed beside it."""
    return {"page": page, "url": qr["url"], "address": qr["address"]}


def picto(picto_id: str, lang: str, project: Project) -> dict:
    return {"src": pictogram_uri(picto_id, project.options.bw), "alt": pictogram_alt(picto_id, lang)}


def venue_line(spec: DocSpec, project: Project) -> str | None:
    return project.venue(spec.venue).line[spec.lang] if spec.venue else None


def ideas(items, lang: str, project: Project, count: int | None = None) -> list[dict]:
    """FALC items: each sentence with the pictogram shown on its left ({n} in a sentence: ``count``, how many
    questions the document holds)."""
    return [
        {
            "text": item.text.replace("{n}", str(count)) if count is not None else item.text,
            "picto": picto(item.picto, lang, project),
        }
        for item in items
    ]


def glossary_for(project: Project, lang: str, texts: list[str]) -> list[dict]:
    """Glossary terms that appear in these texts (whole words, any case), explained in easy words."""
    found = []
    joined = " ".join(texts)
    for term in project.kb.shared.glossary:
        entry = term.translations.get(lang)
        if entry is None:
            continue
        if re.search(r"[\u3400-\u9fff]", entry.term):  # Chinese is written without spaces: no word boundaries
            pattern = re.escape(entry.term)
        else:
            pattern = r"(?<!\w)" + re.escape(entry.term) + r"s?(?!\w)"
        if re.search(pattern, joined, flags=re.IGNORECASE):
            found.append({"term": entry.term, "explanation": entry.easy})
    return found


def falc_label(spec: DocSpec, project: Project) -> str:
    """The Easy-to-Read label: "Facile à lire et à comprendre" only once named people checked the text
    (kit.yaml falc_checked_by); until then, that it follows the rules but is not checked yet."""
    labels = project.kb.shared.labels[spec.lang]
    return labels.falc if project.kb.meta.falc_checked_by else labels.falc_unchecked


def falc_badge(project: Project, spec: DocSpec | None = None) -> tuple[dict, tuple[Path, ...]]:
    """The Easy-to-Read logo (only with named checkers and a user file), or the plain wording."""
    kb = project.kb
    text = falc_label(spec, project) if spec is not None else None
    path = falc_logo_file(kb, project.options.falc_logo)
    if path is None:
        return {"logo": None, "text": text, "checkers": list(kb.meta.falc_checked_by), "credit": None}, ()
    return {
        "logo": path.as_uri(),
        "text": text,
        "checkers": list(kb.meta.falc_checked_by),
        "credit": EASY_TO_READ_CREDIT,
    }, (path,)


def chosen(spec: DocSpec, project: Project, default_ids: list[str] | None = None) -> list:
    """The spec's questions in the knowledge base's order (``default_ids`` when the spec names none)."""
    ids = spec.questions or tuple(default_ids or ())
    # A partial language may lack a question a user added: its documents leave it out.
    return [q for q in project.kb.questions if q.id in ids and spec.lang in q.translations]


def questions(spec: DocSpec, project: Project) -> list[dict]:
    """The spec's questions, numbered, with their texts and pictograms."""
    picked = chosen(spec, project)
    return [
        {
            "id": q.id,
            "n": n,
            "total": len(picked),
            "text": q.translations[spec.lang],
            "pictogram": picto(q.pictogram, spec.lang, project),
        }
        for n, q in enumerate(picked, start=1)
    ]


def falc_questions(spec: DocSpec, project: Project) -> list[dict]:
    """The questions with their Easy-to-Read ideas and the glossary words they use."""
    found = questions(spec, project)
    for item in found:
        item["ideas"] = ideas(item["text"].falc, spec.lang, project, len(found))
        item["words"] = glossary_for(
            project, spec.lang, [item["text"].question, *(i["text"] for i in item["ideas"])]
        )
    return found


def summary_link(spec: DocSpec, project: Project) -> Link:
    """Where the documents about the whole campaign send their readers (the site's home page, when there is one)."""
    return qr_target(spec, project, project.kb.shared.summary[spec.lang].qr_link)


def event_details(event: Event, lang: str, project: Project) -> dict:
    """An event's fields as printed: date and time in words, place lines. Values stay plain text (autoescaped).
    (The event-pack documents print them, and the slides' title slide when made for one event.)"""
    locale = project.locale(lang)
    town = " ".join(part for part in (event.postcode, event.city) if part)
    return {
        "id": event.id,
        "venue_name": event.venue_name,
        "address": event.address,
        "town": town or None,
        "place_lines": [line for line in (event.address, town) if line],
        "date": date_words(event.date, locale),
        "time": time_words(event.start_time, event.end_time, locale),
        "contact": event.contact,
        "copies": event.copies,
    }
