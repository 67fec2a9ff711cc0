"""The door-to-door pack (pocket cards, door hangers, mediator sheet, Easy-to-Read booklet) and the partial
languages: plan, cut lines measured on the PDF, review labels, Arabic and Chinese text, fonts, QR codes."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

import kit
from kit.addresses import SitePages
from kit.check import check_content
from kit.events import VenueTypes, read_events
from kit.pack import build_packs
from kit.plan import plan_event, plan_kit
from kit.resources import assets_dir

MM = 25.4 / 72
SITE = "https://sante.exemple.org/"
PARTIAL = ["ar", "tr", "pt", "zh", "ro", "es"]
HEADER = "type de lieu;nom du lieu;adresse;code postal;ville;date;contact;langues;exemplaires"
ROW = "VoisinMalin;Quartier {n};12 rue des Tilleuls;93120;La Courneuve;2026-04-14;01 23 45 67 89;{langs};40"
DOORSTEP = ("pocket-card", "door-hanger", "mediator-sheet")


def events_file(path, *langs_per_row):
    rows = [ROW.format(n=n, langs=",".join(langs)) for n, langs in enumerate(langs_per_row, start=1)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def site_project(tmp_path):
    toml = tmp_path / "kit.toml"
    toml.write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    return kit.load_project(kit.Settings(config=toml))


def squeeze(text: str) -> str:
    """Text without any white space (Chinese has none between words; PDF extraction adds some at line ends)."""
    return re.sub(r"\s+", "", text)


def arabic_letters(text: str) -> str:
    return "".join(re.findall(r"[\u0621-\u064A]+", re.sub(r"[\u064B-\u065F\u0670]", "", text)))


def arabic_words(text: str):
    """The Arabic words of a text (short vowel marks left out: a PDF may place them apart)."""
    from collections import Counter

    return Counter(re.findall(r"[\u0621-\u064A]+", re.sub(r"[\u064B-\u065F\u0670]", "", text)))


def times(counter, n):
    return type(counter)({word: count * n for word, count in counter.items()})


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """A door-to-door day in three languages (French, Arabic, Chinese), with the companion site's address."""
    folder = tmp_path_factory.mktemp("doorstep")
    project = site_project(folder)
    result = build_packs(
        project, events_file(folder / "events.csv", ("fr", "ar", "zh")), folder / "out", jobs=1
    )
    assert [e.status for e in result.events] == ["built"], [e.errors for e in result.events]
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    return folder / "out", result.events[0], manifest, project


# --- the venue and its plan --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "porte-a-porte",
        "Porte à porte",
        "VoisinMalin",
        "Voisin Malin",
        "médiation de proximité",
        "door-to-door",
        "Door to door",
    ],
)
def test_spreadsheet_names_of_the_doorstep_venue(written):
    assert VenueTypes(kit.load_content().venues).find(written).id == "porte-a-porte"


def test_doorstep_pack_plan_in_three_languages(tmp_path):
    project = kit.load_project()
    sheet = read_events(events_file(tmp_path / "e.csv", ("fr", "ar", "zh")), venues=project.kb.venues)
    (event,) = sheet.events
    assert event.venue_type == "porte-a-porte" and event.languages == ("fr", "ar", "zh")
    docs = plan_event(project, event)
    made = [(d.spec.lang, d.layout.name, d.layout.level) for d in docs]
    for lang in ("fr", "ar", "zh"):
        for name in DOORSTEP:
            assert (lang, name, "standard") in made
        assert (lang, "booklet", "falc") in made  # each language's own Easy-to-Read booklet
    # The letter to say no, in French only (a complete language: it goes to a French organisation), standard and
    # Easy-to-Read, one PDF each with a page per route.
    assert ("fr", "letters", "standard") in made and ("fr", "letters", "falc") in made
    assert made[-1] == ("fr", "print-sheet", "standard")
    assert len(made) == 3 * 4 + 2 + 1
    rows = {(row.file): row for row in docs[-1].spec.rows}
    assert rows["fr/pocket-card-A4.pdf"].copies == 10  # 40 households, 4 cards a sheet
    # The other languages get a tenth of the households each (issue 26 point 7): 4 households, 3 hangers a sheet.
    assert rows["zh/door-hanger-A4.pdf"].copies == 2 and rows["zh/door-hanger-A4.pdf"].per_sheet == 3
    assert rows["ar/pocket-card-A4.pdf"].sides == "two_sides_long"
    assert rows["ar/mediator-sheet-A4.pdf"].copies == 1


def test_partial_language_gets_only_the_documents_it_has_texts_for(tmp_path):
    project = kit.load_project()
    cafe = tmp_path / "c.csv"
    cafe.write_text(
        "type de lieu;nom du lieu;date;heure_debut;heure_fin;langues\n"
        "Café IA;Médiathèque;2026-03-26;18:30;20:00;tr\n",
        encoding="utf-8",
    )
    (event,) = read_events(cafe, venues=project.kb.venues).events
    made = [(d.spec.lang, d.layout.name) for d in plan_event(project, event)]
    # The Café IA poster, invitation, guide and feedback need the complete texts: Turkish gets its booklet.
    assert made == [("tr", "booklet"), ("fr", "print-sheet")]
    kit_docs = {(d.layout.name, d.layout.level) for d in plan_kit(project, langs="zh")}
    assert kit_docs == {("booklet", "falc"), ("leaflet", "falc")}
    assert project.kb.languages == ["fr", "en"] and project.kb.partial_languages == PARTIAL


