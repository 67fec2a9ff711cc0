"""The print library of the companion site (`kit site`, unless --no-library or [site] library = false): per
language, every document of the default kit as a PDF built by kit.build's Builder with the site's address, a picture
of its first page, a page that says what each is for and how to print it, and a zip of them all; built again only
when what they depend on changed.

The site manifest keeps the library's record (``library``: each language's inputs digest, then every file with its
language, layout, format, pages, bytes and sha256). A later `kit site` whose inputs are the same for a language, and
whose files are still the ones it wrote (same sha256), takes them from the site folder instead of building them.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .addresses import SitePages
from .build import Builder, with_colon
from .context import prepare
from .context.site import href
from .errors import FitError, LayoutError, OptionError
from .pack.state import inputs_digest
from .plan import (
    CHANNEL_GROUPS,
    SITE_FORMAT,
    Planned,
    parse_list,
    plan_kit,
    plan_letter,
    planned,
    site_layouts,
)
from .specs import DocSpec

if TYPE_CHECKING:
    from .project import Project

log = logging.getLogger("kit")

Write = Callable[
    [str, bytes | str, str], object
]  # (path in the site, data, what it is): how the site writes a file
Progress = Callable[[int, int, str], None]

MANIFEST = "manifest.json"  # the site's manifest, where the library's record is kept (key LIBRARY)
LIBRARY = "library"
THUMBS = "thumbs"
THUMBNAILED = (".pdf", ".png", ".mp4")  # the files whose first page (or frame) the page shows
THUMB_WIDTH = 240  # pixels: shown at about half that, sharp on a phone's screen
DOORSTEP = ("pocket-card", "door-hanger", "mediator-sheet")  # the door-to-door documents (kit.toml's contact)
NO_ADDRESS = (
    "The print library's PDFs were built without the site's address: their QR codes lead to other organisations' "
    'pages (CNIL, Health Data Hub), not to this site. Give it in kit.toml: [site] base_url = "https://...", or '
    "with --base-url."
)
# The file types the library offers, as its page names them (the print documents are PDFs).
MEDIA = {".pdf": "PDF", ".png": "PNG", ".mp4": "MP4", ".eml": "EML", ".html": "HTML"}
# A zip's entries carry this date (the zip's bytes are the same for the same files).
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def library_languages(project: Project, site_langs: list[str], library=None) -> list[str]:
    """The languages of the site that get a print library: ``library`` (True, False or languages), else kit.toml's
    [site] library; only languages whose content has the library's words (site.<lang>.library)."""
    wanted = project.config.data.site.library if library is None else library
    if isinstance(wanted, str):
        wanted = [part.strip() for part in wanted.split(",") if part.strip()]
    if wanted is True:
        chosen = list(site_langs)
    elif not wanted:
        chosen = []
    else:
        chosen = [lang for lang in site_langs if lang in wanted]
    return [lang for lang in chosen if project.kb.shared.site[lang].library is not None]


def kind(doc: Planned) -> str:
    """The library's section of a document: its layout's name, ``falc-`` before it for Easy-to-Read."""
    return doc.layout.name if doc.spec.level == "standard" else f"{doc.spec.level}-{doc.layout.name}"


def library_documents(project: Project, lang: str) -> list[Planned]:
    """What the library offers in ``lang``: the default kit (kit build: question posters in each format, summary
    poster, leaflet, Easy-to-Read booklet, posters and leaflet), the door-to-door documents (with kit.toml's
    contact), then the letters to say no in each route, standard and Easy-to-Read (complete languages only), then
    the other channels kit.toml's [build] channels turns on. A partial language has what exists in it."""
    kb = project.kb
    docs = plan_kit(project, [lang], channels="print")
    for name in DOORSTEP:
        if name not in project.registry.names():
            continue
        layout = project.registry.get(name)
        if kb.is_partial(lang) and not layout.partial:
            continue
        docs.append(planned(project, DocSpec(name, lang, layout.formats[0], tuple(kb.summary_ids))))
    if lang in kb.languages and "letter" in project.registry.names():
        for level in ("standard", "falc"):
            docs += plan_letter(project, None, lang, level)
    return docs + channel_documents(project, lang)


