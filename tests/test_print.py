"""Print options on the PDFs: bleed and crop marks, black and white, PDF/UA."""

from __future__ import annotations

import pytest

import kit
from kit.addresses import printed

MM_PER_PT = 25.4 / 72

BLEED = 3
MARKS = 5  # room for the crop marks beyond the bleed (kit.channels.pdf.mark_room_mm(3))


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
        target, _ = kit.build_poster(
            kit.load_project(bleed=BLEED), "wrong-hands", lang="fr", format="A3", out_file=tmp_path / "p.pdf"
        )
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
        bleed = pdf.box_mm(page, "bleedbox")
        media = pdf.box_mm(page, "mediabox")
        assert trim == pytest.approx(size, abs=0.5)
        assert bleed == pytest.approx((size[0] + 2 * BLEED, size[1] + 2 * BLEED), abs=0.1)
        # The sheet has room for the crop marks beyond the bleed.
        assert media == pytest.approx((size[0] + 2 * (BLEED + MARKS), size[1] + 2 * (BLEED + MARKS)), abs=0.5)
        # 1 mm inside the bleed, half-way down the left edge: printed, not white paper.
        assert _pixel(target, page, MARKS + BLEED - 1, media[1] / 2) != (255, 255, 255)


def _black(colour) -> bool:
    return max(colour) < 70


def test_crop_marks_lie_beyond_the_bleed_and_are_not_painted_over(tmp_path):
    """On the leaflet's outside page the cover (right panel) runs into the bleed: the crop marks at its corners
    are drawn beyond the bleed, black, and nothing is painted over them; inside the bleed there is no mark."""
    target, _ = kit.build_leaflet(kit.load_project(bleed=BLEED), "fr", out_file=tmp_path / "l.pdf")
    edge = MARKS + BLEED  # from the sheet's edge to the trim, in mm
    width, height = 297 + 2 * edge, 210 + 2 * edge
    for x_trim in (edge, width - edge):  # the left and right trim lines (the right one at the cover)
        for y in (1.5, height - 1.5):  # in the room beyond the bleed, top and bottom
            near = [_pixel(target, 0, x_trim + dx, y, dpi=300) for dx in (-0.2, -0.1, 0, 0.1, 0.2)]
            assert any(_black(c) for c in near), (x_trim, y, near)
        for y in (MARKS + 1.5, height - MARKS - 1.5):  # inside the bleed: no mark there
            near = [_pixel(target, 0, x_trim + dx, y, dpi=300) for dx in (-0.2, -0.1, 0, 0.1, 0.2)]
            assert not any(_black(c) for c in near), (x_trim, y, near)
    # The cover's colour runs into the bleed on the right, not into the marks' room.
    assert _pixel(target, 0, width - MARKS - 1, height / 2, dpi=300) == _pixel(
        target, 0, width - edge - 5, height / 2, dpi=300
    )
    assert _pixel(target, 0, width - 1, height / 2, dpi=300) != _pixel(
        target, 0, width - edge - 5, height / 2, dpi=300
    )


def test_no_bleed_by_default_keeps_edges_clear(tmp_path, open_pdf):
    target, _ = kit.build_poster(
        kit.load_project(), "why-use-data", lang="fr", format="A4", out_file=tmp_path / "p.pdf"
    )
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

    target, built = kit.build_poster(
        kit.load_project(bw=bw), "know-before-me", lang="en", format="A4", out_file=tmp_path / "p.pdf"
    )
    with pdfplumber.open(str(target)) as pdf:
        chars = pdf.pages[0].chars
        coloured = [c["text"] for c in chars if _coloured(c.get("non_stroking_color"))]
        greys = {
            tuple(c["non_stroking_color"])
            if isinstance(c["non_stroking_color"], (list, tuple))
            else c["non_stroking_color"]
            for c in chars
        }
    if bw:
        assert coloured == [], coloured[:20]
        assert all(all(v in (0, 1) for v in (g if isinstance(g, tuple) else (g,))) for g in greys), greys
    else:
        assert coloured  # the colour version has coloured headings: the check can fail


def test_black_and_white_qr_still_decodes(tmp_path, open_pdf):
    target, built = kit.build_poster(
        kit.load_project(bw=True), "know-before-me", lang="en", format="A4", out_file=tmp_path / "p.pdf"
    )
    assert open_pdf(target).qr_codes(0) == [built.qr[0]["url"]]


def test_pdf_ua_is_tagged_with_alt_text(tmp_path, open_pdf):
    target, built = kit.build_poster(
        kit.load_project(pdf_ua=True), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf"
    )
    pdf = open_pdf(target)
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert pdf.lang == "fr" and pdf.title
    assert f"Code QR\u00a0: ouvre {printed(built.qr[0]['address'])}" in pdf.alt_texts()


