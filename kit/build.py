"""Build planned documents into a folder: context, template, channel, atomic write; then catalogue and manifest."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .context import Prepared, prepare
from .errors import BuildError, FitError, LayoutError, OptionError, OutputError, Problem
from .files import MANIFEST_NAME, OutputFolder, atomic_write
from .files import write_manifest as write_manifest_file
from .fonts import describe_missing, missing_glyphs
from .layouts import FORMATS
from .plan import Planned, kit_notes, plan_kit, plan_leaflet, plan_letter, plan_poster
from .version import __version__

if TYPE_CHECKING:
    from .project import Project

log = logging.getLogger("kit")

Progress = Callable[[int, int, str], None]  # (done, total, what is being made)


@dataclass
class BuiltDocument:
    """A document written to disk, described as the manifest describes it."""

    doc: Planned
    title: str
    pages: int
    qr: list[dict]
    sha256: str
    path: str = ""
    info: dict = field(
        default_factory=dict
    )  # what the context and the channel add: links, alt and post text...
    files: dict = field(
        default_factory=dict, repr=False
    )  # files written beside it (path from the output folder)

    def __post_init__(self):
        self.path = self.path or self.doc.path

    @property
    def spec(self):
        return self.doc.spec

    @property
    def print_hint(self) -> str:
        return self.doc.layout.print_hint(self.doc.spec)

    def entry(self) -> dict:
        spec = self.doc.spec
        entry = {
            "path": self.path,
            "channel": self.doc.layout.channel,
            "layout": spec.layout,
            "lang": spec.lang,
            "level": spec.level,
            "format": spec.format,
            "pages": self.pages,
            "questions": list(spec.questions),
            **({"story": spec.story} if spec.story else {}),
            "links": list(self.info.get("links") or dict.fromkeys(q["url"] for q in self.qr)),
            "qr": self.qr,
            "sha256": self.sha256,
            "title": self.title,
        }
        if self.doc.layout.channel == "pdf":
            entry["print"] = self.print_hint
        entry.update({key: value for key, value in self.info.items() if key != "links"})
        return entry


@dataclass
class BuildResult:
    out_dir: Path
    documents: list[BuiltDocument] = field(default_factory=list)
    manifest: Path | None = None
    catalogue: Path | None = None
    notes: list[str] = field(default_factory=list)


SITE_NOTE = (
    "The QR codes lead to other organisations' web pages (CNIL, Health Data Hub), not to pages of your own. "
    "To make them lead to the answer to each question, in its language and in Easy-to-Read: publish the "
    'companion site (kit site --out site) and give its address in kit.toml: [site] base_url = "https://...".'
)


def qr_notes(project: Project) -> list[str]:
    """What to say once about where the QR codes lead."""
    options = project.options
    return [] if (options.site_base or options.qr_base) else [SITE_NOTE]


def review_notes(project: Project, langs) -> list[str]:
    """What to say once about languages nobody has checked as native speakers (kit.yaml language_review)."""
    kb = project.kb
    unchecked = [lang for lang in dict.fromkeys(langs) if lang in kb.all_languages and not kb.reviewed(lang)]
    if not unchecked:
        return []
    return [
        f"Documents in {', '.join(unchecked)}: nobody has checked these translations as native speakers yet; "
        "each document says so in small print, in its language. When someone has, add their name to kit.yaml "
        "language_review."
    ]


# kit.toml's texts printed at the foot of documents (kit.project.Branding), in the order they are blamed for a
# document that does not fit, and what each is without them.
FOOT_TEXTS = (
    ("footer", "[organisation] footer"),
    ("credits", "[organisation] credits"),
    ("contact", "[contact]"),
)
FOOT_EMPTY = {"footer": None, "credits": None, "contact": ()}
PRINTED_CHANNELS = (
    "pdf",
    "social",
    "slides",
    "video",
)  # drawn with kit's fonts (not a reader's mail or browser)


class Builder:
    """Makes planned documents: the context (what it says), the template (HTML), then its channel (the file)."""

    def __init__(self, project: Project, reuse: bool = True):
        self.project = project
        self.reuse = reuse
        self._channels: dict = {}
        self._tofu: set[str] = set()  # characters no font draws, already said
        self._foot_blame: dict = {}  # (layout, level, language, format): the kit.toml text a misfit is due to

    def channel(self, name: str):
        if name not in self._channels:
            from .channels import open_channel

            self._channels[name] = open_channel(name, self.project, reuse=self.reuse)
        return self._channels[name]

    def prepare(self, doc: Planned) -> tuple[Prepared, str]:
        """The document's context and its rendered template."""
        prepared = prepare(doc.spec, doc.layout, self.project)
        return prepared, self.project.layouts.render(doc.layout.template, prepared.context)

    def fit_error(self, doc: Planned, exc: FitError) -> FitError:
        """A document that does not fit, blamed on one of kit.toml's texts at its foot when it is the cause (the
        document fits without it): never on the document's own texts, which kit check passes."""
        key = (doc.spec.layout, doc.spec.level, doc.spec.lang, doc.spec.format)
        if key not in self._foot_blame:
            self._foot_blame[key] = self._foot_text_in_the_way(doc)
        blamed = self._foot_blame[key]
        if blamed is None:
            return exc
        name, chars = blamed
        return FitError(
            f"The {doc.describe()}: kit.toml's {name} ({chars:,} characters) does not fit at the foot of the "
            f"document with the rest (it fits without it). Shorten {name} in kit.toml, or give this language a "
            "shorter one."
        )

    def _foot_text_in_the_way(self, doc: Planned) -> tuple[str, int] | None:
        from dataclasses import replace

        from .config import in_language

        brand = self.project.options.branding
        for attribute, name in FOOT_TEXTS:
            value = getattr(brand, attribute)
            if not value:
                continue
            trial = Builder(
                self.project.with_options(branding=replace(brand, **{attribute: FOOT_EMPTY[attribute]}))
            )
            try:
                prepared, html = trial.prepare(doc)
                trial.channel(doc.layout.channel).make(doc, prepared, html)
            except FitError:
                continue
            except Exception:  # another problem: the fit error is reported as it is
                return None
            if attribute == "contact":
                chars = sum(len(in_language(item, doc.spec.lang) or "") for item in value)
            else:
                chars = len(in_language(value, doc.spec.lang) or "")
            return name, chars
        return None

    def _glyphs(self, doc: Planned, html: str) -> None:
        """At render, every text the document prints (templates' words, rows, kit.toml, content) against the
        fonts that print it (kit.fonts): said once per set of characters (kit check says which text holds them)."""
        if doc.layout.channel not in PRINTED_CHANNELS:
            return
        tofu, sure = missing_glyphs("".join(set(html)))
        key = "".join(tofu)
        if tofu and sure and key not in self._tofu:
            self._tofu.add(key)
            log.warning("The %s has %s.", doc.describe(), describe_missing(tofu))

    def make(self, doc: Planned) -> tuple[bytes, BuiltDocument]:
        prepared, html = self.prepare(doc)
        self._glyphs(doc, html)
        try:
            output = self.channel(doc.layout.channel).make(doc, prepared, html)
        except FitError as exc:
            raise self.fit_error(doc, exc) from exc
        except LayoutError as exc:  # found while laying out: say which document and which template file
            template = self.project.layouts.source(doc.layout.template)
            message = (
                exc.message[:1].lower() + exc.message[1:]
                if exc.message.startswith("The layout")
                else exc.message
            )
            raise LayoutError(f"The {doc.describe()}, template {template}: {message}", exc.problems) from exc
        info = {**prepared.manifest, **getattr(output, "info", {})}
        files = getattr(output, "files", {})
        if files:
            info["files"] = sorted(files)
        return output.data, BuiltDocument(
            doc, prepared.title, output.pages, prepared.qr, output.sha256, info=info, files=files
        )

    def build(self, doc: Planned, target: Path, root: Path | None = None) -> BuiltDocument:
        """Make ``doc`` and write it to ``target`` (inside the output folder ``root``, when given)."""
        data, built = self.make(doc)
        # Files a channel writes beside the document (the newsletter's pictures), by path from the output folder.
        base = target
        for _ in PurePosixPath(doc.path).parts:
            base = base.parent
        for path, content in built.files.items():
            atomic_write(base / path, content, root=root)
        atomic_write(target, data, root=root)
        log.info("wrote %s (%d page%s)", target, built.pages, "s" if built.pages > 1 else "")
        return built


