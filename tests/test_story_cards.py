"""A benefit story at a glance (issue 28): its card in stories.yaml (a figure the story gives, what it counts, one
short sentence), bounded by `kit check`, on the phone cards (the figure very large, the sentence at 48 px or more,
no long story) and the slides' story slide (the same words, the QR code to the story's page)."""

from __future__ import annotations

import json

import pytest

import kit
from kit import weasy
from kit.build import Builder
from kit.check import check_content
from kit.check.budgets import STORY_CARD_BUDGETS, STORY_CARD_CHARS, STORY_FIGURE_CHARS
from kit.plan import plan_kit
from kit.readability import words

CARD_WORDS = (
    1 + STORY_CARD_BUDGETS["unit"].max + STORY_CARD_BUDGETS["sentence"].max
)  # the figure, unit, sentence


def laid_out(builder: Builder, doc) -> list[tuple[str, float, set[str], int]]:
    """Every piece of text a document lays out: (text, font size in px, the classes of its elements, page)."""
    prepared, html = builder.prepare(doc)
    rendered = builder.channel(doc.layout.channel).layout(doc, html)

    def walk(box, classes):
        element = getattr(box, "element", None)
        if element is not None and element.get("class"):
            classes = classes | set(element.get("class").split())
        if isinstance(box, weasy.box_types().TextBox) and box.text.strip():
            yield box.text.strip(), box.style["font_size"], classes
        for child in weasy.children(box):
            yield from walk(child, classes)

    found = []
    for number, page in enumerate(rendered.document.pages, start=1):
        found += [(text, size, classes, number) for text, size, classes in walk(weasy.page_box(page), set())]
    return found


def _text(pieces, cls: str) -> str:
    return " ".join(text for text, _, classes, _ in pieces if cls in classes)


# --- the content and kit check ---------------------------------------------------------------------------------


def test_every_story_has_a_card_in_every_language_within_its_budget():
    kb = kit.load_content()
    report = check_content()
    assert not [f for f in report.findings if ".card" in (f.field or "")]
    for story in kb.stories:
        assert set(story.translations) == set(kb.languages)
        for lang, text in story.translations.items():
            card = text.card
            assert card is not None, (story.id, lang)
            assert len(words(card.sentence)) <= STORY_CARD_BUDGETS["sentence"].max
            assert card.unit is None or len(words(card.unit)) <= STORY_CARD_BUDGETS["unit"].max
            assert card.figure is None or len(card.figure) <= STORY_FIGURE_CHARS
        # a story with a figure has it in each language, or in none
        assert len({text.card.figure is None for text in story.translations.values()}) == 1, story.id


@pytest.mark.parametrize(
    "field, value, rule",
    [
        ("sentence", " ".join(["mot"] * (STORY_CARD_BUDGETS["sentence"].max + 1)) + ".", "card sentence"),
        ("sentence", ("anticonstitutionnellement " * 7).strip() + ".", "characters"),
        ("figure", "1 234 567 890 %", "card figure"),
    ],
)
def test_kit_check_refuses_a_card_over_its_budget(content_copy, edit_file, field, value, rule):
    stories = content_copy / "stories.yaml"
    old = {
        "sentence": 'sentence: "Plus de 90 %, mesuré chez 11 millions de vaccinés de 50 ans et plus."',
        "figure": 'figure: "90 %"',
    }[field]
    edit_file(stories, old, f"{field}: {json.dumps(value, ensure_ascii=False)}")
    report = check_content(content_copy)
    errors = [f for f in report.errors if (f.field or "").startswith("stories.0.") and f.rule == "length"]
    assert errors and rule in errors[0].message, [str(f) for f in report.errors]
    assert errors[0].lang == "fr" and errors[0].field.endswith(f"card.{field}") and errors[0].line


def test_kit_check_warns_of_a_figure_the_story_does_not_give_and_of_a_missing_card(content_copy, edit_file):
    stories = content_copy / "stories.yaml"
    edit_file(stories, 'figure: "90 %"', 'figure: "95 %"')
    edit_file(
        stories,
        '      card:\n        figure: "90%"\n        unit: "lower risk of hospital admission for Covid"\n'
        '        sentence: "Over 90%, measured in 11 million vaccinated people aged 50 or over."\n',
        "",
    )
    report = check_content(content_copy)
    mine = [f for f in report.warnings if (f.field or "").startswith("stories.0.")]
    assert any(f.lang == "fr" and "95" in f.message and f.field.endswith("card.figure") for f in mine), mine
    assert any(f.lang == "en" and "card: missing" in f.message for f in mine), mine
    assert not report.errors, [str(f) for f in report.errors]