def channel_documents(project: Project, lang: str) -> list[Planned]:
    """The other channels kit.toml's [build] channels turns on, as `kit build` makes them: the social cards (PNG,
    each size), the newsletter (.eml and .html), the slides (PDF) and the waiting-room loop (MP4). Not the text
    messages, nor the loop's screens one by one (the video has them)."""
    groups = parse_list(
        None, list(CHANNEL_GROUPS), "channel", project.config.data.build.channels or ["print"]
    )
    wanted = [group for group in groups if group != "print"]
    if not wanted:
        return []
    try:
        docs = plan_kit(project, [lang], channels=",".join(wanted))
    except OptionError:  # none of them exists in this (partial) language
        return []
    return [
        doc
        for doc in docs
        if doc.layout.channel in ("social", "email", "video")
        or (doc.layout.channel == "slides" and doc.path.endswith(".pdf"))
    ]


@dataclass
class LibraryFile:
    """A PDF of the library, as the site manifest lists it."""

    doc: Planned
    path: str  # in the site: fr/imprimer/poster-why-use-data-A4.pdf
    title: str
    pages: int
    bytes: int
    sha256: str
    thumb: str | None  # a picture of its first page (none for the newsletter)
    thumb_size: tuple[int, int] | None
    attached: list[dict] = field(
        default_factory=list
    )  # files beside it (the newsletter's pictures): path, sha256
    info: dict = field(default_factory=dict)  # pixels (cards, video), seconds (video)

    @property
    def media(self) -> str:
        suffix = Path(self.path).suffix
        return MEDIA.get(suffix, suffix.lstrip(".").upper())

    def entry(self) -> dict:
        spec, layout = self.doc.spec, self.doc.layout
        return {
            "channel": layout.channel,
            "media": self.media,
            "path": self.path,
            "lang": spec.lang,
            "layout": layout.name,
            "level": spec.level,
            "format": spec.format,
            **({"route": spec.route} if spec.route else {}),
            "questions": list(spec.questions),
            "title": self.title,
            "pages": self.pages,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "sides": layout.pdf.sides if layout.pdf else None,
            "per_sheet": layout.pdf.per_sheet if layout.pdf else 1,
            "print": layout.print_hint(spec),
            "thumbnail": self.thumb,
            "thumbnail_size": list(self.thumb_size) if self.thumb_size else None,
            **{key: self.info[key] for key in ("pixels", "seconds") if key in self.info},
            **({"attached": self.attached} if self.attached else {}),
        }


@dataclass
class LibraryResult:
    """What the library added to the site: its pages (for the site's manifest, sitemap and link check), its files
    and its record."""

    pages: list = field(default_factory=list)  # (Planned, title, made page) per language
    files: list[LibraryFile] = field(default_factory=list)
    zips: list[dict] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    built: int = 0  # PDFs built in this run
    reused: int = 0  # PDFs taken from the site folder (nothing they depend on changed)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the library's share of the site's build

    def record(self) -> dict:
        """The site manifest's ``library``: each language's inputs digest, every PDF and every zip."""
        return {
            "languages": self.digests,
            "files": [item.entry() for item in self.files],
            "zips": self.zips,
        }


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def thumbnail(
    data: bytes, width: int = THUMB_WIDTH, suffix: str = ".pdf"
) -> tuple[bytes, tuple[int, int]] | None:
    """A PNG of a file's first page, ``width`` pixels wide, and its size: a PDF's first page, a card (PNG) made
    smaller, a video's first frame; None for a file with no page to show (the newsletter)."""
    if suffix == ".pdf":
        from kit import raster

        image = raster.first_page(data, width)
    elif suffix in (".png", ".mp4"):
        from PIL import Image

        if suffix == ".png":
            image = Image.open(io.BytesIO(data))
        else:
            import av

            with av.open(io.BytesIO(data)) as video:
                image = next(video.decode(video=0)).to_image()
        image = image.convert("RGB").resize(
            (width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS
        )
    else:
        return None
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), image.size


