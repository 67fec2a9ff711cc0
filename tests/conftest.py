"""Shared test helpers: PDF inspection (pypdf, pdfplumber, pypdfium2 + zxing-cpp) and content fixtures."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit.resources import content_dir, package_dir

MM_PER_PT = 25.4 / 72
ROOT = Path(__file__).resolve().parent.parent
# Posters are measured in A4 terms: A3 is A4 x 1.41 (read from 2 m rather than 1.5 m), A2 is A4 x 2 (3 m).
A4_TERMS = {"A4": 1.0, "A3": 2**0.5, "A2": 2.0}

# The tests run against the installed package (as a wheel would be), never the source folder.
if package_dir() == ROOT / "kit":
    raise RuntimeError(
        f"kit was imported from the source tree ({package_dir()}); run the tests with ./dev test"
    )


class PDF:
    """Measurements of a PDF file, as a print shop or a phone would see it."""

    def __init__(self, path: Path):
        from pypdf import PdfReader

        self.path = Path(path)
        self.reader = PdfReader(str(path))

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def box_mm(self, index: int = 0, box: str = "trimbox") -> tuple[float, float]:
        rect = getattr(self.reader.pages[index], box)
        return (float(rect.width) * MM_PER_PT, float(rect.height) * MM_PER_PT)

    @property
    def lang(self):
        return self.reader.trailer["/Root"].get("/Lang")

    @property
    def title(self):
        return self.reader.metadata.get("/Title")

    def text(self, index: int = 0) -> str:
        return self.reader.pages[index].extract_text()

    def flat_text(self, index: int = 0) -> str:
        """Page text with line breaks and hyphen-free wraps joined, for searching sentences and URLs."""
        return re.sub(r"\s+", " ", self.text(index))

    def fonts(self) -> list[tuple[str, bool]]:
        """Every font used on every page, and whether its program is embedded."""
        found = []
        for page in self.reader.pages:
            for font in page["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                descriptors = [font.get("/FontDescriptor")]
                for descendant in font.get("/DescendantFonts", []):
                    descriptors.append(descendant.get_object().get("/FontDescriptor"))
                embedded = any(
                    d is not None
                    and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                    for d in descriptors
                )
                found.append((str(font["/BaseFont"]), embedded))
        return found

    def qr_codes(self, index: int = 0, dpi: int = 150) -> list[str]:
        """Decode every QR code on a page rendered at ``dpi`` (a fair stand-in for a phone)."""
        import pypdfium2 as pdfium
        import zxingcpp

        document = pdfium.PdfDocument(str(self.path))
        try:
            image = document[index].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
        return [
            code.text
            for code in zxingcpp.read_barcodes(image)
            if code.format == zxingcpp.BarcodeFormat.QRCode
        ]

    def alt_texts(self) -> list[str]:
        """Every /Alt text in the structure tree of a tagged PDF."""
        found = []

        def walk(node, depth=0):
            node = node.get_object() if hasattr(node, "get_object") else node
            if depth > 200:
                return
            if isinstance(node, list):
                for item in node:
                    walk(item, depth + 1)
            elif isinstance(node, dict):
                if "/Alt" in node:
                    found.append(str(node["/Alt"]))
                if "/K" in node:
                    walk(node["/K"], depth + 1)

        walk(self.reader.trailer["/Root"].get("/StructTreeRoot", {}))
        return found

    def lines(self, index: int = 0, splits_mm: tuple[float, ...] = ()) -> list[dict]:
        """Text lines of a page, one column per range between ``splits_mm`` (the folds of a leaflet)."""
        groups: dict[tuple, list] = {}
        for word in self.words(index):
            column = sum(word["x0"] * MM_PER_PT > split for split in splits_mm)
            groups.setdefault((column, round(word["bottom"])), []).append(word)
        return [
            {
                "text": " ".join(w["text"] for w in sorted(ws, key=lambda w: w["x0"])),
                "words": sorted(ws, key=lambda w: w["x0"]),
            }
            for _, ws in sorted(groups.items())
        ]

    def words(self, index: int = 0) -> list[dict]:
        import pdfplumber

        with pdfplumber.open(str(self.path)) as pdf:
            return pdf.pages[index].extract_words(extra_attrs=["fontname", "size"])

    def glyph_sizes(self, index: int = 0) -> list[float]:
        import pdfplumber

        with pdfplumber.open(str(self.path)) as pdf:
            return sorted(round(c["size"], 1) for c in pdf.pages[index].chars if c["text"].strip())

    def type_sizes(self, index: int = 0, fmt: str = "A4") -> dict:
        """A poster's type as read from a distance (the workplace's poster_measure.py), in A4 terms: the headline
        (largest glyph), the share of glyphs at 16 pt or more outside the fine print (the glyphs at the smallest
        size, left out when they are at most a quarter of the text), and that fine print's share."""
        k = A4_TERMS[fmt]
        sizes = self.glyph_sizes(index)
        fine = [s for s in sizes if s <= sizes[0] + 0.5]
        body = [s for s in sizes if s > sizes[0] + 0.5] if len(fine) <= 0.25 * len(sizes) else sizes
        return {
            "headline": sizes[-1] / k,
            "big": sum(s / k >= 16 for s in body) / max(len(body), 1),
            "fine": len(fine) / len(sizes),
            "smallest": sizes[0],
        }

    def empty_band(self, index: int = 0) -> float:
        """The tallest band across the page with no ink, between the first and the last ink, over the page's
        height (rendered at 50 dpi, as poster_measure.py does)."""
        import numpy as np
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(self.path))
        try:
            image = document[index].render(scale=50 / 72, grayscale=True).to_numpy()
        finally:
            document.close()
        image = image if image.ndim == 2 else image[:, :, 0]
        ink = (image < 235).sum(axis=1) > 2
        rows = np.flatnonzero(ink)
        gap = run = 0
        for y in range(rows[0], rows[-1] + 1):
            run = 0 if ink[y] else run + 1
            gap = max(gap, run)
        return gap / image.shape[0]

    def qr_symbols_mm(self, index: int = 0, dpi: int = 200) -> list[tuple[str, float]]:
        """Each QR code of a page with the side of its symbol (quiet zone excluded) in mm, measured on the
        rendered page."""
        import math

        import pypdfium2 as pdfium
        import zxingcpp

        document = pdfium.PdfDocument(str(self.path))
        try:
            image = document[index].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
        found = []
        for code in zxingcpp.read_barcodes(image):
            if code.format != zxingcpp.BarcodeFormat.QRCode:
                continue
            a, b = code.position.top_left, code.position.top_right
            # zxing gives the corners of the symbol's outer modules' centres... or edges: take the corner points.
            found.append((code.text, math.dist((a.x, a.y), (b.x, b.y)) / dpi * 25.4))
        return found


