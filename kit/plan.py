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
    groups = parse_list(channels, list(CHANNEL_GROUPS), "channel", build.channels or ["print"])
    wanted = {name for group in groups for name in CHANNEL_GROUPS[group]}
    langs = parse_list(langs, project.kb.all_languages, "language", build.languages or project.languages)
    published(project, langs)
    formats = (
        parse_list(formats, list(FORMATS), "format", build.formats or DEFAULT_FORMATS)
        if "pdf" in wanted
        else []
    )
    levels = parse_list(levels, list(LEVELS), "level", LEVELS)
    venue = check_venue(project, venue or build.venue)
    in_kit = _kit_layouts(project, wanted)
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
    if not docs:
        raise OptionError(
            "Nothing to make: "
            + " ".join(absent_notes(project, langs, in_kit, levels) or ["no layout asked for."])
        )
    return docs


def _kit_layouts(project: Project, wanted) -> list[Layout]:
    """The layouts that are part of the kit for the layout channels ``wanted``, in the kit's order."""
    return sorted(
        (layout for layout in project.registry if layout.in_kit and layout.channel in wanted),
        key=lambda layout: (
            list(CHANNEL_EXTENSIONS).index(layout.channel),
            LEVELS.index(layout.level),
            layout.in_kit.order,
            layout.name,
        ),
    )


def kit_notes(project: Project, langs=None, levels=None, channels=None) -> list[str]:
    """What `kit build` (and `kit falc`, `social`, `email`, `slides`) says about the partial languages asked for: one
    line for each, naming what does not exist in it and which commands make what does."""
    build = project.config.data.build
    groups = parse_list(channels, list(CHANNEL_GROUPS), "channel", build.channels or ["print"])
    wanted = {name for group in groups for name in CHANNEL_GROUPS[group]}
    langs = parse_list(langs, project.kb.all_languages, "language", build.languages or project.languages)
    levels = parse_list(levels, list(LEVELS), "level", LEVELS)
    return absent_notes(project, langs, _kit_layouts(project, wanted), levels)


# --- the companion site: every document's QR code and address lead to a page it publishes -------------


def unpublished(project: Project, langs) -> list[str]:
    """The languages of ``langs`` whose documents would print the site's addresses (kit.toml [site] base_url) that
    the site does not publish ([site] languages)."""
    if not project.options.site_base:
        return []
    site = project.site_languages
    return [lang for lang in dict.fromkeys(langs) if lang not in site]


def unpublished_line(project: Project, langs: list[str]) -> str:
    """Why documents in ``langs`` are not printed, and what to do."""
    names = ", ".join(langs)
    return (
        f"The companion site does not publish {names} (kit.toml [site] languages: "
        f"{', '.join(project.site_languages)}): the QR code and address printed on a document in {names} would "
        f"lead to a page that does not exist. Add {names} to [site] languages in kit.toml and run kit site "
        f"again, or leave {names} out."
    )


def published(project: Project, langs) -> None:
    """Refuse to print documents in a language the site does not publish (their QR codes would lead nowhere)."""
    missing = unpublished(project, langs)
    if missing:
        raise OptionError(unpublished_line(project, missing))


def unpublished_problem(project: Project, event, column: str = "languages"):
    """The problem of one event (a row of a sheet, a web form, an API request) whose pack would print an address
    in a language the site does not publish (its Easy-to-Read languages included): a RowProblem on the
    languages field, named ``column`` as the sheet writes it, saying which languages and the fix; else None."""
    from .events import RowProblem

    falc = [project.locale(lang).falc_lang or lang for lang in event.languages] if event.falc else []
    missing = unpublished(project, [*event.languages, *falc])
    if not missing:
        return None
    message = unpublished_line(project, missing)
    return RowProblem(event.row, column, message, field="languages", code="unpublished-language")


def unpublished_rows(project: Project, sheet) -> None:
    """`kit pack`: a row whose pack would print an address in a language the site does not publish fails (its
    problem names the languages column as the sheet writes it, and the fix); the other rows are built."""
    kept = []
    column = sheet.columns.get("languages", "languages")
    for event in sheet.events:
        problem = unpublished_problem(project, event, column)
        if problem is None:
            kept.append(event)
        else:
            sheet.problems.append(problem)
    sheet.events = kept


# --- partial languages: one rule for every command ------------------------------------------------


def _what(layout: Layout) -> str:
    """A layout in words, for messages: "poster", "Easy-to-Read leaflet"."""
    return f"{'Easy-to-Read ' if layout.level == 'falc' else ''}{layout.name.replace('-', ' ')}"


