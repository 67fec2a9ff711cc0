"""Planning from declared data: the default kit, venue packs (a venue added in content alone), languages."""

from __future__ import annotations

import json

import pytest
import yaml

import kit
from kit.events import read_events
from kit.plan import plan_event, plan_kit

PHARMACY = """\
# A fourth kind of place, declared in a user's content folder only.
venues:
  - id: pharmacie
    name: "Pharmacie"
    aliases: ["Pharmacie", "Officine", "Pharmacie d'officine"]
    line:
      fr: "Votre pharmacien peut répondre à vos questions sur vos données de santé."
      en: "Your pharmacist can answer your questions about your health data."
    pack:
      - {layout: summary-poster, formats: [A4], venue_line: true}
      - {layout: leaflet, venue_line: true, copies: people}
      - {layout: booklet, level: falc, questions: all, falc: true, copies: people}
"""


@pytest.fixture(scope="module")
def project():
    return kit.load_project(check=False)


def test_default_kit_comes_from_the_declarations(project):
    docs = plan_kit(project, "fr", "A4")
    kinds = [(d.spec.layout, d.spec.level) for d in docs]
    assert kinds.count(("poster", "standard")) == len(project.kb.questions)
    assert kinds.count(("poster", "falc")) == len(project.kb.questions)
    assert ("summary-poster", "standard") in kinds and ("booklet", "falc") in kinds
    assert all(d.path.startswith("fr/") and d.path.endswith(".pdf") for d in docs)
    assert len({d.path for d in docs}) == len(docs)
    # Pack-only layouts (made for an event) are not part of the kit.
    assert not {"event-poster", "invitation", "print-sheet"} & {d.spec.layout for d in docs}


