"""Easy-to-Read (FALC) documents, measured word by word on the PDF."""

from __future__ import annotations

import datetime as dt

import pytest

import kit
from kit.check import check_content
from kit.content import FALC_POSTER_IDEAS

FALC_SPECS = [("booklet", None), ("poster", "A4"), ("poster", "A3"), ("leaflet", None)]
POSTER_IDEAS = (
    FALC_POSTER_IDEAS  # an Easy-to-Read poster carries its question's wall ideas, the rest behind its QR code
)
MM = 25.4 / 72


@pytest.fixture(scope="module")
def falc_docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("falc")
    result = kit.build_falc(kit.load_project(), out, langs="fr,en")
    return out, result


def _sentences(kb, doc) -> list[str]:
    lang = doc.spec.lang
    found = []
    for qid in doc.spec.questions:
        question = kb.question(qid)
        items = (
            question.wall_ideas(lang, "fr")
            if doc.spec.layout == "poster"
            else question.translations[lang].falc
        )
        found += [item.text for item in items]
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
            starts = [
                line
                for line in lines
                if line["text"].startswith(f"{first} {second}") or line["text"] == first
            ]
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
    (poster,) = [
        d
        for d in result.documents
        if d.spec.layout == "poster"
        and d.spec.lang == "fr"
        and d.spec.questions == ("without-consent",)
        and d.spec.format == "A4"
    ]
    pdf = open_pdf(out / poster.path)
    root = pdf.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    alts = pdf.alt_texts()
    assert "une main levée" in alts  # the pictogram beside "Vous avez le droit de dire non."
    assert f"Code QR\u00a0: ouvre {poster.qr[0]['url'].removeprefix('https://')}" in alts


def test_plain_wording_without_logo(falc_docs, open_pdf):
    """Until falc_checked_by names someone, documents say they follow the rules but are not checked yet: they
    are not labelled "Facile à lire et à comprendre" (the label is for texts checked by readers)."""
    out, result = falc_docs
    labels = kit.load_content().shared.labels
    for doc in result.documents:
        pdf = open_pdf(out / doc.path)
        text = " ".join(pdf.flat_text(page) for page in range(pdf.pages))
        assert labels[doc.spec.lang].falc_unchecked in text, doc.path
        assert labels[doc.spec.lang].falc not in text and labels[doc.spec.lang].falc not in pdf.title, (
            doc.path
        )
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
        kit.build_poster(
            kit.load_project(falc_logo=_logo(tmp_path)),
            "wrong-hands",
            lang="fr",
            format="A4",
            out_file=tmp_path / "p.pdf",
            level="falc",
        )
    assert not (tmp_path / "p.pdf").exists()


def test_logo_with_checkers_and_file(content_copy, edit_file, tmp_path, open_pdf):
    edit_file(
        content_copy / "kit.yaml",
        "falc_checked_by: []",
        'falc_checked_by: ["Camille Martin", "Yanis Benali"]',
    )
    target, _ = kit.build_poster(
        kit.load_project(content=content_copy, falc_logo=_logo(tmp_path)),
        "wrong-hands",
        lang="fr",
        format="A4",
        out_file=tmp_path / "p.pdf",
        level="falc",
    )
    pdf = open_pdf(target)
    text = pdf.flat_text()
    assert "Camille Martin, Yanis Benali" in text
    assert "European Easy-to-Read Logo: Inclusion Europe" in text
    # Checked by named readers: now it is "Facile à lire et à comprendre", on the page and in the title.
    labels = kit.load_content().shared.labels["fr"]
    assert labels.falc in text and labels.falc_unchecked not in text and pdf.title.endswith(labels.falc)
    without, _ = kit.build_poster(
        kit.load_project(content=content_copy),
        "wrong-hands",
        lang="fr",
        format="A4",
        out_file=tmp_path / "q.pdf",
        level="falc",
    )
    assert _images(pdf) == _images(open_pdf(without)) + 1


def test_booklet_pages_are_filled(falc_docs, open_pdf):
    """Each question page's sentences and pictures run down its page (copyfit), not 37-55 % empty."""
    out, result = falc_docs
    for doc in (d for d in result.documents if d.spec.layout == "booklet"):
        pdf = open_pdf(out / doc.path)
        for page in range(1, pdf.pages - 1):
            words = [w for w in pdf.words(page) if not w["text"].startswith(("page", "sur", "of"))]
            body = [w for w in words if w["bottom"] * 25.4 / 72 < 297 - 20]  # above the page number
            assert max(w["bottom"] for w in body) * 25.4 / 72 >= 0.75 * 297, (doc.path, page)


