"""Declared layouts: built-in declarations, a user's own layout in a `kit init` project, declaration errors."""

from __future__ import annotations

import json

import pytest

import kit
from kit.layouts import Layout, LayoutRegistry
from kit.resources import layouts_dir
from kit.specs import DocSpec

FLYER_DECLARATION = """\
# A notice for a notice board: one question and its short answer, in A4.
name: notice
description: "a notice for the notice board"
template: notice.html
file: "notice-{question}-{format}"
context: question
in_kit: {questions: each, formats: chosen, order: 9}
pdf:
  stylesheets: [css/fonts.css, css/base.css]
  formats: [A4]
  pages: 1
  qr_mm: {A4: 30}
advice: "Shorten the question's answer ('short')."
"""

FLYER_TEMPLATE = """\
{% extends "base.html" %}
{% from "macros.html" import qr_block with context %}
{% block body %}
<main data-fit="notice">
  <h1>{{ text.question }}</h1>
  <p>{{ text.short }}</p>
  <p class="notice-mark">NOTICE-{{ question_id }}</p>
  {{ qr_block(qr, labels) }}
</main>
{% endblock %}
"""


def test_every_builtin_layout_is_declared():
    registry = LayoutRegistry.load([layouts_dir()])
    names = {(layout.name, layout.level) for layout in registry}
    assert names == {
        ("poster", "standard"),
        ("summary-poster", "standard"),
        ("leaflet", "standard"),
        ("letter", "standard"),
        ("letter", "falc"),
        ("letters", "standard"),
        ("letters", "falc"),
        ("poster", "falc"),
        ("booklet", "falc"),
        ("leaflet", "falc"),
        ("event-poster", "standard"),
        ("invitation", "standard"),
        ("guide", "standard"),
        ("memo", "standard"),
        ("feedback", "standard"),
        ("print-sheet", "standard"),
        ("pocket-card", "standard"),
        ("door-hanger", "standard"),
        ("mediator-sheet", "standard"),
        # the companion site (kit site), the HTML channel
        ("site-languages", "standard"),
        ("site-home", "standard"),
        ("site-question", "standard"),
        ("site-home", "falc"),
        ("site-question", "falc"),
        ("site-glossary", "standard"),
        ("site-about", "standard"),
        ("site-changes", "standard"),
        ("site-stories", "standard"),
        ("site-not-found", "standard"),
        ("site-library", "standard"),
        # the screen and message channels
        ("card", "standard"),
        ("card", "falc"),
        ("story-card", "standard"),
        ("slides", "standard"),
        ("screen-home", "standard"),
        ("screen-question", "standard"),
        ("screen-story", "standard"),
        ("screen-rights", "standard"),
        ("screen-loop", "standard"),
        ("newsletter", "standard"),
        ("sms", "standard"),
    }
    # The layouts made from the texts partial languages have (kit.yaml partial_languages).
    assert {layout.name for layout in registry if layout.partial} == {
        "booklet",
        "leaflet",
        "pocket-card",
        "door-hanger",
        "mediator-sheet",
    }
    assert not registry.get("leaflet").partial and registry.get("leaflet", "falc").partial

    for layout in registry:
        assert (layouts_dir() / layout.template).is_file(), layout.template
        assert (layout.channel == "html") == (layout.html is not None), layout.name
        part = layout.pdf or layout.html or layout.screen
        for sheet in part.stylesheets if part else ():
            assert (layouts_dir() / sheet).is_file(), sheet
        if layout.message and layout.message.text_template:
            assert (layouts_dir() / layout.message.text_template).is_file()


def test_print_hint_never_fails():
    registry = LayoutRegistry.load([layouts_dir()])
    poster = registry.get("poster")
    assert poster.print_hint(DocSpec("poster", "fr", "A3", ("x",))).startswith("A3 paper")
    assert poster.print_hint(DocSpec("poster", "fr", "B5", ("x",))) == "B5 paper, actual size"


def test_a_user_layout_in_a_kit_init_project(tmp_path, run_kit, open_pdf):
    """A layout of the user's own (declaration + template in the project's layouts/) is built and listed."""
    assert run_kit("init", "proj", cwd=tmp_path).returncode == 0
    folder = tmp_path / "proj"
    (folder / "layouts" / "notice.layout.yaml").write_text(FLYER_DECLARATION, encoding="utf-8")
    (folder / "layouts" / "notice.html").write_text(FLYER_TEMPLATE, encoding="utf-8")
    listed = run_kit("list", cwd=folder)
    assert listed.returncode == 0 and "notice" in listed.stdout, listed.stderr
    build = run_kit(
        "build", "--out", "out", "--lang", "fr", "--format", "A4", "--level", "standard", cwd=folder
    )
    assert build.returncode == 0, build.stderr
    manifest = json.loads((folder / "out" / "manifest.json").read_text())
    notices = [d for d in manifest["documents"] if d["layout"] == "notice"]
    assert len(notices) == len(kit.load_content(folder / "content").questions)
    first = notices[0]
    # kit init's kit.toml names a default place (france-services): its line and name ending are added.
    assert (
        first["path"] == f"fr/notice-{first['questions'][0]}-A4-france-services.pdf"
        and first["channel"] == "pdf"
    )
    pdf = open_pdf(folder / "out" / first["path"])
    assert f"NOTICE-{first['questions'][0]}" in pdf.flat_text()
    assert pdf.qr_codes() == [first["qr"][0]["url"]]


