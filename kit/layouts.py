"""Declared layouts: each template's `<name>.layout.yaml` beside it says what it is, what it needs and how it prints."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .content import YamlFile, check_pattern, layer, read_yaml
from .errors import LayoutError, OptionError, Problem

if TYPE_CHECKING:
    from .specs import DocSpec

DECLARATION = ".layout.yaml"

# Paper formats, portrait, in millimetres, and how to print each at home or in a shop.
FORMATS = {"A4": (210, 297), "A3": (297, 420), "A2": (420, 594)}
DEFAULT_FORMATS = ("A4", "A3")
LEVELS = ("standard", "falc")
PRINT_HINTS = {
    "A4": "A4 paper, portrait, actual size (100 %, no 'fit to page')",
    "A3": "A3 paper, portrait, actual size (100 %)",
    "A2": "A2 paper, portrait (print shop or plotter), actual size",
}
SIDES = ("one_side", "two_sides_short", "two_sides_long")
# QR codes: a symbol side of at least a tenth of the reading distance (where the page has room), never below
# 20 mm, nor below 30 mm on a document handed out (read in the hand, often by older people, with older phones).
QR_MIN_MM = 20
QR_HANDOUT_MIN_MM = 30
FALC_MIN_PT = 16  # Easy-to-Read sentences are never set smaller

DECLARATION_HINT = "See the declarations of kit's own layouts (layouts/*.layout.yaml) for examples."
_PAGES_RE = re.compile(r"^questions\s*\+\s*(\d+)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


PerFormat = float | dict[str, float]


class PrintSpec(_Model):
    """How a layout is printed (the PDF channel): paper, stylesheets, pages, tagging, reading distance, QR size,
    copyfit range, sides."""

    stylesheets: list[str] = Field(min_length=1)
    format_sheet: bool = True  # add css/format-<format>.css (page size and type scale)
    formats: list[Literal["A4", "A3", "A2"]] = Field(min_length=1)
    pages: int | str = 1  # a number, "questions + N", or "flow" (as many as the text needs)
    tagged: bool = False  # always an accessible PDF: tagged, PDF/UA-1 identifier, XMP title
    # How far away the document is read, in metres (a number, or one per format). With it, the QR symbol is a
    # tenth of the distance, at most qr_mm (the room the page gives it). Without it, qr_mm is the symbol's side.
    distance_m: PerFormat | None = None
    qr_mm: PerFormat | None = (
        None  # the QR symbol's side (quiet zone excluded), or its largest with distance_m
    )
    handout: bool = False  # handed out (leaflet, flyer, form): QR symbol never below 30 mm
    # Copyfit: the size (pt) of the text of every area marked data-copyfit, [smallest, largest] (or one per format):
    # each area gets the largest size at which its text fits; below the smallest, it is a fit error.
    copyfit: tuple[float, float] | dict[str, tuple[float, float]] | None = None
    # Copyfit's first try (pt, or one per format; default: the middle of the range). Event documents, whose text
    # changes little from one event to the next, start at their usual size: fewer layouts per event.
    copyfit_first: float | dict[str, float] | None = None
    sides: Literal["one_side", "two_sides_short", "two_sides_long"] = "one_side"
    per_sheet: int = Field(1, ge=1)  # copies of the document on one sheet (invitations: 4)
    print: str | None = None  # how to print it (default: by format)

    @field_validator("pages")
    @classmethod
    def _pages(cls, value):
        if isinstance(value, int):
            if value < 1:
                raise ValueError("pages: give 1 or more")
            return value
        if value != "flow" and not _PAGES_RE.match(value.strip()):
            raise ValueError("pages: give a number, 'questions + N' or 'flow'")
        return value.strip()

    @field_validator("distance_m", "qr_mm")
    @classmethod
    def _positive(cls, value):
        for size in value.values() if isinstance(value, dict) else [value] if value is not None else []:
            if size <= 0:
                raise ValueError("give a size above 0")
        return value

    @field_validator("copyfit")
    @classmethod
    def _range(cls, value):
        for low, high in value.values() if isinstance(value, dict) else [value] if value is not None else []:
            if not 0 < low <= high:
                raise ValueError("copyfit: give [smallest, largest] sizes in pt, the smallest first")
        return value

    @model_validator(mode="after")
    def _first_in_range(self):
        first, fit = self.copyfit_first, self.copyfit
        if first is None:
            return self
        if fit is None or isinstance(fit, dict) != isinstance(first, dict):
            raise ValueError("copyfit_first: give it as the copyfit range is given (once, or one per format)")
        for fmt, size in first.items() if isinstance(first, dict) else [("", first)]:
            low, high = fit.get(fmt, (0, 0)) if isinstance(fit, dict) else fit
            if not low <= size <= high:
                raise ValueError(f"copyfit_first: {size:g} pt is outside the copyfit range {fmt}".rstrip())
        return self

    @model_validator(mode="after")
    def _handout_qr(self) -> PrintSpec:
        if self.handout and self.qr_mm is not None:
            sizes = self.qr_mm.values() if isinstance(self.qr_mm, dict) else [self.qr_mm]
            if any(size < QR_HANDOUT_MIN_MM for size in sizes):
                raise ValueError(f"qr_mm: a QR code on a handout is at least {QR_HANDOUT_MIN_MM} mm")
        return self


def _for_format(value, spec_format: str, what: str, layout: str):
    """A declaration value given once, or per format."""
    if isinstance(value, dict):
        if spec_format in value:
            return value[spec_format]
        raise LayoutError(f"The {layout} layout gives no {what} for {spec_format}.")
    return value


SCREEN_SIZE_RE = re.compile(r"^(\d{2,4})x(\d{2,4})$")
DECK_FORMAT = "16:9"  # a screen layout's PDF deck: pages of DECK_PX CSS pixels
DECK_PX = (1920, 1080)
PX_PER_MM = 96 / 25.4


def screen_px(fmt: str) -> tuple[int, int]:
    """A screen format's size in CSS pixels: "1080x1350" -> (1080, 1350); the PDF deck "16:9" -> DECK_PX."""
    if fmt == DECK_FORMAT:
        return DECK_PX
    match = SCREEN_SIZE_RE.match(fmt)
    if not match:
        raise OptionError(f"'{fmt}' is not a screen size: write WIDTHxHEIGHT in pixels, like 1080x1350.")
    return int(match.group(1)), int(match.group(2))