# --- the phone cards -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def story_cards(site_project):
    """The story cards of the `kit init` project with a site address, laid out, in both languages and sizes."""
    _, project = site_project
    builder = Builder(project)
    docs = [d for d in plan_kit(project, channels="social") if d.spec.story]
    return project, builder, [(doc, laid_out(builder, doc)) for doc in docs]


def test_a_story_card_is_a_figure_and_a_sentence_read_at_arms_length(story_cards):
    project, _, cards = story_cards
    assert len(cards) == 3 * sum(len(project.kb.stories_in(lang)) for lang in project.kb.languages)
    for doc, pieces in cards:
        text = project.kb.story(doc.spec.story).translations[doc.spec.lang]
        said = _text(pieces, "glance").replace("\u00a0", " ")  # French no-break spaces read as spaces
        assert (
            said.split()
            == " ".join(p for p in (text.card.figure, text.card.unit, text.card.sentence) if p).split()
        )
        assert 1 + len(words(said.removeprefix(text.card.figure or ""))) <= CARD_WORDS  # the figure is one
        story = " ".join(t for t, *_ in pieces)
        assert text.story.split(".")[0] not in story  # the long story is behind the link
        sentence = [size for _, size, classes, _ in pieces if "sentence" in classes]
        assert sentence and min(sentence) >= 48, (doc.describe(), sentence)
        figure = [size for _, size, classes, _ in pieces if "figure" in classes]
        if text.card.figure:
            assert min(figure) >= max(2 * min(sentence), 110), (doc.describe(), figure)
        else:  # a story without a figure: its sentence larger
            assert not figure and min(sentence) >= 56
        readable = [size for _, size, classes, _ in pieces if not classes & {"credit", "source", "org"}]
        assert min(readable) >= 40


def test_the_longest_card_kit_check_accepts_fits_every_size(content_copy, edit_file):
    """A title of 10 long words, a figure of STORY_FIGURE_CHARS, unit and sentence at their words and characters:
    it passes kit check and every card size holds it (the sentence still 48 px or more); so does the same without a
    figure."""
    stories = content_copy / "stories.yaml"
    edit_file(
        stories,
        "title: 'Vaccins contre le Covid : une protection mesurée sur des millions'",
        "title: 'Vaccinations massives contre Covid : protection remarquable mesurée chez plusieurs millions'",
    )
    unit = "d'hospitalisations supplémentaires évitées chez personnes vaccinées âgées"
    sentence = (
        "Plus de 90 %, mesuré chez 11 millions de personnes vaccinées de 50 ans et plus, avec chacun des 3 "
        "vaccins étudiés."
    )
    sentence = " ".join(sentence.split()[: STORY_CARD_BUDGETS["sentence"].max])
    while len(unit) + len(sentence) > STORY_CARD_CHARS:
        sentence = " ".join(sentence.split()[:-1])
    edit_file(
        stories,
        '        figure: "90 %"\n        unit: "de risque d\'hospitalisation pour Covid en moins"\n'
        '        sentence: "Plus de 90 %, mesuré chez 11 millions de vaccinés de 50 ans et plus."',
        f'        figure: "10 000 000 %"\n        unit: "{unit}"\n        sentence: "{sentence}."',
    )
    edit_file(
        stories,
        "Les données de remboursement ont confirmé l'alerte d'une médecin : le Mediator est suspendu en 2009.",
        f"{sentence}.",
    )
    report = check_content(content_copy)
    length = [f for f in report.errors if f.rule == "length"]
    assert not length, [str(f) for f in length]
    project = kit.load_project(content=content_copy, check=False)
    builder = Builder(project)
    docs = [
        d
        for d in plan_kit(project, "fr", channels="social")
        if d.spec.story in ("covid-vaccine-protection", "mediator-heart-valves")
    ]
    assert len(docs) == 6
    for doc in docs:
        builder.make(doc)  # a card that does not hold its text is a FitError
        pieces = laid_out(builder, doc)
        assert min(size for _, size, classes, _ in pieces if "sentence" in classes) >= 48
