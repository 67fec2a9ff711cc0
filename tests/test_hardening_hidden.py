"""Invisible and bidirectional characters (issue 14, item 8).

A right-to-left override in a link prints an address backwards while the QR code carries another one. Links,
ids and codes (content, kit.toml, spreadsheets) refuse bidirectional controls and invisible characters, naming
the character and where it is; in texts they are a `kit check` warning (rule `invisible-character`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.check import check_content
from kit.events import read_events

QUESTION = "wrong-hands"
HIDDEN = {
    "rlo": ("\u202e", "U+202E", "right-to-left override"),
    "lri": ("\u2066", "U+2066", "left-to-right isolate"),
    "rlm": ("\u200f", "U+200F", "right-to-left mark"),
    "zwsp": ("\u200b", "U+200B", "zero width space"),
    "zwj": ("\u200d", "U+200D", "zero width joiner"),
    "soft-hyphen": ("\u00ad", "U+00AD", "soft hyphen"),
    "bom": ("\ufeff", "U+FEFF", "zero width no-break space"),
    "tag": ("\U000e0041", "U+E0041", "tag latin capital letter a"),
}


def edit_question(content: Path, change) -> None:
    import yaml

    path = content / "questions" / f"{QUESTION}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def qr_link(data, lang="fr"):
    return next(link for link in data["translations"][lang]["links"] if link.get("qr"))


@pytest.mark.parametrize("name", list(HIDDEN))
def test_a_link_with_a_hidden_character_is_refused(content_copy, name):
    char, code, words = HIDDEN[name]
    edit_question(
        content_copy,
        lambda data: qr_link(data).update(url="https://www.cnil.fr/fr/" + char + "ever.liame-ruoy-mrifnoc/"),
    )
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(content_copy)
    problem = next(p for p in info.value.problems if p.field and p.field.endswith(".url"))
    assert code in problem.message and words in problem.message.lower(), problem.message
    assert problem.rule == "link-url" and problem.file.endswith(f"{QUESTION}.yaml") and problem.line, problem
    assert char not in problem.message, "the message shows the character's code, not the character"


def test_kit_check_reports_it_as_an_error(content_copy):
    edit_question(content_copy, lambda data: qr_link(data).update(url="https://www.cnil.fr/\u202efr/"))
    report = check_content(content_copy)
    assert not report.ok()
    assert any(f.rule == "link-url" and "U+202E" in f.message for f in report.errors), report.findings


def test_an_id_with_a_hidden_character_says_which(content_copy):
    edit_question(content_copy, lambda data: data.update(id=QUESTION + "\u200b"))
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(content_copy)
    assert any("U+200B" in p.message and p.field == "id" for p in info.value.problems), info.value.problems


def test_a_site_path_with_a_hidden_character_says_which(content_copy):
    edit_question(content_copy, lambda data: data["translations"]["fr"].update(path="secu\u00adrite"))
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(content_copy)
    assert any("U+00AD" in p.message for p in info.value.problems), info.value.problems


@pytest.mark.parametrize("key", ["[qr]\nbase_url", "[site]\nbase_url", "[build]\nfeedback_url"])
def test_kit_toml_addresses_refuse_hidden_characters(tmp_path, key):
    from kit.config import load_config

    (tmp_path / "kit.toml").write_text(
        f'{key} = "https://www.exemple-sante.fr/\u202efr/"\n', encoding="utf-8"
    )
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    (problem,) = info.value.problems
    assert "U+202E" in problem.message and problem.line == 2, problem


def test_text_with_a_hidden_character_is_a_warning(content_copy):
    def change(data):
        data["translations"]["fr"]["hook"] = "Des données très\u00ad personnelles, protégées par la loi."
        data["translations"]["en"]["benefit"] = data["translations"]["en"]["benefit"] + " \u202eevil"

    edit_question(content_copy, change)
    report = check_content(content_copy)
    found = [f for f in report.findings if f.rule == "invisible-character"]
    assert {(f.severity, f.question, f.lang, f.field) for f in found} == {
        ("warning", QUESTION, "fr", "translations.fr.hook"),
        ("warning", QUESTION, "en", "translations.en.benefit"),
    }
    hook = next(f for f in found if f.lang == "fr")
    assert "U+00AD" in hook.message and "soft hyphen" in hook.message and hook.hint and hook.line, hook
    assert "\u00ad" not in (hook.text or ""), "the excerpt shows where the character is, visibly"
    assert report.ok() and not report.ok(strict=True)


def test_the_built_in_content_has_none():
    assert [f for f in check_content().findings if f.rule == "invisible-character"] == []


def test_marks_of_right_to_left_languages_are_writing():
    """In a language written right to left, marks and joiners are part of the writing: not reported."""
    from kit.content import hidden_characters

    text = "\u0645\u0631\u062d\u0628\u0627 \u200fWi-Fi\u200f \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert hidden_characters(text, rtl=True) == []
    assert [code for _, code, _ in hidden_characters(text)] == ["U+200F", "U+200F", "U+200C"]
    assert [code for _, code, _ in hidden_characters("a\u202eb", rtl=True)] == ["U+202E"]


# --- Spreadsheets ------------------------------------------------------------------------------


def sheet(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("id,type de lieu,nom du lieu,date,contact\n" + row + "\n", encoding="utf-8")
    return path


def venues():
    return kit.load_content().venues


def test_a_spreadsheet_id_with_a_hidden_character_is_refused(tmp_path):
    result = read_events(sheet(tmp_path, "ev\u202e-1,france-services,FS Nord,2026-05-12,"), venues=venues())
    assert result.events == []
    (problem,) = result.problems
    assert problem.row == 2 and "U+202E" in str(problem) and "id" in str(problem), problem


def test_a_spreadsheet_contact_with_a_hidden_character_is_refused(tmp_path):
    result = read_events(
        sheet(tmp_path, "ev-1,france-services,FS Nord,2026-05-12,accueil@mairie\u202e.fr"), venues=venues()
    )
    assert result.events == []
    assert any("U+202E" in str(p) for p in result.problems), result.problems


def test_a_spreadsheet_text_with_a_hidden_character_is_a_warning(tmp_path):
    result = read_events(sheet(tmp_path, "ev-1,france-services,FS\u200b Nord,2026-05-12,"), venues=venues())
    assert [e.id for e in result.events] == ["ev-1"]
    assert any("U+200B" in str(w) for w in result.warnings), result.warnings