def test_pack_holds_every_language_of_the_row(pack):
    out, event, manifest, _ = pack
    files = {doc["path"] for doc in event.documents}
    for lang in ("fr", "ar", "zh"):
        for name in DOORSTEP:
            assert f"{event.id}/{lang}/{name}-A4.pdf" in files
        assert f"{event.id}/{lang}/falc-booklet-A4.pdf" in files
    assert all((out / path).is_file() for path in files)


# --- cut lines, measured ----------------------------------------------------------------------------------


def thin_rules(page):
    """The dashed cut lines (thin rules longer than 10 cm): (orientation, position in mm, start, end)."""
    found = []
    for r in page.rects:
        width, height = r["width"] * MM, r["height"] * MM
        if width < 0.5 and height > 100:
            found.append(("v", (r["x0"] + r["x1"]) / 2 * MM, r["top"] * MM, r["bottom"] * MM))
        elif height < 0.5 and width > 100:
            found.append(("h", (r["top"] + r["bottom"]) / 2 * MM, r["x0"] * MM, r["x1"] * MM))
    return found


def test_card_cut_lines_split_the_sheet_in_four_a6(pack):
    import pdfplumber

    out, event, _, _ = pack
    with pdfplumber.open(str(out / event.id / "ar" / "pocket-card-A4.pdf")) as pdf:
        assert len(pdf.pages) == 2
        front, back = pdf.pages
        assert (front.width * MM, front.height * MM) == pytest.approx((210, 297), abs=0.1)
        rules = thin_rules(front)
        vertical = [r for r in rules if r[0] == "v"]
        horizontal = [r for r in rules if r[0] == "h"]
        assert vertical and all(r[1] == pytest.approx(105, abs=0.5) for r in vertical)
        assert all(
            r[2] == pytest.approx(0, abs=0.1) and r[3] == pytest.approx(297, abs=0.1) for r in vertical
        )
        assert horizontal and all(r[1] == pytest.approx(148.5, abs=0.5) for r in horizontal)
        assert all(
            r[2] == pytest.approx(0, abs=0.1) and r[3] == pytest.approx(210, abs=0.1) for r in horizontal
        )
        assert thin_rules(back) == []  # the backs carry no line that a duplex shift would show
        # Every letter stays 7 mm inside its A6 card (room for the cut and for a duplex shift).
        for page in (front, back):
            for char in page.chars:
                if not char["text"].strip() or (page is front and 143.5 < char["top"] * MM < 148.5):
                    continue  # the cut note, in the margin just above the cut
                left, top = (
                    (105 if char["x0"] * MM >= 105 else 0),
                    (148.5 if char["top"] * MM >= 148.5 else 0),
                )
                assert left + 6.5 <= char["x0"] * MM and char["x1"] * MM <= left + 105 - 6.5, char["text"]
                assert top + 6.5 <= char["top"] * MM and char["bottom"] * MM <= top + 148.5 - 6.5, char[
                    "text"
                ]


def test_hanger_cut_lines_hole_and_slit(pack):
    import pdfplumber

    out, event, _, _ = pack
    with pdfplumber.open(str(out / event.id / "fr" / "door-hanger-A4.pdf")) as pdf:
        (page,) = pdf.pages
        assert (page.width * MM, page.height * MM) == pytest.approx((297, 210), abs=0.1)
        vertical = sorted(round(r[1]) for r in thin_rules(page) if r[0] == "v")
        assert set(vertical) == {99, 198}  # three 99 mm hangers side by side
        holes = sorted(
            (c for c in page.curves if c["width"] * MM > 20 and abs(c["width"] - c["height"]) * MM < 1),
            key=lambda c: c["x0"],
        )  # round, 34 mm across (the visit box's rounded frame is wider than high)
        assert len(holes) == 3
        for n, hole in enumerate(holes):
            assert (hole["width"] * MM, hole["height"] * MM) == pytest.approx(
                (34, 34), abs=0.3
            )  # 34 mm across
            assert (hole["x0"] + hole["x1"]) / 2 * MM == pytest.approx(49.5 + 99 * n, abs=0.3)  # centred
            assert hole["top"] * MM == pytest.approx(12, abs=0.3)
            assert hole.get("dash")  # drawn as a dashed cut line
        slits = sorted(page.lines, key=lambda line: line["x0"])
        assert len(slits) == 3
        for n, slit in enumerate(slits):
            assert slit["x0"] * MM == pytest.approx(99 * n, abs=0.3)  # from the hanger's edge...
            assert slit["x1"] * MM == pytest.approx(99 * n + 33.5, abs=0.3)  # ...to the hole's rim
        # The text keeps clear of the hole: nothing but the cutting note above 52 mm, in the hanger's top corner
        # away from the slit (right of the hole, in left-to-right French)... and nothing in the hole.
        for char in page.chars:
            if char["top"] * MM < 52 - 0.5:
                piece_x = char["x0"] * MM % 99
                assert piece_x >= 49.5 + 17 + 2, char["text"]


# --- review labels ------------------------------------------------------------------------------------------


