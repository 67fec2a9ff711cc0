"""Benchmark of `kit report`: a synthetic campaign's access logs read by kit and by GoAccess, on the same files.

    python benchmarks/report.py [--lines 10000000] [--days 10] [--folder DIR] [--no-goaccess] [--jobs N]
    (with --folder the generated logs are kept there, and reused by a run with the same --lines and --days)
    ./dev bench report [...]            # the same, after installing GoAccess (Debian's goaccess) when missing

Writes --days rotated daily logs (access.log.9 ... access.log.1, access.log; nginx combined format) of --lines lines
in all: QR-code scans of 2,000 placements (8 %), pages (12 %), pictures, stylesheets and fonts (50 %), bots and
link previews (22 %), scanners' 404s (5 %), HEAD requests and redirects (3 %), and a few unreadable lines (TLS
handshakes, garbage). Then prints, each measured in a process of its own (wall time, CPU, largest process):

1. kit report over every log, from an empty output folder;
2. GoAccess 1.7 (`--log-format=COMBINED --ignore-crawlers`, JSON output) over the same files;
3. kit again after one more day was appended to access.log: only the new lines are read;
4. kit after rotation (access.log.1 compressed to access.log.2.gz, every file renamed): nothing new is read.

Targets (issue 24): 10 million lines in 30 s or less on a 2-core machine, the largest process under 500 MB, at
least 3 times faster than GoAccess, and a run with one more day costing in proportion to the new lines. The machine
must be quiet: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

CODES = 2000
ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
PEOPLE = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{v} "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 1{v}; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12{v}.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S91{v}B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 "
    "Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/12{v}.0.0.0 "
    "Safari/537.36",
]
BOTS = [
    "WhatsApp/2.23.20.0 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "curl/8.5.0",
    "-",
]
PAGES = [
    "fr/",
    "fr/pourquoi/",
    "fr/securite/",
    "fr/droits/",
    "fr/facile/",
    "fr/facile/securite/",
    "en/",
    "en/why/",
]
ASSETS = ["assets/site.css", "assets/fonts/atkinson.woff2", "assets/logo.svg", "assets/pictos/lock.svg"]
SCANNERS = ["/wp-login.php", "/.env", "/xmlrpc.php", "/admin/", "/phpmyadmin/"]


def codes(seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(6)) for _ in range(CODES)]


def requests(rng: random.Random, placement_codes: list[str]) -> list[tuple[float, list[str]]]:
    """Kinds of lines with their share, each a pool of `"request" status size "referrer" "agent"` endings."""
    site = "https://sante.exemple.org/"

    def people(n):
        return [PEOPLE[i % len(PEOPLE)].format(v=i % 10) for i in range(n)]

    agents = people(40)
    scans = [
        f'"GET /{rng.choice(PAGES)}?p={code} HTTP/{rng.choice(("1.1", "2.0"))}" 200 {rng.randint(2000, 9000)} "-" '
        f'"{rng.choice(agents)}"'
        for code in placement_codes
        for _ in range(2)
    ]
    pages = [
        f'"GET /{page} HTTP/2.0" {rng.choice((200, 200, 304))} {rng.randint(2000, 9000)} '
        f'"{rng.choice(("-", site + rng.choice(PAGES)))}" "{agent}"'
        for page in PAGES
        for agent in agents
    ]
    assets = [
        f'"GET /{asset} HTTP/2.0" {rng.choice((200, 304))} {rng.randint(200, 90000)} "{site}{rng.choice(PAGES)}" '
        f'"{agent}"'
        for asset in ASSETS
        for agent in agents
    ]
    bots = [
        f'"GET /{rng.choice(PAGES)}{rng.choice(("", "?p=" + rng.choice(placement_codes)))} HTTP/1.1" 200 '
        f'{rng.randint(2000, 9000)} "-" "{bot}"'
        for bot in BOTS
        for _ in range(30)
    ] + [f'"GET /robots.txt HTTP/1.1" 200 42 "-" "{bot}"' for bot in BOTS]
    scanners = [f'"GET {path} HTTP/1.1" 404 162 "-" "Mozilla/5.0 zgrab/0.x"' for path in SCANNERS]
    others = [
        f'"HEAD /fr/?p={rng.choice(placement_codes)} HTTP/1.1" 200 0 "-" "{rng.choice(agents)}"'
        for _ in range(50)
    ] + [
        f'"GET /fr?p={rng.choice(placement_codes)} HTTP/1.1" 301 169 "-" "{rng.choice(agents)}"'
        for _ in range(50)
    ]
    return [(0.08, scans), (0.12, pages), (0.50, assets), (0.22, bots), (0.05, scanners), (0.03, others)]


def write_day(path: Path, day: datetime, count: int, rng: random.Random, kinds, clients: list[str]) -> None:
    """One day of log, lines in time order, written a hundred thousand at a time."""
    bounds, total = [], 0.0
    for share, pool in kinds:
        total += share
        bounds.append((total, pool))
    stamps = [(day + timedelta(seconds=s)).strftime("%d/%b/%Y:%H:%M:%S %z") for s in range(86400)]
    random_, choice = rng.random, rng.choice
    batch = []
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for index in range(count):
            stamp = stamps[index * 86400 // count]
            if random_() < 0.0005:
                batch.append(
                    f'{choice(clients)} - - [{stamp}] "\\x16\\x03\\x01\\x02\\x00\\x01" 400 157 "-" "-"\n'
                )
                continue
            if random_() < 0.0002:
                batch.append("garbage that is not a log line\n")
                continue
            pick = random_()
            pool = next(pool for bound, pool in bounds if pick < bound)
            batch.append(f"{choice(clients)} - - [{stamp}] {choice(pool)}\n")
            if len(batch) >= 100_000:
                handle.write("".join(batch))
                batch.clear()
        handle.write("".join(batch))


def generate(folder: Path, lines: int, days: int, seed: int = 24) -> tuple[list[Path], Path]:
    rng = random.Random(seed)
    placement_codes = codes(seed)
    kinds = requests(rng, placement_codes)
    clients = [
        f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        if rng.random() < 0.8
        else f"2a01:cb00:{rng.randint(0, 65535):x}:{rng.randint(0, 65535):x}::{rng.randint(1, 65535):x}"
        for _ in range(200_000)
    ]
    start = datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=1)))
    files = []
    for index in range(days):
        name = "access.log" if index == days - 1 else f"access.log.{days - 1 - index}"
        write_day(folder / name, start + timedelta(days=index), lines // days, rng, kinds, clients)
        files.append(folder / name)
    placements = folder / "placements.csv"
    with open(placements, "w", encoding="utf-8") as handle:
        handle.write("code,event_id,venue_type,venue_name,city,document,lang,address,postcode,departement\n")
        for number, code in enumerate(placement_codes):
            kind = ("la-poste", "france-services", "cafe-ia")[number % 3]
            postcode = f"{10000 + number * 37 % 85000:05d}"
            handle.write(
                f"{code},event-{number // 6},{kind},Lieu {number // 6},Ville {number % 97},"
                f"event-{number // 6}/fr/doc-{number % 6}.pdf,fr,sante.exemple.org/fr/,{postcode},{postcode[:2]}\n"
            )
    return files, placements


MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                  "max_rss_mb": usage.ru_maxrss / 1024, "code": done.returncode,
                  "out": done.stdout.decode(errors="replace")[-4000:], "err": done.stderr.decode(errors="replace")[-2000:]}))
"""


