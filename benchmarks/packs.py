"""Benchmark: event packs for N synthetic events (mixed venue types), kit's way against the naive way.

Run with the installed kit:  .venv/bin/python benchmarks/packs.py 200 [--jobs 2] [--skip-naive]
Prints total seconds, milliseconds per pack and per document, peak memory (this process and its
workers), and the same batch built naively (one WeasyPrint set-up per document, nothing shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

VENUES = [("La Poste", "Bureau de poste"), ("France Services", "France Services"), ("Café IA", "Médiathèque")]
CITIES = ["Lyon", "Lille", "Besançon", "Rennes", "Nîmes", "Brest", "Metz", "Pau"]


def write_events(path: Path, count: int) -> None:
    lines = [
        "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;langues;falc;exemplaires"
    ]
    start = dt.date(2026, 3, 2)
    for i in range(count):
        venue, name = VENUES[i % 3]
        city = CITIES[i % len(CITIES)]
        day = start + dt.timedelta(days=i % 120)
        langs = "fr,en" if i % 5 == 0 else "fr"
        falc = "oui" if i % 2 == 0 else "non"
        lines.append(
            f"ev-{i:04d};{venue};{name} {city} {i};{i + 1} rue de la Gare;{69000 + i % 90:05d};{city};"
            f"{day.isoformat()};18:00;19:30;{langs};{falc};{10 + i % 30}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=200)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--skip-naive", action="store_true", help="Only time kit's way.")
    args = parser.parse_args()

    import kit
    from kit.pack import build_packs, build_packs_naive
    from kit.render import harfbuzz_subset_available

    tmp = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    try:
        events = tmp / "events.csv"
        write_events(events, args.count)
        print(f"{args.count} events; libharfbuzz-subset: {'yes' if harfbuzz_subset_available() else 'no'}")

        project = kit.load_project()
        start = time.perf_counter()
        result = build_packs(project, events, tmp / "packs", jobs=args.jobs)
        seconds = time.perf_counter() - start
        documents = sum(len(e.documents) for e in result.events)
        own, children = peak_mb()
        print(
            f"kit:   {seconds:8.2f} s  {seconds / args.count * 1000:7.1f} ms/pack  "
            f"{seconds / max(documents, 1) * 1000:6.1f} ms/document  ({documents} documents, "
            f"{result.count('built')} packs built, {result.count('failed')} failed)"
        )
        print(f"peak memory: {own:.0f} MB in this process, {children:.0f} MB in the largest worker")

        start = time.perf_counter()
        again = build_packs(project, events, tmp / "packs", jobs=args.jobs)
        print(f"rerun: {time.perf_counter() - start:8.2f} s  ({again.count('up-to-date')} packs up to date)")

        if not args.skip_naive:
            start = time.perf_counter()
            naive_docs = build_packs_naive(project, events, tmp / "naive")
            naive = time.perf_counter() - start
            print(
                f"naive: {naive:8.2f} s  {naive / args.count * 1000:7.1f} ms/pack  "
                f"{naive / max(naive_docs, 1) * 1000:6.1f} ms/document  ({naive_docs} documents)"
            )
            print(f"kit is {naive / seconds:.1f}x faster than the naive way")
        print(json.dumps({"events": args.count, "seconds": round(seconds, 2)}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
