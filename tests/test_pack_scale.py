"""Event packs at national scale: templates for tracked documents (same bytes), hard links, progress saved per
event, one run per folder, workers that end with their parent and are replaced when lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

import kit
from kit import pack as pack_module
from kit.events import read_events
from kit.pack import build_packs
from kit.placements import open_registry
from kit.plan import Planned

HEADER = "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;langues;falc;exemplaires"
ROWS = [
    "poste-{i};La Poste;Bureau de poste {i};3 place des Terreaux;69001;Lyon;2026-03-12;;;fr;oui;20",
    "fs-{i};France Services;France Services {i};15 avenue Lumière;69008;Lyon;2026-03-17;09:00;17:00;fr,en;oui;10",
    "cafe-{i};Café IA;Médiathèque {i};20 rue Garibaldi;69007;Lyon;26/03/2026;18:30;20:00;fr;oui;30",
]


def write_events(path: Path, count: int) -> Path:
    rows = [ROWS[i % 3].format(i=i) for i in range(count)]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def tracked_project(tmp_path: Path):
    toml = tmp_path / "kit.toml"
    toml.write_text('[site]\nbase_url = "https://sante.exemple.org/"\n', encoding="utf-8")
    return kit.load_project(kit.Settings(config=toml, track=True))


def shas(result) -> dict[str, str]:
    return {d["path"]: d["sha256"] for e in result.events for d in e.documents}


def test_templates_give_the_same_bytes_as_laying_out_each_copy(tmp_path, open_pdf, monkeypatch):
    """Tracked documents made from one template per kind equal those laid out one by one; each QR code is its
    event's own, and the tracked documents really come from templates (one layout for many events)."""
    events = write_events(tmp_path / "e.csv", 6)
    project = tracked_project(tmp_path)
    fast = build_packs(project, events, tmp_path / "fast", jobs=1)
    monkeypatch.setattr(pack_module.EventBuilder, "TEMPLATES", False)
    slow = build_packs(project, events, tmp_path / "slow", jobs=1)
    assert all(e.status == "built" for e in fast.events), [e.errors for e in fast.events]
    assert shas(fast) == shas(slow) and len(shas(fast)) > 40
    seen = set()
    for event in fast.events:
        for doc in event.documents:
            if doc["qr"]:
                pdf = open_pdf(tmp_path / "fast" / doc["path"])
                codes = {code for page in range(pdf.pages) for code in pdf.qr_codes(page)}
                assert codes == {q["url"] for q in doc["qr"]}, doc["path"]
                assert doc["qr"][0]["url"] not in seen
                seen.add(doc["qr"][0]["url"])


def test_tracked_documents_are_laid_out_once_per_kind(tmp_path, monkeypatch):
    from kit.channels.pdf import PdfChannel

    calls = []
    original = PdfChannel.template
    monkeypatch.setattr(
        PdfChannel, "template", lambda self, doc, *a: calls.append(doc.spec) or original(self, doc, *a)
    )
    build_packs(tracked_project(tmp_path), write_events(tmp_path / "e.csv", 9), tmp_path / "out", jobs=1)
    assert calls and len(calls) == len(set(calls))  # 9 events, each kind of tracked document laid out once


def test_a_template_is_laid_out_once_in_the_run_whichever_worker_needs_it(tmp_path, monkeypatch):
    """Workers share templates through the run's temporary folder: a second worker (or one that replaces a
    worker) reads the first one's template instead of laying the document out again, and makes the same bytes."""
    from kit.build import Builder
    from kit.channels.pdf import PdfChannel
    from kit.plan import plan_event

    project = tracked_project(tmp_path)
    events = read_events(write_events(tmp_path / "e.csv", 2), venues=project.kb.venues).events
    out = tmp_path / "out"
    (out / pack_module.TMP_DIR).mkdir(parents=True)
    registry = open_registry(None)
    plans = {e.id: plan_event(project, e, {}, registry) for e in events}
    tracked = [
        (doc, pack_module.pack_path(e, doc))
        for e in events
        for doc in plans[e.id]
        if doc.spec.placement is not None and not doc.layout.event
    ]
    doc, target = tracked[0]
    key = replace(doc.spec, event=None, placement=pack_module.PLACEHOLDER)
    template_doc = Planned(key, doc.layout)
    calls = []
    original = PdfChannel.template
    monkeypatch.setattr(
        PdfChannel, "template", lambda self, d, *a: calls.append(d.spec) or original(self, d, *a)
    )
    first = pack_module.PackWorker(Builder(project)).templated(out, template_doc, [(doc, target)])
    made = (out / target).read_bytes()
    second = pack_module.PackWorker(Builder(project)).templated(out, template_doc, [(doc, target)])
    assert len(calls) == 1 and first == second and (out / target).read_bytes() == made


