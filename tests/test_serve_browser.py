"""kit serve in a real browser (Debian's Chromium through Playwright, never `playwright install`), as a relay uses
it: fill the event form (errors beside their fields, nothing typed lost), see the previews, download the pack,
open its PDFs and decode every QR code, find the place's name printed; upload a spreadsheet with one bad row and
follow its progress page to the zip; axe-core (WCAG 2.2 A and AA) on every page of the application, under a
sub-path (--root-path, as behind a reverse proxy) and in both interface languages."""

from __future__ import annotations

import http.client
import http.server
import importlib.util
import io
import os
import sys
import threading
import zipfile
from pathlib import Path

import pytest


def _helpers():
    spec = importlib.util.spec_from_file_location(
        "kit_serve_test_helpers", Path(__file__).with_name("test_serve.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


helpers = _helpers()


class Proxy(http.server.BaseHTTPRequestHandler):
    """A reverse proxy like nginx's `location /kit/ { proxy_pass http://127.0.0.1:PORT/; }`: it serves the app
    under /kit/ and strips that prefix (kit serve runs with --root-path /kit)."""

    backend = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        if not self.path.startswith("/kit/"):
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        host, port = self.backend.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=300)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        connection.request(self.command, self.path[len("/kit") :], body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_GET = do_POST = do_HEAD = forward


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """kit serve with --root-path /kit behind a proxy serving it under /kit/ (as the README's nginx does)."""
    server = helpers.start_server(
        tmp_path_factory.mktemp("serve-browser"), "workers = 1\nqueue = 2\n", "--root-path", "/kit"
    )
    handler = type("Handler", (Proxy,), {"backend": server.url.split("//", 1)[1]})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    server.public = f"http://127.0.0.1:{proxy.server_address[1]}/kit"
    yield server
    proxy.shutdown()
    helpers.stop(server)


@pytest.fixture
def page(browser, app):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # Pages answer 422 (a form with problems) or 404 on purpose, which Chromium notes in the console: what must
    # never fail is a file a page loads (style, script, preview, icon).
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text
            and page.errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.request.resource_type != "document"
            and page.errors.append(f"{response.status} {response.url}")
        ),
    )
    page.app = app.public
    yield page
    context.close()


def no_violations(page, axe) -> None:
    found = axe.run(page).response["violations"]
    summary = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    assert summary == [], (page.url, summary)


def pdf_files(download, into: Path) -> dict[str, Path]:
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as packed:
        packed.extractall(into)
        return {name: into / name for name in packed.namelist()}


def every_qr(path: Path) -> list[str]:
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(str(path))
    try:
        codes = []
        for page in document:
            image = page.render(scale=150 / 72).to_pil()
            codes += [
                c.text for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode
            ]
        return codes
    finally:
        document.close()


def test_a_relay_makes_a_cafe_ia_pack_in_the_browser(page, axe, tmp_path, open_pdf):
    page.goto(page.app + "/fr/")
    assert page.title().startswith("Préparer les documents")
    no_violations(page, axe)
    assert page.get_by_label("Nom du lieu").count() == 1  # labelled with the spreadsheet's column names
    # a first try with mistakes: each is said beside its field, nothing typed is lost
    page.get_by_label("Type de lieu").select_option("cafe-ia")
    page.get_by_label("Nom du lieu").fill("Médiathèque Garibaldi")
    page.locator("#f-date").fill("31/02/2026")
    page.get_by_label("Contact").fill("contact@exemple-sante.fr")
    page.get_by_role("button", name="Faire le dossier").click()
    assert (
        page.locator("#e-date-1").inner_text()
        == '"31/02/2026" is not a date. Write it as 2026-03-12 or 12/03/2026.'
    )
    assert "Café IA needs a start time" in page.locator("#e-start_time-1").inner_text()
    assert page.get_by_label("Nom du lieu").input_value() == "Médiathèque Garibaldi"
    assert page.get_by_label("Contact").input_value() == "contact@exemple-sante.fr"
    assert page.get_by_label("Type de lieu").input_value() == "cafe-ia"
    assert page.locator("#f-date").get_attribute("aria-invalid") == "true"
    no_violations(page, axe)
    # then right
    page.locator("#f-date").fill("26/03/2026")
    page.get_by_label("Heure de début").fill("18:30")
    page.get_by_label("Heure de fin").fill("20h")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_role("button", name="Faire le dossier").click()
    page.wait_for_url("**/fr/packs/*", timeout=240_000)
    assert page.get_by_role("heading", level=1).inner_text() == "Le dossier de Médiathèque Garibaldi"
    images = page.locator("img")
    assert images.count() >= 5
    page.wait_for_function(
        "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=120_000
    )
    no_violations(page, axe)
    with page.expect_download() as caught:
        page.get_by_role("link", name="Télécharger le dossier (zip)").click()
    files = pdf_files(caught.value, tmp_path / "zip")
    pdfs = {name: path for name, path in files.items() if name.endswith(".pdf")}
    assert len(pdfs) == images.count()
    assert any("print-sheet" in name for name in pdfs)
    codes = [code for path in pdfs.values() for code in every_qr(path)]
    assert codes and all(code.startswith("https://") for code in codes)
    named = [name for name, path in pdfs.items() if "Médiathèque Garibaldi" in open_pdf(path).flat_text()]
    assert any("print-sheet" in name for name in named) and any("poster" in name for name in named)
    # one document alone
    with page.expect_download() as caught:
        page.get_by_role("link", name="Télécharger ce PDF").first.click()
    assert Path(caught.value.path()).read_bytes().startswith(b"%PDF")
    assert page.errors == []


