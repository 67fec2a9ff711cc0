"""The letter to say no (`kit letter`): one A4 page per route, standard and Easy-to-Read, in the packs that hold it;
its PDF opened and its page rendered."""

from __future__ import annotations

import pytest

import kit
from kit.build import Builder, build_letter
from kit.check import check_content
from kit.content import LETTER_ROUTES
from kit.errors import OptionError
from kit.events import read_events
from kit.plan import plan_event, plan_letter

A4 = (210, 297)
HEADER = "type de lieu;nom du lieu;adresse;code postal;ville;date;contact;langues;exemplaires"


@pytest.fixture(scope="module")
def project():
    return kit.load_project()


@pytest.fixture(scope="module")
def letters(project, tmp_path_factory):
    """Every route, in French and English, standard and Easy-to-Read, built once."""
    folder = tmp_path_factory.mktemp("letters")
    built = {}
    for lang in ("fr", "en"):
        for level in ("standard", "falc"):
            for target, doc in build_letter(project, None, lang, level, folder / f"{lang}-{level}.pdf"):
                built[(lang, level, doc.doc.spec.route)] = target
    return built


def test_plan_one_page_per_route(project):
    docs = plan_letter(project)
    assert [d.spec.route for d in docs] == list(LETTER_ROUTES) == ["snds", "hospital", "study"]
    assert [d.path for d in docs] == [f"fr/letter-{route}-A4.pdf" for route in LETTER_ROUTES]
    (falc,) = plan_letter(project, "hospital", "en", "falc")
    assert falc.path == "en/falc-letter-hospital-A4.pdf" and falc.layout.level == "falc"
    with pytest.raises(OptionError, match="Unknown route: cpam. Choose among: snds, hospital, study"):
        plan_letter(project, "cpam")
    with pytest.raises(OptionError, match="Unknown language: ar"):
        plan_letter(
            project, "snds", "ar"
        )  # complete languages only: the letter goes to a French organisation


def test_every_letter_is_one_a4_page_tagged_with_its_language_and_fonts_embedded(letters, open_pdf):
    assert len(letters) == 12
    for (lang, _level, _route), path in letters.items():
        pdf = open_pdf(path)
        assert pdf.pages == 1, path  # a text too long for the page is a FitError: it would not be built
        assert [round(v) for v in pdf.box_mm(0, "trimbox")] == list(A4)
        assert pdf.lang == lang
        assert pdf.fonts() and all(embedded for _, embedded in pdf.fonts()), pdf.fonts()
        assert "/StructTreeRoot" in pdf.reader.trailer["/Root"]


def test_the_letter_says_what_the_content_says(project, letters, open_pdf):
    for (lang, level, route), path in letters.items():
        texts = project.kb.shared.letter[lang]
        text = open_pdf(path).flat_text()
        if level == "standard":
            expected = [texts.routes[route].subject, texts.salutation, texts.closing, texts.signature_label]
            expected += [texts.routes[route].body[0][:60], texts.next[-1][:40], texts.routes[route].find[:40]]
        else:
            easy = texts.falc.routes[route]
            expected = [texts.falc.title, easy.to, *easy.body, texts.falc.steps[1].text]
        for words in expected:
            assert " ".join(words.split()) in text, (path, words)
        # The social security number is asked only where the route needs it (the fund identifies people by it).
        assert (texts.number_label in text) == (route == "snds"), (path, route)
    # (Hyphens may print unbreakable, and an address breaks after a slash.)
    fr = open_pdf(letters[("fr", "standard", "snds")]).flat_text().replace("\u2011", "-")
    assert "R1461-9" in fr and "caisse d'assurance maladie" in fr
    assert "cnil.fr/fr/adresser-une-plainte" in fr.replace("/ ", "/")
    hospital = open_pdf(letters[("fr", "standard", "hospital")]).flat_text().replace("\u2011", "-")
    assert "délégué à la protection des données de l'hôpital" in hospital and "R1461-9" not in hospital


