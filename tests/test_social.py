"""`kit social`: PNG cards as a phone shows them: exact pixel sizes, small files, the same bytes every time, free
bands on the stories' size, text large enough, an alternative text and a post that link to the companion site."""

from __future__ import annotations

import json

import pytest
from PIL import Image

import kit
from kit.addresses import printed
from kit.build import build_social
from kit.channels.screen import check_screen
from kit.errors import FitError

SIZES = {"1080x1080": (1080, 1080), "1080x1350": (1080, 1350), "1080x1920": (1080, 1920)}
MAX_BYTES = 1_500_000


@pytest.fixture(scope="module")
def cards(site_project, tmp_path_factory):
    """Every card of the `kit init` project with a site address, in both languages and the three sizes."""
    folder, project = site_project
    out = tmp_path_factory.mktemp("social")
    result = build_social(project, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, project, result, manifest


def test_a_card_per_question_level_story_language_and_size(cards):
    out, project, _, manifest = cards
    kb = project.kb
    docs = manifest["documents"]
    expected = {
        (lang, size, level, (qid,), None)
        for lang in kb.languages
        for size in SIZES
        for level in ("standard", "falc")
        for qid in kb.question_ids
    }
    expected |= {
        (lang, size, "standard", tuple(s.questions), s.id)
        for lang in kb.languages
        for size in SIZES
        for s in kb.stories
    }
    got = {(d["lang"], d["format"], d["level"], tuple(d["questions"]), d.get("story")) for d in docs}
    assert got == expected and len(docs) == len(expected)
    assert {d["channel"] for d in docs} == {"social"}


def test_pngs_have_their_exact_size_and_stay_small(cards):
    out, _, _, manifest = cards
    for doc in manifest["documents"]:
        path = out / doc["path"]
        assert path.suffix == ".png"
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == SIZES[doc["format"]], doc["path"]
        size = path.stat().st_size
        assert size == doc["bytes"] and size < MAX_BYTES / 5, (doc["path"], size)


def test_cards_are_the_same_bytes_every_time(cards, tmp_path):
    out, project, _, manifest = cards
    again = build_social(project, tmp_path, langs="en", sizes="1080x1350")
    for built in again.documents:
        assert (tmp_path / built.path).read_bytes() == (out / built.path).read_bytes(), built.path


def test_alt_text_says_what_the_card_says(cards):
    out, project, _, manifest = cards
    kb = project.kb
    for doc in manifest["documents"]:
        alt = doc["alt"]
        address = printed(doc["links"][0])
        assert address in alt, doc["path"]
        if doc.get("story"):
            title = kb.story(doc["story"]).translations[doc["lang"]].title
            assert title in alt.replace("\u00a0", " "), doc["path"]
            continue
        text = kb.question(doc["questions"][0]).translations[doc["lang"]]
        said = alt.replace("\u00a0", " ")
        assert text.question.replace("\u00a0", " ") in said
        if doc["level"] == "standard":
            assert text.hook in said
        else:
            assert text.falc[0].text in said and text.falc[1].text in said


def test_post_text_hook_sentence_address_hashtags(cards):
    out, project, _, manifest = cards
    hashtags = project.config.data.social.hashtags_for("fr")
    assert hashtags, "the kit init project sets hashtags"
    for doc in manifest["documents"]:
        post = doc["text"]
        paragraphs = post.split("\n\n")
        assert len(paragraphs) == 4, post
        assert printed(doc["links"][0]) in paragraphs[2]
        assert paragraphs[3] == " ".join(project.config.data.social.hashtags_for(doc["lang"]))
        if not doc.get("story") and doc["level"] == "standard":
            assert paragraphs[0] == project.kb.question(doc["questions"][0]).translations[doc["lang"]].hook


def test_every_link_is_a_page_of_the_site(cards, resolves):
    out, project, _, manifest = cards
    for doc in manifest["documents"]:
        assert doc["links"], doc["path"]
        for url in doc["links"]:
            assert resolves(url, project.kb), url
        level = "falc" if doc["level"] == "falc" else "standard"
        if not doc.get("story"):
            from kit.addresses import SitePages

            assert doc["links"][0].endswith(
                SitePages(project.kb).question(doc["questions"][0], doc["lang"], level)
            )


def test_story_size_keeps_its_top_and_bottom_free_of_text(cards):
    """The stories' size: the 250 px at the top and at the bottom are one plain colour (nothing for buttons to hide)."""
    out, _, _, manifest = cards
    tall = [d for d in manifest["documents"] if d["format"] == "1080x1920"]
    assert tall
    for doc in tall:
        with Image.open(out / doc["path"]) as image:
            rgb = image.convert("RGB")
            for box in ((0, 0, 1080, 250), (0, 1670, 1080, 1920)):
                colours = rgb.crop(box).getcolors(maxcolors=4)
                assert colours is not None and len(colours) == 1, (doc["path"], box, colours)


def test_cards_without_a_site_lead_to_the_contents_own_links(tmp_path):
    """Built-in content, no kit.toml: cards are made, their links are the content's (with a note to publish the site)."""
    project = kit.load_project()
    result = build_social(project, tmp_path, langs="fr", sizes="1080x1080")
    assert result.notes and "base_url" in result.notes[0]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["documents"]) == 2 * len(project.kb.question_ids) + len(project.kb.stories)
    for doc in manifest["documents"]:
        assert all(url.startswith("https://") for url in doc["links"]) and doc["alt"] and doc["text"]


def test_too_much_text_is_an_error_not_a_cut(content_copy, edit_file, tmp_path):
    edit_file(
        content_copy / "questions" / "wrong-hands.yaml",
        'question: "Et si nos données tombaient entre de mauvaises mains ?"',
        'question: "Et si nos données de santé, celles de nos enfants et de nos parents, tombaient un jour entre de mauvaises mains ?"',
    )
    project = kit.load_project(content=content_copy, check=False)
    with pytest.raises(kit.BuildError) as info:
        build_social(project, tmp_path, langs="fr", sizes="1080x1080")
    problems = [str(p) for p in info.value.problems]
    assert problems and all("'wrong-hands' (fr, 1080x1080)" in p and "does not fit" in p for p in problems), (
        problems
    )


def test_small_text_and_text_in_the_free_bands_are_errors(site_project):
    """The screen checks, on laid-out boxes: text under the layout's minimum, text inside a free band."""
    _, project = site_project
    from kit.build import Builder
    from kit.plan import plan_kit

    builder = Builder(project)
    doc = next(d for d in plan_kit(project, "fr", channels="social", sizes="1080x1920") if d.spec.story)
    prepared, html = builder.prepare(doc)
    channel = builder.channel("social")
    small = html.replace("</head>", "<style>.story.tall .sentence { font-size: 30px; }</style></head>")
    with pytest.raises(FitError, match="30 px, smaller than the 40 px"):
        check_screen(channel.layout(doc, small), doc)
    high = html.replace("</head>", "<style>.frame { top: 100px !important; }</style></head>")
    with pytest.raises(FitError, match="top 250 or bottom 250 pixels"):
        check_screen(channel.layout(doc, high), doc)
    check_screen(channel.layout(doc, html), doc)  # as built: no error
