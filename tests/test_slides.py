"""`kit slides`: the facilitator's 16:9 deck opened as a PDF (pages, sizes, QR codes decoded) and the waiting-room
loop as a screen shows it (1920x1080 PNGs, a QR code a phone reads, large enough at a distance)."""

from __future__ import annotations

import json

import pytest
from PIL import Image

import kit
from kit.build import build_slides

PT_PER_PX = 0.75


@pytest.fixture(scope="module")
def slides(site_project, tmp_path_factory):
    folder, project = site_project
    out = tmp_path_factory.mktemp("slides")
    build_slides(project, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, project, manifest


def decode(image: Image.Image):
    import zxingcpp

    return [code for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode]


def test_the_deck_has_its_slides_in_16_9(slides, open_pdf):
    out, project, manifest = slides
    kb = project.kb
    decks = [d for d in manifest["documents"] if d["format"] == "16:9"]
    assert [d["lang"] for d in decks] == kb.languages
    for doc in decks:
        pdf = open_pdf(out / doc["path"])
        # title, a slide per question, the story, the rights, the site, the closing slide
        assert pdf.pages == doc["pages"] == 1 + len(kb.summary_ids) + 1 + 1 + 1 + 1
        for page in range(pdf.pages):
            width, height = pdf.box_mm(page, "mediabox")
            assert width / height == pytest.approx(16 / 9, rel=1e-3)
            assert width == pytest.approx(1920 * 25.4 / 96, abs=0.1)
        assert pdf.lang == doc["lang"]
        text = " ".join(pdf.flat_text(page) for page in range(pdf.pages))
        for qid in kb.summary_ids:
            question = kb.question(qid).translations[doc["lang"]]
            assert question.prompts[0].split()[0] in text
        story = kb.stories[0].translations[doc["lang"]]
        assert story.title.split(":")[0] in text


def test_the_deck_qr_codes_lead_to_the_site_and_the_feedback_form(slides, open_pdf, resolves):
    out, project, manifest = slides
    for doc in (d for d in manifest["documents"] if d["format"] == "16:9"):
        pdf = open_pdf(out / doc["path"])
        found = {entry["page"]: entry["url"] for entry in doc["qr"]}
        assert len(found) == 3 and project.options.feedback_url in found.values()
        for page, url in found.items():
            assert pdf.qr_codes(page - 1) == [url]
        story, site = [url for url in found.values() if url != project.options.feedback_url]
        assert resolves(site, project.kb) == f"{doc['lang']}/"
        assert story.endswith("#" + project.kb.stories[0].id) and resolves(story, project.kb)


def test_without_a_feedback_form_the_deck_closes_without_its_qr_code(tmp_path, open_pdf):
    project = kit.load_project()  # built-in content, no kit.toml
    build_slides(project, tmp_path, langs="en")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    deck = next(d for d in manifest["documents"] if d["format"] == "16:9")
    assert len(deck["qr"]) == 2  # the story's and the site's
    pdf = open_pdf(tmp_path / deck["path"])
    assert pdf.qr_codes(deck["qr"][0]["page"] - 1) == [deck["qr"][0]["url"]]
    assert pdf.qr_codes(pdf.pages - 1) == []


def test_the_screen_loop(slides, resolves):
    out, project, manifest = slides
    kb = project.kb
    screens = [d for d in manifest["documents"] if d["format"] == "1920x1080" and d["channel"] == "slides"]
    per_lang = 1 + len(kb.question_ids) + len(kb.stories) + 1
    assert len(screens) == per_lang * len(kb.languages)
    for lang in kb.languages:
        names = [d["path"] for d in screens if d["lang"] == lang]
        assert names == sorted(names)  # file names sort in the loop's order
    for doc in screens:
        with Image.open(out / doc["path"]) as image:
            assert image.size == (1920, 1080)
            codes = decode(image.convert("L"))
        assert [c.text for c in codes] == doc["links"], doc["path"]
        assert resolves(doc["links"][0], kb)
        position = codes[0].position
        side = max(
            abs(position.top_right.x - position.top_left.x), abs(position.bottom_left.y - position.top_left.y)
        )
        assert side >= 0.15 * 1080, (doc["path"], side)  # the QR symbol: at least 15 % of the screen's height
        assert doc["alt"] and (out / doc["path"]).stat().st_size < 1_500_000


def test_a_fresh_kit_init_project_makes_its_slides(tmp_path, run_kit):
    """`kit init` then `kit slides`: the init project's own address (www.france-services.gouv.fr/, 28 characters
    without a '/' to wrap at) ran 2 mm out of the QR panel and the command failed (exit 6)."""
    assert run_kit("init", tmp_path / "p").returncode == 0
    result = run_kit("slides", "--out", "o", "--lang", "fr", cwd=tmp_path / "p")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("where", ["site", "content"])
def test_the_qr_panel_holds_every_address_kit_check_accepts(where, tmp_path, content_copy, edit_file):
    """The longest addresses kit check lets through: a site's base address of 131 characters (171 less the 40
    kept for the page's path), and a question's link of 403 characters. Every screen and the deck are made, the
    address printed whole (small print when long), and the QR code still decodes."""
    from kit.qr import QR_CAMPAIGN_MM, QR_QUESTION_MM, SITE_PATH_RESERVE, max_link_chars

    if where == "site":
        base = "https://www.une-tres-longue-adresse-de-site-internet-pour-la-campagne-sante.fr/"
        base += "d" * (max_link_chars(QR_CAMPAIGN_MM) - SITE_PATH_RESERVE - len(base) - 1) + "/"
        (tmp_path / "kit.toml").write_text(f'[site]\nbase_url = "{base}"\n', encoding="utf-8")
        project = kit.load_project(kit.Settings(config=tmp_path / "kit.toml"))
    else:
        url = "https://www.cnil.fr/fr/le-droit-dopposition"
        long = url + "?" + "-".join(["donnees-de-sante"] * 40)
        long = long[: max_link_chars(QR_QUESTION_MM)]
        edit_file(
            content_copy / "questions" / "without-consent.yaml",
            f"url: {url}\n        qr: true",
            f"url: {long}\n        qr: true",
        )
        project = kit.load_project(content=content_copy)
    out = tmp_path / "out"
    build_slides(project, out, langs="fr")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    longest = max((q["address"] for d in manifest["documents"] for q in d["qr"]), key=len)
    assert len(longest) >= (120 if where == "site" else 400)
    doc = next(d for d in manifest["documents"] if any(q["address"] == longest for q in d["qr"]))
    if doc["format"] == "1920x1080" and doc["channel"] == "slides":
        with Image.open(out / doc["path"]) as image:
            assert [c.text for c in decode(image.convert("L"))] == [doc["qr"][0]["url"]]


def _words(pdf, page: int) -> list[dict]:
    return [w for w in pdf.words(page) if w["text"].strip()]


def test_the_story_slide_is_the_storys_card_and_its_qr_code(slides, open_pdf):
    """Issue 28: the story slide carried 70 words; it says the story's figure, what it counts and one sentence,
    large, and the story with its sources is behind its QR code."""
    from kit.check.budgets import STORY_CARD_BUDGETS
    from kit.readability import words

    out, project, manifest = slides
    for doc in (d for d in manifest["documents"] if d["format"] == "16:9"):
        pdf = open_pdf(out / doc["path"])
        story = project.kb.stories[0]
        text = story.translations[doc["lang"]]
        page = 1 + len(project.kb.summary_ids) + 1
        said = pdf.flat_text(page - 1).replace("\u00a0", " ").replace("\u202f", " ")
        assert text.card.figure.replace("\u00a0", " ") in said and text.card.sentence.split()[-1] in said
        assert text.story.split(",")[0] not in said  # the long story is behind the QR code
        # the card's words, large: every word at 48 px (36 pt) or more but the title's label, the source, the QR
        # panel and the band (projected in a room: 36 px and more)
        body = [w for w in _words(pdf, page - 1) if 120 < w["top"] * 4 / 3 and w["x1"] * 4 / 3 < 1920 - 660]
        large = [w for w in body if w["size"] * 4 / 3 >= 48]
        assert len(words(" ".join(w["text"] for w in large))) <= (
            1 + STORY_CARD_BUDGETS["unit"].max + STORY_CARD_BUDGETS["sentence"].max + 14  # and the title
        )
        assert min(w["size"] for w in _words(pdf, page - 1)) * 4 / 3 >= 36
        assert max(w["size"] for w in body) * 4 / 3 >= 150  # the figure
        (qr,) = [q for q in doc["qr"] if q["page"] == page]
        assert pdf.qr_codes(page - 1) == [qr["url"]]


def test_the_title_slide_names_the_organisation_and_fills_the_slide(slides, open_pdf):
    out, project, manifest = slides
    org = project.options.branding.in_lang("fr").name
    assert org
    for doc in (d for d in manifest["documents"] if d["format"] == "16:9"):
        pdf = open_pdf(out / doc["path"])
        assert org in pdf.flat_text(0)
        lowest = max(w["bottom"] for w in _words(pdf, 0)) * 4 / 3
        assert lowest >= 0.85 * 1080  # the organisation signs at the foot: no half-empty slide


def test_the_title_slide_of_an_events_deck_names_its_place_date_and_time(site_project, tmp_path, open_pdf):
    """Built for one event (as the Café IA pack makes it): its date, time, venue and town on the title slide, set
    large; the longest place the spreadsheet accepts still fits (smaller, never cut)."""
    from kit.build import Builder
    from kit.events import FIELD_LIMITS, Event
    from kit.plan import planned
    from kit.specs import DocSpec
    from tests.test_context_events import make_event

    _, project = site_project
    builder = Builder(project)

    # the Café IA row of tests/test_context_events.py, with a plain name and no contact
    def event(**changes) -> Event:
        return make_event(**{"venue_name": "Médiathèque Garibaldi", "contact": None, **changes})

    longest = event(
        venue_name="Maison " + "M" * (FIELD_LIMITS["venue_name"] - 7),
        address=("Bâtiment Wagram, " * 10)[: FIELD_LIMITS["address"]],
        city="Saint-" + "W" * (FIELD_LIMITS["city"] - 6),
    )
    for each, expect in ((event(), "Médiathèque Garibaldi"), (longest, "Maison MMMM")):
        doc = planned(
            project, DocSpec("slides", "fr", "16:9", tuple(project.kb.summary_ids), "standard", event=each)
        )
        data, _ = builder.make(doc)
        path = tmp_path / f"{each.city}.pdf"
        path.write_bytes(data)
        pdf = open_pdf(path)
        said = pdf.flat_text(0).replace("\u00a0", " ").replace("\u202f", " ")
        for part in (expect, "26 mars 2026", "18 h 30", project.options.branding.in_lang("fr").name):
            assert part in said, (part, said)
        if each is not longest:
            sizes = [w["size"] * 4 / 3 for w in _words(pdf, 0) if w["text"] in ("26", "Garibaldi", "Lyon")]
            assert min(sizes) >= 56, sizes