def test_standard_output_untagged_by_default(tmp_path, open_pdf):
    target, _ = kit.build_poster(
        kit.load_project(), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf"
    )
    assert "/StructTreeRoot" not in open_pdf(target).reader.trailer["/Root"]


def test_bad_bleed_is_refused():
    with pytest.raises(kit.OptionError, match="between 0 and 10"):
        kit.build_poster(kit.load_project(bleed=25), "wrong-hands")


def _figures(reader) -> list[dict]:
    found = []

    def walk(node, depth=0):
        node = node.get_object() if hasattr(node, "get_object") else node
        if depth > 300:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(node)
            if "/K" in node:
                walk(node["/K"], depth + 1)

    walk(reader.trailer["/Root"].get("/StructTreeRoot", {}))
    return found


@pytest.mark.parametrize("kind", ["poster", "summary", "leaflet"])
def test_pdf_ua_decorative_pictograms_are_artifacts(kind, tmp_path, open_pdf):
    """Decorative pictograms (beside the text that says what they show) are left out of the structure
    (artifacts); every figure left, the QR code, has alternative text (PDF/UA-1, 7.3)."""
    project = kit.load_project(pdf_ua=True)
    if kind == "leaflet":
        target, built = kit.build_leaflet(project, "fr", out_file=tmp_path / "l.pdf")
    else:
        target, built = kit.build_poster(
            project, "wrong-hands" if kind == "poster" else "summary", lang="fr", out_file=tmp_path / "p.pdf"
        )
    figures = _figures(open_pdf(target).reader)
    assert figures and all("/Alt" in figure for figure in figures), len(figures)
    assert [str(f["/Alt"]) for f in figures] == [f"Code QR\u00a0: ouvre {printed(built.qr[0]['address'])}"]


def test_pdf_ua_check_can_fail(tmp_path, open_pdf):
    """A picture with an empty alt is a figure without alternative text: the check above would see it."""
    from kit.render import Renderer
    from kit.resources import pictogram_path
    from kit.templates import Layouts

    renderer = Renderer(Layouts())
    html = f'<html lang="fr"><head><title>T</title></head><body><img src="{pictogram_path("shield").as_uri()}" alt="" style="width: 1cm"></body></html>'
    path = tmp_path / "u.pdf"
    path.write_bytes(renderer.write_pdf(renderer.render(html, [], tagged=True), identifier="u", tagged=True))
    assert any("/Alt" not in figure for figure in _figures(open_pdf(path).reader))


def _toner(path, page: int = 0) -> float:
    """Share of toner a page takes (0: white paper, 1: solid black), from a 50 dpi greyscale rendering."""
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        image = document[page].render(scale=50 / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    return float((1 - np.asarray(image, dtype=float) / 255).mean())


def _solid_mm2(path, page: int = 0, side_mm: float = 8.0) -> float:
    """The area (mm²) of the page covered by solid areas darker than 15 % grey: the dark pixels (50 dpi) whose
    whole ``side_mm`` square around them is dark. Text strokes, rules and the QR code's modules (at most 7 mm
    solid) are thinner and do not count; a band or a block of colour does."""
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        image = document[page].render(scale=50 / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    dark = (np.asarray(image) < 217).astype(np.int32)
    k = max(1, round(side_mm / 25.4 * 50))
    sums = np.pad(dark, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    window = sums[k:, k:] - sums[:-k, k:] - sums[k:, :-k] + sums[:-k, :-k]
    return float((window == k * k).sum() * (25.4 / 50) ** 2)


@pytest.mark.parametrize("bw", [False, True], ids=["colour", "bw"])
def test_black_and_white_is_light_on_toner(bw, tmp_path):
    """--bw: blocks of colour become outlined paper, boxes a grey of at most 15 %: a poster and the leaflet's
    outside take a fraction of the toner of the colour version printed in grey (which has solid bands)."""
    project = kit.load_project(bw=bw)
    poster, _ = kit.build_poster(
        project, "know-before-me", lang="fr", format="A4", out_file=tmp_path / "p.pdf"
    )
    leaflet, _ = kit.build_leaflet(project, lang="fr", out_file=tmp_path / "l.pdf")
    toner = [_toner(poster), _toner(leaflet, 0), _toner(leaflet, 1)]
    solid = [_solid_mm2(poster), _solid_mm2(leaflet, 0), _solid_mm2(leaflet, 1)]
    if bw:
        assert max(toner) < 0.16, toner  # before: poster 30 %, leaflet outside 35 %
        assert max(solid) < 1, solid  # no area darker than 15 % grey (before: the poster's head, the cover)
    else:
        assert (
            max(toner) > 0.25 and max(solid) > 5000
        )  # the colour version has solid bands: the checks can fail
