"""Benefit stories as content (kit/knowledge/stories.yaml): loaded, merged by id, and held to `kit check`'s rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import kit
from kit.check import check_content, format_report
from kit.content import words
from kit.resources import content_dir, pictogram_path

STORIES = "stories.yaml"


def today() -> dt.date:
    return kit.load_content().meta.date + dt.timedelta(days=30)


def line_of(path: Path, snippet: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if snippet in line
    )


def test_built_in_stories_are_complete_and_sourced():
    kb = kit.load_content()
    assert len(kb.stories) >= 6
    for story in kb.stories:
        assert set(story.translations) == set(kb.languages), story.id
        assert story.questions and set(story.questions) <= set(kb.question_ids), story.id
        assert pictogram_path(story.pictogram).is_file()
        assert story.source.url.startswith("https://") and story.source.year, story.id
        for lang, text in story.translations.items():
            assert 40 <= len(words(text.story)) <= 80, (story.id, lang, len(words(text.story)))
            assert 3 <= len(text.falc) <= 5, (story.id, lang)
            assert all(len(words(item.text)) <= 12 for item in text.falc), (story.id, lang)
    # Every question has a story to tell.
    assert all(kb.stories_for(qid) for qid in kb.question_ids)


def test_the_built_in_stories_pass_kit_check():
    report = check_content(today=today())
    assert not [f for f in report.findings if f.question and f.question.startswith("stories/")], (
        format_report(report)
    )


def test_nothing_marked_unverified_is_printed():
    """The research notes list what could not be verified: no story prints it, and no link is a tracked copy."""
    kb = kit.load_content()
    for story in kb.stories:
        for source in story.sources:
            assert not source.url or "sendgrid" not in source.url and "..." not in source.url, source.url
        for text in story.translations.values():
            assert "décret" not in text.story.lower()  # ovarian cancer: the decree link is unproven
    lead = kb.story("hospital-warehouse-covid-lead")
    assert "piste" in lead.translations["fr"].story and "lead" in lead.translations["en"].story


@pytest.fixture
def stories_copy(content_copy) -> Path:
    return content_copy / STORIES


CASES = [  # (old text, new text, the rule it breaks)
    (
        "title: Le traitement du père compte aussi",
        "title: Le traitement du père compte aussi pour les enfants qui naissent plus tard en France",
        "length",
    ),
    (
        "      - text: Certains pères prenaient un médicament contre l'épilepsie.",
        "      - text: Certains pères prenaient un médicament ; contre l'épilepsie.",
        "falc-semicolon",
    ),
    (
        "    url: https://pubmed.ncbi.nlm.nih.gov/36797128/",
        "    url: https://example.com/36797128/",
        "link-host",
    ),
]


@pytest.mark.parametrize("old, new, rule", CASES, ids=[c[2] for c in CASES])
def test_story_rules(stories_copy, edit_file, old, new, rule):
    edit_file(stories_copy, old, new)
    report = check_content(stories_copy.parent, today=today())
    found = [(f.rule, Path(f.file).name, f.line) for f in report.findings if f.severity == "error"]
    assert found == [(rule, STORIES, line_of(stories_copy, new.strip().split("\n")[0][:40]))], format_report(
        report
    )


def test_a_story_too_long_and_one_too_short(stories_copy):
    data = yaml.safe_load(stories_copy.read_text(encoding="utf-8"))
    data["stories"][0]["translations"]["fr"]["story"] += " Encore des mots." * 10
    data["stories"][1]["translations"]["en"]["story"] = "Too short a story to tell anything."
    stories_copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = check_content(stories_copy.parent, today=today())
    lengths = {(f.severity, f.field) for f in report.findings if f.rule == "length"}
    assert lengths == {
        ("error", "stories.0.translations.fr.story"),
        ("warning", "stories.1.translations.en.story"),
    }


def test_a_story_needs_a_source_with_an_address(stories_copy):
    data = yaml.safe_load(stories_copy.read_text(encoding="utf-8"))
    for source in data["stories"][2]["sources"]:
        source.pop("url", None)
    stories_copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = check_content(stories_copy.parent, today=today())
    assert [(f.rule, f.field) for f in report.errors] == [("story-source", "stories.2.sources")], (
        format_report(report)
    )


def test_press_hosts_are_for_story_sources_only(content_copy, edit_file):
    """review.yaml story_hosts lets a story cite the press; a question may not link there."""
    edit_file(
        content_copy / "questions" / "wrong-hands.yaml",
        "url: https://www.cnil.fr/fr/sante",
        "url: https://www.lci.fr/sante/un-article",
    )
    report = check_content(content_copy, today=today())
    assert [(f.rule, f.question) for f in report.errors] == [("link-host", "wrong-hands")], format_report(
        report
    )


def test_loading_problems_name_the_story(stories_copy, edit_file):
    edit_file(stories_copy, "pictogram: pill\n", "pictogram: no-such-picture\n")
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(stories_copy.parent)
    got = {(p.rule, p.field) for p in info.value.problems}
    assert got == {("pictogram", "stories.5.pictogram")}, got
    assert all(p.file == str(stories_copy) and p.line for p in info.value.problems)


def test_a_story_about_a_question_the_content_has_not(stories_copy, edit_file):
    """A question removed on purpose leaves its stories: kit check warns, the story is told without it."""
    edit_file(stories_copy, "  - why-use-data\n  - wrong-hands\n", "  - why-use-data\n  - no-such-question\n")
    report = check_content(stories_copy.parent, today=today())
    assert [(f.severity, f.rule, f.field) for f in report.findings if f.severity != "note"] == [
        ("warning", "consistency", "stories.0.questions.1")
    ], format_report(report)
    kb = kit.load_content(stories_copy.parent)
    assert kb.story_questions(kb.stories[0]) == ["why-use-data"]


def test_a_user_changes_a_story_and_adds_one(tmp_path):
    """A user's stories.yaml is merged over kit's, story by story (by id), field by field."""
    folder = tmp_path / "content"
    folder.mkdir()
    builtin = yaml.safe_load((content_dir() / STORIES).read_text(encoding="utf-8"))["stories"]
    new = dict(builtin[0], id="local-registry")
    (folder / STORIES).write_text(
        yaml.safe_dump(
            {
                "stories": [
                    {"id": builtin[1]["id"], "translations": {"fr": {"title": "Un titre à nous"}}},
                    new,
                ]
            },
            allow_unicode=True,
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    kb = kit.load_content(folder)
    assert kb.story_ids == [s["id"] for s in builtin] + ["local-registry"]
    changed = kb.story(builtin[1]["id"])
    assert changed.translations["fr"].title == "Un titre à nous"
    assert (
        changed.translations["fr"].story == " ".join(builtin[1]["translations"]["fr"]["story"].split())
        or changed.translations["fr"].story == builtin[1]["translations"]["fr"]["story"].strip()
    )
    assert changed.translations["en"].title == builtin[1]["translations"]["en"]["title"]


def test_kit_toml_story_must_exist(tmp_path):
    (tmp_path / "kit.toml").write_text('[build]\nstory = "no-such-story"\n', encoding="utf-8")
    from kit.project import Settings

    with pytest.raises(kit.ConfigError, match="no story 'no-such-story'"):
        kit.load_project(Settings(config=tmp_path / "kit.toml"))


def test_a_story_not_yet_translated_is_told_only_where_it_is_written(stories_copy):
    data = yaml.safe_load(stories_copy.read_text(encoding="utf-8"))
    missing = data["stories"][3]
    del missing["translations"]["en"]
    stories_copy.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = check_content(stories_copy.parent, today=today())
    assert [(f.severity, f.rule, f.lang) for f in report.findings if f.severity != "note"] == [
        ("warning", "consistency", "en")
    ], format_report(report)
    from kit.plan import plan_kit

    project = kit.load_project(content=stories_copy.parent)
    cards = [d.spec for d in plan_kit(project, channels="social", sizes="1080x1080") if d.spec.story]
    assert missing["id"] in {s.story for s in cards if s.lang == "fr"}
    assert missing["id"] not in {s.story for s in cards if s.lang == "en"}
    assert len([s for s in cards if s.lang == "en"]) == len(project.kb.stories) - 1


def test_the_facilitator_guide_tells_a_story_per_question(open_pdf, tmp_path):
    """The Café IA guide: under each question, a story that illustrates it (each story once)."""
    from kit.build import Builder
    from kit.plan import planned
    from kit.specs import DocSpec

    project = kit.load_project()
    kb = project.kb
    doc = planned(project, DocSpec("guide", "fr", "A4", tuple(kb.question_ids)))
    prepared, _ = Builder(project).prepare(doc)
    stories = prepared.context["stories"]
    assert set(stories) == set(kb.question_ids)
    assert len({s["id"] for s in stories.values()}) == len(stories)
    assert all(qid in kb.story(s["id"]).questions for qid, s in stories.items())
    Builder(project).build(doc, tmp_path / "guide.pdf")
    text = " ".join(
        open_pdf(tmp_path / "guide.pdf").flat_text(p) for p in range(open_pdf(tmp_path / "guide.pdf").pages)
    )
    for story in stories.values():
        assert story["title"].split(" :")[0] in text


def test_the_site_has_a_page_of_stories(built_site, site_project):
    """Each story at its #id (where cards, slides and the newsletter lead), its sources linked, its questions; the
    menu of every page leads there; the JSON export carries the stories."""
    import json

    _, project = site_project
    kb = project.kb
    for lang, path in (("fr", "fr/histoires/"), ("en", "en/stories/")):
        page = (built_site / path / "index.html").read_text(encoding="utf-8")
        for story in kb.stories_in(lang):
            assert f'<article class="box story" id="{story.id}"' in page
            assert all(f'href="{source.url}"' in page for source in story.sources if source.url)
            assert story.translations[lang].falc[0].text.split()[0] in page
        home = (built_site / lang / "index.html").read_text(encoding="utf-8")
        assert f'href="{path.split("/", 1)[1]}index.html"' in home  # the menu, relative from {lang}/
        exported = json.loads((built_site / "data" / f"{lang}.json").read_text(encoding="utf-8"))["stories"]
        assert [s["id"] for s in exported] == [s.id for s in kb.stories_in(lang)]
        assert exported[0]["page"]["path"] == path and exported[0]["page"]["anchor"] == exported[0]["id"]
