"""One way to write a folder (issue 31 point 5, issue 29 points 1 and 2): every command writes through
kit.files.OutputFolder and its record of what kit wrote (`.kit-written`), and its manifest through one writer.

The audit's cases for `kit site`, each failing before the site wrote through the record: a web root's own
index.html was replaced (now kept: exit 7 naming it, replaced with --force); a link in the site folder to a folder
outside was written through (now refused, nothing written outside); a hand-made manifest.json "from kit site" made
the site delete the files it listed (now only kit's record says what may be removed); stale files kit wrote are
still removed.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import kit
from kit.errors import OutputError
from kit.files import WRITTEN_NAME, OutputFolder, manifest_text, write_manifest
from kit.site import build_site

SITE = "https://sante.exemple.org/campagne/"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proj")
    toml = folder / "kit.toml"
    toml.write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    return kit.load_project(kit.Settings(config=toml))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links not followed), with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# --- kit site: the audit's cases ---------------------------------------------------------------------------


def test_the_site_keeps_a_web_roots_own_index_pages(tmp_path, project, run_kit):
    """Issue 29 point 1: `kit site --out www` replaced the user's index.html and en/index.html (exit 0)."""
    www = tmp_path / "www"
    (www / "en").mkdir(parents=True)
    (www / "index.html").write_text("<p>my home page</p>", encoding="utf-8")
    (www / "en" / "index.html").write_text("<p>my English page</p>", encoding="utf-8")
    before = tree(www)
    result = run_kit(
        "site", "--no-library", "--out", www, "--config", project.config.path, "--lang", "fr,en", cwd=tmp_path
    )
    assert result.returncode == 7, result.stdout + result.stderr
    message = result.stderr
    assert str(www / "index.html") in message and str(www / "en" / "index.html") in message, message
    assert "--force" in message and "kit did not write" in message and "Traceback" not in message
    assert tree(www) == before, "nothing is written when a file of the user's is in the way"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["www"], "no staging folder left behind"
    # In process too, and before any page is made.
    with pytest.raises(OutputError, match="kit did not write"):
        build_site(project, www, langs="fr,en", library=False)
    assert tree(www) == before
    # --force replaces them; then they are kit's own, and a rebuild needs no --force.
    result = run_kit(
        "site",
        "--no-library",
        "--out",
        www,
        "--config",
        project.config.path,
        "--lang",
        "fr,en",
        "--force",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "my home page" not in (www / "index.html").read_text(encoding="utf-8")
    assert "my English page" not in (www / "en" / "index.html").read_text(encoding="utf-8")
    assert "en/index.html" in (www / WRITTEN_NAME).read_text(encoding="utf-8").splitlines()
    build_site(project, www, langs="fr,en", library=False)


def test_a_file_of_the_users_among_the_sites_assets_is_kept_too(tmp_path, project):
    """Not only the pages named before the build: any file the site would write (its stylesheet)."""
    out = tmp_path / "site"
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "site.css").write_text("body { color: red }", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        build_site(project, out, langs="fr", library=False)
    assert str(out / "assets" / "site.css") in str(info.value)
    assert tree(out) == {"assets/site.css": b"body { color: red }"}


def test_the_site_does_not_write_through_a_link_out_of_its_folder(tmp_path, project, run_kit):
    """Issue 29 point 1: with site/fr a link to a folder outside, 13 files were written outside the site."""
    outside = tmp_path / "Documents"
    outside.mkdir()
    (outside / "mine.txt").write_text("mine", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    os.symlink(outside, out / "fr")
    result = run_kit(
        "site", "--no-library", "--out", out, "--config", project.config.path, "--lang", "fr", cwd=tmp_path
    )
    assert result.returncode == 7, result.stdout + result.stderr
    assert str(out / "fr") in result.stderr and "link" in result.stderr and "Traceback" not in result.stderr
    assert tree(outside) == {"mine.txt": b"mine"}, "nothing is written outside the output folder"
    # --force replaces files kit did not write; it never follows a link out of the folder.
    with pytest.raises(OutputError, match="link"):
        build_site(project, out, langs="fr", force=True, library=False)
    assert tree(outside) == {"mine.txt": b"mine"}


@pytest.mark.parametrize("shape", ["site", "build"])
def test_a_hand_made_manifest_never_makes_the_site_delete_files(tmp_path, project, shape):
    """Issue 29 point 2: a manifest.json saying it comes from `kit site` made it delete every file it listed (in
    the shape of kit site's manifest, or of kit build's)."""
    out = tmp_path / "www"
    (out / "docs").mkdir(parents=True)
    (out / "docs" / "annual-report.pdf").write_bytes(b"%PDF-1.7 our annual report")
    (out / ".htaccess").write_text("Options -Indexes\n", encoding="utf-8")
    manifest = {"generator": "kit site", "kit_version": kit.__version__, "pages": []}
    if shape == "site":
        manifest["files"] = ["docs/annual-report.pdf", ".htaccess", "index.html", "manifest.json"]
    else:
        manifest["documents"] = [{"path": "docs/annual-report.pdf"}, {"path": ".htaccess"}]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    build_site(project, out, langs="fr", force=True, library=False)  # even with --force
    assert (out / "docs" / "annual-report.pdf").read_bytes() == b"%PDF-1.7 our annual report"
    assert (out / ".htaccess").read_text(encoding="utf-8") == "Options -Indexes\n"
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["generator"] == "kit site"
    build_site(project, out, langs="fr", library=False)  # and again, now that kit's record is there
    assert (out / "docs" / "annual-report.pdf").is_file() and (out / ".htaccess").is_file()
    # The same manifest in a folder kit has written before: still not deleted.
    recorded = (out / WRITTEN_NAME).read_text(encoding="utf-8").splitlines()
    assert "docs/annual-report.pdf" not in recorded and ".htaccess" not in recorded


def test_a_site_written_before_the_record_is_kits_to_replace_not_to_remove(tmp_path, project):
    """A site folder an earlier kit wrote has no record: its manifest lets kit replace the files it lists (no
    --force needed), never remove them (only a record proves kit wrote a file)."""
    out = tmp_path / "site"
    build_site(project, out, langs="fr,en", library=False)
    (out / WRITTEN_NAME).unlink()
    build_site(project, out, langs="fr", library=False)
    assert (out / "en" / "index.html").is_file()
    assert (out / WRITTEN_NAME).is_file()
    build_site(project, out, langs="fr", library=False)  # its own now, by the record


def test_the_files_kit_wrote_and_no_longer_writes_are_removed(tmp_path, project):
    """Stale files go when kit's record says kit wrote them (a language left out): with their empty folders,
    never a file of the user's beside them."""
    out = tmp_path / "site"
    build_site(project, out, langs="fr,en", library=False)
    english = sorted(p.relative_to(out).as_posix() for p in (out / "en").rglob("*") if p.is_file())
    assert "en/index.html" in english
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    build_site(project, out, langs="fr", library=False)
    assert not (out / "en").exists(), "kit's English pages and their folders are removed"
    assert not (out / "data" / "en.json").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    listed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    recorded = [
        line for line in (out / WRITTEN_NAME).read_text(encoding="utf-8").splitlines() if line[:1] != "#"
    ]
    assert (
        sorted(listed)
        == sorted(recorded)
        == sorted(p for p in tree(out) if p not in ("notes.txt", WRITTEN_NAME))
    )


def test_a_folder_of_the_users_in_a_stale_pages_place_is_kept(tmp_path, project):
    """A stale page's folder is removed only when empty: a file the user added there stays, with its folder."""
    out = tmp_path / "site"
    build_site(project, out, langs="fr,en", library=False)
    (out / "en" / "mine.txt").write_text("mine", encoding="utf-8")
    build_site(project, out, langs="fr", library=False)
    assert (out / "en" / "mine.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "en" / "index.html").exists()


# --- The folder writer itself -----------------------------------------------------------------------------


def test_only_the_record_says_what_may_be_removed(tmp_path):
    """A manifest.json of an earlier kit (no record) lets kit replace the files it lists, never remove them."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.pdf").write_bytes(b"a")
    (out / "manifest.json").write_text(
        json.dumps({"kit_version": "0.1", "documents": [{"path": "a.pdf"}]}), encoding="utf-8"
    )
    folder = OutputFolder(out)
    folder.check(["a.pdf", "manifest.json"])  # kit's, by its manifest: no error
    assert folder.keep_only(set()) == []
    assert (out / "a.pdf").read_bytes() == b"a"
    folder = OutputFolder(out)
    folder.claim(["b.pdf"])
    (out / "b.pdf").write_bytes(b"b")
    assert OutputFolder(out).keep_only(set()) == ["b.pdf"]
    assert not (out / "b.pdf").exists() and (out / "a.pdf").exists()


def test_a_staged_folder_is_moved_in_whole_or_not_at_all(tmp_path):
    out = tmp_path / "out"
    folder = OutputFolder(out)
    with folder.staging() as staged:
        staged.write("index.html", "one")
        staged.write("fr/page.html", "two")
        assert not out.exists()
        staged.commit()
    assert tree(out) == {"index.html": b"one", "fr/page.html": b"two", WRITTEN_NAME: tree(out)[WRITTEN_NAME]}
    (out / "mine.html").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="mine.html"):
        with OutputFolder(out).staging() as staged:
            staged.write("index.html", "new")
            staged.write("mine.html", "kit's")
            staged.commit()
    assert (out / "index.html").read_text() == "one" and (out / "mine.html").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    with pytest.raises(OutputError):
        with OutputFolder(out).staging() as staged:
            staged.write("../escape.html", "no")
    assert not (tmp_path / "escape.html").exists()


@pytest.mark.parametrize(
    "head, lists",
    [
        ({}, {}),
        ({"kit_version": "1", "content_version": None}, {"events": []}),
        (
            {"generator": "kit site", "base_url": "https://é.example/"},
            {"pages": [{"a": [1, {"b": "c\nd"}]}], "files": ["x"]},
        ),
    ],
)
def test_the_manifest_writer_writes_what_json_dumps_would(tmp_path, head, lists):
    expected = json.dumps({**head, **lists}, ensure_ascii=False, indent=2) + "\n"
    assert "".join(manifest_text(head, {k: iter(v) for k, v in lists.items()})) == expected
    path = write_manifest(tmp_path, head, lists)
    assert path.read_text(encoding="utf-8") == expected


def test_every_command_writes_its_manifest_through_the_one_writer():
    """Build, pack, site and report write manifest.json through kit.files (write_manifest, or manifest_text for the
    site's staged copy); no other module of kit writes one."""
    import ast

    root = Path(kit.__file__).parent
    writers = {"build.py", "pack/run.py", "site.py", "report/render.py"}
    for module in sorted(root.rglob("*.py")):
        name = module.relative_to(root).as_posix()
        if name == "files.py":
            continue
        tree_ = ast.parse(module.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree_)
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("files")
            for alias in node.names
        }
        if name in writers:
            assert imported & {"write_manifest", "manifest_text"}, name
        writes = [
            node
            for node in ast.walk(tree_)
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("atomic_write", "atomic_writer")
            and "manifest" in ast.unparse(node.args[0] if node.args else node).lower()
        ]
        assert not writes, f"{name} writes a manifest itself: {[ast.unparse(n) for n in writes]}"


def test_the_reports_manifest_lists_its_files(tmp_path):
    """The report's folder has a manifest too, written by the same writer, listing every file of the report."""
    from kit.report import ReportOptions, build_report

    log = tmp_path / "access.log"
    log.write_text(
        '203.0.113.9 - - [10/Mar/2026:10:00:00 +0100] "GET /campagne/fr/?p=k3F9ab HTTP/1.1" 200 512 "-" '
        '"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"\n',
        encoding="utf-8",
    )
    out = tmp_path / "report"
    build_report(ReportOptions(logs=[str(log)], out=out))
    text = (out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    assert manifest["generator"] == "kit report" and manifest["kit_version"] == kit.__version__
    on_disk = sorted(p.name for p in out.iterdir() if p.is_file() and not p.name.startswith("."))
    assert manifest["files"] == on_disk


# --- kit pack: the same rules -------------------------------------------------------------------------------

ROW = "{id},france-services,France Services Nord,2026-05-12,fr\n"
HEAD = "id,type de lieu,nom du lieu,date,langues\n"


def test_pack_replaces_and_removes_only_what_kit_wrote(tmp_path, run_kit):
    """kit pack writes through the same record: a file of the user's where it puts its manifest stops it (exit 7,
    before anything is written); one in an event's folder fails that event (the others are built); --force
    replaces them; a placements.csv of the user's is not deleted by a run without --track."""
    from kit.pack import build_packs

    project = kit.load_project(check=False)
    sheet = tmp_path / "events.csv"
    sheet.write_text(HEAD + ROW.format(id="ev-1"), encoding="utf-8")
    out = tmp_path / "packs"
    out.mkdir()
    (out / "manifest.json").write_text('{"mine": true}', encoding="utf-8")
    done = run_kit("pack", sheet, "--out", out, "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 7, done.stdout + done.stderr
    assert str(out / "manifest.json") in done.stderr and "--force" in done.stderr
    assert (out / "manifest.json").read_text(encoding="utf-8") == '{"mine": true}'
    assert not (out / "ev-1").exists()
    (out / "manifest.json").unlink()
    (out / "placements.csv").write_text("my own list\n", encoding="utf-8")
    first = build_packs(project, sheet, out, jobs=1)
    assert [e.status for e in first.events] == ["built"]
    assert (out / "placements.csv").read_text(encoding="utf-8") == "my own list\n"
    document = first.events[0].documents[0]["path"].split("/", 1)[1]
    # A second event whose folder already holds a file of the user's where one of its documents goes.
    mine = out / "ev-2" / document
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"%PDF-1.7 my own")
    sheet.write_text(HEAD + ROW.format(id="ev-1") + ROW.format(id="ev-2"), encoding="utf-8")
    second = build_packs(project, sheet, out, jobs=1)
    statuses = {e.id: e.status for e in second.events}
    assert statuses == {"ev-1": "up-to-date", "ev-2": "failed"}, statuses
    failure = next(e for e in second.events if e.id == "ev-2").failures[0]
    assert failure.kind == "output" and str(mine) in failure.message and "--force" in failure.message
    assert mine.read_bytes() == b"%PDF-1.7 my own"
    assert sorted(
        p.relative_to(out / "ev-2").as_posix() for p in (out / "ev-2").rglob("*") if p.is_file()
    ) == [document], "nothing else of the refused event is written"
    third = build_packs(project, sheet, out, jobs=1, force=True)
    assert {e.id: e.status for e in third.events}["ev-2"] == "built"
    assert mine.read_bytes().startswith(b"%PDF") and mine.read_bytes() != b"%PDF-1.7 my own"
