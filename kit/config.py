"""kit.toml: an organisation's name, logo, colours, contact, defaults and QR targets, validated with lines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .content import EmailAddress, HeaderText, SiteBase, Text, UnsubscribeAddress, Url
from .errors import ConfigError, Problem
from .fonts import describe_missing, missing_glyphs
from .theme import DEFAULT_THEME, HEX_RE, Theme

CONFIG_NAME = "kit.toml"

# A logo is drawn small: these bounds are far above any real one, and keep a hostile file cheap to check.
MAX_LOGO_BYTES = 10_000_000  # bytes of the logo file (SVG or PNG)
MAX_LOGO_PIXELS = 25_000_000  # width x height of a PNG logo (5000 x 5000), or of a picture embedded in an SVG
# kit.toml holds a few lines of settings: these bounds are far above any real one, and keep a hostile or broken file
# cheap to read (a 2 MB footer took minutes to lay out; an array nested 5,000 deep broke the TOML reader).
MAX_CONFIG_BYTES = 200_000  # bytes of kit.toml
MAX_CONFIG_TEXT = 2_000  # characters of one text (a footer, credits, an address, a name)


def _colour(value: str) -> str:
    if not HEX_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a colour: write # and 6 hexadecimal digits, like #1d4477")
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]


def _languages(value: dict) -> dict:
    if not value:
        raise ValueError('give at least one language, like fr = "…"')
    for lang in value:
        if not re.fullmatch(r"[a-z]{2,3}", lang):
            raise ValueError(f"'{lang}' is not a language code: write it like fr, en or ar")
    return value


# A free text printed on documents: one text for every language, or a table of texts by language
# ([organisation.footer] fr = "…", en = "…"); a language the table leaves out gets its first text.
PerLanguage = Text | Annotated[dict[str, Text], AfterValidator(_languages)]


def in_language(value: PerLanguage | tuple | None, lang: str) -> str | None:
    """The text of a per-language value for one language (the one text, else the first given)."""
    if value is None or isinstance(value, str):
        return value
    pairs = dict(value)
    return pairs.get(lang, next(iter(pairs.values())))


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, str_max_length=MAX_CONFIG_TEXT
    )


class Organisation(Model):
    name: HeaderText | None = None  # the newsletter's sender name too
    logo: str | None = None  # SVG or PNG, relative to kit.toml
    footer: PerLanguage | None = None  # an extra line at the foot of every document (or one per language)
    credits: PerLanguage | None = None  # extra credits (photos, partners), or one per language


class Contact(Model):
    phone: Text | None = None
    email: EmailAddress | None = None  # the newsletter's sender, mailto: links
    address: Text | None = None
    hours: PerLanguage | None = None  # or one per language


class Colours(Model):
    primary: Colour | None = None  # headings, the band behind white text
    accent: Colour | None = None  # light background of boxes
    text: Colour | None = None  # body text


def _feedback_address(value: str | None) -> str | None:
    from .addresses import template_problem

    problem = template_problem(value) if value else None
    if problem:
        raise ValueError(problem)
    return value


FeedbackUrl = Annotated[Url, AfterValidator(_feedback_address)]


class Build(Model):
    venue: str | None = None
    story: str | None = None  # the benefit story the newsletter and the slides tell (default: the first)
    languages: list[str] | None = None
    formats: list[str] | None = None
    # What `kit build` makes by default (print, social, email, slides; default print); the site's print library
    # also offers the social cards, the newsletter and the slides when they are on here.
    channels: list[str] | None = None
    track: bool = False
    feedback_url: FeedbackUrl | None = None  # event packs: the online feedback form (a QR on the paper form)
    content: str | None = None  # default: the content/ folder beside kit.toml, if there is one
    layouts: str | None = None  # default: the layouts/ folder beside kit.toml, if there is one
    allow_outside: bool = False  # true: the content, layouts and logo may be outside the project folder
    # The placement registry (kit pack --track): default placements.sqlite beside kit.toml (kit.placements).
    placements: str | None = None


def _hashtag(value: str) -> str:
    if not re.fullmatch(r"#\w+", value):
        raise ValueError(
            f"'{value}' is not a hashtag: write # and one word of letters, digits or _ (like #Sante)"
        )
    return value


Hashtag = Annotated[str, AfterValidator(_hashtag)]


class Social(Model):
    # Hashtags ending each post: one list for every language, or a table by language ([social.hashtags] fr = [...]).
    hashtags: list[Hashtag] | dict[str, list[Hashtag]] = []

    def hashtags_for(self, lang: str) -> list[str]:
        return list(self.hashtags.get(lang, [])) if isinstance(self.hashtags, dict) else list(self.hashtags)


class Email(Model):
    # What your mailing tool replaces with each reader's unsubscribe address (Mailchimp: *|UNSUB|*, Brevo:
    # {{ unsubscribe }}, Mailjet: [[UNSUB_LINK_FR]]); kit writes it as the unsubscribe link's address.
    unsubscribe: UnsubscribeAddress = "*|UNSUB|*"


class CheckSettings(Model):
    link_hosts: list[str] = []  # more hosts the content's links may lead to (besides content/review.yaml's)


class Site(Model):
    base_url: SiteBase | None = (
        None  # where the companion site (kit site) is published: QR codes lead to its pages
    )
    # The languages the site publishes (default: every language kit has, partial ones included). With base_url,
    # kit prints no document in another language: its QR code and address would lead to a missing page.
    languages: list[str] | None = None
    # The print library (kit.library): every document of the default kit as a PDF to download, per language. true
    # (the default): in every language of the site; a list: in those; false: none (kit site --no-library).
    library: bool | list[str] = True


class Qr(Model):
    base_url: Url | None = None  # one address for every QR code
    targets: dict[str, Url] = Field(default_factory=dict)  # question id -> address


class Serve(Model):
    """kit serve (the web app): what one upload may hold, how long results are kept, the render workers."""

    max_upload_mb: float = Field(default=5.0, gt=0, le=50)  # an uploaded spreadsheet's size
    max_rows: int = Field(default=5000, ge=1, le=50_000)  # the events of one uploaded spreadsheet
    keep_results_minutes: float = Field(default=60.0, gt=0)  # results are removed after this time
    job_time_limit_minutes: float = Field(default=30.0, gt=0)  # a pack or a spreadsheet stops after this
    workers: int | None = Field(default=None, ge=1)  # render processes (default: the CPU count)
    # Renders waiting beyond those (default: four per worker, kit.serve.work); more get 503 with Retry-After.
    queue: int | None = Field(default=None, ge=0)


class Feedback(Model):
    # The online feedback form (the XLSForm of `kit feedback form`, on KoboToolbox or ODK Central): a QR code on
    # the printed form and the deck's last slide. ([build] feedback_url, the older name, is read too.) On each
    # event's form the code carries the event's code: a KoboToolbox/Enketo/ODK web-form address gets its
    # `event_code` field pre-filled; any other address may say where the code goes with `{event}` after '?'.
    url: FeedbackUrl | None = None


class ConfigFile(Model):
    organisation: Organisation = Organisation()
    contact: Contact = Contact()
    colours: Colours = Colours()
    build: Build = Build()
    site: Site = Site()
    qr: Qr = Qr()
    check: CheckSettings = CheckSettings()
    social: Social = Social()
    email: Email = Email()
    serve: Serve = Serve()
    feedback: Feedback = Feedback()


@dataclass
class Config:
    """A validated kit.toml, with its paths made absolute."""

    path: Path | None
    data: ConfigFile = field(default_factory=ConfigFile)
    lines: dict[tuple, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # to say once to the user (folders read from outside)

    def problem(self, message: str, loc: tuple) -> Problem:
        """A problem located in kit.toml (its key's line, or its table's)."""
        key = tuple(loc)
        while key and key not in self.lines:
            key = key[:-1]
        return Problem(message, str(self.path) if self.path else None, self.lines.get(key), ".".join(loc))

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    def _beside(self, value: str | None, default: str) -> Path | None:
        if self.folder is None:
            return None
        if value:
            return (self.folder / value).resolve()
        candidate = self.folder / default
        return candidate.resolve() if candidate.is_dir() else None

    @property
    def content_dir(self) -> Path | None:
        return self._beside(self.data.build.content, "content")

    @property
    def layouts_dir(self) -> Path | None:
        return self._beside(self.data.build.layouts, "layouts")

    @property
    def placements_registry(self) -> Path | None:
        """The campaign's placement registry: [build] placements, else placements.sqlite beside kit.toml; None
        without kit.toml (the output folder then keeps it)."""
        if self.folder is None:
            return None
        return (self.folder / (self.data.build.placements or "placements.sqlite")).absolute()

    @property
    def logo(self) -> Path | None:
        logo = self.data.organisation.logo
        return (self.folder / logo).resolve() if logo and self.folder else None

    @property
    def link_hosts(self) -> list[str]:
        """Hosts the content's links may lead to besides kit's list: [check] link_hosts and the site's own host."""
        from urllib.parse import urlsplit

        hosts = list(self.data.check.link_hosts)
        if self.data.site.base_url:
            hosts.append(urlsplit(self.data.site.base_url).hostname or "")
        return [h for h in hosts if h]

    def theme(self) -> Theme:
        colours = self.data.colours
        changes = {"primary": colours.primary, "tint": colours.accent, "ink": colours.text}
        return replace(DEFAULT_THEME, **{k: v for k, v in changes.items() if v})


