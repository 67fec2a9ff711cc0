"""`kit serve`: the web app where relays make their documents in a browser (kit.serve), on this machine or
behind a reverse proxy."""

from __future__ import annotations

from typing import Annotated

import typer

import kit

from .app import app, open_project, run
from .options import ConfigOpt, ContentOpt, LayoutsOpt, NoCheckOpt


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (0.0.0.0: every network of this machine).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
    root_path: Annotated[
        str,
        typer.Option(
            "--root-path",
            metavar="PATH",
            help="The sub-path a reverse proxy serves the app under, like /kit (the proxy strips it).",
        ),
    ] = "",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Render processes (default: kit.toml's \\[serve] workers, else the cores).",
        ),
    ] = None,
    queue: Annotated[
        int | None,
        typer.Option(
            "--queue",
            min=0,
            help="Renders that may wait for a worker (default: kit.toml's \\[serve] queue, else 4 per worker); more: 503.",
        ),
    ] = None,
    config: ConfigOpt = None,
    content: ContentOpt = None,
    layouts: LayoutsOpt = None,
    no_check: NoCheckOpt = False,
) -> None:
    """Serve the web app: one event's pack from a form, a spreadsheet's packs from an upload, and a JSON API."""
    if root_path and not root_path.startswith("/"):
        root_path = "/" + root_path
    project = open_project(ctx, config, content, layouts, no_check=no_check)
    options = kit.ServeOptions(host=host, port=port, root_path=root_path, workers=workers, queue=queue)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    typer.echo(f"kit serve: http://{shown}:{port}{root_path.rstrip('/')}/ (Ctrl-C stops it)", err=True)
    run(ctx, lambda: kit.run_server(project, options))