def measure(command: list[str]) -> dict:
    """Run ``command`` in a process of its own; its wall time, CPU (it and its workers), largest process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{command[0]} failed ({result['code']}): {result['err']}")
    return result


def kit_command(files, placements, out, jobs) -> list[str]:
    command = [sys.executable, "-m", "kit", "report", *map(str, files), "--placements", str(placements)]
    command += ["--out", str(out), "--json"]
    return command + (["--jobs", str(jobs)] if jobs else [])


def line(what: str, result: dict, lines: int) -> str:
    rate = lines / result["wall"] if result["wall"] else 0
    return (
        f"{what:<44} {result['wall']:8.1f} s wall {result['cpu']:8.1f} s CPU {rate / 1e6:6.2f} M lines/s "
        f"largest process {result['max_rss_mb']:6.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--folder", type=Path, help="keep the logs here (default: a temporary folder)")
    parser.add_argument("--no-goaccess", action="store_true")
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="kit-report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    started = time.perf_counter()
    base, stamp = folder / "logs", {"lines": args.lines, "days": args.days, "seed": 24}
    if not (base / "made.json").is_file() or json.loads((base / "made.json").read_text()) != stamp:
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        generate(base, args.lines, args.days)
        (base / "made.json").write_text(json.dumps(stamp))
    run = (
        folder / "run"
    )  # this run's copy: the current log copied (a day is appended to it), the others linked
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir()
    names = [f"access.log.{args.days - 1 - i}" for i in range(args.days - 1)] + ["access.log"]
    for name in names[:-1]:
        os.link(base / name, run / name)
    shutil.copyfile(base / names[-1], run / names[-1])
    files, placements = [run / name for name in names], base / "placements.csv"
    size = sum(path.stat().st_size for path in files)
    print(
        f"{args.lines:,} lines in {len(files)} files ({size / 1e9:.2f} GB), ready in {time.perf_counter() - started:.0f} s"
    )
    out = folder / "report"
    shutil.rmtree(out, ignore_errors=True)

    first = measure(kit_command(files, placements, out, args.jobs))
    summary = json.loads(first["out"])
    print(line("kit report, every log", first, args.lines))
    print(
        f"    {summary['lines_read']:,} lines read, {summary['lines_skipped']:,} skipped, {summary['bots']:,} bots, "
        f"{summary['scans']:,} scans, {summary['unknown_codes']:,} of unknown codes"
    )
    if not args.no_goaccess:
        goaccess = shutil.which("goaccess")
        if goaccess is None:
            print(
                "GoAccess is not installed: apt-get install goaccess (or ./dev bench report), or --no-goaccess"
            )
        else:
            version = subprocess.run([goaccess, "--version"], capture_output=True, text=True).stdout.split(
                "\n"
            )[0]
            other = measure(
                [
                    goaccess,
                    *map(str, files),
                    "--log-format=COMBINED",
                    "--no-global-config",
                    "--no-progress",
                    "--ignore-crawlers",
                    "-o",
                    str(folder / "goaccess.json"),
                ]
            )
            print(line(f"{version}, the same files", other, args.lines))
            print(
                f"    kit is {other['wall'] / first['wall']:.1f} times faster (wall), "
                f"{other['cpu'] / first['cpu']:.1f} times less CPU"
            )

    day = files[-1].stat().st_size
    per_day = args.lines // args.days
    rng = random.Random(99)
    extra = folder / "extra.log"
    write_day(
        extra,
        datetime(2026, 3, 1, tzinfo=timezone(timedelta(hours=1))) + timedelta(days=args.days),
        per_day,
        rng,
        requests(rng, codes(24)),
        [f"198.51.{n // 250}.{n % 250 + 1}" for n in range(50_000)],
    )
    with open(files[-1], "ab") as handle, open(extra, "rb") as new:
        shutil.copyfileobj(new, handle)
    extra.unlink()
    again = measure(kit_command(files, placements, out, args.jobs))
    read = json.loads(again["out"])["lines_read"]
    print(line("kit report, one more day appended", again, read))
    print(
        f"    {read:,} new lines read; per line, {again['cpu'] / first['cpu'] * args.lines / max(read, 1):.2f} x the "
        f"first run's CPU and {again['wall'] / first['wall'] * args.lines / max(read, 1):.2f} x its wall time "
        "(1.00: in proportion to the new lines; the start, about a second of CPU, is paid by every run)"
    )

    # Rotation: access.log.1 compressed to access.log.2.gz, access.log to access.log.1, every number up by one.
    rotated = run / "rotated"
    shutil.rmtree(rotated, ignore_errors=True)
    rotated.mkdir()
    moved = []
    for number, path in enumerate(reversed(files)):
        target = rotated / f"access.log.{number + 1}"
        if number == 1:
            with open(path, "rb") as source, gzip.open(f"{target}.gz", "wb", compresslevel=6) as packed:
                shutil.copyfileobj(source, packed)
            moved.append(Path(f"{target}.gz"))
        else:
            os.link(path, target)
            moved.append(target)
    after = measure(kit_command(moved, placements, out, args.jobs))
    print(line("kit report, after rotation (one file .gz)", after, per_day))
    print(
        f"    {json.loads(after['out'])['lines_read']:,} lines read (the compressed file is recognised by its content)"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}; logs in {folder} ({day / 1e6:.0f} MB a day)")
    shutil.rmtree(run)
    if not args.folder:
        shutil.rmtree(folder)


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    main()