# Theme names as kit.toml calls them, for messages.
_COLOUR_NAMES = {
    "primary": "colours.primary",
    "tint": "colours.accent",
    "ink": "colours.text",
    "paper": "white paper",
    "on_primary": "white text",
    "muted": "the small print colour",
}


def toml_lines(text: str) -> dict[tuple, int]:
    """Map each table and key of a TOML file to its 1-based line (plain tables and keys, as kit.toml uses)."""
    lines: dict[tuple, int] = {}
    table: tuple = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\s*([^\[\]]+?)\s*\]", line)
        if header:
            table = tuple(part.strip().strip('"') for part in header.group(1).split("."))
            lines.setdefault(table, number)
            continue
        key = re.match(r'^("[^"]+"|[A-Za-z0-9_.-]+)\s*=', line)
        if key:
            parts = tuple(part.strip().strip('"') for part in key.group(1).split("."))
            lines.setdefault(table + parts, number)
    return lines


def find_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Path | None:
    """The kit.toml to use: the one given, else the one in the current folder, else none."""
    if explicit is not None:
        path = Path(explicit)
        if path.is_dir():
            inside = path / CONFIG_NAME
            hint = (
                f"give the file itself: {inside}"
                if inside.is_file()
                else f"give the path of a {CONFIG_NAME} file"
            )
            raise ConfigError(f"The configuration file {path} is a folder, not a file: {hint}.")
        if not path.is_file():
            raise ConfigError(f"The configuration file {path} does not exist.")
        return path
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    if candidate.is_dir():
        raise ConfigError(
            f"{candidate} is a folder, not a file: kit looks for its settings in a file named "
            f"{CONFIG_NAME}. Rename or move that folder."
        )
    return candidate if candidate.is_file() else None