def test_the_english_interface_and_the_other_pages_pass_axe(page, axe):
    page.goto(page.app + "/en/")
    assert page.get_by_label("Venue name").count() == 1 and page.get_by_label("Start time").count() == 1
    no_violations(page, axe)
    page.get_by_role("link", name="An events spreadsheet").click()
    no_violations(page, axe)
    page.get_by_role("link", name="Français").click()
    assert page.url.endswith("/fr/upload")
    response = page.goto(page.app + "/fr/packs/" + "0" * 32)
    assert response.status == 404
    assert "n'existe plus" in page.locator("main").inner_text()
    no_violations(page, axe)
    assert page.errors == []


def test_an_upload_with_one_bad_row(page, axe, tmp_path):
    sheet = tmp_path / "evenements.csv"
    sheet.write_text(helpers.SHEET, encoding="utf-8")
    page.goto(page.app + "/fr/upload")
    no_violations(page, axe)
    # not a spreadsheet: refused, said at the top of the page and beside the field
    garbage = tmp_path / "photo.csv"
    garbage.write_bytes(os.urandom(4000))
    page.get_by_label("Tableau d'événements (CSV ou XLSX)").set_input_files(str(garbage))
    page.get_by_role("button", name="Envoyer le tableau").click()
    assert page.get_by_role("alert").count() == 1
    no_violations(page, axe)
    page.get_by_label("Tableau d'événements (CSV ou XLSX)").set_input_files(str(sheet))
    page.get_by_role("button", name="Envoyer le tableau").click()
    page.wait_for_url("**/fr/jobs/*")
    no_violations(page, axe)  # queued or running: the progress page
    page.get_by_text("Terminé").wait_for(timeout=240_000)
    main = page.locator("main").inner_text()
    assert "Terminé. Événements : 3 ; dossiers faits : 2." in main
    assert 'ligne 3, colonne "date"' in main and '"2026-13-40" is not a date.' in main
    no_violations(page, axe)
    with page.expect_download() as caught:
        page.get_by_role("link", name="Télécharger tous les dossiers (zip)").click()
    files = pdf_files(caught.value, tmp_path / "all")
    assert {name.split("/")[0] for name in files} == {"a1", "a3", "manifest.json", "problems.txt"}
    for name, path in files.items():
        if "/poster-" in name:
            assert every_qr(path), name
    assert page.errors == []


def test_the_progress_page_works_without_javascript(browser, app, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.app = app.public
    sheet = tmp_path / "events.csv"
    sheet.write_text(helpers.HEADER + "n1;La Poste;Poste Sans JS;2026-03-12;;\n", encoding="utf-8")
    page.goto(page.app + "/en/upload")
    page.get_by_label("Events spreadsheet (CSV or XLSX)").set_input_files(str(sheet))
    page.get_by_role("button", name="Send the spreadsheet").click()
    page.wait_for_url("**/en/jobs/*")
    assert 'http-equiv="refresh"' in page.content() or "Finished" in page.content()
    page.get_by_text("Finished. Events: 1; packs made: 1.").wait_for(
        timeout=240_000
    )  # the page refreshed itself
    context.close()
