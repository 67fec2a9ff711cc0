"""kit's public API (kit/__init__.py): every name it lists resolves to what its module defines, and importing kit
stays light."""

from __future__ import annotations

import importlib
import subprocess
import sys

import kit


def test_every_public_name_resolves():
    assert len(kit.__all__) == len(set(kit.__all__))
    for name in kit.__all__:
        value = getattr(kit, name)
        assert value is not None, name
        if name in kit._HOMES:
            home = importlib.import_module(f"kit.{kit._HOMES[name]}")
            assert getattr(home, name) is value, name
    assert set(kit.__all__) <= set(dir(kit))


def test_the_entry_points_programs_need_are_public():
    """What a web app, the reach report and a program calling kit rely on (the CLI's commands too)."""
    needed = {
        "load_project",
        "Settings",
        "Project",
        "load_content",
        "check_content",
        "content_digest",
        "build_kit",
        "build_poster",
        "build_leaflet",
        "build_falc",
        "build_social",
        "build_email",
        "build_slides",
        "build_site",
        "build_packs",
        "build_event",
        "WorkerPool",
        "worker_count",
        "EVENT_COLUMNS",
        "create_app",
        "run_server",
        "ServeOptions",
        "read_events",
        "validate_row",
        "open_registry",
        "read_placements_csv",
        "read_registry",
        "code_in",
        "build_report",
        "ReportOptions",
        "check_weasyprint",
        "require_weasyprint",
        "diagnose",
        "init_project",
        "KitError",
        "ContentError",
        "SpreadsheetError",
    }
    assert needed <= set(kit.__all__), needed - set(kit.__all__)
    assert callable(kit.load_project) and kit.check_weasyprint().ok


def test_an_unknown_name_is_an_attribute_error():
    try:
        kit.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("kit.no_such_thing resolved")


def test_importing_kit_is_light():
    code = (
        "import sys, kit; "
        "heavy = [m for m in sys.modules if m.startswith(('weasyprint', 'pydyf', 'kit.build', 'kit.pack', "
        "'kit.render', 'kit.channels', 'kit.content', 'pydantic'))]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr
