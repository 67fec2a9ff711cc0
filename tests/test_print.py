"""Print options on the PDFs: bleed and crop marks, black and white, PDF/UA."""

from __future__ import annotations

import pytest

import kit

BLEED = 3


def _pixel(path, page, x_mm, y_mm, dpi=100):
    """The colour at a point given in mm from the MediaBox's top-left corner."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    image = document[page].render(scale=dpi / 72).to_pil().convert("RGB")
    document.close()
    return image.getpixel((int(x_mm / 25.4 * dpi), int(y_mm / 25.4 * dpi)))


@pytest.mark.parametrize("layout", ["poster", "leaflet", "booklet"])
def test_bleed_boxes_and_colour_in_bleed(layout, tmp_path, open_pdf):
    if layout == "poster":
        target, _ = kit.build_poster(kit.load_project(bleed=BLEED), "wrong-hands", lang="fr", format="A3", out_file=tmp_path / "p.pdf")
        size = (297, 420)
    elif layout == "leaflet":
        target, _ = kit.build_leaflet(kit.load_project(bleed=BLEED), "fr", out_file=tmp_path / "l.pdf")
        size = (297, 210)
    else:
        result = kit.build_falc(kit.load_project(bleed=BLEED), tmp_path / "f", langs="fr", formats="A4")
        target = tmp_path / "f" / next(d.path for d in result.documents if d.spec.layout == "booklet")
        size = (210, 297)
    pdf = open_pdf(target)
    for page in range(pdf.pages):
        trim = pdf.box_mm(page, "trimbox")
        media = pdf.box_mm(page, "mediabox")
        assert trim == pytest.approx(size, abs=0.5)
        assert media == pytest.approx((size[0] + 2 * BLEED, size[1] + 2 * BLEED), abs=0.5)
        # 1 mm inside the bleed, half-way down the left edge: printed, not white paper.
        assert _pixel(target, page, BLEED - 1, media[1] / 2) != (255, 255, 255)


def test_no_bleed_by_default_keeps_edges_clear(tmp_path, open_pdf):
    target, _ = kit.build_poster(kit.load_project(), "why-use-data", lang="fr", format="A4", out_file=tmp_path / "p.pdf")
    pdf = open_pdf(target)
    assert pdf.box_mm(0, "mediabox") == pytest.approx((210, 297), abs=0.5)
    for word in pdf.words(0):
        assert word["x0"] * 25.4 / 72 >= 5 and word["x1"] * 25.4 / 72 <= 205
        assert word["top"] * 25.4 / 72 >= 5 and word["bottom"] * 25.4 / 72 <= 292


def _coloured(colour) -> bool:
    if colour is None:
        return False
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if len(values) == 3:
        return max(values) - min(values) > 0.02
    if len(values) == 4:  # CMYK
        return max(values[:3]) - min(values[:3]) > 0.02
    return False


@pytest.mark.parametrize("bw", [False, True], ids=["colour", "bw"])
def test_black_and_white_has_no_coloured_text(bw, tmp_path):
    import pdfplumber

    target, built = kit.build_poster(kit.load_project(bw=bw), "know-before-me", lang="en", format="A4", out_file=tmp_path / "p.pdf")
    with pdfplumber.open(str(target)) as pdf:
        chars = pdf.pages[0].chars
        coloured = [c["text"] for c in chars if _coloured(c.get("non_stroking_color"))]
        greys = {tuple(c["non_stroking_color"]) if isinstance(c["non_stroking_color"], (list, tuple)) else c["non_stroking_color"]
                 for c in chars}
    if bw:
        assert coloured == [], coloured[:20]
        assert all(all(v in (0, 1) for v in (g if isinstance(g, tuple) else (g,))) for g in greys), greys
    else:
        assert coloured  # the colour version has coloured headings: the check can fail


def test_black_and_white_qr_still_decodes(tmp_path, open_pdf):
    target, built = kit.build_poster(kit.load_project(bw=True), "know-before-me", lang="en", format="A4", out_file=tmp_path / "p.pdf")
    assert open_pdf(target).qr_codes(0) == [built.qr[0]["url"]]


def test_pdf_ua_is_tagged_with_alt_text(tmp_path, open_pdf):
    target, built = kit.build_poster(kit.load_project(pdf_ua=True), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf")
    pdf = open_pdf(target)
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert pdf.lang == "fr" and pdf.title
    assert f"Code QR\u00a0: ouvre {built.qr[0]['url'].removeprefix('https://')}" in pdf.alt_texts()


def test_standard_output_untagged_by_default(tmp_path, open_pdf):
    target, _ = kit.build_poster(kit.load_project(), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf")
    assert "/StructTreeRoot" not in open_pdf(target).reader.trailer["/Root"]


def test_bad_bleed_is_refused():
    with pytest.raises(kit.OptionError, match="between 0 and 10"):
        kit.build_poster(kit.load_project(bleed=25), "wrong-hands")