def test_the_page_has_room_to_write_and_sign(letters):
    """Rendered, each page shows its blank lines (drawn across, for handwriting) and keeps ink off its margins."""
    import pypdfium2 as pdfium

    for path in (letters[("fr", "standard", "study")], letters[("en", "falc", "snds")]):
        document = pdfium.PdfDocument(str(path))
        try:
            image = document[0].render(scale=100 / 72).to_pil().convert("L")
        finally:
            document.close()
        width, height = image.size
        pixels = image.load()
        rows = [sum(1 for x in range(width) if pixels[x, y] < 128) for y in range(height)]
        long_lines = [y for y, dark in enumerate(rows) if dark > width * 0.25]  # blank lines and the cut line
        assert len({y // 5 for y in long_lines}) >= 6, path
        margin = round(6 / 25.4 * 100)  # 6 mm of the 8 mm margins
        for y in range(height):
            assert all(pixels[x, y] > 200 for x in range(margin)), (path, y)


def test_kit_letter_command(run_kit, tmp_path, open_pdf):
    result = run_kit("letter", "--route", "study", "--lang", "en", "--out", tmp_path / "mine.pdf")
    assert result.returncode == 0, result.stderr
    assert open_pdf(tmp_path / "mine.pdf").lang == "en" and "study" in result.stdout
    result = run_kit("letter", "--level", "falc", "--out", tmp_path / "lettre.pdf")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("lettre-*.pdf")) == [
        "lettre-hospital.pdf",
        "lettre-snds.pdf",
        "lettre-study.pdf",
    ]
    bad = run_kit("letter", "--route", "everything", "--out", tmp_path / "x.pdf")
    assert bad.returncode == 2 and "Choose among: snds, hospital, study" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("venue", ["France Services", "VoisinMalin"])
def test_france_services_and_door_to_door_packs_hold_the_letters(project, tmp_path, venue, open_pdf):
    events = tmp_path / "events.csv"
    row = f"{venue};Lieu;1 rue A;75001;Paris;2026-04-14;01 23 45 67 89;fr,ar;10"
    events.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    (event,) = read_events(events, venues=project.kb.venues).events
    docs = plan_event(project, event)
    letters = [d for d in docs if d.layout.name == "letters"]
    # French only (the letter goes to a French organisation; Arabic is a partial language): one PDF, a page per
    # route (one row on the print sheet, not three); the door-to-door pack holds the Easy-to-Read one too (the
    # France Services print sheet is full: its advisors print that one with `kit letter --level falc`).
    levels = ["falc", "standard"] if venue == "VoisinMalin" else ["standard"]
    assert sorted((d.spec.lang, d.spec.level, d.spec.route) for d in letters) == [
        ("fr", level, None) for level in levels
    ]
    assert {row.file for row in docs[-1].spec.rows} >= {d.path for d in letters}
    for doc in letters:
        path = tmp_path / doc.path
        Builder(project).build(doc, path)
        pdf = open_pdf(path)
        assert pdf.pages == 3 and pdf.lang == "fr"
        texts = project.kb.shared.letter["fr"]
        for page, route in enumerate(LETTER_ROUTES):
            body = texts.routes[route].body if doc.spec.level == "standard" else texts.falc.routes[route].body
            assert " ".join(body[0].split())[:40] in pdf.flat_text(page), (doc.path, route)


def test_kit_check_applies_the_easy_to_read_rules_to_the_letter(content_copy, edit_file):
    edit_file(
        content_copy / "shared.yaml",
        '"Signez la lettre et gardez une copie."',
        '"Signez la lettre ; gardez une copie, etc."',
    )
    findings = {(f.rule, f.question) for f in check_content(content_copy).findings}
    assert {("falc-semicolon", "shared/letter"), ("falc-etc", "shared/letter")} <= findings


def test_easy_to_read_sentences_are_16_pt_or_more(project, letters):
    import pdfplumber

    easy = project.kb.shared.letter["fr"].falc
    wanted = {w for item in easy.steps for w in item.text.split()} | set(easy.routes["snds"].body[0].split())
    labels = project.kb.shared.labels["fr"]
    wanted -= set(f"{easy.cut} {labels.falc_unchecked} {labels.credits}".split())  # the small print
    with pdfplumber.open(str(letters[("fr", "falc", "snds")])) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    sizes = [w["size"] for w in words if w["text"] in wanted]
    assert len(sizes) > 20 and min(sizes) >= 16, sorted(sizes)[:5]