class ScreenSpec(_Model):
    """How a layout shows on screens (the social and slides channels): sizes, stylesheets, pages, QR size, free areas.

    Each page is laid out at its size in CSS pixels with the PDF channel's fit checks, then rasterised to a PNG of
    exactly that many pixels; the format "16:9" is a PDF deck of 1920 x 1080 pixel pages instead."""

    stylesheets: list[str] = Field(min_length=1)
    formats: list[str] = Field(min_length=1)  # "1080x1080" (a PNG of that size) or "16:9" (the PDF deck)
    pages: int | str = 1  # a number, "questions + N" or "flow"
    qr_px: float | None = None  # the QR symbol's side in CSS pixels, quiet zone excluded
    free_px: dict[str, tuple[int, int]] = {}  # by format: (top, bottom) bands kept free of text (overlays)
    min_text_px: float = 0  # no text smaller, but in elements marked data-small

    @field_validator("formats")
    @classmethod
    def _formats(cls, value):
        for fmt in value:
            if fmt != DECK_FORMAT and not SCREEN_SIZE_RE.match(fmt):
                raise ValueError(
                    f"formats: '{fmt}' is not WIDTHxHEIGHT in pixels (like 1080x1350) or {DECK_FORMAT}"
                )
        return value

    _pages = field_validator("pages")(PrintSpec._pages.__func__)


class MessageSpec(_Model):
    """How a layout is sent (the email and sms channels): its formats and, for e-mail, the plain-text template."""

    formats: list[Literal["eml", "html", "txt"]] = Field(min_length=1)
    text_template: str | None = None  # e-mail: the plain-text alternative, rendered with the same context


class SiteSpec(_Model):
    """How a layout is published (the HTML channel): which page of the companion site it makes, its stylesheets."""

    page: Literal[
        "languages", "home", "question", "stories", "glossary", "about", "changes", "not_found", "library"
    ]  # the address (kit.addresses.SitePages)
    stylesheets: list[str] = Field(min_length=1)  # joined into the site's one stylesheet, assets/site.css


class InKit(_Model):
    """How a layout takes part in `kit build` (the default kit)."""

    questions: Literal[
        "each", "summary", "all", "stories"
    ]  # one document per question, for the summary's / all
    # questions, or one per benefit story
    formats: Literal["chosen", "own"] = "chosen"  # the formats asked for (--format), or the layout's own
    order: int = 0  # where it comes in the kit, within its language and level