def load_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Config:
    """Read and validate kit.toml; report every problem with its key and line, then stop once."""
    path = find_config(explicit, cwd)
    if path is None:
        return Config(None)
    display = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(
                f"{display} has {size:,} bytes: kit.toml holds a few lines of settings, at most "
                f"{MAX_CONFIG_BYTES:,} bytes. Is it the right file? Shorten the long texts in it."
            )
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (old Windows Notepad) is not a key
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display} cannot be read: {exc}. Save it as UTF-8 text.") from exc
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(
            f"{display} has arrays or tables nested too deep to read (hundreds inside each other): kit.toml's "
            "values are texts, lists of texts and small tables. Is it the right file?"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"{display} is not valid TOML: {exc}.",
            [Problem(str(exc), display, int(line.group(1)) if line else None)],
        ) from exc
    lines = toml_lines(text)

    def line_of(loc: tuple) -> int | None:
        while loc and loc not in lines:
            loc = loc[:-1]
        return lines.get(loc)

    problems: list[Problem] = []
    data = None
    try:
        data = ConfigFile.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and "[" in part))
            if err["type"] == "extra_forbidden":
                message = (
                    "unknown key: check its spelling (unknown keys are refused so that typos are not ignored)"
                )
            elif err["type"] == "string_too_long":
                message = (
                    f"this text has {len(err['input']):,} characters: a kit.toml text is printed on documents "
                    f"or in their margins, at most {MAX_CONFIG_TEXT:,} characters. Shorten it"
                )
            else:
                message = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(message, display, line_of(loc), ".".join(map(str, loc))))
        problems = _one_per_key(problems, [err["type"] for err in exc.errors()])
    config = Config(path, data or ConfigFile(), lines)
    if data is not None:
        problems += _check_values(config, display, line_of)
    if problems:
        raise ConfigError(
            f"{display} has {len(problems)} problem{'s' if len(problems) > 1 else ''}:", problems
        )
    return config


