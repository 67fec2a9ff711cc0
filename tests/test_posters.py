"""Posters that work on a wall, measured on the PDFs as a passer-by meets them: type sized for the reading
distance, pages filled, QR codes sized from the distance and read by a simulated phone.

The measures are the workplace's (poster_measure.py, qr_phone.py), in A4 terms: A3 is A4 x 1.41, A2 is A4 x 2.
"""

from __future__ import annotations

import json

import pytest

import kit
from kit.layouts import QR_HANDOUT_MIN_MM
from kit.plan import planned
from kit.specs import DocSpec

POSTER_LAYOUTS = ("poster", "summary-poster", "event-poster")
# A Café IA event as most are, and one at the spreadsheet's limits (place name 60 characters, address 120,
# town 60, contact 80 with a hyphenated domain).
CAFE_HEADER = "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;contact;langues;falc;exemplaires"
CAFE_ROWS = [
    "cafe-court;Café IA;Médiathèque du quartier;20 rue Garibaldi;69007;Lyon;26/03/2026;18:30;20:00;"
    "contact@exemple-sante.fr;fr,en;non;30",
    "cafe-long;Café IA;"
    + "Maison des associations et de la vie citoyenne de Lyon Sept"[:60]
    + ";"
    + "123 boulevard des Belges, bâtiment B, deuxième étage, salle polyvalente Jean Moulin, entrée par la cour "
    "intérieure de l'îlot"[:120]
    + ";69006;"
    + "Saint-Rémy-de-Provence-sur-le-Rhône-et-des-Monts-du-Lyonnais"[:60]
    + ";2026-04-09;18:30;20:00;accueil.maison-associations@exemple-sante-publique-lyon-rhone.fr;fr,en;non;30",
]


@pytest.fixture(scope="session")
def wall_kit(tmp_path_factory):
    """The default kit in every poster format (A4, A3, A2), both languages, standard and Easy-to-Read."""
    out = tmp_path_factory.mktemp("wall") / "out"
    kit.build_kit(kit.load_project(), out, formats="A4,A3,A2")
    return out, json.loads((out / "manifest.json").read_text())


@pytest.fixture(scope="session")
def cafe_pack(tmp_path_factory):
    """Two Café IA events in a pack (laid out in batches, as kit pack does)."""
    folder = tmp_path_factory.mktemp("cafe")
    events = folder / "events.csv"
    events.write_text("\n".join([CAFE_HEADER, *CAFE_ROWS]) + "\n", encoding="utf-8")
    kit.build_packs(kit.load_project(), events, out_dir=folder / "out", jobs=1)
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    documents = {
        (event["id"], doc["lang"], doc["format"], doc["layout"]): doc
        for event in manifest["events"]
        for doc in event["documents"]
    }
    return folder / "out", documents


def _posters(manifest) -> list[dict]:
    return [d for d in manifest["documents"] if d["layout"] in POSTER_LAYOUTS]


def test_every_poster_kind_in_every_format_and_language(wall_kit):
    _, manifest = wall_kit
    kinds = {(d["layout"], d["level"], d["format"], d["lang"]) for d in _posters(manifest)}
    for lang in ("fr", "en"):
        for fmt in ("A4", "A3", "A2"):
            assert ("poster", "standard", fmt, lang) in kinds and (
                "summary-poster",
                "standard",
                fmt,
                lang,
            ) in kinds
        for fmt in ("A4", "A3"):
            assert ("poster", "falc", fmt, lang) in kinds


def _assert_reads_from_afar(pdf, fmt: str, what: str) -> None:
    sizes = pdf.type_sizes(0, fmt)
    assert sizes["headline"] >= 40 - 0.05, (what, sizes)  # a headline of 40 pt or more on A4
    assert sizes["fine"] <= 0.25, (what, sizes)  # sources and credits: a quarter at most
    assert sizes["big"] >= 0.90, (what, sizes)  # the rest at 16 pt or more on A4
    band = pdf.empty_band(0)
    assert band <= 0.12, (what, band)  # no hole in the page


def test_posters_read_from_their_distance(wall_kit, open_pdf):
    """Every question, summary and Easy-to-Read poster, both languages, A4, A3 and A2."""
    out, manifest = wall_kit
    posters = _posters(manifest)
    assert len(posters) == 2 * (3 * 4 + 3 + 2 * 4)
    for doc in posters:
        _assert_reads_from_afar(open_pdf(out / doc["path"]), doc["format"], doc["path"])


def test_cafe_event_poster_reads_from_its_distance(cafe_pack, open_pdf):
    out, documents = cafe_pack
    for lang in ("fr", "en"):
        for fmt in ("A4", "A3"):
            doc = documents[("cafe-court", lang, fmt, "event-poster")]
            _assert_reads_from_afar(open_pdf(out / doc["path"]), fmt, doc["path"])


def test_cafe_event_poster_at_the_spreadsheet_limits_is_full_and_whole(cafe_pack, open_pdf):
    """The longest place name, address, town and contact the spreadsheet takes: smaller type, nothing lost,
    no hole; the contact's e-mail address breaks only after its '@'."""
    out, documents = cafe_pack
    for lang in ("fr", "en"):
        for fmt in ("A4", "A3"):
            pdf = open_pdf(out / documents[("cafe-long", lang, fmt, "event-poster")]["path"])
            assert pdf.empty_band(0) <= 0.12
            text = pdf.flat_text(0)
            assert "Maison des associations et de la vie citoyenne de Lyon Sept" in text
            assert "entrée par la cour" in text
            lines = [line["text"] for line in pdf.lines(0)]
            assert any(line.endswith("accueil.maison-associations@") for line in lines), lines
            assert "exemple-sante-publique-lyon-rhone.fr" in lines