def test_declaration_errors_name_file_line_and_field(tmp_path):
    (tmp_path / "bad.layout.yaml").write_text(
        "name: bad\ntemplate: poster.html\ncontext: question\npdf:\n  stylesheets: [css/base.css]\n"
        "  formats: [A5]\n  pagez: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(kit.LayoutError) as info:
        kit.load_project(layouts=(tmp_path,), check=False)
    problems = {p.field: p for p in info.value.problems}
    assert problems["pdf.formats.0"].line == 6 and problems["pdf.formats.0"].file.endswith("bad.layout.yaml")
    assert problems["pdf.pagez"].line == 7 and "unknown field" in problems["pdf.pagez"].message


def test_a_declaration_naming_an_unknown_context(tmp_path):
    (tmp_path / "odd.layout.yaml").write_text(
        "name: odd\ntemplate: poster.html\ncontext: horoscope\npdf:\n  stylesheets: [css/base.css]\n"
        "  formats: [A4]\n",
        encoding="utf-8",
    )
    with pytest.raises(kit.ConfigError, match="horoscope"):
        kit.load_project(layouts=(tmp_path,), check=False)


def test_qr_size_from_the_reading_distance():
    """A tenth of the distance where the page has room; the room itself when the distance asks for more; a
    handout never under 30 mm; without a distance, qr_mm is the size (users' own declarations)."""
    registry = LayoutRegistry.load([layouts_dir()])
    poster, leaflet = registry.get("poster"), registry.get("leaflet")
    assert poster.distance_m(DocSpec("poster", "fr", "A3", ("x",))) == 2.0
    assert poster.qr_mm(DocSpec("poster", "fr", "A4", ("x",))) == 66  # 1.5 m wants 150 mm: the page gives 66
    assert poster.qr_mm(DocSpec("poster", "fr", "A2", ("x",))) == 140
    assert leaflet.qr_mm(DocSpec("leaflet", "fr", "A4", ())) == 30  # 0.3 m: 30 mm
    near = Layout.model_validate(
        {
            "name": "near",
            "template": "t.html",
            "context": "question",
            "pdf": {"stylesheets": ["a.css"], "formats": ["A4"], "distance_m": 0.1, "qr_mm": 40},
        }
    )
    assert near.qr_mm(DocSpec("near", "fr", "A4", ())) == 20  # never under 20 mm
    plain = Layout.model_validate(
        {
            "name": "plain",
            "template": "t.html",
            "context": "question",
            "pdf": {"stylesheets": ["a.css"], "formats": ["A4"], "qr_mm": 27},
        }
    )
    assert plain.qr_mm(DocSpec("plain", "fr", "A4", ())) == 27


def test_declarations_that_break_the_rules_are_refused():
    from pydantic import ValidationError

    base = {"template": "t.html", "context": "question"}
    with pytest.raises(ValidationError, match="at least 30 mm"):
        Layout.model_validate(
            {
                **base,
                "name": "flyer",
                "pdf": {"stylesheets": ["a.css"], "formats": ["A4"], "handout": True, "qr_mm": 25},
            }
        )
    with pytest.raises(ValidationError, match="never under 16 pt"):
        Layout.model_validate(
            {
                **base,
                "name": "easy",
                "level": "falc",
                "pdf": {"stylesheets": ["a.css"], "formats": ["A4"], "copyfit": [14, 20]},
            }
        )
    with pytest.raises(ValidationError, match="smallest first"):
        Layout.model_validate(
            {
                **base,
                "name": "odd",
                "pdf": {"stylesheets": ["a.css"], "formats": ["A4"], "copyfit": {"A4": [20, 12]}},
            }
        )
    with pytest.raises(ValidationError, match="outside the copyfit range A3"):
        Layout.model_validate(
            {
                **base,
                "name": "odd",
                "pdf": {
                    "stylesheets": ["a.css"],
                    "formats": ["A4", "A3"],
                    "copyfit": {"A4": [12, 20], "A3": [16, 30]},
                    "copyfit_first": {"A4": 14, "A3": 31},
                },
            }
        )
    with pytest.raises(ValidationError, match="as the copyfit range is given"):
        Layout.model_validate(
            {**base, "name": "odd", "pdf": {"stylesheets": ["a.css"], "formats": ["A4"], "copyfit_first": 14}}
        )
