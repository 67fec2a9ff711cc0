"""Planning: which documents a command makes, with their layouts and paths, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .addresses import SitePages
from .errors import LayoutError, OptionError
from .layouts import DEFAULT_FORMATS, FORMATS, LEVELS, Layout
from .specs import DocSpec, PrintRow, describe, file_stem

if TYPE_CHECKING:
    from .events import Event
    from .placements import PlacementRegistry
    from .project import Project

SUMMARY = "summary"
CHANNEL_EXTENSIONS = {
    "pdf": ".pdf",
    "html": ".html",
    "social": ".png",
    "slides": ".png",
    "video": ".mp4",
    "email": ".eml",
    "sms": ".txt",
}
FORMAT_EXTENSIONS = {
    "16:9": ".pdf",
    "eml": ".eml",
    "html": ".html",
    "txt": ".txt",
}  # where the format decides
# `kit build --channels`: each value and the layout channels it builds.
CHANNEL_GROUPS = {
    "print": ("pdf",),
    "social": ("social",),
    "email": ("email", "sms"),
    "slides": ("slides", "video"),
}
SITE_FORMAT = "screen"  # the `format` of a site page's spec (pages have no paper size)


@dataclass(frozen=True)
class Planned:
    """A document to make: what it is (spec), how (its declared layout) and where it goes (path)."""

    spec: DocSpec
    layout: Layout
    page: str | None = (
        None  # a page of the companion site: its address (kit.addresses.SitePages), like "fr/securite/"
    )

    @property
    def name(self) -> str:
        return file_stem(self.spec, self.layout)

    @property
    def path(self) -> str:
        """Relative to the output folder: <lang>/<name><extension of the layout's channel, or of its format>; a site
        page's index.html."""
        if self.page is not None:  # a folder's index.html, or a file at the root (404.html)
            return self.page if self.page.endswith(".html") else f"{self.page}index.html"
        extension = FORMAT_EXTENSIONS.get(self.spec.format) or CHANNEL_EXTENSIONS[self.layout.channel]
        return f"{self.spec.lang}/{self.name}{extension}"

    def describe(self) -> str:
        return describe(self.spec, self.layout)

    def advice(self) -> str:
        return self.layout.advice_for(self.spec)


def planned(project: Project, spec: DocSpec) -> Planned:
    """A spec with its declared layout, refusing a format the layout does not come in."""
    layout = project.registry.get(spec.layout, spec.level)
    if spec.format not in layout.formats:
        raise OptionError(
            f"The {describe(spec, layout)} does not exist: the {layout.name} comes in "
            f"{', '.join(layout.formats)}."
        )
    return Planned(spec, layout)


# --- options -------------------------------------------------------------------------------------


def parse_list(
    value: str | list[str] | tuple[str, ...] | None, allowed: list[str], what: str, default
) -> list[str]:
    """Split a comma-separated option and check every item, naming the bad ones and the choices."""
    if value is None:
        value = default  # defaults (from kit.toml) are checked like a value given on the command line
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [item.strip() for item in items if item.strip()]
    canon = {a.lower(): a for a in allowed}
    bad = [item for item in items if item.lower() not in canon]
    if bad or not items:
        raise OptionError(
            f"Unknown {what}: {', '.join(bad) or '(none given)'}. Choose among: {', '.join(allowed)}."
        )
    return list(dict.fromkeys(canon[item.lower()] for item in items))


def one_of(value, allowed: list[str], what: str, default, example: str) -> str:
    items = parse_list(value, allowed, what, default)
    if len(items) != 1:
        raise OptionError(f"Give one {what} for a single document (for example {example}).")
    return items[0]


def check_venue(project: Project, venue: str | None) -> str | None:
    if venue is not None and venue not in project.kb.venue_ids:
        raise OptionError(f"Unknown venue '{venue}'. Choose among: {', '.join(project.kb.venue_ids)}.")
    return venue


def _questions(project: Project, which: str) -> list[tuple[str, ...]]:
    """The questions of each document: one per question ('each'), or one document for the summary's or all."""
    kb = project.kb
    if which == "each":
        return [(qid,) for qid in kb.question_ids]
    return [tuple(kb.summary_ids if which == SUMMARY else kb.question_ids)]