def _printed_texts(data: ConfigFile):
    """(key, text) of every kit.toml text printed on documents (a per-language text: each language's)."""
    for table in ("organisation", "contact"):
        for key, value in getattr(data, table).model_dump().items():
            if key == "logo" or not value:
                continue
            for lang, text in value.items() if isinstance(value, dict) else [(None, value)]:
                yield ((table, key, lang) if lang else (table, key)), text


def _one_per_key(problems: list[Problem], types: list[str]) -> list[Problem]:
    """A value that may be a text or a table (a per-language text) gives an error for each: what is wrong with
    it (too long, not a language code) is said, not that it is not the other kind; two kinds it is not are said
    in one problem."""
    by_key: dict[str | None, list[tuple[Problem, str]]] = {}
    for problem, kind in zip(problems, types):
        by_key.setdefault(problem.field, []).append((problem, kind))
    kept = []
    for found in by_key.values():
        real = [problem for problem, kind in found if not kind.endswith("_type")]
        if real:
            kept += real
        elif len(found) > 1:
            kinds = " or ".join(p.message.removeprefix("Input should be ") for p, _ in found)
            kept.append(replace(found[0][0], message=f"Input should be {kinds}"))
        else:
            kept.append(found[0][0])
    return kept


def _check_values(config: Config, display: str, line_of) -> list[Problem]:
    data = config.data
    problems = []

    def add(message: str, loc: tuple) -> None:
        problems.append(Problem(message, display, line_of(loc), ".".join(loc)))

    outside = _outside_project(config)
    for name, loc, path in outside:
        if data.build.allow_outside:
            config.notes.append(
                f"{display}: the {name} {path} is outside the project folder {config.folder.resolve()}; "
                "kit reads it because [build] allow_outside = true."
            )
        else:
            add(
                f"the {name} {path} is outside the project folder {config.folder.resolve()} (the folder of "
                f"{CONFIG_NAME}): documents may read what the configured folders hold, so kit reads (and keeps its "
                "registry) only inside the project. Move it into the project folder or, if you mean to use it from there, write "
                "allow_outside = true under [build]",
                loc,
            )
    refused = {loc for _, loc, _ in outside} if not data.build.allow_outside else set()
    logo = config.logo
    if logo is not None and ("organisation", "logo") not in refused:
        reason = logo_problem(logo)
        if reason:
            add(reason, ("organisation", "logo"))
    for name, key in (("content", config.data.build.content), ("layouts", config.data.build.layouts)):
        if not key:
            continue
        folder = (config.folder / key).resolve()
        if folder.is_file():
            add(
                f"the {name} folder {folder} is a file, not a folder: give the folder that holds it",
                ("build", name),
            )
        elif not folder.is_dir():
            add(f"the {name} folder {folder} does not exist", ("build", name))
    problems += _qr_addresses(config, display, line_of)
    for loc, value in _printed_texts(data):
        tofu, sure = missing_glyphs(value)
        if tofu and sure:
            add(f"this text has {describe_missing(tofu)}", loc)
    theme = config.theme()
    for fg, bg, ratio, minimum in theme.contrast_report():
        if ratio < minimum:
            key = next((k for k in (fg, bg) if k in ("primary", "tint", "ink")), fg)
            loc = (
                ("colours", {"primary": "primary", "tint": "accent", "ink": "text"}[key])
                if key in ("primary", "tint", "ink")
                else ("colours",)
            )
            add(
                f"{_COLOUR_NAMES.get(fg, fg)} {getattr(theme, fg)} on {_COLOUR_NAMES.get(bg, bg)} {getattr(theme, bg)} "
                f"has a contrast of {ratio:.2f}:1; it needs at least {minimum}:1",
                loc,
            )
    return problems


