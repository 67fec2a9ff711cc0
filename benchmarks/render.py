"""Benchmark: seconds per document for the default kit, with and without reuse of the WeasyPrint set-up.

Run with the installed kit:  .venv/bin/python benchmarks/render.py [--repeat N]
(CPU time per document is printed too: on a shared machine, compare that.)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def run(reuse: bool, repeat: int) -> list[float]:
    import kit
    from kit.build import Builder
    from kit.plan import plan_kit

    project = kit.load_project(check=False)
    specs = plan_kit(project)
    per_doc, cpu_per_doc = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            builder = Builder(project, reuse=reuse)
            start, cpu = time.perf_counter(), time.process_time()
            for doc in specs:
                builder.build(doc, Path(tmp) / doc.path)
            per_doc.append((time.perf_counter() - start) / len(specs))
            cpu_per_doc.append((time.process_time() - cpu) / len(specs))
    return per_doc, cpu_per_doc, len(specs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import weasyprint

    from kit.render import harfbuzz_subset_available

    print(
        f"WeasyPrint {weasyprint.__version__}; libharfbuzz-subset used: {'yes' if harfbuzz_subset_available() else 'no (fontTools fallback)'}"
    )
    # Warm-up: imports and the first font load are not part of the per-document cost.
    run(True, 1)
    results = {}
    for reuse in (True, False):
        times, cpu_times, count = run(reuse, args.repeat)
        results[reuse] = statistics.median(times)
        label = "shared fonts + parsed CSS" if reuse else "fresh set-up per document"
        # CPU time is the figure to compare on a shared machine: wall time counts the other processes' turns.
        print(
            f"{label:28s}: {results[reuse] * 1000:7.1f} ms per document, "
            f"{statistics.median(cpu_times) * 1000:7.1f} ms of CPU "
            f"({count} documents, median of {args.repeat} runs: {results[reuse] * count:.2f} s per kit)"
        )
    print(f"reuse speed-up: {results[False] / results[True]:.2f}x")


if __name__ == "__main__":
    main()
