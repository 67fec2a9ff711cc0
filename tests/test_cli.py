"""The `kit` command as a user meets it: plain messages, exit codes, no traceback unless --debug."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kit import BuildError, ContentError, FitError, KitError, LayoutError, OptionError


def test_help_is_fast_and_does_not_load_weasyprint(tmp_path):
    code = (
        "import sys; from typer.testing import CliRunner; import kit.cli as c; "
        "r = CliRunner().invoke(c.app, ['--help']); assert r.exit_code == 0, r.output; "
        "assert 'build' in r.output and 'poster' in r.output; print('weasyprint' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert out.strip() == "False"


def test_version(run_kit):
    import kit

    result = run_kit("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"kit {kit.__version__}"


def test_exit_codes_are_distinct():
    from kit import exit_code_for

    codes = [
        exit_code_for(cls("x"))
        for cls in (OptionError, ContentError, LayoutError, FitError, BuildError, KitError)
    ]
    assert codes == [2, 3, 4, 5, 6, 1]


def test_list(run_kit):
    result = run_kit("list")
    assert result.returncode == 0
    for word in ("why-use-data", "without-consent", "summary", "A2", "fr, en", "cafe-ia"):
        assert word in result.stdout


def test_bad_option_message_no_traceback(run_kit, tmp_path):
    result = run_kit("build", "--out", tmp_path / "o", "--format", "A5")
    assert result.returncode == 2
    assert "Unknown format: A5. Choose among: A4, A3, A2." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_content_error_names_file_and_line(run_kit, content_copy, edit_file, tmp_path):
    edit_file(content_copy / "kit.yaml", "content_version:", "contentversion: oops\ncontent_version:")
    result = run_kit("build", "--out", tmp_path / "o", "--content", content_copy)
    assert result.returncode == 3
    lines = (content_copy / "kit.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("contentversion"))
    assert f"{content_copy / 'kit.yaml'}, line {line}, field 'contentversion'" in result.stderr
    assert "Traceback" not in result.stderr
    debug = run_kit("--debug", "build", "--out", tmp_path / "o", "--content", content_copy)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_poster_command(run_kit, tmp_path, open_pdf):
    target = tmp_path / "mine.pdf"
    result = run_kit(
        "poster", "know-before-me", "--lang", "en", "--format", "A3", "--venue", "cafe-ia", "--out", target
    )
    assert result.returncode == 0, result.stderr
    assert open_pdf(target).lang == "en"


def test_build_keeps_valid_documents_when_one_does_not_fit(run_kit, content_copy, tmp_path):
    path = content_copy / "questions" / "wrong-hands.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    benefit: >-\n", text.index("  en:"))
    end = text.index("    falc:", start)
    # Too long for the poster (its wall sentences) and for the leaflet's panel (the benefit).
    long_text = " ".join(["This sentence is far too long to fit any poster at all."] * 50)
    filler = f'    benefit: "{long_text}"\n    wall: "{long_text}"\n'
    path.write_text(text[:start] + filler + text[end:], encoding="utf-8")
    out = tmp_path / "o"
    refused = run_kit(
        "build", "--out", out, "--content", content_copy, "--format", "A4", "--level", "standard"
    )
    assert refused.returncode == 3 and "run `kit check` for details" in refused.stderr
    assert not out.exists()
    result = run_kit(
        "build",
        "--out",
        out,
        "--content",
        content_copy,
        "--format",
        "A4",
        "--level",
        "standard",
        "--no-check",
    )
    assert result.returncode == 6, result.stderr
    assert "2 of 12 documents could not be built" in result.stderr  # the poster and a leaflet panel
    assert "poster 'wrong-hands' (en, A4)" in result.stderr
    assert "leaflet (en, A4)" in result.stderr and "inside, middle panel" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["documents"]) == 10
    assert not (out / "en" / "poster-wrong-hands-A4.pdf").exists()
    assert (out / "fr" / "poster-wrong-hands-A4.pdf").exists()


def test_doctor(run_kit):
    result = run_kit("doctor")
    assert "libharfbuzz-subset" in result.stdout and "WeasyPrint" in result.stdout
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("command", ["social", "email", "slides", "leaflet", "poster"])
def test_a_partial_language_gets_one_line_and_a_failing_exit_code(run_kit, tmp_path, command):
    """Issue 26 point 6: `kit social --lang ar` said "Built 0 documents" and ended with 0; `kit leaflet --lang ar`
    said "Unknown language". Each says what does not exist in ar and which commands make what does (exit 2)."""
    args = [command, *(["why-use-data"] if command == "poster" else []), "--lang", "ar"]
    result = run_kit(*args, "--out", tmp_path / ("x.pdf" if command in ("leaflet", "poster") else "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "ar is a partial language: kit has no " in line
    assert "kit falc --lang ar (Easy-to-Read booklet, Easy-to-Read leaflet)" in line
    assert "Unknown" not in line and "Built 0" not in result.stdout