def _qr_addresses(config: Config, display: str, line_of) -> list[Problem]:
    """kit.toml's QR addresses fit the smallest QR code that prints them and still scan (see kit.qr)."""
    from .addresses import feedback_reserve
    from .qr import QR_CAMPAIGN_MM, QR_QUESTION_MM, SITE_PATH_RESERVE, link_length, max_link_chars

    data = config.data
    found = [
        (("qr", "base_url"), data.qr.base_url, QR_CAMPAIGN_MM, 0),
        (("build", "feedback_url"), data.build.feedback_url, QR_CAMPAIGN_MM, feedback_reserve),
        (("feedback", "url"), data.feedback.url, QR_CAMPAIGN_MM, feedback_reserve),
        (("site", "base_url"), data.site.base_url, QR_CAMPAIGN_MM, SITE_PATH_RESERVE),
    ]
    found += [(("qr", "targets", qid), url, QR_QUESTION_MM, 0) for qid, url in data.qr.targets.items()]
    problems = []
    for loc, url, size, reserve in found:
        if url and callable(reserve):  # the feedback form: room for the longest event code
            reserve = reserve(url)
        if url and link_length(url) > max_link_chars(size) - reserve:
            room = (
                (
                    " (the site's page paths are added to it)"
                    if loc[0] == "site"
                    else " (an event's code is added)"
                )
                if reserve
                else ""
            )
            problems.append(
                Problem(
                    f"this address has {link_length(url):,} characters: a QR code {size:g} mm wide, the smallest kit "
                    f"prints it in, is read reliably by phones only up to {max_link_chars(size) - reserve:,}{room}. "
                    "Give a shorter address",
                    display,
                    line_of(loc),
                    ".".join(loc),
                )
            )
    return problems


def _outside_project(config: Config) -> list[tuple[str, tuple, Path]]:
    """The configured folders and logo that are outside the project folder (links followed), with their key."""
    if config.folder is None:
        return []
    root = config.folder.resolve()
    found = []
    for name, loc, path in (
        ("content folder", ("build", "content"), config.content_dir),
        ("layouts folder", ("build", "layouts"), config.layouts_dir),
        ("logo", ("organisation", "logo"), config.logo),
        (
            "placement registry",
            ("build", "placements"),
            config.data.build.placements and config.placements_registry,
        ),
    ):
        if path is not None:
            real = path.resolve()
            if real != root and root not in real.parents:
                found.append((name, loc, real))
    return found


# --- The logo, drawn once when kit.toml is read ---------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]*)""", re.IGNORECASE)


class _LogoRefused(Exception):
    pass


def logo_problem(logo: Path) -> str | None:
    """Why the logo cannot be drawn as printed, or None: decoded entirely, as the printer would.

    A PNG must decode to its last pixel (a file cut off would print as a black box) and stay within
    MAX_LOGO_PIXELS. An SVG must be complete XML, declare no entities (an internal DOCTYPE) and link
    no other file or address: it may only hold its own drawing (embedded pictures are checked too).
    """
    if logo.is_dir():
        return f"the logo {logo} is a folder, not a file: give the path of the SVG or PNG file"
    if not logo.exists():
        return f"the logo file {logo} does not exist"
    suffix = logo.suffix.lower()
    if suffix not in (".svg", ".png"):
        return f"the logo {logo} must be an SVG or PNG file"
    try:
        with logo.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        return f"the logo file {logo} cannot be read ({exc.strerror or exc})"
    if len(data) > MAX_LOGO_BYTES:
        return (
            f"the logo file {logo} is larger than {MAX_LOGO_BYTES // 1_000_000} MB, the most kit reads for a "
            "logo: save a smaller version of it"
        )
    try:
        if suffix == ".png":
            if not data.startswith(b"\x89PNG"):
                return f"the logo file {logo} is not a PNG picture"
            _check_bitmap(data)
        else:
            if b"<svg" not in data[:4096]:
                return f"the logo file {logo} is not an SVG picture"
            _check_svg(data)
    except _LogoRefused as exc:
        return f"the logo file {logo} cannot be drawn: {exc}"
    return None


def _check_bitmap(data: bytes, what: str = "the picture") -> None:
    """Decode every pixel with Pillow (as WeasyPrint will), refusing cut-off files and giant sizes."""
    import io
    import warnings

    from PIL import Image, ImageFile

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise _LogoRefused(
                        f"{what} is {width} x {height} pixels ({width * height / 1e6:.0f} million); kit accepts at "
                        f"most {MAX_LOGO_PIXELS / 1e6:.0f} million for a logo. Save it smaller (2000 pixels wide "
                        "is plenty for print)"
                    )
                image.verify()  # every chunk present and intact
            truncated = ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint turns this on when it is imported
            ImageFile.LOAD_TRUNCATED_IMAGES = False
            try:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()  # every pixel decoded
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    except _LogoRefused:
        raise
    except Image.DecompressionBombError:
        raise _LogoRefused(
            f"{what} has far too many pixels; kit accepts at most {MAX_LOGO_PIXELS / 1e6:.0f} "
            "million for a logo. Save it smaller (2000 pixels wide is plenty for print)"
        ) from None
    except Exception as exc:  # Pillow says "truncated", "broken PNG file", a zlib error...
        raise _LogoRefused(
            f"{what} is damaged or cut off ({exc}). Export it again from the program that made it"
        ) from None


