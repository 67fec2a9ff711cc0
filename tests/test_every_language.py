"""Every language, every code, every page (issue 26): a `kit init` project with its site's address prints, in every
language kit has, every document of every channel (`kit build --channels print,social,email,slides`, every
format) and event packs of every kind of place (tracked), and publishes its site. Every QR code, decoded with
zxing-cpp from the rendered page, and every printed address and link lands on a page the site publishes, in the
document's language; no document or page shows a placeholder; Arabic reads as typed.

One build, one test: it is slow (several minutes), and each check needs all of it."""

from __future__ import annotations

import email
import json
import re
from collections import defaultdict
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kit
from kit.addresses import printed
from kit.check.placeholders import PLACEHOLDER

SITE = "https://www.exemple-sante.fr/donnees/"
# Rows added to kit init's events.csv: every kind of place, and together every language kit has.
ROWS = [
    "quartier-8;porte à porte;Quartier des Tilleuls;;93120;La Courneuve;2026-04-14;14:00;17:00;;"
    "fr,en,ar,tr,pt,zh,ro,es;oui;80",
    "fs-ar;France Services;France Services Vénissieux;;69200;Vénissieux;2026-04-15;09:00;17:00;;fr:20,ar:10;oui;",
    "poste-zh;La Poste;Bureau de poste Belleville;;75020;Paris;2026-04-16;;;;zh,fr;oui;10",
    "cafe-en;Café IA;Médiathèque;;69003;Lyon;2026-04-17;18:30;20:00;;en,tr;oui;12",
]
ARABIC_WORD = re.compile(r"[\u0621-\u065F\u0670]+")
LIGATURES = ["لا", "لأ", "لإ", "لآ", "لى"]


class Text(HTMLParser):
    """The text of an HTML page or template output (what is in the body, without styles), and its ids."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.lang = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._skip += tag in ("head", "style", "script")
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")

    def handle_endtag(self, tag):
        self._skip -= tag in ("head", "style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> Text:
        parser = cls()
        parser.feed(html)
        return parser

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def decode_pdf(path: Path) -> tuple[list[str], list[str], str]:
    """Every QR code of every page (pypdfium2 at 150 dpi, zxing-cpp), and the text of each page (pypdf) and of
    the whole document as PDFium reads it."""
    import pypdfium2 as pdfium
    import zxingcpp
    from pypdf import PdfReader

    codes = []
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            image = page.render(scale=150 / 72).to_pil()
            codes += [
                c.text for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode
            ]
        pdfium_text = "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    texts = [page.extract_text() for page in PdfReader(str(path)).pages]
    return codes, texts, pdfium_text


def decode_png(path: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    with Image.open(path) as image:
        return [c.text for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]


def decode_video(path: Path) -> list[str]:
    """The QR codes of a video's screens: each screen starts with a keyframe, and only keyframes are decoded."""
    import av
    import zxingcpp

    found = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.codec_context.skip_frame = "NONKEY"
        for frame in container.decode(stream):
            found += [
                c.text
                for c in zxingcpp.read_barcodes(frame.to_ndarray(format="rgb24"))
                if c.format == zxingcpp.BarcodeFormat.QRCode
            ]
    return found


def message_text(path: Path) -> str:
    """The plain text and the HTML's text of an e-mail."""
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    parts = []
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            parts.append(part.get_content())
        elif part.get_content_type() == "text/html":
            parts.append(Text.of(part.get_content()).text)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """kit init, [site] base_url, tracking; the site, the whole kit in every language and channel, the packs."""
    from kit.build import build_kit
    from kit.init import init_project
    from kit.pack import build_packs
    from kit.project import Settings
    from kit.site import build_site

    root = tmp_path_factory.mktemp("every-language")
    folder = root / "proj"
    init_project(folder)
    toml = folder / "kit.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace(f'# base_url = "{SITE}"', f'base_url = "{SITE}"', 1), encoding="utf-8")
    events = folder / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + "\n".join(ROWS) + "\n", encoding="utf-8")
    project = kit.load_project(Settings(config=toml, track=True))
    langs = project.kb.all_languages
    site = build_site(project, root / "site", library=False)
    made = build_kit(
        project,
        root / "kit",
        ",".join(langs),
        "A4,A2",  # the smallest and the largest posters (A3 is between them)
        channels="print,social,email,slides",
    )
    packs = build_packs(project, events, root / "packs", jobs=2)
    return root, project, site, made, packs


def _documents(root: Path) -> list[tuple[Path, dict]]:
    """Every document the kit and the packs wrote, with its manifest entry."""
    found = []
    for entry in json.loads((root / "kit" / "manifest.json").read_text(encoding="utf-8"))["documents"]:
        found.append((root / "kit" / entry["path"], entry))
    for event in json.loads((root / "packs" / "manifest.json").read_text(encoding="utf-8"))["events"]:
        assert event["status"] == "built", event
        found += [(root / "packs" / entry["path"], entry) for entry in event["documents"]]
    return found


