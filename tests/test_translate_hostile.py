"""kit translate import and hostile files: another language or project, unknown ids, texts that break a rule,
malformed XLIFF and PO (with their line), markup and control characters, entity bombs and external entities, a
huge file. Whatever is refused, nothing already in the content is lost."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kit.content import load_content
from kit.errors import ContentError, OptionError
from kit.translate import TranslationFileError, export_translations, import_translations

TODAY = dt.date(2026, 12, 5)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def set_target(xliff: str, unit_id: str, new: str) -> str:
    pattern = re.compile(
        rf'(<trans-unit id="{re.escape(unit_id)}"[^>]*>.*?<target[^>]*>)(.*?)(</target>)', re.S
    )
    assert len(pattern.findall(xliff)) == 1, unit_id
    return pattern.sub(lambda m: m.group(1) + new + m.group(3), xliff)


@pytest.fixture
def user(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "shared.yaml").write_text(
        "# My organisation's words\nsummary:\n  ar:\n    title: الحياة الثانية لبياناتك الصحية  # kept\n",
        encoding="utf-8",
    )
    return folder


def exported(user: Path, tmp_path: Path, lang: str = "ar") -> str:
    return export_translations(load_content(user), lang, "xliff", tmp_path / f"{lang}.xliff").read_text(
        encoding="utf-8"
    )


def importing(tmp_path: Path, text: str, user: Path, name: str = "in.xliff", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_translations(path, user, today=TODAY, **options)


def test_a_file_for_another_language_or_project_is_refused_whole(user, tmp_path):
    before = files_of(user)
    text = exported(user, tmp_path)
    with pytest.raises(TranslationFileError, match="not 'tr'"):
        importing(tmp_path, text, user, lang="tr")
    with pytest.raises(TranslationFileError, match="languages to translate are"):
        importing(tmp_path, text.replace('target-language="ar"', 'target-language="de"'), user)
    with pytest.raises(TranslationFileError, match="exported from the content of 'Autre projet'"):
        importing(tmp_path, re.sub(r'original="kit:[^"]*"', 'original="kit:Autre projet"', text), user)
    with pytest.raises(TranslationFileError, match="no project"):
        importing(tmp_path, re.sub(r'original="kit:[^"]*"', 'original="other.docx"', text), user)
    assert files_of(user) == before


def test_unknown_ids_and_rule_breakers_are_named_and_the_rest_imported(user, tmp_path):
    kb = load_content(user)
    text = exported(user, tmp_path)
    text = text.replace('id="shared.rights.title"', 'id="shared.rights.gone"', 1)
    text = set_target(text, "questions.why-use-data.hook", " ".join(["كلمة"] * 20))  # over the hook's budget
    text = set_target(
        text, "questions.why-use-data.falc.0.text", "بياناتك تساعد 50% من الباحثين."
    )  # a percentage
    text = set_target(text, "shared.labels.page", "الصفحة {n}")  # {total} lost
    text = set_target(text, "shared.doorstep.card_title", "بياناتك تساعد البحث")  # fine
    result = importing(tmp_path, text, user)
    why = {unit_id: reason for unit_id, _, reason in result.refused}
    assert "no such text" in why["shared.rights.gone"]
    assert "[length]" in why["questions.why-use-data.hook"]
    assert "[falc-percent]" in why["questions.why-use-data.falc.0.text"]
    assert "keep {total}" in why["shared.labels.page"]
    assert result.applied == ["shared.doorstep.card_title"]
    after = load_content(user)
    assert after.shared.doorstep["ar"].card_title == "بياناتك تساعد البحث"
    assert (
        after.question("why-use-data").translations["ar"].hook
        == kb.question("why-use-data").translations["ar"].hook
    )
    shared = (user / "shared.yaml").read_text(encoding="utf-8")
    assert shared.startswith("# My organisation's words\n") and "# kept" in shared  # comments kept


def test_an_absolute_promise_is_refused(user, tmp_path):
    text = exported(user, tmp_path, "en")
    text = set_target(
        text, "questions.without-consent.hook", "Your name becomes a code, and you can always say no."
    )
    result = importing(tmp_path, text, user, name="en.xliff", reviewer="Sam Jones")
    assert [(unit, reason[:9]) for unit, _, reason in result.refused] == [
        ("questions.without-consent.hook", "[promise]")
    ]
    assert result.written == []


@pytest.mark.parametrize(
    "target, said",
    [
        ("&lt;b&gt;حقوقك&lt;/b&gt;", "markup"),
        ('<g id="1">حقوقك</g>', "markup"),
        ("حقوقك&amp;amp;", "markup"),
        ("حقوق\u202eك", "U+202E"),
        ("حقوق\u200bك", "U+200B"),
        ("حقوقك&#10;هنا", "line break"),
    ],
)
def test_markup_and_control_characters_are_refused(user, tmp_path, target, said):
    text = set_target(exported(user, tmp_path), "shared.rights.title", target)
    result = importing(tmp_path, text, user)
    assert [unit for unit, _, _ in result.refused] == ["shared.rights.title"]
    assert said in result.refused[0][2]
    assert result.written == []


def test_malformed_xliff_and_po_say_their_line(user, tmp_path):
    text = exported(user, tmp_path)
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines) if "</target>" in line)
    lines[number] = lines[number].replace("</target>", "</targt>")
    with pytest.raises(TranslationFileError, match=f"line {number + 1}, column"):
        importing(tmp_path, "\n".join(lines), user)
    po = export_translations(load_content(user), "ar", "po", tmp_path / "ar.po").read_text(encoding="utf-8")
    lines = po.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("msgstr ") and i > 20)
    lines[number] = lines[number] + ' "unclosed'
    (tmp_path / "bad.po").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(TranslationFileError, match=rf"line {number + 1}"):
        import_translations(tmp_path / "bad.po", user, today=TODAY)
    with pytest.raises(TranslationFileError, match="XLIFF 2"):
        importing(
            tmp_path,
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr"/>',
            user,
        )


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file target-language="ar"><body>
<trans-unit id="shared.rights.title"><source>Vos droits</source><target>&c;</target></trans-unit>
</body></file></xliff>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file target-language="ar"><body>
<trans-unit id="shared.rights.title"><source>Vos droits</source><target>&secret;</target></trans-unit>
</body></file></xliff>"""


