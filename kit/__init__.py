"""kit: print-ready documents about the second life of health data, from a validated knowledge base.

The pipeline is project -> plan -> channels -> outputs: build a :class:`Project` once with
:func:`load_project`, then make one call (``build_kit``, ``build_poster``, ``build_packs``, ``build_site``...).

This module is kit's public API: ``__all__`` names the supported entry points, for the CLI and for programs
(a web app, the reach report, the feedback importer); what is not named here may change without notice. Each
name is imported when first used, so that ``import kit`` stays light (WeasyPrint is imported only when something
is rendered; nothing of kit imports this module: it is the facade, tested).
"""

from .errors import (
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    OUTCOMES,
    BuildError,
    ConfigError,
    ContentError,
    FitError,
    KitError,
    LayoutError,
    OptionError,
    OutputError,
    Problem,
    SpreadsheetError,
    exit_code_for,
    http_status_for,
)
from .version import __version__

# Each public name and the module it lives in, by what it is for. Add an entry point here when it lands (the
# web app's, the report's, the feedback importer's), with a line in tests/test_api.py if it needs more than
# resolving.
_HOMES = {
    # A project: kit.toml, the content, the layouts and the options, validated once.
    "Settings": "project",
    "Project": "project",
    "RenderOptions": "project",
    "load_project": "project",
    # The knowledge base.
    "KnowledgeBase": "content",
    "load_content": "content",
    "content_digest": "content",
    "CONTENT_FILES": "content",
    "check_content": "check",
    "report_blocks": "check",
    "COVERAGE_COLUMNS": "check",
    "content_dir": "resources",
    # kit.toml alone (the report and the content check need no layouts).
    "load_config": "config",
    # Documents.
    "build_kit": "build",
    "build_poster": "build",
    "build_leaflet": "build",
    "build_falc": "build",
    "build_letter": "build",
    "build_social": "build",
    "build_email": "build",
    "build_slides": "build",
    "describe_kit": "build",
    "build_site": "site",
    # Events and their packs: a spreadsheet read, or one row (a web form, an API) validated.
    "read_events": "events",
    "validate_row": "events",
    "Event": "events",
    "RowProblem": "events",
    "EVENT_COLUMNS": "events",
    "build_packs": "pack",
    "build_event": "pack",
    "SharedDocuments": "pack",
    "WorkerPool": "pack",
    "worker_count": "pack",
    "bounded_report": "pack",
    # Whether the site publishes a row's languages (kit pack's rule: a QR code never leads to a missing page).
    "unpublished_problem": "plan",
    "unpublished_rows": "plan",
    "write_thumbnail": "build",
    # Placements (tracking codes): the campaign's registry, placements.csv, a code read from an address.
    "open_registry": "placements",
    "read_placements_csv": "placements",
    "code_in": "placements",
    "RegistryError": "placements",
    "read_registry": "placements",
    # The reach report: access logs read back into counts per place and document (no address kept).
    "ReportOptions": "report",
    "ReportResult": "report",
    "build_report": "report",
    # The feedback form: as an XLSForm, as a typing template, its answers in the report.
    "feedback_form": "feedback",
    "write_xlsform": "feedback",
    "write_template": "feedback",
    "manifest_event_codes": "feedback",
    "build_feedback_report": "feedback",
    # Translations: a language's texts out to translators and back.
    "export_translations": "translate",
    "import_translations": "translate",
    # A disk or path error in plain words (the real path and the reason).
    "describe_os_error": "files",
    # kit serve: the web app over a project (Starlette on uvicorn), and the server that runs it.
    "create_app": "serve",
    "run_server": "serve",
    "ServeOptions": "serve",
    # The machine and a new project.
    "check_weasyprint": "weasy",
    "require_weasyprint": "weasy",
    "diagnose": "doctor",
    "init_project": "init",
}

__all__ = [
    "__version__",
    "BuildError",
    "ConfigError",
    "ContentError",
    "FitError",
    "KitError",
    "LayoutError",
    "OptionError",
    "OutputError",
    "Problem",
    "SpreadsheetError",
    "OUTCOMES",
    "EXIT_INTERRUPTED",
    "EXIT_UNEXPECTED",
    "exit_code_for",
    "http_status_for",
    *_HOMES,
]


def __getattr__(name):
    """The rest of the API, imported when first used (so that `import kit` stays light)."""
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module 'kit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