def build_documents(
    builder: Builder, docs: list[Planned], out_dir: Path, progress: Progress | None = None
) -> tuple[list[BuiltDocument], list[Problem]]:
    """Build every planned document; a document that fails is reported and the others are still built."""
    built, problems = [], []
    for index, doc in enumerate(docs, start=1):
        try:
            built.append(builder.build(doc, out_dir / doc.path, root=out_dir))
        except (FitError, LayoutError, OptionError) as exc:
            log.info("not built: %s", exc)
            problems.append(Problem(str(exc)))
        if progress:
            progress(index, len(docs), doc.path)
    return built, problems


def write_thumbnail(pdf_path: Path, png_path: Path, width_px: int = 260, root: Path | None = None) -> None:
    """Render the first page of a PDF (or a PNG, scaled down) as a small PNG for the catalogue."""
    import io

    if pdf_path.suffix.lower() == ".png":
        from PIL import Image

        with Image.open(pdf_path) as picture:
            image = picture.convert("RGB")
        image = image.resize(
            (width_px, round(image.height * width_px / image.width)), Image.Resampling.LANCZOS
        )
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        atomic_write(png_path, buffer.getvalue(), root=root)
        return
    from kit import raster

    image = raster.first_page(pdf_path, width_px)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    atomic_write(png_path, buffer.getvalue(), root=root)


