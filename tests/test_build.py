"""The default kit, opened as PDFs: pages, sizes, text, fonts, language, QR codes; manifest and catalogue."""

from __future__ import annotations

import hashlib
import json

import pytest

import kit
from kit.layouts import FORMATS

LAYOUT_QUESTION_COUNT = {"poster": 1, "summary-poster": 4, "leaflet": 4, "booklet": 4}
PAGES = {"poster": 1, "summary-poster": 1, "leaflet": 2, "booklet": 6}


def trim_size(doc) -> tuple[int, int]:
    """The finished size in mm of a manifest entry: leaflets are landscape."""
    width, height = FORMATS[doc["format"]]
    return (height, width) if doc["layout"] == "leaflet" else (width, height)


def test_default_kit_has_every_document(built_kit):
    out, result, manifest = built_kit
    kb = kit.load_content()
    everything = tuple(kb.question_ids)
    expected = set()
    for lang in ("fr", "en"):
        for fmt in ("A4", "A3"):
            expected |= {(lang, fmt, "standard", "poster", (qid,)) for qid in kb.question_ids}
            expected |= {(lang, fmt, "falc", "poster", (qid,)) for qid in kb.question_ids}
            expected.add((lang, fmt, "standard", "summary-poster", everything))
        expected |= {
            (lang, "A4", "standard", "leaflet", everything),
            (lang, "A4", "falc", "leaflet", everything),
            (lang, "A4", "falc", "booklet", everything),
        }
    got = {
        (d["lang"], d["format"], d["level"], d["layout"], tuple(d["questions"]))
        for d in manifest["documents"]
    }
    assert got == expected
    assert len(manifest["documents"]) == len(expected) == 42
    assert manifest["kit_version"] == kit.__version__
    assert manifest["content_version"] == kb.meta.content_version


