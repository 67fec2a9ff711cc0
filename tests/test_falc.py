"""Easy-to-Read (FALC) documents, measured word by word on the PDF."""

from __future__ import annotations

import re

import pytest

import kit

FALC_SPECS = [("booklet", None), ("poster", "A4"), ("poster", "A3"), ("leaflet", None)]


@pytest.fixture(scope="module")
def falc_docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("falc")
    result = kit.build_falc(kit.load_project(), out, langs="fr,en")
    return out, result


def _sentences(kb, doc) -> list[str]:
    lang = doc.spec.lang
    found = []
    for qid in doc.spec.questions:
        found += [item.text for item in kb.question(qid).translations[lang].falc]
    if doc.spec.layout in ("booklet", "leaflet"):
        pages = kb.shared.falc[lang]
        found += [item.text for item in (*pages.intro, *pages.end)]
    return found


def test_every_falc_document_built(falc_docs):
    _, result = falc_docs
    kinds = {(d.spec.layout, d.spec.lang, d.spec.format) for d in result.documents}
    assert ("booklet", "fr", "A4") in kinds and ("leaflet", "en", "A4") in kinds
    assert {("poster", "fr", "A4"), ("poster", "fr", "A3")} <= kinds
    assert all(d.spec.level == "falc" for d in result.documents)
    assert len(result.documents) == 2 * (1 + 4 * 2 + 1)


FOLDS = {0: (97, 197), 1: (100, 200)}


def _lines(pdf, doc) -> list[dict]:
    lines = []
    for page in range(pdf.pages):
        splits = FOLDS[page] if doc.spec.layout == "leaflet" else ()
        lines += pdf.lines(page, splits)
    return lines


def test_sizes_fonts_and_lines(falc_docs, open_pdf):
    """Nothing under 14 pt, no italic, no line ending in a hyphen."""
    out, result = falc_docs
    for doc in result.documents:
        pdf = open_pdf(out / doc.path)
        for line in _lines(pdf, doc):
            for word in line["words"]:
                assert word["size"] >= 14 - 0.01, (doc.path, word["text"], word["size"])
                font = word["fontname"].lower()
                assert "italic" not in font and "oblique" not in font, (doc.path, font)
            assert not line["text"].endswith("-"), (doc.path, line["text"])


def test_each_sentence_starts_a_new_line_in_body_size(falc_docs, open_pdf):
    out, result = falc_docs
    kb = kit.load_content()
    for doc in result.documents:
        pdf = open_pdf(out / doc.path)
        lines = _lines(pdf, doc)
        for sentence in _sentences(kb, doc):
            first, second = sentence.split()[:2]
            # The line starts with the sentence (its first word may fill a line on its own).
            starts = [line for line in lines
                      if line["text"].startswith(f"{first} {second}") or line["text"] == first]
            assert starts, (doc.path, sentence)
            for word in starts[0]["words"]:
                assert word["size"] >= 16 - 0.01, (doc.path, sentence, word["text"], word["size"])


def test_booklet_page_numbers_and_one_question_per_page(falc_docs, open_pdf):
    out, result = falc_docs
    kb = kit.load_content()
    for lang, word in (("fr", "sur"), ("en", "of")):
        (booklet,) = [d for d in result.documents if d.spec.layout == "booklet" and d.spec.lang == lang]
        pdf = open_pdf(out / booklet.path)
        assert pdf.pages == len(kb.questions) + 2
        for page in range(pdf.pages):
            assert f"page {page + 1} {word} {pdf.pages}" in pdf.flat_text(page)
        for n, question in enumerate(kb.questions, start=1):
            assert question.translations[lang].question in pdf.flat_text(n)


def test_glossary_terms_explained_where_they_appear(falc_docs, open_pdf):
    out, result = falc_docs
    kb = kit.load_content()
    term = next(t for t in kb.shared.glossary if t.id == "donnees-de-sante").translations["fr"]
    (booklet,) = [d for d in result.documents if d.spec.layout == "booklet" and d.spec.lang == "fr"]
    pdf = open_pdf(out / booklet.path)
    page_text = pdf.flat_text(1)  # question 1 uses "données de santé"
    assert "Les mots à connaître" in page_text and term.falc.split(".")[0] in page_text


def test_tagged_by_default_with_alt_text(falc_docs, open_pdf):
    out, result = falc_docs
    (poster,) = [d for d in result.documents
                 if d.spec.layout == "poster" and d.spec.lang == "fr" and d.spec.questions == ("without-consent",)
                 and d.spec.format == "A4"]
    pdf = open_pdf(out / poster.path)
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    alts = pdf.alt_texts()
    assert "une main levée" in alts  # the pictogram beside "Vous avez le droit de dire non."
    assert f"Code QR\u00a0: ouvre {poster.qr[0]['url'].removeprefix('https://')}" in alts


def test_plain_wording_without_logo(falc_docs, open_pdf):
    out, result = falc_docs
    (booklet,) = [d for d in result.documents if d.spec.layout == "booklet" and d.spec.lang == "fr"]
    text = open_pdf(out / booklet.path).flat_text(0)
    assert "Facile à lire et à comprendre" in text
    assert "Inclusion Europe" not in text


def _logo(tmp_path):
    """A stand-in for the logo file the user supplies (a PNG: it lands in the PDF as an image)."""
    from PIL import Image

    logo = tmp_path / "etr-logo.png"
    Image.new("RGB", (120, 120), (0x33, 0x33, 0x99)).save(logo)
    return logo


def _images(pdf) -> int:
    xobjects = pdf.reader.pages[0]["/Resources"].get("/XObject", {})
    return sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image")


def test_logo_needs_checkers(tmp_path):
    with pytest.raises(kit.KitError, match="checked"):
        kit.build_poster(kit.load_project(falc_logo=_logo(tmp_path)), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf", level="falc")
    assert not (tmp_path / "p.pdf").exists()


def test_logo_with_checkers_and_file(content_copy, edit_file, tmp_path, open_pdf):
    edit_file(content_copy / "kit.yaml", "falc_checked_by: []", 'falc_checked_by: ["Camille Martin", "Yanis Benali"]')
    target, _ = kit.build_poster(kit.load_project(content=content_copy, falc_logo=_logo(tmp_path)), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf", level="falc")
    pdf = open_pdf(target)
    text = pdf.flat_text()
    assert "Camille Martin, Yanis Benali" in text
    assert "European Easy-to-Read Logo: Inclusion Europe" in text
    without, _ = kit.build_poster(kit.load_project(content=content_copy), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "q.pdf", level="falc")
    assert _images(pdf) == _images(open_pdf(without)) + 1