# The context builders a declaration may name (`context:`): kit.context.BUILDERS has exactly these keys (tested).
# They are named here, with the declarations, so that a project checks its layouts without running a context.
CONTEXTS = (
    "question",
    "campaign",
    "falc-question",
    "falc-leaflet",
    "falc-booklet",
    "event-poster",
    "invitation",
    "guide",
    "memo",
    "feedback",
    "print-sheet",
    "pocket-card",
    "door-hanger",
    "mediator-sheet",
    "letter",
    "site-languages",
    "site-home",
    "site-question",
    "site-easy-home",
    "site-easy-question",
    "site-glossary",
    "site-about",
    "site-changes",
    "site-stories",
    "site-not-found",
    "site-library",
    "social-question",
    "social-story",
    "newsletter",
    "sms",
    "deck",
    "screen-home",
    "screen-question",
    "screen-story",
    "screen-rights",
    "screen-loop",
)


class Layout(_Model):
    """A declared layout: its template, the context it is filled with, its channel and how it prints."""

    name: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    level: Literal["standard", "falc"] = "standard"
    description: str = ""
    channel: Literal["pdf", "html", "social", "slides", "video", "email", "sms"] = "pdf"
    template: str
    file: str = "{name}-{format}"  # the file name: {name}, {format}, {question}, {route} (level, venue added)
    context: str  # which context builder fills the template (CONTEXTS; see `kit list`)
    event: bool = False  # made for one event of `kit pack` (its place, date and time)
    partial: bool = False  # made in partial languages too: it uses only the texts they have
    routes: bool = False  # one document per route of the letter to say no (snds, hospital, study)
    in_kit: InKit | None = None
    pdf: PrintSpec | None = None
    html: SiteSpec | None = None  # the HTML channel: the site page it makes
    screen: ScreenSpec | None = None  # the social and slides channels: sizes in pixels, free areas
    message: MessageSpec | None = None  # the email and sms channels
    advice: str = (
        "Shorten the texts named."  # what to do when text does not fit; {bigger} names a bigger format
    )

    @model_validator(mode="after")
    def _channel_part(self) -> Layout:
        if self.channel == "html" and self.html is None:
            raise ValueError("a layout of the html channel needs an 'html:' part (page, stylesheets)")
        needs = {
            "social": "screen",
            "slides": "screen",
            "video": "screen",
            "email": "message",
            "sms": "message",
        }.get(self.channel)
        if needs and getattr(self, needs) is None:
            raise ValueError(f"a layout of the {self.channel} channel needs a '{needs}:' part")
        return self

    @field_validator("file")
    @classmethod
    def _file_placeholders(cls, value: str) -> str:
        return check_pattern(value, ("name", "format", "question", "story", "route", "n"))

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.level)

    @property
    def part(self) -> PrintSpec | ScreenSpec | MessageSpec | None:
        """The declaration's part for its channel (pdf:, screen: or message:)."""
        return self.pdf or self.screen or self.message

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.part.formats) if self.part else ()

    def pages(self, spec: DocSpec) -> int | None:
        """How many pages the document has (None: as many as its text needs)."""
        pages = getattr(self.part, "pages", 1)
        if isinstance(pages, int):
            return pages
        if pages == "flow":
            return None
        return len(spec.questions) + int(_PAGES_RE.match(pages).group(1))

    def stylesheets_for(self, spec: DocSpec) -> list[str]:
        if self.screen:
            return list(self.screen.stylesheets)
        sheets = list(self.pdf.stylesheets)
        if self.pdf.format_sheet:
            sheets.append(f"css/format-{spec.format}.css")
        return sheets

    def print_hint(self, spec: DocSpec) -> str:
        if self.channel != "pdf":
            return ""
        if self.pdf and self.pdf.print:
            return self.pdf.print
        return PRINT_HINTS.get(spec.format, f"{spec.format} paper, actual size")

    @model_validator(mode="after")
    def _falc_minimum(self) -> Layout:
        fit = self.pdf.copyfit if self.pdf else None
        if self.level == "falc" and fit is not None:
            ranges = fit.values() if isinstance(fit, dict) else [fit]
            if any(low < FALC_MIN_PT for low, _ in ranges):
                raise ValueError(f"copyfit: Easy-to-Read sentences are never under {FALC_MIN_PT} pt")
        return self

    def distance_m(self, spec: DocSpec) -> float | None:
        """How far away the document is read (metres), if the layout says."""
        value = self.pdf.distance_m if self.pdf else None
        return (
            None
            if value is None
            else _for_format(value, spec.format, "reading distance (distance_m)", self.name)
        )

    def qr_mm(self, spec: DocSpec) -> float:
        """The QR symbol's side in mm (quiet zone excluded): a tenth of the reading distance where the page has
        room for it (qr_mm), never below 20 mm (30 mm on a handout); qr_mm itself without a distance. Screens: qr_px."""
        if self.screen and self.screen.qr_px:
            return self.screen.qr_px / PX_PER_MM
        size = self.pdf.qr_mm if self.pdf else None
        if size is None:
            raise LayoutError(f"The {self.name} layout prints a QR code but gives no QR size (qr_mm).")
        room = _for_format(size, spec.format, "QR size (qr_mm)", self.name)
        distance = self.distance_m(spec)
        if distance is None:
            return room
        floor = QR_HANDOUT_MIN_MM if self.pdf.handout else QR_MIN_MM
        return round(max(floor, min(distance * 1000 / 10, room)), 2)

    def fit_range(self, spec: DocSpec) -> tuple[float, float] | None:
        """The copyfit range in pt ([smallest, largest]) for this document's format, if the layout has one."""
        value = self.pdf.copyfit if self.pdf else None
        if value is None:
            return None
        low, high = _for_format(value, spec.format, "copyfit range", self.name)
        return float(low), float(high)

    def fit_first(self, spec: DocSpec) -> float | None:
        """Copyfit's first try in pt for this document's format, if the layout declares one."""
        value = self.pdf.copyfit_first if self.pdf else None
        return (
            None if value is None else float(_for_format(value, spec.format, "copyfit first try", self.name))
        )

    def sheets(self, copies: int) -> int:
        """Sheets to print for ``copies`` copies (invitations: four to a sheet)."""
        return math.ceil(copies / (self.pdf.per_sheet if self.pdf else 1))

    def advice_for(self, spec: DocSpec) -> str:
        formats = list(self.formats)
        index = formats.index(spec.format) if spec.format in formats else len(formats)
        bigger = formats[index + 1] if index + 1 < len(formats) else None
        return self.advice.replace(
            "{bigger}", f", or print it in {bigger} (--format {bigger})" if bigger else ""
        )