def test_unreviewed_languages_say_so_in_their_own_language(pack, open_pdf):
    out, event, _, project = pack
    kb = project.kb
    assert kb.reviewed("fr") and not kb.reviewed("ar") and not kb.reviewed("zh")
    zh_note = kb.shared.labels["zh"].unreviewed
    assert squeeze(zh_note) in squeeze(open_pdf(out / event.id / "zh" / "pocket-card-A4.pdf").text(1))
    assert squeeze(zh_note) in squeeze(open_pdf(out / event.id / "zh" / "mediator-sheet-A4.pdf").text(0))
    booklet = open_pdf(out / event.id / "zh" / "falc-booklet-A4.pdf")
    assert squeeze(zh_note) in squeeze(booklet.text(booklet.pages - 1))
    ar_note = arabic_letters(kb.shared.labels["ar"].unreviewed)
    assert ar_note in arabic_letters(open_pdf(out / event.id / "ar" / "door-hanger-A4.pdf").text(0))
    for name in DOORSTEP:
        text = " ".join(
            open_pdf(out / event.id / "fr" / f"{name}-A4.pdf").text(p)
            for p in range(2 if name == "pocket-card" else 1)
        )
        assert "Traduction pas encore vérifiée" not in text


def test_kit_check_lists_unreviewed_languages(content_copy, edit_file, run_kit, tmp_path):
    report = check_content()
    assert report.ok(strict=True)  # the built-in content passes --strict with its default languages
    notes = {f.lang for f in report.notes if f.rule == "language-review"}
    assert notes == set(PARTIAL)
    asked = check_content(languages=["tr"])  # kit.toml [build] languages, or kit check --lang
    assert [f.lang for f in asked.warnings if f.rule == "language-review"] == ["tr"]
    assert not asked.ok(strict=True) and asked.ok()
    assert run_kit("check", "--strict").returncode == 0
    result = run_kit("check", "--strict", "--lang", "tr,fr")
    assert result.returncode == 3 and "1 warning(s)" in result.stdout
    listed = re.findall(r"^(?:NOTE|WARNING) language-review · whole kit · (\w+)$", result.stdout, re.M)
    assert sorted(listed) == sorted({*PARTIAL, "tr"}), (
        result.stdout
    )  # the other notes (recordings) are not about languages
    # Someone reviews Turkish: it is no longer listed.
    edit_file(content_copy / "kit.yaml", "  tr: {reviewed_by: []}", '  tr: {reviewed_by: ["Ayşe Demir"]}')
    assert "tr" not in {f.lang for f in check_content(content_copy).findings if f.rule == "language-review"}


# --- Arabic and Chinese on paper ----------------------------------------------------------------------------


def test_chinese_text_extracted_from_the_pdf_equals_the_content(pack, open_pdf):
    out, event, _, project = pack
    kb = project.kb
    door = kb.shared.doorstep["zh"]
    card = open_pdf(out / event.id / "zh" / "pocket-card-A4.pdf")
    front, back = squeeze(card.text(0)), squeeze(card.text(1))
    for line in (door.card_title, *door.questions.values(), door.answers_here):
        assert front.count(squeeze(line)) == 4, line  # four cards, each line whole
    for item in kb.shared.act["zh"].falc:
        assert back.count(squeeze(item.text)) == 4, item.text
    sheet = squeeze(open_pdf(out / event.id / "zh" / "mediator-sheet-A4.pdf").text(0))
    for question in kb.questions:
        assert squeeze(question.translations["zh"].short) in sheet, question.id
    assert squeeze(door.opening) in sheet
    assert card.lang == "zh"


def test_chinese_lines_break_between_characters(pack, open_pdf):
    """Chinese has no spaces: the short answers still wrap to the width (several lines, none wider than the page)."""
    out, event, _, _ = pack
    pdf = open_pdf(out / event.id / "zh" / "mediator-sheet-A4.pdf")
    lines = [line for line in pdf.lines(0) if len(re.findall(r"[\u4e00-\u9fff]", line["text"])) >= 30]
    assert len(lines) >= 12
    assert all(max(w["x1"] for w in line["words"]) * MM <= 210 - 12 + 0.5 for line in lines)
    # Closing punctuation never starts a line.
    assert not any(line["text"].lstrip()[:1] in "，。：；！？、）" for line in pdf.lines(0))


def read_right_to_left(path, page: int, columns: int = 1, rows: int = 1) -> str:
    """A page as an Arabic reader reads it, piece by piece (cards, hangers: ``columns`` x ``rows`` tiles): lines
    from the top, each line's glyphs from the right."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        sheet = pdf.pages[page]
        chars = [c for c in sheet.chars if c["text"].strip()]
        width, height = sheet.width / columns, sheet.height / rows
    tiles: dict[tuple[int, int], list[dict]] = {}
    for char in chars:
        tiles.setdefault((int(char["x0"] // width), int(char["top"] // height)), []).append(char)
    text = []
    for tile in tiles.values():
        lines: list[list[dict]] = []
        for char in sorted(tile, key=lambda c: c["bottom"]):
            if lines and abs(lines[-1][0]["bottom"] - char["bottom"]) < 2:
                lines[-1].append(char)
            else:
                lines.append([char])
        text += ["".join(c["text"] for c in sorted(line, key=lambda c: -c["x0"])) for line in lines]
    return "\n".join(text)


def skeleton(text: str) -> str:
    """Arabic text as a PDF reader can give it back: letters only (no spaces, punctuation or vowel marks, which
    readers place apart), without the letters of the lam ligatures (لا لأ لى...), which they give in either order."""
    letters = re.sub(
        r"[^\u0621-\u064A]", "", text
    )  # Latin words and digits, read the other way, are left out
    return re.sub(r"[لاأإآى]", "", letters)


def times_said(content: str, page: str) -> int:
    """How many times the page says the content: every other letter, in the content's order."""
    return skeleton(page).count(skeleton(content))


