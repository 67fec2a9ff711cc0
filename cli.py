"""The `kit` command: turns arguments into one project and one library call, and maps kit's errors to exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kit import (
    BuildError,
    ConfigError,
    ContentError,
    FitError,
    KitError,
    LayoutError,
    OptionError,
    OutputError,
    __version__,
)
from kit.errors import SpreadsheetError

# The one place where errors become exit codes (the most specific class wins); README.md lists them for users.
# 0 done; 1 other error (or some packs failed); 2 option, kit.toml or spreadsheet; 3 content; 4 layout (template,
# stylesheet, a file a layout may not read); 5 text does not fit; 6 some documents not built; 7 a file or folder
# cannot be written (a file kit did not write in the way, disk full, read-only, a file where a folder is needed;
# disk errors met anywhere else too); 70 a bug in kit; 130 interrupted.
EXIT_CODES: list[tuple[type[KitError], int]] = [
    (OptionError, 2),
    (ConfigError, 2),
    (SpreadsheetError, 2),
    (ContentError, 3),
    (LayoutError, 4),
    (FitError, 5),
    (BuildError, 6),
    (OutputError, 7),
    (KitError, 1),
]
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130
PACK_TABLE_ROWS = 50  # kit pack lists every event up to this many; beyond, only the failed ones (as many)
PACK_PROBLEMS_SHOWN = 5  # problems shown per event (problems.txt has them all)
PACK_NOTES_SHOWN = 20  # notes shown (problems.txt has them all)

app = typer.Typer(
    help="kit prints the conversation about health data: posters with QR codes, from a validated knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def exit_code_for(error: KitError) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(error, cls))


def _err(message: str) -> None:
    typer.echo(message, err=True)


def run(ctx: typer.Context, call: Callable[[], object]) -> object:
    """Run one library call; show kit's errors in plain words (a traceback only with --debug)."""
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        return call()
    except KitError as error:
        if debug:
            raise
        _err(f"Error: {error}")
        raise typer.Exit(exit_code_for(error)) from None
    except KeyboardInterrupt:
        _err("Interrupted: files already written are complete; run the same command again to finish.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except OSError as error:  # a disk or path error met outside kit's writers: the real path and the reason
        if debug:
            raise
        from kit.files import describe_os_error

        _err(f"Error: {describe_os_error(error)}")
        raise typer.Exit(exit_code_for(OutputError(""))) from None
    except (SystemExit, GeneratorExit, typer.Exit):
        raise
    except BaseException as error:  # an unexpected bug (some libraries raise BaseException): say so briefly
        if debug:
            raise
        _err(
            f"Unexpected error ({type(error).__name__}: {error}). Run again with --debug to see the details."
        )
        raise typer.Exit(EXIT_UNEXPECTED) from None


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(
        format="%(levelname)s: %(message)s", level=logging.DEBUG if debug else logging.WARNING
    )
    logging.getLogger("kit").setLevel(logging.DEBUG if debug else logging.WARNING)
    # WeasyPrint's own notes (unsupported CSS and the like) are for developers.
    logging.getLogger("weasyprint").setLevel(logging.DEBUG if debug else logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING if debug else logging.ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kit {__version__}")
        raise typer.Exit()


# --- options shared by the commands (declared once) ------------------------------------------------

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


def _project(
    ctx: typer.Context,
    config: Path | None,
    content: Path | None,
    layouts: Path | None,
    *,
    bleed: float = 0.0,
    bw: bool = False,
    pdf_ua: bool = False,
    falc_logo: Path | None = None,
    no_check: bool = False,
    track: bool | None = None,
    check: bool = True,
):
    """The command's project, validated once: kit.toml, content, layouts and options."""
    from kit.project import Settings, load_project

    settings = Settings(
        config=config or (ctx.obj or {}).get("config"),
        content=content,
        layouts=(layouts,) if layouts else (),
        bleed=bleed,
        bw=bw,
        pdf_ua=pdf_ua,
        falc_logo=falc_logo,
        track=track,
        check=check and not no_check,
    )
    project = run(ctx, lambda: load_project(settings))
    _notes(project.config)
    return project


def _notes(config) -> None:
    """What kit.toml asks kit to say once (say, folders it reads from outside the project)."""
    for note in config.notes:
        _err(f"Note: {note}")


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks and detailed logs.")] = False,
    config: ConfigOpt = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show kit's version.")
    ] = False,
) -> None:
    ctx.obj = {"debug": debug, "config": config}
    _setup_logging(debug)


