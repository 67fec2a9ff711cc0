"""A user's content folder merged over the built-in knowledge base (not stand-alone).

Override one field, add a question, add a language, add glossary terms; errors point at the user's file.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import kit
from kit.init import template_dir
from kit.resources import content_dir as builtin_dir

NEW_HOOK = "Vos données sont gardées sous clé, et la loi veille."
QUESTION = "wrong-hands"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def squash(text: str) -> str:
    return "".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    (folder / "questions").mkdir(parents=True)
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if needle in text)


@pytest.fixture
def hook_override(tmp_path) -> Path:
    folder = user_folder(tmp_path)
    write(
        folder / "questions" / f"{QUESTION}.yaml",
        f'# only the French hook\nid: {QUESTION}\ntranslations:\n  fr:\n    hook: "{NEW_HOOK}"\n',
    )
    return folder


def test_override_one_field_changes_only_that_field(hook_override):
    builtin, mine = kit.load_content(), kit.load_content(hook_override)
    assert mine.question_ids == builtin.question_ids
    assert mine.languages == builtin.languages
    assert mine.meta == builtin.meta and mine.shared == builtin.shared
    for question in builtin.questions:
        other = mine.question(question.id)
        if question.id != QUESTION:
            assert other == question
            continue
        assert other.translations["fr"].hook == NEW_HOOK
        assert (
            other.translations["fr"].model_copy(update={"hook": question.translations["fr"].hook})
            == question.translations["fr"]
        )
        assert other.translations["en"] == question.translations["en"]
        assert (other.id, other.order, other.pictogram, other.in_summary) == (
            question.id,
            question.order,
            question.pictogram,
            question.in_summary,
        )


def test_override_shows_on_the_poster_and_nowhere_else(hook_override, tmp_path, open_pdf):
    builtin = kit.load_content().question(QUESTION).translations
    fr_mine, _ = kit.build_poster(
        kit.load_project(content=hook_override), QUESTION, lang="fr", out_file=tmp_path / "fr-mine.pdf"
    )
    fr_base, _ = kit.build_poster(kit.load_project(), QUESTION, lang="fr", out_file=tmp_path / "fr-base.pdf")
    text = squash(open_pdf(fr_mine).flat_text())
    assert squash(NEW_HOOK) in text
    assert squash(builtin["fr"].hook) not in text
    assert squash(builtin["fr"].question) in text
    assert squash(builtin["fr"].wall) in text
    # Only the hook differs: every other line of the page is the built-in one.
    base = squash(open_pdf(fr_base).text())
    assert squash(builtin["fr"].hook) in base
    assert text.replace(squash(NEW_HOOK), "<hook>") == base.replace(squash(builtin["fr"].hook), "<hook>")
    # The English poster is the built-in one, byte for byte.
    en_mine, _ = kit.build_poster(
        kit.load_project(content=hook_override), QUESTION, lang="en", out_file=tmp_path / "en-mine.pdf"
    )
    en_base, _ = kit.build_poster(kit.load_project(), QUESTION, lang="en", out_file=tmp_path / "en-base.pdf")
    assert squash(builtin["en"].hook) in squash(open_pdf(en_mine).flat_text())
    # Its French source changed: the English poster says its translation is not yet checked again (issue 30),
    # which the built-in one does not.
    unreviewed = squash(kit.load_content().shared.labels["en"].unreviewed)
    assert unreviewed in squash(open_pdf(en_mine).flat_text())
    assert unreviewed not in squash(open_pdf(en_base).flat_text())


def test_added_question_in_manifest_and_catalogue(tmp_path):
    folder = user_folder(tmp_path)
    shutil.copy(
        template_dir() / "content" / "questions" / "local-help.yaml", folder / "questions" / "local-help.yaml"
    )
    kb = kit.load_content(folder)
    assert kb.question_ids == [*kit.load_content().question_ids, "local-help"]
    out = tmp_path / "out"
    result = kit.build_kit(kit.load_project(content=folder), out, langs="fr", formats="A4", levels="standard")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = [d["path"] for d in manifest["documents"]]
    assert [d["questions"] for d in manifest["documents"] if d["layout"] == "poster"][-1] == ["local-help"]
    local = next(d["path"] for d in manifest["documents"] if d["questions"] == ["local-help"])
    assert (out / local).is_file()
    assert any(doc.spec.questions == ("local-help",) for doc in result.documents)

    class Links(HTMLParser):
        hrefs: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.hrefs.extend(v for k, v in attrs if tag == "a" and k == "href")

    parser = Links()
    parser.hrefs = []
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    assert local in parser.hrefs
    assert {h for h in parser.hrefs if h.endswith(".pdf")} == set(paths)


def test_added_question_alone_is_not_a_knowledge_base(tmp_path):
    """Without `builtin: false` nothing is lost: the four built-in questions stay."""
    folder = user_folder(tmp_path)
    shutil.copy(
        template_dir() / "content" / "questions" / "local-help.yaml", folder / "questions" / "local-help.yaml"
    )
    assert len(kit.load_content(folder).questions) == len(kit.load_content().questions) + 1


# --- adding a language --------------------------------------------------------------------------------


def builtin_yaml(name: str):
    return yaml.safe_load((builtin_dir() / name).read_text(encoding="utf-8"))


def spanish_folder(tmp_path: Path, lang: str = "es") -> Path:
    """A user's folder adding `es` (or ``lang``) everywhere (the English texts stand in for a translation).

    Spanish is one of the built-in partial languages: listing it in `languages` makes it complete."""
    folder = user_folder(tmp_path)
    write(folder / "kit.yaml", f"# adds Spanish\nlanguages: [fr, en, {lang}]\n")
    shared = builtin_yaml("shared.yaml")
    mine: dict = {
        block: {lang: copy.deepcopy(shared[block]["en"])}
        for block in (
            "summary",
            "rights",
            "labels",
            "falc",
            "events",
            "act",
            "site",
            "channels",
            "doorstep",
            "letter",
        )
    }
    mine["glossary"] = [
        {"id": term["id"], "translations": {lang: term["translations"]["en"]}} for term in shared["glossary"]
    ]
    write(folder / "shared.yaml", yaml.safe_dump(mine, allow_unicode=True, sort_keys=False))
    venues = [
        {"id": venue["id"], "line": {lang: venue["line"]["en"]}}
        for venue in builtin_yaml("venues.yaml")["venues"]
    ]
    write(folder / "venues.yaml", yaml.safe_dump({"venues": venues}, allow_unicode=True, sort_keys=False))
    stories = [
        {"id": story["id"], "translations": {lang: story["translations"]["en"]}}
        for story in builtin_yaml("stories.yaml")["stories"]
    ]
    write(folder / "stories.yaml", yaml.safe_dump({"stories": stories}, allow_unicode=True, sort_keys=False))
    for path in sorted((builtin_dir() / "questions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        body = yaml.safe_dump(
            {lang: data["translations"]["en"]}, allow_unicode=True, sort_keys=False, width=10_000
        )
        write(
            folder / "questions" / path.name,
            f"id: {data['id']}\ntranslations:\n" + "".join(f"  {line}\n" for line in body.splitlines()),
        )
    return folder


def test_added_language_complete(tmp_path, open_pdf):
    folder = spanish_folder(tmp_path)
    kb = kit.load_content(folder)
    assert kb.languages == ["fr", "en", "es"]
    builtin = kit.load_content()
    for question in kb.questions:
        assert question.translations["es"] == builtin.question(question.id).translations["en"]
        assert question.translations["fr"] == builtin.question(question.id).translations["fr"]
    assert {t.id for t in kb.shared.glossary} == {t.id for t in builtin.shared.glossary}
    assert all("es" in t.translations and "fr" in t.translations for t in kb.shared.glossary)
    path, built = kit.build_poster(
        kit.load_project(content=folder, check=False), QUESTION, lang="es", out_file=tmp_path / "es.pdf"
    )
    assert open_pdf(path).lang == "es"
    assert squash(builtin.question(QUESTION).translations["en"].hook) in squash(open_pdf(path).flat_text())


def test_added_language_incomplete_is_reported_field_by_field(tmp_path):
    folder = spanish_folder(tmp_path)
    path = folder / "questions" / f"{QUESTION}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["translations"]["es"]["benefit"]
    del data["translations"]["es"]["advisor"]
    write(
        path,
        "# Spanish, not finished\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000),
    )
    es_line = line_of(path, "  es:")
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    problems = info.value.problems
    assert {(p.field, p.file, p.line) for p in problems} == {
        ("translations.es.benefit", str(path), es_line),
        ("translations.es.advisor", str(path), es_line),
    }, problems
    assert all("missing" in p.message for p in problems)
    assert f"{path}, line {es_line}, field 'translations.es.benefit'" in str(info.value)


def test_added_language_missing_in_a_question_and_a_shared_block(tmp_path):
    folder = spanish_folder(tmp_path, "de")  # German: no built-in text at all (Spanish has partial ones)
    (folder / "questions" / "why-use-data.yaml").unlink()
    shared = folder / "shared.yaml"
    data = yaml.safe_load(shared.read_text(encoding="utf-8"))
    del data["labels"]
    write(shared, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    found = {(p.field, Path(p.file).name) for p in info.value.problems}
    assert found == {("translations.de", "why-use-data.yaml"), ("labels.de", "shared.yaml")}, (
        info.value.problems
    )
    messages = " ".join(p.message for p in info.value.problems)
    assert "why-use-data" in messages and "'de'" in messages


# --- glossary ---------------------------------------------------------------------------------------


def test_glossary_term_added_and_one_overridden(tmp_path):
    folder = user_folder(tmp_path)
    write(
        folder / "shared.yaml",
        """\
