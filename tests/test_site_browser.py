"""The companion site in a real browser: Debian's Chromium driven by Playwright (never `playwright install`), the
site served on 127.0.0.1 under a sub-path and opened from disk. axe-core on every page (WCAG 2.0-2.2 A and AA), no
request leaving the host, every internal link followed, keyboard, 360-px phone, text at 200 %, print, right to left.

One browser for the session, one context per test. Nothing is skipped: without Chromium the tests fail and say how
to install it (`./dev test` does).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from urllib.request import url2pathname

import pytest

import kit
from kit.site import build_site

SITE = "https://sante.exemple.org/campagne/"
SUB_PATH = "campagne"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The site built from a kit.toml with [site] base_url, served on 127.0.0.1 under /campagne/ (a sub-path)."""
    root = tmp_path_factory.mktemp("www")
    config = root / "kit.toml"
    config.write_text(
        f'[organisation]\nname = "Association Exemple Santé"\n[contact]\nphone = "01 23 45 67 89"\n'
        f'email = "contact@exemple-sante.fr"\n[site]\nbase_url = "{SITE}"\n',
        encoding="utf-8",
    )
    project = kit.load_project(kit.Settings(config=config))
    started = time.perf_counter()
    result = build_site(project, root / SUB_PATH, library=False)
    print(f"\nsite built in {time.perf_counter() - started:.2f} s ({len(result.pages)} pages)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    manifest = json.loads((root / SUB_PATH / "manifest.json").read_text(encoding="utf-8"))
    yield {
        "url": f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/",
        "dir": root / SUB_PATH,
        "pages": [page["path"] for page in manifest["pages"]],
        "project": project,
    }
    server.shutdown()
    server.server_close()


@pytest.fixture
def context(browser):
    """A fresh context whose every request to another host is blocked and recorded (`context.blocked`)."""
    made = []

    def make(**options):
        ctx = browser.new_context(
            service_workers="block", **{"viewport": {"width": 360, "height": 800}, **options}
        )
        ctx.blocked = []

        def guard(route, request):
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob", "about", "file") or parts.hostname == "127.0.0.1":
                return route.continue_()
            ctx.blocked.append(f"{request.resource_type}: {request.url}")
            return route.abort("blockedbyclient")

        ctx.route("**/*", guard)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where screenshots go: $KIT_SITE_SCREENSHOTS, else a temporary folder (named in the test output)."""
    folder = Path(os.environ.get("KIT_SITE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_every_page_passes_axe_and_asks_nothing_of_another_host(served, context, axe):
    ctx = context()
    page = ctx.new_page()
    failed, violations, console = [], {}, []
    page.on(
        "response",
        lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"),
    )
    page.on("console", lambda message: message.type in ("error", "warning") and console.append(message.text))
    started = time.perf_counter()
    for path in served["pages"]:
        response = page.goto(served["url"] + path)
        assert response.status == 200, path
        found = axe.run(page).response["violations"]
        if found:
            violations[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    print(f"\naxe on {len(served['pages'])} pages: {time.perf_counter() - started:.1f} s")
    assert violations == {}
    assert ctx.blocked == [] and failed == [] and console == []


def crawl(page, start: str, inside: str) -> dict[str, str]:
    """Follow every link from ``start`` that stays under ``inside``: each page reached, and its title. Links to other
    files (the JSON export, licences) must lead to a file that is there; a link to #id, to an element of that id."""
    seen, ids, todo, anchors, files = {}, {}, [start], set(), set()
    while todo:
        url = todo.pop()
        if url in seen or url in files:
            continue
        if not url.endswith(".html"):
            files.add(url)
            if url.startswith("file:"):
                assert Path(url2pathname(urlsplit(url).path)).is_file(), url
            else:
                assert page.request.get(url).status == 200, url
            continue
        response = page.goto(url)  # "load": its stylesheet, fonts and pictures too (none may fail)
        assert response is None or response.status == 200, url
        assert page.title(), url
        seen[url] = page.title()
        ids[url] = set(page.eval_on_selector_all("[id]", "found => found.map(e => e.id)"))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target, fragment = urldefrag(href)
            if not target.startswith(inside):
                assert target.startswith(("https://", "mailto:", "tel:")), (url, href)
                continue
            if fragment:
                anchors.add((target, fragment))
            todo.append(target)
    missing = [
        (target, fragment) for target, fragment in sorted(anchors) if fragment not in ids.get(target, ())
    ]
    assert missing == []
    return seen


def test_every_internal_link_works_under_a_sub_path(served, context):
    ctx = context()
    page = ctx.new_page()
    failed = []
    page.on(
        "response",
        lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"),
    )
    seen = crawl(page, served["url"] + "index.html", served["url"])
    # Every page of the site is reached by following links from the root (but 404.html, which the host shows for
    # addresses the site does not have); nothing loads from elsewhere.
    linked = [path for path in served["pages"] if path != "404.html"]
    assert sorted(seen) == sorted(served["url"] + path for path in linked)
    assert failed == [] and ctx.blocked == []


def test_the_site_opened_from_disk_works(served, context, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(served["dir"], copy)
    ctx = context()
    page = ctx.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    root = copy.resolve().as_uri() + "/"
    seen = crawl(page, root + "index.html", root)
    assert len(seen) == len(served["pages"]) - 1  # every page but 404.html, which nothing links to
    page.goto(root + "fr/securite/index.html")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Atkinson Hyperlegible\"')")
    assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor")
        == "rgb(29, 68, 119)"
    )
    assert failed == [] and ctx.blocked == []


