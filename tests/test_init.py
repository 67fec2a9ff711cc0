"""`kit init DIR`: a ready-to-edit project that `kit build` and `kit check --strict` accept as it is."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kit
from kit.config import load_config
from kit.events import read_events
from kit.init import template_dir

EXPECTED = [
    "README.md",
    "content/questions/local-help.yaml",
    "content/questions/why-use-data.yaml",
    "events.csv",
    "kit.toml",
    "layouts/poster.html",
    "logo.svg",
]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


@pytest.fixture(scope="module")
def project(tmp_path_factory, run_kit):
    """`kit init proj`, then `kit build --out out --lang fr --format A4` inside it (once for the module)."""
    root = tmp_path_factory.mktemp("init")
    first = run_kit("init", "proj", cwd=root)
    folder = root / "proj"
    written = files_of(folder)
    build = run_kit("build", "--out", "out", "--lang", "fr", "--format", "A4", cwd=folder)
    return root, folder, first, written, build


def test_init_writes_the_project(project):
    root, folder, first, written, _ = project
    assert first.returncode == 0, first.stderr
    assert list(written) == EXPECTED
    # Exactly the shipped template, byte for byte.
    assert written == files_of(template_dir())
    for name in EXPECTED:
        assert name in first.stdout
    assert (folder / "kit.toml").read_text(encoding="utf-8").lstrip().startswith("#")  # commented
    config = load_config(cwd=folder)
    assert config.data.organisation.name
    assert config.logo == (folder / "logo.svg").resolve()
    assert config.content_dir == (folder / "content").resolve()
    assert config.layouts_dir == (folder / "layouts").resolve()


def test_events_csv_has_one_event_of_each_venue(project):
    """The README says one event of each kind: every kind of place kit knows, door to door in two languages
    (issue 26 point 10: the door-to-door row was missing)."""
    _, folder, *_ = project
    sheet = read_events(folder / "events.csv")
    assert not sheet.problems, sheet.problems
    assert sorted(event.venue_type for event in sheet.events) == sorted(kit.load_content().venue_ids)
    door = next(event for event in sheet.events if event.venue_type == "porte-a-porte")
    assert door.languages == ("fr", "ar") and door.copies
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "door to door, in French and Arabic" in readme.replace("\n  ", " ")


def test_init_twice_refuses_and_names_the_files(project, run_kit, tmp_path):
    root, folder, _, written, _ = project
    again = tmp_path / "again"
    again.mkdir()
    # A fresh copy of the project (the module's one also holds out/ from the build).
    assert run_kit("init", "p", cwd=again).returncode == 0
    before = files_of(again / "p")
    (again / "p" / "kit.toml").write_text("# my own settings\n", encoding="utf-8")
    before["kit.toml"] = b"# my own settings\n"
    second = run_kit("init", "p", cwd=again)
    assert second.returncode == 2, second.stderr
    assert "Traceback" not in second.stderr
    for name in EXPECTED:
        assert str(Path("p") / name) in second.stderr, name
    assert files_of(again / "p") == before  # nothing overwritten, nothing added


def test_init_refuses_when_only_one_file_exists(run_kit, tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "events.csv").write_text("mine\n", encoding="utf-8")
    result = run_kit("init", "p", cwd=tmp_path)
    assert result.returncode == 2
    assert "events.csv" in result.stderr
    assert "kit.toml" not in result.stderr.split("already there")[-1]
    assert files_of(tmp_path / "p") == {"events.csv": b"mine\n"}  # all or nothing


def test_build_in_the_project(project, open_pdf):
    _, folder, _, _, build = project
    assert build.returncode == 0, build.stderr
    out = folder / "out"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    documents = manifest["documents"]
    assert {d["lang"] for d in documents} == {"fr"}
    assert {d["format"] for d in documents} == {"A4"}
    # The added question: its own posters (standard and FALC) and a page of the FALC booklet.
    posters = {
        (d["level"], d["path"])
        for d in documents
        if d["layout"] == "poster" and d["questions"] == ["local-help"]
    }
    assert {level for level, _ in posters} == {"standard", "falc"}, posters
    booklet = next(d for d in documents if d["layout"] == "booklet")
    assert "local-help" in booklet["questions"]
    # in_summary: false keeps it out of the summary poster and the leaflets.
    for doc in documents:
        if doc["layout"] in ("summary-poster", "leaflet"):
            assert "local-help" not in doc["questions"], doc["path"]
    for doc in documents:
        assert (out / doc["path"]).is_file(), doc["path"]

    # The catalogue links every document of the manifest, and nothing else that is a PDF.
    parser = Links()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    pdf_links = {href for href in parser.hrefs if href.endswith(".pdf")}
    assert pdf_links == {d["path"] for d in documents}
    assert any("local-help" in href for href in pdf_links)

    # What the project changes shows in the posters: kit.toml branding, the override of one hook,
    # the template override (extends "!base/poster.html"), the default venue.
    local = next(path for level, path in posters if level == "standard")
    text = open_pdf(out / local).flat_text()
    assert "Qui peut m'aider à comprendre mes droits" in text.replace("\u202f", " ")
    assert "Association Exemple Santé" in text and "01 23 45 67 89" in text
    assert "Des questions ? Venez en parler avec nous à la permanence." in text.replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    assert local.endswith("-france-services.pdf")
    # The example override changes the English hook only: the French poster keeps kit's own; the project's
    # content has the new English one.
    why = next(
        d["path"]
        for d in documents
        if d["layout"] == "poster" and d["level"] == "standard" and d["questions"] == ["why-use-data"]
    )
    why_text = re.sub(
        r"\s+", " ", open_pdf(out / why).flat_text().replace("\u202f", " ").replace("\xa0", " ")
    )
    builtin = kit.load_content().question("why-use-data").translations
    assert re.sub(r"\s+", " ", builtin["fr"].hook).replace("\u202f", " ").replace("\xa0", " ") in why_text
    ours = kit.load_project(kit.Settings(config=folder / "kit.toml", check=False)).kb.question("why-use-data")
    assert ours.translations["en"].hook == "Your health data can help improve care for many people."
    assert builtin["en"].hook != ours.translations["en"].hook


def test_check_strict_in_the_project(project, run_kit):
    _, folder, *_ = project
    result = run_kit("check", "--strict", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_pack_of_the_sample_events_in_the_project(project, run_kit):
    """The sample events.csv packs without a failure, with the organisation's content and layouts."""
    folder = project[1]
    result = run_kit("pack", "events.csv", "--out", "packs", "--jobs", "1", cwd=folder, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 built, 0 up to date, 0 failed" in result.stdout
    manifest = json.loads((folder / "packs" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["status"] for e in manifest["events"]} == {"built"}