def _progress_bar():
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        """Things done per second, so a long run shows its pace."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:.1f}/s" if task.speed else "")

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeRemainingColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
    )


def _with_progress(ctx: typer.Context, call) -> object:
    with _progress_bar() as bar:
        task = bar.add_task("Building", total=None)

        def progress(done, total, what):
            bar.update(task, total=total, completed=done, description=f"Building {what}")

        return run(ctx, lambda: call(progress))


def _report_set(result) -> None:
    for note in result.notes:
        typer.echo(f"Note: {note}")
    typer.echo(f"Built {len(result.documents)} documents in {result.out_dir}/")
    typer.echo(f"Catalogue: {result.catalogue}")
    typer.echo(f"Manifest:  {result.manifest}")


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
    from kit.build import build_kit

    project = _project(
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
    _report_set(
        _with_progress(
            ctx,
            lambda progress: build_kit(project, out, lang, format, level, venue, progress, channels, force),
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
    from kit.build import build_poster

    project = _project(
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
    target, built = run(ctx, lambda: build_poster(project, question, lang, format, level, venue, out))
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
    from kit.build import build_leaflet

    project = _project(
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
    target, built = run(ctx, lambda: build_leaflet(project, lang, level, venue, out))
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
    from kit.build import build_letter

    project = _project(ctx, config, content, layouts, pdf_ua=pdf_ua, falc_logo=falc_logo, no_check=no_check)
    for target, built in run(ctx, lambda: build_letter(project, route, lang, level, out)):
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
    from kit.build import build_falc

    project = _project(
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
    _report_set(_with_progress(ctx, lambda progress: build_falc(project, out, lang, format, progress, force)))


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
    from kit.build import build_social

    project = _project(ctx, config, content, layouts, bw=bw, no_check=no_check)
    _report_set(_with_progress(ctx, lambda progress: build_social(project, out, lang, size, progress)))


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
    from kit.build import build_email

    project = _project(ctx, config, content, layouts, bw=bw, no_check=no_check)
    _report_set(_with_progress(ctx, lambda progress: build_email(project, out, lang, progress)))


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
    from kit.build import build_slides

    project = _project(ctx, config, content, layouts, bw=bw, no_check=no_check)
    _report_set(_with_progress(ctx, lambda progress: build_slides(project, out, lang, progress)))


@app.command()
def pack(
    ctx: typer.Context,
    events: Annotated[Path, typer.Argument(help="The events spreadsheet (.csv or .xlsx).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the packs (one folder per event).")] = Path(
        "packs"
    ),
    zip_: Annotated[bool, typer.Option("--zip", help="Also write <id>.zip for each event.")] = False,
    track: Annotated[
        bool | None,
        typer.Option(
            "--track/--no-track",
            help="Put a short placement code in each QR code (never printed; nothing personal) "
            "and write placements.csv: which place and document each code stands for.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", min=1, help="Worker processes (default: the number of cores; 1 runs in this process)."
        ),
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    bleed: BleedOpt = 0.0,
    bw: BwOpt = False,
    pdf_ua: PdfUaOpt = False,
    no_check: NoCheckOpt = False,
) -> None:
    """Build a ready-to-print folder for each event of a spreadsheet (only what changed since last time)."""
    from kit.pack import build_packs

    project = _project(
        ctx, config, content, layouts, bleed=bleed, bw=bw, pdf_ua=pdf_ua, no_check=no_check, track=track
    )
    result = _with_progress(
        ctx, lambda progress: build_packs(project, events, out, jobs=jobs, zip_packs=zip_, progress=progress)
    )
    _print_pack_report(result)
    raise typer.Exit(1 if result.failed else 0)


def _print_pack_report(result) -> None:
    """The terminal's view of a pack run, bounded whatever its size (problems.txt and the manifest have it all)."""
    from rich.console import Console
    from rich.table import Table

    from kit.pack import bounded_report

    for warning in result.warnings[:PACK_NOTES_SHOWN]:
        typer.echo(f"Note: {warning}")
    report = bounded_report(result, PACK_TABLE_ROWS, PACK_PROBLEMS_SHOWN)
    if report.rows:
        title = (
            f"Packs in {result.out_dir}/" if report.listed_all else f"Packs that failed, in {result.out_dir}/"
        )
        table = Table("Row", "Event", "Status", "Documents", "Problems", title=title)
        for event, lines in report.rows:
            more = len(event.errors) - len(lines)
            shown = lines + ([f"... and {more:,} more"] if more else [])
            table.add_row(str(event.row), event.id, event.status, str(event.document_count), "\n".join(shown))
        Console(stderr=False).print(table)
    left = len(result.warnings) - PACK_NOTES_SHOWN
    if report.more_events or report.more_problems or left > 0:
        parts = [f"{report.more_events:,} more failed events"] if report.more_events else []
        parts += [f"{report.more_problems:,} more problems"] if report.more_problems else []
        parts += [f"{left:,} more notes"] if left > 0 else []
        typer.echo(f"Not shown: {', '.join(parts)}. Every problem and note is in {result.problems}.")
    typer.echo(f"{result.summary()} Manifest: {result.manifest}")


