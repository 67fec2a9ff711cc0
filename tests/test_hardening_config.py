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
from kit.config import MAX_LOGO_BYTES, MAX_LOGO_PIXELS, load_config, logo_problem

QUESTION = "wrong-hands"
SVG_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60" viewBox="0 0 120 60">\n'
)


def png_bytes(size=(120, 60), mode="RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size, 0).save(buffer, "PNG")
    return buffer.getvalue()


def toml_with_logo(folder: Path, name: str) -> Path:
    path = folder / "kit.toml"
    path.write_text(
        f'# our settings\n[organisation]\nname = "Maison Santé Nord"\nlogo = "{name}"\n', encoding="utf-8"
    )
    return path


def logo_error(folder: Path) -> kit.Problem:
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=folder)
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("organisation.logo", 4)
    assert Path(problem.file).resolve() == (folder / "kit.toml").resolve()
    return problem


# --- Item 6: logos that cannot be drawn ---------------------------------------------------------

BAD_LOGOS = {
    # name: (file bytes, words of the reason)
    "inkscape-linked.svg": (
        SVG_HEAD + '  <image xlink:href="file:///home/ana/photos/logo.png" width="120" '
        'height="60"/>\n</svg>\n',
        ["line 3 of the SVG", "file:///home/ana/photos/logo.png", "Embed"],
    ),
    "relative-linked.svg": (
        SVG_HEAD + '  <image href="images/logo.jpg" width="120" height="60"/>\n</svg>\n',
        ["images/logo.jpg", "outside the logo file"],
    ),
    "web-linked.svg": (
        SVG_HEAD + '  <use href="https://example.org/shapes.svg#star"/>\n</svg>\n',
        ["https://example.org/shapes.svg#star"],
    ),
    "css-linked.svg": (
        SVG_HEAD + '  <style>rect { fill: url("http://example.org/p.svg#g") }</style>\n'
        '  <rect width="9" height="9"/>\n</svg>\n',
        ["http://example.org/p.svg#g"],
    ),
    "css-import.svg": (SVG_HEAD + "  <style>@import url(theme.css);</style>\n</svg>\n", ["@import"]),
    "entity.svg": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n  <!ENTITY name "Maison Santé">\n]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&name;</text></svg>\n',
        ["entities", "plain SVG"],
    ),
    "laughs.svg": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n'
        + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10 if i else "lol"}">\n' for i in range(10))
        + ']>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&l9;</text></svg>\n',
        ["entities"],
    ),
    "cut.svg": (
        SVG_HEAD + '  <rect width="120" height="60" fill="#1d4477"/>\n  <path d="M24 30h12M30 2',
        ["cut off"],
    ),
    "not-svg-root.svg": (
        '<html><svg xmlns="http://www.w3.org/2000/svg"/></html>\n',
        ["<html>", "not an SVG"],
    ),
    "link.svg": (
        SVG_HEAD + '  <a href="https://example.org"><rect width="9" height="9"/></a>\n</svg>\n',
        ["link", "Remove"],
    ),
}


