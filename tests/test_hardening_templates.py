"""Hostile layouts (issue 14, item 1): a template in a user's layouts folder can print the document's values, and
nothing else. It cannot reach Python objects, run commands, read files outside its folder, or take the machine's
time and memory: each of these stops with a LayoutError (exit code 4) naming the template and its line.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import kit
from kit.templates import Layouts

QUESTION = "wrong-hands"

# Expressions that reach Python's `os` module, or Python objects, from a template (each one is a known way out
# of an unsandboxed Jinja2 environment). {mark} is a file the command would create.
ESCAPES = {
    "cycler-globals": "{{ cycler.__init__.__globals__.os.popen('touch {mark}').read() }}",
    "joiner-globals": "{{ joiner.__init__.__globals__['os'].system('touch {mark}') }}",
    "namespace-globals": "{{ namespace.__init__.__globals__.os.system('touch {mark}') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].popen('touch {mark}').read() }}",
    "self-context": "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch {mark}') }}",
    "subclasses": "{% for c in ''.__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == 'Popen' %}"
    "{{ c(['touch', '{mark}']) }}{% endif %}{% endfor %}",
    "attr-filter": "{{ (cycler|attr('__init__')|attr('__globals__'))['os'].system('touch {mark}') }}",
    "format-string": "{{ '{0.__init__.__globals__[os]}'.format(cycler) }}",
    "model-class": "{{ text.__class__.__init__.__globals__ }}",
    "list-mutation": "{% set keep = doc.keywords %}{{ labels.__dict__.update({'campaign': 'x'}) }}",
}


def user_layout(tmp_path: Path, body: str, name: str = "poster.html") -> Path:
    """A layouts folder whose poster extends kit's own and adds ``body`` in its 'extra' block (line 2)."""
    folder = tmp_path / "layouts"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(
        '{% extends "!base/poster.html" %}\n{% block extra %}' + body + "{% endblock %}\n", encoding="utf-8"
    )
    return folder


