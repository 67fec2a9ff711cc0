"""Benchmark: kit serve's figures (issue 23) against a real server in a `kit init` project.

Run with the installed kit:  .venv/bin/python benchmarks/serve.py [--rows 1000] [--clients 20] [--upload-only]
Prints: one France Services pack from the form on a warm server (target: 3 s or less); N clients posting a pack
at the same moment (every answer 200 or 503 with Retry-After, all within 60 s, the server's processes together
under 1.5 GB); an R-row spreadsheet through the upload (POST /api/jobs, poll GET /api/jobs/{id}, download GET
/api/jobs/{id}/result) against `kit pack` on the same file, in the same project (target: 1.2x). --upload-only
measures only the last (the form and the burst are skipped: the 1,000-row figure takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))
from packs import write_events  # noqa: E402

ROW = {
    "venue_type": "france-services",
    "venue_name": "France Services Lyon 8e",
    "city": "Lyon",
    "date": "2026-03-17",
    "start_time": "09:00",
    "end_time": "17:00",
    "languages": "fr",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def request(url: str, body: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body); redirects are not followed (the form answers 303 to its pack's page)."""
    try:
        with OPENER.open(urllib.request.Request(url, body, headers or {}, method=method), timeout=600) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(entry)] = next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0
        )
    family, todo = set(), [root]
    while todo:
        pid = todo.pop()
        family.add(pid)
        todo += [child for child, parent in parents.items() if parent == pid and child not in family]
    return sum(rss.get(pid, 0) for pid in family) / 1024


class Peak(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            time.sleep(0.2)


def multipart(name: str, data: bytes) -> tuple[bytes, dict]:
    boundary = "kit-bench-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--upload-only", action="store_true", help="Only the spreadsheet against kit pack.")
    args = parser.parse_args()
    kit_exe = Path(sys.executable).with_name("kit")
    tmp = Path(tempfile.mkdtemp(prefix="kit-bench-serve-"))
    project = tmp / "proj"
    subprocess.run([str(kit_exe), "init", str(project)], check=True, capture_output=True)
    with (project / "kit.toml").open("a") as toml:
        toml.write(f"\n[serve]\nmax_rows = {max(args.rows, 5000)}\n")
    server = subprocess.Popen(
        [str(kit_exe), "serve", "--port", str(args.port)],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(300):
            try:
                if request(url + "/fr/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        peak = Peak(server.pid)
        peak.start()
        request(url + "/api/pack", json.dumps(ROW).encode(), {"Content-Type": "application/json"})  # warm up

        if not args.upload_only:
            form_and_burst(url, args.clients)
        events = tmp / "events.csv"
        write_events(events, args.rows)
        body, head = multipart("events.csv", events.read_bytes())
        started = time.perf_counter()
        code, _, answer = request(url + "/api/jobs", body, head)
        job = json.loads(answer)["id"] if code == 202 else None
        state: dict = {}
        while job:
            state = json.loads(request(f"{url}/api/jobs/{job}")[2])
            if state["status"] == "finished":
                break
            time.sleep(0.5)
        result_code, _, result = request(f"{url}/api/jobs/{job}/result") if job else (code, None, b"")
        upload = time.perf_counter() - started
        peak.running = False
        print(f"server's processes at their peak: {peak.peak:.0f} MB (target: under 1,500)")
        started = time.perf_counter()
        subprocess.run(
            [str(kit_exe), "pack", str(events), "--out", str(tmp / "packs")],
            cwd=project,
            check=True,
            capture_output=True,
        )
        cli = time.perf_counter() - started
        print(
            f"{args.rows} rows: upload {upload:.1f} s (job {code}, {state.get('done')} of {state.get('total')} "
            f"done, {len(state.get('failed') or [])} failed; result {result_code}, {len(result) / 1e6:.1f} MB), "
            f"kit pack {cli:.1f} s, ratio {upload / cli:.2f} (target: 1.2 or less)"
        )
        print("(machine load now, 1/5/15 min: " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + ")")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)


def form_and_burst(url: str, clients: int) -> None:
    """One pack from the form on a warm server, then ``clients`` posting a pack at the same moment."""
    started = time.perf_counter()
    status, headers, _ = request(url + "/fr/", urlencode(ROW).encode(), method="POST")
    status2, _, data = request(url + headers["Location"] + "/pack.zip") if status == 303 else (status, 0, b"")
    form = time.perf_counter() - started
    print(
        f"one France Services pack from the form (warm): {form:.2f} s ({status}, {status2}, {len(data)} bytes)"
    )

    def one(i: int):
        begin = time.perf_counter()
        body = json.dumps({**ROW, "id": f"client-{i}"}).encode()
        code, answer, _ = request(url + "/api/pack", body, {"Content-Type": "application/json"})
        return code, answer.get("Retry-After"), time.perf_counter() - begin

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(one, range(clients)))
    burst = time.perf_counter() - started
    counts = Counter(code for code, _, _ in answers)
    retry = all(after for code, after, _ in answers if code == 503)
    print(
        f"{clients} clients at once: {dict(counts)} in {burst:.1f} s (slowest {max(a[2] for a in answers):.1f} s); "
        f"every 503 with Retry-After: {retry}; only 200/503: {set(counts) <= {200, 503}}"
    )


if __name__ == "__main__":
    main()
