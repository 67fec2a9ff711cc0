"""The print library of the companion site (kit.library, `kit site` unless --no-library): every link of its pages
leads to a file the site has; every PDF opens, with the pages, bytes and sha256 the manifest says, and its QR codes
(decoded with zxing-cpp from the rendered page) land on pages the site publishes; a zip per language holds the same
files; a second run builds nothing, and a file changed by hand is built again.

One site for the module, in French (a complete language) and Spanish (a partial one).
"""

from __future__ import annotations

import hashlib
import html
import html.parser
import json
import posixpath
import shutil
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import kit
from kit.library import library_documents, library_languages
from kit.site import build_site

SITE = "https://sante.exemple.org/campagne/"
LANGS = ("fr", "es")


class Links(html.parser.HTMLParser):
    """Every href and src of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append((tag, value))


def links_of(path: Path) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def resolve(page: str, link: str) -> str:
    """A relative link of the page at ``page`` (a file path in the site) as a path from the site's root."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), link.split("#")[0]))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("library")
    config = root / "kit.toml"
    config.write_text(
        f'[contact]\nphone = "01 23 45 67 89"\n[site]\nbase_url = "{SITE}"\nlibrary = ["fr", "es"]\n',
        encoding="utf-8",
    )
    return kit.load_project(kit.Settings(config=config))


@pytest.fixture(scope="module")
def site(project, tmp_path_factory):
    out = tmp_path_factory.mktemp("library-site") / "site"
    started = time.perf_counter()
    result = build_site(project, out, langs=",".join(LANGS))
    first = time.perf_counter() - started
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    print(f"\nsite with its print library ({len(result.library.files)} PDFs) built in {first:.1f} s")
    return {"out": out, "result": result, "manifest": manifest}


def flat(text: str) -> str:
    """A page's text as it reads: entities decoded, no-break and narrow spaces as spaces."""
    return html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")


def library_page(project, lang: str) -> str:
    return f"{lang}/{project.kb.shared.site[lang].paths.library}/index.html"


