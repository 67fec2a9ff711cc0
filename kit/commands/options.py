"""The options the commands share, declared once (name, help, metavar), so each command lists only its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Your organisation's kit.toml (default: kit.toml in this folder, if any).",
    ),
]
ContentOpt = Annotated[
    Path | None,
    typer.Option("--content", help="Use another knowledge base folder (same format as the built-in one)."),
]
LayoutsOpt = Annotated[
    Path | None,
    typer.Option(
        "--layouts", help="A folder of templates/stylesheets that override or add to the built-in ones."
    ),
]
BleedOpt = Annotated[
    float,
    typer.Option(
        "--bleed", metavar="MM", help="Print-shop output: bleed in mm (3 is usual) with crop marks."
    ),
]
BwOpt = Annotated[bool, typer.Option("--bw", help="Black-and-white variant for office printers.")]
PdfUaOpt = Annotated[
    bool,
    typer.Option("--pdf-ua", help="Tagged, accessible PDF (PDF/UA-1). FALC documents are always tagged."),
]
FalcLogoOpt = Annotated[
    Path | None,
    typer.Option(
        "--falc-logo",
        metavar="PATH",
        help="The European Easy-to-Read logo file (needs the names of the people who checked the text).",
    ),
]
NoCheckOpt = Annotated[
    bool, typer.Option("--no-check", help="Build even if `kit check` finds errors in the content.")
]
LangsOpt = Annotated[str | None, typer.Option("--lang", help="Languages, comma-separated (default: all).")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Language (default: the first one, fr).")]
LevelOpt = Annotated[str, typer.Option("--level", help="standard, or falc (Easy-to-Read).")]
VenueOpt = Annotated[
    str | None,
    typer.Option(
        "--venue",
        help="Add the line for a kind of place: france-services, la-poste, cafe-ia (see `kit list`).",
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace files in the output folder that kit did not write (index.html, manifest.json...).",
    ),
]
OutFileOpt = Annotated[Path | None, typer.Option("--out", help="The PDF file to write.")]
ChannelsOpt = Annotated[
    str | None,
    typer.Option(
        "--channels",
        help="What to make, comma-separated: print (posters, leaflets, FALC), social (PNG cards), email "
        "(newsletter and text messages), slides (deck and screen loop). Default: print.",
    ),
]
SizesOpt = Annotated[
    str | None,
    typer.Option(
        "--size",
        help="Card sizes in pixels, comma-separated: 1080x1080, 1080x1350, 1080x1920 (default: all three).",
    ),
]
