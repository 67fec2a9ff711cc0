"""The companion site (`kit site`): the knowledge base as static HTML pages, at exactly the addresses the QR codes
point to (kit.addresses.SitePages), with their own fonts, pictograms and stylesheet, a JSON export per language, a
sitemap and a manifest.

Every file is written through kit's output folder (kit.files.OutputFolder), staged beside the site and moved in at the
end: a file kit did not write (a web root's own index.html) is never replaced unless ``force``, nothing is written
through a link out of the folder, and the files a previous build wrote and this one does not (a question removed)
are deleted only when kit's record (``.kit-written``) says kit wrote them. The same inputs give the same bytes.
Every internal link and loaded file is checked before the build ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from .addresses import normalise_base
from .build import Builder, check_not_another_commands
from .content import site_base
from .context.site import AUDIO, STYLESHEET, data_file, logo_file, recording_files
from .errors import BuildError, OptionError, OutputError, Problem
from .files import MANIFEST_NAME, OutputFolder, check_inside, manifest_text
from .plan import Planned, plan_site
from .resources import assets_dir
from .version import __version__
from .webfonts import FACES, font_faces_css, web_fonts

if TYPE_CHECKING:
    from .project import Project

log = logging.getLogger("kit")

Progress = Callable[[int, int, str], None]
MANIFEST = MANIFEST_NAME
LEFT_OUT = (
    "This site leaves out {langs}: the QR codes and addresses of documents printed in {langs} lead to pages it "
    "does not have. Run kit site without --lang to publish every language (kit.toml [site] languages says which)."
)
STAGING = (
    ".kit-site-staging"  # the end of the name of the folder a site is written into before it is moved in
)
SITEMAP = "sitemap.xml"
NO_SITEMAP = (
    "No sitemap.xml was written: a sitemap lists full addresses, and the site's address is not known. "
    'Give it with --base-url https://... or in kit.toml: [site] base_url = "https://...".'
)


@dataclass
class SitePage:
    """A page written to the site folder, as the manifest lists it."""

    doc: Planned
    title: str
    sha256: str

    def entry(self, base: str | None) -> dict:
        spec = self.doc.spec
        entry = {
            "path": self.doc.path,
            "address": self.doc.page,
            "channel": self.doc.layout.channel,
            "page": self.doc.layout.html.page,
            "layout": spec.layout,
            "lang": spec.lang,
            "level": spec.level,
            "questions": list(spec.questions),
            "title": self.title,
            "sha256": self.sha256,
        }
        if base:
            entry["url"] = base + self.doc.page
        return entry


@dataclass
class SiteResult:
    out_dir: Path
    pages: list[SitePage] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # everything written, pages included (relative paths)
    manifest: Path | None = None
    sitemap: Path | None = None
    base_url: str | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    library: object | None = None  # kit.library.LibraryResult: the print library's PDFs, built or taken back
    fonts_reused: int = 0  # web fonts taken back from the previous run (same characters, same fonts)


def _base(project: Project, base_url: str | None) -> str | None:
    """--base-url, checked as kit.toml's is (a full https:// address), or kit.toml's [site] base_url."""
    if base_url is None:
        return project.options.site_base
    try:
        site_base(base_url)
    except ValueError as exc:
        raise OptionError(
            f"--base-url {base_url}: {exc}. Give the site's full address, starting with https:// "
            "(for example https://www.example.org/donnees/)."
        ) from None
    return normalise_base(base_url)


class _Writer:
    """Writes the site's files into a staging folder beside the site (kit.files.Staging) and remembers them (for
    the manifest and the link check); ``commit`` then moves them into the site folder through its record of what
    kit wrote. A build that stops before (an error, a broken link, a file kit did not write in the way, Ctrl-C)
    leaves the site as it was."""

    def __init__(self, out: Path, force: bool = False):
        self.out = out
        self.folder = OutputFolder(out, force=force)
        self.written: dict[str, str] = {}  # relative path -> what it is (page, asset, data...)
        self.staging = self.folder.staging(STAGING)
        self.stage = self.staging.root

    def check(self, paths) -> None:
        """Before building: OutputError when a file kit did not write stands where the site puts one of
        ``paths`` (unless --force), or a link on the way leads out of the site folder."""
        self.folder.check(paths)

    def write(self, path: str, data: bytes | str, what: str) -> Path:
        self.written[path] = what
        return self.staging.write(path, data)

    def commit(self) -> list[str]:
        """Move every staged file into the site folder (each move replaces one file at once); remove the files
        kit wrote there before that this build did not. Returns the names removed."""
        removed = self.staging.commit()
        for name in removed:
            log.info("removed %s (no longer part of the site)", self.out / name)
        return removed

    def discard(self) -> None:
        self.staging.discard()


def build_site(
    project: Project,
    out_dir: str | Path = "site",
    langs=None,
    base_url: str | None = None,
    progress: Progress | None = None,
    library=None,
    force: bool = False,
) -> SiteResult:
    """Build the companion site into ``out_dir``: every page the QR codes can point to, in ``langs`` (default: kit.toml's
    [site] languages, else every language kit has), with ``base_url`` (default: kit.toml's [site] base_url) for the
    canonical addresses, the sitemap and the export. When the documents lead to the site (kit.toml's base_url) and
    ``langs`` leaves one of its languages out, a note says so.

    A file kit did not write where the site puts one (a web root's own index.html) stops the build before
    anything is written (OutputError naming it), unless ``force``. ``library`` (True, False or languages;
    default: kit.toml's [site] library): the print library's languages (kit.library)."""
    started = time.perf_counter()
    linked = project.options.site_base is not None  # the documents' QR codes lead to the site
    base = _base(project, base_url)
    project = project.with_options(site_base=base)
    docs = plan_site(project, langs)
    built = {doc.spec.lang for doc in docs}
    from .library import library_languages

    site_langs = [lang for lang in docs[0].spec.site_langs if lang in built] if docs else []
    project = project.with_options(site_library=tuple(library_languages(project, site_langs, library)))
    left_out = [lang for lang in project.site_languages if lang not in built] if linked else []
    out = Path(out_dir)
    check_not_another_commands(out, "kit site", force=force)
    writer = _Writer(out, force=force)
    try:
        writer.check([doc.path for doc in docs] + [MANIFEST] + ([SITEMAP] if base else []))
        result = _build(project, docs, writer, base, progress)
        writer.commit()
    finally:
        writer.discard()
    if left_out:
        result.notes.append(LEFT_OUT.format(langs=", ".join(left_out)))
    result.seconds = time.perf_counter() - started
    return result


def _build(project: Project, docs: list[Planned], writer: _Writer, base, progress) -> SiteResult:
    """Every page and file of the site, written to the writer's staging folder; the links checked."""
    out = writer.out
    builder = Builder(project)
    channel = builder.channel("html")
    pages, made, chars = [], [], set()
    for index, doc in enumerate(docs, start=1):
        prepared, html = builder.prepare(doc)
        page = channel.make(doc, prepared, html)
        writer.write(doc.path, page.data, "page")
        log.info("wrote %s", out / doc.path)
        pages.append(SitePage(doc, prepared.title, page.sha256))
        made.append((doc, page))
        chars |= page.chars
        if progress:
            progress(index, len(docs), doc.path)

    from .library import publish_library  # the print library: its PDFs, pictures, zips and pages

    library = publish_library(
        project,
        list(project.options.site_library),
        docs[0].spec.site_langs,
        writer.write,
        out,
        channel,
        progress,
    )
    for doc, title, page in library.pages:
        writer.write(doc.path, page.data, "page")
        pages.append(SitePage(doc, title, page.sha256))
        made.append((doc, page))
        chars |= page.chars

    fonts = _write_assets(project, writer, docs, chars, made)
    recordings = _write_recordings(project, writer, made)
    site_langs = list(dict.fromkeys(doc.spec.lang for doc in docs if doc.layout.html.page != "languages"))
    for lang in site_langs:
        writer.write(data_file(lang), export(project, lang, base), "data")
    result = SiteResult(out, pages, base_url=base, library=library, notes=list(library.notes))
    result.fonts_reused = sum(font.reused for font in fonts)
    if base:
        result.sitemap = writer.write(
            SITEMAP, sitemap(pages, base, project.kb.meta.date.isoformat()), "sitemap"
        )
    else:
        result.notes.append(NO_SITEMAP)
    _check_links(made, writer.written)
    result.files = sorted([*writer.written, MANIFEST])
    result.manifest = writer.write(
        MANIFEST,
        manifest(
            project,
            pages,
            result.files,
            base,
            library.record() if library.files else None,
            fonts_record(fonts),
            recordings,
        ),
        "manifest",
    )
    return result


# --- assets: stylesheet, fonts, pictograms, logo, licences ----------------------------------------------------


@dataclass
class SiteFont:
    """A web font the site ships, as its manifest's ``fonts`` record keeps it (so that a later run with the same
    key takes the file back instead of subsetting the font again)."""

    path: str
    key: str
    sha256: str
    reused: bool


def fonts_record(fonts: list[SiteFont]) -> list[dict]:
    return [{"path": font.path, "key": font.key, "sha256": font.sha256} for font in fonts]


def previous_fonts(out: Path, owned: set[str]) -> Callable:
    """webfonts.web_fonts's ``reuse``: the font a previous `kit site` wrote in ``out`` (``owned``: kit's record of
    what it wrote there), when its manifest gives it the same key (kit, fontTools, the shipped font, the
    characters) and the file still has the bytes it wrote; never through a link."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    record = data.get("fonts") if isinstance(data, dict) and data.get("generator") == "kit site" else None
    known = {
        entry.get("path"): entry for entry in record or [] if isinstance(entry, dict) and entry.get("key")
    }

    def reuse(face, codepoints, key: str) -> bytes | None:
        path = f"assets/fonts/{face.file}"
        entry = known.get(path)
        if entry is None or entry.get("key") != key or path not in owned:
            return None
        try:
            check_inside(out / path, out)
            if (out / path).is_symlink():
                return None
            found = (out / path).read_bytes()
        except (OSError, OutputError):
            return None
        return found if hashlib.sha256(found).hexdigest() == entry.get("sha256") else None

    return reuse


def _write_assets(
    project: Project, writer: _Writer, docs: list[Planned], chars: set[str], made
) -> list[SiteFont]:
    """The stylesheet, fonts, pictograms, logo and licences; returns the fonts (for the manifest's record)."""
    reused: set[str] = set()
    before = previous_fonts(writer.out, writer.folder.written)

    def reuse(face, codepoints, key):
        found = before(face, codepoints, key)
        if found is not None:
            reused.add(face.file)
        return found

    fonts = web_fonts(chars, reuse)
    shipped = [
        SiteFont(
            f"assets/fonts/{font.face.file}",
            font.key,
            hashlib.sha256(font.data).hexdigest(),
            font.face.file in reused,
        )
        for font in fonts
    ]
    for font in fonts:
        writer.write(f"assets/fonts/{font.face.file}", font.data, "font")
    for licence in dict.fromkeys(font.face.licence for font in fonts):
        writer.write(f"assets/fonts/{licence}", (assets_dir() / "fonts" / licence).read_bytes(), "licence")
    sheets = list(dict.fromkeys(sheet for doc in docs for sheet in doc.layout.html.stylesheets))
    css = [
        f"/* kit {__version__}: theme colours (kit.toml), fonts (subset to the site's characters), then "
        f"{', '.join(sheets)}. */\n",
        project.options.theme.css() + "\n",
        font_faces_css(fonts),
    ]
    css += [project.layouts.find(sheet).read_text(encoding="utf-8") for sheet in sheets]
    writer.write(STYLESHEET, "".join(css), "stylesheet")
    logo = logo_file(project)
    if logo:
        writer.write(logo, project.options.branding.logo.read_bytes(), "logo")
    pictograms = assets_dir() / "pictograms"
    loaded = sorted(
        {path for _, page in made for path in page.loads if path.startswith("assets/pictograms/")}
    )
    for path in loaded:
        source = pictograms / path.removeprefix("assets/pictograms/")
        if source.is_file():  # else the link check names the page that wants it
            writer.write(path, source.read_bytes(), "pictogram")
    if loaded:
        for name in ("LICENSE-fluent-emoji.txt", "README.md"):
            writer.write(f"assets/pictograms/{name}", (pictograms / name).read_bytes(), "licence")
    # The about page credits the Latin font whatever the languages: ship its licence in every case.
    first = FACES[0].licence
    if f"assets/fonts/{first}" not in writer.written:
        writer.write(f"assets/fonts/{first}", (assets_dir() / "fonts" / first).read_bytes(), "licence")
    return shipped


def _write_recordings(project: Project, writer: _Writer, made) -> list[dict]:
    """The recordings the pages play (content `audio`, checked by kit check), copied from the content folder into
    assets/audio/; each as the manifest lists it (path, bytes, sha256)."""
    import hashlib

    from .content import not_readable

    loaded = sorted({path for _, page in made for path in page.loads if path.startswith(AUDIO)})
    if not loaded:
        return []
    langs = list(dict.fromkeys(doc.spec.lang for doc, _ in made))
    sources = recording_files(project.kb, langs)
    found = []
    for path in loaded:
        if path not in sources or not_readable(*sources[path]):
            continue  # the link check names the page that wants it (kit check said what is wrong with the file)
        data = sources[path][0].read_bytes()
        writer.write(path, data, "recording")
        found.append({"path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return found


def _check_links(made, written: dict[str, str]) -> None:
    """Every page links and loads only files of the site, and every anchor (#id) exists in its page."""
    ids = {doc.path: page.ids for doc, page in made}
    problems = []
    for doc, page in made:
        for path in sorted(set(page.links) | set(page.loads)):
            if path not in written:
                problems.append(
                    Problem(
                        f"{doc.path} links to {path}, which the site does not have "
                        f"(layout {doc.layout.name}, {doc.layout.template})"
                    )
                )
        for anchor in sorted(set(page.anchors)):
            path, _, fragment = anchor.partition("#")
            if path in ids and fragment not in ids[path]:
                problems.append(
                    Problem(f"{doc.path} links to {anchor}: {path} has no element with id '{fragment}'")
                )
    if problems:
        raise BuildError(
            f"{len(problems)} broken link{'s' if len(problems) > 1 else ''} in the site:", problems
        )


# --- manifest, sitemap, export ------------------------------------------------------------------------------


def manifest(
    project: Project,
    pages: list[SitePage],
    files: list[str],
    base: str | None,
    library: dict | None = None,
    fonts: list[dict] | None = None,
    recordings: list[dict] | None = None,
) -> str:
    """The site's manifest.json (kit.files.manifest_text, as every command's): its pages, then every file; with
    the print library, its record (kit.library: each language's inputs digest, every PDF with its facts); the web
    fonts' record (path, key, sha256: what a later run takes back); with recordings (content `audio`), each one's
    path, bytes and sha256."""
    head = {
        "generator": "kit site",
        "kit_version": __version__,
        "content_version": project.kb.meta.content_version,
        "content_date": project.kb.meta.date.isoformat(),
        "base_url": base,
        **({"library": library} if library else {}),
        **({"fonts": fonts} if fonts else {}),
        **({"recordings": recordings} if recordings else {}),
    }
    return "".join(manifest_text(head, {"pages": [page.entry(base) for page in pages], "files": files}))


def sitemap(pages: list[SitePage], base: str, lastmod: str) -> str:
    """sitemap.xml: each page's full address, the date of the texts, and the same page in the other languages."""

    def key(page: SitePage) -> tuple:
        return (page.doc.layout.html.page, page.doc.spec.level, page.doc.spec.questions)

    by_page: dict[tuple, list[SitePage]] = {}
    for page in pages:
        by_page.setdefault(key(page), []).append(page)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    pages = [page for page in pages if page.doc.layout.html.page != "not_found"]  # not a page to index
    for page in pages:
        lines.append(f"  <url><loc>{escape(base + page.doc.page)}</loc><lastmod>{lastmod}</lastmod>")
        twins = by_page[key(page)]
        if len(twins) > 1:
            for twin in twins:
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang={quoteattr(twin.doc.spec.lang)} '
                    f"href={quoteattr(base + twin.doc.page)}/>"
                )
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _easy_pages(kb, lang: str) -> dict:
    """The Easy-to-Read pages' texts as the site's Easy-to-Read home says them ({n}: its number of questions)."""
    count = str(sum(lang in q.translations for q in kb.questions))
    easy = kb.shared.falc[lang].model_dump(mode="json")
    for item in easy["intro"]:
        item["text"] = item["text"].replace("{n}", count)
    return easy


def export(project: Project, lang: str, base: str | None) -> str:
    """The knowledge base in one language as JSON, for partners' sites: every question with every text, its pages
    on this site, the shared blocks, the glossary and the benefit stories."""
    from .addresses import SitePages

    kb = project.kb
    pages = SitePages(kb)

    def where(path: str) -> dict:
        return {"path": path, **({"url": base + path} if base else {})}

    shared = kb.shared
    data = {
        "generator": f"kit {__version__}",
        "lang": lang,
        "content_version": kb.meta.content_version,
        "date": kb.meta.date.isoformat(),
        "reviewed_by": list(kb.meta.reviewed_by),
        "partial": kb.is_partial(lang),  # a partial language: no full answers
        "translation_reviewed_by": kb.reviewers(lang),  # native speakers who checked it (empty: nobody yet)
        "falc_checked_by": list(kb.meta.falc_checked_by),
        "home": where(pages.home(lang)),
        "easy_home": where(pages.home(lang, "falc")),
        "summary": shared.summary[lang].model_dump(mode="json"),
        "rights": shared.rights[lang].model_dump(mode="json"),
        "act": shared.act[lang].model_dump(mode="json"),
        "questions": [
            {
                "id": q.id,
                "order": q.order,
                "pictogram": q.pictogram,
                "in_summary": q.in_summary,
                "page": where(pages.question(q.id, lang)),
                "easy_page": where(pages.question(q.id, lang, "falc")),
                **q.translations[lang].model_dump(mode="json", exclude={"path", "audio"}),
            }
            for q in kb.questions
            if lang in q.translations
        ],
        "easy": _easy_pages(kb, lang),
        "glossary": [
            {"id": term.id, **term.translations[lang].model_dump(mode="json")}
            for term in shared.glossary
            if lang in term.translations
        ],
        "stories": [
            {
                "id": story.id,
                "pictogram": story.pictogram,
                "questions": kb.story_questions(story),
                "page": {**where(pages.stories(lang)), "anchor": story.id},
                "sources": [source.model_dump(mode="json") for source in story.sources],
                **story.translations[lang].model_dump(mode="json"),
            }
            for story in kb.stories_in(lang)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


__all__ = ["SiteResult", "build_site", "export", "manifest", "sitemap"]