@pytest.mark.parametrize("tracked", [False, True])
def test_an_invitations_flyers_are_laid_out_once_and_give_the_same_bytes(tracked, tmp_path, monkeypatch):
    """An invitation's four flyers are one text: WeasyPrint lays out the first (copyfit tries included) and the
    renderer copies its boxes into the three other places. The invitations are the same bytes as when all four
    are laid out, tracked (each with its own QR code) or not."""
    from kit import render

    events = write_events(tmp_path / "e.csv", 6)
    project = (lambda: tracked_project(tmp_path)) if tracked else kit.load_project
    flyers: list[
        tuple[int, int]
    ] = []  # per WeasyPrint layout with invitations: (flyers laid out, invitations)
    original = render.Renderer._layout

    def layout(self, html, *args):
        if 'class="invite"' in html:
            flyers.append((html.count('class="invite"'), html.count('data-copy="1"')))
        return original(self, html, *args)

    monkeypatch.setattr(render.Renderer, "_layout", layout)
    fast = build_packs(project(), events, tmp_path / "fast", jobs=1)
    assert flyers and all(laid == invitations for laid, invitations in flyers), flyers
    monkeypatch.setattr(render, "fill_copies", lambda document: False)
    flyers.clear()
    slow = build_packs(project(), events, tmp_path / "slow", jobs=1)
    assert any(laid == 4 * invitations for laid, invitations in flyers), flyers  # refused: all four laid out
    invitations = {p: s for p, s in shas(fast).items() if "invitation" in p}
    assert invitations and invitations == {p: s for p, s in shas(slow).items() if "invitation" in p}


