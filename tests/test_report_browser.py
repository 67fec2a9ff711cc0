"""The report's pages in a real browser (Debian's Chromium through Playwright, as tests/test_site_browser.py): axe-core
finds no WCAG 2.2 A or AA violation, charts and their tables are there, nothing is asked of another host, and the
pages are read without sideways scrolling on a 360-px phone and at 1280 px (screenshots saved to look at)."""

from __future__ import annotations

import os
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kit.placements import Place, Placement, write_placements_csv
from kit.report import ReportOptions, build_report

PLACES = [  # (event, kind, name, postcode, city)
    ("lyon-poste", "la-poste", "Bureau de poste de Lyon Part-Dieu", "69003", "Lyon"),
    ("paris-fs", "france-services", "France Services Paris 11e arrondissement", "75011", "Paris"),
    ("rennes-cafe", "cafe-ia", "Café IA de la médiathèque des Champs Libres", "35000", "Rennes"),
    ("brest-poste", "la-poste", "Bureau de Brest", "29200", "Brest"),
    ("ajaccio-fs", "france-services", "France Services Ajaccio", "20000", "Ajaccio"),
]
DOCUMENTS = [
    ("fr/affiche-securite-A4.pdf", "fr", "poster", "standard"),
    ("fr/livret-facile.pdf", "fr", "falc-booklet", "falc"),
    ("en/leaflet.pdf", "en", "leaflet", "standard"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory, access_log):
    """A report over 60 days of generated logs: five places, three documents each, one place never scanned."""
    folder = tmp_path_factory.mktemp("report")
    rows, code = [], 0
    for event, kind, name, postcode, city in PLACES:
        for document, lang, layout, level in DOCUMENTS:
            code += 1
            rows.append(
                Placement.of(
                    Place(event, kind, name, postcode=postcode, city=city),
                    f"code{code:02d}",
                    document,
                    lang,
                    "sante.exemple.org/fr/",
                    layout,
                    level,
                )
            )
    placements = write_placements_csv(folder / "placements.csv", rows)
    rng = random.Random(7)
    log = access_log()
    start = datetime(2026, 3, 1, 8, tzinfo=timezone(timedelta(hours=1)))
    for minute in range(0, 60 * 24 * 60, 7):
        when = start + timedelta(minutes=minute)
        address = f"192.0.2.{rng.randint(1, 254)}"
        row = rng.choice(rows[:12])  # the last place is never scanned
        if rng.random() < 0.5:
            log.hit(when, address, f"/fr/securite/?p={row.code}")
            log.hit(
                when + timedelta(minutes=1), address, "/fr/droits/", referrer="https://sante.exemple.org/fr/"
            )
        else:
            log.hit(when, address, rng.choice(["/fr/", "/en/", "/fr/facile/"]))
    log.hit(start, "192.0.2.9", "/fr/?p=typo00")
    path = log.write(folder / "access.log")
    result = build_report(
        ReportOptions(logs=[str(path)], out=folder / "out", placements=[placements], jobs=1)
    )
    assert result.figures.totals["scans"] > 500
    return folder / "out"


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("KIT_REPORT_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("page_name", ["index.html", "en.html"])
def test_report_pages_pass_axe_and_load_nothing_from_elsewhere(built, browser, axe, page_name):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    asked = []
    context.route("**/*", lambda route, request: (asked.append(request.url), route.continue_()))
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto((built / page_name).as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # tables shown too
    assert errors == []  # (axe's own requests for the stylesheet, from a file: page, fail: after this)
    violations = axe.run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    assert {urlsplit(url).scheme for url in asked} == {"file"}
    assert page.locator("svg[role=img] > title").count() == 11  # days, weeks, 7 kinds, read after, typed
    assert page.locator("table").count() >= 15 and page.locator("a[href$='.csv']").count() >= 15
    assert page.evaluate("document.documentElement.lang") == page_name[:-5].replace("index", "fr")
    context.close()


def test_report_readable_on_a_phone_and_a_wide_screen(built, browser, screenshots):
    for width, name in ((360, "index.html"), (1280, "index.html"), (360, "en.html")):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto((built / name).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('svg.chart text')].map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 10, smallest  # chart text stays readable once the chart is scaled to the screen
        page.screenshot(path=str(screenshots / f"report-{name[:-5]}-{width}.png"), full_page=True)
        context.close()
    print(f"\nscreenshots in {screenshots}")
