"""The Jinja2 environment: autoescape, StrictUndefined, user folders first, `!base/` reaches the built-in."""

from __future__ import annotations

import pytest

import kit
from kit.templates import Layouts, breakable_url, paragraphs


def test_autoescape_prints_html_literally(tmp_path):
    (tmp_path / "t.html").write_text("<p>{{ value }}</p>")
    html = Layouts([tmp_path]).render("t.html", {"value": "<b>x</b> & <script>"})
    assert html.strip() == "<p>&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;</p>"


def test_undefined_value_is_a_layout_error(tmp_path):
    (tmp_path / "t.html").write_text("{{ missing.value }}")
    with pytest.raises(kit.LayoutError, match="does not exist"):
        Layouts([tmp_path]).render("t.html", {})


def test_user_template_overrides_and_extends_builtin(tmp_path):
    (tmp_path / "base.html").write_text(
        '{% extends "!base/base.html" %}{% block head %}<meta name="custom" content="yes">{% endblock %}'
    )
    layouts = Layouts([tmp_path])
    doc = {
        "lang": "fr",
        "dir": "ltr",
        "title": "T",
        "author": "A",
        "subject": "S",
        "keywords": "K",
        "kit_version": "0",
        "created": "2026-01-01T00:00:00+00:00",
        "bw": False,
        "bleed": 0,
    }
    html = layouts.render("base.html", {"doc": doc})
    assert '<meta name="custom" content="yes">' in html
    assert '<html lang="fr"' in html


def test_user_poster_override_is_used_for_a_build(tmp_path, open_pdf):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "poster.html").write_text(
        '{% extends "!base/poster.html" %}{% block body %}<p>OVERRIDDEN {{ text.hook }}</p>{% endblock %}'
    )
    target, _ = kit.build_poster(
        kit.load_project(layouts=tuple([layouts])),
        "wrong-hands",
        lang="fr",
        format="A3",
        out_file=tmp_path / "p.pdf",
    )
    assert "OVERRIDDEN" in open_pdf(target).flat_text()


def test_missing_layouts_folder(tmp_path):
    with pytest.raises(kit.LayoutError, match="does not exist"):
        Layouts([tmp_path / "nope"])


def test_filters():
    assert paragraphs("a\nb\n\n c ") == ["a b", "c"]
    # Printed without https://, breaking only after '/': never at '-' or '.', which look like hyphenation.
    assert str(breakable_url("https://a.fr/x-y.z/w?z=<w>")) == (
        '<span class="u">a.fr/</span><wbr><span class="u">x-y.z/</span><wbr><span class="u">w?z=&lt;w&gt;</span>'
    )
    assert str(breakable_url("contact@exemple-sante.fr")) == '<span class="u">contact@exemple-sante.fr</span>'
    from kit.templates import sentences

    assert sentences("Un. Deux ? Trois !  Quatre") == ["Un.", "Deux ?", "Trois !", "Quatre"]


def test_easy_to_read_filters(tmp_path):
    (tmp_path / "t.html").write_text("{{ text | keyword }}")
    layouts = Layouts([tmp_path])
    html = layouts.render(
        "t.html", {"doc": {"lang": "fr", "typography": "french"}, "text": "A-t-on **le droit** <x> ?"}
    )
    assert html == '<span class="u">A-t-on</span> <strong>le droit</strong> &lt;x&gt;\u00a0?'
    html = layouts.render("t.html", {"doc": {"lang": "en"}, "text": "Well-kept data ?"})
    assert html == '<span class="u">Well-kept</span> data ?'


def test_french_spacing_keeps_punctuation_with_its_word():
    from kit.templates import french_spacing

    assert (
        french_spacing("Pourquoi ? Voici : « oui » ; non !")
        == "Pourquoi\u00a0? Voici\u00a0: «\u00a0oui\u00a0»\u00a0; non\u00a0!"
    )
    assert french_spacing("https://a.fr") == "https://a.fr"


def test_french_spacing_keeps_a_number_whole():
    """A story card cut '55 000 à 7 / 900' at a line's end: the groups of a number and its % stay together."""
    from kit.templates import french_spacing

    assert french_spacing("de 55 000 à 7 900, soit 93 %") == "de 55\u00a0000 à 7\u00a0900, soit 93\u00a0%"
    assert (
        french_spacing("en 2018 2 000 cas") == "en 2018 2\u00a0000 cas"
    )  # a year beside a number stays apart
    assert french_spacing("06 12 34 56 78") == "06 12 34 56 78"  # a phone number keeps its breaks


def test_french_spacing_only_in_french_documents(tmp_path):
    (tmp_path / "t.html").write_text("{{ text }}|{{ url }}")
    layouts = Layouts([tmp_path])
    from kit.templates import breakable_url

    fr = layouts.render(
        "t.html",
        {
            "doc": {"lang": "fr", "typography": "french"},
            "text": "Quoi ?",
            "url": breakable_url("https://a.fr/?x"),
        },
    )
    en = layouts.render("t.html", {"doc": {"lang": "en"}, "text": "What ?", "url": "x"})
    assert fr.startswith('Quoi\u00a0?|<span class="u">a.fr/</span>') and en.startswith("What ?|")


def test_contact_lines_break_only_where_they_should(tmp_path):
    """E-mail addresses break only after their '@'; phone numbers and hyphenated words never break."""
    (tmp_path / "t.html").write_text("{{ text | contact }}")
    layouts = Layouts([tmp_path])
    html = layouts.render(
        "t.html",
        {
            "text": "contact@exemple-sante.fr · 01 23 45 67 89 · sans rendez-vous",
            "doc": {"typography": "french"},
        },
    )
    assert '<span class="u">contact@</span><wbr><span class="u">exemple-sante.fr</span>' in html
    assert '<span class="u">01 23 45 67 89</span>' in html
    assert '<span class="u">rendez-vous</span>' in html
    assert "&lt;" in layouts.render("t.html", {"text": "<b>a@b.fr</b>", "doc": {"typography": "plain"}})


def test_no_widow_joins_the_last_two_words():
    from kit.templates import no_widow

    assert no_widow("Les médecins soignent tout le monde.") == "Les médecins soignent tout le\u00a0monde."
    assert no_widow("Tout le monde ?") == "Tout le\u00a0monde ?"
    assert no_widow("Deux mots.") == "Deux mots."