CATALOGUE_NAME = "index.html"
# What each command that writes a folder leaves there besides its documents (kit build, kit site and kit pack each
# write a manifest.json of their own, and build and site an index.html).
COMMAND_FILES = {
    "kit build": (MANIFEST_NAME, CATALOGUE_NAME),
    "kit site": (MANIFEST_NAME, CATALOGUE_NAME, "sitemap.xml"),
    "kit pack": (MANIFEST_NAME, "problems.txt", "placements.csv"),
}


def written_by(out: Path) -> str | None:
    """Which kit command wrote the folder ``out`` (read from its manifest.json), or None."""
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or "kit_version" not in manifest:
        return None
    if manifest.get("generator") == "kit site":
        return "kit site"
    if isinstance(manifest.get("documents"), list):
        return "kit build"
    if isinstance(manifest.get("events"), list):
        return "kit pack"
    return None


def check_not_another_commands(out: Path, command: str, *, force: bool = False) -> None:
    """A folder another kit command wrote is not this command's: its manifest (and catalogue) would be replaced
    by this one's, and the other command would no longer know its files. OutputError naming them, unless
    ``force``."""
    other = written_by(out)
    if other is None or other == command or force:
        return
    mine = set(COMMAND_FILES[command])
    theirs = [name for name in COMMAND_FILES[other] if name in mine and (out / name).exists()]
    raise OutputError(
        f"{out} holds what {other} wrote there: {command} would replace its {' and '.join(theirs)}, and {other} "
        f"would no longer know its files. Give {command} a folder of its own with --out (for example "
        f"{out.name or 'out'}-{command.split()[1]})."
    )


def thumbnail_path(doc: Planned) -> str:
    """Where the catalogue's picture of a document's first page goes, relative to the output folder."""
    return f"thumbs/{doc.spec.lang}-{doc.name}.png"


# The catalogue's sections, in this order: what each channel's documents are for.
CATALOGUE_SECTIONS = {
    "pdf": "Imprimer · Print",
    "social": "Réseaux sociaux · Social media cards",
    "slides": "Écrans et diaporama · Screens and slides",
    "video": "Vidéo pour écrans d'accueil · Waiting-room video",
    "email": "Lettre d'information · Newsletter",
    "sms": "SMS et messageries · Text messages",
}


def print_lines(project: Project, built: BuiltDocument) -> list[dict]:
    """How to print a document, in each interface language of the catalogue (the content's complete languages):
    its paper, its sides and, for pieces printed several to a sheet, the cutting; the layout's own advice (paper
    weight), written in English in its declaration, in English."""
    layout, spec = built.doc.layout, built.doc.spec
    if layout.channel != "pdf" or layout.pdf is None:
        return []
    lines = []
    for lang in project.kb.languages:
        words = project.kb.shared.events.get(lang)
        if words is None:
            continue
        text = (
            f"{with_colon(words.print_paper, lang, project)} {spec.format} · "
            f"{with_colon(words.print_sides, lang, project)} {getattr(words, layout.pdf.sides)}"
        )
        if layout.pdf.per_sheet > 1:
            text += f" · {words.cut_marks}"
        if lang == "en" and layout.pdf.print:
            text += f" ({layout.pdf.print})"
        lines.append({"lang": lang, "text": text})
    return lines


def with_colon(word: str, lang: str, project: Project) -> str:
    from .locales import with_colon as colon

    return colon(word, project.locale(lang).typography)