def test_arabic_text_extracted_from_the_pdf_equals_the_content(pack):
    out, event, _, project = pack
    kb = project.kb
    door = kb.shared.doorstep["ar"]
    card = out / event.id / "ar" / "pocket-card-A4.pdf"
    front, back = read_right_to_left(card, 0, 2, 2), read_right_to_left(card, 1, 2, 2)
    for line in (door.card_title, *door.questions.values(), door.answers_here):
        assert times_said(line, front) == 4, line
    for item in kb.shared.act["ar"].falc:
        assert times_said(item.text, back) == 4, item.text
    assert (
        times_said(
            door.hanger_message, read_right_to_left(out / event.id / "ar" / "door-hanger-A4.pdf", 0, 3)
        )
        == 3
    )
    sheet = read_right_to_left(out / event.id / "ar" / "mediator-sheet-A4.pdf", 0)
    for question in kb.questions:
        assert times_said(question.translations["ar"].short, sheet) == 1, question.id


def _body_size_and_pitch(path):
    """The size of a page's reading text (its most common glyph size) and the distance between its lines, in pt."""
    import statistics
    from collections import Counter

    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["text"].strip()]
        height = pdf.pages[0].height
    size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    # One baseline per line: the most common glyph foot among the letters at that size (Latin words and the marks
    # placed above or below Arabic letters sit a little apart), lines being more than half the size apart.
    feet = sorted(round(c["bottom"], 1) for c in chars if round(c["size"], 1) == size and c["text"].isalpha())
    lines: list[list[float]] = []
    for foot in feet:
        if lines and foot - lines[-1][-1] < size / 2:
            lines[-1].append(foot)
        else:
            lines.append([foot])
    baselines = [Counter(line).most_common(1)[0][0] for line in lines]
    steps = [b - a for a, b in zip(baselines, baselines[1:]) if size < b - a < 2.2 * size]
    lowest = max(c["bottom"] for c in chars)
    return size, statistics.median(steps), lowest / height


def test_mediator_sheet_in_arabic_is_set_for_reading(pack):
    """Issue 28: the Arabic mediator sheet was set at 8.5 pt with a leading of 1.27 while a fifth of the page was
    empty. Copyfit now sizes the sheet to its page (9 pt at least) and Arabic gets a leading of 1.5: its text
    runs down to the foot of the page; French, longer, still holds on its page at 9 pt or more."""
    out, event, _, _ = pack
    size, pitch, lowest = _body_size_and_pitch(out / event.id / "ar" / "mediator-sheet-A4.pdf")
    assert size >= 9.0 - 0.01, size
    assert pitch / size >= 1.45, (size, pitch)
    assert lowest >= 0.9, lowest  # the page used down to its foot (the last line at 241 of 297 mm before)
    size, pitch, lowest = _body_size_and_pitch(out / event.id / "fr" / "mediator-sheet-A4.pdf")
    assert size >= 8.5 and pitch / size >= 1.25 and lowest <= 1 - 12 / 297, (size, pitch, lowest)


def test_arabic_card_mirrors(pack):
    """Right to left: each pictogram sits to the right of its line, the phone number still reads left to right."""
    import pdfplumber

    out, event, _, _ = pack
    for lang, right_to_left in (("fr", False), ("ar", True)):
        with pdfplumber.open(str(out / event.id / lang / "pocket-card-A4.pdf")) as pdf:
            back = pdf.pages[1]
            words = back.extract_words()
            top_left = sorted(
                (w for w in words if w["x0"] * MM < 105 and w["top"] * MM < 148.5), key=lambda w: w["x0"]
            )
            phone_line = [w for w in top_left if any(d in w["text"] for d in ("01", "89"))]
            line = " ".join(w["text"] for w in top_left if abs(w["top"] - phone_line[0]["top"]) < 3)
            assert re.search(r"01\s*23\s*45\s*67\s*89", line), line  # the number reads left to right
            pictures = [
                i for i in (*back.images, *back.curves) if i["x0"] * MM < 105 and 15 < i["top"] * MM < 60
            ]
            text = [w for w in words if w["x0"] * MM < 105 and 15 < w["top"] * MM < 60]
            if right_to_left:
                assert min(p["x0"] for p in pictures) > max(w["x1"] for w in text) - 1
            else:
                assert max(p["x1"] for p in pictures) < min(w["x0"] for w in text) + 1


# --- fonts --------------------------------------------------------------------------------------------------