class LayoutRegistry:
    """Every declared layout, built-in first, then the user's folders (a user declaration of the same name
    and level changes the fields it gives; a new name adds a layout)."""

    def __init__(self, layouts: dict[tuple[str, str], Layout]):
        self._layouts = layouts

    def __iter__(self):
        return iter(self._layouts.values())

    def __contains__(self, key) -> bool:
        return key in self._layouts

    def get(self, name: str, level: str = "standard") -> Layout:
        try:
            return self._layouts[(name, level)]
        except KeyError:
            raise OptionError(
                f"There is no {level} {name} layout. Layouts: {', '.join(self.names())}."
            ) from None

    def names(self) -> list[str]:
        return [f"{name}" + (f" ({level})" if level != "standard" else "") for name, level in self._layouts]

    @classmethod
    def load(cls, search_path: list[Path]) -> LayoutRegistry:
        """Read every ``*.layout.yaml`` of the search path (built-in folder last in ``search_path``)."""
        problems: list[Problem] = []
        merged: dict[tuple[str, str], YamlFile] = {}
        for folder in reversed(search_path):
            for path in sorted(Path(folder).rglob(f"*{DECLARATION}")):
                source = read_yaml(path, str(path), problems, root=folder)
                if source is None:
                    continue
                if not isinstance(source.data, dict):
                    problems.append(
                        source.problem(
                            "a layout declaration holds 'key: value' lines",
                            rule="layout",
                            hint=DECLARATION_HINT,
                        )
                    )
                    continue
                key = (
                    str(source.data.get("name", path.name.removesuffix(DECLARATION))),
                    str(source.data.get("level", "standard")),
                )
                merged[key] = layer(merged.get(key), source)
        layouts = {}
        for key, source in merged.items():
            try:
                layouts[key] = Layout.model_validate(source.data)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and "[" in part))
                    message = (
                        "unknown field: check its spelling"
                        if err["type"] == "extra_forbidden"
                        else err["msg"].removeprefix("Value error, ")
                    )
                    problems.append(source.problem(message, loc, rule="layout", hint=DECLARATION_HINT))
        if problems:
            raise LayoutError(
                f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in the layout declarations:",
                problems,
            )
        return cls(layouts)
