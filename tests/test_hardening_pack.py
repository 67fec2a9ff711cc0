"""`kit pack` against hostile and accidental runs (issue 29 points 3, 11, 12 and 14; issue 26 point 4): a double
Ctrl-C stops at once, a folder name that is not text, a file size limit, a national sheet of bad rows, tracking
without a site."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HEADER = "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;langues;falc;exemplaires"
ROWS = [
    "poste-{i};La Poste;Bureau de poste {i};3 place des Terreaux;69001;Lyon;2026-03-12;;;fr;oui;20",
    "fs-{i};France Services;France Services {i};15 avenue Lumière;69008;Lyon;2026-03-17;09:00;17:00;fr,en;oui;10",
    "cafe-{i};Café IA;Médiathèque {i};20 rue Garibaldi;69007;Lyon;26/03/2026;18:30;20:00;fr;oui;30",
]
KIT = Path(sys.executable).with_name("kit")


def write_events(path: Path, count: int) -> Path:
    rows = [ROWS[i % 3].format(i=i) for i in range(count)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().split(") ")[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().split(") ")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _complete(pdf: Path) -> bool:
    data = pdf.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_a_second_ctrl_c_stops_kit_pack_at_once_workers_included(tmp_path):
    """Issue 29.3: Ctrl-C in a terminal reaches kit and its workers (one process group). The first stops the run
    cleanly; a second, while the workers end their tasks, stops everything at once: exit 130, no worker left,
    no traceback, no temporary file, and every document written is whole."""
    events = write_events(tmp_path / "e.csv", 600)  # still running when the Ctrl-Cs come (a pack takes ms)
    out = tmp_path / "out"
    run = subprocess.Popen(
        [str(KIT), "pack", str(events), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal gives a command
        # and Ctrl-C's default action, as a terminal gives it (a test run started in the background by a shell
        # inherits SIGINT ignored, and so would kit: then no Ctrl-C reaches it, as the user asked)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers: list[int] = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not list(out.glob("*/fr/*.pdf")):
        time.sleep(0.2)
    workers = [
        pid
        for pid in _children(run.pid)
        if "spawn_main" in (Path("/proc") / str(pid) / "cmdline").read_text(errors="replace")
    ]
    assert workers, "no worker process started"
    os.killpg(run.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(run.pid, signal.SIGINT)
    stopped = time.monotonic()
    _, stderr = run.communicate(timeout=60)
    assert time.monotonic() - stopped < 10, "the second Ctrl-C did not stop kit pack at once"
    assert run.returncode == 130, stderr.decode()
    assert "Traceback" not in stderr.decode() and "release unlocked lock" not in stderr.decode()
    assert "leaked semaphore" not in stderr.decode()  # nothing after kit's own message
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
    assert all(_complete(pdf) for pdf in out.rglob("*.pdf"))


def test_a_folder_name_that_is_not_text_is_said_once(tmp_path):
    """Issue 29.11: --out with bytes that are not UTF-8 failed every document with 'the worker stopped
    unexpectedly; run the same command again'. It is said once, before anything is built."""
    events = write_events(tmp_path / "e.csv", 1)
    out = os.fsencode(tmp_path) + b"/packs-\xff"
    result = subprocess.run(
        [os.fsencode(KIT), b"pack", os.fsencode(events), b"--out", out, b"--jobs", b"2"],
        capture_output=True,
        timeout=300,
    )
    stderr = result.stderr.decode(errors="replace")
    assert result.returncode == 2, stderr + result.stdout.decode(errors="replace")
    assert "not UTF-8" in stderr and "--out" in stderr and stderr.count("Error:") == 1
    assert "stopped unexpectedly" not in stderr + result.stdout.decode(errors="replace")
    assert not os.path.exists(out)


def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then a write past the limit fails with EFBIG (errno 27)
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_a_file_size_limit_is_reported_like_a_full_disk(tmp_path):
    """Issue 29.12: a file size limit or quota (EFBIG) came out as a crashed worker, '[Errno 27]' four times
    and no file name. It stops the run like a full disk: exit 7, the file named, said once."""
    events = write_events(tmp_path / "e.csv", 2)
    result = subprocess.run(
        [str(KIT), "pack", str(events), "--out", str(tmp_path / "out"), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limit_file_size,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 7, output
    assert "Errno 27" not in output and "stopped unexpectedly" not in output
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "cannot be written: it would be larger than" in error[0], output
    assert str(tmp_path / "out") in error[0]


def test_the_terminal_report_of_a_national_sheet_is_bounded(tmp_path, run_kit):
    """Issue 29.14: 49,998 bad rows printed 199,999 lines. The terminal shows the first failed events and a
    count of the rest; problems.txt has every problem, naming its event."""
    rows = [f"bad-{i};Mairie;Salle {i};;;;2026-13-{i % 28 + 1:02d};;;fr;peut-être;" for i in range(3000)]
    events = tmp_path / "e.csv"
    events.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = run_kit("pack", events, "--out", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 1, result.stderr
    assert len(result.stdout.splitlines()) < 700, len(result.stdout.splitlines())  # 50 events at most
    assert "bad-49 " in result.stdout and "bad-50 " not in result.stdout
    assert "Not shown: 2,950 more failed events, 8,850 more problems." in " ".join(result.stdout.split())
    problems = (tmp_path / "out" / "problems.txt").read_text(encoding="utf-8").splitlines()
    assert problems[0].startswith('bad-0 (row 2): row 2, column "type_de_lieu"')
    assert len([line for line in problems if not line.startswith("Note:")]) == 9000
    assert "0 built, 0 up to date, 3000 failed." in result.stdout


def test_track_without_a_site_address_is_refused(tmp_path, run_kit):
    """Issue 26.4: --track without [site] base_url appended codes to other organisations' addresses, whose logs
    the organiser never sees. It is refused, saying why and what to do, before anything is written."""
    events = write_events(tmp_path / "e.csv", 1)
    result = run_kit("pack", events, "--out", tmp_path / "out", "--track", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "[site] base_url" in result.stderr
        and "kit site" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert not (tmp_path / "out").exists()
