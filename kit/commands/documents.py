"""The document commands: the whole kit, one poster, a leaflet, the letter, the Easy-to-Read set, and the other channels (social cards, e-mail, slides)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import kit

from .app import app, open_project, report_set, run, with_progress
from .options import (
    BleedOpt,
    BwOpt,
    ChannelsOpt,
    ConfigOpt,
    ContentOpt,
    FalcLogoOpt,
    ForceOpt,
    LangOpt,
    LangsOpt,
    LayoutsOpt,
    LevelOpt,
    NoCheckOpt,
    OutFileOpt,
    PdfUaOpt,
    SizesOpt,
    VenueOpt,
)


@app.command()
def build(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the kit into.")] = Path("out"),
    lang: LangsOpt = None,
    format: Annotated[
        str | None,
        typer.Option("--format", help="Poster formats, comma-separated: A4, A3, A2 (default: A4,A3)."),
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="standard, falc or both (default: both).")
    ] = None,
    venue: VenueOpt = None,
    channels: ChannelsOpt = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bleed: BleedOpt = 0.0,
    bw: BwOpt = False,
    pdf_ua: PdfUaOpt = False,
    falc_logo: FalcLogoOpt = None,
    no_check: NoCheckOpt = False,
    force: ForceOpt = False,
) -> None:
    """Build the whole default kit (posters, leaflets, FALC documents), its catalogue and manifest.json.

    With --channels, also (or instead) the social cards, the newsletter and text messages, the slides."""

    project = open_project(
        ctx,
        config,
        content,
        layouts,
        bleed=bleed,
        bw=bw,
        pdf_ua=pdf_ua,
        falc_logo=falc_logo,
        no_check=no_check,
    )
    report_set(
        with_progress(
            ctx,
            lambda progress: kit.build_kit(
                project, out, lang, format, level, venue, progress, channels, force
            ),
        )
    )


@app.command()
def poster(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="A question id (see `kit list`) or 'summary'.")],
    lang: LangOpt = None,
    format: Annotated[str, typer.Option("--format", help="A4, A3 or A2 (FALC: A4 or A3).")] = "A4",
    level: LevelOpt = "standard",
    venue: VenueOpt = None,
    out: OutFileOpt = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bleed: BleedOpt = 0.0,
    bw: BwOpt = False,
    pdf_ua: PdfUaOpt = False,
    falc_logo: FalcLogoOpt = None,
    no_check: NoCheckOpt = False,
) -> None:
    """Build one poster."""

    project = open_project(
        ctx,
        config,
        content,
        layouts,
        bleed=bleed,
        bw=bw,
        pdf_ua=pdf_ua,
        falc_logo=falc_logo,
        no_check=no_check,
    )
    target, built = run(ctx, lambda: kit.build_poster(project, question, lang, format, level, venue, out))
    typer.echo(f"Wrote {target} ({built.spec.format}, {built.pages} page)")


@app.command()
def leaflet(
    ctx: typer.Context,
    lang: LangOpt = None,
    level: LevelOpt = "standard",
    venue: VenueOpt = None,
    out: OutFileOpt = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bleed: BleedOpt = 0.0,
    bw: BwOpt = False,
    pdf_ua: PdfUaOpt = False,
    falc_logo: FalcLogoOpt = None,
    no_check: NoCheckOpt = False,
) -> None:
    """Build the tri-fold leaflet (A4, both sides, folded in three)."""

    project = open_project(
        ctx,
        config,
        content,
        layouts,
        bleed=bleed,
        bw=bw,
        pdf_ua=pdf_ua,
        falc_logo=falc_logo,
        no_check=no_check,
    )
    target, built = run(ctx, lambda: kit.build_leaflet(project, lang, level, venue, out))
    typer.echo(f"Wrote {target} ({built.pages} pages: {built.print_hint})")


@app.command()
def letter(
    ctx: typer.Context,
    route: Annotated[
        str | None,
        typer.Option(
            "--route",
            help="snds (national data: to one's health insurance fund), hospital (to the hospital's data protection "
            "officer) or study (to the organisation a study's letter names). Default: all three.",
        ),
    ] = None,
    lang: LangOpt = None,
    level: LevelOpt = "standard",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="The PDF file to write (with several routes, each adds its route to the name)."
        ),
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    pdf_ua: PdfUaOpt = False,
    falc_logo: FalcLogoOpt = None,
    no_check: NoCheckOpt = False,
) -> None:
    """Build the letter to say no: one A4 page per route, to fill in by hand and send."""

    project = open_project(
        ctx, config, content, layouts, pdf_ua=pdf_ua, falc_logo=falc_logo, no_check=no_check
    )
    for target, built in run(ctx, lambda: kit.build_letter(project, route, lang, level, out)):
        typer.echo(f"Wrote {target} ({built.doc.spec.route}, {built.pages} page)")


@app.command()
def falc(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the FALC documents into.")] = Path(
        "out-falc"
    ),
    lang: LangsOpt = None,
    format: Annotated[
        str | None, typer.Option("--format", help="Poster formats: A4, A3 (default: both).")
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bleed: BleedOpt = 0.0,
    bw: BwOpt = False,
    pdf_ua: PdfUaOpt = False,
    falc_logo: FalcLogoOpt = None,
    no_check: NoCheckOpt = False,
    force: ForceOpt = False,
) -> None:
    """Build the Easy-to-Read (FALC) documents: booklet, a poster per question, leaflet."""

    project = open_project(
        ctx,
        config,
        content,
        layouts,
        bleed=bleed,
        bw=bw,
        pdf_ua=pdf_ua,
        falc_logo=falc_logo,
        no_check=no_check,
    )
    report_set(
        with_progress(ctx, lambda progress: kit.build_falc(project, out, lang, format, progress, force))
    )


@app.command()
def social(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the cards into.")] = Path("out-social"),
    lang: LangsOpt = None,
    size: SizesOpt = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bw: BwOpt = False,
    no_check: NoCheckOpt = False,
) -> None:
    """PNG cards for social media: a card per question (and its Easy-to-Read one) and per benefit story, with the post
    text and the picture's alternative text in manifest.json."""

    project = open_project(ctx, config, content, layouts, bw=bw, no_check=no_check)
    report_set(with_progress(ctx, lambda progress: kit.build_social(project, out, lang, size, progress)))


@app.command()
def email(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the newsletter and messages into.")
    ] = Path("out-email"),
    lang: LangsOpt = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bw: BwOpt = False,
    no_check: NoCheckOpt = False,
) -> None:
    """The newsletter per language (an .eml to open in a mail program, and the HTML alone with its pictures for a
    mailing tool) and a text message per question (SMS, messaging apps)."""

    project = open_project(ctx, config, content, layouts, bw=bw, no_check=no_check)
    report_set(with_progress(ctx, lambda progress: kit.build_email(project, out, lang, progress)))


@app.command()
def slides(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the slides into.")] = Path("out-slides"),
    lang: LangsOpt = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bw: BwOpt = False,
    no_check: NoCheckOpt = False,
) -> None:
    """The Café IA facilitator's slides (a 16:9 PDF) and a looping version for waiting-room screens (1920x1080 PNGs)."""

    project = open_project(ctx, config, content, layouts, bw=bw, no_check=no_check)
    report_set(with_progress(ctx, lambda progress: kit.build_slides(project, out, lang, progress)))