def _command(project: Project, layout: Layout, lang: str) -> str | None:
    """The command that makes a layout's documents in ``lang``."""
    if layout.in_kit:
        if layout.channel == "pdf":
            return f"kit {'falc' if layout.level == 'falc' else 'build'} --lang {lang}"
        group = next(name for name, channels in CHANNEL_GROUPS.items() if layout.channel in channels)
        return f"kit {group} --lang {lang}"
    for venue in project.kb.venues:
        if any(entry.layout == layout.name and entry.level == layout.level for entry in venue.pack):
            return f"kit pack with a {venue.id} row naming {lang}"
    return None


def made_in(project: Project, lang: str) -> str:
    """Which commands make what exists in a partial language: "kit falc --lang ar (Easy-to-Read booklet,
    Easy-to-Read leaflet), kit pack with a porte-a-porte row naming ar (...), kit site (its pages)"."""
    by_command: dict[str, list[str]] = {}
    for layout in sorted(project.registry, key=lambda layout: (layout.level, layout.name)):
        if layout.partial and layout.channel != "html":
            command = _command(project, layout, lang)
            if command:
                by_command.setdefault(command, []).append(_what(layout))
    found = [f"{command} ({', '.join(what)})" for command, what in sorted(by_command.items())]
    return ", ".join([*found, "kit site (its pages)"])


def absent_line(project: Project, lang: str, layouts: list[Layout]) -> str:
    """One line: what does not exist in a partial language, and which commands make what does."""
    what = ", ".join(dict.fromkeys(_what(layout) for layout in layouts))
    return (
        f"{lang} is a partial language: kit has no {what} in {lang}. "
        f"What exists in {lang}: {made_in(project, lang)}."
    )


def absent_notes(project: Project, langs, layouts: list[Layout], levels=LEVELS) -> list[str]:
    """For each partial language of ``langs``, the line saying which of ``layouts`` it lacks (none: no line)."""
    notes = []
    for lang in langs:
        if project.kb.is_partial(lang):
            missing = [layout for layout in layouts if not layout.partial and layout.level in levels]
            if missing:
                notes.append(absent_line(project, lang, missing))
    return notes


def _exists_in(project: Project, layout: Layout, lang: str) -> None:
    """A single document asked for in a language that does not have its texts: say so, and what exists."""
    if project.kb.is_partial(lang) and not layout.partial:
        raise OptionError(absent_line(project, lang, [layout]))


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
    lang = one_of(lang, kb.all_languages, "language", kb.languages[:1], "--lang fr")
    published(project, [lang])
    fmt = one_of(format, list(FORMATS), "format", ["A4"], "--format A3")
    level = one_of(level, list(LEVELS), "level", ["standard"], "--level falc")
    venue = check_venue(project, venue)
    if question == SUMMARY:
        if level != "standard":
            raise OptionError("The summary poster has no FALC version: use `kit falc` for the FALC booklet.")
        _exists_in(project, project.registry.get("summary-poster"), lang)
        return planned(project, DocSpec("summary-poster", lang, fmt, tuple(kb.summary_ids), venue=venue))
    _exists_in(project, project.registry.get("poster", level), lang)
    return planned(
        project,
        DocSpec("poster", lang, fmt, (question,), level=level, venue=venue if level == "standard" else None),
    )


def plan_leaflet(project: Project, lang=None, level="standard", venue: str | None = None) -> Planned:
    """`kit leaflet`: the tri-fold leaflet, standard or Easy-to-Read."""
    kb = project.kb
    venue = venue or project.config.data.build.venue
    lang = one_of(lang, kb.all_languages, "language", kb.languages[:1], "--lang fr")
    published(project, [lang])
    level = one_of(level, list(LEVELS), "level", ["standard"], "--level falc")
    _exists_in(project, project.registry.get("leaflet", level), lang)
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
    # Every language documents can be printed in (partial ones too), unless kit.toml's [site] languages says less:
    # a QR code of a document in any of them lands on its language's page.
    langs = parse_list(langs, kb.all_languages, "language", project.site_languages)
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
    # Each document, how many copies it needs ('one' or 'people'), and for how many people (its language's share
    # of the row's copies; an Easy-to-Read document's, the shares of the languages it is handed out for).
    entries: list[tuple[Planned, str, int]] = []

    def people(entry, lang: str) -> int:
        if not entry.falc:
            return event.people(lang)
        return sum(event.people(row_lang) for row_lang in event.languages if falc_of(row_lang) == lang)

    def falc_of(lang: str) -> str:
        return project.locale(lang).falc_lang or lang

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
                entries.append((Planned(spec, layout), entry.copies, people(entry, lang)))

    for lang in event.languages:
        for entry in venue.pack:
            if not entry.falc:
                add(entry, lang)
    if event.falc:
        falc_langs = dict.fromkeys(falc_of(lang) for lang in event.languages)
        for lang in (lang for lang in falc_langs if lang in kb.all_languages):
            for entry in venue.pack:
                if entry.falc:
                    add(entry, lang)
    entries = _with_placements(project, event, entries, registry)
    titles = {} if titles is None else titles
    # What to print: the documents on paper (the facilitator's slides are projected, not printed).
    rows = tuple(
        _print_row(project, doc, copies, count, titles)
        for doc, copies, count in entries
        if doc.layout.pdf is not None
    )
    sheet = project.registry.get("print-sheet")
    docs = [doc for doc, _, _ in entries]
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


