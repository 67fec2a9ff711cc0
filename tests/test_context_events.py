"""Event-pack contexts and layouts: Café IA poster, invitation flyers, facilitator guide, advisor memo, feedback form, print sheet."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

import kit
from kit.build import Builder
from kit.context.events import page_number_css
from kit.errors import OptionError
from kit.events import FIELD_LIMITS, Event
from kit.locales import date_words, time_words
from kit.plan import planned
from kit.project import Branding
from kit.specs import DocSpec, PrintRow

MM_PER_PT = 25.4 / 72
FEEDBACK_URL = "https://forms.example.org/cafe-ia?form=12"


def make_event(**changes) -> Event:
    values = dict(
        row=2,
        id="lyon-cafe",
        venue_type="cafe-ia",
        venue_name="Médiathèque <b>Garibaldi</b>",
        address="18 rue Garibaldi",
        postcode="69007",
        city="Lyon",
        date=date(2026, 3, 26),
        start_time=time(18, 30),
        end_time=time(20, 0),
        contact="04 78 00 00 00",
        languages=("fr",),
        falc=True,
        copies=30,
    )
    values.update(changes)
    return Event(**values)


@pytest.fixture(scope="module")
def project():
    return kit.load_project(check=False)


@pytest.fixture(scope="module")
def kb(project):
    return project.kb


@pytest.fixture(scope="module")
def builder(project):
    return Builder(project)


def builder_with(project, **options) -> Builder:
    """A builder whose project has other render options (tracking, feedback form, branding)."""
    return Builder(project.with_options(**options))


def build(
    builder,
    kb,
    tmp_path,
    layout,
    lang="fr",
    fmt="A4",
    event=None,
    questions=None,
    name="",
    rows=(),
    placement=None,
):
    spec = DocSpec(
        layout,
        lang,
        fmt,
        tuple(questions or kb.summary_ids),
        event=event or make_event(),
        rows=rows,
        placement=placement,
    )
    target = tmp_path / f"{layout}-{lang}-{fmt}{name}.pdf"
    return builder.build(planned(builder.project, spec), target), target


def sheet_rows(rows: list[dict]) -> tuple[PrintRow, ...]:
    return tuple(
        PrintRow(row["title"], row["paper"], row["copies"], row["sides"], row.get("file")) for row in rows
    )


def flat(text: str) -> str:
    """Text as a reader sees it: no-break spaces as spaces, line breaks joined."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def shown(url: str) -> str:
    """An address as documents print it (no https://)."""
    return url.split("://", 1)[-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- words ---------------------------------------------------------------------------------------


def test_dates_and_times_in_words(kb):
    fr, en, de = kb.locale("fr"), kb.locale("en"), kb.locale("de")  # de: no record, the plain one
    assert date_words(date(2026, 3, 26), fr) == "jeudi 26 mars 2026"
    assert date_words(date(2026, 10, 1), fr) == "jeudi 1er octobre 2026"
    assert date_words(date(2026, 3, 26), en) == "Thursday 26 March 2026"
    assert date_words(date(2026, 3, 26), de) == "2026-03-26"
    assert flat(time_words(time(18, 30), time(20, 0), fr)) == "18 h 30 – 20 h"
    assert flat(time_words(time(9, 0), time(12, 15), en)) == "9:00 am – 12:15 pm"
    assert time_words(time(18, 30), time(20, 0), de) == "18:30–20:00"
    assert time_words(None, None, fr) is None


def test_page_label_css_cannot_break_out():
    css = str(page_number_css('p. {n} / {total} "</style>'))
    assert "counter(page)" in css and "counter(pages)" in css
    assert "</style>" not in css and '"</' not in css


# --- event poster ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, size", [("A4", (210, 297)), ("A3", (297, 420))])
def test_event_poster(builder, kb, tmp_path, open_pdf, fmt, size):
    built, path = build(builder, kb, tmp_path, "event-poster", fmt=fmt)
    pdf = open_pdf(path)
    assert pdf.pages == 1
    assert pdf.box_mm(0) == pytest.approx(size, abs=0.5)
    text = flat(pdf.text(0))
    events = kb.shared.events["fr"]
    assert "Médiathèque <b>Garibaldi</b>" in text
    assert "jeudi 26 mars 2026" in text and "18 h 30 – 20 h" in text
    assert "18 rue Garibaldi" in text and "69007 Lyon" in text and "04 78 00 00 00" in text
    assert flat(events.free_entry).replace(" ", "")[:20] in text.replace(" ", "")
    assert "Garibaldi" in pdf.title and "2026" in pdf.title
    codes = pdf.qr_codes(0)
    assert codes == [entry["url"] for entry in built.qr] == [kb.shared.summary["fr"].qr_link.url]
    assert squeeze(shown(codes[0])) in squeeze(pdf.text(0))


def longest_event() -> Event:
    """Every free-text field as long as the spreadsheet allows."""
    event = make_event(
        venue_name=("Maison des associations et de la citoyenneté Saint-Jean " * 2)[
            : FIELD_LIMITS["venue_name"]
        ],
        address=("Centre commercial des Quatre Chemins, 12 avenue du Général de Gaulle, bâtiment B " * 2)[
            : FIELD_LIMITS["address"]
        ],
        city=("Aubervilliers-sur-Seine-et-Marne " * 2)[: FIELD_LIMITS["city"]].strip(),
        contact=("accueil.mediatheque@aubervilliers-example.fr · 01 23 45 67 89 " * 2)[
            : FIELD_LIMITS["contact"]
        ],
        date=date(2026, 10, 1),
        start_time=time(9, 0),
        end_time=time(12, 15),
    )
    assert all(len(getattr(event, name)) >= limit - 1 for name, limit in FIELD_LIMITS.items())
    return event


@pytest.mark.parametrize("layout", ["event-poster", "invitation", "print-sheet"])
def test_longest_fields_fit_in_english(builder, kb, tmp_path, open_pdf, layout):
    built, path = build(builder, kb, tmp_path, layout, lang="en", event=longest_event())
    text = flat(open_pdf(path).text(0))
    assert "Thursday 1 October 2026" in text
    if layout != "print-sheet":
        assert "9:00 am – 12:15 pm" in text


@pytest.mark.parametrize("layout", ["event-poster", "invitation"])
def test_a_placement_code_goes_in_the_qr_code_only(builder, kb, tmp_path, open_pdf, layout):
    """Tracking: the QR code carries `?p=<code>`; the address printed beside it stays the clean one."""
    built, path = build(builder, kb, tmp_path, layout, placement="k3F9ab")
    clean = kb.shared.summary["fr"].qr_link.url
    pdf = open_pdf(path)
    assert set(pdf.qr_codes(0)) == {clean + "?p=k3F9ab"}
    assert {(e["url"], e["address"]) for e in built.qr} == {(clean + "?p=k3F9ab", clean)}
    text = squeeze(pdf.text(0))
    assert squeeze(clean.removeprefix("https://")) in text and "?p=" not in text and "k3F9ab" not in text
    assert "utm_" not in text


def test_event_documents_need_an_event(builder, kb, tmp_path):
    spec = DocSpec("event-poster", "fr", "A4", tuple(kb.summary_ids))
    with pytest.raises(OptionError, match="one event"):
        builder.build(planned(builder.project, spec), tmp_path / "x.pdf")


# --- invitation ----------------------------------------------------------------------------------


def test_invitation_four_a6_flyers(builder, kb, tmp_path, open_pdf):
    built, path = build(builder, kb, tmp_path, "invitation")
    pdf = open_pdf(path)
    assert pdf.pages == 1 and pdf.box_mm(0) == pytest.approx((210, 297), abs=0.5)
    codes = pdf.qr_codes(0)
    assert len(codes) == 4 and set(codes) == {e["url"] for e in built.qr} and len(built.qr) == 4
    events = kb.shared.events["fr"]
    note = set(events.cut_marks.split())
    words = pdf.words(0)
    cells: dict[tuple[int, int], list[str]] = {}
    cut_x, cut_y = 105, 148.5
    for word in words:
        x0, x1 = word["x0"] * MM_PER_PT, word["x1"] * MM_PER_PT
        y0, y1 = word["top"] * MM_PER_PT, word["bottom"] * MM_PER_PT
        column, row = int(x0 >= cut_x), int(y0 >= cut_y)
        if word["text"] in note and row == 0 and y1 > cut_y - 6:
            continue  # the cut note, printed once beside the horizontal cut
        left, right = (0, cut_x) if column == 0 else (cut_x, 210)
        top, bottom = (0, cut_y) if row == 0 else (cut_y, 297)
        assert x0 >= left + 5 and x1 <= right - 5, word
        assert y0 >= top + 5 and y1 <= bottom - 5, word
        cells.setdefault((column, row), []).append(word["text"])
    assert sorted(cells) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    first = " ".join(cells[(0, 0)])
    assert all(" ".join(cell) == first for cell in cells.values())  # four identical flyers
    assert "<b>Garibaldi</b>" in first and "jeudi 26 mars 2026" in flat(first)
    for cell in cells.values():
        assert squeeze(shown(codes[0])) in "".join(cell)
    text = flat(pdf.text(0))
    assert text.count(events.cut_marks) == 1


# --- guide ---------------------------------------------------------------------------------------


def test_guide_flows_over_numbered_pages(builder, kb, tmp_path, open_pdf):
    built, path = build(builder, kb, tmp_path, "guide", questions=kb.question_ids)
    pdf = open_pdf(path)
    n = pdf.pages
    assert n >= 3 and built.qr == []
    texts = [flat(pdf.text(i)) for i in range(n)]
    for i, text in enumerate(texts, start=1):
        assert f"page {i} sur {n}" in text
    whole = squeeze(" ".join(texts))
    events = kb.shared.events["fr"]
    for step in events.plan:
        assert squeeze(step.title) in whole
    for question in kb.questions:
        words = question.translations["fr"]
        for para in re.split(r"\n\s*\n", words.detail.strip()):
            assert squeeze(" ".join(para.split()[:6])) in whole
        for link in words.links:
            assert shown(link.url) in whole
        for item in words.misconceptions:
            assert squeeze(" ".join(item.myth.split()[:5])) in whole


# --- memo ----------------------------------------------------------------------------------------


def test_memo_one_page_with_every_advisor_answer(builder, kb, tmp_path, open_pdf):
    built, path = build(builder, kb, tmp_path, "memo", lang="en", questions=kb.question_ids)
    pdf = open_pdf(path)
    assert pdf.pages == 1 and pdf.box_mm(0) == pytest.approx((210, 297), abs=0.5)
    text = squeeze(pdf.text(0))
    for question in kb.questions:
        assert squeeze(question.translations["en"].advisor) in text
    for link in kb.shared.rights["en"].links:
        assert shown(link.url) in text
    assert squeeze(kb.shared.events["en"].memo_object) in text


# --- feedback ------------------------------------------------------------------------------------


def test_feedback_without_and_with_online_form(builder, project, kb, tmp_path, open_pdf):
    built, path = build(builder, kb, tmp_path, "feedback")
    pdf = open_pdf(path)
    events = kb.shared.events["fr"]
    text = flat(pdf.text(0))
    assert pdf.pages == 1 and built.qr == [] and pdf.qr_codes(0) == []
    assert events.feedback_online.split()[0] not in text
    asked = kb.part("feedback").fields[1].label["fr"]  # "did you understand this answer?", from feedback.yaml
    assert text.count(flat(asked)) == len(kb.summary_ids)

    online = builder_with(project, feedback_url=FEEDBACK_URL)
    built, path = build(online, kb, tmp_path, "feedback", name="-online")
    pdf = open_pdf(path)
    assert pdf.qr_codes(0) == [FEEDBACK_URL]
    assert built.qr == [{"page": 1, "url": FEEDBACK_URL, "address": FEEDBACK_URL}]
    assert squeeze(shown(FEEDBACK_URL)) in squeeze(pdf.text(0))


# --- print sheet ---------------------------------------------------------------------------------


def test_print_sheet_lists_the_rows(builder, kb, tmp_path, open_pdf):
    rows = [
        {"title": "Affiche Café IA (A3)", "paper": "A3", "copies": 2, "sides": "one_side"},
        {"title": "Invitations <i>A6</i>", "paper": "A4 160 g", "copies": 8, "sides": "Recto seul, carton"},
        {"title": "Dépliant", "paper": "A4", "copies": 30, "sides": "two_sides_short"},
    ]
    built, path = build(builder, kb, tmp_path, "print-sheet", rows=sheet_rows(rows))
    pdf = open_pdf(path)
    assert pdf.pages == 1
    lines = [flat(line["text"]) for line in pdf.lines(0)]
    events = kb.shared.events["fr"]
    assert any(line.startswith("Affiche Café IA (A3) A3 2 " + events.one_side) for line in lines)
    assert any(line.startswith("Invitations <i>A6</i> A4 160 g 8 Recto seul, carton") for line in lines)
    assert any(line.startswith("Dépliant A4 30 " + events.two_sides_short) for line in lines)
    text = flat(pdf.text(0))
    assert "Médiathèque <b>Garibaldi</b>" in text and "jeudi 26 mars 2026" in text
    assert built.title.startswith(kb.shared.events["fr"].print_title.replace(" '", "'")[:10])
    assert "Garibaldi" in pdf.title and "26 mars 2026" in pdf.title


def test_print_sheet_holds_the_biggest_pack(project, kb, tmp_path, open_pdf):
    """France Services in two languages with FALC (15 documents), long titles, file names and branding."""
    campaign = kb.shared.labels["fr"].campaign
    titles = [f"{q.translations[lang].question} – {campaign}" for lang in ("fr", "en") for q in kb.questions]
    titles += [f"{kb.shared.events[lang].memo_title} – {campaign}" for lang in ("fr", "en")]
    titles += [f"{campaign} – {campaign}"] * 4 + [
        "Vos données de santé servent aussi à la recherche – Facile à lire"
    ]
    rows = [
        {
            "title": title,
            "paper": "A4",
            "copies": None,
            "sides": "two_sides_long",
            "file": f"lyon-cafe/fr/document-{n}-A4.pdf",
        }
        for n, title in enumerate(titles)
    ]
    assert len(rows) == 15
    branded = builder_with(
        project,
        branding=Branding(
            name="Mairie de Lyon",
            contact=("04 00 00 00 00", "contact@lyon.example"),
            footer="Avec le soutien de la Région",
        ),
    )
    built, path = build(branded, kb, tmp_path, "print-sheet", event=longest_event(), rows=sheet_rows(rows))
    text = flat(open_pdf(path).text(0))
    assert "lyon-cafe/fr/document-14-A4.pdf" in text and "Avec le soutien de la Région" in text
    assert text.count(" 30 ") >= 15  # copies None: the event's copies


# --- too much text is an error, never lost -------------------------------------------------------


def test_too_much_is_reported_not_lost(project, builder, kb, tmp_path):
    from kit.errors import FitError

    wordy = builder_with(project, branding=Branding(name="Mairie", footer="Un très long pied de page. " * 60))
    # the document and the cause, kit.toml's footer (issue 29 point 13)
    with pytest.raises(FitError, match=r"memo \(fr, A4\): kit.toml's \[organisation\] footer"):
        build(wordy, kb, tmp_path, "memo")
    # A print sheet takes the pages it needs (issue 26 point 7): 60 documents, every one listed.
    rows = [{"title": f"Document {n}", "paper": "A4", "copies": 1, "sides": "one_side"} for n in range(60)]
    built, path = build(builder, kb, tmp_path, "print-sheet", rows=sheet_rows(rows))
    from pypdf import PdfReader

    pages = PdfReader(str(path)).pages
    text = " ".join(page.extract_text() for page in pages)
    assert len(pages) >= 2 and all(f"Document {n} " in text for n in range(60))