glossary:
  - id: entrepot-de-donnees
    translations:
      fr: {term: "Entrepôt de données", explanation: "Une base où un hôpital rassemble des données pour la recherche."}
      en: {term: "Data warehouse", explanation: "A database where a hospital gathers data for research."}
  - id: cnil
    translations:
      fr: {explanation: "L'autorité qui protège vos données personnelles en France."}
""",
    )
    builtin = kit.load_content().shared.glossary
    glossary = {term.id: term for term in kit.load_content(folder).shared.glossary}
    assert set(glossary) == {t.id for t in builtin} | {"entrepot-de-donnees"}
    assert len(glossary) == len(builtin) + 1
    added = glossary["entrepot-de-donnees"].translations
    assert added["fr"].term == "Entrepôt de données" and added["en"].term == "Data warehouse"
    # A term merged by id: only the field given changes.
    cnil = next(t for t in builtin if t.id == "cnil")
    assert (
        glossary["cnil"].translations["fr"].explanation
        == "L'autorité qui protège vos données personnelles en France."
    )
    assert glossary["cnil"].translations["fr"].term == cnil.translations["fr"].term
    assert glossary["cnil"].translations["fr"].falc == cnil.translations["fr"].falc
    assert glossary["cnil"].translations["en"] == cnil.translations["en"]
    # Every other shared block is the built-in one.
    assert kit.load_content(folder).shared.labels == kit.load_content().shared.labels


def test_glossary_term_incomplete_points_at_the_users_file(tmp_path):
    folder = user_folder(tmp_path)
    path = write(
        folder / "shared.yaml",
        """\