def test_a_question_page_on_a_phone_and_a_wide_screen(served, context, screenshots):
    """360 px (most visitors scan a poster) and 1280 px: no sideways scrolling, fonts and pictures loaded. The
    screenshots are saved for a person to look at."""
    for width in (360, 1280):
        ctx = context(viewport={"width": width, "height": 800})
        page = ctx.new_page()
        page.goto(served["url"] + "fr/securite/index.html")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').length") >= 2
        page.screenshot(path=str(screenshots / f"question-fr-{width}.png"), full_page=True)
        page.goto(served["url"] + "fr/facile/securite/index.html")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(screenshots / f"question-facile-fr-{width}.png"), full_page=True)
    print(f"\nscreenshots in {screenshots}")


def test_text_at_200_percent_still_fits_and_keeps_the_easy_pages_large(served, context):
    """Text resized to 200 % (the browser's minimum font size setting, as people with low vision use it) on a
    640-px window (1280 px zoomed to 200 %): nothing is cut or needs sideways scrolling."""
    ctx = context(viewport={"width": 640, "height": 800})
    page = ctx.new_page()
    for path in (
        "fr/securite/index.html",
        "fr/facile/securite/index.html",
        "en/index.html",
        "fr/lexique/index.html",
    ):
        page.goto(served["url"] + path)
        before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        page.add_style_tag(content="html { font-size: 200% !important; }")
        after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert after == pytest.approx(2 * before)
        assert page.evaluate("document.documentElement.scrollWidth") <= 640, path
    page.goto(served["url"] + "fr/facile/securite/index.html")
    assert (
        page.evaluate("parseFloat(getComputedStyle(document.querySelector('.ideas p')).fontSize)") >= 21.3
    )  # 16 pt


def test_keyboard_skip_link_and_visible_focus(served, context):
    ctx = context()
    page = ctx.new_page()
    page.goto(served["url"] + "fr/securite/index.html")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.getAttribute('href')")
    assert skip == "#main"
    box = page.locator("a.skip").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 0  # on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(e => [getComputedStyle(e).outlineStyle, parseFloat(getComputedStyle(e).outlineWidth)])"
        "(document.activeElement)"
    )
    assert outline[0] != "none" and outline[1] >= 2


