"""kit report from end to end: exact counts on logs whose true counts are known, a second run changes nothing
(even over renamed and recompressed copies), a grown log is read from where the last run stopped, no address is
written anywhere, and logs that cannot be read get a clear message (exit 1 only when nothing could be read)."""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kit.placements import Place, Placement, write_placements_csv
from kit.report import ReportOptions, build_report

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)  # the access_log fixture's default user agent
ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
    "Safari/537.36"
)
WHATSAPP = "WhatsApp/2.23.20.0 A"
CET, CEST, PDT = (timezone(timedelta(hours=h)) for h in (1, 2, -7))
A, B, C = (
    "k3F9ab",
    "Zx81Qp",
    "m0N0p0",
)  # Lyon's poster, Paris's Easy-to-Read booklet, Rennes's leaflet (unscanned)
P1, P1_IPV6, SITE = "203.0.113.5", "2001:db8::1", "https://sante.exemple.org/"
ADDRESSES = [
    P1,
    P1_IPV6,
    "31.13.1.1",
    "198.51.100.7",
    "198.51.100.9",
    "192.0.2.10",
    "192.0.2.11",
    "192.0.2.12",
]
ADDRESSES += ["192.0.2.13", "192.0.2.20", "192.0.2.30", "192.0.2.40", "192.0.2.41", "192.0.2.50"]


def at(day: int, hour: int, minute: int, zone=CET, month: int = 3) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=zone)


def placements_file(folder: Path) -> Path:
    rows = [
        Placement.of(
            Place("lyon-poste", "la-poste", "Bureau de Lyon", postcode="69001", city="Lyon"),
            A,
            "fr/poster.pdf",
            "fr",
            "sante.exemple.org/fr/securite/",
            "poster",
            "standard",
        ),
        Placement.of(
            Place("paris-fs", "france-services", "France Services Paris 11", postcode="75011", city="Paris"),
            B,
            "fr/livret.pdf",
            "fr",
            "sante.exemple.org/fr/facile/",
            "falc-booklet",
            "falc",
        ),
        Placement.of(
            Place("rennes-cafe", "cafe-ia", "Café IA Rennes", postcode="35000", city="Rennes"),
            C,
            "en/leaflet.pdf",
            "en",
            "sante.exemple.org/en/",
            "leaflet",
            "standard",
        ),
    ]
    return write_placements_csv(folder / "placements.csv", rows)


