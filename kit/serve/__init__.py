"""kit serve: a small web app over one project (content, kit.toml, layouts) where relays make their documents in a
browser: one event's pack from a form, a whole spreadsheet's packs from an upload, and a JSON API mirroring both.

Starlette on uvicorn (see pyproject.toml for why); no database, no account. Renders go to kit's own pack builder
(kit.build_event on a worker pool, kit.build_packs), rows are checked by kit.validate_row and spreadsheets read by
kit.read_events: the same rules and words as `kit pack`. This package imports kit's facade only.

Modules: app (routes, pages, API, security headers), work (renders, admission, jobs, clean-up), texts (French
and English words), options (what the command line sets)."""

from __future__ import annotations

import logging

from .app import create_app
from .options import ServeOptions

__all__ = ["ServeOptions", "create_app", "run_server"]


class _NoQueryStrings(logging.Filter):
    """The access log names the method, the path and the status, never a query string (field values stay out
    of the server's log: the forms post their values, and nothing else carries them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            args[2] = str(args[2]).split("?", 1)[0]
            record.args = tuple(args)
        return True


def run_server(project, options: ServeOptions | None = None) -> None:
    """Serve the web app with uvicorn until stopped (Ctrl-C, SIGTERM): results are removed at shutdown."""
    import uvicorn

    options = options or ServeOptions()
    logging.getLogger("uvicorn.access").addFilter(_NoQueryStrings())
    uvicorn.run(
        create_app(project, options),
        host=options.host,
        port=options.port,
        root_path=options.root_path.rstrip("/"),
        proxy_headers=True,
        server_header=False,
        log_level="info",
        timeout_graceful_shutdown=30,
    )