def _check_svg(data: bytes, depth: int = 0) -> None:
    """Parse the SVG with expat, refusing entities and every link to something outside the file."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    state: dict = {"root": None, "style": 0, "css": []}

    def refuse(message: str) -> None:
        raise _LogoRefused(f"line {parser.CurrentLineNumber} of the SVG {message}")

    def doctype(name, system_id, public_id, has_internal_subset):
        if has_internal_subset:
            refuse(
                "declares entities or other definitions (<!DOCTYPE ... [ ... ]>), which kit does not read. "
                "Export the logo as plain SVG (Inkscape: Save As > Plain SVG)"
            )

    def entity(*_args):
        refuse("declares an entity (<!ENTITY ...>), which kit does not read. Export the logo as plain SVG")

    def external(*_args):
        refuse("refers to another file through an entity. Export the logo as plain SVG")
        return 0

    def check_reference(value: str) -> None:
        value = value.strip()
        if not value or value.startswith("#"):
            return
        if value[:5].lower() == "data:":
            header, _, payload = value.partition(",")
            try:
                raw = (
                    base64.b64decode(payload, validate=False)
                    if header.lower().endswith(";base64")
                    else unquote_to_bytes(payload)
                )
            except (binascii.Error, ValueError):
                refuse("holds an embedded picture that is damaged. Embed the picture again")
            kind = header[5:].split(";")[0].strip().lower()
            if kind == "image/svg+xml":
                if depth >= 2:
                    refuse("holds pictures inside pictures too deeply. Export the logo as plain SVG")
                _check_svg(raw, depth + 1)
            elif kind.startswith("image/"):
                _check_bitmap(raw, f"the picture embedded on line {parser.CurrentLineNumber} of the SVG")
            return
        shown = value if len(value) <= 80 else value[:77] + "..."
        refuse(
            f"links to {shown}, outside the logo file: kit does not fetch it, so it would be missing "
            "from the print. Embed the picture in the SVG (Inkscape: Extensions > Images > Embed Images), "
            "or export the logo as a PNG file"
        )

    def check_css(text: str) -> None:
        if "@import" in text.lower():
            refuse("imports a style sheet from another file (@import). Export the logo as plain SVG")
        for target in _URL_RE.findall(text):
            check_reference(target)

    def start(name, attrs):
        local = name.rsplit(" ", 1)[-1]
        if state["root"] is None:
            state["root"] = name
            if local != "svg" or name.split(" ")[0] not in (_SVG_NS, "svg"):
                refuse(f"starts with <{local}> instead of <svg>: it is not an SVG picture")
        for attr, value in attrs.items():
            attr_local = attr.rsplit(" ", 1)[-1]
            if attr_local in ("href", "src") and local == "a":
                if value.strip() and not value.strip().startswith("#"):
                    refuse(
                        "makes the picture a link (<a href=...>), which paper cannot follow. Remove the link "
                        "(Inkscape: select it, then Object > Remove Link)"
                    )
            elif attr_local in ("href", "src"):
                check_reference(value)
            elif "url(" in value.lower() or attr_local == "style":
                check_css(value)
        if local == "style":
            state["style"] += 1

    def end(name):
        if name.rsplit(" ", 1)[-1] == "style":
            state["style"] -= 1
            check_css("".join(state["css"]))  # a <style> sheet, whole
            state["css"].clear()

    def text(data):
        if state["style"]:
            state["css"].append(data)

    def processing(target, _data):
        if target.lower() == "xml-stylesheet":
            refuse("uses a style sheet from another file (<?xml-stylesheet?>). Export the logo as plain SVG")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = processing
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _LogoRefused(
            f"it is not complete, valid SVG ({expat.ErrorString(exc.code)} on line {exc.lineno}): "
            "it may have been cut off. Export it again from the program that made it"
        ) from None