@app.command()
def site(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the site into.")] = Path("site"),
    lang: LangsOpt = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="The site's address once published (default: base_url in the site table "
            "of kit.toml), for the sitemap and the pages' canonical addresses.",
        ),
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    no_check: NoCheckOpt = False,
) -> None:
    """Build the companion site: the pages the QR codes lead to, ready to copy to a web host or to open from disk."""
    from kit.site import build_site

    project = _project(ctx, config, content, layouts, no_check=no_check)
    result = _with_progress(ctx, lambda progress: build_site(project, out, lang, base_url, progress))
    for note in result.notes:
        typer.echo(f"Note: {note}")
    typer.echo(
        f"Built {len(result.pages)} pages in {result.out_dir}/ ({result.seconds:.1f} s)"
        + (f" for {result.base_url}" if result.base_url else "")
    )
    typer.echo(f"Open:      {result.out_dir / 'index.html'}")
    typer.echo(f"Manifest:  {result.manifest}")
    if result.sitemap:
        typer.echo(f"Sitemap:   {result.sitemap}")


@app.command()
def report(
    ctx: typer.Context,
    logs: Annotated[
        list[str], typer.Argument(metavar="LOG...", help="Access logs, plain or .gz; - for stdin.")
    ],
    placements: Annotated[
        list[Path] | None,
        typer.Option(
            "--placements", metavar="FILE", help="placements.csv of `kit pack --track` (repeatable)."
        ),
    ] = None,
    site_dir: Annotated[
        Path | None, typer.Option("--site", metavar="DIR", help="The `kit site` folder.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the report and its memory.")] = Path(
        "report"
    ),
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="First day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Last day (YYYY-MM-DD).")
    ] = None,
    min_count: Annotated[
        int, typer.Option("--min-count", metavar="N", help="Publish 1 to N-1 as '< N'.")
    ] = 5,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Worker processes.")] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None,
    content: ContentOpt = None,
) -> None:
    """Count the QR-code scans in the web server's logs and write a report, keeping no address (docs/report.md).

    Only what is new since the last run into the same --out is read. Exit code 1 when no log could be read.
    """
    from kit.config import load_config
    from kit.report import ReportOptions, build_report

    kit_toml = run(ctx, lambda: load_config(config or (ctx.obj or {}).get("config")))
    options = ReportOptions(
        logs=logs,
        out=out,
        placements=list(placements or []),
        registry=kit_toml.placements_registry,
        site=site_dir,
        since=since,
        until=until,
        threshold=min_count,
        force=force,
        content_dir=content or kit_toml.content_dir,
        jobs=jobs,
    )
    result = run(ctx, lambda: build_report(options))
    typer.echo(result.to_json() if json_ else result.to_text())