def test_fonts_are_embedded_and_subset(pack, open_pdf, tmp_path):
    out, event, _, _ = pack
    path = out / event.id / "zh" / "pocket-card-A4.pdf"
    fonts = open_pdf(path).fonts()
    cjk = [name for name, _ in fonts if "notosanscjk" in name.lower().replace("-", "")]
    assert cjk and all(embedded for _, embedded in fonts), fonts
    assert all(re.match(r"/[A-Z]{6}\+", name) for name in cjk)  # a subset (six-letter tag)
    shipped = (assets_dir() / "fonts" / "NotoSansCJKsc-Regular-kit.otf").stat().st_size
    assert 500_000 < shipped < 3_000_000
    assert path.stat().st_size < 400_000  # the PDF carries only the glyphs it prints
    # Turkish is set in Atkinson Hyperlegible Next, which has the capital İ.
    result = build_packs(
        kit.load_project(), events_file(tmp_path / "t.csv", ("tr",)), tmp_path / "tr", jobs=1
    )
    (event_tr,) = result.events
    sheet = open_pdf(tmp_path / "tr" / event_tr.id / "tr" / "mediator-sheet-A4.pdf")
    assert "İ" in sheet.text(0)
    names = [name for name, embedded in sheet.fonts() if embedded]
    assert any("atkinsonhyperlegiblenext" in name.lower().replace("-", "") for name in names), names


def _cmap(name):
    from fontTools.ttLib import TTFont

    return set(TTFont(str(assets_dir() / "fonts" / name)).getBestCmap())


