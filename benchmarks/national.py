"""Benchmark: a national campaign's event packs, with and without tracking, in one run.

Run with the installed kit:  .venv/bin/python benchmarks/national.py 1000 [--jobs 2] [--keep DIR]
N synthetic events (a third each of post offices, France Services and Cafés IA; two-line addresses; a quarter
bilingual; FALC on every other row) packed twice: without tracking, then with `--track` (a placement code in
every QR code). Prints milliseconds per event, the ratio tracked/untracked, the peak memory of the largest
process, the disk used per event, and the projection to 20,000 events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VENUES = [("La Poste", "Bureau de poste"), ("France Services", "France Services"), ("Café IA", "Médiathèque")]
CITIES = [
    "Lyon",
    "Lille",
    "Besançon",
    "Rennes",
    "Nîmes",
    "Brest",
    "Metz",
    "Pau",
    "Saint-Denis",
    "Aubervilliers",
]
STREETS = ["rue de la Gare", "avenue Jean Jaurès", "place de la République", "boulevard Victor Hugo"]


def write_events(path: Path, count: int) -> None:
    lines = [
        "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;contact;langues;"
        "falc;exemplaires"
    ]
    start = dt.date(2027, 3, 1)
    for i in range(count):
        venue, name = VENUES[i % 3]
        city = CITIES[i % len(CITIES)]
        day = start + dt.timedelta(days=i % 200)
        langs = "fr,en" if i % 4 == 0 else "fr"
        falc = "oui" if i % 2 == 0 else "non"
        # Two-line addresses: a building and a street.
        address = f"Bâtiment {chr(65 + i % 6)}, {i % 180 + 1} {STREETS[i % len(STREETS)]}"
        lines.append(
            f"ev-{i:05d};{venue};{name} {city} {i};{address};{(69000 + i * 7) % 95000 + 1000:05d};{city};"
            f"{day.isoformat()};18:00;19:30;04 78 00 {i % 100:02d} {i % 97:02d};{langs};{falc};{10 + i % 40}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def du(folder: Path) -> int:
    """Bytes on disk, counting a hard-linked file once (as `du` does)."""
    seen, total = set(), 0
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total


def run(events: Path, out: Path, config: Path | None, track: bool, jobs: int | None) -> dict:
    """One `kit pack` in a child process, so that its peak memory and its workers' are measured alone."""
    code = (
        "import sys, time, resource, json, kit\n"
        "from kit.pack import build_packs\n"
        f"project = kit.load_project(kit.Settings(config={str(config)!r} if {config is not None} else None, "
        f"track={track}))\n"
        "start = time.perf_counter()\n"
        f"result = build_packs(project, {str(events)!r}, {str(out)!r}, jobs={jobs!r})\n"
        "seconds = time.perf_counter() - start\n"
        "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "own, workers = me.ru_maxrss / 1024, kids.ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': seconds, 'built': result.count('built'), 'failed': result.count('failed'),"
        " 'documents': sum(len(e.documents) for e in result.events), 'main_mb': own, 'worker_mb': workers,"
        " 'main_cpu': me.ru_utime + me.ru_stime, 'workers_cpu': kids.ru_utime + kids.ru_stime}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=200)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="Keep the packs in this folder.")
    parser.add_argument(
        "--only",
        choices=["untracked", "track"],
        default=None,
        help="Run one of the two packs only (no ratio).",
    )
    args = parser.parse_args()

    from kit.render import harfbuzz_subset_available

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="kit-national-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        events = tmp / "events.csv"
        write_events(events, args.count)
        config = tmp / "kit.toml"
        config.write_text('[site]\nbase_url = "https://donnees-sante.exemple.fr/"\n', encoding="utf-8")
        print(
            f"{args.count} events, {os.cpu_count()} cores, jobs {args.jobs or os.cpu_count()}; "
            f"libharfbuzz-subset: {'yes' if harfbuzz_subset_available() else 'no'}"
        )
        results = {}
        for track in [
            t for t in (False, True) if args.only is None or args.only == ("track" if t else "untracked")
        ]:
            out = tmp / ("tracked" if track else "plain")
            shutil.rmtree(out, ignore_errors=True)
            r = run(events, out, config, track, args.jobs)
            disk = du(out)
            per_event = r["seconds"] / args.count * 1000
            results[track] = per_event
            label = "--track" if track else "untracked"
            print(
                f"{label:10s} {r['seconds']:8.1f} s  {per_event:7.1f} ms/event  ({r['documents']} documents, "
                f"{r['built']} built, {r['failed']} failed)  peak: main {r['main_mb']:.0f} MB, largest worker "
                f"{r['worker_mb']:.0f} MB  disk {disk / args.count / 1024:.0f} KB/event  "
                f"-> 20,000 events: {per_event * 20000 / 60000:.1f} min"
            )
            print(
                f"{'':10s} CPU per event: main {r['main_cpu'] / args.count * 1000:.0f} ms, workers "
                f"{r['workers_cpu'] / args.count * 1000:.0f} ms"
            )
        if len(results) == 2:
            print(f"tracked / untracked: {results[True] / results[False]:.2f}")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