def make_zip(files: list[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes), stored (PDFs are compressed already), the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def previous_record(out: Path) -> dict:
    """The library's record in the site folder's manifest (a `kit site` wrote it), or nothing."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("generator") != "kit site":
        return {}
    record = data.get(LIBRARY)
    return record if isinstance(record, dict) else {}


class Library:
    """Builds (or takes back) the library of each language and writes its files through the site's ``write``."""

    def __init__(self, project: Project, write: Write, out: Path, progress: Progress | None = None):
        self.project = project
        self.write = write
        self.out = out
        self.progress = progress
        self.pages = SitePages(project.kb)
        self.builder = Builder(project)
        # What the PDFs depend on: kit, content, layouts, options (the site's address among them). Which languages
        # have a library changes only the site's pages, not the PDFs.
        self.inputs = inputs_digest(project.with_options(site_library=()))
        self.before = previous_record(out)
        self.result = LibraryResult()

    def folder(self, lang: str) -> str:
        return self.pages.library(lang)

    def digest(self, lang: str, docs: list[Planned]) -> str:
        text = "\n".join([self.inputs, lang, *(doc.path for doc in docs)])
        return _sha(text.encode())

    def _file_path(self, doc: Planned) -> str:
        return f"{self.folder(doc.spec.lang)}{Path(doc.path).name}"

    def _thumb_path(self, doc: Planned) -> str | None:
        if Path(doc.path).suffix not in THUMBNAILED:
            return None
        return f"{self.folder(doc.spec.lang)}{THUMBS}/{Path(doc.path).stem}.png"

    def _attached_path(self, doc: Planned, path: str) -> str:
        """Where a file a channel writes beside its document (by path from kit build's folder) goes."""
        beside = PurePosixPath(path).relative_to(PurePosixPath(doc.path).parent)
        return self.folder(doc.spec.lang) + beside.as_posix()

    def zip_path(self, lang: str) -> str:
        return f"{self.folder(lang)}{self.project.kb.shared.site[lang].paths.library}-{lang}.zip"

    def _read(self, path, sha: str | None, folder: str) -> bytes | None:
        """A file of the previous run, by the path its record gives: only inside this library's ``folder`` (never
        a path the manifest says elsewhere), and only with the bytes it wrote (``sha``, when given)."""
        if not isinstance(path, str) or not path.startswith(folder) or ".." in PurePosixPath(path).parts:
            return None
        try:
            data = (self.out / path).read_bytes()
        except OSError:
            return None
        return data if sha is None or _sha(data) == sha else None

    def _reusable(self, lang: str, digest: str, docs: list[Planned]) -> list[tuple] | None:
        """The previous run's files of ``lang`` (entry, file, picture, files beside it), when its inputs were the
        same and its files are still those it wrote; else None."""
        if (self.before.get("languages") or {}).get(lang) != digest:
            return None
        entries = {
            entry.get("path"): entry
            for entry in self.before.get("files") or []
            if isinstance(entry, dict) and entry.get("lang") == lang
        }
        folder = self.folder(lang)
        found = []
        for doc in docs:
            entry = entries.get(self._file_path(doc))
            if entry is None or entry.get("thumbnail") != self._thumb_path(doc):
                return None  # only the files this run would write, never a path the manifest says elsewhere
            data = self._read(entry.get("path"), entry.get("sha256") or "-", folder)
            picture = self._read(entry["thumbnail"], None, folder) if entry.get("thumbnail") else b""
            if data is None or picture is None:
                return None
            attached = []
            for extra in entry.get("attached") or []:
                content = self._read(extra.get("path"), extra.get("sha256") or "-", folder)
                if content is None:
                    return None
                attached.append((extra["path"], content))
            found.append((entry, data, picture, attached))
        return found

    def _built(self, docs: list[Planned], done: int, total: int) -> list[tuple]:
        made = []
        for index, doc in enumerate(docs, start=1):
            try:
                data, built = self.builder.make(doc)
            except (FitError, LayoutError, OptionError) as exc:
                self.result.notes.append(f"Not in the print library: {exc}")
                continue
            thumb = self._thumb_path(doc)
            picture, size = thumbnail(data, suffix=Path(doc.path).suffix) if thumb else (b"", None)
            attached = [
                (self._attached_path(doc, path), content) for path, content in sorted(built.files.items())
            ]
            item = LibraryFile(
                doc,
                self._file_path(doc),
                short_title(self.project, doc.spec.lang, built.title),
                built.pages,
                len(data),
                _sha(data),
                thumb,
                size,
                [
                    {"path": path, "bytes": len(content), "sha256": _sha(content)}
                    for path, content in attached
                ],
                {key: built.info[key] for key in ("pixels", "seconds") if key in built.info},
            )
            made.append((item, data, picture, attached))
            self.result.built += 1
            log.info("built %s for the print library", item.path)
            if self.progress:
                self.progress(done + index, total, item.path)
        return made

    def publish(self, langs: list[str], site_langs: tuple[str, ...], channel) -> LibraryResult:
        """Every language's files, pictures, zip and page (made by the site's HTML ``channel``)."""
        planned_docs = {lang: library_documents(self.project, lang) for lang in langs}
        total = sum(len(docs) for docs in planned_docs.values())
        done = 0
        for lang, docs in planned_docs.items():
            digest = self.digest(lang, docs)
            reused = self._reusable(lang, digest, docs)
            if reused is not None:
                made = []
                for doc, (entry, data, picture, attached) in zip(docs, reused, strict=True):
                    size = entry.get("thumbnail_size")
                    item = LibraryFile(
                        doc, entry["path"], entry["title"], entry["pages"], len(data), entry["sha256"],
                        entry.get("thumbnail"), tuple(size) if size else None, entry.get("attached") or [],
                        {key: entry[key] for key in ("pixels", "seconds") if key in entry},
                    )  # fmt: skip
                    made.append((item, data, picture, attached))
                self.result.reused += len(made)
            else:
                made = self._built(docs, done, total)
            done += len(docs)
            folder = self.folder(lang)
            for item, data, picture, attached in made:
                self.write(item.path, data, "print")
                if item.thumb:
                    self.write(item.thumb, picture, "thumbnail")
                for path, content in attached:
                    self.write(path, content, "attached")
                self.result.files.append(item)
            entries = {
                name.removeprefix(folder): content
                for item, data, _, attached in made
                for name, content in [(item.path, data), *attached]
            }
            archive = make_zip(list(entries.items()))
            self.write(self.zip_path(lang), archive, "zip")
            self.result.zips.append(
                {"path": self.zip_path(lang), "lang": lang, "bytes": len(archive), "sha256": _sha(archive)}
            )
            self.result.digests[lang] = digest
            self.result.pages.append(
                self._page(lang, [item for item, *_ in made], len(archive), site_langs, channel)
            )
        return self.result

    def _facts(self, item: LibraryFile, words) -> list[tuple[str, str]]:
        """What the page says of a file, by kind: paper, pages and sides of a print; pixels of a card; the slides'
        count; the video's length; then its type and size."""
        spec, layout = item.doc.spec, item.doc.layout
        size = size_words(item.bytes, words.kilobytes)
        if layout.channel == "pdf":
            pdf = layout.pdf
            sides = getattr(words, pdf.sides) if pdf else words.one_side
            return [
                (words.paper, spec.format),
                (words.pages, str(item.pages)),
                (words.sides, f"{sides}. {words.cut}" if pdf and pdf.per_sheet > 1 else sides),
                (words.size, size),
            ]
        facts = []
        pixels = item.info.get("pixels")
        if pixels:
            facts.append((words.dimensions or words.paper, f"{pixels[0]}\u00a0×\u00a0{pixels[1]}\u00a0px"))
        elif layout.channel == "slides":
            facts.append((words.dimensions or words.paper, spec.format))
        if layout.channel == "slides":
            facts.append((words.slides or words.pages, str(item.pages)))
        seconds = item.info.get("seconds")
        if seconds and words.duration:
            whole = round(seconds)
            facts.append((words.duration, f"{whole // 60}\u00a0min\u00a0{whole % 60:02d}\u00a0s"))
        if words.file_type:
            facts.append((words.file_type, item.media))
        facts.append((words.size, size))
        return facts

    def _size_link(self, here: str, item: LibraryFile, words, section: str) -> dict:
        """The download link of a card in one of its sizes: the size in pixels and the file's size."""
        width, height = item.info.get("pixels") or item.thumb_size or (0, 0)
        size = size_words(item.bytes, words.kilobytes)
        return {
            "href": href(here, item.path),
            "text": f"{words.download_file or words.download} {width}\u00a0×\u00a0{height}\u00a0px ({size})",
            "hidden": f"{item.title} ({section}), {item.media}",
        }

    def _page(self, lang: str, items: list[LibraryFile], zip_bytes: int, site_langs, channel):
        """The library's page in ``lang``: the site's frame (kit.context.site), then the documents by kind."""
        project = self.project
        layout = site_layouts(project).get(("library", "standard"))
        if layout is None:
            raise LayoutError(
                "No layout makes the 'library' page of the site: declare one with 'channel: html' and "
                "'html: {page: library}'."
            )
        here = self.pages.library(lang)
        doc = Planned(DocSpec(layout.name, lang, SITE_FORMAT, (), site_langs=tuple(site_langs)), layout, here)
        prepared = prepare(doc.spec, layout, project)
        words = project.kb.shared.site[lang].library
        groups: dict[str, dict] = {}
        for item in items:
            key = kind(item.doc)
            known = words.kinds.get(key)
            group = groups.setdefault(
                key,
                {
                    "id": key,
                    "name": known.name if known else item.title,
                    "use": known.use if known else None,
                    "documents": [],
                },
            )
            printed = item.doc.layout.channel == "pdf"
            spec = item.doc.spec
            same = (item.doc.layout.name, spec.level, spec.questions, spec.story, spec.index)
            first = next((d for d in group["documents"] if d["same"] == same), None)
            if item.doc.layout.channel == "social" and first is not None:
                first["links"].append(
                    self._size_link(here, item, words, group["name"])
                )  # a card's other sizes: more links
                continue
            document = {
                "same": same,
                "title": item.title,
                "thumb": href(here, item.thumb) if item.thumb else None,
                "thumb_width": item.thumb_size[0] if item.thumb_size else None,
                "thumb_height": item.thumb_size[1] if item.thumb_size else None,
                "alt": f"{with_colon(words.preview, lang, project)} {item.title}",
                "facts": self._facts(item, words),
                "links": [
                    {
                        "href": href(here, item.path),
                        "text": words.download if printed else (words.download_file or words.download),
                        # the section's name too: an Easy-to-Read poster's title is the poster's
                        "hidden": f"{item.title} ({group['name']}), {spec.format if printed else item.media}",
                    }
                ],
            }
            if item.doc.layout.channel == "social":
                document["facts"] = [fact for fact in document["facts"] if fact[0] == words.file_type]
                document["links"] = [self._size_link(here, item, words, group["name"])]
            group["documents"].append(document)
        prepared.context.update(
            groups=list(groups.values()),
            zip={"href": href(here, self.zip_path(lang)), "size": size_words(zip_bytes, words.kilobytes)},
        )
        html = project.layouts.render(layout.template, prepared.context)
        return doc, prepared.title, channel.make(doc, prepared, html)


def short_title(project: Project, lang: str, title: str) -> str:
    """A document's title without what its PDF title ends with and the page says once: the campaign's name, the
    Easy-to-Read label (its section's heading says it)."""
    labels = project.kb.shared.labels[lang]
    texts = (labels.campaign, labels.falc, labels.falc_unchecked)
    ends = [f" {dash} {text}" for text in texts for dash in ("–", "-", "—")]
    trimmed = True
    while trimmed:
        trimmed = False
        for end in ends:
            if title.endswith(end) and len(title) > len(end):
                title, trimmed = title[: -len(end)], True
    return title


def size_words(size: int, unit: str) -> str:
    """A file's size in kilobytes, rounded up: "412 Ko"."""
    return f"{max(1, -(-size // 1024))}\u00a0{unit}"


def publish_library(
    project: Project,
    langs: list[str],
    site_langs: tuple[str, ...],
    write: Write,
    out: Path,
    channel,
    progress: Progress | None = None,
) -> LibraryResult:
    """The print library of ``langs``, written through the site's ``write`` (``out``: the site folder, where the
    previous run's files are taken back from when nothing they depend on changed)."""
    if not langs:
        return LibraryResult()
    started = time.perf_counter()
    result = Library(project, write, out, progress).publish(langs, site_langs, channel)
    result.seconds = time.perf_counter() - started
    if project.options.site_base is None:
        result.notes.append(NO_ADDRESS)
    return result


__all__ = ["LibraryFile", "LibraryResult", "library_documents", "library_languages", "publish_library"]