def event_absent(project: Project, event: Event) -> dict[str, list[Layout]]:
    """The documents of an event's pack that a partial language of its row does not have, by language."""
    kb = project.kb
    venue = project.venue(event.venue_type)
    falc_langs = {project.locale(lang).falc_lang or lang for lang in event.languages} if event.falc else set()
    found: dict[str, list[Layout]] = {}
    for lang in dict.fromkeys([*event.languages, *falc_langs]):
        if not kb.is_partial(lang):
            continue
        for entry in venue.pack:
            if (entry.falc and lang not in falc_langs) or (not entry.falc and lang not in event.languages):
                continue
            layout = project.registry.get(entry.layout, entry.level)
            if not layout.partial and layout not in found.get(lang, []):
                found.setdefault(lang, []).append(layout)
    return found


def pack_notes(project: Project, events) -> list[str]:
    """What `kit pack` says once about the partial languages of its rows: for each language and kind of place, the
    rows whose packs lack documents in it, which documents, and which commands make what exists in it."""
    grouped: dict[tuple[str, str, tuple], list[str]] = {}
    for event in events:
        for lang, layouts in event_absent(project, event).items():
            key = (lang, event.venue_type, tuple(layout.key for layout in layouts))
            grouped.setdefault(key, []).append(event.id)
    notes = []
    for (lang, venue, keys), ids in grouped.items():
        what = ", ".join(dict.fromkeys(_what(project.registry.get(*key)) for key in keys))
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        notes.append(
            f"{lang} is a partial language: the {venue} pack{'s' if len(ids) > 1 else ''} of {shown} "
            f"{'have' if len(ids) > 1 else 'has'} no {what} in {lang} (only in the row's other languages). "
            f"What exists in {lang}: {made_in(project, lang)}."
        )
    return notes


def _formats_and_routes(entry, layout: Layout) -> list[tuple[str, str | None]]:
    """A pack entry's documents: each of its formats and, for the letter to say no, each route."""
    from .content import LETTER_ROUTES

    routes = LETTER_ROUTES if layout.routes else (None,)
    return [(fmt, route) for fmt in entry.formats or layout.formats[:1] for route in routes]


def _with_placements(
    project: Project, event: Event, entries: list, registry: PlacementRegistry | None
) -> list[tuple[Planned, str, int]]:
    """With tracking, each event document with a QR code gets its placement code (all of the event's at once:
    one transaction of the registry)."""
    tracked = [i for i, (doc, *_) in enumerate(entries) if _tracked(project, doc.layout)]
    if not tracked:
        return entries
    from .placements import Place, open_registry

    book = registry if registry is not None else open_registry(None)
    documents = [(entries[i][0].path, entries[i][0].spec.lang) for i in tracked]
    codes = book.codes(Place.of(event), documents)
    entries = list(entries)
    for i, code in zip(tracked, codes):
        doc, *rest = entries[i]
        entries[i] = (Planned(replace(doc.spec, placement=code), doc.layout), *rest)
    return entries


def _tracked(project: Project, layout: Layout) -> bool:
    """With tracking, a document with a QR code is the event's own (its code names the place): a printed one, or
    slides made for the event (a Café IA's deck)."""
    if not project.options.track:
        return False
    printed_qr = layout.pdf is not None and layout.pdf.qr_mm is not None
    screen_qr = layout.event and layout.screen is not None and layout.screen.qr_px is not None
    return printed_qr or bool(screen_qr)


def _print_row(project: Project, doc: Planned, copies: str, people: int, titles: dict) -> PrintRow:
    from .context import prepare

    # A title names the event only when the layout is made for it: the others are the same for every event.
    if doc.layout.event:
        title = prepare(doc.spec, doc.layout, project).title
    else:
        key = replace(doc.spec, event=None, placement=None)
        if key not in titles:
            titles[key] = prepare(key, doc.layout, project).title
        title = titles[key]
    # For the people of its language: sheets to print (a sheet of pocket cards holds four), else one copy.
    count = doc.layout.sheets(max(people, 1)) if copies == "people" else 1
    per_sheet = doc.layout.pdf.per_sheet if doc.layout.pdf else 1
    return PrintRow(
        title=title,
        paper=doc.spec.format,
        copies=count,
        sides=doc.layout.pdf.sides if doc.layout.pdf else "one_side",
        file=doc.path,
        per_sheet=per_sheet,
    )