@app.command()
def check(
    ctx: typer.Context,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    online: Annotated[bool, typer.Option("--online", help="Also try every link over the network.")] = False,
    falc_logo: FalcLogoOpt = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Languages you will print (comma-separated): unreviewed ones are warnings, not notes.",
        ),
    ] = None,
) -> None:
    """Check the knowledge base: FALC rules, lengths, readability, links, colours, review date.

    Exit code 0 when the content passes, 3 (a content error, as `kit build` says) when it does not.
    """
    from kit.check import check_content
    from kit.config import load_config

    kit_toml = run(ctx, lambda: load_config(config or (ctx.obj or {}).get("config")))
    _notes(kit_toml)
    asked = [code.strip() for code in (lang or "").split(",") if code.strip()] or list(
        kit_toml.data.build.languages or []
    )
    report = run(
        ctx,
        lambda: check_content(
            content or kit_toml.content_dir,
            falc_logo=falc_logo is not None,
            online=online,
            theme=kit_toml.theme(),
            link_hosts=kit_toml.link_hosts,
            languages=asked,
        ),
    )
    if json_:
        typer.echo(report.to_json())
    elif report.findings:
        _print_findings(report, kit_toml, content)
    if not json_:
        for code, rows in report.coverage.items():
            _coverage_table(code, rows)
    ok = report.ok(strict)
    if not json_:
        typer.echo(
            f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
            + (f", {len(report.notes)} note(s)" if report.notes else "")
            + ("" if ok else (" - fix the errors" if report.errors else " - warnings fail with --strict"))
        )
    raise typer.Exit(0 if ok else exit_code_for(ContentError("")))


def _coverage_table(lang: str, rows: list[dict]) -> None:
    """A language's translation coverage (kit check --lang): texts translated, reviewed, stale, missing by kind."""
    from rich.console import Console
    from rich.table import Table

    from kit.check import COVERAGE_COLUMNS

    table = Table(title=f"Translation of '{lang}'")
    for name in COVERAGE_COLUMNS:
        table.add_column(name.capitalize(), justify="left" if name == "kind" else "right")
    for row in rows:
        table.add_row(*(str(row[name]) for name in COVERAGE_COLUMNS))
    Console().print(table)  # as wide as the terminal: rich wraps the cells


def _print_findings(report, kit_toml, content: Path | None) -> None:
    """Each finding as a short block, wrapped to the terminal's width: where (relative to the project, or "built-in
    content" with the field), the text, the problem, the fix, and where the user writes a change."""
    from rich.console import Console
    from rich.text import Text

    from kit.check import report_blocks
    from kit.resources import content_dir

    yours = content.resolve() if content else kit_toml.content_dir
    if yours is None and kit_toml.folder is not None:
        yours = kit_toml.folder.resolve() / "content"
    colours = {"ERROR": "bold red", "WARNING": "bold yellow", "NOTE": "bold"}
    console = Console(highlight=False)
    for head, *lines in report_blocks(report, content_dir(), kit_toml.folder, yours):
        console.print(Text(head, style=colours.get(head.split(" ", 1)[0], "bold")))
        for line in lines:
            for piece in Text(line).wrap(console, max(console.width - 2, 20)):
                piece.rstrip()
                console.print(Text("  ") + piece)
        console.print()