def _lone_last_words(pdf, doc, sentences: list[str]) -> list[str]:
    """Sentences whose last line holds only their last word."""
    found = []
    lines = [line["text"] for line in _lines(pdf, doc)]
    for sentence in sentences:
        last = sentence.split()[-1]
        last_word = next(w for w in reversed(sentence.split()) if any(c.isalnum() for c in w))
        for line in lines:
            tokens = [t for t in line.split() if any(c.isalnum() for c in t)]
            if tokens == [last_word.strip(".?!")] or tokens == [last_word]:
                if line.endswith(last) or line.endswith(last_word):
                    found.append(sentence)
    return found


def test_no_sentence_ends_with_a_lone_word(falc_docs, open_pdf):
    out, result = falc_docs
    kb = kit.load_content()
    for doc in result.documents:
        pdf = open_pdf(out / doc.path)
        sentences = [s for s in _sentences(kb, doc) if len(s.split()) >= 3 and "{n}" not in s]
        assert _lone_last_words(pdf, doc, sentences) == [], doc.path


def test_lone_word_check_can_fail(tmp_path, open_pdf):
    """The check above finds a sentence whose last word is alone on its line."""
    from kit.render import Renderer
    from kit.specs import DocSpec
    from kit.templates import Layouts

    class Doc:
        spec = DocSpec("poster", "fr", "A4", ())

    renderer = Renderer(Layouts())
    html = (
        '<html><body style="width: 60mm; font-size: 14pt"><p>Les soignants gardent vos informations secrètes.</p>'
        "</body></html>"
    )
    path = tmp_path / "w.pdf"
    path.write_bytes(renderer.write_pdf(renderer.render(html, ["css/fonts.css"]), identifier="w"))
    assert _lone_last_words(open_pdf(path), Doc, ["Les soignants gardent vos informations secrètes."])


