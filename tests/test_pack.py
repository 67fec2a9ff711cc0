"""Event packs from a spreadsheet: contents by venue type, failures, reruns, interruptions, tracking, zips."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

import kit
from kit import pack as pack_module
from kit.addresses import printed
from kit.content import CONTENT_FILES, content_file
from kit.pack import build_packs

HEADER = "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;langues;falc;exemplaires"
ROWS = [
    "poste-1;La Poste;Bureau de poste <b>Terreaux</b>;3 place des Terreaux;69001;Lyon;2026-03-12;;;fr;oui;20",
    "fs-1;France Services;France Services Lyon 8e;15 avenue Lumière;69008;Lyon;2026-03-17;09:00;17:00;fr,en;oui;10",
    "cafe-1;Café IA;Médiathèque Garibaldi;20 rue Garibaldi;69007;Lyon;26/03/2026;18:30;20:00;fr;non;30",
]


def write_csv(path, rows):
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("packs")
    events = write_csv(
        folder / "events.csv",
        ROWS
        + [
            "bad;Mairie;Salle des fêtes;;;;2026-13-45;;;fr;oui;",  # unknown venue type, bad date
            "poste-1;La Poste;Un autre bureau;;;;2026-04-01;;;fr;oui;",  # duplicate id (with row 2)
        ],
    )
    result = build_packs(kit.load_project(), events, out_dir=folder / "out", jobs=2, zip_packs=True)
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    return folder, result, manifest


def _event(manifest, event_id):
    return next(e for e in manifest["events"] if e["id"] == event_id)


def test_manifest_contract_and_statuses(packs):
    _, result, manifest = packs
    assert manifest["kit_version"] == kit.__version__
    assert manifest["content_version"] == kit.load_content().meta.content_version
    statuses = {(e["row"], e["status"]) for e in manifest["events"]}
    assert (3, "built") in statuses and (4, "built") in statuses
    assert (5, "failed") in statuses
    # The duplicate id fails on both of its rows: neither is built.
    assert (2, "failed") in statuses and (6, "failed") in statuses
    bad = next(e for e in manifest["events"] if e["row"] == 5)
    assert any('row 5, column "date"' in error for error in bad["errors"])
    assert any("type_de_lieu" in error for error in bad["errors"])
    for event in manifest[
        "events"
    ]:  # a failed event's failures are data too (kind, message, problems, document)
        failed = {"failures"} if event["status"] == "failed" else set()
        assert set(event) == {"id", "row", "status", "errors", "documents"} | failed
    assert result.failed


def test_each_venue_type_gets_its_documents(packs):
    folder, _, manifest = packs
    out = folder / "out"
    fs = _event(manifest, "fs-1")
    layouts = {(d["layout"], d["level"], d["lang"], d["format"]) for d in fs["documents"]}
    for lang in ("fr", "en"):
        assert ("summary-poster", "standard", lang, "A3") in layouts
        assert ("poster", "standard", lang, "A4") in layouts
        assert ("leaflet", "standard", lang, "A4") in layouts
        assert ("memo", "standard", lang, "A4") in layouts
    assert ("booklet", "falc", "fr", "A4") in layouts
    assert ("print-sheet", "standard", "fr", "A4") in layouts
    cafe = {(d["layout"], d["format"]) for d in _event(manifest, "cafe-1")["documents"]}
    assert {
        ("event-poster", "A3"),
        ("event-poster", "A4"),
        ("invitation", "A4"),
        ("guide", "A4"),
        ("leaflet", "A4"),
        ("feedback", "A4"),
        ("print-sheet", "A4"),
    } <= cafe
    assert not any(d["level"] == "falc" for d in _event(manifest, "cafe-1")["documents"])  # falc: non
    for event in manifest["events"]:
        for doc in event["documents"]:
            assert (out / doc["path"]).is_file()
            assert doc["path"].startswith(event["id"] + "/")


def test_the_cafe_ia_pack_projects_its_slides_with_the_event(packs, open_pdf):
    """Issue 28: the slides of a Café IA pack name its place, date and time on their title slide; they are
    projected, so the print sheet does not list them."""
    folder, _, manifest = packs
    docs = _event(manifest, "cafe-1")["documents"]
    (deck,) = [d for d in docs if d["layout"] == "slides"]
    title = open_pdf(folder / "out" / deck["path"]).flat_text(0).replace("\u202f", " ").replace("\u00a0", " ")
    for part in ("Médiathèque Garibaldi", "20 rue Garibaldi", "69007 Lyon", "26 mars 2026", "18 h 30"):
        assert part in title, (part, title)
    (sheet,) = [d for d in docs if d["layout"] == "print-sheet"]
    assert "slides" not in open_pdf(folder / "out" / sheet["path"]).flat_text(0)


def test_shared_documents_are_identical_copies(tmp_path):
    events = write_csv(
        tmp_path / "e.csv",
        [ROWS[0], ROWS[0].replace("poste-1", "poste-2").replace("2026-03-12", "2026-03-19")],
    )
    result = build_packs(kit.load_project(), events, out_dir=tmp_path / "out", jobs=1)
    leaflets = [
        d for e in result.events for d in e.documents if d["layout"] == "leaflet" and d["level"] == "standard"
    ]
    assert len(leaflets) == 2 and leaflets[0]["sha256"] == leaflets[1]["sha256"]
    sheets = [d for e in result.events for d in e.documents if d["layout"] == "print-sheet"]
    assert sheets[0]["sha256"] != sheets[1]["sha256"]  # the print sheet is the event's own


def test_print_sheets_name_their_event(packs, open_pdf):
    folder, _, manifest = packs
    docs = [d for e in manifest["events"] for d in e["documents"] if d["layout"] == "print-sheet"]
    texts = " ".join(open_pdf(folder / "out" / d["path"]).flat_text() for d in docs)
    assert "Médiathèque Garibaldi" in texts and "France Services Lyon 8e" in texts


def test_print_sheet_and_event_poster_keep_markup_as_text(tmp_path, open_pdf):
    events = write_csv(
        tmp_path / "e.csv", [ROWS[0], ROWS[2].replace("Médiathèque Garibaldi", "Café <i>Nord</i> & co")]
    )
    result = build_packs(kit.load_project(), events, out_dir=tmp_path / "out", jobs=1)
    texts = " ".join(
        open_pdf(tmp_path / "out" / d["path"]).flat_text()
        for e in result.events
        for d in e.documents
        if d["layout"] in ("print-sheet", "event-poster")
    )
    assert "Bureau de poste <b>Terreaux</b>" in texts
    assert "Café <i>Nord</i> & co" in texts


def test_every_qr_of_a_pack_decodes(packs, open_pdf):
    folder, _, manifest = packs
    for doc in _event(manifest, "cafe-1")["documents"]:
        pdf = open_pdf(folder / "out" / doc["path"])
        for qr in doc["qr"]:
            assert qr["url"] in pdf.qr_codes(qr["page"] - 1), doc["path"]


def test_zip_per_event(packs):
    folder, _, manifest = packs
    for event in manifest["events"]:
        archive = folder / "out" / f"{event['id']}.zip"
        if event["status"] == "built":
            names = zipfile.ZipFile(archive).namelist()
            assert sorted(names) == sorted(d["path"] for d in event["documents"])


def test_rerun_rebuilds_only_what_changed(tmp_path):
    events = write_csv(tmp_path / "e.csv", ROWS[:2])
    out = tmp_path / "out"
    build_packs(kit.load_project(), events, out_dir=out, jobs=1)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    again = build_packs(kit.load_project(), events, out_dir=out, jobs=1)
    assert [e.status for e in again.events] == ["up-to-date", "up-to-date"]
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == stamps
    write_csv(events, [ROWS[0].replace(";oui;20", ";oui;25"), ROWS[1]])  # more copies for poste-1 only
    third = build_packs(kit.load_project(), events, out_dir=out, jobs=1)
    assert [(e.id, e.status) for e in third.events] == [("poste-1", "built"), ("fs-1", "up-to-date")]


def test_interrupted_run_leaves_no_partial_file_and_resumes(tmp_path, monkeypatch):
    events = write_csv(tmp_path / "e.csv", ROWS)
    out = tmp_path / "out"
    monkeypatch.setattr(pack_module.EventBuilder, "EVENTS_PER_CHUNK", 1)

    def stop_after_first(done, total, name):
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_packs(kit.load_project(), events, out_dir=out, jobs=1, progress=stop_after_first)
    assert not list(out.rglob("*.part"))
    resumed = build_packs(kit.load_project(), events, out_dir=out, jobs=1)
    assert [e.status for e in resumed.events] == ["up-to-date", "built", "built"]


SITE = "https://sante.exemple.org/campagne/"


def site_project(tmp_path, track: bool):
    toml = tmp_path / "kit.toml"
    toml.write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    return kit.load_project(kit.Settings(config=toml, track=track))


@pytest.mark.parametrize("track", [False, True])
def test_qr_codes_lead_to_site_pages_and_tracking_prints_nothing(tmp_path, open_pdf, track):
    """With [site] base_url every QR code names a page of the site; with tracking it only gains `?p=<code>`:
    the printed address stays the clean page address, and placements.csv says which place each code is."""
    import csv

    from kit.addresses import SitePages

    sample = (
        (kit.resources.package_dir() / "init_template" / "events.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    events = tmp_path / "e.csv"
    events.write_text("\n".join(sample) + "\n", encoding="utf-8")
    project = site_project(tmp_path, track)
    result = build_packs(project, events, tmp_path / "out", jobs=1)
    assert [e.status for e in result.events] == ["built"] * 4, [e.errors for e in result.events]
    pages = SitePages(project.kb)
    langs = ("fr", "en", "ar")  # kit init's door-to-door row is in French and Arabic
    site_pages = {SITE + pages.home(lang, level) for lang in langs for level in ("standard", "falc")}
    site_pages |= {
        SITE + pages.question(q, lang, level)
        for q in project.kb.question_ids
        for lang in langs
        for level in ("standard", "falc")
    }
    every_page = {SITE + page.path for page in pages.every()}
    assert site_pages <= every_page
    codes = {}
    for event in result.events:
        for doc in event.documents:
            pdf = open_pdf(tmp_path / "out" / doc["path"])
            decoded = [code for page in range(pdf.pages) for code in pdf.qr_codes(page)]
            assert sorted(decoded) == sorted(q["url"] for q in doc["qr"]), doc["path"]
            for qr in doc["qr"]:
                # a question's or home page, or (the Café IA's slides) a story on the stories page
                page, _, story = qr["address"].partition("#")
                if story:
                    assert story in project.kb.story_ids and page in every_page, qr
                else:
                    assert qr["address"] in site_pages, qr
                text = re.sub(r"\s+", "", " ".join(pdf.text(p) for p in range(pdf.pages)))
                assert printed(qr["address"]) in text
                assert "?" not in qr["address"] and "utm_" not in qr["url"]
                if track:
                    address, code = qr["url"].partition("#")[0].split("?p=")
                    assert address == page and re.fullmatch(r"[0-9A-Za-z]{6}", code)
                    assert codes.setdefault(code, (event.id, doc["path"])) == (event.id, doc["path"])
                else:
                    assert qr["url"] == qr["address"]
    placements = tmp_path / "out" / "placements.csv"
    if not track:
        assert not placements.exists()
        return
    rows = list(csv.DictReader(placements.open(encoding="utf-8")))
    assert {row["code"]: (row["event_id"], row["document"]) for row in rows} == codes
    assert all(row["layout"] and row["level"] in ("standard", "falc") for row in rows)  # for kit report
    venue = {row["event_id"]: row["venue_type"] for row in rows}
    assert venue == {
        "lyon-poste-2026-03": "la-poste",
        "lyon-fs-2026-03": "france-services",
        "lyon-cafe-2026-03": "cafe-ia",
        "lyon-quartier-2026-03": "porte-a-porte",
    }
    # The same inputs, the same codes: a fresh run gives the same file.
    again = build_packs(site_project(tmp_path, True), events, tmp_path / "again", jobs=1)
    assert all(e.status == "built" for e in again.events)
    assert (tmp_path / "again" / "placements.csv").read_text() == placements.read_text()


def test_cli_exit_codes(run_kit, tmp_path):
    good = write_csv(tmp_path / "good.csv", [ROWS[0]])
    result = run_kit("pack", good, "--out", tmp_path / "o", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "1 built, 0 up to date, 0 failed" in result.stdout
    bad = write_csv(tmp_path / "bad.csv", [ROWS[0], "x;Mairie;Salle;;;;2026-01-01;;;fr;oui;"])
    result = run_kit("pack", bad, "--out", tmp_path / "o2", "--jobs", "1")
    assert result.returncode == 1 and "failed" in result.stdout
    missing = run_kit("pack", tmp_path / "nope.csv", "--out", tmp_path / "o3")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    (tmp_path / "junk.csv").write_text("nothing;useful\n1;2\n", encoding="utf-8")
    junk = run_kit("pack", tmp_path / "junk.csv", "--out", tmp_path / "o4")
    assert junk.returncode == 2


def test_unknown_language_fails_only_that_row(tmp_path):
    events = write_csv(
        tmp_path / "e.csv", [ROWS[0], ROWS[0].replace("poste-1", "poste-de").replace(";fr;oui", ";de;oui")]
    )
    result = build_packs(kit.load_project(), events, out_dir=tmp_path / "out", jobs=1)
    assert [(e.id, e.status) for e in result.events] == [("poste-1", "built"), ("poste-de", "failed")]
    assert "de is not a language of the content" in result.events[1].errors[0]


def test_batch_and_single_rendering_give_the_same_bytes(tmp_path, open_pdf):
    """Event documents laid out many per WeasyPrint document and split equal those laid out alone, copyfit
    included: places of different lengths get different sizes, the same in a batch as alone."""
    names = ["Médiathèque Garibaldi", "Maison des associations et de la vie citoyenne du quartier", "MJC"]
    rows = [
        ROWS[2]
        .replace("cafe-1", f"cafe-{i}")
        .replace("26/03/2026", f"{10 + i}/03/2026")
        .replace("Médiathèque Garibaldi", names[i])
        for i in range(3)
    ]
    events = write_csv(tmp_path / "e.csv", rows)
    batched = build_packs(kit.load_project(), events, out_dir=tmp_path / "batched", jobs=1)
    pack_module.EventBuilder.BATCH_SIZE, saved = 1, pack_module.EventBuilder.BATCH_SIZE
    try:
        single = build_packs(kit.load_project(), events, out_dir=tmp_path / "single", jobs=1)
    finally:
        pack_module.EventBuilder.BATCH_SIZE = saved
    shas = lambda result: {d["path"]: d["sha256"] for e in result.events for d in e.documents}  # noqa: E731
    assert shas(batched) == shas(single)
    posters = [
        d["path"]
        for e in batched.events
        for d in e.documents
        if d["layout"] == "event-poster" and d["format"] == "A4"
    ]
    assert len(posters) == 3
    headlines = {open_pdf(tmp_path / "batched" / path).glyph_sizes(0)[-1] for path in posters}
    assert len(headlines) > 1  # copyfit gave the events different sizes


def test_one_event_too_long_fails_alone_in_a_batch(tmp_path):
    """One invitation that does not fit fails that event only; its batch is laid out one by one."""
    layouts = tmp_path / "layouts" / "pack"
    layouts.mkdir(parents=True)
    (layouts / "invitation.html").write_text(
        '{% extends "!base/pack/invitation.html" %}{% block body %}{% if event.id == "cafe-1" %}'
        '<div data-fit="too much" style="height: 5mm">{{ "Trop de texte. " * 80 }}</div>'
        "{% endif %}{{ super() }}{% endblock %}",
        encoding="utf-8",
    )
    rows = [ROWS[2].replace("cafe-1", f"cafe-{i}") for i in range(3)]
    events = write_csv(tmp_path / "e.csv", rows)
    result = build_packs(
        kit.load_project(layouts=tuple([tmp_path / "layouts"])), events, out_dir=tmp_path / "out", jobs=1
    )
    statuses = {e.id: e.status for e in result.events}
    assert statuses == {"cafe-0": "built", "cafe-1": "failed", "cafe-2": "built"}, [
        e.errors for e in result.events
    ]
    assert any("invitation" in error for error in result.events[1].errors)


def test_a_language_taken_off_removes_its_files(tmp_path):
    events = write_csv(tmp_path / "e.csv", [ROWS[1]])  # fr,en
    out = tmp_path / "out"
    build_packs(kit.load_project(), events, out_dir=out, jobs=1, zip_packs=True)
    assert list((out / "fs-1" / "en").glob("*.pdf"))
    write_csv(events, [ROWS[1].replace(";fr,en;", ";fr;")])
    result = build_packs(kit.load_project(), events, out_dir=out, jobs=1, zip_packs=True)
    assert not list((out / "fs-1" / "en").glob("*.pdf"))
    names = zipfile.ZipFile(out / "fs-1.zip").namelist()
    assert sorted(names) == sorted(d["path"] for d in result.events[0].documents)
    assert not any("/en/" in name for name in names)


def test_nothing_under_8_pt_on_a_handout(packs, open_pdf):
    """Leaflets, invitations, memo, feedback form and booklet: nothing printed under 8 pt (Easy-to-Read: 14 pt)."""
    folder, _, manifest = packs
    handouts = [
        d
        for e in manifest["events"]
        for d in e["documents"]
        if d["layout"] in ("leaflet", "invitation", "memo", "feedback", "booklet")
    ]
    assert {d["layout"] for d in handouts} == {"leaflet", "invitation", "memo", "feedback", "booklet"}
    for doc in handouts:
        pdf = open_pdf(folder / "out" / doc["path"])
        smallest = min(min(pdf.glyph_sizes(page)) for page in range(pdf.pages))
        assert smallest >= (14 if doc["level"] == "falc" else 8) - 0.01, (doc["path"], smallest)


def test_a_long_run_lists_only_the_events_that_failed(tmp_path, monkeypatch):
    """kit pack prints a table of every event for a short sheet; for a national one (thousands of rows), the
    events that failed only, then the counts and the manifest."""
    import kit.cli as cli_module
    from typer.testing import CliRunner

    import kit.commands.campaign as campaign

    monkeypatch.setattr(campaign, "PACK_TABLE_ROWS", 1)
    bad = write_csv(tmp_path / "bad.csv", [ROWS[0], "x;Mairie;Salle;;;;2026-01-01;;;fr;oui;"])
    result = CliRunner().invoke(
        cli_module.app, ["pack", str(bad), "--out", str(tmp_path / "o"), "--jobs", "1"]
    )
    assert result.exit_code == 1, result.output
    table = result.output.split("Packs that failed")[1].split("1 built, 0 up to date, 1 failed")[0]
    # A failed row is named by its id (x), with its row number; the built event is not listed.
    assert any(re.search(r"\b3\b.*\bx\b.*failed", line) for line in table.splitlines()), table
    assert "row-3" not in table and "poste-1" not in table


def test_editing_a_story_rebuilds_the_packs_that_print_it(tmp_path, edit_file, open_pdf):
    """Issue 31: change detection hashed some content files only; a story's title edited in stories.yaml left
    the Café IA guide, which prints it, 'up to date' with the old title."""
    content = tmp_path / "content"
    content.mkdir()
    stories = content / "stories.yaml"
    stories.write_text(
        "stories:\n- id: covid-vaccine-protection\n  translations:\n    fr:\n"
        "      title: 'Vaccins et Covid : des chiffres sur des millions'\n",
        encoding="utf-8",
    )
    events = write_csv(tmp_path / "e.csv", [ROWS[2]])  # the Café IA: its guide tells a story per question
    out = tmp_path / "out"

    def guide_text(result):
        (event,) = result.events
        (guide,) = [d for d in event.documents if d["layout"] == "guide"]
        pdf = open_pdf(out / guide["path"])
        return " ".join(pdf.flat_text(i) for i in range(pdf.pages))

    first = build_packs(kit.load_project(content=content), events, out_dir=out, jobs=1)
    assert "des chiffres sur des millions" in guide_text(first)
    edit_file(stories, "des chiffres sur des millions", "une protection comptée")
    again = build_packs(kit.load_project(content=content), events, out_dir=out, jobs=1)
    assert [e.status for e in again.events] == ["built"]
    text = guide_text(again)
    assert "une protection comptée" in text and "des chiffres sur des millions" not in text


@pytest.mark.parametrize("key", [entry.key for entry in CONTENT_FILES])
def test_editing_any_content_file_marks_packs_for_rebuilding(key, tmp_path, content_copy):
    """Every file of the table of content files counts in the pack's inputs: after an edit, no event is known
    as built (the state starts again), so every pack is built again."""
    path = content_file(key).paths(content_copy)[0]
    out = tmp_path / "out"
    before = pack_module.inputs_digest(kit.load_project(content=content_copy, check=False))
    pack_module.PackState(out, before).save("poste-1", "fingerprint", [], out)
    assert pack_module.PackState(out, before).known() == {"poste-1"}
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = pack_module.inputs_digest(kit.load_project(content=content_copy, check=False))
    assert after != before, path
    assert pack_module.PackState(out, after).known() == set()
