"""The companion site (`kit site`), without a browser: exactly the pages the QR codes point to, every QR code of the
printed documents and event packs landing on one of them, the manifest, sitemap and JSON export, repeatable bytes,
page weight, escaping, right-to-left languages, removed pages, and the channel's refusals.
(tests/test_site_browser.py loads the same site in Chromium.)"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import kit
from kit.addresses import SitePages, printed
from kit.check import check_content
from kit.files import WRITTEN_NAME
from kit.site import LEFT_OUT, NO_SITEMAP, build_site

SITE = "https://sante.exemple.org/campagne/"
ROOT = Path(__file__).resolve().parent.parent
MAX_PAGE_BYTES = 150_000  # a question page with everything it loads (issue 10)


def site_toml(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    toml = folder / "kit.toml"
    toml.write_text(f'[site]\nbase_url = "{SITE}"\n{extra}', encoding="utf-8")
    return toml


def files_of(folder: Path) -> dict[str, bytes]:
    """The site's files (not kit's record of what it wrote there, which is no part of the site)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != WRITTEN_NAME
    }


class Tags(HTMLParser):
    """The tags of a page with their attributes, and its text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def read_page(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """A project whose kit.toml only gives the site's address."""
    return kit.load_project(kit.Settings(config=site_toml(tmp_path_factory.mktemp("plain"))))


