"""Benchmark: the companion site with its print library (kit.library): a first `kit site` that builds every PDF, a
second with nothing changed (the issue asks under 10 s for every language), and the site without its library.

Run with the installed kit:  .venv/bin/python benchmarks/library.py [--lang fr,en] [--runs 3] [--channels]
(or ./dev bench library). Default: every language of the site (all 8). Each run is the `kit site` command in a
new process, as a person runs it, in a temporary folder with a kit.toml giving the site's address (the library is
on by default); --channels also turns on kit.toml's [build] channels (cards, newsletter, slides and video).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITE = "https://sante.exemple.org/campagne/"


def kit_site(folder: Path, out: str, langs: str | None, *extra: str) -> tuple[float, float | None]:
    """The command's time, and the library's share of it (as `kit site` prints it)."""
    kit = Path(sys.executable).with_name("kit")
    started = time.perf_counter()
    done = subprocess.run(
        [
            str(kit),
            "site",
            "--out",
            out,
            *(["--lang", langs] if langs else []),
            "--config",
            "kit.toml",
            *extra,
        ],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    share = re.search(r"^Print library: .* in ([0-9.]+) s$", done.stdout, re.M)
    return seconds, float(share.group(1)) if share else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default=None, help="The site's languages (default: every language).")
    parser.add_argument(
        "--channels", action="store_true", help="Also the social cards, newsletter and slides."
    )
    parser.add_argument("--runs", type=int, default=3, help="Second runs to time (default 3).")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kit-bench-library-"))
    try:
        (folder / "kit.toml").write_text(
            f'[contact]\nphone = "01 23 45 67 89"\n[site]\nbase_url = "{SITE}"\n'
            + ('[build]\nchannels = ["print", "social", "email", "slides"]\n' if args.channels else ""),
            encoding="utf-8",
        )
        plain, _ = kit_site(folder, "plain", args.lang, "--no-library")
        first, first_share = kit_site(folder, "site", args.lang)
        runs = [kit_site(folder, "site", args.lang) for _ in range(args.runs)]
        again = [seconds for seconds, _ in runs]
        shares = [share for _, share in runs]
        manifest = json.loads((folder / "site" / "manifest.json").read_text(encoding="utf-8"))
        files = manifest["library"]["files"]
        size = sum(entry["bytes"] for entry in files) + sum(z["bytes"] for z in manifest["library"]["zips"])
        langs = args.lang or ",".join(manifest["library"]["languages"])
        print(f"languages: {langs}; {len(files)} files, {size / 1e6:.1f} MB with the zips")
        print(f"kit site without the library:        {plain:6.1f} s")
        print(f"kit site, first run (every file):    {first:6.1f} s (the library: {first_share:.1f} s)")
        print(
            f"kit site, nothing changed ({args.runs} runs): median {statistics.median(again):.1f} s, "
            f"max {max(again):.1f} s (the issue asks under 10 s); the library's share: "
            f"median {statistics.median(shares):.1f} s"
        )
        print("(machine load now, 1/5/15 min: " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + ")")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
