"""Loading the knowledge base: the built-in one is valid; each kind of mistake is named with file, line, field."""

from __future__ import annotations

import pytest

import kit
from kit.content import CONTENT_FILES, load_content, words


def test_builtin_content_is_complete():
    kb = load_content()
    assert kb.languages[:2] == ["fr", "en"]
    assert kb.question_ids == ["why-use-data", "know-before-me", "wrong-hands", "without-consent"]
    for question in kb.questions:
        for lang in kb.languages:
            text = question.translations[lang]
            assert len(words(text.hook)) <= 12
            assert 50 <= len(words(text.short)) <= 110, (question.id, lang)
            assert 200 <= len(words(text.detail)) <= 400, (question.id, lang)
            assert all(len(words(item.text)) <= 12 for item in text.falc)
            assert text.qr_link.url.startswith("https://")
    assert {"rgpd", "cnil"} <= {term.id for term in kb.shared.glossary}


def _error(content_dir) -> kit.ContentError:
    with pytest.raises(kit.ContentError) as info:
        load_content(content_dir)
    return info.value


def test_unknown_key_names_file_line_field(content_copy, edit_file):
    path = content_copy / "questions" / "wrong-hands.yaml"
    edit_file(path, "    hook:", '    hokk: "typo"\n    hook:')
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "hokk" in text)
    error = _error(content_copy)
    (problem,) = error.problems
    assert problem.file == str(path)
    assert problem.line == line
    assert problem.field == "translations.fr.hokk"
    assert "unknown field" in problem.message
    assert f"wrong-hands.yaml, line {line}, field 'translations.fr.hokk'" in str(error)