def write_catalogue(project: Project, out_dir: Path, documents: list[BuiltDocument]) -> Path:
    """index.html: every document with a picture of its first page (a card: itself), its format and, for print,
    the paper to use (in the content's languages); for posts and messages, their text. A section per language,
    in it one per kind of document, with a table of contents to each (the page works without script; a small
    optional script adds a filter by language and kind)."""
    cards = []
    for built in documents:
        thumb = None
        if Path(built.path).suffix.lower() in (".pdf", ".png"):
            thumb = thumbnail_path(built.doc)
            write_thumbnail(out_dir / built.path, out_dir / thumb, root=out_dir)
        cards.append(
            {"doc": built, "thumb": thumb, "print": print_lines(project, built), "entry": built.entry()}
        )
    langs = list(dict.fromkeys(card["doc"].spec.lang for card in cards))
    kb = project.kb

    def groups(lang: str) -> list[dict]:
        mine = [c for c in cards if c["doc"].spec.lang == lang]
        return [
            {
                "channel": channel,
                "id": f"{lang}-{channel}",
                "title": heading,
                "cards": [c for c in mine if c["doc"].doc.layout.channel == channel],
            }
            for channel, heading in CATALOGUE_SECTIONS.items()
            if any(c["doc"].doc.layout.channel == channel for c in mine)
        ]

    html = project.layouts.render(
        "catalogue.html",
        {
            "kit_version": __version__,
            "content_version": kb.meta.content_version,
            "content_date": kb.meta.date.isoformat(),
            "kinds": {
                channel: heading
                for channel, heading in CATALOGUE_SECTIONS.items()
                if any(c["doc"].doc.layout.channel == channel for c in cards)
            },
            "sections": [
                {
                    "lang": lang,
                    "name": project.locale(lang).name,
                    "cards": [c for c in cards if c["doc"].spec.lang == lang],
                    "groups": groups(lang),
                }
                for lang in langs
            ],
        },
    )
    return atomic_write(out_dir / CATALOGUE_NAME, html, root=out_dir)


def write_manifest(project: Project, out_dir: Path, documents: list[BuiltDocument]) -> Path:
    """manifest.json: every document as its entry says it (kit.files.write_manifest, as every command's)."""
    head = {"kit_version": __version__, "content_version": project.kb.meta.content_version}
    return write_manifest_file(out_dir, head, {"documents": (doc.entry() for doc in documents)})


def build_set(
    project: Project,
    docs: list[Planned],
    out_dir: str | Path,
    progress: Progress | None = None,
    force: bool = False,
    notes: list[str] = (),
) -> BuildResult:
    """Build documents into ``out_dir`` with their catalogue and manifest (``notes``: what to say besides).

    Every valid document is built; if some could not be, BuildError lists them after the rest is written.
    Before anything is written, a file kit did not write in the way of one it would write stops the run
    (OutputError naming it), unless ``force``.
    """
    out = Path(out_dir)
    check_not_another_commands(out, "kit build", force=force)
    folder = OutputFolder(out, force=force)
    folder.prepare()
    folder.claim(
        [doc.path for doc in docs] + [thumbnail_path(doc) for doc in docs] + [CATALOGUE_NAME, MANIFEST_NAME]
    )
    documents, problems = build_documents(Builder(project), docs, out, progress)
    result = BuildResult(
        out,
        documents,
        notes=[*notes, *qr_notes(project), *review_notes(project, (d.spec.lang for d in docs))],
    )
    result.catalogue = write_catalogue(project, out, documents)
    result.manifest = write_manifest(project, out, documents)
    if problems:
        raise BuildError(
            f"{len(problems)} of {len(docs)} documents could not be built; the {len(documents)} others are in {out}.",
            problems,
        )
    return result


def build_kit(
    project: Project,
    out_dir: str | Path = "out",
    langs=None,
    formats=None,
    levels=None,
    venue: str | None = None,
    progress: Progress | None = None,
    channels=None,
    force: bool = False,
) -> BuildResult:
    """Build the default kit (every declared layout that is part of it) into ``out_dir``, with catalogue and
    manifest. ``channels``: print (the default), social, email, slides, or several (a list or "print,social");
    ``force``: replace files in the way that kit did not write."""
    docs = plan_kit(project, langs, formats, levels, venue, channels)
    notes = kit_notes(project, langs, levels, channels)
    return build_set(project, docs, out_dir, progress, force, notes)