def test_print_shows_the_text_without_menus_and_with_addresses(served, context):
    ctx = context()
    page = ctx.new_page()
    page.goto(served["url"] + "fr/securite/index.html")
    page.emulate_media(media="print")
    for selector in (".menu", ".langs", ".skip", ".twin", ".pager"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).display") == "none", (
            selector
        )
    after = page.evaluate(
        "getComputedStyle(document.querySelector('main a[href^=\"https\"]'), '::after').content"
    )
    assert "attr(href)" in after or "https://" in after
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_the_language_switch_and_the_easy_to_read_twin(served, context):
    ctx = context()
    page = ctx.new_page()
    page.goto(served["url"] + "fr/securite/index.html")
    page.click(".langs a[hreflang='en']")
    assert page.url == served["url"] + "en/safety/index.html"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click(".twin a")
    assert page.url == served["url"] + "en/easy/safety/index.html"
    page.click(".twin a")
    assert page.url == served["url"] + "en/safety/index.html"
    kb = served["project"].kb
    assert page.title().startswith(kb.question("wrong-hands").translations["en"].question)


def arabic(content_copy: Path) -> Path:
    """The built-in content with every French text in Arabic words (tests/test_rtl.py's generator), alone."""
    import importlib.util

    import yaml

    spec = importlib.util.spec_from_file_location("kit_test_rtl", Path(__file__).with_name("test_rtl.py"))
    rtl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rtl)
    words = rtl.Arabic()
    questions = sorted((content_copy / "questions").glob("*.yaml"))
    for path in [content_copy / "shared.yaml", content_copy / "venues.yaml", *questions]:
        data = rtl.only_arabic(yaml.safe_load(path.read_text(encoding="utf-8")), words)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    meta = yaml.safe_load((content_copy / "kit.yaml").read_text(encoding="utf-8"))
    meta["languages"] = ["ar"]
    meta["partial_languages"] = []  # the built-in partial languages are not part of this sample
    meta["language_review"] = {}
    (content_copy / "kit.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return content_copy


def test_right_to_left_pages_mirror(context, axe, tmp_path, content_copy, screenshots):
    out = tmp_path / "ar"
    build_site(kit.load_project(content=arabic(content_copy), check=False), out, library=False)
    ctx = context()
    page = ctx.new_page()
    page.goto((out / "ar/securite/index.html").resolve().as_uri())
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.dir") == "rtl"
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"', 'بيانات')")
    # The pictogram sits on the right of the question, where reading starts; the text starts at the right margin.
    picto, title = page.locator(".title .picto").bounding_box(), page.locator("h1").bounding_box()
    assert picto["x"] > title["x"] + title["width"] - 1
    assert picto["x"] + picto["width"] > 360 - 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe.run(page).response["violations"] == []
    page.screenshot(path=str(screenshots / "question-ar-360.png"), full_page=True)
    assert ctx.blocked == []


