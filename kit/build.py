"""Build documents into a folder: render each spec, write PDFs atomically, then catalogue and manifest."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .content import KnowledgeBase, load_content
from .documents import (
    DEFAULT_FORMATS,
    FORMATS,
    LAYOUTS,
    LEVELS,
    SUMMARY,
    Branding,
    DocSpec,
    RenderOptions,
    check_venue,
    default_specs,
    layout_for,
    parse_list,
)
from .config import Config
from .errors import BuildError, ConfigError, FitError, KitError, LayoutError, OptionError, Problem
from .files import atomic_write
from .render import Renderer, check_fit
from .resources import check_installed
from .templates import Layouts

log = logging.getLogger("kit")

Progress = Callable[[int, int, DocSpec], None]


@dataclass
class BuiltDocument:
    """A PDF written to disk, described as the manifest describes it."""

    spec: DocSpec
    title: str
    pages: int
    qr: list[dict]
    sha256: str
    print_hint: str = ""

    def entry(self) -> dict:
        return {
            "path": self.spec.path,
            "layout": self.spec.layout,
            "lang": self.spec.lang,
            "level": self.spec.level,
            "format": self.spec.format,
            "pages": self.pages,
            "questions": list(self.spec.questions),
            "qr": self.qr,
            "sha256": self.sha256,
            "title": self.title,
            "print": self.print_hint,
        }


@dataclass
class BuildResult:
    out_dir: Path
    documents: list[BuiltDocument] = field(default_factory=list)
    manifest: Path | None = None
    catalogue: Path | None = None


class Builder:
    """Renders document specs with one shared WeasyPrint set-up (fonts, CSS, images)."""

    def __init__(self, kb: KnowledgeBase, layouts: Layouts, options: RenderOptions | None = None, reuse: bool = True):
        self.kb = kb
        self.options = options or RenderOptions()
        self._theme_css = (self.options.theme.css(),)     # before the layout's stylesheets
        self._options_css = (self.options.css(),)         # after them: print settings win
        self.layouts = layouts
        self.reuse = reuse
        self._renderer: Renderer | None = None

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            roots = [self.kb.root] + ([self.options.branding.logo] if self.options.branding.logo else [])
            self._renderer = Renderer(self.layouts, extra_roots=roots, reuse=self.reuse)
        return self._renderer

    def identifier(self, spec: DocSpec) -> str:
        """The PDF's fixed /ID: the same document gives the same bytes, however it was laid out."""
        event = spec.event.id if spec.event is not None else ""
        return f"{spec.path}|{event}|{self.kb.meta.content_version}"

    def render(self, spec: DocSpec) -> tuple[bytes, BuiltDocument]:
        layout = layout_for(spec)
        if spec.format not in layout.formats:
            raise OptionError(f"The {spec.describe()} does not exist: the {layout.name} comes in {', '.join(layout.formats)}.")
        prepared = layout.prepare(spec, self.kb, self.options)
        html = self.layouts.render(layout.template, prepared.context)
        self.renderer.allow(*prepared.extra_roots)
        tagged = layout.tagged or self.options.pdf_ua
        try:
            rendered = self.renderer.render(html, layout.stylesheets_for(spec), extra_css=self._theme_css,
                                            after_css=self._options_css, tagged=tagged)
        except AssertionError as exc:  # WeasyPrint's layout gives up on some overflowing grids
            raise FitError(f"The {spec.describe()}: the content could not be laid out on the page, "
                           f"most likely because it is too long. {layout.advice(spec)}") from exc
        check_fit(rendered, layout.pages(spec), f"The {spec.describe()}", layout.advice(spec))
        pdf = self.renderer.write_pdf(
            rendered, identifier=self.identifier(spec), tagged=tagged,
            variant="pdf/ua-1" if self.options.pdf_ua else None)
        return pdf, BuiltDocument(spec, prepared.title, rendered.pages, prepared.qr,
                                  hashlib.sha256(pdf).hexdigest(), layout.print_hint(spec))

    def build(self, spec: DocSpec, target: Path) -> BuiltDocument:
        pdf, built = self.render(spec)
        atomic_write(target, pdf)
        log.info("wrote %s (%d page%s)", target, built.pages, "s" if built.pages > 1 else "")
        return built


def _prepare(content_dir, layouts_dirs, options: RenderOptions | None = None,
             check: bool = True, config: Config | None = None) -> tuple[KnowledgeBase, Layouts]:
    """Load the content (refusing content that `kit check` finds errors in, unless ``check`` is off) and layouts.

    Folders given on the command line win; else those of kit.toml (its content/ and layouts/ folders).
    """
    check_installed()
    config = config or Config(None)
    if content_dir is None:
        content_dir = config.content_dir
    if not layouts_dirs and config.layouts_dir:
        layouts_dirs = [config.layouts_dir]
    kb = load_content(content_dir)
    unknown = [qid for qid in config.data.qr.targets if qid not in kb.question_ids]
    if unknown:
        raise ConfigError(f"{config.path}: [qr.targets] names unknown questions: {', '.join(unknown)}.", [
            config.problem(f"there is no question '{qid}' (known: {', '.join(kb.question_ids)})", ("qr", "targets", qid))
            for qid in unknown])
    options = options or RenderOptions()
    if options.falc_logo is not None:
        from .documents import falc_badge

        falc_badge(kb, options)  # the Easy-to-Read logo needs named checkers and a file: say why, up front
    if check:
        from .check import check_or_raise

        check_or_raise(kb=kb, theme=options.theme)
    return kb, Layouts([Path(d) for d in (layouts_dirs or [])])