def _texts(data, lang, inside=False):
    """Every string of a language's texts in a content file's data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, lang, inside or key == lang)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value, lang, inside)
    elif isinstance(data, str) and inside:
        yield data


@pytest.mark.parametrize(
    "lang, fonts",
    [
        ("zh", ["NotoSansCJKsc-Regular-kit.otf", "NotoSansCJKsc-Bold-kit.otf"]),
        ("tr", ["AtkinsonHyperlegibleNext_400Regular.ttf", "AtkinsonHyperlegibleNext_700Bold.ttf"]),
        ("ar", ["NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"]),
    ],
)
def test_every_character_of_the_content_is_in_a_shipped_font(lang, fonts):
    """If this fails for Chinese after a content change, run assets/fonts/subset_cjk.py (see its notes)."""
    import yaml

    from kit.resources import content_dir

    chars = set()
    for path in [*content_dir().glob("*.yaml"), *(content_dir() / "questions").glob("*.yaml")]:
        chars |= set("".join(_texts(yaml.safe_load(path.read_text(encoding="utf-8")), lang)))
    chars = {c for c in chars if not unicodedata.category(c).startswith(("Z", "C"))}
    latin = _cmap("AtkinsonHyperlegible_400Regular.ttf")
    for font in fonts:
        missing = sorted(c for c in chars if ord(c) not in _cmap(font) and ord(c) not in latin)
        assert not missing, f"{font} lacks {''.join(missing)!r}"


def test_romanian_uses_the_comma_below():
    import yaml

    from kit.resources import content_dir

    text = "".join(
        "".join(_texts(yaml.safe_load(p.read_text(encoding="utf-8")), "ro"))
        for p in [content_dir() / "shared.yaml", *(content_dir() / "questions").glob("*.yaml")]
    )
    assert "ș" in text and "ț" in text
    assert not set("şţŞŢ") & set(text)


# --- QR codes: each language's site page --------------------------------------------------------------------


def test_every_language_qr_codes_land_on_that_language_page(tmp_path, open_pdf):
    project = site_project(tmp_path)
    languages = ["fr", "en", *PARTIAL]
    rows = [languages[i : i + 3] for i in range(0, len(languages), 3)]
    result = build_packs(project, events_file(tmp_path / "e.csv", *rows), tmp_path / "out", jobs=1)
    assert [e.status for e in result.events] == ["built"] * len(rows), [e.errors for e in result.events]
    pages = SitePages(project.kb)
    seen = set()
    for event in result.events:
        for doc in event.documents:
            lang, level = doc["lang"], doc["level"]
            if doc["layout"] in ("print-sheet", "letters"):
                continue  # the letter to say no goes to an organisation by post: no QR code
            expected = SITE + pages.home(lang, level)
            assert {qr["address"] for qr in doc["qr"]} == {expected}, doc["path"]
            pdf = open_pdf(tmp_path / "out" / doc["path"])
            decoded = [code for page in range(pdf.pages) for code in pdf.qr_codes(page)]
            assert decoded and set(decoded) == {expected}, doc["path"]
            assert len(decoded) == len(doc["qr"])  # every code on the sheet scans (4 cards, 3 hangers)
            seen.add((lang, level))
    assert seen == {(lang, level) for lang in languages for level in ("standard", "falc")} - {("en", "falc")}


# --- kit check per language ---------------------------------------------------------------------------------


def test_chinese_falc_sentences_are_counted_in_characters(content_copy, edit_file):
    path = content_copy / "shared.yaml"
    edit_file(
        path,
        "text: 写信给您的医疗保险基金或医院。",
        "text: 请您写一封信给正在使用您的健康数据进行研究的那个机构。",
    )  # 26
    edit_file(
        path, "text: 基金或医院要在1个月内答复您。", "text: 这个机构一定要在1个月之内给您一个书面的答复。"
    )  # 22
    findings = [
        f for f in check_content(content_copy).findings if f.rule == "falc-sentence-length" and f.lang == "zh"
    ]
    assert sorted((f.severity, f.message.split(" in ")[0]) for f in findings) == [
        ("error", "26 characters"),
        ("warning", "22 characters"),
    ]
    assert all("20 characters or fewer" in f.message for f in findings)


def test_negative_forms_per_language(content_copy, edit_file):
    edit_file(
        content_copy / "shared.yaml",
        "text: Escriba a su caja del seguro de enfermedad o al hospital.",
        "text: No olvide escribir al organismo.",
    )
    edit_file(
        content_copy / "shared.yaml", "text: 写信给您的医疗保险基金或医院。", "text: 不要忘记写信给机构。"
    )
    found = {(f.lang, f.rule) for f in check_content(content_copy).findings if f.severity != "note"}
    assert {("es", "falc-negative"), ("zh", "falc-negative")} <= found
    # "decir que no" (to say no) is the right explained, not a negative sentence.
    assert not [f for f in check_content().findings if f.rule == "falc-negative"]


def test_a_partial_language_needs_its_partial_texts(content_copy, edit_file):
    from kit.errors import ContentError

    text = (content_copy / "questions" / "wrong-hands.yaml").read_text(encoding="utf-8")
    start = text.index("  pt:")
    short = text.index("    short:", start)
    end = text.index("    falc:", short)
    (content_copy / "questions" / "wrong-hands.yaml").write_text(text[:short] + text[end:], encoding="utf-8")
    with pytest.raises(ContentError) as info:
        kit.load_content(content_copy)
    assert [p.field for p in info.value.problems] == ["translations.pt.short"]
    # A complete language still needs everything: listing Portuguese as complete asks for its detail texts.
    edit_file(content_copy / "kit.yaml", "languages: [fr, en]", "languages: [fr, en, pt]")
    with pytest.raises(ContentError) as info:
        kit.load_content(content_copy)
    fields = {p.field for p in info.value.problems}
    assert "translations.pt.detail" in fields and "events.pt" in fields


# --- the companion site: a page for every language's QR codes, the same review status -------------------


def test_site_has_the_pages_the_partial_languages_codes_lead_to(pack, tmp_path):
    from kit.site import build_site

    _, event, _, project = pack
    out = tmp_path / "site"
    build_site(project, out, library=False)  # every language by default, the partial ones included
    for doc in event.documents:
        for qr in doc["qr"]:
            page = out / qr["address"].removeprefix(SITE) / "index.html"
            assert page.is_file(), qr["address"]
    kb = project.kb
    pages = SitePages(kb)
    for lang in PARTIAL:
        for path in (
            pages.home(lang),
            pages.home(lang, "falc"),
            pages.about(lang),
            *(pages.question(qid, lang) for qid in kb.question_ids),
        ):
            assert (out / path / "index.html").is_file(), path
        # A partial language has no full answers: its question pages are the Easy-to-Read ones.
        assert pages.question("wrong-hands", lang) == pages.question("wrong-hands", lang, "falc")
        home = (out / pages.home(lang) / "index.html").read_text(encoding="utf-8")
        assert kb.shared.labels[lang].unreviewed in home  # the same review status as the printed documents
        about = (out / pages.about(lang) / "index.html").read_text(encoding="utf-8")
        assert about.count(kb.shared.labels[lang].unreviewed) == 2  # in the facts and at the foot
    french = (out / "fr" / "index.html").read_text(encoding="utf-8")
    assert kb.shared.labels["fr"].unreviewed not in french
    about_fr = (out / pages.about("fr") / "index.html").read_text(encoding="utf-8")
    assert "kit project team (reference texts)" in about_fr
    from kit.context.site import data_file

    data = json.loads((out / data_file("zh")).read_text(encoding="utf-8"))
    assert data["partial"] is True and data["translation_reviewed_by"] == []
    assert all(q["detail"] is None and q["easy_page"]["path"] == q["page"]["path"] for q in data["questions"])


def test_easy_to_read_documents_in_every_partial_language(tmp_path, open_pdf):
    """`kit build --lang ...`: a partial language gets the Easy-to-Read booklet and leaflet, and every text fits."""
    result = kit.build_kit(kit.load_project(), tmp_path / "out", langs=",".join(PARTIAL))
    made = sorted((d.spec.lang, d.spec.layout, d.spec.level) for d in result.documents)
    assert made == sorted((lang, name, "falc") for lang in PARTIAL for name in ("booklet", "leaflet"))
    assert any("nobody has checked these translations" in note for note in result.notes)
    booklet = open_pdf(tmp_path / "out" / "zh" / "falc-booklet-A4.pdf")
    assert booklet.lang == "zh" and booklet.pages == len(kit.load_content().questions) + 2


def test_cards_and_hangers_are_handouts(pack, open_pdf):
    """Pocket cards and door hangers are handed out: nothing printed under 8 pt, QR codes of 30 mm at least."""
    out, event, _, _ = pack
    for lang in ("fr", "ar", "zh"):
        for name in ("pocket-card", "door-hanger"):
            pdf = open_pdf(out / event.id / lang / f"{name}-A4.pdf")
            smallest = min(min(pdf.glyph_sizes(page)) for page in range(pdf.pages))
            assert smallest >= 8 - 0.01, (lang, name, smallest)
            sides = [side for page in range(pdf.pages) for _, side in pdf.qr_symbols_mm(page)]
            assert sides and min(sides) >= 30 - 0.5, (lang, name, sides)


# --- Households split by language, and a print sheet of as many pages as it needs (issue 26 point 7) ----------


def _door_plan(project, tmp_path, langues: str, copies: str = ""):
    path = tmp_path / "split.csv"
    path.write_text(
        f"{HEADER}\n" + ROW.replace("{langs};40", f"{langues};{copies}").format(n=1) + "\n", "utf-8"
    )
    sheet = read_events(path, venues=project.kb.venues, languages=project.kb.all_languages)
    return sheet, {
        row.file: row for row in plan_event(project, sheet.events[0]).pop().spec.rows
    } if sheet.events else {}


def test_households_split_by_language(tmp_path):
    """120 households in fr, ar and zh made 120 cards and hangers in each language (360 of each): now the row says
    how they split (fr:80,ar:30,zh:10, or percentages), and without it the first language gets them all and each
    other one a tenth."""
    project = kit.load_project(check=False)
    _, rows = _door_plan(project, tmp_path, "fr,ar,zh", "120")
    cards = {lang: rows[f"{lang}/pocket-card-A4.pdf"].copies for lang in ("fr", "ar", "zh")}
    hangers = {lang: rows[f"{lang}/door-hanger-A4.pdf"].copies for lang in ("fr", "ar", "zh")}
    assert cards == {"fr": 30, "ar": 3, "zh": 3} and hangers == {"fr": 40, "ar": 4, "zh": 4}
    sheet, rows = _door_plan(project, tmp_path, "fr:80,ar:30,zh:10")
    assert sheet.events[0].split == {"fr": 80, "ar": 30, "zh": 10} and sheet.events[0].copies == 120
    assert [rows[f"{lang}/pocket-card-A4.pdf"].copies for lang in ("fr", "ar", "zh")] == [20, 8, 3]
    assert [rows[f"{lang}/door-hanger-A4.pdf"].copies for lang in ("fr", "ar", "zh")] == [27, 10, 4]
    sheet, rows = _door_plan(project, tmp_path, "fr:75%,ar:25%", "120")
    assert sheet.events[0].split == {"fr": 90, "ar": 30}
    assert [rows[f"{lang}/pocket-card-A4.pdf"].copies for lang in ("fr", "ar")] == [23, 8]
    for langues, copies, code, column, words in [
        ("fr:80,ar", "", "invalid-split", "langues", "ar has no share."),
        ("fr:70%,ar:20%", "100", "invalid-split", "langues", "the shares add up to 90 %, not 100 %."),
        ("fr:70%,ar:30%", "", "invalid-split", "langues", "no copies are given."),
        ("fr:70%,ar:30", "100", "invalid-split", "langues", "some shares are percentages and others numbers"),
        (
            "fr:80,ar:30",
            "100",
            "split-mismatch",
            "exemplaires",
            "100 copies, but the languages column shares out 110",
        ),
        ("fr:0,ar:30", "", "invalid-split", "langues", "each share is a whole number from 1"),
    ]:
        sheet, _ = _door_plan(project, tmp_path, langues, copies)
        [problem] = sheet.problems
        assert (problem.code, problem.column) == (code, column) and words in problem.message, problem


def test_the_print_sheet_says_what_a_number_means_and_takes_the_pages_it_needs(tmp_path, open_pdf):
    """The sheet says "30 sheets of 4, 120 in all" and how the people share out by language; a row in four
    languages (tr,pt,ro,es) failed: its print sheet did not fit one page. Laid out in a batch (kit pack) or
    alone, the same bytes."""
    from kit.build import Builder
    from kit.pack import build_packs

    project = kit.load_project(check=False)
    events = tmp_path / "events.csv"
    events.write_text(
        f"{HEADER}\n"
        + "\n".join(
            ROW.replace("Quartier {n}", name).replace("{langs};40", langs)
            for name, langs in [("Quartier A", "fr,ar,zh;120"), ("Quartier B", "tr,pt,ro,es;60")]
        )
        + "\n",
        encoding="utf-8",
    )
    result = build_packs(project, events, tmp_path / "packs", jobs=1)
    assert [e.status for e in result.events] == ["built", "built"], [e.errors for e in result.events]
    first, four = (next(d for d in e.documents if d["layout"] == "print-sheet") for e in result.events)
    sheet = open_pdf(tmp_path / "packs" / first["path"])
    text = sheet.flat_text(0)
    assert sheet.pages == 1 and "30 feuilles de 4, soit 120 en tout" in text
    assert "40 feuilles de 3, soit 120 en tout" in text and "3 feuilles de 4, soit 12 en tout" in text
    assert "Personnes par langue : fr 120 · ar 12 · zh 12" in text
    wide = open_pdf(tmp_path / "packs" / four["path"])
    # It takes the pages its rows need (the manifest says how many); on a second page, the table's head again.
    assert wide.pages == four["pages"] and "es/falc-booklet-A4.pdf" in wide.flat_text(wide.pages - 1)
    assert all("Document" in wide.flat_text(page) for page in range(wide.pages))
    # The batch (both sheets laid out in one WeasyPrint document, split where each starts) is what one makes alone.
    alone = tmp_path / "alone.pdf"
    planned = plan_event(project, read_events(events, venues=project.kb.venues).events[1])[-1]
    Builder(project).build(planned, alone)
    assert alone.read_bytes() == (tmp_path / "packs" / four["path"]).read_bytes()


def _piece_of(char) -> int:
    return int(((char["x0"] + char["x1"]) / 2 * MM) // 99)


@pytest.mark.parametrize("lang", ["fr", "ar", "zh"])
def test_every_hanger_text_stays_inside_its_own_piece(pack, lang):
    """Issue 28: the cutting instruction ran across the cut into the next hanger. Every character of the sheet
    lies inside one hanger, 6.5 mm (the 7 mm of the layout, less rounding) inside its cuts and the sheet's edges;
    each hanger carries the same text (the cutting note too), in every language."""
    import pdfplumber

    out, event, _, _ = pack
    with pdfplumber.open(str(out / event.id / lang / "door-hanger-A4.pdf")) as pdf:
        (page,) = pdf.pages
        per_piece: dict[int, list[str]] = {0: [], 1: [], 2: []}
        for char in page.chars:
            if not char["text"].strip():
                continue
            n = _piece_of(char)
            left = 99 * n
            assert left + 6.5 <= char["x0"] * MM and char["x1"] * MM <= left + 99 - 6.5, char["text"]
            assert 6.5 <= char["top"] * MM and char["bottom"] * MM <= 210 - 6.5, char["text"]
            per_piece[n].append(char["text"])
        texts = [squeeze("".join(sorted(chars))) for chars in per_piece.values()]
        assert texts[0] and texts[0] == texts[1] == texts[2]


def test_hanger_visit_box_has_the_date_and_a_line_for_the_mediators_name(pack, open_pdf):
    """Issue 28: the empty third of the hanger holds a box with the visit's date (the spreadsheet row's) and a line
    where the mediator writes their first name by hand, at least 60 mm long, under its words."""
    import pdfplumber

    out, event, _, project = pack
    door = project.kb.shared.doorstep["fr"]
    path = out / event.id / "fr" / "door-hanger-A4.pdf"
    text = squeeze(open_pdf(path).text(0))
    assert text.count(squeeze("mardi 14 avril 2026")) == 3
    who = squeeze(door.hanger_who.replace("{name}", ""))
    assert text.count(who) == 3
    with pdfplumber.open(str(path)) as pdf:
        (page,) = pdf.pages
        words = page.extract_words()
        label = next(w for w in words if w["text"] == "médiatrice")
        # WeasyPrint paints a bottom border as the line box's outline, clipped: the rule is the rectangle's foot.
        lines = [
            r
            for r in page.rects
            if r["height"] * MM < 12 and 60 <= r["width"] * MM <= 85 and r["top"] >= label["bottom"] - 0.5
        ]
        under = min(lines, key=lambda r: r["top"])
        assert 6 <= (under["bottom"] - label["bottom"]) * MM <= 12  # room to write a name by hand
        assert under["x0"] * MM >= 7 - 0.3 and under["x1"] * MM <= 92 + 0.3  # inside the first hanger
        codes = [
            r for r in page.rects if r["x0"] * MM < 99 and r["width"] * MM > 30 and r["width"] == r["height"]
        ]
        assert codes and under["bottom"] < min(r["top"] for r in codes)  # above the QR code's square


@pytest.mark.parametrize("lang", ["fr", "ro"])
def test_hanger_holds_its_texts_at_the_top_of_their_budgets(content_copy, tmp_path, lang):
    """The hanger's title, message and visit box at the longest `kit check` lets through, with a phone number
    and an e-mail address: everything stays inside its hanger at 8 pt or more (no fit error, nothing lost)."""
    import pdfplumber
    import yaml

    from kit.check.shared import DOORSTEP_BUDGETS

    path = content_copy / "shared.yaml"
    shared = yaml.safe_load(path.read_text(encoding="utf-8"))
    door = shared["doorstep"][lang]
    words = re.findall(r"\w+", door["hanger_message"] + " " + door["sheet_intro"])
    long = lambda n: " ".join((words * 10)[:n]).capitalize()  # noqa: E731
    door["hanger_title"] = long(DOORSTEP_BUDGETS["hanger_title"].max)
    door["hanger_message"] = long(DOORSTEP_BUDGETS["hanger_message"].max) + "."
    door["hanger_date"] = long(DOORSTEP_BUDGETS["hanger_date"].max - 1) + " {date}"
    door["hanger_who"] = long(DOORSTEP_BUDGETS["hanger_who"].max - 1) + " {name}"
    path.write_text(yaml.safe_dump(shared, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert not [
        f for f in check_content(content_copy).errors if f.lang == lang and "doorstep" in str(f.question)
    ]
    (tmp_path / "kit.toml").write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    project = kit.load_project(kit.Settings(config=tmp_path / "kit.toml", content=content_copy, check=False))
    events = tmp_path / "e.csv"
    events.write_text(
        HEADER
        + "\n"
        + ROW.format(n=1, langs=lang).replace(
            "01 23 45 67 89", "01 23 45 67 89 / mediation.quartier@exemple.org"
        )
        + "\n",
        encoding="utf-8",
    )
    result = build_packs(project, events, tmp_path / "out", jobs=1)
    assert [e.status for e in result.events] == ["built"], [e.errors for e in result.events]
    with pdfplumber.open(str(tmp_path / "out" / result.events[0].id / lang / "door-hanger-A4.pdf")) as pdf:
        (page,) = pdf.pages
        text = squeeze(page.crop((0, 0, 99 / MM, page.height)).extract_text())  # the first hanger
        assert squeeze(door["hanger_message"]) in text
        for char in page.chars:
            if char["text"].strip():
                assert char["size"] >= 8 - 0.01, char["text"]
                n = _piece_of(char)
                assert 99 * n + 6.5 <= char["x0"] * MM and char["x1"] * MM <= 99 * (n + 1) - 6.5
                assert char["bottom"] * MM <= 210 - 6.5