def test_qr_symbol_is_sized_from_the_reading_distance(wall_kit, open_pdf):
    """The symbol measured on the page is the declared one: a tenth of the reading distance where the page has
    room (A4 60 mm, A3 82 mm, A2 120 mm for posters); handouts never under 30 mm."""
    out, manifest = wall_kit
    project = kit.load_project()
    seen = set()
    for doc in manifest["documents"]:
        spec = DocSpec(doc["layout"], doc["lang"], doc["format"], tuple(doc["questions"]), doc["level"])
        layout = planned(project, spec).layout
        declared = layout.qr_mm(spec)
        distance = layout.distance_m(spec)
        assert distance is not None, doc["path"]  # every kit layout says how far it is read
        assert (
            declared
            >= min(
                distance * 100,
                layout.pdf.qr_mm[doc["format"]] if isinstance(layout.pdf.qr_mm, dict) else layout.pdf.qr_mm,
            )
            - 0.01
        )
        if layout.pdf.handout:
            assert declared >= QR_HANDOUT_MIN_MM
        qr = doc["qr"][0]
        ((text, side),) = open_pdf(out / doc["path"]).qr_symbols_mm(qr["page"] - 1)
        assert text == qr["url"] and side == pytest.approx(declared, abs=1.0), (doc["path"], side, declared)
        seen.add((doc["layout"], doc["format"], round(side)))
    assert {
        ("poster", "A4", 60),
        ("poster", "A3", 82),
        ("poster", "A2", 120),
        ("leaflet", "A4", 30),
        ("booklet", "A4", 40),
    } <= seen


# The farthest distances each kind of poster is read from (straight, and tilted 30 degrees from closer):
# the targets. The without-consent posters carry today's longest address (43 characters: QR version 4).
DISTANCES = {"A4": (1.5, 1.0), "A3": (2.0, 1.5), "A2": (3.0, 2.0)}


@pytest.mark.parametrize(
    "layout,level,question,fmt",
    [
        ("poster", "standard", "without-consent", "A4"),
        ("poster", "standard", "without-consent", "A3"),
        ("poster", "standard", "without-consent", "A2"),
        ("summary-poster", "standard", None, "A4"),
        ("summary-poster", "standard", None, "A2"),
        ("poster", "falc", "without-consent", "A4"),
        ("poster", "falc", "without-consent", "A3"),
    ],
)
def test_phone_reads_the_qr_code_from_the_distance(wall_kit, phone, layout, level, question, fmt):
    out, manifest = wall_kit
    (doc,) = [
        d
        for d in manifest["documents"]
        if d["layout"] == layout
        and d["level"] == level
        and d["format"] == fmt
        and d["lang"] == "fr"
        and (question is None or d["questions"] == [question])
    ]
    url = doc["qr"][0]["url"]
    straight, tilted = DISTANCES[fmt]
    assert url in phone.reads(out / doc["path"], 0, straight)
    assert url in phone.reads(out / doc["path"], 0, tilted, tilted=True)


def test_phone_reads_the_cafe_poster_from_the_distance(cafe_pack, phone):
    out, documents = cafe_pack
    for fmt in ("A4", "A3"):
        doc = documents[("cafe-court", "fr", fmt, "event-poster")]
        straight, tilted = DISTANCES[fmt]
        assert doc["qr"][0]["url"] in phone.reads(out / doc["path"], 0, straight)
        assert doc["qr"][0]["url"] in phone.reads(out / doc["path"], 0, tilted, tilted=True)


def test_the_phone_check_can_fail(wall_kit, phone):
    """The simulated phone is not a formality: at twice the distance it no longer reads an A4 poster."""
    out, manifest = wall_kit
    (doc,) = [
        d
        for d in manifest["documents"]
        if d["layout"] == "poster"
        and d["level"] == "standard"
        and d["format"] == "A4"
        and d["lang"] == "fr"
        and d["questions"] == ["without-consent"]
    ]
    assert doc["qr"][0]["url"] not in phone.reads(out / doc["path"], 0, 3.0)


def test_poster_measures_can_fail(tmp_path, open_pdf):
    """Today's measures catch a poster made as before: small type and a hole in the page."""
    from kit.render import Renderer
    from kit.templates import Layouts

    renderer = Renderer(Layouts())
    html = (
        '<html><body style="margin: 0; font-size: 14pt"><h1 style="font-size: 25pt">Une question ?</h1>'
        + "<p>Un texte assez long pour peser dans la mesure de la page.</p>" * 6
        + '<p style="margin-top: 90mm">Fin</p></body></html>'
    )
    path = tmp_path / "old.pdf"
    path.write_bytes(renderer.write_pdf(renderer.render(html, ["css/fonts.css"]), identifier="old"))
    pdf = open_pdf(path)
    assert pdf.pages == 1
    sizes = pdf.type_sizes(0, "A4")
    assert sizes["headline"] < 40 and sizes["big"] < 0.9
    assert pdf.empty_band(0) > 0.12


def test_summary_poster_title_printed_once(wall_kit, open_pdf):
    """The summary's title is the campaign's name: the PDF title is not 'X – X', and the page shows it once."""
    out, manifest = wall_kit
    kb = kit.load_content()
    for doc in (d for d in manifest["documents"] if d["layout"] == "summary-poster"):
        title = kb.shared.summary[doc["lang"]].title
        pdf = open_pdf(out / doc["path"])
        assert doc["title"] == pdf.title == title
        assert " ".join(pdf.flat_text(0).split()).count(title) == 1, doc["path"]