def test_booklet_says_how_many_questions_it_answers(tmp_path, open_pdf):
    """A knowledge base of 5 questions: the booklet's intro says 5 (it said 4, written into the text)."""
    from kit.init import template_dir

    content = tmp_path / "content" / "questions"
    content.mkdir(parents=True)
    (content / "local-help.yaml").write_text(
        (template_dir() / "content" / "questions" / "local-help.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = kit.build_falc(kit.load_project(content=tmp_path / "content"), tmp_path / "out", langs="fr,en")
    for doc in (d for d in result.documents if d.spec.layout == "booklet"):
        assert len(doc.spec.questions) == 5
        text = open_pdf(tmp_path / "out" / doc.path).flat_text(0)
        assert (
            "Ce document répond à 5 questions."
            if doc.spec.lang == "fr"
            else "This document answers 5 questions."
        ) in text
        assert "4 questions" not in text


def test_falc_documents_are_pdf_ua(falc_docs):
    """Easy-to-Read documents are tagged and carry the PDF/UA identifier and the XMP title (not only tags)."""
    from pypdf import PdfReader

    out, result = falc_docs
    for doc in result.documents:
        reader = PdfReader(str(out / doc.path))
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
        assert 'pdfuaid:part="1"' in xmp, doc.path
        assert "<dc:title>" in xmp and reader.metadata.get("/Title") == doc.title, doc.path


def _posters(result, fmt=None):
    return [
        d for d in result.documents if d.spec.layout == "poster" and (fmt is None or d.spec.format == fmt)
    ]


def test_posters_read_from_a_distance(falc_docs, open_pdf):
    """Issue 28: on an Easy-to-Read poster every sentence is at 24 pt or more on A4 (34 pt on A3: the A4 size times
    the A3's 1.41), the question at 40 pt and more (56 on A3); the question's three wall ideas fill the page down to
    its QR code (no empty band of more than a tenth of the page)."""
    out, result = falc_docs
    kb = kit.load_content()
    for doc in _posters(result):
        least, headline = (24, 40) if doc.spec.format == "A4" else (34, 56)
        pdf = open_pdf(out / doc.path)
        lines = _lines(pdf, doc)
        sentences = _sentences(kb, doc)
        assert len(sentences) == min(
            POSTER_IDEAS, len(kb.question(doc.spec.questions[0]).translations["fr"].falc)
        )
        for sentence in sentences:
            first, second = sentence.split()[:2]
            starts = [line for line in lines if line["text"].startswith(f"{first} {second}")]
            assert starts, (doc.path, sentence)
            assert min(w["size"] for w in starts[0]["words"]) >= least - 0.01, (doc.path, sentence)
        words = pdf.words(0)
        assert max(w["size"] for w in words) >= headline - 0.05, doc.path
        height = 297 if doc.spec.format == "A4" else 420
        scan = next(w for w in words if w["text"] in ("Scannez", "Scan"))
        above = [w for w in words if w["bottom"] < scan["top"]]
        assert (scan["top"] - max(w["bottom"] for w in above)) * MM < 0.1 * height, doc.path  # no empty band


def _pictures(path, right_of: float, top: float, bottom: float) -> list[dict]:
    """The drawn pictures (vector paths, grouped when less than 2 mm apart vertically) left of ``right_of`` between
    ``top`` and ``bottom`` (pt), each with its bounding box."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        paths = [
            o
            for o in page.curves + page.rects + page.lines
            if o["x1"] < right_of and o["top"] >= top and o["bottom"] <= bottom
        ]
    groups: list[dict] = []
    for o in sorted(paths, key=lambda o: o["top"]):
        if groups and o["top"] < groups[-1]["bottom"] + 2 / MM:
            g = groups[-1]
            g.update(bottom=max(g["bottom"], o["bottom"]), x0=min(g["x0"], o["x0"]), x1=max(g["x1"], o["x1"]))
        else:
            groups.append({"top": o["top"], "bottom": o["bottom"], "x0": o["x0"], "x1": o["x1"]})
    return groups


def test_poster_pictures_are_20_mm_beside_their_first_line(falc_docs, open_pdf):
    """Issue 28: each idea's picture is 20 mm or more (2.4 em at 24 pt) and stands beside its sentence's first line.
    Measured on its drawing, which fills 78 % (the heart) to 100 % of the picture's square: 16 mm and more (22.5 on
    A3), its middle less than 4 mm (5.5 on A3) from the middle of the first line."""
    out, result = falc_docs
    kb = kit.load_content()
    for doc in _posters(result):
        k = 1.0 if doc.spec.format == "A4" else 2**0.5
        pdf = open_pdf(out / doc.path)
        lines = _lines(pdf, doc)
        firsts, rest = [], iter(lines)  # each sentence's first line, in order (two may start alike)
        for sentence in _sentences(kb, doc):
            first, second = sentence.split()[:2]
            firsts.append(next(ln for ln in rest if ln["text"].startswith(f"{first} {second}"))["words"][0])
        scan = next(w for w in pdf.words(0) if w["text"] in ("Scannez", "Scan"))
        pictures = _pictures(out / doc.path, firsts[0]["x0"] - 1, firsts[0]["top"] - 8 / MM * k, scan["top"])
        assert len(pictures) == len(firsts), (doc.path, pictures)
        for picture, word in zip(pictures, firsts):
            side = max(picture["x1"] - picture["x0"], picture["bottom"] - picture["top"]) * MM
            assert side >= 16 * k, (doc.path, word["text"], side)
            middle = (picture["top"] + picture["bottom"]) / 2
            assert abs(middle - (word["top"] + word["bottom"]) / 2) * MM < 4 * k, (doc.path, word["text"])


def test_not_yet_checked_notice_is_at_the_foot(falc_docs, open_pdf):
    """Issue 28: "written to the Easy-to-Read rules, not yet checked by readers" goes to the foot, with the fine
    print under the QR code and its call, never above the question; the page opens with the question."""
    out, result = falc_docs
    labels = kit.load_content().shared.labels
    for doc in _posters(result):
        pdf = open_pdf(out / doc.path)
        notice = labels[doc.spec.lang].falc_unchecked
        lines = pdf.lines(0)
        found = [line for line in lines if line["text"].startswith(" ".join(notice.split()[:4]))]
        (line,) = found
        scan = next(w for w in pdf.words(0) if w["text"] in ("Scannez", "Scan"))
        assert line["words"][0]["top"] > scan["bottom"] + 60 / MM * 0.9, doc.path  # under the QR code
        credits = next(ln for ln in lines if "Fluent Emoji" in ln["text"])
        assert line["words"][0]["top"] < credits["words"][0]["top"], doc.path
        assert notice.split()[0] not in lines[0]["text"], doc.path  # the page opens with the question


def test_hard_word_of_the_title_is_explained_on_the_poster(falc_docs, open_pdf):
    """Issue 28: the poster asking about consent explains the word (the glossary's Easy-to-Read sentences)."""
    out, result = falc_docs
    kb = kit.load_content()
    seen = set()
    for doc in _posters(result):
        if doc.spec.questions == ("without-consent",):
            lang = doc.spec.lang
            term = next(t for t in kb.shared.glossary if t.id == "consentement").translations[lang]
            text = open_pdf(out / doc.path).flat_text(0)
            assert term.term in text, doc.path
            assert all(s.strip() in text for s in term.falc.split(".") if s.strip()), doc.path
            seen.add((lang, doc.spec.format))
    assert seen == {(lang, fmt) for lang in ("fr", "en") for fmt in ("A4", "A3")}


TODAY = kit.load_content().meta.date + dt.timedelta(days=30)  # before the content's review date
# The sentence a reader of the consent poster needs: the answer (kit's own words, as the content states them).
SAY_NO = {"fr": "En général, vous pouvez dire non à cet usage.", "en": "Usually, you can say no to this use."}


def test_consent_poster_says_you_can_say_no(falc_docs, open_pdf):
    """Issue 28: the poster's ideas are chosen by the content (`wall: true`), not by their place: the consent poster
    says that you can usually say no (its fifth idea), and not the ideas left behind its QR code."""
    out, result = falc_docs
    kb = kit.load_content()
    seen = set()
    for doc in _posters(result):
        if doc.spec.questions != ("without-consent",):
            continue
        lang = doc.spec.lang
        text = open_pdf(out / doc.path).flat_text(0)
        assert SAY_NO[lang] in text, (doc.path, text)
        ideas = kb.question("without-consent").translations[lang].falc
        shown = [item.text for item in ideas if item.text in text]
        assert len(shown) == POSTER_IDEAS and ideas[1].text not in text, (doc.path, shown)
        seen.add((lang, doc.spec.format))
    assert seen == {(lang, fmt) for lang in ("fr", "en") for fmt in ("A4", "A3")}


def test_translations_take_the_french_wall_ideas():
    """A language that flags no idea (the partial ones: their sentences are translated, kit translate writes no
    flag) shows the ideas at the places the French flags; a question that flags none, its first three."""
    question = kit.load_content().question("without-consent")
    places = [i for i, item in enumerate(question.translations["fr"].falc) if item.wall]
    assert places == [0, 3, 4]
    for lang in ("es", "ar", "zh"):
        falc = question.translations[lang].falc
        assert not any(item.wall for item in falc), lang
        assert question.wall_ideas(lang, "fr") == [falc[i] for i in places], lang
    plain = {
        lang: text.model_copy(
            update={"falc": [item.model_copy(update={"wall": False}) for item in text.falc]}
        )
        for lang, text in question.translations.items()
    }
    unflagged = question.model_copy(update={"translations": plain})
    assert unflagged.wall_ideas("es", "fr") == unflagged.translations["es"].falc[:POSTER_IDEAS]


def test_more_wall_ideas_than_the_poster_holds_is_a_check_error(content_copy, edit_file):
    """`wall: true` on a fourth idea is an error naming the question, the language, the file and the line; fewer
    than the poster holds is nothing (the poster shows those)."""
    path = content_copy / "questions" / "without-consent.yaml"
    changed = "picto: counterclockwise-arrows-button\n        wall: true\n"
    edit_file(path, "picto: counterclockwise-arrows-button\n", changed)  # the French, the first one
    report = check_content(content_copy, today=TODAY)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.rule, f.question, f.lang, f.file) for f in errors] == [
        ("length", "without-consent", "fr", str(path))
    ], errors
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[errors[0].line - 1].strip() == "wall: true"
    assert "picto: counterclockwise-arrows-button" in lines[errors[0].line - 2]
    assert "without-consent" in errors[0].message and "'fr'" in errors[0].message
    assert not report.ok()
    # Two flags, the third removed: no finding of its own, the poster shows the two.
    edit_file(path, changed, "picto: counterclockwise-arrows-button\n")
    edit_file(path, "picto: raised-hand\n        wall: true\n", "picto: raised-hand\n")
    report = check_content(content_copy, today=TODAY)
    assert not [f for f in report.findings if f.severity != "note"], [f.message for f in report.findings]
    two = kit.load_content(content_copy).question("without-consent").wall_ideas("fr", "fr")
    assert [item.picto for item in two] == ["identification-card", "page-facing-up"]