translate_app = typer.Typer(
    help="Translations: export a language's texts for translators (XLIFF, PO, a spreadsheet), import them back.",
    no_args_is_help=True,
)
app.add_typer(translate_app, name="translate")


@translate_app.command("export")
def translate_export(
    ctx: typer.Context,
    lang: Annotated[str, typer.Option("--lang", help="The language to translate into (ar, tr, en...).")],
    format_: Annotated[
        str, typer.Option("--format", help="xliff (translation tools), po (gettext) or xlsx (a spreadsheet).")
    ] = "xliff",
    out: Annotated[
        Path | None, typer.Option("--out", help="The file to write (default: kit-<lang>.<format>).")
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
) -> None:
    """Write every text of a language beside its French, with where it is printed, its limits and its state."""
    from kit.translate import export_translations

    project = _project(ctx, config, content, None, check=False)
    path = run(ctx, lambda: export_translations(project.kb, lang, format_, out))
    typer.echo(f"Wrote {path}")


@translate_app.command("import")
def translate_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The XLIFF, PO or .xlsx file back from the translator.")],
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Who reviewed the texts as a native speaker.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Refuse the file unless it holds this language.")
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
) -> None:
    """Bring the translations (and who reviewed them) into your content folder, checked as `kit check` does.

    Exit code 0 when every text of the file was taken, 3 when some were left out (each named, the others
    written), 2 when the file is refused as a whole (another project or language, unreadable, too big)."""
    from kit.config import load_config
    from kit.translate import import_translations

    kit_toml = run(ctx, lambda: load_config(config or (ctx.obj or {}).get("config")))
    _notes(kit_toml)
    result = run(
        ctx,
        lambda: import_translations(
            file,
            content or kit_toml.content_dir,
            reviewer=reviewer,
            lang=lang,
            link_hosts=tuple(kit_toml.link_hosts),
        ),
    )
    for unit_id, where, why in result.refused:
        typer.echo(f"Left out {unit_id}" + (f" ({where})" if where else "") + f": {why}")
    typer.echo(
        f"{result.lang}: {len(result.applied)} text(s) written, {result.unchanged} unchanged, "
        f"{len(result.refused)} left out."
    )
    for path in result.written:
        typer.echo(f"  {path}")
    if result.reviewed:
        typer.echo(f"Every '{result.lang}' text is reviewed: its documents no longer say 'not yet checked'.")
    raise typer.Exit(0 if result.ok else exit_code_for(ContentError("")))


@app.command("list")
def list_(
    ctx: typer.Context, content: ContentOpt = None, config: ConfigOpt = None, layouts: LayoutsOpt = None
) -> None:
    """List questions, layouts, formats, languages, venues and benefit stories."""
    from kit.build import describe_kit

    project = _project(ctx, config, content, layouts, check=False)
    info = run(ctx, lambda: describe_kit(project))
    typer.echo("Questions:")
    for qid, text in info["questions"]:
        typer.echo(f"  {qid:<18} {text}")
    typer.echo("  summary            (the summary poster: all questions)")
    for key in ("layouts", "formats", "languages", "partial languages", "venues", "stories"):
        typer.echo(f"{key.capitalize()}: {', '.join(info[key]) or '(none)'}")


@app.command()
def init(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="The folder to create (default: this one).")] = Path("."),
) -> None:
    """Create a ready-to-edit project: kit.toml, content/, layouts/, events.csv and a README."""
    from kit.init import init_project

    written = run(ctx, lambda: init_project(folder))
    typer.echo(f"Created {len(written)} files in {folder}/:")
    for path in written:
        typer.echo(f"  {path}")
    typer.echo(f"Next: cd {folder} && kit build   (then open out/index.html)")


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check that this machine renders fast and correctly."""
    from kit.doctor import diagnose

    checks = run(ctx, diagnose)
    failed = False
    for item in checks:
        typer.echo(f"[{'ok' if item.ok else '!!'}] {item.name}: {item.detail}")
        failed |= not item.ok and item.required
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