@pytest.fixture(scope="session")
def open_pdf():
    return PDF


class Phone:
    """A phone camera at a distance, as the workplace's qr_phone.py simulates it: the page rendered at the
    resolution a 1920-px frame with a 65-degree field of view gives at that distance, slightly blurred, noisy
    and JPEG-compressed, optionally tilted 30 degrees, then decoded with zxing-cpp."""

    @staticmethod
    def dpi(distance_m: float) -> float:
        import math

        return 1920 / (2 * distance_m * 1000 * math.tan(math.radians(32.5))) * 25.4

    def reads(self, path: Path, page: int, distance_m: float, tilted: bool = False) -> set[str]:
        import math

        import cv2
        import numpy as np
        import pypdfium2 as pdfium
        import zxingcpp

        rng = np.random.default_rng(0)
        document = pdfium.PdfDocument(str(path))
        try:
            image = np.ascontiguousarray(
                document[page].render(scale=self.dpi(distance_m) / 72).to_numpy()[:, :, :3]
            )
        finally:
            document.close()
        if tilted:
            h, w = image.shape[:2]
            dx = w * (1 - math.cos(math.radians(30))) / 2
            src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
            dst = np.float32([[dx, h * 0.04], [w - dx, 0], [w - dx, h], [dx, h * 0.96]])
            image = cv2.warpPerspective(
                image, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(255, 255, 255)
            )
        image = cv2.GaussianBlur(image, (0, 0), 0.6)
        image = np.clip(image.astype(np.float32) + rng.normal(0, 4, image.shape), 0, 255).astype(np.uint8)
        _, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 70])
        image = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
        return {
            r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if r.valid
        }


@pytest.fixture(scope="session")
def phone():
    return Phone()


@pytest.fixture(scope="session")
def built_kit(tmp_path_factory):
    """The default kit built once for the session (all languages, A4 and A3)."""
    out = tmp_path_factory.mktemp("kit") / "out"
    result = kit.build_kit(kit.load_project(), out)
    manifest = json.loads((out / "manifest.json").read_text())
    return out, result, manifest


@pytest.fixture
def content_copy(tmp_path):
    """A writable, stand-alone copy of the built-in knowledge base (`builtin: false`), to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    meta = target / "kit.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "builtin: false\n", encoding="utf-8")
    return target


def shown(url: str) -> str:
    """An address as documents print it for people to type: without its https:// (what the QR code adds)."""
    return url.split("://", 1)[-1]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture(scope="session")
def printed():
    """`shown`: an address as documents print it."""
    return shown


@pytest.fixture(scope="session")
def edit_file():
    return edit


