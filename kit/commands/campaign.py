"""The campaign commands: a pack per event from a spreadsheet, the companion site, the reach report from the web server's logs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import kit

from .app import app, open_project, run, with_progress
from .options import (
    BleedOpt,
    BwOpt,
    ConfigOpt,
    ContentOpt,
    ForceOpt,
    LangsOpt,
    LayoutsOpt,
    NoCheckOpt,
    PdfUaOpt,
)

PACK_TABLE_ROWS = 50  # kit pack lists every event up to this many; beyond, only the failed ones (as many)
PACK_PROBLEMS_SHOWN = 5  # problems shown per event (problems.txt has them all)
PACK_NOTES_SHOWN = 20  # notes shown (problems.txt has them all)


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
    force: ForceOpt = False,
) -> None:
    """Build a ready-to-print folder for each event of a spreadsheet (only what changed since last time)."""

    project = open_project(
        ctx, config, content, layouts, bleed=bleed, bw=bw, pdf_ua=pdf_ua, no_check=no_check, track=track
    )
    result = with_progress(
        ctx,
        lambda progress: kit.build_packs(
            project, events, out, jobs=jobs, zip_packs=zip_, progress=progress, force=force
        ),
    )
    _print_pack_report(result)
    raise typer.Exit(1 if result.failed else 0)


def _print_pack_report(result) -> None:
    """The terminal's view of a pack run, bounded whatever its size (problems.txt and the manifest have it all)."""
    from rich.console import Console
    from rich.table import Table

    for warning in result.warnings[:PACK_NOTES_SHOWN]:
        typer.echo(f"Note: {warning}")
    report = kit.bounded_report(result, PACK_TABLE_ROWS, PACK_PROBLEMS_SHOWN)
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
    library: Annotated[
        bool | None,
        typer.Option(
            "--library/--no-library",
            help="The print library: every document of the kit as a PDF to download, in each language of the "
            "site (on by default; --no-library, or library = false in the site table of kit.toml, leaves it "
            "out). Building its PDFs takes a few minutes the first time; later runs build only what changed.",
        ),
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    no_check: NoCheckOpt = False,
    force: ForceOpt = False,
) -> None:
    """Build the companion site: the pages the QR codes lead to, ready to copy to a web host or to open from disk.

    kit replaces and removes only the files it wrote in --out: a file of your own there (an index.html) stops it,
    unless --force."""

    project = open_project(ctx, config, content, layouts, no_check=no_check)
    result = with_progress(
        ctx,
        lambda progress: kit.build_site(project, out, lang, base_url, progress, force=force, library=library),
    )
    for note in result.notes:
        typer.echo(f"Note: {note}")
    typer.echo(
        f"Built {len(result.pages)} pages in {result.out_dir}/ ({result.seconds:.1f} s)"
        + (f" for {result.base_url}" if result.base_url else "")
    )
    if result.library is not None and result.library.files:
        typer.echo(
            f"Print library: {len(result.library.files)} files ({result.library.built} built, "
            f"{result.library.reused} unchanged) in {result.library.seconds:.1f} s"
        )
    typer.echo(f"Open:      {result.out_dir / 'index.html'}")
    typer.echo(f"Manifest:  {result.manifest}")
    if result.sitemap:
        typer.echo(f"Sitemap:   {result.sitemap}")


@app.command()
def report(
    ctx: typer.Context,
    logs: Annotated[
        list[str] | None, typer.Argument(metavar="LOG...", help="Access logs, plain or .gz; - for stdin.")
    ] = None,
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
    feedback: Annotated[
        list[Path] | None,
        typer.Option(
            "--feedback", metavar="FILE", help="Feedback answers: Kobo/ODK export or typed template."
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the feedback page.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1, help="Worker processes.")] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None,
    content: ContentOpt = None,
) -> None:
    """Count the QR-code scans in the web server's logs and write a report, keeping no address (docs/report.md).

    Only what is new since the last run into the same --out is read. Exit code 1 when no log could be read.
    """
    kit_toml = run(ctx, lambda: kit.load_config(config or (ctx.obj or {}).get("config")))
    if feedback:
        _feedback_report(ctx, kit_toml, feedback, out, placements, lang, force, content)
        if not logs:
            return
    options = kit.ReportOptions(
        logs=logs or [],
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
    result = run(ctx, lambda: kit.build_report(options))
    typer.echo(result.to_json() if json_ else result.to_text())


def _feedback_report(ctx, kit_toml, files, out, placements, lang, force, content) -> None:
    """`kit report --feedback`: the feedback answers counted into feedback.html and its CSVs."""
    kb = run(ctx, lambda: kit.load_content(content or kit_toml.content_dir))
    figures = run(
        ctx,
        lambda: kit.build_feedback_report(
            kb, files, out, placements=list(placements or []), lang=lang, force=force
        ),
    )
    read = figures.read
    for line in read.notes + read.problems[:20]:
        typer.echo(f"Note: {line}", err=True)
    if len(read.problems) > 20:
        typer.echo(f"... and {len(read.problems) - 20} more problems (listed in the report).", err=True)
    typer.echo(
        f"Feedback: {figures.overall.answers:,} answers ({read.duplicates} read twice, {read.empty} empty rows, "
        f"{sum(figures.unknown_codes.values())} with an unknown event code): {out / 'feedback.html'}"
    )
