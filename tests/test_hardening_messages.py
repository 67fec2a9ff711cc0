"""Messages (issue 14, item 16): the `kit check` table shows where each finding is in full; a hook too long for
the posters is named by `kit check` (its characters, its longest word), not found later and blamed on the
'short' answer that it pushes off the page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import kit
from kit.check import HOOK_MAX_CHARS, HOOK_MAX_WORD_CHARS, LENGTH_BUDGETS, check_content
from kit.check.budgets import POSTER_WORDS

QUESTION = "wrong-hands"
LONG_WORD = "Anticonstitutionnellement-extraordinairement"


def set_text(content: Path, lang: str, **fields) -> None:
    path = content / "questions" / f"{QUESTION}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"][lang].update(fields)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_kit_check_shows_file_and_line_whole(content_copy, tmp_path):
    set_text(content_copy, "fr", hook=" ".join([LONG_WORD] * 12))
    kit_exe = Path(sys.executable).with_name("kit")
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run(
        [str(kit_exe), "check", "--content", content_copy],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert result.returncode == 3, result.stderr
    line = next(f.line for f in check_content(content_copy).errors if f.field == "translations.fr.hook")
    where = f"content/questions/{QUESTION}.yaml:{line} (translations.fr.hook)"
    assert f"\n  {where}\n" in result.stdout, result.stdout  # a line of its own, whole
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


@pytest.mark.parametrize(
    "hook, words",
    [
        (" ".join([LONG_WORD] * 12), "characters"),
        (" ".join([LONG_WORD] * 2) + ".", f"'{LONG_WORD}'"),
    ],
)
def test_kit_check_names_a_hook_too_long_for_the_posters(content_copy, hook, words):
    set_text(content_copy, "fr", hook=hook)
    errors = [f for f in check_content(content_copy).errors if f.field == "translations.fr.hook"]
    assert errors and errors[0].rule == "length" and words in errors[0].message, errors


def test_a_long_hook_stops_the_poster_naming_the_hook(content_copy, tmp_path, run_kit):
    set_text(content_copy, "fr", hook=" ".join([LONG_WORD] * 12))
    result = run_kit(
        "poster", QUESTION, "--lang", "fr", "--content", content_copy, "--out", "p.pdf", cwd=tmp_path
    )
    assert result.returncode == 3, result.stderr
    assert "hook" in result.stderr and "'short'" not in result.stderr, result.stderr


def _words(source: str, count: int, end: str = ".") -> str:
    words = [w for w in re.findall(r"[\w’'-]+", source) if len(w) > 2]
    return " ".join((words * (count // len(words) + 1))[:count]).capitalize() + end


@pytest.mark.xfail(
    strict=True,
    reason="known, open (issue 28): the A4 wall poster does not hold a question and a hook both at their maximum "
    "with wall sentences inside POSTER_WORDS; kit build refuses it with a fit error (nothing is lost), but kit "
    "check passes it: the poster's word budget must become the layout's",
)
@pytest.mark.parametrize("word", [HOOK_MAX_WORD_CHARS, 9])
def test_hooks_at_their_budget_fit_with_every_other_text_at_its_own(content_copy, tmp_path, word):
    """The bound is what the posters and the leaflet hold: hooks of HOOK_MAX_CHARS characters (words of the
    longest length, or ordinary ones), with questions, short answers and benefits at their maximum."""
    for path in sorted((content_copy / "questions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang, text in data["translations"].items():
            if (
                "detail" not in text
            ):  # a partial language (kit.yaml partial_languages): no posters, texts as written
                continue
            source = text["detail"]
            text["question"] = _words(source, LENGTH_BUDGETS["question"].max, " ?" if lang == "fr" else "?")
            text["short"] = _words(source, LENGTH_BUDGETS["short"].max)
            text["benefit"] = _words(source, LENGTH_BUDGETS["benefit"].max)
            long_word = ("Données" + "x" * 40)[:word]
            text["hook"] = " ".join([long_word] * 12)[: HOOK_MAX_CHARS - 1] + "."
            if text.get(
                "wall"
            ):  # the wall poster holds POSTER_WORDS in all: the wall sentences take the rest
                scan = kit.load_content().shared.labels[lang].scan
                used = sum(len(part.split()) for part in (text["question"], text["hook"], scan)) + 1
                text["wall"] = " ".join(text["wall"].split()[: POSTER_WORDS - used]).rstrip(".,;:") + "."
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert not [f for f in check_content(content_copy).errors if f.field and f.field.endswith(".hook")]
    project = kit.load_project(content=content_copy, check=False)
    for lang in project.languages:
        for question in project.kb.questions:
            kit.build_poster(project, question.id, lang=lang, format="A4", out_file=tmp_path / "p.pdf")
        kit.build_poster(project, "summary", lang=lang, format="A4", out_file=tmp_path / "s.pdf")
        kit.build_leaflet(project, lang=lang, out_file=tmp_path / "l.pdf")
