"""The commands about the content and the project: check it, translate it, list it, start a project, check the machine."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import kit

from .app import app, notes, open_project, run
from .options import ConfigOpt, ContentOpt, FalcLogoOpt, LayoutsOpt


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
    kit_toml = run(ctx, lambda: kit.load_config(config or (ctx.obj or {}).get("config")))
    notes(kit_toml)
    asked = [code.strip() for code in (lang or "").split(",") if code.strip()] or list(
        kit_toml.data.build.languages or []
    )
    report = run(
        ctx,
        lambda: kit.check_content(
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
    raise typer.Exit(0 if ok else kit.exit_code_for(kit.ContentError("")))


def _coverage_table(lang: str, rows: list[dict]) -> None:
    """A language's translation coverage (kit check --lang): texts translated, reviewed, stale, missing by kind."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Translation of '{lang}'")
    for name in kit.COVERAGE_COLUMNS:
        table.add_column(name.capitalize(), justify="left" if name == "kind" else "right")
    for row in rows:
        table.add_row(*(str(row[name]) for name in kit.COVERAGE_COLUMNS))
    Console().print(table)  # as wide as the terminal: rich wraps the cells


def _print_findings(report, kit_toml, content: Path | None) -> None:
    """Each finding as a short block, wrapped to the terminal's width: where (relative to the project, or "built-in
    content" with the field), the text, the problem, the fix, and where the user writes a change."""
    from rich.console import Console
    from rich.text import Text

    yours = content.resolve() if content else kit_toml.content_dir
    if yours is None and kit_toml.folder is not None:
        yours = kit_toml.folder.resolve() / "content"
    colours = {"ERROR": "bold red", "WARNING": "bold yellow", "NOTE": "bold"}
    console = Console(highlight=False)
    for head, *lines in kit.report_blocks(report, kit.content_dir(), kit_toml.folder, yours):
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

    project = open_project(ctx, config, content, None, check=False)
    path = run(ctx, lambda: kit.export_translations(project.kb, lang, format_, out))
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
    kit_toml = run(ctx, lambda: kit.load_config(config or (ctx.obj or {}).get("config")))
    notes(kit_toml)
    result = run(
        ctx,
        lambda: kit.import_translations(
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
    raise typer.Exit(0 if result.ok else kit.exit_code_for(kit.ContentError("")))


@app.command("list")
def list_(
    ctx: typer.Context, content: ContentOpt = None, config: ConfigOpt = None, layouts: LayoutsOpt = None
) -> None:
    """List questions, layouts, formats, languages, venues and benefit stories."""

    project = open_project(ctx, config, content, layouts, check=False)
    info = run(ctx, lambda: kit.describe_kit(project))
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

    written = run(ctx, lambda: kit.init_project(folder))
    typer.echo(f"Created {len(written)} files in {folder}/:")
    for path in written:
        typer.echo(f"  {path}")
    typer.echo(f"Next: cd {folder} && kit build   (then open out/index.html)")


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check that this machine renders fast and correctly."""

    checks = run(ctx, kit.diagnose)
    failed = False
    for item in checks:
        typer.echo(f"[{'ok' if item.ok else '!!'}] {item.name}: {item.detail}")
        failed |= not item.ok and item.required
    raise typer.Exit(1 if failed else 0)