def layout_error(tmp_path: Path, body: str) -> kit.LayoutError:
    folder = user_layout(tmp_path, body)
    project = kit.load_project(layouts=(folder,), check=False)
    with pytest.raises(kit.LayoutError) as info:
        kit.build_poster(project, QUESTION, lang="fr", out_file=tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()
    return info.value


@pytest.mark.parametrize("name", list(ESCAPES))
def test_a_layout_cannot_reach_python(tmp_path, name):
    mark = tmp_path / "pwned"
    error = layout_error(tmp_path, ESCAPES[name].replace("{mark}", str(mark)))
    assert not mark.exists(), "the template ran a command"
    message = str(error)
    assert str(tmp_path / "layouts" / "poster.html") in message and "line 2" in message, message
    assert "may not use" in message or "does not exist" in message, message


def test_the_cli_says_which_template_and_runs_nothing(tmp_path, run_kit):
    mark = tmp_path / "pwned"
    user_layout(tmp_path, ESCAPES["cycler-globals"].replace("{mark}", str(mark)))
    (tmp_path / "kit.toml").write_text('[organisation]\nname = "Maison Santé Nord"\n', encoding="utf-8")
    result = run_kit("poster", QUESTION, "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 4, result.stderr
    assert not mark.exists()
    assert "Traceback" not in result.stderr and "nexpected" not in result.stderr
    assert "layouts/poster.html" in result.stderr and "line 2" in result.stderr
    assert "__init__" in result.stderr  # what it asked for, so that the author can find it


HOGS = {
    "repeat-text": "{{ 'x' * 1000000000 }}",
    "repeat-list": "{{ [1, 2] * 1000000000 }}",
    "power": "{{ 9 ** 999999999 }}",
    "percent-width": "{{ '%999999999d' % 1 }}",
    "format-width": "{{ '{:>999999999}'.format(1) }}",
    "center-filter": "{{ 'x'|center(2000000000) }}",
    "doubling": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    "{{ ns.s|length }}",
}


@pytest.mark.parametrize("name", list(HOGS))
def test_a_layout_cannot_take_all_memory(tmp_path, name):
    started = time.monotonic()
    error = layout_error(tmp_path, HOGS[name])
    assert time.monotonic() - started < 60
    message = str(error)
    assert ("too large" in message or "memory" in message) and "line 2" in message, message


def test_a_layout_cannot_take_all_time(tmp_path, monkeypatch):
    import kit.templates

    monkeypatch.setattr(kit.templates, "MAX_TEMPLATE_SECONDS", 2)
    started = time.monotonic()
    error = layout_error(
        tmp_path, "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
    )
    assert time.monotonic() - started < 30
    assert "2 seconds" in str(error) and "poster.html" in str(error), str(error)


def test_a_layout_that_calls_itself_without_end(tmp_path):
    error = layout_error(tmp_path, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}")
    assert "calls itself" in str(error) and "poster.html" in str(error), str(error)


def test_a_layout_cannot_print_a_huge_document(tmp_path, monkeypatch):
    import kit.templates

    monkeypatch.setattr(kit.templates, "MAX_TEMPLATE_CHARS", 1_000_000)
    error = layout_error(tmp_path, "{% for a in range(100000) %}{{ doc.credits }}{% endfor %}")
    assert "1,000,000 characters" in str(error), str(error)


def test_a_link_in_the_layouts_folder_cannot_reach_outside_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-VALUE", encoding="utf-8")
    folder = user_layout(tmp_path, '{% include "notes.html" %}')
    os.symlink(secret, folder / "notes.html")
    project = kit.load_project(layouts=(folder,), check=False)
    with pytest.raises(kit.LayoutError) as info:
        kit.build_poster(project, QUESTION, lang="fr", out_file=tmp_path / "p.pdf")
    assert "notes.html" in str(info.value) and "outside" in str(info.value), str(info.value)
    assert "SECRET-VALUE" not in str(info.value)


def test_a_stylesheet_link_cannot_reach_outside_the_layouts_folder(tmp_path):
    outside = tmp_path / "elsewhere.css"
    outside.write_text("body { color: red }", encoding="utf-8")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "css").mkdir()
    os.symlink(outside, tmp_path / "layouts" / "css" / "poster.css")
    layouts = Layouts([tmp_path / "layouts"])
    with pytest.raises(kit.LayoutError, match="outside"):
        layouts.find("css/poster.css")


def test_templates_keep_working_in_the_sandbox(tmp_path):
    """Filters, macros imported with context, `!base/`, loops, sets and dictionaries: what layouts use."""
    (tmp_path / "macros.html").write_text(
        "{% macro label(x) %}{{ x | colon }} {{ doc.lang }}{% endmacro %}", encoding="utf-8"
    )
    (tmp_path / "t.html").write_text(
        '{% from "macros.html" import label with context %}'
        '{% set places = [("a", 1), ("b", 2)] %}{% set d = {"k": "v"} %}'
        "{{ label('Sources') }}|{% for name, n in places %}{{ name }}{{ n }}{% endfor %}|{{ d.k }}{{ d.get('k') }}|"
        "{{ 'A-t-on' | whole_words }}|{{ text | paragraphs | join('/') }}|{{ '%s-%s' % ('x', 2) }}|"
        "{{ 'a.b'.replace('.', '') }}|{{ range(3) | list | length }}|{{ 'x' * 3 }}|{{ 2 ** 8 }}",
        encoding="utf-8",
    )
    html = Layouts([tmp_path]).render(
        "t.html", {"doc": {"lang": "fr", "typography": "french"}, "text": "a\n\nb"}
    )
    assert html == ('Sources\u00a0: fr|a1b2|vv|<span class="u">A-t-on</span>|a/b|x-2|ab|3|xxx|256'), html
