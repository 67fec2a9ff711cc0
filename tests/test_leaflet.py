"""The tri-fold leaflet, measured on the PDF: panels, folds, QR code, and panels that do not fit."""

from __future__ import annotations

import pytest

import kit

MM = 25.4 / 72
# Panel x-ranges in mm on each page (outside, inside), and the folds between them.
PANELS = {0: [(0, 97), (97, 197), (197, 297)], 1: [(0, 100), (100, 200), (200, 297)]}
FOLDS = {0: (97, 197), 1: (100, 200)}


@pytest.fixture(
    scope="module",
    params=[("fr", "standard"), ("en", "standard"), ("fr", "falc"), ("en", "falc")],
    ids=lambda p: "-".join(p),
)
def leaflet(request, tmp_path_factory):
    lang, level = request.param
    target, built = kit.build_leaflet(
        kit.load_project(), lang, out_file=tmp_path_factory.mktemp("leaflet") / "l.pdf", level=level
    )
    return target, built


def test_two_landscape_a4_pages(leaflet, open_pdf):
    target, built = leaflet
    pdf = open_pdf(target)
    assert pdf.pages == 2 == built.pages
    for page in (0, 1):
        width, height = pdf.box_mm(page)
        assert abs(width - 297) <= 0.5 and abs(height - 210) <= 0.5


def test_every_word_inside_one_panel_and_off_the_folds(leaflet, open_pdf):
    target, _ = leaflet
    pdf = open_pdf(target)
    for page in (0, 1):
        words = pdf.words(page)
        assert len(words) > 80
        for word in words:
            x0, x1 = word["x0"] * MM, word["x1"] * MM
            assert not any(x0 < fold < x1 for fold in FOLDS[page]), (page, word["text"], x0, x1)
            panel = [(a, b) for a, b in PANELS[page] if a <= x0 and x1 <= b]
            assert panel, (page, word["text"], x0, x1)
            a, b = panel[0]
            # No text within 5 mm of a fold or of the sheet's edge.
            assert x0 >= a + 5 and x1 <= b - 5, (page, word["text"], x0, x1, a, b)
            assert word["top"] * MM >= 5 and word["bottom"] * MM <= 205, (page, word["text"])


def test_qr_decodes_and_url_printed(leaflet, open_pdf, printed):
    target, built = leaflet
    pdf = open_pdf(target)
    (qr,) = built.qr
    assert pdf.qr_codes(qr["page"] - 1, dpi=150) == [qr["url"]]
    ((_, side),) = pdf.qr_symbols_mm(qr["page"] - 1)
    assert side >= 30 - 0.5  # a handout's QR code: 30 mm at least
    assert printed(qr["address"]) in pdf.flat_text(qr["page"] - 1).replace(" ", "")


def test_reading_order_and_content(leaflet, open_pdf):
    """The cover is read first; every question is inside."""
    target, built = leaflet
    kb = kit.load_content()
    pdf = open_pdf(target)
    text = pdf.flat_text(0) + " " + pdf.flat_text(1)
    for question in kb.questions:
        assert question.translations[built.spec.lang].question in text


def test_panel_that_does_not_fit_is_named(content_copy, tmp_path):
    path = content_copy / "questions" / "know-before-me.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    short: >-\n", text.index("  en:"))
    end = text.index("    detail:", start)
    long_short = " ".join(["Every word here makes this answer longer than the panel can hold."] * 30)
    path.write_text(text[:start] + f'    short: "{long_short}"\n' + text[end:], encoding="utf-8")
    target = tmp_path / "l.pdf"
    with pytest.raises(kit.FitError) as info:
        kit.build_leaflet(kit.load_project(content=content_copy, check=False), "en", out_file=target)
    message = str(info.value)
    assert "leaflet (en, A4)" in message
    assert "'inside, left panel'" in message
    assert "know-before-me" in message  # what to shorten
    assert not target.exists()


def test_duplex_hint_in_manifest(built_kit):
    _, _, manifest = built_kit
    leaflets = [d for d in manifest["documents"] if d["layout"] == "leaflet"]
    assert leaflets and all("flip on the short edge" in d["print"] for d in leaflets)


def test_more_questions_than_panels_is_an_error_saying_how_many_fit(tmp_path):
    """A fifth question in the summary does not silently drop from the leaflet: it is an error."""
    from kit.init import template_dir

    content = tmp_path / "content" / "questions"
    content.mkdir(parents=True)
    source = (template_dir() / "content" / "questions" / "local-help.yaml").read_text(encoding="utf-8")
    (content / "local-help.yaml").write_text(
        source.replace("in_summary: false", "in_summary: true"), encoding="utf-8"
    )
    for level in ("standard", "falc"):
        with pytest.raises(kit.FitError, match="the leaflet holds 4"):
            kit.build_leaflet(
                kit.load_project(content=tmp_path / "content"),
                "fr",
                out_file=tmp_path / f"{level}.pdf",
                level=level,
            )
        assert not (tmp_path / f"{level}.pdf").exists()


