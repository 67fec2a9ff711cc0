"""Benchmark: where a pack's time goes, layout by layout (WeasyPrint's layout and its writing), in one process.

Run with the installed kit:  .venv/bin/python benchmarks/documents.py 90 [--track]
N synthetic events (the same as benchmarks/national.py) are packed twice in this process with `--jobs 1`: once
to warm the caches (fonts, stylesheets, copyfit sizes and, with --track, the templates of the documents that
differ only by their QR code), then again, timed. For each layout: how many WeasyPrint layouts and pages, how
many documents written, and the milliseconds per event spent laying out and writing; then what is left (the
templates' copies, the fit checks, the HTML, the files).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from national import write_events  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=90)
    parser.add_argument("--track", action="store_true", help="A placement code in every QR code.")
    args = parser.parse_args()

    import kit
    from kit.channels import pdf
    from kit.pack import build_packs

    laid = collections.defaultdict(lambda: [0, 0, 0.0])  # layout -> [layouts, pages, seconds]
    written = collections.defaultdict(lambda: [0, 0.0])  # layout -> [documents, seconds]
    layout, write = pdf.PdfChannel._layout, pdf.PdfChannel._write

    def timed_layout(self, doc, html):
        start = time.perf_counter()
        rendered = layout(self, doc, html)
        entry = laid[doc.spec.layout]
        entry[0] += 1
        entry[1] += rendered.pages
        entry[2] += time.perf_counter() - start
        return rendered

    def timed_write(self, doc, rendered, prepared):
        start = time.perf_counter()
        output = write(self, doc, rendered, prepared)
        entry = written[doc.spec.layout]
        entry[0] += 1
        entry[1] += time.perf_counter() - start
        return output

    pdf.PdfChannel._layout, pdf.PdfChannel._write = timed_layout, timed_write
    with tempfile.TemporaryDirectory(prefix="kit-documents-") as tmp:
        folder = Path(tmp)
        events = folder / "events.csv"
        write_events(events, args.count)
        config = folder / "kit.toml"
        config.write_text('[site]\nbase_url = "https://donnees-sante.exemple.fr/"\n', encoding="utf-8")
        project = kit.load_project(kit.Settings(config=config, track=args.track))
        build_packs(project, events, folder / "warm", jobs=1)
        laid.clear()
        written.clear()
        start = time.perf_counter()
        build_packs(project, events, folder / "timed", jobs=1)
        total = time.perf_counter() - start

    n = args.count
    print(f"{n} events{' --track' if args.track else ''}, one process: {total * 1000 / n:.0f} ms per event")
    print(
        f"{'layout':16s} {'layouts':>7s} {'pages':>6s} {'layout ms':>10s} {'written':>8s} {'write ms':>9s}  (per event)"
    )
    accounted = 0.0
    for name in sorted(set(laid) | set(written), key=lambda k: -(laid[k][2] + written[k][1])):
        layouts, pages, seconds = laid[name]
        documents, writing = written[name]
        accounted += seconds + writing
        print(
            f"{name:16s} {layouts:7d} {pages:6d} {seconds * 1000 / n:10.1f} {documents:8d} {writing * 1000 / n:9.1f}"
        )
    print(
        f"{'the rest':16s} {'':7s} {'':6s} {(total - accounted) * 1000 / n:10.1f}  (templates' copies, fit checks, "
        "HTML, files, progress)"
    )


if __name__ == "__main__":
    main()
