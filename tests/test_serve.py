"""kit serve (issue 23, part 2) through a real uvicorn server the tests start on a free port, in a `kit init`
project: the API's pack is kit pack's for the same row (QR codes decoded, the place's name printed), problems come
back as 422 JSON, a spreadsheet job names its bad row, a full queue answers 503 with Retry-After, results are
removed after their time and at shutdown, every answer carries the security headers, hostile values are printed
literally or refused (and never logged), and what is not a spreadsheet is refused."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

KEEP_MINUTES = 0.1  # results are removed after 6 s here ([serve] keep_results_minutes; default one hour)
ROW = {
    "id": "lyon-fs",
    "venue_type": "france-services",
    "venue_name": "France Services Lyon 8e",
    "address": "15 avenue des Frères Lumière",
    "postcode": "69008",
    "city": "Lyon",
    "date": "2026-03-17",
    "start_time": "09:00",
    "end_time": "17:00",
    "contact": "04 12 34 56 78",
    "languages": "fr",
    "falc": "oui",
}
HEADER = "id;type_de_lieu;nom_du_lieu;date;heure_debut;heure_fin\n"
SHEET = HEADER + (
    "a1;La Poste;Poste Terreaux;2026-03-12;;\n"
    "a2;France Services;FS Mermoz;2026-13-40;09:00;17:00\n"
    "a3;La Poste;Poste Garibaldi;2026-03-14;;\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    tmp: Path
    log: Path
    process: subprocess.Popen
    project: Path

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of one request; never raises on an HTTP error; redirects are not followed."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=headers or {})
        try:
            with opener.open(request, timeout=300) as answer:
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def post_json(self, path: str, data) -> tuple:
        return self.request("POST", path, json.dumps(data).encode(), {"Content-Type": "application/json"})

    def upload(self, path: str, name: str, data: bytes) -> tuple:
        boundary = "kit-test-boundary-7d1f"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def post_form(self, path: str, fields: dict) -> tuple:
        from urllib.parse import urlencode

        body = urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def wait_job(self, job_id: str, timeout: float = 240) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            status, _, body = self.request("GET", f"/api/jobs/{job_id}")
            assert status == 200, body
            state = json.loads(body)
            if state["status"] == "finished":
                return state
            time.sleep(0.3)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")

    def folders(self) -> list[Path]:
        return sorted(self.tmp.glob("kit-serve-*"))


def start_server(folder: Path, extra_toml: str, *args: str, edits: dict[str, str] | None = None) -> Server:
    """`kit init` in ``folder``, its kit.toml's lines changed (``edits``: line -> new line), [serve] settings
    appended, then `kit serve` on a free port."""
    exe = Path(sys.executable).with_name("kit")
    subprocess.run([str(exe), "init", str(folder / "proj")], check=True, capture_output=True)
    project = folder / "proj"
    text = (project / "kit.toml").read_text(encoding="utf-8")
    for line, replacement in (edits or {}).items():
        assert line in text, line
        text = text.replace(line, replacement, 1)
    (project / "kit.toml").write_text(text, encoding="utf-8")
    with (project / "kit.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[serve]\n" + extra_toml)
    tmp = folder / "tmp"
    tmp.mkdir()
    port = free_port()
    log = folder / "server.log"
    env = {**os.environ, "TMPDIR": str(tmp)}
    process = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), *args],
        cwd=project,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://127.0.0.1:{port}", tmp, log, process, project)
    end = time.monotonic() + 120
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError("kit serve stopped:\n" + log.read_text(errors="replace"))
        try:
            if server.request("GET", "/fr/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    process.kill()
    raise AssertionError("kit serve did not start:\n" + log.read_text(errors="replace"))


def stop(server: Server) -> int:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    return server.process.returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One render worker and no queue (one render at a time: the 503 is easy to reach), results kept 6 s."""
    running = start_server(
        tmp_path_factory.mktemp("serve"),
        f"workers = 1\nqueue = 0\nkeep_results_minutes = {KEEP_MINUTES}\nmax_rows = 50\n",
    )
    yield running
    stop(running)


def pdfs_of(archive: bytes, into: Path) -> dict[str, Path]:
    with zipfile.ZipFile(io.BytesIO(archive)) as packed:
        packed.extractall(into)
        return {name: into / name for name in packed.namelist()}