def test_a_fourth_venue_is_one_record_in_content(tmp_path, open_pdf):
    """A pharmacy added in a temporary content folder: read from a spreadsheet by its alias, packed, printed."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "venues.yaml").write_text(PHARMACY, encoding="utf-8")
    project = kit.load_project(content=content)
    assert project.kb.venue_ids == ["france-services", "la-poste", "cafe-ia", "porte-a-porte", "pharmacie"]
    events = tmp_path / "events.csv"
    events.write_text(
        "type de lieu;nom du lieu;date;langues;falc;exemplaires\n"
        "Officine;Pharmacie du Marché;2026-04-02;fr;oui;12\n",
        encoding="utf-8",
    )
    sheet = read_events(events, venues=project.kb.venues)
    (event,) = sheet.events
    assert event.venue_type == "pharmacie"
    assert [(d.spec.layout, d.spec.level, d.spec.format) for d in plan_event(project, event)] == [
        ("summary-poster", "standard", "A4"),
        ("leaflet", "standard", "A4"),
        ("booklet", "falc", "A4"),
        ("print-sheet", "standard", "A4"),
    ]
    result = kit.build_packs(project, events, tmp_path / "packs", jobs=1)
    (built,) = result.events
    assert built.status == "built", built.errors
    poster = next(d for d in built.documents if d["layout"] == "summary-poster")
    assert poster["path"].endswith("poster-summary-A4-pharmacie.pdf")
    assert "Votre pharmacien peut répondre" in open_pdf(tmp_path / "packs" / poster["path"]).flat_text()
    sheet_doc = next(d for d in built.documents if d["layout"] == "print-sheet")
    text = open_pdf(tmp_path / "packs" / sheet_doc["path"]).flat_text()
    assert "12" in text  # leaflets and booklets: one per person
    manifest = json.loads((tmp_path / "packs" / "manifest.json").read_text())
    assert manifest["events"][0]["status"] == "built"


def test_a_venue_naming_a_missing_layout_is_reported(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "venues.yaml").write_text(
        PHARMACY.replace("layout: leaflet", "layout: flyer"), encoding="utf-8"
    )
    with pytest.raises(kit.ConfigError) as info:
        kit.load_project(content=content, check=False)
    (problem,) = info.value.problems
    assert problem.file.endswith("venues.yaml") and problem.line == 11 and "flyer" in problem.message


def test_unknown_venue_in_a_spreadsheet_names_the_known_ones(tmp_path, project):
    events = tmp_path / "events.csv"
    events.write_text(
        "type de lieu;nom du lieu;date\nPharmacie;Pharmacie du Marché;2026-04-02\n", encoding="utf-8"
    )
    sheet = read_events(events, venues=project.kb.venues)
    (problem,) = sheet.problems
    assert "france-services, la-poste, cafe-ia or porte-a-porte" in problem.hint


def test_languages_are_written_as_their_locale_says(tmp_path, open_pdf):
    """A language's record (locales.yaml) decides its spacing and dates; no language is special-cased in code."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "locales.yaml").write_text(
        yaml.safe_dump(
            {
                "locales": {
                    "en": {
                        "name": "English",
                        "typography": "french",
                        "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
                        "months": [f"M{n}" for n in range(1, 13)],
                        "date": "{day}/{month}/{year} ({weekday})",
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    project = kit.load_project(content=content, check=False)
    from datetime import date

    from kit.locales import date_words

    assert date_words(date(2026, 3, 26), project.locale("en")) == "26/M3/2026 (Thu)"
    path, _ = kit.build_poster(project, "wrong-hands", "en", out_file=tmp_path / "en.pdf")
    assert "Credits :" in open_pdf(path).flat_text().replace("\u00a0", " ")  # French spacing, by the record
    plain, _ = kit.build_poster(
        kit.load_project(check=False), "wrong-hands", "en", out_file=tmp_path / "plain.pdf"
    )
    assert "Credits:" in open_pdf(plain).flat_text()


# --- Partial languages: one rule for every command (issue 26 point 6) ------------------------------------------

PARTIAL_LINE = "ar is a partial language: kit has no "
MADE_IN_AR = (
    "What exists in ar: kit falc --lang ar (Easy-to-Read booklet, Easy-to-Read leaflet), kit pack with a "
    "porte-a-porte row naming ar (door hanger, mediator sheet, pocket card), kit site (its pages)."
)


def test_a_single_document_a_partial_language_lacks_says_what_exists(project):
    """`kit leaflet --level falc --lang ar` said "Unknown language: ar" though kit makes that leaflet; the
    standard leaflet and the posters say, in one line, that they do not exist in ar and what does."""
    from kit.errors import OptionError
    from kit.plan import plan_leaflet, plan_poster

    assert plan_leaflet(project, "ar", "falc").spec.lang == "ar"
    for call, what in [
        (lambda: plan_leaflet(project, "ar"), "leaflet"),
        (lambda: plan_poster(project, "wrong-hands", "ar"), "poster"),
        (lambda: plan_poster(project, "wrong-hands", "ar", level="falc"), "Easy-to-Read poster"),
        (lambda: plan_poster(project, "summary", "ar"), "summary poster"),
    ]:
        with pytest.raises(OptionError) as error:
            call()
        assert str(error.value) == f"{PARTIAL_LINE}{what} in ar. {MADE_IN_AR}"
    with pytest.raises(
        OptionError, match=r"^Unknown language: xx\. Choose among: fr, en, ar, tr, pt, zh, ro, es\.$"
    ):
        plan_leaflet(project, "xx")


def test_a_set_of_documents_builds_what_exists_and_says_what_does_not(project):
    """`kit build --lang fr,ar` built French and the Arabic Easy-to-Read documents without a word; `kit social`,
    `kit slides`, `kit email --lang ar` said "Built 0 documents" and ended with 0."""
    from kit.errors import OptionError
    from kit.plan import kit_notes

    docs = plan_kit(project, "fr,ar", "A4")
    assert {(d.spec.layout, d.spec.level) for d in docs if d.spec.lang == "ar"} == {
        ("booklet", "falc"),
        ("leaflet", "falc"),
    }
    assert kit_notes(project, "fr,ar") == [
        f"{PARTIAL_LINE}poster, summary poster, leaflet, Easy-to-Read poster in ar. {MADE_IN_AR}"
    ]
    assert kit_notes(project, "fr,en") == [] and kit_notes(project, "ar", "falc") == [
        f"{PARTIAL_LINE}Easy-to-Read poster in ar. {MADE_IN_AR}"
    ]
    for channel, what in [
        ("social", "card, story card, Easy-to-Read card"),
        ("email", "newsletter, sms"),
        ("slides", "slides, screen home, screen question, screen story, screen rights, screen loop"),
    ]:
        with pytest.raises(OptionError) as error:
            plan_kit(project, "ar", channels=channel)
        assert str(error.value) == f"Nothing to make: {PARTIAL_LINE}{what} in ar. {MADE_IN_AR}"
        assert plan_kit(project, "fr,ar", channels=channel)  # French is made; the note says what is not
        assert kit_notes(project, "fr,ar", channels=channel) == [f"{PARTIAL_LINE}{what} in ar. {MADE_IN_AR}"]


def test_a_pack_row_in_a_partial_language_says_what_its_pack_lacks(project, tmp_path):
    """A France Services row in fr,ar got the Arabic Easy-to-Read booklet only, with no word said."""
    from kit.plan import pack_notes

    sheet = tmp_path / "events.csv"
    sheet.write_text(
        "id;type_de_lieu;nom_du_lieu;ville;date;langues\n"
        "fs-1;France Services;FS Lyon;Lyon;2026-03-17;fr,ar\n"
        "fs-2;France Services;FS Bron;Bron;2026-03-18;ar\n"
        "door-1;porte-a-porte;Quartier;Lyon;2026-03-19;fr,ar,zh\n",
        encoding="utf-8",
    )
    events = read_events(sheet, venues=project.kb.venues).events
    ar = [d.spec.layout for d in plan_event(project, events[0]) if d.spec.lang == "ar"]
    assert ar == ["booklet"]
    notes = pack_notes(project, events)
    assert notes[0] == (
        "ar is a partial language: the france-services packs of fs-1, fs-2 have no summary poster, poster, "
        f"leaflet, memo, letters in ar (only in the row's other languages). {MADE_IN_AR}"
    )
    # the door-to-door pack has its cards, hangers and sheet in ar and zh; the letter to say no is written for
    # complete languages only, and that is said once per language
    assert len(notes) == 3
    for lang, note in zip(("ar", "zh"), notes[1:], strict=True):
        assert note.startswith(
            f"{lang} is a partial language: the porte-a-porte pack of door-1 has no letters"
        )