def test_missing_translation_names_question_language_field(content_copy, edit_file):
    path = content_copy / "questions" / "why-use-data.yaml"
    text = path.read_text(encoding="utf-8")
    en = text.index("  en:")
    start = text.index("    benefit:", en)
    end = text.index("    falc:", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    error = _error(content_copy)
    (problem,) = error.problems
    assert problem.field == "translations.en.benefit"
    assert problem.file.endswith("why-use-data.yaml")
    assert "required" in problem.message


def test_whole_language_missing(content_copy, edit_file):
    # German has no text at all in the content (Spanish is a partial language now: see test_doorstep.py).
    edit_file(content_copy / "kit.yaml", "languages: [fr, en]", "languages: [fr, en, de]")
    error = _error(content_copy)
    messages = [str(p) for p in error.problems]
    assert any("why-use-data" in m and "'de'" in m for m in messages)
    assert any("'summary' has no 'de'" in m for m in messages)
    assert len(error.problems) >= 4  # every question and shared block is named: all errors, reported once


def test_bad_url_is_refused(content_copy, edit_file):
    edit_file(content_copy / "questions" / "wrong-hands.yaml", "url: https://", "url: http://")
    (problem,) = _error(content_copy).problems
    assert "https" in problem.message and problem.field.endswith("url")
    assert problem.line is not None


def test_two_qr_links_are_refused(content_copy, edit_file):
    path = content_copy / "questions" / "without-consent.yaml"
    edit_file(
        path,
        "url: https://www.health-data-hub.fr/projets",
        "url: https://www.health-data-hub.fr/projets\n        qr: true",
    )
    problems = _error(content_copy).problems
    assert any("exactly one link" in p.message for p in problems)


def test_yaml_syntax_error_has_line(content_copy):
    path = content_copy / "shared.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, text in enumerate(lines) if text.startswith("labels:"))
    lines.insert(index + 1, "  fr: [unclosed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = _error(content_copy).problems
    assert problem.file == str(path)
    assert "YAML syntax error" in problem.message
    assert problem.line is not None and problem.line >= index + 1


def test_duplicate_id_and_missing_pictogram(content_copy, edit_file):
    source = content_copy / "questions" / "wrong-hands.yaml"
    (content_copy / "questions" / "zz-copy.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    edit_file(
        content_copy / "questions" / "why-use-data.yaml",
        "pictogram: microscope",
        "pictogram: no-such-picture",
    )
    messages = [str(p) for p in _error(content_copy).problems]
    assert any("already used" in m and "zz-copy.yaml" in m for m in messages)
    assert any("no-such-picture" in m for m in messages)


def test_hook_over_twelve_words(content_copy, edit_file):
    path = content_copy / "questions" / "wrong-hands.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    hook:")
    end = text.index("\n", start)
    path.write_text(
        text[:start]
        + '    hook: "un deux trois quatre cinq six sept huit neuf dix onze douze treize"'
        + text[end:],
        encoding="utf-8",
    )
    (problem,) = _error(content_copy).problems
    assert "13 words" in problem.message


# --- The table of content files and the digest over them (issue 31) -------------------------------------------


def test_every_file_of_kits_content_is_in_the_table():
    """What the built-in folder holds is what the table declares: a file kit ships but does not read would be
    neither checked nor counted in the digest."""
    from kit.resources import content_dir

    root = content_dir()
    declared = {path for entry in CONTENT_FILES for path in entry.paths(root)}
    shipped = {p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert shipped == declared, sorted(str(p.relative_to(root)) for p in shipped ^ declared)
    kb = load_content()
    assert set(kb.parts) == {entry.key for entry in CONTENT_FILES}
    assert kb.part("questions") == kb.questions and kb.part("meta") == kb.meta


@pytest.mark.parametrize("key", [entry.key for entry in CONTENT_FILES])
def test_editing_any_content_file_changes_the_digest(key, content_copy):
    from kit.content import content_digest, content_file

    entry = content_file(key)
    before = load_content(content_copy).digest
    assert before == content_digest(content_copy)
    path = entry.paths(content_copy)[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_content(content_copy).digest != before, path


def test_the_digest_covers_the_users_folder_and_not_where_it_is(tmp_path, content_copy):
    import shutil

    from kit.content import content_digest

    plain = content_digest()
    user = tmp_path / "mine"
    (user / "questions").mkdir(parents=True)
    assert content_digest(user) == plain  # an empty folder adds nothing
    (user / "stories.yaml").write_text("stories: []\n", encoding="utf-8")
    with_stories = content_digest(user)
    assert with_stories != plain
    shutil.move(user / "stories.yaml", user / "questions" / "extra.yaml")
    assert content_digest(user) not in (plain, with_stories)  # the same bytes in another file
    elsewhere = shutil.copytree(content_copy, tmp_path / "elsewhere" / "content")
    assert content_digest(elsewhere) == content_digest(content_copy)  # the folder's place does not count


def test_how_each_file_merges(tmp_path):
    """The table's three ways: field by field (lists replaced), by id, whole."""
    from kit.content import BY_ID, FIELDS, WHOLE, ContentFile, Model, load
    from kit.errors import Problem

    class Notes(Model):
        title: str = ""
        tags: list[str] = []
        items: list[dict] = []

    low, high = tmp_path / "low", tmp_path / "high"
    for folder, text in (
        (low, "title: a\ntags: [x, y]\nitems:\n- {id: one, n: 1, m: 1}\n- {id: two, n: 2}\n"),
        (high, "tags: [z]\nitems:\n- {id: one, n: 9}\n- {id: three, n: 3}\n"),
    ):
        folder.mkdir()
        (folder / "notes.yaml").write_text(text, encoding="utf-8")
    problems: list[Problem] = []

    def merged(merge, by_id=()):
        entry = ContentFile("notes", "notes.yaml", Notes, merge, by_id=by_id)
        return load._read_file(entry, [low, high], problems).data

    assert merged(FIELDS) == {
        "title": "a",
        "tags": ["z"],
        "items": [{"id": "one", "n": 9}, {"id": "three", "n": 3}],
    }
    assert merged(BY_ID, ("items",))["items"] == [
        {"id": "one", "n": 9, "m": 1},
        {"id": "two", "n": 2},
        {"id": "three", "n": 3},
    ]
    assert merged(WHOLE) == {"tags": ["z"], "items": [{"id": "one", "n": 9}, {"id": "three", "n": 3}]}
    assert problems == []
    with pytest.raises(ValueError):
        ContentFile("notes", "notes.yaml", Notes, BY_ID)  # by id: which lists?
