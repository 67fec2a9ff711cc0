"""The `kit` command: turns arguments into one library call and maps kit's errors to exit codes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Callable, Optional

import typer

from kit import (
    BuildError,
    ConfigError,
    ContentError,
    FitError,
    KitError,
    LayoutError,
    OptionError,
    __version__,
)
from kit.errors import SpreadsheetError

# The one place where errors become exit codes (the most specific class wins).
EXIT_CODES: list[tuple[type[KitError], int]] = [
    (OptionError, 2),
    (ConfigError, 2),
    (SpreadsheetError, 2),
    (ContentError, 3),
    (LayoutError, 4),
    (FitError, 5),
    (BuildError, 6),
    (KitError, 1),
]
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130

app = typer.Typer(
    help="kit prints the conversation about health data: posters with QR codes, from a validated knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"debug": False, "config": None}


def exit_code_for(error: KitError) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(error, cls))


def _err(message: str) -> None:
    typer.echo(message, err=True)


def run(call: Callable[[], object]) -> object:
    """Run one library call; show kit's errors in plain words (a traceback only with --debug)."""
    try:
        return call()
    except KitError as error:
        if _state["debug"]:
            raise
        _err(f"Error: {error}")
        raise typer.Exit(exit_code_for(error))
    except KeyboardInterrupt:
        _err("Interrupted: files already written are complete; run the same command again to finish.")
        raise typer.Exit(EXIT_INTERRUPTED)
    except Exception as error:  # an unexpected bug: say so briefly
        if _state["debug"]:
            raise
        _err(f"Unexpected error ({type(error).__name__}: {error}). Run again with --debug to see the details.")
        raise typer.Exit(EXIT_UNEXPECTED)


def _setup_logging(debug: bool) -> None:
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.DEBUG if debug else logging.WARNING)
    logging.getLogger("kit").setLevel(logging.DEBUG if debug else logging.WARNING)
    # WeasyPrint's own notes (unsupported CSS and the like) are for developers.
    logging.getLogger("weasyprint").setLevel(logging.DEBUG if debug else logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING if debug else logging.ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks and detailed logs."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE",
                                          help="Your organisation's kit.toml (default: kit.toml in this folder, if any)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show kit's version."),
) -> None:
    _state["debug"] = debug
    _state["config"] = config
    _setup_logging(debug)


def _config(path: Optional[Path] = None):
    """The organisation's kit.toml (validated): the command's --config, the global one, or ./kit.toml."""
    from kit.config import load_config

    return run(lambda: load_config(path or _state["config"]))


ConfigOpt = typer.Option(None, "--config", metavar="FILE",
                         help="Your organisation's kit.toml (default: kit.toml in this folder, if any).")
ContentOpt = typer.Option(None, "--content", help="Use another knowledge base folder (same format as the built-in one).")
LayoutsOpt = typer.Option(None, "--layouts", help="A folder of templates/stylesheets that override the built-in ones.")
BleedOpt = typer.Option(0.0, "--bleed", metavar="MM", help="Print-shop output: bleed in mm (3 is usual) with crop marks.")
BwOpt = typer.Option(False, "--bw", help="Black-and-white variant for office printers.")
PdfUaOpt = typer.Option(False, "--pdf-ua", help="Tagged, accessible PDF (PDF/UA-1). FALC documents are always tagged.")
FalcLogoOpt = typer.Option(None, "--falc-logo", metavar="PATH",
                           help="The European Easy-to-Read logo file (needs the names of the people who checked the text).")
NoCheckOpt = typer.Option(False, "--no-check", help="Build even if `kit check` finds errors in the content.")
LevelOpt = typer.Option("standard", "--level", help="standard, or falc (Easy-to-Read).")


def _progress_bar():
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    transient=True, disable=not sys.stderr.isatty())


def _build_with_progress(call) -> object:
    with _progress_bar() as bar:
        task = bar.add_task("Building", total=None)

        def progress(done, total, spec):
            bar.update(task, total=total, completed=done, description=f"Building {spec.path}")

        return run(lambda: call(progress))


def _report_set(result) -> None:
    typer.echo(f"Built {len(result.documents)} documents in {result.out_dir}/")
    typer.echo(f"Catalogue: {result.catalogue}")
    typer.echo(f"Manifest:  {result.manifest}")