def _in_language(project: Project, lang: str, groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The question groups as ``lang`` has them: a partial language may lack a question (one a user added); its
    documents leave that question out (`kit check` says so)."""
    if not project.kb.is_partial(lang):
        return groups
    has = {q.id for q in project.kb.questions if lang in q.translations}
    kept = [tuple(qid for qid in group if qid in has) for group in groups]
    return [group for group in kept if group]


def _subjects(project: Project, which: str, lang: str) -> list[tuple[tuple[str, ...], str | None]]:
    """What each document of a layout is about: its questions (those the language has), and its benefit story
    ('stories': one per story told in the language)."""
    if which == "stories":
        return [(tuple(project.kb.story_questions(story)), story.id) for story in project.kb.stories_in(lang)]
    return [(questions, None) for questions in _in_language(project, lang, _questions(project, which))]


def _each_summary(project: Project, which: str) -> list[tuple[str, ...]]:
    """As :func:`_questions`, but 'each' means each question of the summary (event packs)."""
    if which == "each":
        return [(qid,) for qid in project.kb.summary_ids]
    return _questions(project, which)


# --- the default kit -----------------------------------------------------------------------------


def plan_kit(
    project: Project,
    langs=None,
    formats=None,
    levels=None,
    venue: str | None = None,
    channels=None,
    sizes=None,
) -> list[Planned]:
    """`kit build`: every declared layout that is part of the kit, in each language, level and format asked for.

    ``channels`` (print, social, email, slides; default print) chooses which layouts; ``formats`` are the paper
    formats of print documents, ``sizes`` the screen formats of cards and slides (default: each layout's own)."""
    build = project.config.data.build
    groups = parse_list(channels, list(CHANNEL_GROUPS), "channel", ["print"])
    wanted = {name for group in groups for name in CHANNEL_GROUPS[group]}
    langs = parse_list(langs, project.kb.all_languages, "language", build.languages or project.languages)
    formats = (
        parse_list(formats, list(FORMATS), "format", build.formats or DEFAULT_FORMATS)
        if "pdf" in wanted
        else []
    )
    levels = parse_list(levels, list(LEVELS), "level", LEVELS)
    venue = check_venue(project, venue or build.venue)
    in_kit = sorted(
        (layout for layout in project.registry if layout.in_kit and layout.channel in wanted),
        key=lambda layout: (
            list(CHANNEL_EXTENSIONS).index(layout.channel),
            LEVELS.index(layout.level),
            layout.in_kit.order,
            layout.name,
        ),
    )
    if sizes is not None:
        known = list(
            dict.fromkeys(fmt for layout in in_kit if layout.channel != "pdf" for fmt in layout.formats)
        )
        sizes = parse_list(sizes, known, "size", known)
    docs = []
    for lang in langs:
        partial = project.kb.is_partial(lang)
        for layout in (
            layout for layout in in_kit if layout.level in levels and (layout.partial or not partial)
        ):
            if layout.channel == "pdf" and layout.in_kit.formats != "own":
                chosen = [fmt for fmt in formats if fmt in layout.formats]
            else:
                chosen = [
                    fmt for fmt in layout.formats if sizes is None or layout.channel == "pdf" or fmt in sizes
                ]
            for fmt in chosen:
                for index, (questions, story) in enumerate(
                    _subjects(project, layout.in_kit.questions, lang), start=1
                ):
                    doc_venue = venue if layout.level == "standard" and layout.channel == "pdf" else None
                    docs.append(
                        Planned(
                            DocSpec(
                                layout.name,
                                lang,
                                fmt,
                                questions,
                                layout.level,
                                doc_venue,
                                story=story,
                                index=index,
                            ),
                            layout,
                        )
                    )
    return docs


def plan_poster(
    project: Project, question: str, lang=None, format="A4", level="standard", venue: str | None = None
) -> Planned:
    """`kit poster`: one question poster (or the summary poster)."""
    kb = project.kb
    venue = venue or project.config.data.build.venue
    if question != SUMMARY and question not in kb.question_ids:
        raise OptionError(
            f"Unknown question '{question}'. Choose among: {', '.join([*kb.question_ids, SUMMARY])}."
        )
    lang = one_of(lang, kb.languages, "language", kb.languages[:1], "--lang fr")
    fmt = one_of(format, list(FORMATS), "format", ["A4"], "--format A3")
    level = one_of(level, list(LEVELS), "level", ["standard"], "--level falc")
    venue = check_venue(project, venue)
    if question == SUMMARY:
        if level != "standard":
            raise OptionError("The summary poster has no FALC version: use `kit falc` for the FALC booklet.")
        return planned(project, DocSpec("summary-poster", lang, fmt, tuple(kb.summary_ids), venue=venue))
    return planned(
        project,
        DocSpec("poster", lang, fmt, (question,), level=level, venue=venue if level == "standard" else None),
    )


def plan_leaflet(project: Project, lang=None, level="standard", venue: str | None = None) -> Planned:
    """`kit leaflet`: the tri-fold leaflet, standard or Easy-to-Read."""
    kb = project.kb
    venue = venue or project.config.data.build.venue
    lang = one_of(lang, kb.languages, "language", kb.languages[:1], "--lang fr")
    level = one_of(level, list(LEVELS), "level", ["standard"], "--level falc")
    return planned(
        project,
        DocSpec(
            "leaflet",
            lang,
            "A4",
            tuple(kb.summary_ids),
            level=level,
            venue=check_venue(project, venue) if level == "standard" else None,
        ),
    )


def plan_letter(project: Project, route=None, lang=None, level="standard") -> list[Planned]:
    """`kit letter`: the letter to say no, one page per route (snds, hospital, study; all three unless one is
    chosen), standard or Easy-to-Read. Complete languages only: the letter goes to a French organisation."""
    from .content import LETTER_ROUTES

    kb = project.kb
    lang = one_of(lang, kb.languages, "language", kb.languages[:1], "--lang fr")
    level = one_of(level, list(LEVELS), "level", ["standard"], "--level falc")
    routes = parse_list(route, list(LETTER_ROUTES), "route", list(LETTER_ROUTES))
    return [
        planned(project, DocSpec("letter", lang, "A4", (), level=level, route=name, index=index))
        for index, name in enumerate(routes, start=1)
    ]


# --- the companion site ----------------------------------------------------------------------------


def site_layouts(project: Project) -> dict[tuple[str, str], Layout]:
    """The declared layouts of the HTML channel, by the page they make and its level."""
    found: dict[tuple[str, str], Layout] = {}
    for layout in project.registry:
        if layout.channel != "html":
            continue
        key = (layout.html.page, layout.level)
        if key in found:
            raise LayoutError(
                f"Two layouts make the {layout.level} '{layout.html.page}' page of the site: "
                f"{found[key].name} and {layout.name}. Keep one (or give one another page)."
            )
        found[key] = layout
    return found


def plan_site(project: Project, langs=None) -> list[Planned]:
    """`kit site`: every page the site's addresses name (kit.addresses.SitePages), each with the layout declared for
    its kind and level. The pages are the addresses the QR codes point to, no more and no fewer."""
    kb = project.kb
    # Partial languages too: their documents' QR codes lead to their home and Easy-to-Read pages.
    langs = parse_list(
        langs, kb.all_languages, "language", project.config.data.build.languages or kb.all_languages
    )
    layouts = site_layouts(project)
    docs = []
    for page in SitePages(kb).every(langs):
        layout = layouts.get((page.kind, page.level))
        if layout is None:
            level = " and 'level: falc'" if page.level == "falc" else ""
            raise LayoutError(
                f"No layout makes the {page.level} '{page.kind}' page of the site: declare one with "
                f"'channel: html' and 'html: {{page: {page.kind}}}'{level}."
            )
        # A question page is about its question; a home page lists them all; the other pages name none.
        questions = (
            (page.question,) if page.question else tuple(kb.question_ids) if page.kind == "home" else ()
        )
        spec = DocSpec(layout.name, page.lang, SITE_FORMAT, questions, page.level, site_langs=tuple(langs))
        docs.append(Planned(spec, layout, page.path))
    return docs


# --- event packs ---------------------------------------------------------------------------------


def plan_event(
    project: Project, event: Event, titles: dict | None = None, registry: PlacementRegistry | None = None
) -> list[Planned]:
    """The documents of one event's pack, as its venue record lists them, then the pack's print sheet.

    ``titles`` caches document titles across events (the print sheet lists them). With tracking, each
    document's QR code carries a placement code from ``registry`` (kit.placements: the campaign's registry
    keeps codes unique across runs; without one, codes are unique in this event only).
    """
    kb = project.kb
    venue = project.venue(event.venue_type)
    entries: list[tuple[Planned, str]] = []  # each document, and how many copies it needs ('one' or 'people')

    def add(entry, lang: str) -> None:
        layout = project.registry.get(entry.layout, entry.level)
        if kb.is_partial(lang) and not layout.partial:
            return  # a partial language has the texts of some layouts only (kit.yaml partial_languages)
        for fmt, route in _formats_and_routes(entry, layout):
            for questions in _in_language(project, lang, _each_summary(project, entry.questions)):
                tracked = _tracked(project, layout)
                spec = DocSpec(
                    layout.name,
                    lang,
                    fmt,
                    questions,
                    layout.level,
                    venue=venue.id if entry.venue_line else None,
                    event=event if (layout.event or tracked) else None,
                    route=route,
                )
                entries.append((Planned(spec, layout), entry.copies))

    for lang in event.languages:
        for entry in venue.pack:
            if not entry.falc:
                add(entry, lang)
    if event.falc:
        falc_langs = dict.fromkeys(project.locale(lang).falc_lang or lang for lang in event.languages)
        for lang in (lang for lang in falc_langs if lang in kb.all_languages):
            for entry in venue.pack:
                if entry.falc:
                    add(entry, lang)
    entries = _with_placements(project, event, entries, registry)
    titles = {} if titles is None else titles
    rows = tuple(_print_row(project, doc, copies, event, titles) for doc, copies in entries)
    sheet = project.registry.get("print-sheet")
    docs = [doc for doc, _ in entries]
    # The print sheet speaks to the organiser: in the row's first complete language (its texts are complete only).
    sheet_lang = next((lang for lang in event.languages if lang in kb.languages), kb.languages[0])
    docs.append(
        Planned(
            DocSpec(
                sheet.name,
                sheet_lang,
                sheet.formats[0],
                tuple(project.kb.summary_ids),
                event=event,
                rows=rows,
            ),
            sheet,
        )
    )
    return docs


def _formats_and_routes(entry, layout: Layout) -> list[tuple[str, str | None]]:
    """A pack entry's documents: each of its formats and, for the letter to say no, each route."""
    from .content import LETTER_ROUTES

    routes = LETTER_ROUTES if layout.routes else (None,)
    return [(fmt, route) for fmt in entry.formats or layout.formats[:1] for route in routes]


def _with_placements(
    project: Project, event: Event, entries: list, registry: PlacementRegistry | None
) -> list[tuple[Planned, str]]:
    """With tracking, each event document with a QR code gets its placement code (all of the event's at once:
    one transaction of the registry)."""
    tracked = [i for i, (doc, _) in enumerate(entries) if _tracked(project, doc.layout)]
    if not tracked:
        return entries
    from .placements import Place, open_registry

    book = registry if registry is not None else open_registry(None)
    documents = [(entries[i][0].path, entries[i][0].spec.lang) for i in tracked]
    codes = book.codes(Place.of(event), documents)
    entries = list(entries)
    for i, code in zip(tracked, codes):
        doc, copies = entries[i]
        entries[i] = (Planned(replace(doc.spec, placement=code), doc.layout), copies)
    return entries


def _tracked(project: Project, layout: Layout) -> bool:
    """With tracking, a document with a QR code is the event's own (its code names the place)."""
    return project.options.track and layout.pdf is not None and layout.pdf.qr_mm is not None


def _print_row(project: Project, doc: Planned, copies: str, event: Event, titles: dict) -> PrintRow:
    from .context import prepare

    # A title names the event only when the layout is made for it: the others are the same for every event.
    if doc.layout.event:
        title = prepare(doc.spec, doc.layout, project).title
    else:
        key = replace(doc.spec, event=None, placement=None)
        if key not in titles:
            titles[key] = prepare(key, doc.layout, project).title
        title = titles[key]
    count = doc.layout.sheets(event.copies or 1) if copies == "people" else 1
    return PrintRow(
        title=title,
        paper=doc.spec.format,
        copies=count,
        sides=doc.layout.pdf.sides if doc.layout.pdf else "one_side",
        file=doc.path,
    )