def text_of(path: Path) -> str:
    """The PDF's text as PDFium reads it (Chromium's reader: what a relay's browser copies)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_form_labels_are_the_spreadsheets_column_names():
    """Each field of the form is labelled, in French and in English, with a header `kit pack` reads as that
    column (so a relay who later fills the spreadsheet finds the same names)."""
    from kit.events.model import column_of
    from kit.serve.texts import FIELDS, TEXTS

    assert set(FIELDS) == {"id", "venue_type", "venue_name", "address", "postcode", "city", "date"} | {
        "start_time",
        "end_time",
        "contact",
        "languages",
        "falc",
    }
    for name, languages in FIELDS.items():
        assert set(languages) == {"fr", "en"}
        for label, hint in languages.values():
            assert column_of(label) == name and hint
    assert set(TEXTS["fr"]) == set(TEXTS["en"])
    # a sentence that counts is a pair in both languages, none says "(s)"
    for key, text in TEXTS["fr"].items():
        assert isinstance(text, tuple) == isinstance(TEXTS["en"][key], tuple), key
        assert "(s)" not in str(text) + str(TEXTS["en"][key]), key


def test_sentences_that_count_agree_with_the_count():
    from kit.serve.texts import counted

    assert [counted("fr", "pages", n) for n in (0, 1, 2)] == ["0 page", "1 page", "2 pages"]
    assert [counted("en", "pages", n) for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert counted("fr", "errors_title", 1) == "Le formulaire a un problème : corrigez le champ signalé."
    assert counted("en", "errors_title", 3) == "The form has 3 problems: fix each field marked."


def test_the_api_pack_is_kit_packs_for_that_row(server, tmp_path, open_pdf, run_kit):
    status, headers, body = server.post_json("/api/pack", ROW)
    assert status == 200, body[:500]
    assert headers["Content-Type"] == "application/zip"
    files = pdfs_of(body, tmp_path / "api")
    # kit pack on a spreadsheet holding the same row makes the same files (print sheet included)
    sheet = tmp_path / "one.csv"
    sheet.write_text(",".join(ROW) + "\n" + ",".join(f'"{v}"' for v in ROW.values()) + "\n", encoding="utf-8")
    packed = run_kit("pack", sheet, "--out", tmp_path / "packs", "--jobs", "1", cwd=server.project)
    assert packed.returncode == 0, packed.stderr
    made = {
        p.relative_to(tmp_path / "packs").as_posix() for p in (tmp_path / "packs" / "lyon-fs").rglob("*.pdf")
    }
    assert set(files) == made
    assert "lyon-fs/fr/print-sheet-A4.pdf" in files
    posters = [name for name in files if "/poster-" in name]
    assert posters
    for name in posters + ["lyon-fs/fr/leaflet-A4-france-services.pdf"]:
        codes = open_pdf(files[name]).qr_codes()
        assert codes and all(code.startswith("https://") for code in codes), name
    assert "France Services Lyon 8e" in text_of(files["lyon-fs/fr/print-sheet-A4.pdf"])


def test_the_api_answers_problems_as_422_json(server):
    status, _, body = server.post_json(
        "/api/pack", {"venue_type": "nowhere", "date": "31/02/2026", "start_time": "25h", "colour": "red"}
    )
    assert status == 422
    problems = json.loads(body)["problems"]
    found = {(p["field"], p["code"]) for p in problems}
    assert found == {
        ("colour", "unknown-field"),
        ("venue_type", "unknown-venue-type"),
        ("venue_name", "required"),
        ("date", "invalid-date"),
        ("start_time", "invalid-time"),
    }
    assert all(p["message"] and p["row"] == 0 for p in problems)
    # the words kit pack uses
    assert any(p["message"] == '"31/02/2026" is not a date.' for p in problems)
    assert server.request("POST", "/api/pack", b"{not json", {"Content-Type": "application/json"})[0] == 400
    assert server.post_json("/api/pack", ["a", "list"])[0] == 400
    assert server.post_json("/api/pack", {"venue_name": {"a": 1}})[0] == 400
    # a list holds texts and numbers only (a list of objects was printed as Python's text of it)
    assert server.post_json("/api/pack", {**ROW, "venue_name": ["a", {"b": 1}]})[0] == 400
    assert server.post_json("/api/pack", {**ROW, "languages": ["fr", ["en"]]})[0] == 400
    # JSON nested deeper than Python reads: 400, not the 500 of an unexpected error
    deep = b"[" * 100_000 + b"]" * 100_000
    assert server.request("POST", "/api/pack", deep, {"Content-Type": "application/json"})[0] == 400


def test_a_job_with_one_bad_row_builds_the_others(server, tmp_path):
    status, headers, body = server.upload("/api/jobs", "events.csv", SHEET.encode())
    assert status == 202, body
    job_id = json.loads(body)["id"]
    state = server.wait_job(job_id)
    assert state["total"] == 3 and state["done"] == 3 and state["built"] == 2
    assert [(f["row"], f["column"]) for f in state["failed"]] == [(3, "date")]
    assert state["failed"][0]["message"] == '"2026-13-40" is not a date.'
    status, headers, body = server.request("GET", f"/api/jobs/{job_id}/result")
    assert status == 200 and headers["Content-Type"] == "application/zip"
    files = pdfs_of(body, tmp_path / "job")
    assert {name.split("/")[0] for name in files} >= {"a1", "a3", "manifest.json", "problems.txt"}
    assert not any(name.startswith("a2/") or name.startswith(".") for name in files)
    assert "Poste Terreaux" in text_of(files["a1/fr/print-sheet-A4.pdf"])
    # the progress page says the same without JavaScript
    status, _, page = server.request("GET", f"/fr/jobs/{job_id}")
    assert status == 200
    assert 'ligne 3, colonne "date"' in page.decode()
    assert 'http-equiv="refresh"' not in page.decode()  # finished: it no longer refreshes
    assert server.request("GET", f"/api/jobs/{'0' * 32}")[0] == 404


def test_a_full_queue_answers_503_with_retry_after(server):
    sheet = HEADER + "".join(f"b{i};La Poste;Poste {i};2026-03-1{i};;\n" for i in range(1, 4))
    status, _, body = server.upload("/api/jobs", "events.csv", sheet.encode())
    assert status == 202, body
    job_id = json.loads(body)["id"]
    status, headers, body = server.post_json("/api/pack", ROW)
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert json.loads(body)["error"] == "busy"
    status, headers, page = server.post_form("/fr/", ROW)
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert "Trop de demandes" in page.decode() and "Réessayez" in page.decode()
    assert server.upload("/api/jobs", "events.csv", sheet.encode())[0] == 503
    assert server.wait_job(job_id)["built"] == 3
    status, _, _ = server.post_json("/api/pack", {**ROW, "id": "after-busy"})
    assert status == 200  # the server kept serving


def test_results_are_removed_after_their_time(server):
    status, headers, _ = server.post_form("/en/", {**ROW, "id": "kept"})
    assert status == 303, _[:300]
    page_path = headers["Location"]
    status, _, page = server.request("GET", page_path)
    assert status == 200 and "France Services Lyon 8e" in page.decode()
    status, headers, png = server.request("GET", page_path + "/0.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")
    status, headers, pdf = server.request("GET", page_path + "/0.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    (root,) = server.folders()
    assert any((root / "packs").iterdir())
    time.sleep(KEEP_MINUTES * 60 + 3)
    status, _, page = server.request("GET", page_path)
    assert status == 404 and "no longer exists" in page.decode()
    assert not any((root / "packs").iterdir()) and not any((root / "jobs").iterdir())


def test_every_answer_carries_the_security_headers(server):
    for method, path in [
        ("GET", "/"),
        ("GET", "/fr/"),
        ("GET", "/en/upload"),
        ("GET", "/static/app.css"),
        ("GET", "/static/../kit.toml"),
        ("GET", "/fr/packs/../../etc/passwd"),
        ("GET", "/de/"),
        ("GET", "/api/jobs/nothing"),
    ]:
        status, headers, _ = server.request(method, path)
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        if "passwd" in path or "kit.toml" in path or path == "/de/":
            assert status == 404, path


HOSTILE = {
    "html": '<b onmouseover="x()">Mairie</b><script>alert(1)</script>',
    "emoji": "Café 🍵 du quartier ☕",
    "rtl": "مكتبة البلدية",
}


def test_hostile_values_are_printed_literally_or_refused(server, tmp_path):
    for kind, name in HOSTILE.items():
        status, _, body = server.post_json("/api/pack", {**ROW, "id": f"hostile-{kind}", "venue_name": name})
        if kind == "emoji" and status == 422:  # no font of this computer draws them: refused, saying so
            problems = json.loads(body)["problems"]
            assert [(p["field"], p["code"]) for p in problems] == [("venue_name", "missing-glyph")], problems
            assert problems[0]["message"] and problems[0]["hint"]
            continue
        assert status == 200, (kind, body[:400])
        files = pdfs_of(body, tmp_path / kind)
        printed = text_of(files[f"hostile-{kind}/fr/print-sheet-A4.pdf"])
        assert name in printed.replace("\r\n", " "), (kind, printed[:300])
    # the page shows the value as text, never as markup; the form comes back filled
    status, _, page = server.post_form("/fr/", {**ROW, "venue_name": HOSTILE["html"], "date": "demain"})
    assert status == 422
    text = page.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&#34;demain&#34; is not a date." in text and 'value="demain"' in text
    # kit's messages are English: the French page says so to screen readers, and each begins as a sentence
    assert '<p class="error" id="e-date-1" lang="en">&#34;demain&#34;' in text
    status, _, page = server.post_form("/fr/", {**ROW, "venue_name": "x" * 80})
    assert '<p class="error" id="e-venue_name-1" lang="en">This text is 80 characters long' in page.decode()
    # bidirectional controls and 10,000 characters are refused beside their field
    status, _, body = server.post_json(
        "/api/pack", {**ROW, "venue_name": "Mairie \u202egnp.exe", "city": "x" * 10_000}
    )
    assert status == 422
    codes = {(p["field"], p["code"]) for p in json.loads(body)["problems"]}
    assert codes == {("venue_name", "hidden-character"), ("city", "too-long")}
    status, _, page = server.post_form("/en/", {**ROW, "city": "x" * 10_000})
    assert status == 422 and '<p class="error" id="e-city-1">This text' in page.decode()
    assert "at most 60 fit" in page.decode()
    # a right-to-left name is isolated in the pack page's heading (the words around it keep their order)
    status, headers, _ = server.post_form("/fr/", {**ROW, "venue_name": HOSTILE["rtl"]})
    assert status == 303
    status, _, page = server.request("GET", headers["Location"])
    assert f"<h1>Le dossier de <bdi>{HOSTILE['rtl']}</bdi></h1>" in page.decode()
    assert server.request("GET", "/fr/")[0] == 200  # still serving
    log = server.log.read_text(encoding="utf-8", errors="replace")
    for value in [*HOSTILE.values(), "demain", "France Services Lyon 8e", "04 12 34 56 78"]:
        assert value not in log


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            zeros = b"0" * (1 << 20)
            for _ in range(260):
                sheet.write(zeros)
    return buffer.getvalue()


def test_what_is_not_a_spreadsheet_is_refused(server):
    renamed = io.BytesIO()
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    cases = {
        "renamed zip": ("events.xlsx", renamed.getvalue(), 422),
        "zip bomb": ("events.xlsx", zip_bomb(), 422),
        "garbage": ("events.csv", os.urandom(20_000), 422),
        "a pdf": ("events.pdf", b"%PDF-1.7\n", 415),
        "too big": ("events.csv", (HEADER + "x;La Poste;P;2026-03-12;;\n" * 220_000).encode(), 413),
        "too many rows": (
            "events.csv",
            (HEADER + "".join(f"r{i};La Poste;P;2026-03-12;;\n" for i in range(51))).encode(),
            413,
        ),
    }
    for what, (name, data, expected) in cases.items():
        status, _, body = server.upload("/api/jobs", name, data)
        assert status == expected, (what, body[:300])
        assert json.loads(body)["error"], what
    status, _, page = server.upload("/fr/upload", "events.csv", os.urandom(5000))
    assert status == 422 and 'role="alert"' in page.decode()
    assert server.request("GET", "/fr/")[0] == 200


def test_stopping_the_server_removes_every_result(server):
    server.post_json("/api/pack", {**ROW, "id": "last"})
    assert server.folders()
    # uvicorn ends its shutdown, then lets SIGTERM end the process (systemd counts that as a clean stop)
    assert stop(server) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in server.log.read_text()
    assert server.folders() == []


def test_a_render_past_the_time_limit_is_stopped(tmp_path):
    """[serve] job_time_limit_minutes (here 0.3 s): a pack answers 503 saying it was stopped, a spreadsheet's job
    ends with that reason and no zip; the server goes on."""
    server = start_server(tmp_path, "workers = 1\njob_time_limit_minutes = 0.005\n")
    try:
        status, _, body = server.post_json("/api/pack", ROW)
        assert status == 503 and "was stopped" in json.loads(body)["error"]
        status, _, body = server.upload("/api/jobs", "events.csv", SHEET.encode())
        assert status == 202
        state = server.wait_job(json.loads(body)["id"])
        assert state["error"].startswith("time limit")
        assert server.request("GET", f"/api/jobs/{state['id']}/result")[0] == 422
        assert server.request("GET", "/en/")[0] == 200
    finally:
        stop(server)


def test_shared_documents_are_made_once_across_packs(tmp_path):
    """kit serve's packs keep the documents that are the same for every event (kit.SharedDocuments): the second
    event's are the first's files (hard links), not made again, and the packs are what build_packs makes."""
    import kit

    project = kit.load_project()
    sheet = (
        HEADER
        + "s1;France Services;FS Un;2026-03-12;09:00;17:00\ns2;France Services;FS Deux;2026-03-13;09:00;17:00\n"
    )
    events = kit.read_events(sheet.encode(), name="e.csv", venues=project.kb.venues).events
    batch = kit.build_packs(project, sheet.encode(), tmp_path / "batch", jobs=1)
    shared = kit.SharedDocuments(tmp_path / "shared")
    with kit.WorkerPool(1) as pool:
        first = kit.build_event(project, events[0], tmp_path / "one", pool, shared=shared)
        kept = sorted(p.name for p in (tmp_path / "shared").iterdir())
        second = kit.build_event(project, events[1], tmp_path / "two", pool, shared=shared)
    assert kept and sorted(p.name for p in (tmp_path / "shared").iterdir()) == kept  # nothing made again
    poster = "s2/fr/poster-summary-A3-france-services.pdf"
    inodes = {p.stat().st_ino for p in (tmp_path / "shared").iterdir()}
    assert (tmp_path / "two" / poster).stat().st_ino in inodes
    expected = {d["path"]: d["sha256"] for r in batch.events for d in r.documents}
    assert {d["path"]: d["sha256"] for r in (first, second) for d in r.documents} == expected


# --- kit pack's rules through the web app: the site's languages, the campaign's tracking codes, the queue ---

SITE = "https://sante.example.org/donnees/"
TRACKED = {  # kit.toml of `kit init`: the site's address, two published languages, tracking on
    '# base_url = "https://www.exemple-sante.fr/donnees/"': f'base_url = "{SITE}"',
    '# languages = ["fr", "en", "ar"]': 'languages = ["fr", "en"]',
    "track = false ": "track = true ",
}


@pytest.fixture(scope="module")
def tracked(tmp_path_factory):
    """A server whose site publishes French and English only, with tracking on ([build] track = true)."""
    running = start_server(tmp_path_factory.mktemp("tracked"), "workers = 1\n", edits=TRACKED)
    yield running
    stop(running)


def test_a_language_the_site_does_not_publish_is_refused_as_kit_pack_refuses_it(tracked, tmp_path, run_kit):
    """Issue 26 point 1 through kit serve: a row in Arabic, which the site does not publish, gets kit pack's
    problem (the same words: the language and the fix) in the 422 JSON, beside the form's languages field, and
    as the row's problem in a spreadsheet job; nothing is built."""
    row = {**ROW, "id": "fs-ar", "languages": "fr,ar"}
    status, _, body = tracked.post_json("/api/pack", row)
    assert status == 422, body[:300]
    (problem,) = json.loads(body)["problems"]
    assert (problem["field"], problem["code"]) == ("languages", "unpublished-language")
    message = problem["message"]
    assert "does not publish ar" in message and "[site] languages" in message
    # kit pack says the same for the same row
    sheet = tmp_path / "ar.csv"
    sheet.write_text(",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n", encoding="utf-8")
    packed = run_kit("pack", sheet, "--out", tmp_path / "packs", "--jobs", "1", cwd=tracked.project)
    assert packed.returncode == 1, packed.stderr  # the row failed
    assert message in (tmp_path / "packs" / "problems.txt").read_text(encoding="utf-8")
    # the form: the problem beside the languages field, the form filled again
    status, _, page = tracked.post_form("/en/", row)
    assert status == 422
    html = page.decode()
    assert (
        'id="e-languages-1"' in html and 'id="f-languages" name="languages" type="text" value="fr,ar"' in html
    )
    assert "does not publish ar" in html.split('id="e-languages-1"', 1)[1].split("</p>", 1)[0]
    # a spreadsheet: the row is named with its column as the sheet writes it
    status, _, body = tracked.upload(
        "/api/jobs",
        "events.csv",
        (HEADER[:-1] + ";langues\n" + ("c1;La Poste;Poste Croix-Rousse;2026-03-12;;;fr,ar\n")).encode(),
    )
    assert status == 202, body
    state = tracked.wait_job(json.loads(body)["id"])
    assert state["built"] == 0 and state["total"] == 1 and state["done"] == 1
    assert [(f["row"], f["column"], f["message"]) for f in state["failed"]] == [(2, "langues", message)]


