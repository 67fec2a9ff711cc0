"""kit.toml: an organisation's name, logo, colours, contact, defaults and QR targets, validated with lines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .content import Text, Url
from .errors import ConfigError, Problem
from .theme import DEFAULT_THEME, HEX_RE, Theme

CONFIG_NAME = "kit.toml"


def _colour(value: str) -> str:
    if not HEX_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a colour: write # and 6 hexadecimal digits, like #1d4477")
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]


def _languages(value: dict) -> dict:
    if not value:
        raise ValueError("give at least one language, like fr = \"…\"")
    for lang in value:
        if not re.fullmatch(r"[a-z]{2,3}", lang):
            raise ValueError(f"'{lang}' is not a language code: write it like fr, en or ar")
    return value


# A free text printed on documents: one text for every language, or a table of texts by language
# ([organisation.footer] fr = "…", en = "…"); a language the table leaves out gets its first text.
PerLanguage = Text | Annotated[dict[str, Text], AfterValidator(_languages)]


def in_language(value: "PerLanguage | tuple | None", lang: str) -> str | None:
    """The text of a per-language value for one language (the one text, else the first given)."""
    if value is None or isinstance(value, str):
        return value
    pairs = dict(value)
    return pairs.get(lang, next(iter(pairs.values())))


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Organisation(Model):
    name: Text | None = None
    logo: str | None = None       # SVG or PNG, relative to kit.toml
    footer: PerLanguage | None = None    # an extra line at the foot of every document (or one per language)
    credits: PerLanguage | None = None   # extra credits (photos, partners), or one per language


class Contact(Model):
    phone: Text | None = None
    email: Text | None = None
    address: Text | None = None
    hours: PerLanguage | None = None    # or one per language


class Colours(Model):
    primary: Colour | None = None  # headings, the band behind white text
    accent: Colour | None = None   # light background of boxes
    text: Colour | None = None     # body text


class Build(Model):
    venue: str | None = None
    languages: list[str] | None = None
    formats: list[str] | None = None
    track: bool = False
    feedback_url: Url | None = None  # event packs: the online feedback form (a QR on the paper form)
    content: str | None = None    # default: the content/ folder beside kit.toml, if there is one
    layouts: str | None = None    # default: the layouts/ folder beside kit.toml, if there is one


class Qr(Model):
    base_url: Url | None = None                       # one address for every QR code
    targets: dict[str, Url] = Field(default_factory=dict)  # question id -> address


class ConfigFile(Model):
    organisation: Organisation = Organisation()
    contact: Contact = Contact()
    colours: Colours = Colours()
    build: Build = Build()
    qr: Qr = Qr()


@dataclass
class Config:
    """A validated kit.toml, with its paths made absolute."""

    path: Path | None
    data: ConfigFile = field(default_factory=ConfigFile)
    lines: dict[tuple, int] = field(default_factory=dict)

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
    def logo(self) -> Path | None:
        logo = self.data.organisation.logo
        return (self.folder / logo).resolve() if logo and self.folder else None

    def theme(self) -> Theme:
        colours = self.data.colours
        changes = {"primary": colours.primary, "tint": colours.accent, "ink": colours.text}
        return replace(DEFAULT_THEME, **{k: v for k, v in changes.items() if v})


# Theme names as kit.toml calls them, for messages.
_COLOUR_NAMES = {"primary": "colours.primary", "tint": "colours.accent", "ink": "colours.text",
                 "paper": "white paper", "on_primary": "white text", "muted": "the small print colour"}


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
        if not path.is_file():
            raise ConfigError(f"The configuration file {path} does not exist.")
        return path
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(explicit: str | Path | None = None, cwd: Path | None = None) -> Config:
    """Read and validate kit.toml; report every problem with its key and line, then stop once."""
    path = find_config(explicit, cwd)
    if path is None:
        return Config(None)
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display} cannot be read: {exc}. Save it as UTF-8 text.") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"{display} is not valid TOML: {exc}.",
                          [Problem(str(exc), display, int(line.group(1)) if line else None)]) from exc
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
                message = "unknown key: check its spelling (unknown keys are refused so that typos are not ignored)"
            else:
                message = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(message, display, line_of(loc), ".".join(map(str, loc))))
    config = Config(path, data or ConfigFile(), lines)
    if data is not None:
        problems += _check_values(config, display, line_of)
    if problems:
        raise ConfigError(f"{display} has {len(problems)} problem{'s' if len(problems) > 1 else ''}:", problems)
    return config


def _check_values(config: Config, display: str, line_of) -> list[Problem]:
    data = config.data
    problems = []

    def add(message: str, loc: tuple) -> None:
        problems.append(Problem(message, display, line_of(loc), ".".join(loc)))

    logo = config.logo
    if logo is not None:
        if not logo.is_file():
            add(f"the logo file {logo} does not exist", ("organisation", "logo"))
        elif logo.suffix.lower() not in (".svg", ".png"):
            add(f"the logo {logo} must be an SVG or PNG file", ("organisation", "logo"))
        else:
            try:
                head = logo.read_bytes()[:512]
            except OSError as exc:
                add(f"the logo file {logo} cannot be read ({exc.strerror})", ("organisation", "logo"))
            else:
                if logo.suffix.lower() == ".png" and not head.startswith(b"\x89PNG"):
                    add(f"the logo file {logo} is not a PNG picture", ("organisation", "logo"))
                if logo.suffix.lower() == ".svg" and b"<svg" not in logo.read_bytes()[:4096]:
                    add(f"the logo file {logo} is not an SVG picture", ("organisation", "logo"))
    for name, key in (("content", config.data.build.content), ("layouts", config.data.build.layouts)):
        if key and not (config.folder / key).is_dir():
            add(f"the {name} folder {(config.folder / key).resolve()} does not exist", ("build", name))
    theme = config.theme()
    for fg, bg, ratio, minimum in theme.contrast_report():
        if ratio < minimum:
            key = next((k for k in (fg, bg) if k in ("primary", "tint", "ink")), fg)
            loc = ("colours", {"primary": "primary", "tint": "accent", "ink": "text"}[key]) if key in ("primary", "tint", "ink") else ("colours",)
            add(f"{_COLOUR_NAMES.get(fg, fg)} {getattr(theme, fg)} on {_COLOUR_NAMES.get(bg, bg)} {getattr(theme, bg)} "
                f"has a contrast of {ratio:.2f}:1; it needs at least {minimum}:1", loc)
    return problems