def site_folder(folder: Path, base_url: str | None = None) -> Path:
    """A `kit site` manifest with the pages the logs ask for (the pages themselves are not needed)."""
    pages = ["", "fr/", "fr/securite/", "fr/droits/", "fr/facile/", "fr/facile/securite/", "en/"]
    entries = [
        {
            "path": f"{a}index.html",
            "address": a,
            "page": "question" if a.count("/") > 1 else "home",
            "lang": "en" if a.startswith("en") else "fr",
            "level": "falc" if "facile" in a else "standard",
            "title": f"Page {a or 'root'} – Site",
        }
        for a in pages
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(
        json.dumps({"base_url": base_url, "pages": entries}), encoding="utf-8"
    )
    return folder


def older_log(access_log):
    """The rotated, compressed log: 5 March 2024, 10:00 to 10:05."""
    log = access_log()
    log.hit(at(5, 10, 0), P1, f"/fr/securite/?p={A}")  # scan A
    log.hit(at(5, 10, 1), P1, "/fr/droits/", referrer=SITE + "fr/securite/")  # read after the scan
    log.hit(at(5, 10, 3), P1, "/fr/droits/", referrer=SITE + "fr/securite/")  # the same page again: once
    log.hit(at(5, 10, 3), P1, "/assets/site.css", referrer=SITE + "fr/droits/")  # a stylesheet
    log.hit(at(5, 10, 2), P1, f"/fr/securite/?p={A}", agent=ANDROID)  # same address, another device: scan A
    log.hit(at(5, 10, 4), "31.13.1.1", f"/fr/securite/?p={A}", agent=WHATSAPP)  # a link preview
    log.hit(at(5, 10, 4), "198.51.100.7", f"/fr/?p={B}", method="HEAD")  # a check
    log.raw(b"this is not a log line")
    log.raw(b"\x00\x01\xff\xfe binary \x16\x03 \x00")
    log.raw(b'198.51.100.9 - - [05/Mar/2024:10:05:00 +0100] "\\x16\\x03\\x01\\x02\\x00\\x01" 400 157 "-" "-"')
    return log


def newer_log(access_log):
    """The current log: from 10:10 the same day, then a day in another time zone, then a daylight-saving day."""
    log = access_log()
    log.hit(at(5, 10, 10), P1, f"/fr/securite/?p={A}")  # a reload 10 minutes after the scan: a repeat
    log.hit(at(5, 10, 35), P1, f"/fr/securite/?p={A}")  # 25 minutes after the reload: still a repeat
    log.hit(at(5, 14, 0), P1, f"/fr/securite/?p={A}")  # hours later: scan A
    log.hit(at(5, 10, 15), P1_IPV6, f"/fr/facile/?p={B}")  # scan B (IPv6)
    log.hit(at(5, 10, 16), P1_IPV6, "/fr/facile/securite/", referrer=SITE + "fr/facile/")  # read after
    log.hit(at(5, 10, 20), "192.0.2.10", f"/fr/nope/?p={B}", status=404)
    log.hit(at(5, 10, 21), "192.0.2.11", f"/fr?p={B}", status=301)
    log.hit(at(5, 10, 22), "192.0.2.12", "/fr/?p=ZZZZZZ")  # a code no place carries
    log.hit(at(5, 10, 23), "192.0.2.13", f"/fr/?p={A}", agent="-")  # no user agent: not a browser
    log.hit(at(5, 10, 24), "192.0.2.50", f"/assets/logo.png?p={A}")  # a code on a picture: not a page
    log.hit(at(5, 11, 0), "192.0.2.20", "/fr/")  # typed by hand
    log.hit(at(5, 11, 5), "192.0.2.20", "/fr/securite/", referrer=SITE + "fr/")  # a click inside the site
    log.hit(at(5, 11, 10), "192.0.2.20", "/fr/")  # a reload: not a new arrival
    log.hit(at(9, 23, 30, PDT), "192.0.2.30", f"/fr/facile/?p={B}")  # 9 March there (10 March in UTC)
    # 27 October 2024, clocks back from 03:00 +0200 to 02:00 +0100.
    log.hit(at(27, 2, 10, CEST, 10), "192.0.2.41", f"/fr/securite/?p={A}")  # scan
    log.hit(at(27, 2, 50, CEST, 10), "192.0.2.40", f"/fr/securite/?p={A}")  # scan
    log.hit(at(27, 2, 10, CET, 10), "192.0.2.40", f"/fr/securite/?p={A}")  # 20 minutes later: a repeat
    log.hit(at(27, 2, 40, CET, 10), "192.0.2.41", f"/fr/securite/?p={A}")  # 90 minutes later: scan
    return log


EXPECTED = {
    "scans": 8,
    "unknown_codes": 1,
    "repeats": 3,
    "bots": 2,
    "head": 1,
    "code_not_found": 1,
    "code_other_status": 1,
    "not_a_page": 1,
    "unreadable": 2,
    "read_after_scan": 2,
    "typed_visits": 1,
}


def report(tmp_path: Path, logs, *, out="out", **options):
    options.setdefault("placements", [placements_file(tmp_path)])
    return build_report(ReportOptions(logs=[str(p) for p in logs], out=tmp_path / out, jobs=1, **options))


def exact(result) -> dict:
    f = result.figures
    return {
        "totals": {key: f.totals.get(key, 0) for key in EXPECTED},
        "days": {day: n for day, n in f.by_day if n},
        "codes": {p.code: n for p, n in f.placements},
        "venue_type": dict(f.by["venue_type"]),
        "departement": dict(f.by["departement"]),
        "level": dict(f.by["level"]),
        "after": {path: n for path, _title, n in f.after},
        "typed": {path: n for path, _title, n in f.typed},
        "unknown": dict(f.unknown),
    }


TRUE_COUNTS = {
    "totals": EXPECTED,
    "days": {"2024-03-05": 4, "2024-03-09": 1, "2024-10-27": 3},
    "codes": {A: 6, B: 2, C: 0},
    "venue_type": {"la-poste": 6, "france-services": 2, "cafe-ia": 0},
    "departement": {"69": 6, "75": 2, "35": 0},
    "level": {"standard": 6, "falc": 2},
    "after": {"/fr/droits/": 1, "/fr/facile/securite/": 1},
    "typed": {"/fr/": 1},
    "unknown": {"ZZZZZZ": 1},
}


@pytest.fixture
def logs(tmp_path, access_log):
    folder = tmp_path / "logs"
    folder.mkdir()
    older = older_log(access_log).write(folder / "access.log.1.gz", gz=True)
    newer = newer_log(access_log).write(folder / "access.log")
    return older, newer


def test_exact_counts_whatever_the_order_of_the_files(tmp_path, logs):
    older, newer = logs
    result = report(tmp_path, [newer, older], site=site_folder(tmp_path / "site"))  # newest first
    assert exact(result) == TRUE_COUNTS
    assert result.run["lines_read"] == 10 + 18 and result.run["lines_skipped"] == 2
    assert result.run["scans"] == 8 and result.run["unknown_codes"] == 1 and result.run["bots"] == 2
    assert [log.state for log in result.logs] == ["new", "new"]
    message = next(log.message for log in result.logs if log.name.endswith(".gz"))
    assert "2 could not be read (line 8, 9)" in message
    # Without the site's pages: the same counts (every path is a page, the logged ones).
    assert exact(report(tmp_path, [older, newer], out="nosite")) == TRUE_COUNTS


def test_logs_cut_in_pieces_read_by_worker_processes_give_the_same_counts(tmp_path, logs, monkeypatch):
    """The parallel way (plain logs cut at line ends into pieces, two worker processes), here on small pieces."""
    import kit.report.sources as sources

    monkeypatch.setattr(sources, "CHUNK_BYTES", 600)
    monkeypatch.setattr(sources, "IN_PROCESS_BYTES", 0)
    older, newer = logs
    result = build_report(
        ReportOptions(
            logs=[str(newer), str(older)],
            out=tmp_path / "out",
            placements=[placements_file(tmp_path)],
            jobs=2,
        )
    )
    assert exact(result) == TRUE_COUNTS and result.run["lines_read"] == 28
    assert "2 could not be read (line 8, 9)" in result.logs[1].message


def test_a_second_run_and_renamed_recompressed_copies_change_no_count(tmp_path, logs):
    older, newer = logs
    first = report(tmp_path, [older, newer])
    again = report(tmp_path, [older, newer])
    assert exact(again) == exact(first) == TRUE_COUNTS
    assert again.run["lines_read"] == 0 and [log.state for log in again.logs] == ["read", "read"]
    # Rotation: access.log -> access.log.2.gz (compressed under another name), access.log.1.gz -> .3.gz.
    rotated = tmp_path / "rotated"
    rotated.mkdir()
    (rotated / "access.log.2.gz").write_bytes(gzip.compress(newer.read_bytes(), compresslevel=9))
    shutil.copy(older, rotated / "access.log.3.gz")
    moved = report(tmp_path, [rotated / "access.log.3.gz", rotated / "access.log.2.gz"])
    assert exact(moved) == TRUE_COUNTS and moved.run["lines_read"] == 0
    # The same content twice in one run (a copy beside the original) is read once.
    both = report(tmp_path, [newer, rotated / "access.log.2.gz", older], out="both")
    assert exact(both) == TRUE_COUNTS
    assert both.run["lines_read"] == 28


def test_a_grown_log_is_read_from_where_the_last_run_stopped(tmp_path, logs, access_log):
    older, newer = logs
    report(tmp_path, [older, newer])
    extra = access_log()
    extra.hit(at(28, 9, 0, CET, 10), "192.0.2.60", f"/en/?p={C}")  # scan C
    extra.hit(at(28, 9, 5, CET, 10), "192.0.2.60", f"/en/?p={C}")  # a repeat
    with open(newer, "ab") as handle:
        handle.write(extra.data())
        handle.write(
            b'192.0.2.61 - - [28/Oct/2024:09:06:00 +0100] "GET /en/?p=m0N0p0 HTTP/1.1" 200 5'
        )  # unfinished
    grown = report(tmp_path, [older, newer])
    assert grown.run["lines_read"] == 2 and grown.run["scans"] == 1
    state = {log.name: log.state for log in grown.logs}
    assert state == {str(older): "read", str(newer): "grown"}
    assert "from line 19" in grown.logs[1].message and "unfinished" in grown.logs[1].message
    counts = exact(grown)
    assert counts["codes"] == {A: 6, B: 2, C: 1} and counts["totals"]["repeats"] == 4
    with open(newer, "ab") as handle:  # the line is finished: read next time, once
        handle.write(b' "-" "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"\n')
    finished = report(tmp_path, [older, newer])
    assert finished.run["lines_read"] == 1 and exact(finished)["codes"] == {A: 6, B: 2, C: 2}


def test_no_address_and_no_user_agent_in_any_file_written(tmp_path, logs):
    older, newer = logs
    out = tmp_path / "out"
    report(tmp_path, [older, newer], site=site_folder(tmp_path / "site"))
    report(tmp_path, [older, newer])  # and after a second run
    written = [path for path in out.rglob("*") if path.is_file()]
    assert any(path.name == ".kit-report.sqlite" for path in written) and len(written) > 20
    needles = [a.encode() for a in ADDRESSES] + [IPHONE.encode(), ANDROID.encode(), b"Mozilla"]
    needles += [a.encode("utf-16-le") for a in ADDRESSES]
    for path in written:
        data = path.read_bytes()
        found = [needle for needle in needles if needle in data]
        assert found == [], (path.name, found)


def test_published_counts_under_the_threshold_read_less_than(tmp_path, logs):
    older, newer = logs
    report(tmp_path, [older, newer])
    out = tmp_path / "out"
    rows = {row["code"]: row["scans"] for row in csv.DictReader((out / "scans-by-placement.csv").open())}
    assert rows == {A: "6", B: "< 5", C: "0"}
    header = (out / "scans-by-placement.csv").read_text().splitlines()[0].split(",")
    assert header[:-1] == list(Placement.__dataclass_fields__) and header[-1] == "scans"
    for name, key in (
        ("venue_type", "venue_type"),
        ("lang", "lang"),
        ("document", "document"),
        ("city", "city"),
        ("departement", "departement"),
        ("day", "day"),
    ):
        with (out / f"scans-by-{name}.csv").open() as handle:
            assert next(csv.reader(handle)) == [key, "scans"]
    days = dict(csv.reader((out / "scans-by-day.csv").open()))
    assert days["2024-03-05"] == "< 5" and days["2024-10-27"] == "< 5" and days["2024-03-06"] == "0"
    page = (out / "index.html").read_text()
    assert "&lt; 5" in page and "Bureau de Lyon" in page and "Café IA Rennes" in page
    raw = report(tmp_path, [older, newer], out="raw", threshold=1)
    assert raw.figures.totals["scans"] == 8
    assert dict(csv.reader((tmp_path / "raw" / "scans-by-day.csv").open()))["2024-03-05"] == "4"


def test_a_site_served_under_a_sub_path(tmp_path, access_log):
    log = access_log()
    log.hit(at(5, 10, 0), P1, f"/campagne/fr/securite/?p={A}")
    log.hit(at(5, 10, 1), P1, "/campagne/fr/droits/index.html", referrer=SITE + "campagne/fr/securite/")
    log.hit(at(5, 10, 2), "192.0.2.20", f"/autre/fr/securite/?p={A}")  # another site on the same server
    path = log.write(tmp_path / "access.log")
    site = site_folder(tmp_path / "site", base_url="https://sante.exemple.org/campagne/")
    result = report(tmp_path, [path], site=site)
    assert result.figures.totals["scans"] == 1 and result.figures.totals["not_a_page"] == 1
    assert [(p, n) for p, _t, n in result.figures.after] == [("/campagne/fr/droits/", 1)]


def test_common_format_and_apache_escaped_quotes(tmp_path, access_log):
    log = access_log()
    log.hit(at(5, 10, 0), P1, f"/fr/?p={A}", common=True)
    log.raw(
        f'192.0.2.70 - - [05/Mar/2024:10:01:00 +0100] "GET /fr/?p={A} HTTP/1.1" 200 9 "http://r/\\"x" '
        '"Mozilla/5.0 \\"quoted\\" \\\\back"'.encode()
    )
    log.raw(
        f'192.0.2.71 - - [05/Mar/2024:10:02:00 +0100] "GET /fr/?p={A}&q=\\x22x\\x22 HTTP/2.0" 304 0 "-" '
        '"Mozilla/5.0 \\x22quoted\\x22" "203.0.113.99"'.encode()  # nginx escapes, and an extra field
    )
    result = report(tmp_path, [log.write(tmp_path / "access.log")])
    assert result.figures.totals["scans"] == 3 and result.run["lines_skipped"] == 0
    assert result.figures.totals["no_user_agent"] == 1


# --- from the command line: messages and exit codes -------------------------------------------------------


def kit_report(run_kit, tmp_path, *logs, stdin=None):
    args = ["report", *map(str, logs), "--placements", placements_file(tmp_path), "--out", tmp_path / "out"]
    if stdin is None:
        return run_kit(*args, cwd=tmp_path)
    exe = Path(sys.executable).with_name("kit")
    return subprocess.run(
        [str(exe), *map(str, args)], input=stdin, capture_output=True, cwd=tmp_path, timeout=300
    )


def test_unreadable_inputs_get_a_clear_message_and_exit_1_only_when_nothing_was_read(tmp_path, run_kit, logs):
    older, newer = logs
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    binary = tmp_path / "picture.log"
    binary.write_bytes(bytes(range(256)) * 64)
    other = tmp_path / "other-site.log"
    other.write_text(
        '192.0.2.1 - - [05/Mar/2024:10:00:00 +0100] "GET /wp-login.php HTTP/1.1" 404 9 "-" "curl/8.0"\n'
        '192.0.2.1 - - [05/Mar/2024:10:00:01 +0100] "GET /blog/style.css HTTP/1.1" 200 9 "-" "Mozilla/5.0"\n'
    )
    nothing = kit_report(run_kit, tmp_path, empty, binary, tmp_path / "missing.log")
    assert nothing.returncode == 1, nothing.stderr
    assert "empty.log is empty" in nothing.stderr and "missing.log does not exist" in nothing.stderr
    assert "picture.log is not a web server's access log" in nothing.stderr
    assert "Traceback" not in nothing.stderr and not (tmp_path / "out" / "index.html").exists()
    some = kit_report(run_kit, tmp_path, other, binary, older, newer)
    assert some.returncode == 0, some.stderr
    assert "the log of another site?" in some.stdout and "picture.log is not a web server" in some.stdout
    assert (tmp_path / "out" / "index.html").is_file()
    summary = kit_report(run_kit, tmp_path, newer)  # nothing new: read before, still a report
    assert summary.returncode == 0 and "already read" in summary.stdout


def test_json_summary_and_standard_input(tmp_path, run_kit, logs):
    older, newer = logs
    args = ["report", "-", "--placements", placements_file(tmp_path), "--out", tmp_path / "out", "--json"]
    exe = Path(sys.executable).with_name("kit")
    done = subprocess.run(
        [str(exe), *map(str, args)], input=newer.read_bytes(), capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["lines_read"] == 18 and summary["lines_skipped"] == 0 and summary["bots"] == 1
    assert summary["scans"] == 7 and summary["unknown_codes"] == 1  # without the older log: A 5, B 2
    again = subprocess.run(
        [str(exe), *map(str, args)], input=newer.read_bytes(), capture_output=True, timeout=300
    )
    assert json.loads(again.stdout)["lines_read"] == 0  # recognised on standard input too


def test_a_line_of_a_gigabyte_is_skipped_without_being_held(tmp_path):
    """A 1 GB line, made on the fly into standard input (never kept): counted unreadable, the next line read, the
    process stays small."""
    exe = Path(sys.executable).with_name("kit")
    good = f'192.0.2.1 - - [05/Mar/2024:10:00:00 +0100] "GET /fr/?p={A} HTTP/1.1" 200 9 "-" "{IPHONE}"\n'
    measure = (
        "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], stdin=sys.stdin); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode, file=sys.stderr)"
    )
    args = [
        sys.executable,
        "-c",
        measure,
        str(exe),
        "report",
        "-",
        "--placements",
        str(placements_file(tmp_path)),
        "--out",
        str(tmp_path / "out"),
        "--json",
    ]
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    block = b"x" * (1 << 20)
    process.stdin.write(good.encode())
    for _ in range(1024):  # 1 GiB, a mebibyte at a time: never held whole here either
        process.stdin.write(block)
    process.stdin.write(b"\n" + good.replace("10:00:00", "11:00:00").encode())
    process.stdin.close()
    out, err = process.stdout.read(), process.stderr.read()  # kit writes only at its end (the pipe holds it)
    process.wait(timeout=60)
    peak_kb, code = map(int, err.decode().split()[-2:])
    summary = json.loads(out)
    assert code == 0 and summary["lines_read"] == 3 and summary["lines_skipped"] == 1
    assert summary["scans"] == 2 and "longer than 256 KiB" in summary["logs"][0]["message"]
    assert peak_kb < 300_000, f"{peak_kb} KB"


def test_the_report_runs_without_weasyprint_or_the_renderer(tmp_path, logs):
    """On a log server: a whole report, and none of pack, channels, render, plan, context or WeasyPrint loaded."""
    older, newer = logs
    code = (
        "import sys; from pathlib import Path; from kit.report import ReportOptions, build_report; "
        f"build_report(ReportOptions(logs=[{str(older)!r}, {str(newer)!r}], out=Path({str(tmp_path / 'o')!r}), "
        f"placements=[Path({str(placements_file(tmp_path))!r})], jobs=1)); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'weasyprint' or m.split('.')[:2] in "
        "(['kit', 'pack'], ['kit', 'channels'], ['kit', 'render'], ['kit', 'plan'], ['kit', 'context'])))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_placements_from_the_projects_registry(tmp_path, run_kit, access_log):
    """In a project folder, the codes of its placement registry (kit.toml) are known without --placements."""
    from kit.placements import open_registry

    project = tmp_path / "project"
    project.mkdir()
    (project / "kit.toml").write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    with open_registry(project / "placements.sqlite") as registry:
        (code,) = registry.codes(
            Place("lyon", "la-poste", "Bureau de Lyon", city="Lyon"), [("fr/a.pdf", "fr")]
        )
    log = access_log()
    log.hit(at(5, 10, 0), P1, f"/fr/?p={code}").hit(at(5, 10, 1), P1_IPV6, f"/fr/?p={code}")
    log.write(project / "access.log")
    done = run_kit("report", "access.log", "--out", "report", "--json", cwd=project)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["scans"] == 2 and summary["unknown_codes"] == 0
    rows = list(csv.DictReader((project / "report" / "scans-by-placement.csv").open(encoding="utf-8")))
    assert [(row["venue_name"], row["scans"]) for row in rows] == [("Bureau de Lyon", "< 5")]