def test_single_packs_take_their_codes_from_the_campaign_registry(tracked, tmp_path, open_pdf):
    """With tracking on, a pack from the API or the form claims its codes in the campaign's registry (the file
    kit pack --track uses, placements.sqlite beside kit.toml), which learns each code's page: two relays typing
    the same event id for two places get distinct codes, and the QR codes printed carry them."""
    import kit

    first = {**ROW, "id": "same-id", "venue_name": "France Services Un", "languages": "fr"}
    second = {**first, "venue_name": "France Services Deux"}
    status, _, body = tracked.post_json("/api/pack", first)
    assert status == 200, body[:300]
    files = pdfs_of(body, tmp_path / "one")
    status, headers, _ = tracked.post_form("/fr/", second)
    assert status == 303
    registry = tracked.project / "placements.sqlite"
    assert registry.is_file()
    placements = [p for p in kit.read_registry(registry) if p.event_id == "same-id"]
    by_place: dict[str, set[str]] = {}
    for placement in placements:
        by_place.setdefault(placement.venue_name, set()).add(placement.code)
        assert placement.address.startswith("sante.example.org/donnees/"), placement  # the page it leads to
    assert set(by_place) == {"France Services Un", "France Services Deux"}
    assert (
        by_place["France Services Un"]
        and not by_place["France Services Un"] & by_place["France Services Deux"]
    )
    poster = next(name for name in files if "/poster-" in name)
    (url,) = set(open_pdf(files[poster]).qr_codes())
    assert url.startswith(SITE) and kit.code_in(url) in by_place["France Services Un"]