@app.command()
def build(
    out: Path = typer.Option(Path("out"), "--out", help="Folder to write the kit into."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Languages, comma-separated (default: all)."),
    format: Optional[str] = typer.Option(None, "--format", help="Poster formats, comma-separated: A4, A3, A2 (default: A4,A3)."),
    level: Optional[str] = typer.Option(None, "--level", help="standard, falc or both (default: both)."),
    venue: Optional[str] = typer.Option(None, "--venue", help="Add a line for the place: france-services, la-poste or cafe-ia."),
    config_file: Optional[Path] = ConfigOpt,
    content: Optional[Path] = ContentOpt,
    layouts: Optional[Path] = LayoutsOpt,
    bleed: float = BleedOpt,
    bw: bool = BwOpt,
    pdf_ua: bool = PdfUaOpt,
    falc_logo: Optional[Path] = FalcLogoOpt,
    no_check: bool = NoCheckOpt,
) -> None:
    """Build the whole default kit (posters, leaflets, FALC documents), its catalogue and manifest.json."""
    from kit.build import build_kit

    config = _config(config_file)
    result = _build_with_progress(lambda progress: build_kit(
        out, lang, format, content, [layouts] if layouts else None, venue, progress, levels=level,
        bleed=bleed, bw=bw, pdf_ua=pdf_ua, falc_logo=falc_logo, check=not no_check, config=config))
    _report_set(result)


@app.command()
def poster(
    question: str = typer.Argument(..., help="A question id (see `kit list`) or 'summary'."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Language (default: the first one, fr)."),
    format: str = typer.Option("A4", "--format", help="A4, A3 or A2 (FALC: A4 or A3)."),
    level: str = LevelOpt,
    venue: Optional[str] = typer.Option(None, "--venue", help="france-services, la-poste or cafe-ia."),
    out: Optional[Path] = typer.Option(None, "--out", help="The PDF file to write."),
    config_file: Optional[Path] = ConfigOpt,
    content: Optional[Path] = ContentOpt,
    layouts: Optional[Path] = LayoutsOpt,
    bleed: float = BleedOpt,
    bw: bool = BwOpt,
    pdf_ua: bool = PdfUaOpt,
    falc_logo: Optional[Path] = FalcLogoOpt,
    no_check: bool = NoCheckOpt,
) -> None:
    """Build one poster."""
    from kit.build import build_poster

    config = _config(config_file)
    target, built = run(lambda: build_poster(
        question, lang, format, venue, out, content, [layouts] if layouts else None, level=level,
        bleed=bleed, bw=bw, pdf_ua=pdf_ua, falc_logo=falc_logo, check=not no_check, config=config))
    typer.echo(f"Wrote {target} ({built.spec.format}, {built.pages} page)")


@app.command()
def leaflet(
    lang: Optional[str] = typer.Option(None, "--lang", help="Language (default: the first one, fr)."),
    level: str = LevelOpt,
    venue: Optional[str] = typer.Option(None, "--venue", help="france-services, la-poste or cafe-ia."),
    out: Optional[Path] = typer.Option(None, "--out", help="The PDF file to write."),
    config_file: Optional[Path] = ConfigOpt,
    content: Optional[Path] = ContentOpt,
    layouts: Optional[Path] = LayoutsOpt,
    bleed: float = BleedOpt,
    bw: bool = BwOpt,
    pdf_ua: bool = PdfUaOpt,
    falc_logo: Optional[Path] = FalcLogoOpt,
    no_check: bool = NoCheckOpt,
) -> None:
    """Build the tri-fold leaflet (A4, both sides, folded in three)."""
    from kit.build import build_leaflet

    config = _config(config_file)
    target, built = run(lambda: build_leaflet(
        lang, out, content, [layouts] if layouts else None, level=level, venue=venue,
        bleed=bleed, bw=bw, pdf_ua=pdf_ua, falc_logo=falc_logo, check=not no_check, config=config))
    typer.echo(f"Wrote {target} ({built.pages} pages: {built.print_hint})")


@app.command()
def falc(
    out: Path = typer.Option(Path("out-falc"), "--out", help="Folder to write the FALC documents into."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Languages, comma-separated (default: all)."),
    format: Optional[str] = typer.Option(None, "--format", help="Poster formats: A4, A3 (default: both)."),
    config_file: Optional[Path] = ConfigOpt,
    content: Optional[Path] = ContentOpt,
    layouts: Optional[Path] = LayoutsOpt,
    bleed: float = BleedOpt,
    bw: bool = BwOpt,
    pdf_ua: bool = PdfUaOpt,
    falc_logo: Optional[Path] = FalcLogoOpt,
    no_check: bool = NoCheckOpt,
) -> None:
    """Build the Easy-to-Read (FALC) documents: booklet, a poster per question, leaflet."""
    from kit.build import build_falc

    config = _config(config_file)
    result = _build_with_progress(lambda progress: build_falc(
        out, lang, format, content, [layouts] if layouts else None, progress,
        bleed=bleed, bw=bw, pdf_ua=pdf_ua, falc_logo=falc_logo, check=not no_check, config=config))
    _report_set(result)


@app.command()
def pack(
    events: Path = typer.Argument(..., help="The events spreadsheet (.csv or .xlsx)."),
    out: Path = typer.Option(Path("packs"), "--out", help="Folder for the packs (one folder per event)."),
    zip_: bool = typer.Option(False, "--zip", help="Also write <id>.zip for each event."),
    track: Optional[bool] = typer.Option(None, "--track/--no-track",
                                         help="Tag QR addresses with utm_source, utm_medium, utm_campaign (nothing personal)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, help="Worker processes (default: the number of cores)."),
    config_file: Optional[Path] = ConfigOpt,
    content: Optional[Path] = ContentOpt,
    layouts: Optional[Path] = LayoutsOpt,
    bleed: float = BleedOpt,
    bw: bool = BwOpt,
    pdf_ua: bool = PdfUaOpt,
    no_check: bool = NoCheckOpt,
) -> None:
    """Build a ready-to-print folder for each event of a spreadsheet (only what changed since last time)."""
    from kit.pack import build_packs

    config = _config(config_file)
    result = _build_with_progress(lambda progress: build_packs(
        events, out, content_dir=content, layouts_dirs=[layouts] if layouts else None, config=config, jobs=jobs,
        zip_packs=zip_, track=track, bleed=bleed, bw=bw, pdf_ua=pdf_ua, check=not no_check,
        progress=lambda done, total, name: progress(done, total, _Named(name))))
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    for warning in result.warnings:
        typer.echo(f"Note: {warning}")
    table = Table("Row", "Event", "Status", "Documents", "Problems", title=f"Packs in {result.out_dir}/")
    for event in result.events:
        table.add_row(str(event.row), event.id, event.status, str(len(event.documents)), "\n".join(event.errors))
    console.print(table)
    typer.echo(f"{result.count('built')} built, {result.count('up-to-date')} up to date, {result.count('failed')} failed. "
               f"Manifest: {result.manifest}")
    raise typer.Exit(1 if result.failed else 0)


class _Named:
    """A progress label (the bar shows `Building <path>`)."""

    def __init__(self, name: str):
        self.path = name


@app.command()
def check(
    config_file: Optional[Path] = ConfigOpt,
    content: Optional[Path] = ContentOpt,
    json_: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too."),
    online: bool = typer.Option(False, "--online", help="Also try every link over the network."),
    falc_logo: Optional[Path] = FalcLogoOpt,
) -> None:
    """Check the knowledge base: FALC rules, lengths, readability, links, colours, review date."""
    from kit.check import ROW_COLUMNS, check_content, report_rows

    config = _config(config_file)
    report = run(lambda: check_content(content or config.content_dir, falc_logo=falc_logo is not None,
                                       online=online, theme=config.theme()))
    if json_:
        typer.echo(report.to_json())
    elif report.findings:
        from rich.console import Console
        from rich.table import Table

        table = Table(*[c.capitalize() for c in ROW_COLUMNS], show_lines=True, title="kit check")
        for row in report_rows(report):
            table.add_row(*row)
        Console(width=max(140, Console().width)).print(table)
    ok = report.ok(strict)
    if not json_:
        typer.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
                   + ("" if ok else (" - fix the errors" if report.errors else " - warnings fail with --strict")))
    raise typer.Exit(0 if ok else 1)


@app.command("list")
def list_(content: Optional[Path] = ContentOpt, config_file: Optional[Path] = ConfigOpt) -> None:
    """List questions, layouts, formats, languages and venues."""
    from kit.build import describe_kit

    config = _config(config_file)
    info = run(lambda: describe_kit(content or config.content_dir))
    typer.echo("Questions:")
    for qid, text in info["questions"]:
        typer.echo(f"  {qid:<18} {text}")
    typer.echo("  summary            (the summary poster: all questions)")
    for key in ("layouts", "formats", "languages", "venues"):
        typer.echo(f"{key.capitalize()}: {', '.join(info[key])}")


@app.command()
def init(folder: Path = typer.Argument(Path("."), help="The folder to create (default: this one).")) -> None:
    """Create a ready-to-edit project: kit.toml, content/, layouts/, events.csv and a README."""
    from kit.init import init_project

    written = run(lambda: init_project(folder))
    typer.echo(f"Created {len(written)} files in {folder}/:")
    for path in written:
        typer.echo(f"  {path}")
    typer.echo(f"Next: cd {folder} && kit build   (then open out/index.html)")


@app.command()
def doctor() -> None:
    """Check that this machine renders fast and correctly."""
    from kit.doctor import diagnose

    checks = run(diagnose)
    failed = False
    for check in checks:
        typer.echo(f"[{'ok' if check.ok else '!!'}] {check.name}: {check.detail}")
        failed |= not check.ok and check.required
    raise typer.Exit(1 if failed else 0)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
