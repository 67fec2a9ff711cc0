"""What one document is: a layout at a level, in a language and format, about some questions (and an event)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import Event
    from .layouts import Layout


@dataclass(frozen=True)
class PrintRow:
    """One line of an event's print sheet: a document, its paper, copies and sides."""

    title: str
    paper: str
    copies: int | None  # None: the event's number of copies
    sides: str  # one of layouts.SIDES (printed in the document's language) or any text
    file: str | None = None  # the document's path in the pack
    per_sheet: int = (
        1  # copies of the document on one sheet: then ``copies`` counts sheets (the sheet says so)
    )


@dataclass(frozen=True)
class DocSpec:
    """One document to make: a layout at a level, in a language and format, about some questions."""

    layout: str
    lang: str
    format: str
    questions: tuple[str, ...]
    level: str = "standard"
    venue: str | None = None
    event: Event | None = None  # event packs: the event a document is made for
    rows: tuple[PrintRow, ...] = ()  # print sheets: what the pack holds
    placement: str | None = None  # tracked event packs: the code its QR code carries (`?p=`)
    site_langs: tuple[str, ...] = ()  # site pages: the languages the site is built in (its language switch)
    story: str | None = None  # a benefit story's card or slide: the story's id
    route: str | None = None  # the letter to say no: its route (content.LETTER_ROUTES)
    index: int = 0  # its place among its layout's documents (file names: {n}, from 1)


def file_stem(spec: DocSpec, layout: Layout) -> str:
    """The file name without extension: the layout's `file` pattern, the level first, the venue last."""
    stem = layout.file.format(
        name=layout.name,
        format=spec.format,
        question=spec.questions[0] if spec.questions else "",
        story=spec.story or "",
        route=spec.route or "",
        n=f"{spec.index:02d}",
    )
    parts = [stem]
    if spec.level != "standard":
        parts.insert(0, spec.level)
    if spec.venue:
        parts.append(spec.venue)
    return "-".join(parts)


def describe(spec: DocSpec, layout: Layout) -> str:
    """The document in words, for messages: "FALC poster 'wrong-hands' (fr, A4)", "leaflet (en, A4)"."""
    level = "FALC " if spec.level == "falc" else ""
    what = layout.name.replace("-", " ")
    if "{question}" in layout.file and spec.questions:
        what += f" '{spec.questions[0]}'"
    if spec.story:
        what += f" '{spec.story}'"
    if spec.route:
        what += f" '{spec.route}'"
    return f"{level}{what} ({spec.lang}, {spec.format})"
