"""The wheel: only the `kit` package at the top level, and `kit build` works from another folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (path,) = dist.glob("kit_donnees_sante-*.whl")
    return path


def test_wheel_holds_only_kit_with_layouts_assets_cli(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"kit"}
    for needed in (
        "kit/cli.py",
        "kit/layouts/poster.html",
        "kit/layouts/css/format-A4.css",
        "kit/assets/fonts/AtkinsonHyperlegible_400Regular.ttf",
        "kit/assets/pictograms/shield.svg",
        "kit/assets/fonts/OFL-AtkinsonHyperlegible.txt",
        "kit/knowledge/kit.yaml",
    ):
        assert needed in names, needed


def test_installed_wheel_builds_from_another_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # Dependencies come from the same index as the project's (pip's cache makes this quick).
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(venv / "bin" / "kit"), "build", "--lang", "fr", "--format", "A4", "--out", "kit-out"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((elsewhere / "kit-out" / "manifest.json").read_text())
    assert len(manifest["documents"]) == 12  # 5 posters, leaflet, FALC booklet, 4 FALC posters, FALC leaflet
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert (site / "kit" / "layouts" / "poster.html").is_file()