def build_documents(builder: Builder, specs: list[DocSpec], out_dir: Path,
                    progress: Progress | None = None) -> tuple[list[BuiltDocument], list[Problem]]:
    """Build every spec; a document that fails is reported and the others are still built."""
    built, problems = [], []
    for index, spec in enumerate(specs, start=1):
        try:
            built.append(builder.build(spec, out_dir / spec.path))
        except (FitError, LayoutError, OptionError) as exc:
            log.info("not built: %s", exc)
            problems.append(Problem(str(exc)))
        if progress:
            progress(index, len(specs), spec)
    return built, problems


def write_thumbnail(pdf_path: Path, png_path: Path, width_px: int = 260) -> None:
    """Render the first page of a PDF as a small PNG for the catalogue."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[0]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        page.close()
    finally:
        pdf.close()
    atomic_write(png_path, buffer.getvalue())


def write_catalogue(layouts: Layouts, kb: KnowledgeBase, out_dir: Path, documents: list[BuiltDocument]) -> Path:
    """index.html: every document with a thumbnail of its first page, its format and the paper to use."""
    cards = []
    for doc in documents:
        thumb = f"thumbs/{doc.spec.lang}-{doc.spec.name}.png"
        write_thumbnail(out_dir / doc.spec.path, out_dir / thumb)
        cards.append({"doc": doc, "thumb": thumb, "print": doc.print_hint})
    langs = list(dict.fromkeys(card["doc"].spec.lang for card in cards))
    html = layouts.render("catalogue.html", {
        "kit_version": __version__,
        "content_version": kb.meta.content_version,
        "content_date": kb.meta.date.isoformat(),
        "sections": [{"lang": lang, "cards": [c for c in cards if c["doc"].spec.lang == lang]} for lang in langs],
    })
    return atomic_write(out_dir / "index.html", html)


def write_manifest(kb: KnowledgeBase, out_dir: Path, documents: list[BuiltDocument]) -> Path:
    manifest = {
        "kit_version": __version__,
        "content_version": kb.meta.content_version,
        "documents": [doc.entry() for doc in documents],
    }
    return atomic_write(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def build_set(specs: list[DocSpec], out_dir: str | Path, kb: KnowledgeBase, layouts: Layouts,
              options: RenderOptions | None = None, progress: Progress | None = None) -> BuildResult:
    """Build documents into ``out_dir`` with their catalogue and manifest.

    Every valid document is built; if some could not be, BuildError lists them after the rest is written.
    """
    out = Path(out_dir)
    builder = Builder(kb, layouts, options)
    documents, problems = build_documents(builder, specs, out, progress)
    result = BuildResult(out, documents)
    result.catalogue = write_catalogue(layouts, kb, out, documents)
    result.manifest = write_manifest(kb, out, documents)
    if problems:
        raise BuildError(
            f"{len(problems)} of {len(specs)} documents could not be built; the {len(documents)} others are in {out}.",
            problems)
    return result


def _options(bleed: float = 0.0, bw: bool = False, pdf_ua: bool = False, falc_logo=None,
             config: Config | None = None, track: bool | None = None) -> RenderOptions:
    """Print options from the command line, branding, colours and QR targets from kit.toml."""
    config = config or Config(None)
    data = config.data
    contact = tuple(v for v in (data.contact.phone, data.contact.email, data.contact.address, data.contact.hours) if v)
    branding = Branding(name=data.organisation.name, logo=config.logo, contact=contact,
                        footer=data.organisation.footer, credits=data.organisation.credits)
    return RenderOptions(bleed_mm=float(bleed or 0), bw=bw, pdf_ua=pdf_ua,
                         falc_logo=Path(falc_logo) if falc_logo else None, base_theme=config.theme(),
                         branding=branding, qr_base=data.qr.base_url, qr_targets=tuple(data.qr.targets.items()),
                         track=data.build.track if track is None else track, feedback_url=data.build.feedback_url)


def build_kit(out_dir: str | Path = "out", langs: str | list[str] | None = None, formats: str | list[str] | None = None,
              content_dir: str | Path | None = None, layouts_dirs: list[str | Path] | None = None,
              venue: str | None = None, progress: Progress | None = None, *, levels: str | list[str] | None = None,
              bleed: float = 0.0, bw: bool = False, pdf_ua: bool = False, falc_logo=None,
              check: bool = True, config: Config | None = None) -> BuildResult:
    """Build the default kit (every built-in document) into ``out_dir`` with its catalogue and manifest."""
    config = config or Config(None)
    options = _options(bleed, bw, pdf_ua, falc_logo, config)
    kb, layouts = _prepare(content_dir, layouts_dirs, options, check, config)
    build = config.data.build
    langs = parse_list(langs, kb.languages, "language", build.languages or kb.languages)
    formats = parse_list(formats, list(FORMATS), "format", build.formats or DEFAULT_FORMATS)
    levels = tuple(parse_list(levels, list(LEVELS), "level", LEVELS))
    venue = check_venue(venue or build.venue)
    return build_set(default_specs(kb, langs, formats, venue, levels), out_dir, kb, layouts, options, progress)


def build_falc(out_dir: str | Path = "out-falc", langs: str | list[str] | None = None,
               formats: str | list[str] | None = None, content_dir=None, layouts_dirs=None,
               progress: Progress | None = None, *, bleed: float = 0.0, bw: bool = False, pdf_ua: bool = False,
               falc_logo=None, check: bool = True, config: Config | None = None) -> BuildResult:
    """Build the Easy-to-Read (FALC) documents: booklet, a poster per question, leaflet."""
    return build_kit(out_dir, langs, formats, content_dir, layouts_dirs, None, progress, levels="falc",
                     bleed=bleed, bw=bw, pdf_ua=pdf_ua, falc_logo=falc_logo, check=check, config=config)


def _single(spec: DocSpec, out_file, kb, layouts, options) -> tuple[Path, BuiltDocument]:
    target = Path(out_file) if out_file else Path(f"{spec.lang}-{spec.name}.pdf")
    if target.suffix.lower() != ".pdf":
        raise OptionError(f"The output file {target} must end in .pdf.")
    return target, Builder(kb, layouts, options).build(spec, target)


def _one(value, allowed, what, default, example):
    items = parse_list(value, allowed, what, default)
    if len(items) != 1:
        raise OptionError(f"Give one {what} for a single document (for example {example}).")
    return items[0]


def build_poster(question: str, lang: str | None = None, format: str = "A4", venue: str | None = None,
                 out_file: str | Path | None = None, content_dir: str | Path | None = None,
                 layouts_dirs: list[str | Path] | None = None, *, level: str = "standard",
                 bleed: float = 0.0, bw: bool = False, pdf_ua: bool = False, falc_logo=None,
                 check: bool = True, config: Config | None = None) -> tuple[Path, BuiltDocument]:
    """Build one poster (a question id, or 'summary') and return where it was written."""
    config = config or Config(None)
    options = _options(bleed, bw, pdf_ua, falc_logo, config)
    kb, layouts = _prepare(content_dir, layouts_dirs, options, check, config)
    venue = venue or config.data.build.venue
    if question != SUMMARY and question not in kb.question_ids:
        raise OptionError(f"Unknown question '{question}'. Choose among: {', '.join([*kb.question_ids, SUMMARY])}.")
    lang = _one(lang, kb.languages, "language", kb.languages[:1], "--lang fr")
    fmt = _one(format, list(FORMATS), "format", ["A4"], "--format A3")
    level = _one(level, list(LEVELS), "level", ["standard"], "--level falc")
    venue = check_venue(venue)
    if question == SUMMARY:
        if level != "standard":
            raise OptionError("The summary poster has no FALC version: use `kit falc` for the FALC booklet.")
        spec = DocSpec("summary-poster", lang, fmt, tuple(kb.summary_ids), venue=venue)
    else:
        spec = DocSpec("poster", lang, fmt, (question,), level=level, venue=venue if level == "standard" else None)
    return _single(spec, out_file, kb, layouts, options)


def build_leaflet(lang: str | None = None, out_file: str | Path | None = None, content_dir=None, layouts_dirs=None,
                  *, level: str = "standard", venue: str | None = None, bleed: float = 0.0, bw: bool = False,
                  pdf_ua: bool = False, falc_logo=None, check: bool = True,
                  config: Config | None = None) -> tuple[Path, BuiltDocument]:
    """Build the tri-fold leaflet (standard or FALC) in one language."""
    config = config or Config(None)
    options = _options(bleed, bw, pdf_ua, falc_logo, config)
    kb, layouts = _prepare(content_dir, layouts_dirs, options, check, config)
    venue = venue or config.data.build.venue
    lang = _one(lang, kb.languages, "language", kb.languages[:1], "--lang fr")
    level = _one(level, list(LEVELS), "level", ["standard"], "--level falc")
    spec = DocSpec("leaflet", lang, "A4", tuple(kb.summary_ids), level=level,
                   venue=check_venue(venue) if level == "standard" else None)
    return _single(spec, out_file, kb, layouts, options)


def describe_kit(content_dir: str | Path | None = None) -> dict:
    """What `kit list` shows: questions, layouts, formats, languages, venues."""
    from .content import VENUES

    kb = load_content(content_dir)
    return {
        "questions": [(q.id, q.translations[kb.languages[0]].question) for q in kb.questions],
        "layouts": sorted({f"{name} ({level})" for name, level in LAYOUTS}),
        "formats": list(FORMATS),
        "languages": kb.languages,
        "venues": list(VENUES),
    }


__all__ = ["BuildResult", "BuiltDocument", "Builder", "KitError", "build_falc", "build_kit", "build_leaflet",
           "build_poster", "build_set", "describe_kit"]