glossary:
  - id: entrepot-de-donnees
    translations:
      fr: {term: "Entrepôt de données", explanation: "Une base où un hôpital rassemble des données."}
""",
    )
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert "entrepot-de-donnees" in problem.message and "'en'" in problem.message


# --- errors in the user's files -----------------------------------------------------------------------


def test_error_in_override_points_at_the_users_file(tmp_path):
    folder = user_folder(tmp_path)
    path = write(
        folder / "questions" / f"{QUESTION}.yaml",
        f"""\
# my changes
id: {QUESTION}
translations:
  en:
    hokk: "a typo"
  fr:
    links:
      - label: "Notre page"
        url: http://www.example.org/donnees
        qr: true
""",
    )
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    problems = {p.field: p for p in info.value.problems}
    assert set(problems) == {"translations.en.hokk", "translations.fr.links.0.url"}, info.value.problems
    assert problems["translations.en.hokk"].file == str(path)
    assert problems["translations.en.hokk"].line == line_of(path, "hokk")
    assert "unknown field" in problems["translations.en.hokk"].message
    assert problems["translations.fr.links.0.url"].file == str(path)
    assert problems["translations.fr.links.0.url"].line == line_of(path, "url:")
    builtin_file = str(builtin_dir() / "questions" / f"{QUESTION}.yaml")
    assert builtin_file not in str(info.value)


def test_too_long_hook_in_override_points_at_the_users_file(tmp_path):
    folder = user_folder(tmp_path)
    path = write(
        folder / "questions" / f"{QUESTION}.yaml",
        f"""\
id: {QUESTION}
translations:
  fr:
    hook: "Un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze."
""",
    )
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    (problem,) = info.value.problems
    assert problem.file == str(path)
    assert problem.line in (line_of(path, "fr:"), line_of(path, "hook:"))
    assert "14 words" in problem.message


def test_error_in_users_kit_yaml(tmp_path):
    folder = user_folder(tmp_path)
    path = write(folder / "kit.yaml", "# mine\nlanguages: [fr, en]\nreviewd_by: [me]\n")
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 3, "reviewd_by")


def test_yaml_syntax_error_in_users_file(tmp_path):
    folder = user_folder(tmp_path)
    path = write(
        folder / "questions" / f"{QUESTION}.yaml",
        f'id: {QUESTION}\ntranslations:\n  fr:\n    hook: "unclosed\n',
    )
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    assert any(p.file == str(path) and p.line for p in info.value.problems), info.value.problems


def test_override_through_the_cli(hook_override, tmp_path, run_kit, open_pdf):
    result = run_kit(
        "poster", QUESTION, "--lang", "fr", "--content", hook_override, "--out", "p.pdf", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert squash(NEW_HOOK) in squash(open_pdf(tmp_path / "p.pdf").flat_text())
    write(
        hook_override / "questions" / f"{QUESTION}.yaml",
        f"id: {QUESTION}\ntranslations:\n  fr:\n    hokk: x\n",
    )
    result = run_kit(
        "poster", QUESTION, "--lang", "fr", "--content", hook_override, "--out", "q.pdf", cwd=tmp_path
    )
    assert result.returncode == 3
    assert f"{QUESTION}.yaml, line 4, field 'translations.fr.hokk'" in result.stderr
    assert str(hook_override) in result.stderr