@pytest.mark.parametrize("text", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_entities_and_dtds_are_refused(user, tmp_path, text):
    before = files_of(user)
    with pytest.raises(TranslationFileError, match="DTD, entities or external references"):
        importing(tmp_path, text, user)
    assert files_of(user) == before


def test_a_huge_file_is_refused_before_it_is_read(user, tmp_path):
    from kit.translate import MAX_FILE_BYTES

    huge = tmp_path / "huge.xliff"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(TranslationFileError, match="MB"):
        import_translations(huge, user, today=TODAY)


def test_where_an_import_may_write(user, tmp_path):
    from kit.resources import content_dir

    path = tmp_path / "ar.xliff"
    path.write_text(exported(user, tmp_path), encoding="utf-8")
    with pytest.raises(OptionError, match="content folder"):
        import_translations(path, None)
    with pytest.raises(OptionError, match="kit's own content"):
        import_translations(path, content_dir())


def test_a_french_text_changed_since_the_export_is_reported(content_copy, edit_file, tmp_path):
    text = exported(content_copy, tmp_path)
    text = set_target(text, "shared.doorstep.card_title", "بياناتك تساعد البحث")
    edit_file(
        content_copy / "shared.yaml",
        'card_title: "Vos données de santé aident aussi la recherche"',
        'card_title: "Vos données de santé servent aussi la recherche"',
    )
    before = files_of(content_copy)
    result = importing(tmp_path, text, content_copy)
    assert result.refused == [
        ("shared.doorstep.card_title", "", "source changed since the export: review it again")
    ]
    assert files_of(content_copy) == before


def test_reviewed_without_a_reviewer_is_refused(user, tmp_path):
    text = set_target(exported(user, tmp_path), "shared.rights.title", "حقوقك هنا")
    text = text.replace('state="translated">حقوقك هنا', 'state="final">حقوقك هنا')
    result = importing(tmp_path, text, user)
    assert result.refused[0][0] == "shared.rights.title" and "--reviewer" in result.refused[0][2]


def test_a_content_error_leaves_every_file_as_it_was(user, tmp_path, monkeypatch):
    """When the checks cannot say which text broke the content, nothing at all is written."""
    import kit.translate.importer as importer

    text = set_target(exported(user, tmp_path), "shared.rights.title", "حقوقك هنا")
    monkeypatch.setattr(importer, "_implicated", lambda finding, unit: False)
    monkeypatch.setattr(
        importer, "_new_findings", lambda before, after: after.findings[:1] or before.findings[:1]
    )
    before = files_of(user)
    with pytest.raises(ContentError, match="nothing was written"):
        importing(tmp_path, text, user)
    assert files_of(user) == before