@pytest.mark.parametrize("name", list(BAD_LOGOS))
def test_svg_logo_that_cannot_be_drawn(tmp_path, name):
    text, words = BAD_LOGOS[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    toml_with_logo(tmp_path, name)
    problem = logo_error(tmp_path)
    assert str((tmp_path / name).resolve()) in problem.message and "cannot be drawn" in problem.message
    for word in words:
        assert word in problem.message, (word, problem.message)


def test_svg_logo_with_embedded_picture_is_fine_but_a_cut_one_is_not(tmp_path):
    good = base64.b64encode(png_bytes()).decode()
    (tmp_path / "good.svg").write_text(
        SVG_HEAD + f'  <image xlink:href="data:image/png;base64,{good}"/>\n  <use href="#x"/>\n</svg>\n',
        encoding="utf-8",
    )
    assert logo_problem(tmp_path / "good.svg") is None
    cut = base64.b64encode(png_bytes()[:80]).decode()
    (tmp_path / "cut.svg").write_text(
        SVG_HEAD + f'  <image xlink:href="data:image/png;base64,{cut}"/>\n</svg>\n', encoding="utf-8"
    )
    reason = logo_problem(tmp_path / "cut.svg")
    assert "picture embedded on line 3 of the SVG" in reason and "damaged or cut off" in reason


def test_plain_doctype_and_the_init_logo_are_accepted(tmp_path):
    from kit.init import template_dir

    assert logo_problem(template_dir() / "logo.svg") is None
    (tmp_path / "illustrator.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        + SVG_HEAD.split("\n", 1)[1]
        + '  <rect width="120" height="60" style="fill:url(#g)"/>\n</svg>\n',
        encoding="utf-8",
    )
    assert logo_problem(tmp_path / "illustrator.svg") is None


def test_png_logo_cut_off_is_refused(tmp_path, monkeypatch):
    from PIL import ImageFile

    data = png_bytes((400, 300))
    (tmp_path / "logo.png").write_bytes(data[: len(data) // 2])
    toml_with_logo(tmp_path, "logo.png")
    problem = logo_error(tmp_path)
    assert "damaged or cut off" in problem.message and "Export it again" in problem.message
    # WeasyPrint, once imported, tells Pillow to accept cut-off pictures (a black box): not here.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    (tmp_path / "logo.png").write_bytes(data[:-20])
    assert "damaged or cut off" in logo_error(tmp_path).message
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was


def test_png_logo_over_the_pixel_limit(tmp_path):
    (tmp_path / "logo.png").write_bytes(png_bytes((6000, 5000), mode="1"))  # 30 million pixels, a few KB
    assert 6000 * 5000 > MAX_LOGO_PIXELS
    toml_with_logo(tmp_path, "logo.png")
    problem = logo_error(tmp_path)
    assert "6000 x 5000 pixels" in problem.message and "Save it smaller" in problem.message


def test_png_logo_declaring_billions_of_pixels(tmp_path):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )
    (tmp_path / "logo.png").write_bytes(data)
    toml_with_logo(tmp_path, "logo.png")
    assert "far too many pixels" in logo_error(tmp_path).message


def test_logo_file_too_big(tmp_path):
    (tmp_path / "logo.svg").write_bytes(
        SVG_HEAD.encode() + b"<!--" + b"x" * MAX_LOGO_BYTES + b"-->\n</svg>\n"
    )
    toml_with_logo(tmp_path, "logo.svg")
    assert "larger than" in logo_error(tmp_path).message


def test_logo_that_cannot_be_drawn_stops_the_command(tmp_path, run_kit):
    (tmp_path / "logo.svg").write_text(BAD_LOGOS["inkscape-linked.svg"][0], encoding="utf-8")
    toml_with_logo(tmp_path, "logo.svg")
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "line 4" in result.stderr and "organisation.logo" in result.stderr and "Embed" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "p.pdf").exists()


# --- Item 13: a byte-order mark ------------------------------------------------------------------


def test_kit_toml_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "kit.toml"
    path.write_bytes(
        '\ufeff[organisation]\nname = "Maison Santé Nord"\n\n[colours]\nprimary = "#1d4477"\n'.encode("utf-8")
    )
    config = load_config(cwd=tmp_path)
    assert config.data.organisation.name == "Maison Santé Nord" and config.data.colours.primary == "#1d4477"
    assert config.lines[("organisation",)] == 1 and config.lines[("colours", "primary")] == 5


def test_kit_toml_with_byte_order_mark_keeps_its_lines(tmp_path, run_kit):
    (tmp_path / "kit.toml").write_bytes(
        '\ufeff[organisation]\nname = "A"\n[colours]\nprimary = "blue"\n'.encode()
    )
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
    assert (problem.field, problem.line) == (
        "build.content",
        2,
    ) and "is a file, not a folder" in problem.message
