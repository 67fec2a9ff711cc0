"""Pieces every template context is made of: document metadata, pictograms, QR codes, glossary, FALC badge."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..content import Link
from ..errors import OptionError
from ..locales import typeset
from ..pictograms import pictogram_alt, pictogram_uri
from ..qr import QUIET_ZONE, make_qr
from ..version import __version__

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec

# The pictograms' licence (MIT) asks for the copyright notice; the fonts' (SIL OFL) only for their name.
ASSET_CREDITS = (
    "Fluent Emoji © Microsoft (MIT)",
    "Atkinson Hyperlegible (SIL OFL)",
)
EASY_TO_READ_CREDIT = "© European Easy-to-Read Logo: Inclusion Europe. More information at easy-to-read.eu"


@dataclass(frozen=True)
class Prepared:
    """A document's template context, its title, the QR codes it carries and files it may read."""

    context: dict
    title: str
    qr: list[dict]
    extra_roots: tuple[Path, ...] = field(default=())


def title(spec: "DocSpec", project: "Project", text: str) -> str:
    """A document title exactly as the PDF metadata will carry it (with its language's spacing)."""
    return typeset(text, project.locale(spec.lang).typography)


def doc_info(spec: "DocSpec", project: "Project", title: str, subject: str) -> dict:
    """``doc`` in every template: language, direction, title, metadata, organisation, credits."""
    kb, options = project.kb, project.options
    locale = project.locale(spec.lang)
    brand = options.branding.in_lang(spec.lang)
    organisation = brand.name or publisher(spec, project)
    return {
        "lang": spec.lang,
        "dir": locale.dir,
        "typography": locale.typography,
        "title": title,
        "subject": subject,
        "author": organisation,
        "organisation": organisation,
        "org": {"name": organisation, "logo": brand.logo.as_uri() if brand.logo else None,
                "contact": list(brand.contact), "footer": brand.footer, "credits": brand.credits,
                "branded": bool(brand.name or brand.contact or brand.footer)},
        "keywords": kb.meta.keywords,
        "kit_version": __version__,
        "created": f"{kb.meta.date.isoformat()}T00:00:00+00:00",
        "format": spec.format,
        "level": spec.level,
        "bw": options.bw,
        "bleed": options.bleed_mm,
        "credits": " · ".join((*ASSET_CREDITS, *locale.font_credits, f"kit {__version__} ({kb.meta.content_version})")),
    }


def publisher(spec: "DocSpec", project: "Project") -> str:
    """Who publishes an unbranded document: the knowledge base's organisation, or (when the content keeps kit's
    own default, a French name) in a document of another language, kit and the campaign's name in it."""
    from ..content import Meta

    name = project.kb.meta.organisation
    if name == Meta.model_fields["organisation"].default and spec.lang != "fr":
        campaign = project.kb.shared.labels[spec.lang].campaign
        return f"kit – {campaign[:1].lower()}{campaign[1:]}"
    return name


def tracked_url(url: str, spec: "DocSpec", project: "Project") -> str:
    """The address a QR code carries: with tracking, tagged with the event's venue type and id (nothing personal)."""
    if project.options.track and spec.event is not None:
        from ..events import utm

        return utm(url, spec.event)
    return url


def qr_block(link, symbol_mm: float, labels, spec: "DocSpec", project: "Project") -> dict:
    """A QR code's image and words; its width makes the symbol (quiet zone excluded) ``symbol_mm`` wide."""
    url = tracked_url(link.url, spec, project)
    code = make_qr(url)
    # The image holds the quiet zone too: its width follows from the payload's own module count.
    module = symbol_mm / (code.modules - 2 * QUIET_ZONE)
    return {"src": code.data_uri, "url": url, "label": link.label,
            "alt": labels.qr_alt.replace("{url}", url), "width_mm": round(module * code.modules, 2),
            "symbol_mm": round(symbol_mm, 2), "quiet_mm": round(module * QUIET_ZONE, 2)}


def one_qr(context: dict, title: str, page: int = 1, roots: tuple[Path, ...] = ()) -> Prepared:
    """A prepared document whose one QR code (``context["qr"]``) is printed on ``page``."""
    return Prepared(context, title, [{"page": page, "url": context["qr"]["url"]}], roots)