@pytest.fixture(scope="module")
def site(plain, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    # French and English (the partial languages' pages are tested in test_doorstep.py).
    result = build_site(plain, out, langs="fr,en", library=False)
    return out, result, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def branded(tmp_path_factory, run_kit):
    """`kit init` (name, logo, contact, a question of its own) with the site's address, and its site."""
    root = tmp_path_factory.mktemp("branded")
    assert run_kit("init", "proj", cwd=root).returncode == 0
    folder = root / "proj"
    toml = folder / "kit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            '# base_url = "https://www.exemple-sante.fr/donnees/"', f'base_url = "{SITE}"'
        ),
        encoding="utf-8",
    )
    result = run_kit("site", "--no-library", "--out", "site", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder, result


def test_the_site_has_exactly_the_pages_the_addresses_name(site, plain):
    out, result, manifest = site
    every = SitePages(plain.kb).every(["fr", "en"])
    assert [page["path"] for page in manifest["pages"]] == [page.file for page in every]
    for entry, page in zip(manifest["pages"], every):
        assert entry["channel"] == "html" and entry["lang"] == page.lang and entry["level"] == page.level
        assert entry["address"] == page.path and entry["url"] == SITE + page.path
        assert entry["questions"] == (
            [page.question] if page.question else plain.kb.question_ids if page.kind == "home" else []
        )
        assert (out / entry["path"]).is_file()
    # Every question in every language and level, the homes, benefit stories, glossary, about and "what changed"
    # pages, and the language choice, and the page for addresses the site does not have (404.html).
    assert len(every) == 1 + len(plain.kb.languages) * (2 + 2 * len(plain.kb.questions) + 4) + 1
    assert every[-1].kind == "not_found" and every[-1].file == "404.html"
    # The manifest lists every file, and nothing else is there.
    assert sorted(manifest["files"]) == sorted(files_of(out))
    assert result.base_url == SITE
    # Built in French and English only: the site says what it leaves out (issue 26 point 1).
    assert result.notes == [LEFT_OUT.format(langs=", ".join(plain.kb.partial_languages))]


def test_pages_have_a_language_one_title_no_script_and_load_only_their_own_files(site, plain):
    out, _, manifest = site
    for entry in manifest["pages"]:
        html = (out / entry["path"]).read_text(encoding="utf-8")
        page = read_page(out / entry["path"])
        (root,) = page.all("html")
        assert root["lang"] == entry["lang"] and root["dir"] == plain.locale(entry["lang"]).dir
        assert len(page.all("h1")) == 1, entry["path"]
        assert "<script" not in html  # no script: everything works without JavaScript
        assert not [name for _, attrs in page.tags for name in attrs if name.startswith("on")]
        assert len(page.all("main")) == 1 and len(page.all("header")) == 1 and len(page.all("footer")) == 1
        assert page.all("nav") or entry["address"] == ""  # the language choice needs no menu
        assert page.all("a")[0]["href"] == "#main"  # the skip link comes first
        for tag, attrs in page.tags:
            for name in ("src", "href"):
                value = attrs.get(name) or ""
                if tag == "a" and value.startswith(("https://", "mailto:", "tel:")):
                    continue
                if (
                    tag == "link"
                    and attrs.get("rel") in ("canonical", "alternate")
                    and value.startswith(SITE)
                ):
                    continue
                assert not re.match(r"^(\w+:|//|/)", value) or value.startswith("data:"), (
                    entry["path"],
                    tag,
                    value,
                )
                if value and not value.startswith(("data:", "#")) and tag != "a":
                    assert (out / entry["path"]).parent.joinpath(value.split("#")[0]).resolve().is_file(), (
                        value
                    )


def test_a_question_page_says_everything_the_knowledge_base_says(site, plain):
    out, _, _ = site
    kb = plain.kb
    rights, act = kb.shared.rights["fr"], kb.shared.act["fr"]
    for question in kb.questions:
        text = question.translations["fr"]
        page = read_page(out / SitePages(kb).question(question.id, "fr") / "index.html")
        words = " ".join("".join(page.text).split()).replace("\u00a0", " ")
        # The answer, and "your rights and how to say no": the rights, then the steps, limits and contacts.
        for value in (
            text.question,
            text.hook,
            text.short,
            text.benefit,
            *text.sources,
            *text.detail.split("\n\n"),
            *rights.points,
            act.title,
            act.intro,
            *act.steps,
            act.limits,
            act.help,
        ):
            assert " ".join(value.split()).replace("\u00a0", " ") in words, value[:60]
        hrefs = [a["href"] for a in page.all("a")]
        assert all(link.url in hrefs for link in [*text.links, *act.contacts, act.help_link])
        # Its Easy-to-Read twin and the same page in English.
        assert "../facile/" + (text.path or question.id) + "/index.html" in hrefs
        english = question.translations["en"].path or question.id
        assert f"../../en/{english}/index.html" in hrefs


def test_easy_to_read_pages_explain_each_hard_word_where_it_first_appears(site, plain):
    out, _, _ = site
    kb = plain.kb
    page = (out / SitePages(kb).question("wrong-hands", "fr", "falc") / "index.html").read_text(
        encoding="utf-8"
    )
    ideas = kb.question("wrong-hands").translations["fr"].falc
    assert all(idea.text.split()[-1] in page for idea in ideas)
    health = next(t for t in kb.shared.glossary if t.id == "donnees-de-sante").translations["fr"]
    # "données de santé" is in the first sentence: explained right after it, and once.
    first = page.index(ideas[0].text.split()[-1])
    explained = page.index(health.falc.split(".")[0])
    assert first < explained < page.index(ideas[1].text.split()[0] + " " + ideas[1].text.split()[1])
    assert page.count(health.falc.split(".")[0]) == 1
    assert (
        'class="words"' in page
        and 'class="ideas"' in page
        and "easy" in read_page(out / "fr/facile/securite/index.html").all("body")[0]["class"]
    )


def test_home_pages_list_every_question_with_its_hook_rights_and_help(site, plain):
    out, _, _ = site
    kb = plain.kb
    for lang in kb.languages:
        home = read_page(out / lang / "index.html")
        words = " ".join("".join(home.text).split()).replace("\u00a0", " ")
        hrefs = [a["href"] for a in home.all("a")]
        act = kb.shared.act[lang]
        for question in kb.questions:
            text = question.translations[lang]
            assert text.question.replace("\u00a0", " ") in words and text.hook in words
            assert f"{text.path or question.id}/index.html" in hrefs
        for value in (
            *act.steps,
            *(p for s in act.situations for p in s.points),
            kb.shared.site[lang].help_text,
        ):
            assert " ".join(value.split()) in words, value[:50]
        # The Easy-to-Read home says how to say no in Easy-to-Read, then where to get help.
        easy = (
            (out / SitePages(kb).home(lang, "falc") / "index.html")
            .read_text(encoding="utf-8")
            .replace("&#39;", "'")
        )
        for item in (*act.falc, *kb.shared.site[lang].easy_end):
            assert item.text.split()[-1] in easy and f"pictograms/{item.picto}.svg" in easy


def test_about_page_says_who_wrote_checked_and_credits(site, plain):
    out, _, _ = site
    words = plain.kb.shared.site["fr"]
    html = (out / "fr/a-propos/index.html").read_text(encoding="utf-8").replace("&#39;", "'")
    text = " ".join(html.split()).replace("\u00a0", " ")
    assert plain.kb.meta.content_version in text and plain.kb.meta.reviewed_by[0] in text
    assert plain.kb.meta.falc_checked_by == [] and " ".join(words.falc_not_checked.split()) in text
    for credit in ("Atkinson Hyperlegible", "Fluent Emoji", "SIL Open Font License", "MIT"):
        assert credit in text
    assert (out / "assets/fonts/OFL-AtkinsonHyperlegible.txt").is_file()
    assert (out / "assets/pictograms/LICENSE-fluent-emoji.txt").is_file()


def test_branding_contact_logo_and_a_question_of_ones_own(branded, open_pdf):
    folder, result = branded
    out = folder / "site"
    config = kit.load_project(kit.Settings(config=folder / "kit.toml"), check=False).config.data
    home = (out / "fr/index.html").read_text(encoding="utf-8")
    assert config.organisation.name in home and config.contact.email in home
    assert f'href="mailto:{config.contact.email}"' in home and 'href="tel:0123456789"' in home
    assert (out / "assets/logo.svg").read_bytes() == (folder / "logo.svg").read_bytes()
    assert 'src="../assets/logo.svg"' in home
    # The question kit init adds (no `path`: its id is its address) has its pages, and the home links them.
    assert (out / "fr/local-help/index.html").is_file() and (out / "en/easy/local-help/index.html").is_file()
    assert 'href="local-help/index.html"' in home
    # The language choice, 16 pages in French and in English (a stories page and a "what changed" page each), and
    # in each of the six partial languages its home, Easy-to-Read home, glossary, about page and the four
    # questions it has (not kit init's own), and 404.html: every language documents can be printed in (issue 26
    # point 1).
    assert "Built 82 pages" in result.stdout and "Sitemap:" in result.stdout


def test_every_qr_code_of_kit_build_lands_on_a_page_of_the_site(plain, site, tmp_path, open_pdf):
    out, _, _ = site
    built = kit.build_kit(plain, tmp_path / "kit", formats="A4")
    checked = 0
    for document in built.documents:
        pdf = open_pdf(tmp_path / "kit" / document.path)
        decoded = [code for page in range(pdf.pages) for code in pdf.qr_codes(page)]
        assert sorted(decoded) == sorted(qr["url"] for qr in document.qr), document.path
        text = re.sub(r"\s+", "", " ".join(pdf.text(p) for p in range(pdf.pages)))
        for url, qr in zip(decoded, document.qr):
            assert url.startswith(SITE), url
            assert (out / url.removeprefix(SITE) / "index.html").is_file(), (document.path, url)
            assert "?" not in qr["address"] and qr["address"] == url
            assert printed(qr["address"]) in text, document.path
            checked += 1
    assert checked == len(built.documents) >= 20


def test_every_qr_code_of_kit_pack_track_lands_on_a_page_of_the_site(site, tmp_path, open_pdf):
    from kit.pack import build_packs

    out, _, _ = site
    project = kit.load_project(kit.Settings(config=site_toml(tmp_path / "p"), track=True))
    events = kit.resources.package_dir() / "init_template" / "events.csv"
    result = build_packs(project, events, tmp_path / "packs", jobs=2)
    assert [e.status for e in result.events] == ["built"] * 4, [e.errors for e in result.events]
    every = {page.path for page in SitePages(project.kb).every()}  # the door-to-door row is in fr and ar
    codes = {}
    for event in result.events:
        for document in event.documents:
            pdf = open_pdf(tmp_path / "packs" / document["path"])
            decoded = [code for page in range(pdf.pages) for code in pdf.qr_codes(page)]
            assert sorted(decoded) == sorted(qr["url"] for qr in document["qr"])
            text = re.sub(r"\s+", "", " ".join(pdf.text(p) for p in range(pdf.pages)))
            for qr in document["qr"]:
                address, code = qr["url"].partition("#")[0].split("?p=")  # a story's code ends in #<story>
                assert address == qr["address"].partition("#")[0] and address.startswith(SITE)
                page = address.removeprefix(SITE)
                assert page in every, (document["path"], address)
                if document["lang"] in ("fr", "en"):  # the site of this module's fixture
                    assert (out / page / "index.html").is_file(), (document["path"], address)
                assert printed(address) in text and "?" not in printed(qr["address"])
                codes[code] = address
    rows = list(csv.DictReader((tmp_path / "packs" / "placements.csv").open(encoding="utf-8")))
    assert {row["code"] for row in rows} == set(codes) and len(codes) > 10


def test_same_input_same_bytes_in_process_and_from_the_command_line(site, plain, tmp_path, run_kit):
    out, _, _ = site
    again = tmp_path / "again"
    build_site(plain, again, langs="fr,en", library=False)
    assert files_of(again) == files_of(out)
    cli = run_kit(
        "site", "--no-library", "--out", tmp_path / "cli", "--config", plain.config.path, "--lang", "fr,en"
    )
    assert cli.returncode == 0, cli.stderr
    assert files_of(tmp_path / "cli") == files_of(out)


def loaded_by(out: Path, page: str) -> dict[str, int]:
    """A page and every file a browser loads for it (stylesheet, the fonts it declares, pictures)."""
    sizes = {page: (out / page).stat().st_size}
    for tag, attrs in read_page(out / page).tags:
        stylesheet = tag == "link" and attrs.get("rel") == "stylesheet"
        value = attrs.get("src") if tag == "img" else attrs.get("href") if stylesheet else None
        if value and not value.startswith("data:"):
            path = (out / page).parent.joinpath(value).resolve().relative_to(out.resolve()).as_posix()
            sizes[path] = (out / path).stat().st_size
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    for font in re.findall(r'url\("(fonts/[^"]+)"\)', css):
        sizes[f"assets/{font}"] = (out / "assets" / font).stat().st_size
    return sizes


def test_a_question_page_with_its_fonts_weighs_under_150_kb(site, plain):
    out, _, manifest = site
    weights = {entry["path"]: sum(loaded_by(out, entry["path"]).values()) for entry in manifest["pages"]}
    for path, weight in weights.items():
        assert weight < MAX_PAGE_BYTES, (path, weight)
    fonts = [p for p in files_of(out) if p.endswith(".woff2")]
    assert len(fonts) == 2  # Atkinson Hyperlegible regular and bold; no Arabic font for French and English
    print({path: weight for path, weight in weights.items() if "securite" in path or path == "fr/index.html"})


def test_the_json_export_holds_every_question(site, plain):
    out, _, _ = site
    kb = plain.kb
    for lang in kb.languages:
        data = json.loads((out / f"data/{lang}.json").read_text(encoding="utf-8"))
        assert data["lang"] == lang and data["content_version"] == kb.meta.content_version
        assert [q["id"] for q in data["questions"]] == kb.question_ids
        for item in data["questions"]:
            text = kb.question(item["id"]).translations[lang]
            assert item["question"] == text.question and item["detail"] == text.detail
            assert [f["text"] for f in item["falc"]] == [f.text for f in text.falc]
            assert item["page"]["url"] == SITE + item["page"]["path"]
            assert (out / item["page"]["path"] / "index.html").is_file()
            assert (out / item["easy_page"]["path"] / "index.html").is_file()
        assert {t["id"] for t in data["glossary"]} == {t.id for t in kb.shared.glossary}
        assert data["rights"]["points"] == kb.shared.rights[lang].points
        assert data["act"]["steps"] == kb.shared.act[lang].steps


def test_sitemap_lists_every_page_with_its_full_address(site):
    out, _, manifest = site
    tree = ET.parse(out / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    # every page but 404.html (shown for addresses that do not exist: nothing to index)
    assert locs == [SITE + page["address"] for page in manifest["pages"] if page["address"] != "404.html"]
    english = tree.find(f"s:url[s:loc='{SITE}fr/securite/']/x:link[@hreflang='en']", ns)
    assert english is not None and english.get("href") == f"{SITE}en/safety/"


def test_without_a_base_url_no_sitemap_and_it_says_so(site, tmp_path):
    out, _, _ = site
    project = kit.load_project()
    target = tmp_path / "s"
    (target).mkdir()
    first = build_site(project, target, base_url=SITE, library=False)
    assert first.sitemap.is_file()
    result = build_site(
        project, target, langs="en", library=False
    )  # the sitemap of the earlier build is removed with it
    assert result.sitemap is None and result.notes == [NO_SITEMAP]
    assert not (target / "sitemap.xml").exists() and not (target / "fr").exists()
    page = (target / "en/safety/index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page and "../../fr/" not in page  # no link to a language not built
    assert json.loads((target / "manifest.json").read_text())["base_url"] is None


def test_base_url_option_wins_over_kit_toml_and_must_be_https(plain, tmp_path, run_kit):
    result = build_site(
        plain, tmp_path / "a", langs="fr", base_url="https://autre.exemple.org/x", library=False
    )
    assert result.base_url == "https://autre.exemple.org/x/"
    assert (
        'href="https://autre.exemple.org/x/fr/securite/"'
        in (tmp_path / "a/fr/securite/index.html").read_text()
    )
    bad = run_kit("site", "--out", tmp_path / "b", "--base-url", "http://exemple.org/")
    assert bad.returncode == 2 and "https://" in bad.stderr
    unknown = run_kit("site", "--out", tmp_path / "c", "--lang", "de")
    assert unknown.returncode == 2 and "de" in unknown.stderr


def test_content_is_text_never_html(content_copy, edit_file, tmp_path):
    hook = "Des données très personnelles, protégées par la loi et la technique."
    edit_file(
        content_copy / "questions" / "wrong-hands.yaml", hook, "<script>alert(1)</script> & <b>gras</b>"
    )
    project = kit.load_project(content=content_copy, check=False)
    build_site(project, tmp_path / "s", langs="fr", library=False)
    page = (tmp_path / "s/fr/securite/index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in page


def test_a_question_removed_its_pages_go(content_copy, tmp_path):
    out = tmp_path / "s"
    build_site(kit.load_project(content=content_copy), out, library=False)
    assert (out / "fr/securite/index.html").is_file()
    (content_copy / "questions" / "wrong-hands.yaml").unlink()
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # a file kit did not write stays
    build_site(kit.load_project(content=content_copy, check=False), out, library=False)
    assert not (out / "fr/securite").exists() and not (out / "fr/facile/securite").exists()
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(json.loads((out / "manifest.json").read_text())["files"]) == sorted(
        p for p in files_of(out) if p != "notes.txt"
    )


def _arabic_module():
    spec = importlib.util.spec_from_file_location("kit_test_rtl", ROOT / "tests" / "test_rtl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def arabic_content(content_copy):
    """The built-in content with every French text replaced by Arabic words (as tests/test_rtl.py makes it)."""
    rtl = _arabic_module()
    arabic = rtl.Arabic()
    questions = sorted((content_copy / "questions").glob("*.yaml"))
    for path in [content_copy / "shared.yaml", content_copy / "venues.yaml", *questions]:
        data = rtl.only_arabic(yaml.safe_load(path.read_text(encoding="utf-8")), arabic)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    meta = content_copy / "kit.yaml"
    data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    data["languages"] = ["ar"]
    data["partial_languages"] = []  # the built-in partial languages are not part of this sample
    data["language_review"] = {}
    meta.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content_copy


def test_a_right_to_left_language(arabic_content, tmp_path):
    project = kit.load_project(content=arabic_content, check=False)
    out = tmp_path / "ar"
    build_site(project, out, library=False)
    page = read_page(out / "ar/securite/index.html")
    assert page.all("html")[0] == {"lang": "ar", "dir": "rtl"}
    # The Arabic letters come from the shipped Noto Sans Arabic, subset and credited; the Latin font stays.
    fonts = {p.name for p in (out / "assets/fonts").iterdir()}
    assert {"noto-sans-arabic-400.woff2", "atkinson-hyperlegible-400.woff2"} <= fonts
    assert (out / "assets/fonts/OFL-NotoSansArabic.txt").is_file()
    assert "Noto Sans Arabic" in (out / "ar/a-propos/index.html").read_text(encoding="utf-8")
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    assert re.search(r'"Noto Sans Arabic"; font-weight: 400;.*unicode-range: [^;]*U\+6', css)
    # The stylesheet only uses logical sides, so the page mirrors.
    site_css = (ROOT / "layouts/site/site.css").read_text(encoding="utf-8")
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align: (left|right)|float:", site_css)


def test_the_site_easy_to_read_sentences_follow_the_falc_rules(content_copy, edit_file):
    edit_file(
        content_copy / "shared.yaml",
        '"La version complète du site donne plus d\'informations."',
        '"La version complète donne des informations, etc."',
    )
    report = check_content(content_copy)
    (finding,) = [f for f in report.errors if f.rule == "falc-etc"]
    assert finding.file.endswith("shared.yaml") and "site" in finding.field


USER_GLOSSARY = """{% extends "!base/site/glossary.html" %}
{% block main %}{{ super() }}<img src="https://tracker.example.org/pixel.png" alt="">{% endblock %}
"""


def test_a_page_loading_another_host_or_a_missing_page_is_refused(tmp_path):
    layouts = tmp_path / "layouts"
    (layouts / "site").mkdir(parents=True)
    (layouts / "site" / "glossary.html").write_text(USER_GLOSSARY, encoding="utf-8")
    project = kit.load_project(layouts=(layouts,), check=False)
    with pytest.raises(
        kit.LayoutError, match=r"fr/lexique/index.html .* loads https://tracker.example.org/pixel.png"
    ):
        build_site(project, tmp_path / "s", library=False)
    (layouts / "site" / "glossary.html").write_text(
        USER_GLOSSARY.replace(
            '<img src="https://tracker.example.org/pixel.png" alt="">', '<a href="../no/">x</a>'
        ),
        encoding="utf-8",
    )
    with pytest.raises(kit.BuildError) as info:
        build_site(kit.load_project(layouts=(layouts,), check=False), tmp_path / "s", library=False)
    # A link to a folder would work on a web host but not from disk: the site links to index.html files.
    assert any("fr/lexique/index.html links to fr/no," in str(problem) for problem in info.value.problems)


def test_page_kinds_are_declared_once():
    from typing import get_args

    from kit.addresses import PAGE_KINDS
    from kit.layouts import SiteSpec

    assert get_args(SiteSpec.model_fields["page"].annotation) == PAGE_KINDS
    assert kit.build_site is build_site


def test_a_page_kind_without_a_layout_is_named(tmp_path):
    layouts = tmp_path / "layouts"
    layouts.mkdir()
    (layouts / "g.layout.yaml").write_text("name: site-glossary\nhtml:\n  page: about\n", encoding="utf-8")
    with pytest.raises(kit.LayoutError, match="make the standard 'about' page"):
        build_site(kit.load_project(layouts=(layouts,), check=False), tmp_path / "s", library=False)


def test_the_site_has_a_404_page_out_of_its_sitemap(tmp_path):
    """404.html at the root, in every language of the site, linking to each home page; never in the sitemap."""
    from kit.site import build_site

    project = kit.load_project()
    result = build_site(
        project, tmp_path / "s", langs="fr,en", base_url="https://exemple.fr/donnees/", library=False
    )
    html = (tmp_path / "s" / "404.html").read_text(encoding="utf-8")
    for lang in ("fr", "en"):
        words = project.kb.shared.site[lang]
        assert words.not_found.replace("'", "&#39;") in html
        assert words.not_found_text.replace("'", "&#39;") in html
        assert f'href="https://exemple.fr/donnees/{lang}/"' in html
    assert '<link rel="stylesheet"' not in html  # its look is inside it: it is shown at any depth
    assert "404" not in (tmp_path / "s" / "sitemap.xml").read_text(encoding="utf-8")
    assert "404.html" in result.files


def test_a_question_a_language_lacks_is_left_out_of_its_pages(tmp_path, run_kit):
    """Issue 26 point 2: `kit init`'s own question has no Arabic text; `kit site --lang fr,ar` crashed (KeyError
    'ar', exit 70). The Arabic pages leave it out, the French page's language switch leads to the Arabic
    Easy-to-Read home instead, and kit check says why."""
    assert run_kit("init", "proj", cwd=tmp_path).returncode == 0
    folder = tmp_path / "proj"
    result = run_kit("site", "--no-library", "--out", "site", "--lang", "fr,ar", cwd=folder)
    assert result.returncode == 0, result.stderr
    site = folder / "site"
    assert (site / "fr/local-help/index.html").is_file()
    assert (site / "fr/facile/local-help/index.html").is_file()
    assert not list(site.glob("ar/**/local-help"))
    easy_home = (site / "ar/sahl/index.html").read_text(encoding="utf-8")
    assert "local-help" not in easy_home and "../../fr/local-help" not in easy_home
    switch = read_page(site / "fr/local-help/index.html")
    links = {a.get("hreflang"): a["href"] for a in switch.all("a") if a.get("hreflang")}
    assert links.get("ar") == "../../ar/index.html"  # a partial language's home: it has no standard pages
    alternates = {link["hreflang"] for link in switch.all("link") if link.get("rel") == "alternate"}
    assert "ar" not in alternates and "fr" in alternates
    check = run_kit("check", "--json", cwd=folder)
    notes = [f for f in json.loads(check.stdout)["findings"] if f["question"] == "local-help"]
    assert any(f["lang"] == "ar" and "leave it out" in f["message"] for f in notes)


def test_an_interrupted_site_build_leaves_the_previous_site_as_it_was(tmp_path, monkeypatch):
    """Issue 26 point 2: pages were written one by one into the site folder, so a build stopped halfway (an
    error, Ctrl-C) left half a new site. Now the site is written beside it and moved in at the end."""
    project = kit.load_project(kit.Settings(config=site_toml(tmp_path / "proj")))
    out = tmp_path / "site"
    build_site(project, out, langs="fr", library=False)
    before = files_of(out)

    def stop(done, total, what):
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_site(project, out, langs="fr,en", progress=stop, library=False)
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj", "site"]  # no staging folder left behind
    # A build that ends in an error (a broken link) leaves it as it was too.
    from kit.errors import BuildError

    def broken(made, written):
        raise BuildError("a broken link")

    monkeypatch.setattr("kit.site._check_links", broken)
    with pytest.raises(BuildError):
        build_site(project, out, langs="fr,en", library=False)
    monkeypatch.undo()
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj", "site"]
    build_site(project, out, langs="fr,en", library=False)
    assert (out / "en/index.html").is_file()


def test_no_page_shows_a_placeholder(built_site, site_project):
    """Issue 26 point 3: fr/facile/ said "Ce document répond à {n} questions." (and en/easy/ too). Every page
    and the JSON export are read: no placeholder is left, and the Easy-to-Read home counts its questions."""
    from kit.check.placeholders import PLACEHOLDER

    _, project = site_project
    pages = sorted(built_site.rglob("*.html")) + sorted(built_site.glob("data/*.json"))
    assert len(pages) > 20
    for path in pages:
        text = "".join(read_page(path).text) if path.suffix == ".html" else path.read_text(encoding="utf-8")
        assert not PLACEHOLDER.search(text), (path, PLACEHOLDER.search(text).group(0))
    count = len(project.kb.questions)  # kit init adds a question of its own, in French and English
    assert f"Ce document répond à {count} questions." in "".join(
        read_page(built_site / "fr/facile/index.html").text
    )
    assert f"This document answers {count} questions." in "".join(
        read_page(built_site / "en/easy/index.html").text
    )


def test_the_site_publishes_every_language_documents_are_printed_in(site_project):
    """Issue 26 point 1: `kit site` in a `kit init` project published kit.toml's [build] languages (fr, en) while
    `kit pack` printed QR codes to the Arabic and Chinese pages (404 for the household that scans). The site
    publishes every language kit can print, partial ones included."""
    from kit.plan import plan_site

    _, project = site_project
    assert project.config.data.build.languages == ["fr", "en"]
    langs = {doc.spec.lang for doc in plan_site(project)}
    assert langs == set(project.kb.all_languages) and {"ar", "zh", "tr"} <= langs


def test_a_language_the_site_does_not_publish_is_not_printed(tmp_path):
    """With [site] languages naming fewer languages, a document in another one is refused (kit build, kit poster,
    kit falc...) and a pack row in it fails, naming the language and the fix; `kit site --lang` leaving a
    language out says so."""
    from kit.errors import OptionError
    from kit.events import read_events
    from kit.plan import plan_event, plan_kit, plan_leaflet, unpublished_rows

    toml = site_toml(tmp_path / "proj")
    toml.write_text(f'[site]\nbase_url = "{SITE}"\nlanguages = ["fr", "en", "ar"]\n', encoding="utf-8")
    project = kit.load_project(kit.Settings(config=toml))
    assert project.site_languages == ["fr", "en", "ar"]
    fix = "Add zh to [site] languages in kit.toml and run kit site again, or leave zh out."
    for call in (lambda: plan_kit(project, "fr,zh"), lambda: plan_leaflet(project, "zh", "falc")):
        with pytest.raises(OptionError) as error:
            call()
        assert str(error.value).startswith(
            "The companion site does not publish zh (kit.toml [site] languages: fr, en, ar)"
        )
        assert str(error.value).endswith(fix)
    assert plan_kit(project, "fr,ar")  # published: built
    sheet_file = tmp_path / "events.csv"
    sheet_file.write_text(
        "id;type de lieu;nom du lieu;date;langues\n"
        "a;porte-a-porte;Quartier;2026-03-21;fr,ar\n"
        "b;porte-a-porte;Quartier;2026-03-22;fr,zh\n",
        encoding="utf-8",
    )
    sheet = read_events(sheet_file, venues=project.kb.venues, languages=project.kb.all_languages)
    unpublished_rows(project, sheet)
    assert [event.id for event in sheet.events] == ["a"]
    [problem] = sheet.problems_of(3)
    assert problem.column == "langues" and problem.code == "unpublished-language" and fix in problem.message
    assert {doc.spec.lang for doc in plan_event(project, sheet.events[0])} == {"fr", "ar"}
    # The site itself: a --lang leaving a published language out is said.
    result = build_site(project, tmp_path / "site", langs="fr", library=False)
    assert result.notes == [
        "This site leaves out en, ar: the QR codes and addresses of documents printed in en, ar lead to pages "
        "it does not have. Run kit site without --lang to publish every language (kit.toml [site] languages "
        "says which)."
    ]
    # A language kit.toml names that the content does not have is a kit.toml error.
    toml.write_text(f'[site]\nbase_url = "{SITE}"\nlanguages = ["fr", "xx"]\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError, match="'xx' is not a language of the content"):
        kit.load_project(kit.Settings(config=toml))


def test_a_second_run_takes_its_fonts_back_and_a_content_edit_still_changes_the_site(
    content_copy, edit_file, tmp_path
):
    """Issue 23.1: subsetting the web fonts was most of a second `kit site` with nothing changed. A font the
    previous run wrote with the same characters (and still the bytes it wrote) is taken back; a content edit
    with a new character changes the pages, the font that draws it and the stylesheet's unicode-range."""
    out = tmp_path / "s"
    first = build_site(kit.load_project(content=content_copy), out, langs="fr", library=False)
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["fonts"]
    assert first.fonts_reused == 0 and record and all(len(entry["key"]) == 64 for entry in record)
    before = {path: (out / path).read_bytes() for path in first.files}
    second = build_site(kit.load_project(content=content_copy), out, langs="fr", library=False)
    assert second.fonts_reused == len(record)
    assert {path: (out / path).read_bytes() for path in second.files} == before  # the same bytes
    # A font changed by hand is made again, never served as it is.
    regular = out / "assets/fonts/atkinson-hyperlegible-400.woff2"
    regular.write_bytes(regular.read_bytes()[:-10])
    third = build_site(kit.load_project(content=content_copy), out, langs="fr", library=False)
    assert third.fonts_reused == len(record) - 1
    assert regular.read_bytes() == before["assets/fonts/atkinson-hyperlegible-400.woff2"]
    # A content edit with a character the site did not have (ő, U+0151): the page, the fonts and the stylesheet.
    hook = "Des données très personnelles, protégées par la loi et la technique."
    edit_file(content_copy / "questions" / "wrong-hands.yaml", hook, "Des données de Zsőfia, protégées.")
    assert "\u0151" not in "".join(
        b.decode("utf-8", "ignore") for p, b in before.items() if p.endswith(".html")
    )
    fourth = build_site(kit.load_project(content=content_copy, check=False), out, langs="fr", library=False)
    assert "Des données de Zsőfia, protégées." in (out / "fr/securite/index.html").read_text(encoding="utf-8")
    assert fourth.fonts_reused < len(record)
    assert regular.read_bytes() != before["assets/fonts/atkinson-hyperlegible-400.woff2"]
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    assert "U+151" in css and "U+151" not in before["assets/site.css"].decode("utf-8")