def _panel_words(pdf, page: int) -> dict[int, list[dict]]:
    """The words of each panel (0, 1, 2) of a page."""
    panels: dict[int, list[dict]] = {0: [], 1: [], 2: []}
    for word in pdf.words(page):
        panels[sum(word["x0"] * MM > fold for fold in FOLDS[page])].append(word)
    return panels


def test_type_readable_by_older_people(leaflet, open_pdf):
    """Standard leaflet: the answers at 11 pt or more; nothing under 8 pt. Easy-to-Read: nothing under 14 pt."""
    target, built = leaflet
    pdf = open_pdf(target)
    kb = kit.load_content()
    sizes = [word["size"] for page in (0, 1) for word in pdf.words(page)]
    assert min(sizes) >= (14 if built.spec.level == "falc" else 8) - 0.01
    if built.spec.level == "standard":
        for question in kb.questions:
            first = question.translations[built.spec.lang].short.split()[:3]
            found = [w for page in (0, 1) for w in pdf.words(page) if w["text"] == first[1]]
            assert found and max(w["size"] for w in found) >= 11 - 0.01, (question.id, found)


def test_question_panels_are_filled(leaflet, open_pdf):
    """Each question panel's text runs down to its foot (copyfit), instead of leaving 40 % of it empty."""
    target, _ = leaflet
    pdf = open_pdf(target)
    panels = [(0, 0)] + [(1, column) for column in (0, 1, 2)]  # the flap (outside, left), the three inside
    for page, column in panels:
        words = _panel_words(pdf, page)[column]
        lowest = max(w["bottom"] for w in words) * MM
        assert lowest >= 0.80 * 210, (page, column, lowest)


def test_title_printed_once(leaflet, open_pdf):
    """The summary's title is the campaign's name: no "X – X" title, and the cover names it once."""
    target, built = leaflet
    pdf = open_pdf(target)
    kb = kit.load_content()
    if built.spec.level == "standard":
        title = kb.shared.summary[built.spec.lang].title
        assert pdf.title == title
        assert pdf.flat_text(0).count(title) == 1
    assert " – ".join([pdf.title.split(" – ")[0]] * 2) not in pdf.title


def test_unbranded_cover_is_signed_by_the_campaign_and_its_address(leaflet, open_pdf, printed):
    """Without kit.toml, the documents are signed by the campaign, in their language, with its address: never
    by the tool ("kit – ...") that made them."""
    target, built = leaflet
    pdf = open_pdf(target)
    text = " ".join(pdf.flat_text(page) for page in (0, 1))
    kb = kit.load_content()
    lang = built.spec.lang
    assert "kit –" not in text and "kit -" not in text
    assert kb.shared.labels[lang].campaign in text
    assert printed(kb.shared.summary[lang].qr_link.url) in text
    assert pdf.reader.metadata.get("/Author") == kb.shared.labels[lang].campaign
    if lang == "en":
        assert "seconde vie" not in text


def _cover_edges(path, bleed_mm: float = 0.0) -> dict:
    """How far the cover's colour stays from the trim's top, bottom and outer edge (mm), on page 1 rendered at
    100 dpi: the first row or column, from the edge inwards, where the cover's middle is not paper."""
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        scale = 100 / 72
        image = np.asarray(page.render(scale=scale).to_pil().convert("L"), dtype=int)
    finally:
        document.close()
    px = 100 / 25.4
    room = (image.shape[1] / px - 297) / 2  # bleed and mark room on each side, when printed with --bleed
    x_mid = round((room + 247) * px)  # the cover's middle (trim x = 247 mm)
    y_mid = image.shape[0] // 2
    trim_left, trim_right = round(room * px), round((room + 297) * px)
    trim_top, trim_bottom = trim_left, image.shape[0] - trim_left

    def first_ink(line) -> float:
        dark = np.nonzero(line < 245)[0]
        return dark[0] / px if len(dark) else float("inf")

    return {
        "top": first_ink(image[trim_top:, x_mid]),
        "bottom": first_ink(image[:trim_bottom, x_mid][::-1]),
        "outer": first_ink(image[y_mid, :trim_right][::-1]),
        "bleed": image[y_mid, trim_right + round(bleed_mm * px / 2)] < 245 if bleed_mm else None,
    }


@pytest.mark.parametrize("level", ["standard", "falc"])
def test_office_cover_keeps_a_white_margin_and_the_print_shop_cover_bleeds(level, tmp_path):
    """Office printers cannot print the sheet's outer 4 to 5 mm: without --bleed the cover's colour stops 6 mm
    from the edges (an even white frame); with --bleed it runs to the trim and into the bleed."""
    office, _ = kit.build_leaflet(kit.load_project(), "fr", out_file=tmp_path / "o.pdf", level=level)
    edges = _cover_edges(office)
    for side in ("top", "bottom", "outer"):
        assert 5.5 <= edges[side] <= 7, (side, edges)  # before: 0 mm (colour to the edge)
    shop, _ = kit.build_leaflet(kit.load_project(bleed=3), "fr", out_file=tmp_path / "s.pdf", level=level)
    edges = _cover_edges(shop, bleed_mm=3)
    for side in ("top", "bottom", "outer"):
        assert edges[side] < 0.5, (side, edges)
    assert edges["bleed"]