@pytest.fixture(scope="session")
def run_kit():
    """Run the installed `kit` command in a subprocess (as a user would)."""
    exe = Path(sys.executable).with_name("kit")

    def run(*args, cwd=None, timeout=300):
        return subprocess.run(
            [str(exe), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout
        )

    return run


# --- The screen and message channels: a `kit init` project with its companion site's address ---------------

SITE_BASE = "https://www.exemple-sante.fr/donnees/"
FEEDBACK = "https://www.exemple-sante.fr/avis"


@pytest.fixture(scope="session")
def site_project(tmp_path_factory):
    """`kit init` with [site] base_url and a feedback form (as an organisation would set them), loaded once."""
    from kit.init import init_project

    folder = tmp_path_factory.mktemp("site-project") / "proj"
    init_project(folder)
    toml = folder / "kit.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace(
        '# base_url = "https://www.exemple-sante.fr/donnees/"', f'base_url = "{SITE_BASE}"', 1
    )
    text = text.replace(
        '# feedback_url = "https://www.exemple-sante.fr/avis"', f'feedback_url = "{FEEDBACK}"', 1
    )
    assert f'base_url = "{SITE_BASE}"' in text and f'feedback_url = "{FEEDBACK}"' in text
    toml.write_text(text, encoding="utf-8")
    from kit.project import Settings

    return folder, kit.load_project(Settings(config=toml))


def site_pages(kb) -> set[str]:
    """Every page address of the companion site (relative to its root), as kit.addresses.SitePages names them."""
    from kit.addresses import SitePages

    return {page.path for page in SitePages(kb).every()}


@pytest.fixture(scope="session")
def built_site(site_project, tmp_path_factory):
    """The companion site of the `kit init` project, built once by `kit site`'s library call."""
    from kit.site import build_site

    _, project = site_project
    out = tmp_path_factory.mktemp("site")
    build_site(project, out, library=False)
    return out


@pytest.fixture(scope="session")
def resolves(built_site):
    """``resolves(url, kb)``: the page of the built site the link leads to (its file exists, and the element its
    #fragment names is in it), else None."""
    import re as _re

    ids: dict[str, set[str]] = {}

    def check(url: str, kb) -> str | None:
        if not url.startswith(SITE_BASE):
            return None
        path, _, fragment = url[len(SITE_BASE) :].partition("#")
        path = path.split("?", 1)[0]
        if path not in site_pages(kb):
            return None
        page = built_site / path / "index.html"
        if not page.is_file():
            return None
        if fragment:
            if path not in ids:
                ids[path] = set(_re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
            if fragment not in ids[path]:
                return None
        return path

    return check


# --- kit report: access logs whose true counts are known ----------------------------------------------------

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1"
)


class AccessLog:
    """Lines of an nginx/Apache access log, written as a server would (combined format unless told)."""

    def __init__(self):
        self.lines: list[bytes] = []

    def hit(
        self,
        when,
        address: str,
        target: str,
        *,
        status: int = 200,
        method: str = "GET",
        agent: str = IPHONE,
        referrer: str = "-",
        common: bool = False,
    ) -> AccessLog:
        stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
        line = f'{address} - - [{stamp}] "{method} {target} HTTP/1.1" {status} 512'
        if not common:
            line += f' "{referrer}" "{agent}"'
        self.lines.append(line.encode())
        return self

    def raw(self, line: bytes) -> AccessLog:
        self.lines.append(line)
        return self

    def data(self) -> bytes:
        return b"".join(line + b"\n" for line in self.lines)

    def write(self, path: Path, *, gz: bool = False) -> Path:
        import gzip

        data = self.data()
        path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
        return path


@pytest.fixture(scope="session")
def access_log():
    return AccessLog


# --- the browser tests (site, report, serve): Debian's Chromium through Playwright, axe-core ---------------------

CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
# Playwright already adds --headless, --no-sandbox, --disable-background-networking and its own --disable-features
# list (never pass another --disable-features: Chromium keeps the last one and would re-enable what Playwright
# turns off). The resolver rule makes every host but 127.0.0.1 unresolvable inside Chromium: even its own
# background requests (component updater, account checks, which page.route never sees) cannot leave the machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--font-render-hinting=none",
]
# WCAG 2.0 to 2.2, A and AA. Giving options drops the package's default: keep results small.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
INSTALL = (
    "Debian's Chromium is needed to test pages in a real browser: run ./dev test (it installs it), or as "
    "root: apt-get install --no-install-recommends chromium fonts-liberation. Do not run `playwright install`."
)


@pytest.fixture(scope="session")
def browser():
    """Chromium, launched once for the session. Missing: the test fails with how to install it (never skipped)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "playwright is not installed: pip install '.[test]' (./dev test does). " + INSTALL, pytrace=False
        )
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} does not exist. {INSTALL}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe():
    """axe-core (its bundled axe.min.js, read once: nothing is fetched); ``axe.run(page)`` checks WCAG 2.2 A and
    AA (AXE_OPTIONS) unless given other options."""
    from axe_playwright_python.sync_playwright import Axe

    class Wcag(Axe):
        def run(self, page, context=None, options=None):
            return super().run(page, context=context, options=AXE_OPTIONS if options is None else options)

    return Wcag()