def test_manifest_entries_match_files(built_kit):
    out, _, manifest = built_kit
    for doc in manifest["documents"]:
        path = out / doc["path"]
        assert path.is_file(), doc["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == doc["sha256"]
        assert doc["level"] in ("standard", "falc")
        assert doc["pages"] == PAGES[doc["layout"]]
        assert len(doc["questions"]) == LAYOUT_QUESTION_COUNT[doc["layout"]]
        assert len(doc["qr"]) == 1 and 1 <= doc["qr"][0]["page"] <= doc["pages"]
        assert doc["print"]
        assert all(q["url"].startswith("https://") for q in doc["qr"])


def test_every_pdf_measured(built_kit, open_pdf):
    out, _, manifest = built_kit
    kb = kit.load_content()
    for doc in manifest["documents"]:
        pdf = open_pdf(out / doc["path"])
        assert pdf.pages == doc["pages"], doc["path"]
        fw, fh = trim_size(doc)
        for page in range(pdf.pages):
            width, height = pdf.box_mm(page, "trimbox")
            assert abs(width - fw) <= 0.5 and abs(height - fh) <= 0.5, (doc["path"], width, height)
            assert pdf.box_mm(page, "mediabox") == pytest.approx(
                (width, height), abs=0.01
            )  # no bleed by default
        assert pdf.lang == doc["lang"]
        assert pdf.title == doc["title"]
        fonts = pdf.fonts()
        assert fonts and all(embedded for _, embedded in fonts), fonts
        assert all("AtkinsonHyperlegible" in name.replace("-", "") for name, _ in fonts), fonts
        text = " ".join(pdf.flat_text(page) for page in range(pdf.pages))
        for qid in doc["questions"]:
            question = kb.question(qid).translations[doc["lang"]]
            assert question.question in text, (doc["path"], qid)
            if (
                doc["layout"] == "summary-poster"
            ):  # the four questions on the wall; their answers behind the code
                assert question.hook not in text
            elif doc["level"] == "standard":
                assert question.hook in text
            else:  # an Easy-to-Read poster shows its wall ideas, the rest behind its QR code
                poster = kb.question(qid).wall_ideas(doc["lang"], "fr")
                shown = poster if doc["layout"] == "poster" else question.falc
                assert all(item.text in text for item in shown), (doc["path"], qid)
        labels = kb.shared.labels[doc["lang"]]
        assert labels.scan in text


def test_every_qr_decodes_to_manifest_url_printed_beside_it(built_kit, open_pdf, printed):
    out, _, manifest = built_kit
    for doc in manifest["documents"]:
        pdf = open_pdf(out / doc["path"])
        for qr in doc["qr"]:
            decoded = pdf.qr_codes(qr["page"] - 1, dpi=150)
            assert decoded == [qr["url"]], (doc["path"], decoded)
            assert qr["url"] == qr["address"]  # no tracking: the code carries the printed address
            assert printed(qr["address"]) in pdf.flat_text(qr["page"] - 1).replace(" ", ""), doc["path"]


def test_question_qr_targets_come_from_content(built_kit):
    _, _, manifest = built_kit
    kb = kit.load_content()
    for doc in manifest["documents"]:
        if doc["layout"] == "poster":
            expected = kb.question(doc["questions"][0]).translations[doc["lang"]].qr_link.url
        else:
            expected = kb.shared.summary[doc["lang"]].qr_link.url
        assert doc["qr"][0]["url"] == expected


def test_qr_printed_size_scales_with_format(built_kit):
    """QR codes are at least 3 cm on A4 and 5 cm on A3, measured on the page image."""
    import pypdfium2 as pdfium
    import zxingcpp

    out, _, manifest = built_kit
    minimum = {"A4": 30, "A3": 50}
    for doc in manifest["documents"]:
        if doc["layout"] not in ("poster", "summary-poster", "booklet"):
            continue
        dpi = 100
        document = pdfium.PdfDocument(str(out / doc["path"]))
        image = document[doc["qr"][0]["page"] - 1].render(scale=dpi / 72).to_pil()
        document.close()
        (code,) = zxingcpp.read_barcodes(image)
        xs = [p.x for p in (code.position.top_left, code.position.top_right, code.position.bottom_left)]
        width_mm = (max(xs) - min(xs)) * 25.4 / dpi  # symbol width, without the quiet zone
        assert width_mm >= minimum[doc["format"]], (doc["path"], width_mm)


def test_catalogue_lists_every_document_with_thumbnail(built_kit):
    out, result, manifest = built_kit
    html = (out / "index.html").read_text()
    for doc in manifest["documents"]:
        assert f'href="{doc["path"]}"' in html
    thumbs = sorted((out / "thumbs").glob("*.png"))
    assert len(thumbs) == len(manifest["documents"])
    for thumb in thumbs:
        assert thumb.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="thumbs/{thumb.name}"' in html
    # printing instructions in the content's languages (papier, recto verso...), not in English only
    assert '<p class="print" lang="fr">Papier\u00a0: A4 · Impression\u00a0: Recto seul</p>' in html
    assert '<p class="print" lang="en">Paper: A4 · Printing: One side' in html
    assert "Recto verso, bord court" in html


def test_the_catalogue_has_a_table_of_contents_and_a_filter(built_kit, browser):
    """A section per language and kind, each reached from the table of contents (no script needed); with
    script, the filter shows only the language and kind chosen (Chromium)."""
    import re

    out, _, manifest = built_kit
    html = (out / "index.html").read_text()
    targets = re.findall(r'<nav class="toc".*?</nav>', html, flags=re.S)[0]
    links = re.findall(r'href="#([^"]+)"', targets)
    langs = {d["lang"] for d in manifest["documents"]}
    assert set(links) >= langs | {f"{lang}-pdf" for lang in langs}
    for anchor in links:
        assert f'id="{anchor}"' in html
    page = browser.new_page(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    try:
        page.goto((out / "index.html").as_uri())
        assert not page.locator("#filter").is_visible()  # without script: no dead controls
        page.locator('nav.toc a[href="#en-pdf"]').click()
        assert page.locator("#en-pdf").is_visible()
    finally:
        page.close()
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto((out / "index.html").as_uri())
        page.select_option("#filter-lang", "en")
        assert not page.locator("#fr").is_visible() and page.locator("#en").is_visible()
        cards = page.locator("li.card:visible").count()
        assert cards == sum(1 for d in manifest["documents"] if d["lang"] == "en")
    finally:
        page.close()


def test_two_builds_are_byte_identical(built_kit, tmp_path):
    out, _, manifest = built_kit
    kit.build_kit(
        kit.load_project(), tmp_path / "again", langs="fr", formats="A4"
    )  # both levels: posters, leaflets, FALC
    again = json.loads((tmp_path / "again" / "manifest.json").read_text())
    first = {d["path"]: d["sha256"] for d in manifest["documents"]}
    for doc in again["documents"]:
        assert first[doc["path"]] == doc["sha256"], doc["path"]


def test_single_poster_a2_with_venue(tmp_path, open_pdf):
    kb = kit.load_content()
    target, built = kit.build_poster(
        kit.load_project(),
        "wrong-hands",
        lang="en",
        format="A2",
        venue="la-poste",
        out_file=tmp_path / "p.pdf",
    )
    pdf = open_pdf(target)
    assert pdf.pages == 1
    width, height = pdf.box_mm()
    assert abs(width - 420) <= 0.5 and abs(height - 594) <= 0.5
    assert kb.venue("la-poste").line["en"] in pdf.flat_text()
    assert pdf.qr_codes(0, dpi=72) == [built.qr[0]["url"]]


def test_summary_poster_names_all_questions(tmp_path, open_pdf):
    kb = kit.load_content()
    target, _ = kit.build_poster(
        kit.load_project(), "summary", lang="fr", format="A4", venue=None, out_file=tmp_path / "s.pdf"
    )
    text = open_pdf(target).flat_text()
    for question in kb.questions:
        assert question.translations["fr"].question in text


def test_unknown_options_are_refused():
    with pytest.raises(kit.OptionError, match="A5"):
        kit.build_poster(kit.load_project(), "wrong-hands", lang="fr", format="A5")
    with pytest.raises(kit.OptionError, match="Unknown question 'nope'"):
        kit.build_poster(kit.load_project(), "nope")
    with pytest.raises(kit.OptionError, match="Unknown venue"):
        kit.build_poster(kit.load_project(), "wrong-hands", venue="mairie")


def test_labels_punctuated_per_language(tmp_path, open_pdf):
    """French puts a no-break space before a colon, English does not (macros see the document's language)."""
    fr, _ = kit.build_poster(
        kit.load_project(), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "fr.pdf"
    )
    en, _ = kit.build_poster(
        kit.load_project(), "wrong-hands", lang="en", format="A4", out_file=tmp_path / "en.pdf"
    )
    assert "Crédits\u00a0:" in open_pdf(fr).text()
    assert "Credits:" in open_pdf(en).text() and "Credits :" not in open_pdf(en).text()


def test_same_poster_from_two_fresh_processes_is_byte_identical(run_kit, tmp_path):
    """Determinism does not hang on warm caches: two `kit poster` runs give the same bytes as the library."""
    import hashlib

    digests = []
    for name in ("a.pdf", "b.pdf"):
        result = run_kit(
            "poster", "know-before-me", "--lang", "en", "--format", "A3", "--out", tmp_path / name
        )
        assert result.returncode == 0, result.stderr
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    _, built = kit.build_poster(
        kit.load_project(), "know-before-me", lang="en", format="A3", out_file=tmp_path / "c.pdf"
    )
    assert digests[0] == digests[1] == built.sha256
