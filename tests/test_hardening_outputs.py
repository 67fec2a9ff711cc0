"""Output folders and disk errors (issue 14, items 5, 9 and 17).

kit keeps a record of the files it wrote in an output folder (`.kit-written`, beside the manifest) and touches
only those: a file it did not write is never overwritten (kit stops and names it, unless --force) nor deleted.
Disk and path errors name the real file and the reason, with exit code 7, never the temporary `.part` name.
Writing stays inside the real output folder: a link inside it to another folder is not followed.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import kit
from kit.errors import OutputError
from kit.files import WRITTEN_NAME, OutputFolder, atomic_write

QUESTION = "wrong-hands"


@pytest.fixture(scope="module")
def project():
    return kit.load_project(check=False)


def build_one(project, out: Path, **kwargs):
    return kit.build_kit(project, out, langs="fr", formats="A4", levels="standard", **kwargs)


# --- Item 5: a record of what kit wrote --------------------------------------------------------


@pytest.mark.parametrize("name", ["index.html", "manifest.json"])
def test_build_does_not_overwrite_a_file_it_did_not_write(tmp_path, project, name):
    out = tmp_path / "site"
    out.mkdir()
    mine = out / name
    mine.write_text("my own page", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        build_one(project, out)
    message = str(info.value)
    assert str(mine) in message and "--force" in message, message
    assert mine.read_text(encoding="utf-8") == "my own page"
    assert not list(out.rglob("*.pdf")), "nothing is written when a file is in the way"


def test_build_with_force_replaces_it_and_then_owns_it(tmp_path, project):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    build_one(project, out, force=True)
    assert "my own page" not in (out / "index.html").read_text(encoding="utf-8")
    written = (out / WRITTEN_NAME).read_text(encoding="utf-8")
    assert "index.html" in written.splitlines() and "manifest.json" in written.splitlines()
    build_one(project, out)  # kit's own files now: no --force needed


def test_a_rebuild_needs_no_force_and_keeps_the_users_files(tmp_path, project):
    out = tmp_path / "out"
    build_one(project, out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "fr" / "my-poster.pdf").write_bytes(b"%PDF-1.7 mine")
    build_one(project, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / "fr" / "my-poster.pdf").read_bytes() == b"%PDF-1.7 mine"


def test_a_folder_built_before_the_record_existed_is_kits(tmp_path, project):
    """An output folder written by an earlier kit has no record: its kit-made manifest.json stands for it."""
    out = tmp_path / "out"
    build_one(project, out)
    (out / WRITTEN_NAME).unlink()
    build_one(project, out)
    assert (out / WRITTEN_NAME).is_file()


def test_the_cli_names_the_file_in_the_way(tmp_path, run_kit):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"mine": true}', encoding="utf-8")
    result = run_kit(
        "build", "--out", out, "--lang", "fr", "--format", "A4", "--level", "standard", cwd=tmp_path
    )
    assert result.returncode == 7, result.stderr
    assert str(out / "manifest.json") in result.stderr and "--force" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == {"mine": True}


def test_a_rebuilt_pack_keeps_a_users_own_file(tmp_path, project):
    from kit.pack import build_packs

    sheet = tmp_path / "events.csv"
    sheet.write_text(
        "id,type de lieu,nom du lieu,date,langues\n"
        'ev-1,france-services,France Services Nord,2026-05-12,"fr,en"\n',
        encoding="utf-8",
    )
    out = tmp_path / "packs"
    build_packs(project, sheet, out, jobs=1)
    mine = out / "ev-1" / "fr" / "plan-de-salle.pdf"
    mine.write_bytes(b"%PDF-1.7 my room plan")
    top = out / "ev-1" / "programme.pdf"
    top.write_bytes(b"%PDF-1.7 my programme")
    english = sorted((out / "ev-1" / "en").glob("*.pdf"))
    assert english
    sheet.write_text(sheet.read_text(encoding="utf-8").replace('"fr,en"', "fr"), encoding="utf-8")
    build_packs(project, sheet, out, jobs=1)
    assert mine.read_bytes() == b"%PDF-1.7 my room plan"
    assert top.read_bytes() == b"%PDF-1.7 my programme"
    assert not any(path.exists() for path in english), "kit's own stale documents are still removed"


def test_the_record_cannot_send_kit_outside_its_folder(tmp_path):
    """A damaged or hostile record never makes kit remove a file outside the folder."""
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(b"keep me")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / WRITTEN_NAME).write_text(f"../victim.pdf\n{victim}\n", encoding="utf-8")
    OutputFolder(folder).keep_only(set())
    assert victim.read_bytes() == b"keep me"


# --- Item 17: links inside the output folder ---------------------------------------------------


def test_writing_does_not_follow_a_link_inside_the_output_folder(tmp_path, project):
    elsewhere = tmp_path / "Documents"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(elsewhere, out / "fr")
    with pytest.raises(OutputError) as info:
        build_one(project, out)
    message = str(info.value)
    assert str(out / "fr") in message and "link" in message, message
    assert list(elsewhere.iterdir()) == []


def test_atomic_write_refuses_a_link_below_its_root(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    os.symlink(elsewhere, out / "a" / "b")
    with pytest.raises(OutputError, match="link"):
        atomic_write(out / "a" / "b" / "c" / "x.pdf", b"x", root=out)
    assert list(elsewhere.iterdir()) == []


# --- Item 9: disk and path errors --------------------------------------------------------------


def test_a_full_disk_names_the_real_file(tmp_path, monkeypatch):
    import kit.files

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(kit.files.os, "fsync", full)
    target = tmp_path / "p.pdf"
    with pytest.raises(OutputError) as info:
        atomic_write(target, b"%PDF")
    message = str(info.value)
    assert str(target) in message and "full" in message and ".part" not in message, message
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_names_the_real_file(tmp_path, monkeypatch):
    import tempfile

    import kit.files

    def refused(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / ".p.pdf.x83xx5_h.part"))

    monkeypatch.setattr(kit.files.tempfile, "mkstemp", refused)
    target = tmp_path / "p.pdf"
    with pytest.raises(OutputError) as info:
        atomic_write(target, b"%PDF")
    message = str(info.value)
    assert str(target) in message and "may not write" in message and ".part" not in message, message
    assert tempfile.mkstemp  # untouched outside this test


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in read-only folders")
def test_a_really_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="may not write"):
            atomic_write(folder / "p.pdf", b"%PDF")
    finally:
        folder.chmod(0o755)


def test_out_that_is_a_file(tmp_path, run_kit):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run_kit(
        "build", "--out", "afile", "--lang", "fr", "--format", "A4", "--level", "standard", cwd=tmp_path
    )
    assert result.returncode == 7, result.stderr
    assert "afile is a file, not a folder" in result.stderr, result.stderr
    assert "nexpected" not in result.stderr and "Traceback" not in result.stderr


def test_a_pdf_target_that_is_a_folder(tmp_path, run_kit):
    (tmp_path / "d.pdf").mkdir()
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "d.pdf", cwd=tmp_path)
    assert result.returncode == 7, result.stderr
    assert "d.pdf is a folder, not a file" in result.stderr, result.stderr
    assert "nexpected" not in result.stderr and ".part" not in result.stderr


def test_init_inside_a_file(tmp_path, run_kit):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run_kit("init", "afile/sub", cwd=tmp_path)
    assert result.returncode == 7, result.stderr
    assert "afile is a file, not a folder" in result.stderr, result.stderr
    assert "nexpected" not in result.stderr and "Traceback" not in result.stderr


def test_pack_out_that_is_a_file(tmp_path, run_kit):
    """kit pack's own writes (outside this change) are caught by the command's net: named, exit code 7."""
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "events.csv").write_text(
        "id,type de lieu,nom du lieu,date\nev-1,france-services,FS Nord,2026-05-12\n", encoding="utf-8"
    )
    result = run_kit("pack", "events.csv", "--out", "afile", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 7, result.stderr
    assert "afile" in result.stderr and "nexpected" not in result.stderr, result.stderr
