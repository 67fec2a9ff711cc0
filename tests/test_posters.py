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

A4_TERMS = {"A4": 1.0, "A3": 2**0.5, "A2": 2.0}

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
    room (question posters A4 66 mm, A3 94 mm, A2 140 mm); handouts never under 30 mm."""
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
        ("poster", "A4", 66),
        ("poster", "A3", 94),
        ("poster", "A2", 140),
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


# --- Question posters made for the wall -----------------------------------------------------------------------

WALL_PT = 24  # the wall sentences, A4 terms
FINE_PT = 20  # under this size (A4 terms), text is the fine print: where the code leads, no phone, credits


def wall_words(pdf, fmt: str) -> list[dict]:
    """The words of a poster above its fine print (set at FINE_PT or more in A4 terms; a lone '?' or ':' after a
    French no-break space is no word)."""
    return [
        w
        for w in pdf.words(0)
        if w["size"] / A4_TERMS[fmt] >= FINE_PT - 0.01 and any(ch.isalnum() for ch in w["text"])
    ]


def _wall_sizes(pdf, fmt: str, wall: str) -> dict:
    """A question poster's type in A4 terms: its headline, the wall sentences' size, the smallest reading text (all
    but the credits, which stay small print) and how many words it says above its fine print."""
    k = A4_TERMS[fmt]
    words = pdf.words(0)
    first = wall.split()[0]
    wall_size = min(w["size"] for w in words if w["text"] == first) / k
    credits = min(w["size"] for w in words)
    reading = [w["size"] / k for w in words if w["size"] > credits + 0.01]
    return {
        "headline": max(w["size"] for w in words) / k,
        "wall": wall_size,
        "reading": min(reading),
        "words": len(wall_words(pdf, fmt)),
    }


def test_question_posters_say_50_words_or_fewer_for_the_wall(wall_kit, open_pdf):
    """Above the fine print: the question, the hook, the wall sentences, the call to scan and the address, 50 words
    at most; the headline 40 pt or more, the wall sentences 24 pt or more, every reading text 16 pt or more (A4
    terms). Before: 90 to 110 words of answer and a 40-word example at about 17 pt."""
    out, manifest = wall_kit
    kb = kit.load_content()
    seen = 0
    for doc in (d for d in manifest["documents"] if d["layout"] == "poster" and d["level"] == "standard"):
        text = kb.question(doc["questions"][0]).translations[doc["lang"]]
        pdf = open_pdf(out / doc["path"])
        sizes = _wall_sizes(pdf, doc["format"], text.wall)
        assert sizes["words"] <= 50, (doc["path"], sizes)
        assert sizes["headline"] >= 40 - 0.05 and sizes["wall"] >= WALL_PT - 0.05, (doc["path"], sizes)
        assert sizes["reading"] >= 16 - 0.05, (doc["path"], sizes)
        flat = pdf.flat_text(0)
        assert " ".join(text.wall.split()[:4]) in flat and text.short.split(".")[0] not in flat
        seen += 1
    assert seen == 2 * 4 * 3


def test_a3_and_a2_are_designed_for_their_distance(wall_kit, open_pdf):
    """A3 and A2 are not the A4 scaled up: a bigger QR code for their distance (a larger share of the page), the
    pictogram above a question as wide as the block, and on A2 a larger call to scan (A4 terms)."""
    out, manifest = wall_kit
    kb = kit.load_content()
    share, ratio = {}, {}  # the QR symbol's share of the page's width; the call to scan in pt (A4 terms)
    for fmt, width in (("A4", 210), ("A3", 297), ("A2", 420)):
        (doc,) = [
            d
            for d in manifest["documents"]
            if d["layout"] == "poster"
            and d["format"] == fmt
            and d["lang"] == "fr"
            and d["level"] == "standard"
            and d["questions"] == ["wrong-hands"]
        ]
        pdf = open_pdf(out / doc["path"])
        ((_, side),) = pdf.qr_symbols_mm(0)
        share[fmt] = side / width
        first = kb.shared.labels["fr"].scan.split()[0]
        ratio[fmt] = max(w["size"] for w in pdf.words(0) if w["text"] == first) / A4_TERMS[fmt]
    assert share["A4"] < share["A3"] < share["A2"], share
    assert ratio["A2"] > ratio["A4"] + 2 and ratio["A3"] >= ratio["A4"] - 0.05, ratio


def test_the_longest_question_poster_kit_check_lets_through(content_copy, edit_file, tmp_path, open_pdf):
    """At the budgets' maxima (a 14-word question, a 12-word hook of 120 characters with a 25-letter word, the
    wall sentences making 50 words with the call and the address), kit check passes and every poster format still
    sets the headline at 40 pt or more, the wall at 24 pt or more and every reading text at 16 pt or more."""
    from kit.check import check_content
    from kit.check.languages import rules_for

    path = content_copy / "questions" / "wrong-hands.yaml"
    kb = kit.load_content()
    fr = kb.question("wrong-hands").translations["fr"]
    question = "Et si nos données personnelles de santé tombaient un jour entre de mauvaises mains ?"
    hook = "Anticonstitutionnellement protégées : vos informations médicales restent gardées par la loi française."
    scan = rules_for("fr").length(kb.shared.labels["fr"].scan) + 1
    room = 50 - scan - rules_for("fr").length(question) - rules_for("fr").length(hook)
    wall = (
        "Vos données de soins sont couvertes par le secret professionnel et contrôlées par la CNIL. "
        "Des hébergeurs certifiés les gardent, avec des règles de sécurité strictes et des contrôles réguliers "
        "chaque année."
    ).split()[:room]
    wall = " ".join(wall).rstrip(",") + "."
    edit_file(path, f'question: "{fr.question}"', f'question: "{question}"')
    edit_file(path, f'hook: "{fr.hook}"', f'hook: "{hook}"')
    edit_file(path, f'wall: "{fr.wall}"', f'wall: "{wall}"')
    checked = kit.load_content(content_copy)
    report = check_content(content_copy)
    assert not [f for f in report.findings if f.severity == "error"], [f.message for f in report.findings][:5]
    text = checked.question("wrong-hands").translations["fr"]
    assert rules_for("fr").length(" ".join([text.question, text.hook, text.wall])) + scan == 50
    project = kit.load_project(content=content_copy)
    for fmt in ("A4", "A3", "A2"):
        target, _ = kit.build_poster(
            project, "wrong-hands", lang="fr", format=fmt, out_file=tmp_path / f"{fmt}.pdf"
        )
        sizes = _wall_sizes(open_pdf(target), fmt, text.wall)
        assert sizes["headline"] >= 40 - 0.05 and sizes["wall"] >= WALL_PT - 0.05, (fmt, sizes)
        assert sizes["reading"] >= 16 - 0.05 and sizes["words"] <= 50, (fmt, sizes)