def build_falc(
    project: Project,
    out_dir: str | Path = "out-falc",
    langs=None,
    formats=None,
    progress: Progress | None = None,
    force: bool = False,
) -> BuildResult:
    """Build the Easy-to-Read (FALC) documents: booklet, a poster per question, leaflet."""
    return build_kit(project, out_dir, langs, formats, "falc", None, progress, force=force)


def build_social(
    project: Project,
    out_dir: str | Path = "out-social",
    langs=None,
    sizes=None,
    progress: Progress | None = None,
) -> BuildResult:
    """PNG cards for social media: per question (standard and Easy-to-Read) and per benefit story, per language,
    in each size (1080x1080, 1080x1350, 1080x1920, or ``sizes``); post and alternative texts in the manifest."""
    docs = plan_kit(project, langs, channels="social", sizes=sizes)
    return build_set(project, docs, out_dir, progress, notes=kit_notes(project, langs, channels="social"))


def build_email(
    project: Project, out_dir: str | Path = "out-email", langs=None, progress: Progress | None = None
) -> BuildResult:
    """The newsletter per language (.eml, and the HTML alone with its pictures) and a text message per question."""
    docs = plan_kit(project, langs, channels="email")
    return build_set(project, docs, out_dir, progress, notes=kit_notes(project, langs, channels="email"))


def build_slides(
    project: Project, out_dir: str | Path = "out-slides", langs=None, progress: Progress | None = None
) -> BuildResult:
    """The Café IA facilitator's 16:9 PDF deck and the waiting-room loop (1920x1080 PNGs), per language."""
    docs = plan_kit(project, langs, channels="slides")
    return build_set(project, docs, out_dir, progress, notes=kit_notes(project, langs, channels="slides"))


def _single(project: Project, doc: Planned, out_file) -> tuple[Path, BuiltDocument]:
    target = Path(out_file) if out_file else Path(f"{doc.spec.lang}-{doc.name}.pdf")
    if target.suffix.lower() != ".pdf":
        raise OptionError(f"The output file {target} must end in .pdf.")
    return target, Builder(project).build(doc, target)


def build_poster(
    project: Project,
    question: str,
    lang: str | None = None,
    format: str = "A4",
    level: str = "standard",
    venue: str | None = None,
    out_file: str | Path | None = None,
) -> tuple[Path, BuiltDocument]:
    """Build one poster (a question id, or 'summary') and return where it was written."""
    return _single(project, plan_poster(project, question, lang, format, level, venue), out_file)


def build_leaflet(
    project: Project,
    lang: str | None = None,
    level: str = "standard",
    venue: str | None = None,
    out_file: str | Path | None = None,
) -> tuple[Path, BuiltDocument]:
    """Build the tri-fold leaflet (standard or FALC) in one language."""
    return _single(project, plan_leaflet(project, lang, level, venue), out_file)


def build_letter(
    project: Project,
    route: str | None = None,
    lang: str | None = None,
    level: str = "standard",
    out_file: str | Path | None = None,
) -> list[tuple[Path, BuiltDocument]]:
    """Build the letter to say no (one page per route; every route unless one is given) and return where each was
    written. With several routes, each file takes ``out_file``'s name with its route added."""
    docs = plan_letter(project, route, lang, level)
    written = []
    for doc in docs:
        target = out_file
        if out_file and len(docs) > 1:
            path = Path(out_file)
            target = path.with_name(f"{path.stem}-{doc.spec.route}{path.suffix}")
        written.append(_single(project, doc, target))
    return written


def describe_kit(project: Project) -> dict:
    """What `kit list` shows: questions, layouts, formats, languages, venues, benefit stories."""
    kb = project.kb
    return {
        "questions": [(q.id, q.translations[kb.languages[0]].question) for q in kb.questions],
        "layouts": sorted(project.registry.names()),
        "formats": list(FORMATS),
        "languages": kb.languages,
        # partial languages, marked when nobody has reviewed them yet (kit.yaml language_review)
        "partial languages": [
            lang if kb.reviewed(lang) else f"{lang} (not reviewed)" for lang in kb.partial_languages
        ],
        "venues": kb.venue_ids,
        "stories": kb.story_ids,
    }


__all__ = [
    "BuildResult",
    "BuiltDocument",
    "Builder",
    "build_email",
    "build_falc",
    "build_kit",
    "build_leaflet",
    "build_letter",
    "build_poster",
    "build_set",
    "build_slides",
    "build_social",
    "describe_kit",
]