def picto(picto_id: str, lang: str, project: "Project") -> dict:
    return {"src": pictogram_uri(picto_id, project.options.bw), "alt": pictogram_alt(picto_id, lang)}


def venue_line(spec: "DocSpec", project: "Project") -> str | None:
    return project.venue(spec.venue).line[spec.lang] if spec.venue else None


def ideas(items, lang: str, project: "Project", count: int | None = None) -> list[dict]:
    """FALC items: each sentence with the pictogram shown on its left ({n} in a sentence: ``count``, how many
    questions the document holds)."""
    return [{"text": item.text.replace("{n}", str(count)) if count is not None else item.text,
             "picto": picto(item.picto, lang, project)} for item in items]


def glossary_for(project: "Project", lang: str, texts: list[str]) -> list[dict]:
    """Glossary terms that appear in these texts (whole words, any case), explained in easy words."""
    found = []
    joined = " ".join(texts)
    for term in project.kb.shared.glossary:
        entry = term.translations.get(lang)
        if entry is None:
            continue
        pattern = r"(?<!\w)" + re.escape(entry.term) + r"s?(?!\w)"
        if re.search(pattern, joined, flags=re.IGNORECASE):
            found.append({"term": entry.term, "explanation": entry.easy})
    return found


def falc_label(spec: "DocSpec", project: "Project") -> str:
    """The Easy-to-Read label: "Facile à lire et à comprendre" only once named people checked the text
    (kit.yaml falc_checked_by); until then, that it follows the rules but is not checked yet."""
    labels = project.kb.shared.labels[spec.lang]
    return labels.falc if project.kb.meta.falc_checked_by else labels.falc_unchecked


def falc_badge(project: "Project", spec: "DocSpec | None" = None) -> tuple[dict, tuple[Path, ...]]:
    """The Easy-to-Read logo (only with named checkers and a user file), or the plain wording."""
    kb, logo = project.kb, project.options.falc_logo
    text = falc_label(spec, project) if spec is not None else None
    if logo is None:
        return {"logo": None, "text": text, "checkers": list(kb.meta.falc_checked_by), "credit": None}, ()
    if not kb.meta.falc_checked_by:
        raise OptionError(
            "The Easy-to-Read logo may only be printed when people with intellectual disabilities checked the "
            "text: add their names to 'falc_checked_by' in kit.yaml, or leave out --falc-logo.")
    path = Path(logo).resolve()
    if not path.is_file():
        raise OptionError(f"--falc-logo: the file {logo} does not exist.")
    if path.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg"):
        raise OptionError(f"--falc-logo: {logo} must be an SVG, PNG or JPEG picture.")
    return {"logo": path.as_uri(), "text": text, "checkers": list(kb.meta.falc_checked_by),
            "credit": EASY_TO_READ_CREDIT}, (path,)


def chosen(spec: "DocSpec", project: "Project", default_ids: list[str] | None = None) -> list:
    """The spec's questions in the knowledge base's order (``default_ids`` when the spec names none)."""
    ids = spec.questions or tuple(default_ids or ())
    return [q for q in project.kb.questions if q.id in ids]


def questions(spec: "DocSpec", project: "Project") -> list[dict]:
    """The spec's questions, numbered, with their texts and pictograms."""
    picked = chosen(spec, project)
    return [{"id": q.id, "n": n, "total": len(picked), "text": q.translations[spec.lang],
             "pictogram": picto(q.pictogram, spec.lang, project)} for n, q in enumerate(picked, start=1)]


def falc_questions(spec: "DocSpec", project: "Project") -> list[dict]:
    """The questions with their Easy-to-Read ideas and the glossary words they use."""
    found = questions(spec, project)
    for item in found:
        item["ideas"] = ideas(item["text"].falc, spec.lang, project, len(found))
        item["words"] = glossary_for(project, spec.lang, [item["text"].question, *(i["text"] for i in item["ideas"])])
    return found


def summary_link(spec: "DocSpec", project: "Project") -> Link:
    """Where the documents about the whole campaign send their readers."""
    return project.options.qr_link(project.kb.shared.summary[spec.lang].qr_link)

