"""kit translate: export then import changes nothing (content and PDFs byte-identical), a reviewed file updates
exactly its texts and the review record and lifts the "not yet checked" line, a changed French text marks its
translations stale, and the files are read by translate-toolkit's own parsers, by polib and by openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

import kit
from kit.build import Builder
from kit.check import check_content
from kit.content import STALE, content_digest, load_content, records_of, source_digest, states_of, units_of
from kit.events import read_events
from kit.plan import plan_event
from kit.translate import export_translations, import_translations

TODAY = dt.date(2026, 12, 5)
EVENTS = (
    "type de lieu;nom du lieu;adresse;code postal;ville;date;contact;langues;exemplaires\n"
    "VoisinMalin;Quartier 1;12 rue des Tilleuls;93120;La Courneuve;2026-04-14;01 23 45 67 89;{lang};40\n"
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def set_target(xliff: str, unit_id: str, new: str) -> str:
    """The XLIFF text with the target of ``unit_id`` replaced (as a translator's tool would)."""
    pattern = re.compile(
        rf'(<trans-unit id="{re.escape(unit_id)}"[^>]*>.*?<target[^>]*>)(.*?)(</target>)', re.S
    )
    assert len(pattern.findall(xliff)) == 1, unit_id
    return pattern.sub(lambda m: m.group(1) + new + m.group(3), xliff)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def doorstep_pdfs(content: Path, lang: str, tmp_path: Path) -> dict[str, bytes]:
    """The pocket card and the Easy-to-Read booklet of a door-to-door day in ``lang``, as bytes."""
    project = kit.load_project(content=content, check=False)
    events = tmp_path / f"events-{lang}.csv"
    events.write_text(EVENTS.format(lang=lang), encoding="utf-8")
    (event,) = read_events(events, venues=project.kb.venues).events
    builder = Builder(project)
    docs = [d for d in plan_event(project, event) if d.spec.lang == lang]
    wanted = {d.layout.name: d for d in docs if d.layout.name in ("pocket-card", "booklet")}
    assert set(wanted) == {"pocket-card", "booklet"}
    return {name: builder.make(doc)[0] for name, doc in wanted.items()}


def about_page(content: Path, lang: str) -> str:
    """The companion site's about page in ``lang``, as kit site writes it."""
    from kit.plan import plan_site

    project = kit.load_project(content=content, check=False)
    docs = plan_site(project, langs=f"{lang},ar,zh")  # the page lists the languages of the site
    (doc,) = [d for d in docs if d.layout.name == "site-about" and d.spec.lang == lang]
    return Builder(project).make(doc)[0].decode("utf-8")


def pdf_text(data: bytes, tmp_path: Path, open_pdf) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    pdf = open_pdf(path)
    return " ".join(pdf.text(page) for page in range(pdf.pages))


@pytest.fixture
def user(tmp_path) -> Path:
    """An empty content folder of a project: merged over kit's built-in texts."""
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


# --- round trip -----------------------------------------------------------------------------------------------


def test_export_then_import_changes_nothing(user, tmp_path):
    before = doorstep_pdfs(user, "ar", tmp_path)
    digest = content_digest(user)
    for fmt in ("xliff", "po", "xlsx"):
        path = export_translations(load_content(user), "ar", fmt, tmp_path / f"kit-ar.{fmt}")
        result = import_translations(path, user, today=TODAY)
        assert result.applied == [] and result.written == [] and result.refused == [], (fmt, result.refused)
        assert result.unchanged == len(units_of(load_content(user), "ar"))  # missing ones included
    assert files_of(user) == {} and content_digest(user) == digest
    assert doorstep_pdfs(user, "ar", tmp_path) == before


def test_round_trip_leaves_a_full_content_folder_byte_identical(content_copy, tmp_path):
    """A stand-alone content folder (every file present): nothing is rewritten, not even reformatted."""
    before = files_of(content_copy)
    for lang, fmt in (("zh", "xliff"), ("en", "po"), ("tr", "xlsx")):
        path = export_translations(load_content(content_copy), lang, fmt, tmp_path / f"kit-{lang}.{fmt}")
        result = import_translations(path, content_copy, today=TODAY)
        assert result.written == [] and result.refused == [], (lang, result.refused)
    assert files_of(content_copy) == before


# --- a reviewed file -------------------------------------------------------------------------------------------


def test_reviewed_xliff_updates_those_texts_and_lifts_not_yet_checked(user, tmp_path, open_pdf):
    lang = "zh"
    kb = load_content(user)
    note = kb.shared.labels[lang].unreviewed
    card_before = pdf_text(doorstep_pdfs(user, lang, tmp_path)["pocket-card"], tmp_path, open_pdf)
    assert squeeze(note) in squeeze(card_before)
    old = {u.id: u.target for u in units_of(kb, lang)}
    path = export_translations(kb, lang, "xliff", tmp_path / "zh.xliff")
    text = path.read_text(encoding="utf-8").replace('state="translated"', 'state="final"')
    new_title, new_sentence = "您的健康数据可以帮助研究", "您的数据受到法律的保护。"
    text = set_target(text, "shared.doorstep.card_title", new_title)
    text = set_target(text, "questions.wrong-hands.falc.0.text", new_sentence)
    path.write_text(text, encoding="utf-8")

    result = import_translations(path, user, reviewer="Li Wei", today=TODAY)
    assert result.refused == [] and result.reviewed
    after = load_content(user)
    new = {u.id: u.target for u in units_of(after, lang)}
    changed = {key for key in old if old[key] != new[key]}
    assert changed == {"shared.doorstep.card_title", "questions.wrong-hands.falc.0.text"}
    assert new["shared.doorstep.card_title"] == new_title
    # Only those two texts (and the records) are in the user's folder, beside kit's.
    shared = (user / "shared.yaml").read_text(encoding="utf-8")
    assert new_title in shared and "card_title" in shared and "summary" not in shared
    question = (user / "questions" / "wrong-hands.yaml").read_text(encoding="utf-8")
    assert new_sentence in question and "picto" in question  # the list of sentences is written whole
    records = records_of(after, lang)
    assert all(r.state == "final" and r.by == "Li Wei" and r.date == TODAY for r in records.values())
    assert {unit.id for unit in units_of(after, lang) if unit.target} == set(records)
    assert after.reviewed(lang) and after.reviewers(lang) == ["Li Wei"] and after.reviewed_on(lang) == TODAY
    meta = (user / "kit.yaml").read_text(encoding="utf-8")
    assert "Li Wei" in meta and "2026-12-05" in meta
    assert check_content(user, today=TODAY).ok(strict=True)
    card = pdf_text(doorstep_pdfs(user, lang, tmp_path)["pocket-card"], tmp_path, open_pdf)
    assert squeeze(note) not in squeeze(card) and squeeze(new_title) in squeeze(card)
    # The about page of every language says who reviewed Chinese and when; Arabic, nobody yet.
    about = re.sub(r"<[^>]+>", "", about_page(user, "fr")).replace("&#39;", "'")
    assert "中文 : vérifiée par Li Wei (samedi 5 décembre 2026)" in about.replace("\u00a0", " ")
    assert "العربية : pas encore vérifiée" in about.replace("\u00a0", " ")
    # Kit's own files were not touched: another project still prints the line.
    assert not load_content().reviewed(lang)


def test_po_reviewer_header_reviews_the_files_texts(user, tmp_path):
    kb = load_content(user)
    path = export_translations(kb, "es", "po", tmp_path / "es.po")
    text = path.read_text(encoding="utf-8").replace(
        '"X-Kit-Reviewer: \\n"', '"X-Kit-Reviewer: Lucía Pérez\\n"'
    )
    path.write_text(text, encoding="utf-8")
    result = import_translations(path, user, today=TODAY)
    assert result.refused == [] and result.reviewed
    after = load_content(user)
    assert after.reviewers("es") == ["Lucía Pérez"]
    assert {r.state for r in records_of(after, "es").values()} == {"reviewed"}


# --- stale translations ----------------------------------------------------------------------------------------


def changed_french(content_copy, edit_file) -> None:
    edit_file(
        content_copy / "shared.yaml",
        'card_title: "Vos données de santé aident aussi la recherche"',
        'card_title: "Vos données de santé servent aussi la recherche"',
    )


def test_a_changed_french_text_marks_its_translations_stale(content_copy, edit_file, tmp_path):
    assert load_content(content_copy).reviewed("en")
    changed_french(content_copy, edit_file)
    kb = load_content(content_copy)
    for lang in ("en", "ar", "zh"):
        stale = [unit.id for unit, state in states_of(kb, lang) if state == STALE]
        assert stale == ["shared.doorstep.card_title"], lang
    assert not kb.reviewed("en")  # its documents say "not yet checked" until it is reviewed again
    asked = check_content(content_copy, languages=["ar"], today=TODAY)
    (warning,) = [f for f in asked.warnings if f.rule == "translation-stale"]
    assert warning.lang == "ar" and warning.field == "doorstep.ar.card_title" and warning.line
    assert asked.coverage["ar"][-1]["stale"] == 1
    notes = [f for f in asked.notes if f.rule == "translation-stale"]
    assert {f.lang for f in notes} == {"en", "tr", "pt", "zh", "ro", "es"}
    assert check_content(content_copy, today=TODAY).ok(strict=True)  # notes never fail
    # Exported as needing review; reviewed again, it is no longer stale.
    path = export_translations(kb, "en", "xliff", tmp_path / "en.xliff")
    text = path.read_text(encoding="utf-8")
    assert text.count('state="needs-review-translation"') == 1
    text = text.replace('state="needs-review-translation"', 'state="signed-off"')
    path.write_text(text, encoding="utf-8")
    result = import_translations(path, content_copy, reviewer="Sam Jones", today=TODAY)
    assert result.applied == ["shared.doorstep.card_title"] and result.refused == []
    assert load_content(content_copy).reviewed("en")


# --- other tools read the files ----------------------------------------------------------------------------------


def test_translate_toolkit_and_polib_read_the_exported_files(content_copy, edit_file, tmp_path):
    import polib
    from translate.storage import factory, pypo

    changed_french(content_copy, edit_file)
    kb = load_content(content_copy)
    units = {unit.id: unit for unit in units_of(kb, "ar")}
    stale = {unit.id for unit, state in states_of(kb, "ar") if state == STALE}
    xliff = export_translations(kb, "ar", "xliff", tmp_path / "ar.xliff")
    store = factory.getobject(str(xliff))
    read = {unit.xmlelement.get("id"): unit for unit in store.getunits()}
    assert set(read) == set(units) and store.gettargetlanguage() == "ar"
    for key, unit in read.items():
        assert unit.source == units[key].source
        assert (unit.target or None) == units[key].target
        assert unit.getnotes()
    assert {key for key, unit in read.items() if unit.isreview()} == stale
    po_path = export_translations(kb, "ar", "po", tmp_path / "ar.po")
    for entries in (polib.pofile(str(po_path)), pypo.pofile.parsefile(str(po_path)).units[1:]):
        found = {}
        for entry in entries:
            key = (
                entry.msgctxt
                if hasattr(entry, "msgctxt") and isinstance(entry.msgctxt, str)
                else entry.getcontext()
            )
            target = entry.msgstr if isinstance(getattr(entry, "msgstr", None), str) else entry.target
            source = entry.msgid if isinstance(getattr(entry, "msgid", None), str) else entry.source
            fuzzy = "fuzzy" in entry.flags if hasattr(entry, "flags") else entry.isfuzzy()
            found[key] = (source, target or None, fuzzy)
        assert {key: value[:2] for key, value in found.items()} == {
            k: (u.source, u.target) for k, u in units.items()
        }
        assert {key for key, value in found.items() if value[2]} == stale
    assert polib.pofile(str(po_path)).metadata["Language"] == "ar"


def test_the_spreadsheet_opens_in_openpyxl_with_its_columns_and_states(tmp_path):
    from openpyxl import load_workbook

    kb = load_content()
    path = export_translations(kb, "tr", "xlsx", tmp_path / "tr.xlsx")
    book = load_workbook(path)
    sheet = book["tr"]
    header = [cell.value for cell in sheet[1]]
    assert (
        header[0] == "id"
        and header[1].startswith("fr")
        and header[2].startswith("tr")
        and header[4:]
        == [
            "state",
            "reviewer",
        ]
    )
    units = [unit for unit in units_of(kb, "tr")]
    assert sheet.max_row == len(units) + 1
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    unit = units[0]
    assert (
        rows[unit.id][1] == unit.source
        and rows[unit.id][2] == unit.target
        and rows[unit.id][4] == "translated"
    )
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"translated,needs review,reviewed,final"'
    assert str(validation.sqref) == f"E2:E{len(units) + 1}"
    assert sheet.protection.sheet and sheet["A2"].protection.locked and not sheet["C2"].protection.locked
    info = {row[0]: row[1] for row in book["kit"].iter_rows(values_only=True)}
    assert info["language"] == "tr" and info["project"] == kb.meta.organisation
    # A reviewer fills it in: two rows reviewed, one changed.
    sheet["E2"], sheet["F2"] = "reviewed", "Ayşe Demir"
    sheet["C3"], sheet["E3"], sheet["F3"] = units[1].target + " Evet.", "final", "Ayşe Demir"
    book.save(path)
    user = tmp_path / "content"
    user.mkdir()
    result = import_translations(path, user, today=TODAY)
    assert result.applied == [units[0].id, units[1].id] and result.refused == []
    records = records_of(load_content(user), "tr")
    assert records[units[0].id].state == "reviewed" and records[units[1].id].by == "Ayşe Demir"
    assert records[units[1].id].source == source_digest(units[1].source)


# --- the command ------------------------------------------------------------------------------------------------


def test_kit_translate_commands_and_check_coverage(run_kit, tmp_path):
    user = tmp_path / "content"
    user.mkdir()
    out = tmp_path / "ar.po"
    done = run_kit("translate", "export", "--lang", "ar", "--format", "po", "--out", out, "--content", user)
    assert done.returncode == 0 and out.is_file(), done.stderr
    done = run_kit("translate", "import", out, "--content", user)
    assert done.returncode == 0 and "0 text(s) written" in done.stdout, done.stdout + done.stderr
    done = run_kit("translate", "import", out)  # no content folder: kit's own texts are never written
    assert done.returncode == 2 and "content folder" in done.stderr
    check = run_kit("check", "--lang", "ar", "--content", user, "--json")
    import json

    rows = json.loads(check.stdout)["coverage"]["ar"]
    total = rows[-1]
    assert total["kind"] == "total" and total["translated"] + total["missing"] == total["units"]
    assert {row["kind"] for row in rows} >= {"doorstep", "easy-to-read", "site", "questions"}
    table = run_kit("check", "--lang", "ar", "--content", user)
    assert "Translation of 'ar'" in table.stdout and "doorstep" in table.stdout
    shutil.rmtree(user)
