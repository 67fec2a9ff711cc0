"""Hostile and accidental kit.toml files and logos (issue 14, items 6, 13 and part of 16).

A logo is drawn once when kit.toml is read: one that would print wrong (a linked picture left behind, an
entity, a file cut off, far too many pixels) stops kit with the key, the line and the reason, exit code 2.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest

import kit
from kit.config import load_config

QUESTION = "wrong-hands"
SVG_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" ' \
           'xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" viewBox="0 0 120 60">\n'


def png_bytes(size=(120, 60), mode="RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, 0).save(buffer, "PNG")
    return buffer.getvalue()


def toml_with_logo(folder: Path, name: str) -> Path:
    path = folder / "kit.toml"
    path.write_text(f'# our settings\n[organisation]\nname = "Maison Santé Nord"\nlogo = "{name}"\n', encoding="utf-8")
    return path


def logo_error(folder: Path) -> kit.Problem:
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=folder)
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("organisation.logo", 4)
    assert Path(problem.file).resolve() == (folder / "kit.toml").resolve()
    return problem


# --- Item 13: a byte-order mark ------------------------------------------------------------------


def test_kit_toml_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "kit.toml"
    path.write_bytes('\ufeff[organisation]\nname = "Maison Santé Nord"\n\n[colours]\nprimary = "#1d4477"\n'
                     .encode("utf-8"))
    config = load_config(cwd=tmp_path)
    assert config.data.organisation.name == "Maison Santé Nord" and config.data.colours.primary == "#1d4477"
    assert config.lines[("organisation",)] == 1 and config.lines[("colours", "primary")] == 5


def test_kit_toml_with_byte_order_mark_keeps_its_lines(tmp_path, run_kit):
    (tmp_path / "kit.toml").write_bytes('\ufeff[organisation]\nname = "A"\n[colours]\nprimary = "blue"\n'.encode())
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("colours.primary", 4)
    result = run_kit("check", "--json", cwd=tmp_path)
    assert result.returncode == 2 and "line 4" in result.stderr and "Invalid statement" not in result.stderr


# --- Item 16 (part): a folder where a file is expected, and the other way round --------------------


def test_logo_that_is_a_folder(tmp_path):
    (tmp_path / "d.svg").mkdir()
    toml_with_logo(tmp_path, "d.svg")
    problem = logo_error(tmp_path)
    assert "is a folder, not a file" in problem.message and "does not exist" not in problem.message


def test_config_option_given_a_folder(tmp_path, run_kit):
    with pytest.raises(kit.ConfigError, match="is a folder, not a file: give the path of a kit.toml file"):
        load_config(tmp_path)
    (tmp_path / "kit.toml").write_text('[organisation]\nname = "A"\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError, match=f"give the file itself: {tmp_path / 'kit.toml'}"):
        load_config(tmp_path)
    result = run_kit("check", "--config", tmp_path)
    assert result.returncode == 2 and "is a folder, not a file" in result.stderr
    assert "does not exist" not in result.stderr and "Traceback" not in result.stderr


def test_kit_toml_that_is_a_folder_in_the_current_folder(tmp_path):
    (tmp_path / "kit.toml").mkdir()
    with pytest.raises(kit.ConfigError, match="is a folder, not a file"):
        load_config(cwd=tmp_path)


def test_content_folder_that_is_a_file(tmp_path):
    (tmp_path / "my-content").write_text("", encoding="utf-8")
    (tmp_path / "kit.toml").write_text('[build]\ncontent = "my-content"\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("build.content", 2) and "is a file, not a folder" in problem.message
