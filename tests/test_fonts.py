"""The shipped fonts: a plain zero (assets/fonts/plain_zero.py), in the files and in what kit prints."""

from __future__ import annotations

import io

import pytest

from kit.resources import package_dir

ATKINSON = (
    "AtkinsonHyperlegible_400Regular.ttf",
    "AtkinsonHyperlegible_700Bold.ttf",
    "AtkinsonHyperlegibleNext_400Regular.ttf",
    "AtkinsonHyperlegibleNext_700Bold.ttf",
)


def _zero_contours(font) -> int:
    glyph_name = font.getBestCmap()[ord("0")]
    return font["glyf"][glyph_name].numberOfContours


@pytest.mark.parametrize("name", ATKINSON)
def test_the_shipped_atkinson_fonts_draw_a_plain_zero(name):
    """A slashed zero is three contours (outer and the two halves of the counter), a plain one two, like O."""
    from fontTools.ttLib import TTFont

    font = TTFont(package_dir() / "assets" / "fonts" / name)
    assert _zero_contours(font) == 2
    assert font["glyf"]["O"].numberOfContours == 2
    assert "plain zero (kit)" in font["name"].getDebugName(5)
    # the zero stays a digit's width, narrower than O (the two are still told apart)
    assert font["hmtx"]["zero"][0] < font["hmtx"]["O"][0]


def test_a_poster_prints_the_plain_zero(built_kit):
    """The fonts embedded in a poster (subset by WeasyPrint) carry the plain zero: its dates and sources."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    out, _, _ = built_kit
    reader = PdfReader(str(out / "fr" / "poster-without-consent-A4.pdf"))
    import kit

    # a zero is printed: the wall poster's credits name kit's version (0.x), the fine print its dates
    assert "0" in kit.__version__ and f"kit {kit.__version__}" in reader.pages[0].extract_text()
    checked = 0
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
        data = descriptor.get_object().get("/FontFile2") if descriptor else None
        if data is None or "Atkinson" not in str(font.get("/BaseFont")):
            continue
        embedded = TTFont(io.BytesIO(data.get_object().get_data()))
        if ord("0") in (embedded.getBestCmap() or {}):
            assert _zero_contours(embedded) == 2, font.get("/BaseFont")
            checked += 1
    assert checked, "no embedded Atkinson font maps the digit zero"
