"""Folders kit.toml names outside the project folder (issue 14, item 2).

Documents may read the folders the project configures (content, layouts, the logo). Those folders must be
inside the project folder (the folder of kit.toml), so that `content = "../../.."` cannot open the whole disk
to a layout. A folder elsewhere is used only when the user says so explicitly: given on the command line
(`--content`, `--layouts`), or with `allow_outside = true` under [build] in kit.toml (then kit says once which
folders it reads from outside).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kit
from kit.config import load_config
from kit.resources import content_dir

QUESTION = "wrong-hands"


def project(tmp_path: Path, build: str = "", organisation: str = "") -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "kit.toml").write_text(
        f'[organisation]\nname = "Maison Santé Nord"\n{organisation}\n[build]\n{build}\n', encoding="utf-8"
    )
    return folder


def elsewhere(tmp_path: Path, what: str = "content") -> Path:
    folder = tmp_path / "elsewhere" / what
    folder.mkdir(parents=True)
    if what == "content":
        (folder / "questions").mkdir()
        shutil.copy(content_dir() / "questions" / f"{QUESTION}.yaml", folder / "questions")
    return folder


@pytest.mark.parametrize(
    "key, value, line",
    [
        ("content", "../elsewhere/content", 5),
        ("layouts", "{abs}", 5),
        ("content", "../../..", 5),
    ],
)
def test_a_configured_folder_outside_the_project_is_refused(tmp_path, key, value, line):
    target = elsewhere(tmp_path, key)
    folder = project(tmp_path, f'{key} = "{value.replace("{abs}", str(target))}"')
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=folder)
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == (f"build.{key}", line), problem
    assert "outside the project folder" in problem.message and str(folder) in problem.message, problem.message
    assert "allow_outside = true" in problem.message, problem.message


def test_a_logo_outside_the_project_is_refused(tmp_path):
    logo = tmp_path / "elsewhere" / "logo.svg"
    logo.parent.mkdir()
    shutil.copy(Path(kit.__file__).parent / "init_template" / "logo.svg", logo)
    folder = project(tmp_path, organisation='logo = "../elsewhere/logo.svg"')
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=folder)
    (problem,) = info.value.problems
    assert problem.field == "organisation.logo" and "outside the project folder" in problem.message, problem


def test_a_default_content_folder_that_links_outside_is_refused(tmp_path):
    target = elsewhere(tmp_path)
    folder = project(tmp_path)
    os.symlink(target, folder / "content")
    with pytest.raises(kit.ConfigError, match="outside the project folder"):
        load_config(cwd=folder)


def test_the_cli_refuses_with_exit_2_and_the_line(tmp_path, run_kit):
    elsewhere(tmp_path)
    folder = project(tmp_path, 'content = "../elsewhere/content"')
    result = run_kit("check", cwd=folder)
    assert result.returncode == 2, result.stderr
    assert "kit.toml, line 5, field 'build.content'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_allow_outside_lets_it_and_says_so_once(tmp_path, run_kit):
    target = elsewhere(tmp_path)
    folder = project(tmp_path, 'content = "../elsewhere/content"\nallow_outside = true')
    config = load_config(cwd=folder)
    assert config.content_dir == target.resolve()
    assert len(config.notes) == 1 and str(target.resolve()) in config.notes[0], config.notes
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("outside the project folder") == 1, result.stderr
    assert str(target.resolve()) in result.stderr


def test_folders_inside_the_project_need_nothing(tmp_path):
    folder = project(tmp_path, 'content = "content"')
    (folder / "content" / "questions").mkdir(parents=True)
    shutil.copy(content_dir() / "questions" / f"{QUESTION}.yaml", folder / "content" / "questions")
    config = load_config(cwd=folder)
    assert config.notes == [] and config.content_dir == (folder / "content").resolve()


def test_a_folder_given_on_the_command_line_is_explicit(tmp_path, run_kit):
    target = elsewhere(tmp_path)
    folder = project(tmp_path)
    result = run_kit("poster", QUESTION, "--lang", "fr", "--content", target, "--out", "p.pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "outside" not in result.stderr


def test_documents_may_not_read_above_the_project(tmp_path):
    """What the fetcher allows follows: with the content in the project, a file beside the project is refused."""
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', encoding="utf-8")
    folder = project(tmp_path)
    (folder / "layouts").mkdir()
    (folder / "layouts" / "poster.html").write_text(
        '{% extends "!base/poster.html" %}{% block extra %}<img src="'
        + secret.as_uri()
        + '" alt="">{% endblock %}',
        encoding="utf-8",
    )
    loaded = kit.load_project(kit.Settings(config=folder / "kit.toml", check=False))
    with pytest.raises(kit.LayoutError, match="outside"):
        kit.build_poster(loaded, QUESTION, lang="fr", out_file=tmp_path / "p.pdf")
