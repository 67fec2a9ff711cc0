"""Hostile and accidental content files (issue 14, items 3 and 15): YAML shortcuts that multiply, nesting
without end, files far too big, and empty files of the user's own that were blamed on kit's installed files.

Every problem names the user's file (and line), says what to do, and is found in bounded time and memory.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import kit
from kit.content import MAX_YAML_BYTES, MAX_YAML_DEPTH, line_index
from kit.resources import content_dir as builtin_dir

# Nine lines, nine aliases each: 9**9 (387 million) strings once expanded. kit check grew past 8 GB on it.
ALIAS_BOMB = (
    "\n".join(
        ['a: &a ["x","x","x","x","x","x","x","x","x"]']
        + [f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi")]
    )
    + "\n"
)


def user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    (folder / "questions").mkdir(parents=True)
    return folder


def problems_of(folder: Path) -> list[kit.Problem]:
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(folder)
    return info.value.problems


def _limit_memory() -> None:  # in the child: 2 GB of address space is plenty for kit check
    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))


def kit_check_bounded(folder: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """`kit check --json` in a child with bounded memory and time (the old code blew both)."""
    exe = Path(sys.executable).with_name("kit")
    return subprocess.run(
        [str(exe), "check", "--json", "--content", str(folder)],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
    )


# --- Item 3: anchors, aliases and depth ---------------------------------------------------------


def test_alias_bomb_is_refused_quickly_naming_file_and_line(tmp_path):
    folder = user_folder(tmp_path)
    shared = folder / "shared.yaml"
    shared.write_text(ALIAS_BOMB, encoding="utf-8")
    result = kit_check_bounded(folder)
    assert result.returncode == 3, result.stderr  # a content error, as kit build says
    assert "Traceback" not in result.stderr and "Unexpected" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    (finding,) = [f for f in findings if f["file"] == str(shared)]
    assert (
        finding["line"] == 1
        and "'&a'" in finding["message"]
        and "write the text out in full" in finding["message"]
    )


def test_alias_is_refused_at_its_line(tmp_path):
    folder = user_folder(tmp_path)
    question = folder / "questions" / "wrong-hands.yaml"
    question.write_text("id: wrong-hands\ntranslations:\n  fr:\n    hook: *texte\n", encoding="utf-8")
    (problem,) = problems_of(folder)
    assert (problem.file, problem.line) == (str(question), 4)
    assert "'*texte'" in problem.message and "alias" in problem.message


def test_recursive_alias_is_refused_not_a_recursion_error(tmp_path):
    folder = user_folder(tmp_path)
    (folder / "kit.yaml").write_text("content_version: '2'\nreviewed_by: &who [*who]\n", encoding="utf-8")
    problems = problems_of(folder)
    assert [(p.file, p.line) for p in problems] == [(str(folder / "kit.yaml"), 2)]
    assert "'&who'" in problems[0].message


@pytest.mark.parametrize(
    "nesting",
    [
        "a: " + "[" * 5000 + "]" * 5000,  # brackets
        "".join(f"{'  ' * i}k{i}:\n" for i in range(1000)) + "  " * 1000 + "x: 1",  # indentation
    ],
)
def test_deep_nesting_is_refused_with_file_and_line(tmp_path, nesting):
    folder = user_folder(tmp_path)
    shared = folder / "shared.yaml"
    shared.write_text(nesting + "\n", encoding="utf-8")
    (problem,) = problems_of(folder)
    assert problem.file == str(shared) and problem.line is not None
    assert f"more than {MAX_YAML_DEPTH} levels" in problem.message


def test_builtin_content_is_well_within_the_depth_limit():
    for path in [
        builtin_dir() / "kit.yaml",
        builtin_dir() / "shared.yaml",
        *(builtin_dir() / "questions").glob("*.yaml"),
    ]:
        assert (
            max(len(loc) for loc in line_index(yaml.compose(path.read_text(encoding="utf-8"))))
            < MAX_YAML_DEPTH // 4
        )


def test_line_index_walks_a_recursive_alias_once():
    node = yaml.compose("a: &a [1, *a]\nb: 2\n")
    assert line_index(node) == {(): 1, ("a",): 1, ("a", 0): 1, ("a", 1): 1, ("b",): 2}


def test_line_index_gives_the_same_lines_as_before():
    text = "x: 1\nlist:\n  - a: 1\n    b:\n      - 2\n  - 3\ny:\n  z: 4\n"
    assert line_index(yaml.compose(text)) == {
        (): 1,
        ("x",): 1,
        ("list",): 2,
        ("list", 0): 3,
        ("list", 0, "a"): 3,
        ("list", 0, "b"): 4,
        ("list", 0, "b", 0): 5,
        ("list", 1): 6,
        ("y",): 7,
        ("y", "z"): 8,
    }


def test_content_file_too_big_is_refused_without_reading_it_all(tmp_path):
    folder = user_folder(tmp_path)
    shared = folder / "shared.yaml"
    shared.write_text("# " + "x" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    (problem,) = problems_of(folder)
    assert (
        problem.file == str(shared) and "larger than" in problem.message and "right file" in problem.message
    )


def test_a_folder_named_like_a_question_file(tmp_path):
    folder = user_folder(tmp_path)
    (folder / "questions" / "extra.yaml").mkdir()
    (problem,) = problems_of(folder)
    assert (
        problem.file == str(folder / "questions" / "extra.yaml")
        and "is a folder, not a content file" in problem.message
    )


# --- Item 15: the user's empty file is named, not kit's installed one ---------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("shared.yaml", ""),
        ("kit.yaml", "# nothing yet\n\n"),
        ("questions/wrong-hands.yaml", ""),  # a built-in question's id: merged over kit's file before
        ("questions/new-one.yaml", "   \n"),
    ],
)
def test_empty_user_file_is_named(tmp_path, name, text):
    folder = user_folder(tmp_path)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(folder)
    assert problem.file == str(path)
    assert str(builtin_dir()) not in str(problem)
    assert "empty" in problem.message and "delete the file" in problem.message


def test_empty_user_file_in_kit_check(tmp_path, run_kit):
    folder = user_folder(tmp_path)
    (folder / "shared.yaml").write_text("", encoding="utf-8")
    result = run_kit("check", "--json", "--content", folder)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["file"] == str(folder / "shared.yaml") and "empty" in finding["message"]