def test_tracking_without_the_sites_address_is_refused_at_start(tmp_path):
    """Issue 26 point 4 for kit serve: [build] track without [site] base_url would send the codes to other sites'
    addresses; the server refuses to start, saying why and what to do."""
    import kit

    toml = tmp_path / "kit.toml"
    toml.write_text("[build]\ntrack = true\n", encoding="utf-8")
    project = kit.load_project(kit.Settings(config=toml, check=False))
    with pytest.raises(kit.OptionError, match=r"base_url"):
        kit.create_app(project)


def test_the_default_queue_lets_several_renders_wait_per_worker():
    """A warm pack takes under a second: the default queue lets four renders wait per worker (20 clients at once
    on a 2-core server: 10 admitted, not 4), still bounded; an explicit queue is kept (0: none waits)."""
    import kit
    from kit.serve.work import Busy, Work

    project = kit.load_project()
    for queue, admitted in ((None, 5), (0, 1), (2, 3)):
        work = Work(project, workers=1, queue=queue, keep_seconds=60, time_limit=60)
        try:
            for _ in range(admitted):
                work.admit()
            with pytest.raises(Busy):
                work.admit()
        finally:
            work.shutdown()


def test_a_pack_pages_previews_asked_all_at_once_keep_the_server_up(tracked):
    """A pack page shows a preview of each document, and a browser asks for them all at once: they are made on
    several of the server's threads, and PDFium (which makes them) crashes a process that calls it from two threads
    at once. Every preview comes back (a PNG 320 px wide, the first page of its document) and the server still
    answers; its log says nothing went wrong. (tests/test_raster.py catches the race itself, in fresh processes.)"""
    import re
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    row = {**ROW, "id": "previews", "languages": "fr,en", "falc": "oui"}
    status, headers, _ = tracked.post_form("/fr/", row)
    assert status == 303
    status, _, page = tracked.request("GET", headers["Location"])
    assert status == 200
    html = page.decode()
    assert "</span> · 1 page</p>" in html and "pages</p>" in html and "(s)" not in html  # a poster, a leaflet
    previews = re.findall(r'<img src="(/fr/packs/[0-9a-f]{32}/\d+\.png)"', html)
    assert len(previews) >= 8, previews
    for _ in range(2):  # made at once, then served at once
        with ThreadPoolExecutor(len(previews)) as pool:
            answers = list(pool.map(lambda path: tracked.request("GET", path), previews))
        for path, (status, headers, body) in zip(previews, answers):
            assert status == 200 and headers["Content-Type"] == "image/png", (path, status, body[:200])
            with Image.open(io.BytesIO(body)) as image:
                assert image.width == 320 and image.height > 100, path
    assert tracked.process.poll() is None
    assert tracked.request("GET", "/fr/")[0] == 200
    assert "Traceback" not in tracked.log.read_text(errors="replace")
