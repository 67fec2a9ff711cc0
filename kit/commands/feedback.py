"""The feedback commands: the feedback form as an XLSForm for phones, the template to type paper forms into."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

import kit

from .app import app, run
from .options import ConfigOpt, ContentOpt

feedback_app = typer.Typer(
    help="The feedback form: for KoboToolbox/ODK (XLSForm), and a spreadsheet to type paper forms into.",
    no_args_is_help=True,
)
app.add_typer(feedback_app, name="feedback")


def _knowledge(ctx: typer.Context, config: Path | None, content: Path | None):
    """The knowledge base of kit.toml's content folder (or --content)."""
    kit_toml = run(ctx, lambda: kit.load_config(config or (ctx.obj or {}).get("config")))
    return run(ctx, lambda: kit.load_content(content or kit_toml.content_dir))


@feedback_app.command("form")
def form(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The XLSForm workbook to write.")] = Path(
        "feedback-form.xlsx"
    ),
    event: Annotated[
        str | None, typer.Option("--event", metavar="CODE", help="The event code the form fills in.")
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
) -> None:
    """Write the feedback form as an XLSForm (survey, choices, settings) for KoboToolbox, ODK Central, Enketo."""
    kb = _knowledge(ctx, config, content)
    path = run(ctx, lambda: kit.write_xlsform(kit.feedback_form(kb), out, event_code=event))
    typer.echo(f"XLSForm: {path}")


@feedback_app.command("template")
def template(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The spreadsheet to write.")] = Path(
        "feedback-answers.xlsx"
    ),
    manifest: Annotated[
        Path | None,
        typer.Option("--manifest", metavar="FILE", help="A pack's manifest.json: its event codes."),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the answers' lists.")] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
) -> None:
    """Write the spreadsheet to type paper feedback forms into (one column per question, drop-down lists)."""
    kb = _knowledge(ctx, config, content)

    def write():
        form = kit.feedback_form(kb)
        codes = kit.manifest_event_codes(manifest) if manifest else []
        return kit.write_template(form, out, lang or form.languages[0], codes)

    path = run(ctx, write)
    typer.echo(f"Template: {path}")
