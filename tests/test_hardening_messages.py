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
from kit.check import HOOK_MAX_CHARS, HOOK_MAX_WORD_CHARS, LENGTH_BUDGETS, QUESTION_MAX_CHARS, check_content
from kit.check.budgets import POSTER_CHARS, POSTER_WORDS

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


@pytest.mark.parametrize("word", [HOOK_MAX_WORD_CHARS, 9])
def test_hooks_at_their_budget_fit_with_every_other_text_at_its_own(content_copy, tmp_path, word):
    """The bound is what the posters and the leaflet hold: hooks of HOOK_MAX_CHARS characters (words of the
    longest length, or ordinary ones), with questions (words and characters), short answers, benefits and the wall
    sentences at their maximum: what `kit check` lets through, the wall poster holds (issue 28)."""
    for path in sorted((content_copy / "questions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang, text in data["translations"].items():
            if (
                "detail" not in text
            ):  # a partial language (kit.yaml partial_languages): no posters, texts as written
                continue
            source = text["detail"]
            question = _words(source, LENGTH_BUDGETS["question"].max, "").split()
            while (
                len(" ".join(question)) + 2 > QUESTION_MAX_CHARS
            ):  # its characters too: the poster's headline
                question.pop()
            text["question"] = " ".join(question) + (" ?" if lang == "fr" else "?")
            text["short"] = _words(source, LENGTH_BUDGETS["short"].max)
            text["benefit"] = _words(source, LENGTH_BUDGETS["benefit"].max)
            long_word = ("Données" + "x" * 40)[:word]
            text["hook"] = " ".join([long_word] * 12)[: HOOK_MAX_CHARS - 1] + "."
            if text.get(
                "wall"
            ):  # the wall poster holds POSTER_WORDS in all: the wall sentences take the rest
                scan = kit.load_content().shared.labels[lang].scan
                used = sum(len(part.split()) for part in (text["question"], text["hook"], scan)) + 1
                wall = text["wall"].split()[: POSTER_WORDS - used]
                room = POSTER_CHARS - len(text["question"]) - len(text["hook"])  # and its characters
                while len(" ".join(wall)) + 1 > room:
                    wall.pop()
                text["wall"] = " ".join(wall).rstrip(".,;:") + "."
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    errors = check_content(content_copy).errors
    assert not [f for f in errors if f.field and f.field.endswith((".hook", ".question", ".wall"))], errors
    project = kit.load_project(content=content_copy, check=False)
    for lang in project.languages:
        for question in project.kb.questions:
            kit.build_poster(project, question.id, lang=lang, format="A4", out_file=tmp_path / "p.pdf")
        kit.build_poster(project, "summary", lang=lang, format="A4", out_file=tmp_path / "s.pdf")
        kit.build_leaflet(project, lang=lang, out_file=tmp_path / "l.pdf")


def test_a_question_too_long_for_the_headline_is_named_by_kit_check(content_copy):
    """A question of 14 long words passes the word budget, not the headline's characters: kit check names it."""
    set_text(content_copy, "fr", question=" ".join(["Renseignements"] * 8) + " ?")
    errors = [f for f in check_content(content_copy).errors if f.field == "translations.fr.question"]
    assert errors and f"at most {QUESTION_MAX_CHARS}" in errors[0].message, errors


def test_wall_text_too_long_for_the_poster_in_characters_is_named_by_kit_check(content_copy):
    """Words within POSTER_WORDS but long ones: the question, hook and wall sentences together are bounded in
    characters too (what the A4 wall poster holds), and kit check names the wall sentences."""
    set_text(
        content_copy,
        "fr",
        question="Qui protège réellement les informations médicales confidentielles transmises aux chercheurs ?",
        hook="Les établissements hospitaliers conservent soigneusement les renseignements thérapeutiques.",
        wall="Établissements, laboratoires, universités : chacun applique scrupuleusement "
        "réglementations, autorisations préalables et vérifications indépendantes systématiques.",
    )
    errors = [f for f in check_content(content_copy).errors if f.field == "translations.fr.wall"]
    assert errors and f"at most {POSTER_CHARS}" in errors[0].message, errors