class WithNotFound(Quiet):
    """A web host's behaviour: an address the site does not have gets the site's 404.html, status 404."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / SUB_PATH / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_an_address_the_site_does_not_have_shows_its_404_page(served, context, axe, screenshots):
    """Shown by the host at any depth, the 404 page keeps its look (a style of its own), passes axe, asks nothing of
    another host, and leads to each language's home and Easy-to-Read home at the site's full address."""
    root = served["dir"].parent
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(WithNotFound, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ctx = context()
        page = ctx.new_page()
        url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/fr/une/adresse/mal/tapee/"
        response = page.goto(url)
        assert response.status == 404
        kb = served["project"].kb
        assert page.locator("h1").count() == 1
        assert kb.shared.site["fr"].not_found in page.locator("h1").inner_text()
        colour = page.locator("h1").evaluate("e => getComputedStyle(e).color")
        assert colour != "rgb(0, 0, 0)"  # styled at this depth: the look is inside the page
        hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        pages = served["project"]
        from kit.addresses import SitePages

        addresses = SitePages(pages.kb)
        for lang in kb.languages:
            assert SITE + addresses.home(lang) in hrefs and SITE + addresses.home(lang, "falc") in hrefs
        results = axe.run(page)
        assert results.response["violations"] == [], results.generate_report()
        assert ctx.blocked == []
        page.screenshot(path=str(screenshots / "404-360.png"), full_page=True)
        print(f"\n404 page screenshot: {screenshots / '404-360.png'}")
    finally:
        server.shutdown()
        server.server_close()


# --- the print library (kit.library): its pages in the browser, served under a sub-path and from disk ----------


@pytest.fixture(scope="session")
def library_served(tmp_path_factory):
    """A site in French and Arabic (right to left, a partial language) with its print library, served on
    127.0.0.1 under /campagne/."""
    root = tmp_path_factory.mktemp("www-library")
    config = root / "kit.toml"
    config.write_text(
        f'[contact]\nphone = "01 23 45 67 89"\n[site]\nbase_url = "{SITE}"\nlibrary = true\n',
        encoding="utf-8",
    )
    project = kit.load_project(kit.Settings(config=config))
    started = time.perf_counter()
    result = build_site(project, root / SUB_PATH, langs="fr,ar")
    print(f"\nsite with its print library built in {time.perf_counter() - started:.1f} s")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {
        "url": f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/",
        "dir": root / SUB_PATH,
        "library": [page.doc.path for page in result.pages if page.doc.layout.html.page == "library"],
        "files": [item.path for item in result.library.files],
    }
    server.shutdown()
    server.server_close()


def test_the_print_library_passes_axe_and_its_downloads_are_there_under_a_sub_path(
    library_served, context, axe
):
    assert sorted(library_served["library"]) == ["ar/tibaa/index.html", "fr/imprimer/index.html"]
    ctx = context()
    page = ctx.new_page()
    failed = []
    page.on(
        "response",
        lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"),
    )
    violations = {}
    for path in [*library_served["library"], "fr/index.html", "ar/index.html"]:
        assert page.goto(library_served["url"] + path).status == 200, path
        found = axe.run(page).response["violations"]
        if found:
            violations[path] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]
    assert violations == {}
    # From the French home page, the link to the library; there, every download answers with its PDF.
    page.goto(library_served["url"] + "fr/index.html")
    page.click("footer a[href$='imprimer/index.html']")
    page.wait_for_load_state("load")
    assert page.url == library_served["url"] + "fr/imprimer/index.html"
    assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    downloads = page.eval_on_selector_all("a[download]", "links => links.map(a => a.href)")
    assert len(downloads) == 1 + sum(path.startswith("fr/") for path in library_served["files"])  # + the zip
    for url in downloads:
        assert url.startswith(library_served["url"] + "fr/imprimer/")
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.body()[:4] in (b"%PDF", b"PK\x03\x04"), url
    assert failed == [] and ctx.blocked == []


def test_the_print_library_works_from_disk_and_on_a_phone(library_served, context, screenshots, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(library_served["dir"], copy)
    ctx = context()
    page = ctx.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    root = copy.resolve().as_uri() + "/"
    seen = crawl(page, root + "fr/imprimer/index.html", root)  # every link followed; the PDFs are files there
    assert root + "ar/tibaa/index.html" in seen  # through the language switch
    for path in library_served["library"]:
        page.goto(root + path)
        page.evaluate("document.fonts.ready")
        assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path  # no sideways scrolling
        page.screenshot(path=str(screenshots / f"library-{path.split('/')[0]}-360.png"), full_page=True)
    assert failed == [] and ctx.blocked == []
    print(f"\nscreenshots in {screenshots}")


# --- a page's recording (content `audio`): the player in the browser, under a sub-path, from disk, with a CSP ---


class WithPolicy(Quiet):
    """A host that forbids every script and everything from elsewhere (media-src is default-src: the recordings
    are the site's own files; data: is the pages' empty icon)."""

    def end_headers(self):
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'",
        )
        super().end_headers()


def test_a_page_with_its_recording_plays_it_and_passes_axe(context, axe, tmp_path, screenshots):
    """The question page and its Easy-to-Read page offer their recordings first: axe passes, the player is as wide
    as the text on a 360-px phone, and Chromium reads the file's length (6 s) under a sub-path with a strict
    Content-Security-Policy and from disk; nothing loads before the reader presses play (preload="none")."""
    import importlib.util

    from kit.addresses import SitePages

    spec = importlib.util.spec_from_file_location(
        "kit_recording_helpers", Path(__file__).with_name("test_recordings.py")
    )
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)
    content_with, tone = helpers.content_with, helpers.tone

    folder = tmp_path / "project"
    content = folder / "content"
    tone(content / "audio" / "why-fr.mp3", 6, "mp3")
    tone(content / "audio" / "why-fr-easy.m4a", 6, "aac", "mp4")
    content_with(content, {"fr": {"standard": "audio/why-fr.mp3", "falc": "audio/why-fr-easy.m4a"}})
    (folder / "kit.toml").write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    project = kit.load_project(kit.Settings(config=folder / "kit.toml"))
    root = tmp_path / "www"
    build_site(project, root / SUB_PATH, library=False)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(WithPolicy, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    served = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    pages = SitePages(project.kb)
    length = """() => new Promise(done => {
        const audio = document.querySelector('section.listen audio');
        audio.addEventListener('loadedmetadata', () => done(audio.duration));
        audio.addEventListener('error', () => done(-1));
        audio.load();
    })"""
    try:
        ctx = context()
        page = ctx.new_page()
        console, requests = [], []
        page.on(
            "console", lambda message: message.type in ("error", "warning") and console.append(message.text)
        )
        page.on("request", lambda request: requests.append(request.url))
        for level in ("standard", "falc"):
            address = pages.question("why-use-data", "fr", level)
            for url in (served + address + "index.html", (root / SUB_PATH / address / "index.html").as_uri()):
                requests.clear()
                page.goto(url)
                page.evaluate("document.fonts.ready")
                assert not [seen for seen in requests if "/assets/audio/" in seen]  # preload="none"
                player = page.locator("section.listen audio")
                assert player.count() == 1 and player.is_visible()
                assert page.locator("section.listen h2").inner_text() == "Écouter cette page"
                assert player.bounding_box()["width"] >= 280
                assert page.evaluate("document.documentElement.scrollWidth") <= 360
                assert 5.5 < page.evaluate(length) < 6.5, url
                assert console == [], (
                    url
                )  # nothing the policy refused (axe's own injected checks are not the page's)
                results = axe.run(page)
                assert results.response["violations"] == [], results.generate_report()
                console.clear()
            page.goto(served + address + "index.html")
            page.screenshot(path=str(screenshots / f"recording-{level}-360.png"), full_page=False)
        page.goto(served + pages.home("fr") + "index.html")  # where the doorstep card's QR code leads
        assert page.locator("ul.cards audio").count() == 1 and console == []
        assert axe.run(page).response["violations"] == []
        assert ctx.blocked == []
        print(f"\nscreenshots of the player: {screenshots}")
    finally:
        server.shutdown()
        server.server_close()


def test_the_library_with_every_channel_passes_axe_on_a_phone(tmp_path, context, axe, screenshots):
    """Issue 23.1: with kit.toml's [build] channels on, the library's page also offers the social cards (a link
    per size), the newsletter, the slides and the video: axe-core finds nothing, at 360 px, from disk."""
    config = tmp_path / "kit.toml"
    config.write_text(
        '[contact]\nphone = "01 23 45 67 89"\n[build]\nformats = ["A4"]\n'
        'channels = ["print", "social", "email", "slides"]\n'
        f'[site]\nbase_url = "{SITE}"\nlibrary = ["fr"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    build_site(kit.load_project(kit.Settings(config=config)), out, langs="fr")
    ctx = context()
    page = ctx.new_page()
    page.goto((out / "fr/imprimer/index.html").resolve().as_uri())
    page.evaluate("document.fonts.ready")
    found = axe.run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    for kind in ("card", "newsletter", "slides", "screen-loop"):
        assert page.locator(f"section[aria-labelledby='{kind}'] a[download]").count() >= 1, kind
    hrefs = page.eval_on_selector_all("a[download]", "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == len(set(hrefs)) and all((out / "fr/imprimer" / h).is_file() for h in hrefs)
    names = page.eval_on_selector_all("a[download]", "links => links.map(a => a.textContent.trim())")
    assert len(names) == len(set(names))  # every link says what it downloads
    page.screenshot(path=str(screenshots / "library-channels-fr-360.png"), full_page=True)
    assert ctx.blocked == []