def test_every_code_address_and_page_in_every_language(everything):
    root, project, site, made, packs = everything
    kb = project.kb
    # The site: every language kit has, each page in its own language.
    manifest = json.loads((root / "site" / "manifest.json").read_text(encoding="utf-8"))
    pages: dict[str, tuple[str, set[str]]] = {}
    for entry in manifest["pages"]:
        page = Text.of((root / "site" / entry["path"]).read_text(encoding="utf-8"))
        assert page.lang == entry["lang"], entry["path"]
        assert not PLACEHOLDER.search(page.text), (entry["path"], PLACEHOLDER.search(page.text))
        pages[entry["address"]] = (entry["lang"], page.ids)
    assert {lang for lang, _ in pages.values()} == set(kb.all_languages)

    def lands(url: str, lang: str, what: str) -> None:
        assert url.startswith(SITE), (what, url)
        address, _, fragment = url.removeprefix(SITE).partition("#")
        address = address.split("?", 1)[0]
        assert address in pages, (what, url)  # a page the site publishes
        page_lang, ids = pages[address]
        assert page_lang == lang, (what, url, page_lang)  # in the document's language
        assert not fragment or fragment in ids, (what, url)

    coded: dict[str, set[str]] = defaultdict(set)  # layout -> languages whose QR codes were decoded
    arabic: list[tuple[Path, dict, list[str], str]] = []
    documents = _documents(root)
    assert len(documents) > 300
    for path, entry in documents:
        lang, what = entry["lang"], entry["path"]
        for link in entry.get("links", []):  # the site's pages (a story's source is another site)
            if link.startswith(SITE):
                lands(link, lang, what)
        suffix = path.suffix
        if suffix == ".pdf":
            codes, texts, pdfium_text = decode_pdf(path)
            flat = re.sub(r"\s+", "", " ".join(texts))
            for text in texts:
                assert not PLACEHOLDER.search(text), (what, PLACEHOLDER.search(text).group(0))
            if lang == "ar":
                arabic.append((path, entry, texts, pdfium_text))
        elif suffix == ".png":
            codes, flat = decode_png(path), None
        elif suffix == ".mp4":  # the same code on several screens: compared as a set
            codes, flat = sorted(set(decode_video(path))), None
            assert codes, what
        else:  # a newsletter or a text message: its words and links
            raw = path.read_text(encoding="utf-8") if suffix != ".eml" else ""
            text = message_text(path) if suffix == ".eml" else Text.of(raw).text if suffix == ".html" else raw
            assert not PLACEHOLDER.search(text), (what, PLACEHOLDER.search(text).group(0))
            for link in re.findall(r"https://[^\s\"'<>)]+", text + raw):
                if link.startswith(SITE):
                    lands(link.rstrip(".,"), lang, what)
            continue
        for words in (entry.get("alt"), entry.get("post")):
            assert not (words and PLACEHOLDER.search(str(words))), what
        # Every QR code scans, to what the manifest says, and leads to a page in the document's language; the
        # clean address (no placement code) is printed beside it.
        wanted = [qr["url"] for qr in entry["qr"]]
        assert sorted(codes) == sorted(set(wanted) if suffix == ".mp4" else wanted), what
        for qr in entry["qr"]:
            lands(qr["url"], lang, what)
            # the code is the clean address plus `?p=<code>` (before a story's #fragment)
            assert "?" not in qr["address"] and re.sub(r"\?p=\w+", "", qr["url"]) == qr["address"]
            if flat is not None:
                assert re.sub(r"\s+", "", printed(qr["address"])) in flat, (what, qr["address"])
        if codes:
            coded[entry["layout"]].add(lang)
    # Every layout that prints a QR code was checked, and in every language it is made in here.
    with_code = {
        layout.name
        for layout in project.registry
        if layout.channel != "html"
        and ((layout.pdf and layout.pdf.qr_mm) or (layout.screen and layout.screen.qr_px))
    }
    assert with_code - {"feedback"} <= set(coded), with_code - set(
        coded
    )  # the feedback form: feedback_url only
    assert set().union(*coded.values()) == set(kb.all_languages)
    assert {"fr", "en", "ar", "tr", "pt", "zh", "ro", "es"} <= coded["pocket-card"] | coded["booklet"]
    # Arabic reads as typed: pypdf gives only words the templates printed, PDFium swaps no ligature.
    from kit.build import Builder
    from kit.events import read_events
    from kit.plan import plan_event, plan_kit

    planned = {doc.path: doc for doc in plan_kit(project, "ar")}
    for event in read_events(root / "proj" / "events.csv", venues=kb.venues).events:
        planned |= {
            f"{event.id}/{doc.path}": doc for doc in plan_event(project, event) if doc.spec.lang == "ar"
        }
    builder = Builder(project)
    assert len(arabic) >= 6
    for _path, entry, texts, pdfium_text in arabic:
        source = set(ARABIC_WORD.findall(Text.of(builder.prepare(planned[entry["path"]])[1]).text))
        read = set(ARABIC_WORD.findall(" ".join(texts)))
        assert read and read <= source, (entry["path"], read - source)
        turned = set()
        for word in source:
            swapped = word
            for ligature in LIGATURES:
                swapped = swapped.replace(ligature, ligature[::-1])
            if swapped not in source:
                turned.add(swapped)
        assert not set(ARABIC_WORD.findall(pdfium_text)) & turned, entry["path"]
