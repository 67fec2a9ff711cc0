"""The Typer app, its global options, and the one way a command runs a library call (errors in plain words)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

import kit

from .options import ConfigOpt

app = typer.Typer(
    help="kit prints the conversation about health data: posters with QR codes, from a validated knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def err(message: str) -> None:
    typer.echo(message, err=True)


def run(ctx: typer.Context, call: Callable[[], object]) -> object:
    """Run one library call; show kit's errors in plain words (a traceback only with --debug)."""
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        return call()
    except kit.KitError as error:
        if debug:
            raise
        err(f"Error: {error}")
        raise typer.Exit(kit.exit_code_for(error)) from None
    except KeyboardInterrupt:
        _second_ctrl_c_ends_at_once()
        err("Interrupted: files already written are complete; run the same command again to finish.")
        raise typer.Exit(kit.EXIT_INTERRUPTED) from None
    except OSError as error:  # a disk or path error met outside kit's writers: the real path and the reason
        if debug:
            raise
        err(f"Error: {kit.describe_os_error(error)}")
        raise typer.Exit(kit.exit_code_for(kit.OutputError(""))) from None
    except (SystemExit, GeneratorExit, typer.Exit):
        raise
    except BaseException as error:  # an unexpected bug (some libraries raise BaseException): say so briefly
        if debug:
            raise
        err(f"Unexpected error ({type(error).__name__}: {error}). Run again with --debug to see the details.")
        raise typer.Exit(kit.EXIT_UNEXPECTED) from None


def _second_ctrl_c_ends_at_once() -> None:
    """After a Ctrl-C, while the command ends (its message, the interpreter's own ending): another one ends the
    process at once, exit 130, never a traceback."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, lambda *_: os._exit(kit.EXIT_INTERRUPTED))


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
        typer.echo(f"kit {kit.__version__}")
        raise typer.Exit()


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


def open_project(
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
    settings = kit.Settings(
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
    loaded = run(ctx, lambda: kit.load_project(settings))
    notes(loaded.config)
    return loaded


def notes(config) -> None:
    """What kit.toml asks kit to say once (say, folders it reads from outside the project)."""
    for note in config.notes:
        err(f"Note: {note}")


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


def with_progress(ctx: typer.Context, call) -> object:
    """Run a library call that reports progress, with a bar on a terminal (none when piped)."""
    with _progress_bar() as bar:
        task = bar.add_task("Building", total=None)

        def progress(done, total, what):
            bar.update(task, total=total, completed=done, description=f"Building {what}")

        return run(ctx, lambda: call(progress))


def report_set(result) -> None:
    """What a set of documents (kit build, falc, social, email, slides) says when it is written."""
    for note in result.notes:
        typer.echo(f"Note: {note}")
    typer.echo(f"Built {len(result.documents)} documents in {result.out_dir}/")
    typer.echo(f"Catalogue: {result.catalogue}")
    typer.echo(f"Manifest:  {result.manifest}")