def test_the_run_keeps_no_documents_in_memory_and_writes_the_manifest_event_by_event(tmp_path):
    """A national run must not grow with N in the main process: a saved event's documents are read back from
    its state file when asked for, and the manifest is written event by event, as one json.dumps would be."""
    events = write_events(tmp_path / "e.csv", 4)
    out = tmp_path / "out"
    result = build_packs(kit.load_project(), events, out, jobs=1)
    assert all(e.status == "built" and e._documents is None and e.document_count > 0 for e in result.events)
    text = (out / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    assert [e["documents"] for e in manifest["events"]] == [e.documents for e in result.events]
    assert [len(e["documents"]) for e in manifest["events"]] == [e.document_count for e in result.events]
    again = build_packs(kit.load_project(), events, out, jobs=1)  # up to date: read back the same way
    assert [e.documents for e in again.events] == [e.documents for e in result.events]


def test_shared_documents_are_stored_once(tmp_path):
    events = write_events(tmp_path / "e.csv", 6)
    result = build_packs(kit.load_project(), events, tmp_path / "out", jobs=1)
    out = tmp_path / "out"
    by_name: dict[str, list[Path]] = {}
    for event in result.events:
        for doc in event.documents:
            if doc["layout"] == "summary-poster":
                by_name.setdefault(doc["path"].split("/", 1)[1], []).append(out / doc["path"])
    assert by_name and all(len(paths) >= 2 for paths in by_name.values())
    for paths in by_name.values():  # the same document in every pack of its kind: one file on disk
        assert len({p.stat().st_ino for p in paths}) == 1 and paths[0].stat().st_nlink >= len(paths)


def test_progress_is_saved_per_event_in_small_files(tmp_path):
    events = write_events(tmp_path / "e.csv", 5)
    out = tmp_path / "out"
    build_packs(kit.load_project(), events, out, jobs=1)
    saved = sorted(p.stem for p in (out / pack_module.STATE_DIR / "events").glob("*.json"))
    assert saved == sorted(["poste-0", "fs-1", "cafe-2", "poste-3", "fs-4"])
    assert not (out / pack_module.TMP_DIR).exists()
    # A row taken off the sheet: its state goes; the others stay up to date (stat, no re-reading of files).
    write_events(events, 4)
    again = build_packs(kit.load_project(), events, out, jobs=1)
    assert [e.status for e in again.events] == ["up-to-date"] * 4
    assert not (out / pack_module.STATE_DIR / "events" / "fs-4.json").exists()


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pack_module.OutputLock(out):
        with pytest.raises(kit.KitError, match="is being written by kit pack"):
            build_packs(kit.load_project(), write_events(tmp_path / "e.csv", 1), out, jobs=1)


def test_jobs_are_capped_at_the_cores(caplog):
    cores = os.cpu_count() or 1
    assert pack_module.worker_count(cores + 5) == cores and "cores" in caplog.text
    assert pack_module.worker_count(None) == cores and pack_module.worker_count(1) == 1


def test_a_lost_worker_is_replaced_and_its_tasks_run_again(tmp_path):
    pool = pack_module.WorkerPool(2, tmp_path)
    try:
        outcomes = pool.run([(json.loads, '[{"target": "ok"}]'), (os._exit, 3)])
    finally:
        pool.shutdown()
    assert {
        "target": "ok"
    } in outcomes  # the other task's result survives; the lost one, tried twice, gives none


def test_fresh_pools_take_over_long_runs_without_losing_queued_tasks(tmp_path, monkeypatch):
    """Workers are renewed by handing the next tasks to a fresh pool while the old one ends its queue (not by
    max_tasks_per_child, which deadlocked with tasks queued ahead: CPython gh-115634)."""
    import threading

    monkeypatch.setattr(pack_module.WorkerPool, "TASKS_PER_WORKER", 2)
    pool = pack_module.WorkerPool(2, tmp_path)
    outcomes: list = []
    try:
        handed = [
            pool.submit([(json.loads, f'[{{"target": "{n}-{i}"}}]') for i in range(3)]) for n in range(5)
        ]
        worker = threading.Thread(
            target=lambda: [outcomes.extend(pool.collect(h)) for h in handed], daemon=True
        )
        worker.start()
        worker.join(timeout=120)
        assert not worker.is_alive(), "the pool hung"
    finally:
        pool.shutdown()
    assert sorted(o["target"] for o in outcomes) == sorted(f"{n}-{i}" for n in range(5) for i in range(3))
    assert pool.generation == 2  # a fresh pool once four tasks (two workers, two each) were handed over


def test_tasks_handed_over_after_a_worker_stopped_still_run(tmp_path):
    """Chunks are handed over ahead: a worker that stops while earlier chunks run must not lose later ones."""
    pool = pack_module.WorkerPool(2, tmp_path)
    try:
        first = pool.submit([(os._exit, 3)])
        deadline = time.monotonic() + 60
        while not pool.pool._broken and time.monotonic() < deadline:  # the pool notices the lost worker
            time.sleep(0.05)
        later = pool.submit([(json.loads, '[{"target": "later"}]')])
        assert pool.collect(first) == [] and pool.collect(later) == [{"target": "later"}]
    finally:
        pool.shutdown()


KILL_RUN = """
import sys, kit
from kit.pack import build_packs
build_packs(kit.load_project(), sys.argv[1], sys.argv[2], jobs=2)
"""


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


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_workers_end_when_kit_pack_is_killed(tmp_path):
    events = write_events(tmp_path / "e.csv", 30)
    parent = subprocess.Popen(
        [sys.executable, "-c", KILL_RUN, str(events), str(tmp_path / "out")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [
            pid
            for pid in _children(parent.pid)
            if "spawn_main" in (Path("/proc") / str(pid) / "cmdline").read_text(errors="replace")
        ]
        time.sleep(0.2)
    assert workers, "no worker process started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def test_the_per_event_builder_with_one_pool_for_many_folders(tmp_path):
    """The web app's way: one worker pool (not tied to a folder) builds one event at a time into different
    folders, through the same builder as kit pack, and gives the same bytes as kit pack."""
    project = kit.load_project()
    events = read_events(write_events(tmp_path / "e.csv", 2), venues=project.kb.venues).events
    batch = build_packs(project, tmp_path / "e.csv", tmp_path / "batch", jobs=2)
    with pack_module.WorkerPool(2) as pool:
        alone = [pack_module.build_event(project, e, tmp_path / f"alone-{e.id}", pool) for e in events]
        tmp = pool.tmp
        assert tmp.is_dir()
    assert not tmp.exists()  # the pool's own temporary folder goes with it
    assert [r.status for r in alone] == ["built", "built"] and all(r.failures == [] for r in alone)
    assert {d["path"]: d["sha256"] for r in alone for d in r.documents} == shas(batch)
    assert (tmp_path / f"alone-{events[0].id}" / events[0].id / "fr").is_dir()


def test_jobs_1_leaves_the_process_temporary_folder_alone(tmp_path):
    """--jobs 1 runs in this process: it must not point this process's temporary files (tempfile.tempdir) at
    the run's folder, even for the run's duration (a web app's other requests share the process)."""
    import tempfile

    before = tempfile.tempdir
    seen = []
    build_packs(
        kit.load_project(),
        write_events(tmp_path / "e.csv", 1),
        tmp_path / "out",
        jobs=1,
        progress=lambda *_: seen.append(tempfile.tempdir),
    )
    assert seen == [before] and tempfile.tempdir == before


def test_workers_keep_projects_by_settings_not_by_folder(tmp_path):
    """A worker loads a project once per settings, whatever the output folder, and keeps a few at most."""
    from kit.pack.worker import WORKER_PROJECTS, in_worker, worker_for

    worker_for.cache_clear()
    project = kit.load_project()
    events = read_events(write_events(tmp_path / "e.csv", 1), venues=project.kb.venues).events
    doc = next(d for d in pack_module.plan_event(project, events[0]) if d.spec.event is None)
    settings = replace(project.settings, check=False)
    for folder in ("a", "b"):
        outcome = in_worker(settings, str(tmp_path / folder), "one", doc, f"x/{doc.path}")
        assert "doc" in outcome, outcome
    info = worker_for.cache_info()
    assert (info.misses, info.hits, info.maxsize) == (1, 1, WORKER_PROJECTS)
    worker_for.cache_clear()


def test_failures_are_data(tmp_path, monkeypatch):
    """A failed row and a failed document are Failures (kind, message, problems, document): the command line
    prints them and an API can answer them as JSON; the manifest keeps them too."""
    from kit.build import Builder
    from kit.errors import FitError

    original = Builder.build

    def build(self, doc, *args, **kwargs):
        if doc.spec.layout == "guide":
            raise FitError("the guide's answers do not fit their page.")
        return original(self, doc, *args, **kwargs)

    monkeypatch.setattr(Builder, "build", build)
    events = tmp_path / "e.csv"
    events.write_text("\n".join([HEADER, ROWS[2].format(i=0), "x;Mairie;;;;;2026-13-01;;;fr;oui;"]) + "\n")
    result = build_packs(kit.load_project(), events, tmp_path / "out", jobs=1)
    cafe, row = result.events
    (failure,) = row.failures
    assert (row.id, failure.kind, failure.document) == ("x", "row", None)
    assert {p["code"] for p in failure.problems} == {"unknown-venue-type", "required", "invalid-date"}
    assert json.loads(json.dumps(failure.as_dict()))["problems"][0]["field"] == "venue_type"
    (failure,) = cafe.failures
    assert (cafe.status, failure.kind, failure.document) == ("failed", "document", "cafe-0/fr/guide-A4.pdf")
    assert "do not fit" in failure.message and cafe.errors == [failure.message]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [e["failures"][0]["kind"] for e in manifest["events"]] == ["document", "row"]