def test_the_library_is_published_in_each_language_with_what_exists_there(project, site):
    manifest = site["manifest"]
    entries = manifest["library"]["files"]
    by_lang = {lang: {(e["layout"], e["level"]) for e in entries if e["lang"] == lang} for lang in LANGS}
    # French (complete): the default kit, the door-to-door documents and the letters, standard and Easy-to-Read.
    assert by_lang["fr"] >= {
        ("poster", "standard"),
        ("summary-poster", "standard"),
        ("leaflet", "standard"),
        ("booklet", "falc"),
        ("poster", "falc"),
        ("leaflet", "falc"),
        ("pocket-card", "standard"),
        ("door-hanger", "standard"),
        ("mediator-sheet", "standard"),
        ("letter", "standard"),
        ("letter", "falc"),
    }
    fr_posters = {e["format"] for e in entries if e["lang"] == "fr" and e["layout"] == "poster"}
    assert fr_posters == {"A4", "A3"}  # each format the kit is built in
    assert {e["route"] for e in entries if e["lang"] == "fr" and e["layout"] == "letter"} == {
        "snds",
        "hospital",
        "study",
    }
    # Spanish (partial): what exists in it, no letter (it goes to a French organisation), no full posters.
    assert ("letter", "standard") not in by_lang["es"] and ("poster", "standard") not in by_lang["es"]
    assert {("booklet", "falc"), ("pocket-card", "standard"), ("mediator-sheet", "standard")} <= by_lang["es"]
    # Exactly what kit.library plans (the default kit through kit.build's plan_kit, then doorstep and letters).
    for lang in LANGS:
        planned = library_documents(project, lang)
        assert len([e for e in entries if e["lang"] == lang]) == len(planned)
    # The pages are pages of the site (manifest, sitemap).
    addresses = {page["address"] for page in manifest["pages"]}
    assert {"fr/imprimer/", "es/imprimir/"} <= addresses
    sitemap = (site["out"] / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{SITE}fr/imprimer/" in sitemap


def test_every_link_of_the_library_leads_to_a_file_the_site_has(project, site, open_pdf):
    out = site["out"]
    manifest = site["manifest"]
    files = set(manifest["files"])
    for lang in LANGS:
        page = library_page(project, lang)
        links = links_of(out / page)
        pdfs = [resolve(page, href) for tag, href in links if tag == "a" and href.endswith(".pdf")]
        mine = [e for e in manifest["library"]["files"] if e["lang"] == lang]
        assert sorted(pdfs) == sorted(e["path"] for e in mine), lang  # every PDF, linked once
        for _tag, href in links:
            if "://" in href or href.startswith(("mailto:", "tel:", "data:", "#")):
                continue
            target = resolve(page, href)
            assert target in files and (out / target).is_file(), f"{page}: {href}"
        for path in pdfs:
            assert open_pdf(out / path).pages >= 1
        pictures = [p for p in (resolve(page, src) for tag, src in links if tag == "img") if "/thumbs/" in p]
        assert len(pictures) == len(pdfs)
        for picture in pictures:
            assert (out / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_page_links_to_the_library_and_the_rights_to_the_letters(project, site):
    out = site["out"]
    for page in ("fr/index.html", "fr/lexique/index.html", "fr/facile/index.html", "es/index.html"):
        lang = page[:2]
        targets = {resolve(page, href) for _, href in links_of(out / page)}
        assert library_page(project, lang) in targets, page
    home = (out / "fr/index.html").read_text(encoding="utf-8")
    assert 'imprimer/index.html#letter"' in home  # "how to say no": the letters to download
    letters = (out / library_page(project, "fr")).read_text(encoding="utf-8")
    assert 'id="letter"' in letters
    assert "#letter" not in (out / "es/index.html").read_text(encoding="utf-8")  # no letter in Spanish


def test_the_manifest_says_each_file_as_it_is(site, open_pdf):
    out = site["out"]
    record = site["manifest"]["library"]
    assert set(record["languages"]) == set(LANGS)
    for entry in record["files"]:
        data = (out / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pages"] == open_pdf(out / entry["path"]).pages
        assert entry["path"] in site["manifest"]["files"] and entry["thumbnail"] in site["manifest"]["files"]
        assert entry["format"] in ("A4", "A3", "A2") and entry["layout"] and entry["lang"] in LANGS
        assert entry["channel"] == "pdf"  # kit.toml turns no other channel on


def test_the_qr_codes_of_the_library_land_on_pages_of_the_site(site, open_pdf):
    out = site["out"]
    addresses = {page["address"] for page in site["manifest"]["pages"]}
    decoded = 0
    for entry in site["manifest"]["library"]["files"]:
        pdf = open_pdf(out / entry["path"])
        for index in range(pdf.pages):
            for text in pdf.qr_codes(index, dpi=200):
                decoded += 1
                assert text.startswith(SITE), f"{entry['path']}: {text}"
                path = urlsplit(text).path.removeprefix(urlsplit(SITE).path)
                assert path in addresses, (
                    f"{entry['path']} page {index + 1}: {text} is not a page of the site"
                )
    assert decoded >= len(site["manifest"]["library"]["files"])  # at least one code per document


def test_a_zip_per_language_holds_its_files(site):
    out = site["out"]
    record = site["manifest"]["library"]
    assert {z["lang"] for z in record["zips"]} == set(LANGS)
    for item in record["zips"]:
        data = (out / item["path"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest() and item["bytes"] == len(data)
        mine = {Path(e["path"]).name: e for e in record["files"] if e["lang"] == item["lang"]}
        with zipfile.ZipFile(out / item["path"]) as archive:
            assert sorted(archive.namelist()) == sorted(mine)
            for name, entry in mine.items():
                assert hashlib.sha256(archive.read(name)).hexdigest() == entry["sha256"]


def test_a_second_run_builds_nothing_and_a_changed_file_is_built_again(project, site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site["out"], copy)
    started = time.perf_counter()
    again = build_site(project, copy, langs=",".join(LANGS))
    seconds = time.perf_counter() - started
    assert again.library.built == 0 and again.library.reused == len(site["result"].library.files)
    assert seconds < 10, f"a second kit site with nothing changed took {seconds:.1f} s"
    before = {e["path"]: e["sha256"] for e in site["manifest"]["library"]["files"]}
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert {e["path"]: e["sha256"] for e in manifest["library"]["files"]} == before
    # A Spanish PDF changed by hand: the Spanish library is built again, the French one is not.
    spanish = [e for e in manifest["library"]["files"] if e["lang"] == "es"]
    (copy / spanish[0]["path"]).write_bytes(b"%PDF-1.7 not the file kit wrote")
    third = build_site(project, copy, langs=",".join(LANGS))
    assert third.library.built == len(spanish)
    assert third.library.reused == len(before) - len(spanish)
    assert hashlib.sha256((copy / spanish[0]["path"]).read_bytes()).hexdigest() == spanish[0]["sha256"]


def test_the_library_is_on_unless_turned_off(tmp_path):
    project = kit.load_project()
    assert library_languages(project, ["fr", "en"]) == ["fr", "en"]  # kit.toml without [site] library: on
    assert library_languages(project, ["fr", "en"], False) == []  # kit site --no-library
    assert library_languages(project, ["fr", "en"], "en") == ["en"]
    config = tmp_path / "kit.toml"
    config.write_text("[site]\nlibrary = false\n", encoding="utf-8")
    off = kit.load_project(kit.Settings(config=config))
    assert library_languages(off, ["fr", "en"]) == []
    assert library_languages(off, ["fr", "en"], True) == ["fr", "en"]  # kit site --library wins over kit.toml
    out = tmp_path / "site"
    result = build_site(off, out, langs="fr")
    assert not result.library.files
    assert not (out / "fr/imprimer").exists()
    assert "imprimer" not in (out / "fr/index.html").read_text(encoding="utf-8")


def test_a_library_language_the_content_does_not_have_is_refused(tmp_path):
    config = tmp_path / "kit.toml"
    config.write_text('[site]\nlibrary = ["fr", "de"]\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError) as caught:
        kit.load_project(kit.Settings(config=config))
    assert "'de' is not a language of the content" in str(caught.value) and "site.library" in str(
        caught.value
    )


def test_kit_site_library_from_the_command_line(run_kit, tmp_path):
    """`kit site` in a partial language: the library by default (its documents, the figures printed, the link in
    the foot); --no-library leaves it out."""
    out = tmp_path / "site"
    done = run_kit("site", "--out", out, "--lang", "es", "--base-url", SITE)
    assert done.returncode == 0, done.stderr
    assert "Print library: " in done.stdout and "built" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["library"]["files"] and all(e["lang"] == "es" for e in manifest["library"]["files"])
    assert "imprimir/index.html" in (out / "es/index.html").read_text(encoding="utf-8")
    plain = run_kit("site", "--out", tmp_path / "plain", "--lang", "es", "--no-library")
    assert plain.returncode == 0 and "Print library" not in plain.stdout


# --- the other channels (kit.toml's [build] channels): social cards, newsletter, slides and video ---------------


@pytest.fixture(scope="module")
def channels_site(tmp_path_factory):
    """A French site whose kit.toml turns every channel on (one paper format, to keep it short)."""
    root = tmp_path_factory.mktemp("library-channels")
    config = root / "kit.toml"
    config.write_text(
        '[contact]\nphone = "01 23 45 67 89"\n[build]\nformats = ["A4"]\n'
        'channels = ["print", "social", "email", "slides"]\n'
        f'[site]\nbase_url = "{SITE}"\nlibrary = ["fr"]\n',
        encoding="utf-8",
    )
    project = kit.load_project(kit.Settings(config=config))
    out = root / "site"
    started = time.perf_counter()
    result = build_site(project, out, langs="fr")
    print(f"\nsite with every channel in its library ({len(result.library.files)} files): "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"project": project, "out": out, "result": result, "manifest": manifest}


def test_the_library_offers_the_channels_kit_toml_turns_on(channels_site, open_pdf):
    """Issue 23.1: "and, when those channels are on, the social cards, the newsletter and the slides": each with
    what it is for, its facts, its size and its link, in the zip and in the manifest."""
    from PIL import Image

    out, manifest, project = channels_site["out"], channels_site["manifest"], channels_site["project"]
    entries = manifest["library"]["files"]
    by_channel: dict[str, list] = {}
    for entry in entries:
        by_channel.setdefault(entry["channel"], []).append(entry)
    assert set(by_channel) == {"pdf", "social", "email", "slides", "video"}  # never the text messages
    layouts = {entry["layout"] for entry in entries}
    assert {"card", "story-card", "newsletter", "slides", "screen-loop"} <= layouts
    assert not any(
        e["path"].endswith(".txt") or e["layout"].startswith("screen-") and e["channel"] != "video"
        for e in entries
    )
    # Every card, in each of its sizes, a PNG of the pixels the manifest says, with its picture.
    sizes = {tuple(entry["pixels"]) for entry in by_channel["social"]}
    assert sizes == {(1080, 1080), (1080, 1350), (1080, 1920)}
    for entry in by_channel["social"]:
        with Image.open(out / entry["path"]) as image:
            assert image.format == "PNG" and list(image.size) == entry["pixels"]
        with Image.open(out / entry["thumbnail"]) as picture:
            assert picture.width == 240 and abs(picture.height - 240 * image.height / image.width) <= 1
    # The newsletter: the e-mail and the web page with its pictures beside it.
    [eml] = [e for e in by_channel["email"] if e["media"] == "EML"]
    [page] = [e for e in by_channel["email"] if e["media"] == "HTML"]
    assert (out / eml["path"]).read_bytes().startswith(b"Subject:") or b"\nSubject:" in (
        out / eml["path"]
    ).read_bytes()
    assert page["attached"] and eml["thumbnail"] is None
    html = (out / page["path"]).read_text(encoding="utf-8")
    for extra in page["attached"]:
        data = (out / extra["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == extra["sha256"] and extra["path"] in manifest["files"]
        assert f'src="newsletter-images/{Path(extra["path"]).name}"' in html  # beside the page, as it says
    # The slides (a PDF whose QR codes lead to the site) and the loop's video (its first frame as its picture).
    [slides] = by_channel["slides"]
    deck = open_pdf(out / slides["path"])
    assert deck.pages == slides["pages"] >= 3
    codes = [code for index in range(deck.pages) for code in deck.qr_codes(index, dpi=100)]
    assert codes and all(code.startswith(SITE) for code in codes)
    [video] = by_channel["video"]
    assert (out / video["path"]).read_bytes()[4:8] == b"ftyp" and video["seconds"] > 30
    assert video["pixels"] == [1920, 1080] and (out / video["thumbnail"]).is_file()
    # The page: a section per kind with what it is for, every file linked, the cards' three sizes together.
    words = project.kb.shared.site["fr"].library
    page_path = library_page(project, "fr")
    text = (out / page_path).read_text(encoding="utf-8")
    for kind_id in ("card", "falc-card", "story-card", "newsletter", "slides", "screen-loop"):
        assert f'id="{kind_id}"' in text and flat(words.kinds[kind_id].use) in flat(text), kind_id
    for label in (words.dimensions, words.duration, words.file_type, words.slides):
        assert f"{label}" in text
    linked = sorted(
        resolve(page_path, h)
        for tag, h in links_of(out / page_path)
        if tag == "a" and ":" not in h and "/imprimer/" in resolve(page_path, h) and not h.endswith(".zip")
    )
    assert sorted(e["path"] for e in entries) == [p for p in linked if not p.endswith("index.html")]
    pictures = [
        resolve(page_path, src)
        for tag, src in links_of(out / page_path)
        if tag == "img" and "/thumbs/" in resolve(page_path, src)
    ]
    cards = {(e["layout"], e["level"], tuple(e["questions"]), e["title"]) for e in by_channel["social"]}
    assert len(pictures) == len(entries) - len(by_channel["email"]) - len(by_channel["social"]) + len(cards)
    # The zip: every file, the newsletter's pictures beside it.
    [archive] = manifest["library"]["zips"]
    with zipfile.ZipFile(out / archive["path"]) as zipped:
        names = set(zipped.namelist())
    folder = page_path.removesuffix("index.html")
    assert names == {e["path"].removeprefix(folder) for e in entries} | {
        a["path"].removeprefix(folder) for e in entries for a in e.get("attached", [])
    }


def test_a_second_run_takes_back_the_channels_files(channels_site, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(channels_site["out"], out)
    again = build_site(channels_site["project"], out, langs="fr")
    assert again.library.built == 0 and again.library.reused == len(channels_site["result"].library.files)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["library"] == channels_site["manifest"]["library"]
    # A newsletter picture changed by hand: the French library is built again, the picture as kit makes it.
    [page] = [e for e in manifest["library"]["files"] if e["media"] == "HTML"]
    picture = out / page["attached"][0]["path"]
    before = picture.read_bytes()
    picture.write_bytes(b"not a picture")
    third = build_site(channels_site["project"], out, langs="fr")
    assert third.library.built == len(manifest["library"]["files"]) and picture.read_bytes() == before


def test_kit_toml_channels_are_kit_builds_default_and_the_librarys(tmp_path):
    """[build] channels (new with issue 23.1) is `kit build --channels`'s default, and what the library offers."""
    from kit.plan import plan_kit

    config = tmp_path / "kit.toml"
    config.write_text('[build]\nchannels = ["print", "email"]\n', encoding="utf-8")
    project = kit.load_project(kit.Settings(config=config))
    assert {doc.layout.channel for doc in plan_kit(project, ["fr"])} == {"pdf", "email", "sms"}
    assert {doc.layout.channel for doc in plan_kit(project, ["fr"], channels="social")} == {"social"}
    offered = library_documents(project, "fr")
    assert {doc.layout.channel for doc in offered} == {
        "pdf",
        "email",
    }  # the newsletter, not the text messages
    assert {doc.layout.channel for doc in library_documents(project, "es")} == {"pdf"}  # none in Spanish
    config.write_text('[build]\nchannels = ["print", "radio"]\n', encoding="utf-8")
    with pytest.raises(kit.OptionError, match="Unknown channel: radio"):
        library_documents(kit.load_project(kit.Settings(config=config)), "fr")
