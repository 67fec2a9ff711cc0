"""One validated project, built once: kit.toml, the knowledge base, the layouts and the render options."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from .addresses import normalise_base
from .config import Config, in_language, load_config
from .content import KnowledgeBase, Locale, Venue, load_content
from .errors import ConfigError, ContentError, OptionError, Problem
from .layouts import CONTEXTS, FORMATS, LayoutRegistry
from .resources import check_installed
from .templates import Layouts
from .theme import DEFAULT_THEME, Theme

log = logging.getLogger("kit")


@dataclass(frozen=True)
class Settings:
    """What a command asked for: the inputs a project is built from (picklable, so workers rebuild the same one)."""

    config: Path | None = None  # kit.toml (default: ./kit.toml when there is one)
    content: Path | None = None  # a knowledge base folder merged over the built-in one
    layouts: tuple[Path, ...] = ()  # template folders searched before the built-in one
    bleed: float = 0.0
    bw: bool = False
    pdf_ua: bool = False
    falc_logo: Path | None = None
    track: bool | None = None  # None: kit.toml's [build] track
    check: bool = True  # refuse content that `kit check` finds errors in


Texts = (
    str | tuple[tuple[str, str], ...]
)  # one text, or (language, text) pairs (kit.toml's per-language tables)


def _texts(value) -> Texts | None:
    return tuple(value.items()) if isinstance(value, dict) else value


@dataclass(frozen=True)
class Branding:
    """Who gives the document out: the organisation's name, logo, contact, extra footer and credits.
    Free texts may be given per language (see ``in_lang``)."""

    name: str | None = None
    logo: Path | None = None
    contact: tuple[Texts, ...] = ()
    footer: Texts | None = None
    credits: Texts | None = None

    def in_lang(self, lang: str) -> Branding:
        """The branding as a document in ``lang`` prints it (a per-language text: that language's, else the first)."""
        return replace(
            self,
            contact=tuple(in_language(item, lang) for item in self.contact),
            footer=in_language(self.footer, lang),
            credits=in_language(self.credits, lang),
        )


@dataclass(frozen=True)
class RenderOptions:
    """How and for whom documents are made: print options, branding, theme, QR targets, tracking."""

    bleed_mm: float = 0.0
    bw: bool = False
    pdf_ua: bool = False
    falc_logo: Path | None = None
    base_theme: Theme = DEFAULT_THEME
    branding: Branding = Branding()
    qr_base: str | None = None  # kit.toml [qr] base_url: one address for every QR code
    qr_targets: tuple[tuple[str, str], ...] = ()  # kit.toml [qr.targets]: an address per question
    site_base: str | None = None  # kit.toml [site] base_url: QR codes lead to the site's pages
    track: bool = False  # event packs: a placement code in each QR code (never printed)
    feedback_url: str | None = None  # event packs: the online feedback form, when the organiser has one
    site_library: tuple[str, ...] = ()  # kit site: the languages whose pages link to the print library

    def __post_init__(self):
        if not 0 <= self.bleed_mm <= 10:
            raise OptionError(f"--bleed {self.bleed_mm:g}: give a bleed between 0 and 10 mm (3 is usual).")

    @property
    def theme(self) -> Theme:
        return self.base_theme.black_and_white() if self.bw else self.base_theme


@dataclass
class Project:
    """Everything a command needs, validated: build it with :func:`load_project`, then make one library call."""

    settings: Settings
    config: Config
    kb: KnowledgeBase
    layouts: Layouts  # the template search path (Jinja2)
    registry: LayoutRegistry  # the declared layouts
    options: RenderOptions
    allowed_roots: tuple[Path, ...] = field(default=())  # folders documents may read besides kit's own

    def locale(self, lang: str) -> Locale:
        return self.kb.locale(lang)

    def venue(self, venue_id: str) -> Venue:
        return self.kb.venue(venue_id)

    @property
    def languages(self) -> list[str]:
        return self.kb.languages

    @property
    def site_languages(self) -> list[str]:
        """The languages the companion site publishes: kit.toml's [site] languages, else every language kit has."""
        return list(self.config.data.site.languages or self.kb.all_languages)

    def with_options(self, **changes) -> Project:
        """The same project with other render options (say, another bleed)."""
        return replace(self, options=replace(self.options, **changes))


def falc_logo_file(kb: KnowledgeBase, logo: Path | None) -> Path | None:
    """The Easy-to-Read logo's file, resolved (None without one); OptionError when it may not be printed (no
    named checkers in kit.yaml) or is not a picture kit can print."""
    if logo is None:
        return None
    if not kb.meta.falc_checked_by:
        raise OptionError(
            "The Easy-to-Read logo may only be printed when people with intellectual disabilities checked the "
            "text: add their names to 'falc_checked_by' in kit.yaml, or leave out --falc-logo."
        )
    path = Path(logo).resolve()
    if not path.is_file():
        raise OptionError(f"--falc-logo: the file {logo} does not exist.")
    if path.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg"):
        raise OptionError(f"--falc-logo: {logo} must be an SVG, PNG or JPEG picture.")
    return path


def _options(settings: Settings, config: Config) -> RenderOptions:
    data = config.data
    contact = tuple(
        _texts(v)
        for v in (data.contact.phone, data.contact.email, data.contact.address, data.contact.hours)
        if v
    )
    branding = Branding(
        name=data.organisation.name,
        logo=config.logo,
        contact=contact,
        footer=_texts(data.organisation.footer),
        credits=_texts(data.organisation.credits),
    )
    return RenderOptions(
        bleed_mm=float(settings.bleed or 0),
        bw=settings.bw,
        pdf_ua=settings.pdf_ua,
        falc_logo=Path(settings.falc_logo) if settings.falc_logo else None,
        base_theme=config.theme(),
        branding=branding,
        qr_base=data.qr.base_url,
        qr_targets=tuple(data.qr.targets.items()),
        site_base=normalise_base(data.site.base_url),
        track=data.build.track if settings.track is None else settings.track,
        feedback_url=data.feedback.url or data.build.feedback_url,
    )


def _site_languages(config: Config, kb: KnowledgeBase) -> list[Problem]:
    """kit.toml's [site] languages and library are languages of the content (complete or partial)."""
    return [
        config.problem(
            f"'{lang}' is not a language of the content ({', '.join(kb.all_languages)})",
            ("site", "languages"),
        )
        for lang in config.data.site.languages or []
        if lang not in kb.all_languages
    ] + [
        config.problem(
            f"'{lang}' is not a language of the content ({', '.join(kb.all_languages)})", ("site", "library")
        )
        for lang in (config.data.site.library if isinstance(config.data.site.library, list) else [])
        if lang not in kb.all_languages
    ]


def _cross_problems(config: Config, kb: KnowledgeBase, registry: LayoutRegistry) -> list[Problem]:
    """What kit.toml and the venue records name must exist in the knowledge base and the layouts."""
    problems = []
    for qid in config.data.qr.targets:
        if qid not in kb.question_ids:
            problems.append(
                config.problem(
                    f"there is no question '{qid}' (known: {', '.join(kb.question_ids)})",
                    ("qr", "targets", qid),
                )
            )
    build = config.data.build
    if build.venue is not None and build.venue not in kb.venue_ids:
        problems.append(
            config.problem(
                f"unknown venue '{build.venue}' (choose among {', '.join(kb.venue_ids)})", ("build", "venue")
            )
        )
    if build.story is not None and build.story not in kb.story_ids:
        problems.append(
            config.problem(
                f"there is no story '{build.story}' (stories: {', '.join(kb.story_ids) or 'none'})",
                ("build", "story"),
            )
        )
    hashtags = config.data.social.hashtags
    for lang in hashtags if isinstance(hashtags, dict) else []:
        if lang not in kb.languages:
            problems.append(
                config.problem(
                    f"'{lang}' is not a language of the content ({', '.join(kb.languages)})",
                    ("social", "hashtags", lang),
                )
            )
    for lang in build.languages or []:
        if lang not in kb.languages:
            problems.append(
                config.problem(
                    f"'{lang}' is not a language of the content ({', '.join(kb.languages)})",
                    ("build", "languages"),
                )
            )
    problems += _site_languages(config, kb)
    for fmt in build.formats or []:
        if fmt not in FORMATS:
            problems.append(
                config.problem(
                    f"unknown format '{fmt}' (choose among {', '.join(FORMATS)})", ("build", "formats")
                )
            )
    venues_file = kb.sources.get("venues.yaml")
    for i, venue in enumerate(kb.venues):
        for j, entry in enumerate(venue.pack):
            where = ("venues", i, "pack", j)
            if (entry.layout, entry.level) not in registry:
                problems.append(
                    venues_file.problem(
                        f"venue '{venue.id}' names a {entry.level} layout '{entry.layout}' that does not exist "
                        f"(layouts: {', '.join(registry.names())})",
                        where + ("layout",),
                        rule="consistency",
                        hint="Name a layout that `kit list` shows, or add its declaration to your layouts folder.",
                    )
                )
                continue
            layout = registry.get(entry.layout, entry.level)
            for fmt in entry.formats or []:
                if fmt not in layout.formats:
                    problems.append(
                        venues_file.problem(
                            f"the {entry.layout} layout comes in {', '.join(layout.formats)}, not {fmt}",
                            where + ("formats",),
                            rule="consistency",
                            hint="Choose formats the layout comes in.",
                        )
                    )
    for layout in registry:
        if layout.context not in CONTEXTS:
            problems.append(
                Problem(
                    f"layout '{layout.name}' ({layout.level}) asks for the context '{layout.context}', "
                    f"which does not exist (contexts: {', '.join(CONTEXTS)})"
                )
            )
    return problems


def load_project(settings: Settings | None = None, *, config: Config | None = None, **kwargs) -> Project:
    """Build and validate the project: kit.toml, content (built-in + the user's), layouts, options.

    Folders given in ``settings`` win over those of kit.toml (its content/ and layouts/ folders).
    Every problem of kit.toml and of what it names is reported at once (ConfigError); content problems
    are a ContentError; with ``settings.check`` content that `kit check` finds errors in is refused.
    """
    settings = settings or Settings(**kwargs)
    check_installed()
    config = config or load_config(settings.config)
    content_dir = settings.content if settings.content is not None else config.content_dir
    layout_dirs = list(settings.layouts) or ([config.layouts_dir] if config.layouts_dir else [])
    kb = load_content(content_dir)
    layouts = Layouts([Path(d) for d in layout_dirs])
    registry = LayoutRegistry.load(layouts.search_path)
    problems = _cross_problems(config, kb, registry)
    if problems:
        where = config.path or "the knowledge base"
        raise ConfigError(
            f"{where}: {len(problems)} problem{'s' if len(problems) > 1 else ''} with what it names:",
            problems,
        )
    options = _options(settings, config)
    project = Project(
        settings,
        config,
        kb,
        layouts,
        registry,
        options,
        tuple(p for p in (kb.root, options.branding.logo) if p),
    )
    falc_logo_file(
        kb, options.falc_logo
    )  # the Easy-to-Read logo needs named checkers and a file: say why, up front
    if settings.check:
        from .check import check_or_raise

        check_or_raise(
            kb=kb,
            theme=options.theme,
            link_hosts=config.link_hosts,
            languages=tuple(config.data.build.languages or ()),
        )
    return project


__all__ = ["Branding", "ContentError", "Project", "RenderOptions", "Settings", "load_project"]
