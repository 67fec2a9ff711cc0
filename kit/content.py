"""Load the knowledge base (YAML files) into typed models, reporting every problem with file, line and field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import ContentError, Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
HOOK_MAX_WORDS = 12


from .readability import words  # noqa: E402  (one way to count words, for loading and for kit check)

# Every problem found while loading carries its `kit check` rule id and the hint shown with it (kit/check lists the rules).
SCHEMA_HINT = "Fix the field as the message says (see the other files of the built-in content for examples)."
COMPLETE_HINT = (
    "Every language listed in kit.yaml needs every question, block and field; every id must be unique."
)
PICTOGRAM_HINT = "Use the name of an SVG file in kit's assets/pictograms folder, without '.svg'."
URL_HINT = "Write the full address, starting with https://, as your browser shows it."
QR_LINK_HINT = "Mark exactly one link of each language with 'qr: true': it is the QR code target."
HOOK_HINT = "Shorten the hook: it is printed in very large type."
# The rule ids that validators below raise as the type of a PydanticCustomError (any other error type is "schema").
VALIDATOR_RULES = frozenset({"link-url", "link-https", "consistency", "length"})


def _rule_error(rule: str, message: str, hint: str) -> PydanticCustomError:
    """A validation error whose type is its `kit check` rule; the context keeps the message and hint as written."""
    return PydanticCustomError(rule, message, {"message": message, "hint": hint})


# --- Characters that print as nothing -------------------------------------------------------------
# Bidirectional controls (embeddings, overrides, isolates, marks) print as nothing yet reorder what follows: a
# right-to-left override makes an address print backwards while the QR code carries another one. Zero-width
# spaces and joiners, the word joiner, soft hyphens, byte-order marks, tag characters and the other format and
# control characters print as nothing too, yet split or join words unseen, or hide text. Links, ids and codes
# refuse them; texts are warned about (kit check rule `invisible-character`).
_RTL_WRITING = frozenset(
    "\u200e\u200f\u061c\u200c\u200d"
)  # marks and joiners: writing, in right-to-left languages
_SHOWS_NOTHING = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
)  # letters and marks with no ink


def hidden_characters(text: str, *, rtl: bool = False, controls: bool = True) -> list[tuple[int, str, str]]:
    """(position, 'U+202E', 'right-to-left override') for each character of ``text`` that prints as nothing yet
    changes what it says or how it reads (line breaks and tabs excepted). ``rtl``: the text is in a language
    written right to left, whose marks and joiners are part of the writing. ``controls``: control characters
    (U+0000-U+001F...) too."""
    found = []
    categories = ("Cf", "Cc") if controls else ("Cf",)
    for i, char in enumerate(text):
        if " " <= char <= "~" or char in "\n\t":
            continue
        if unicodedata.category(char) in categories or char in _SHOWS_NOTHING:
            if rtl and char in _RTL_WRITING:
                continue
            name = unicodedata.name(char, "").lower() or "control character"
            found.append((i, f"U+{ord(char):04X}", name))
    return found


def describe_hidden(found: list[tuple[int, str, str]]) -> str:
    """'an invisible character, U+202E (right-to-left override), at character 24' (and how many others)."""
    position, code, name = found[0]
    others = f" and {len(found) - 1} other{'s' if len(found) > 2 else ''}" if len(found) > 1 else ""
    return f"an invisible character, {code} ({name}), at character {position + 1}{others}"


def show_hidden(text: str, found: list[tuple[int, str, str]] | None = None, around: int | None = None) -> str:
    """``text`` with each hidden character written as [U+202E]; with ``around``, only that many characters on
    each side of the first one."""
    found = hidden_characters(text) if found is None else found
    codes = {position: code for position, code, _ in found}
    start, end = 0, len(text)
    if around is not None and found:
        start, end = max(0, found[0][0] - around), min(len(text), found[0][0] + around + 1)
    shown = "".join(f"[{codes[i]}]" if i in codes else text[i] for i in range(start, end))
    return ("…" if start else "") + shown + ("…" if end < len(text) else "")


HIDDEN_URL_HINT = (
    "Type the address again as your browser shows it: text copied from documents often brings "
    "invisible characters."
)


def _refuse_hidden(value: str, what: str, rule: str | None = None, hint: str = "") -> None:
    found = hidden_characters(value)
    if found:
        message = f"'{show_hidden(value, found)}' holds {describe_hidden(found)}: {what}"
        if rule:
            raise _rule_error(rule, message, hint or message)
        raise ValueError(message)


def _https_url(value: str) -> str:
    _refuse_hidden(
        value, "it is printed differently from what the QR code carries.", "link-url", HIDDEN_URL_HINT
    )
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#][^\s<>\"]*)?", value):
        rule = "link-https" if value.lower().startswith("http://") else "link-url"
        raise _rule_error(
            rule, f"'{value}' is not a valid https:// address (only https links are printed)", URL_HINT
        )
    return value


def check_pattern(value: str, allowed: tuple[str, ...]) -> str:
    """A text with {placeholders}: each one of ``allowed``, written plainly ({day}, not {day.x} or {day:>9});
    ValueError saying which is not (such patterns are filled with Python's str.format)."""
    import string

    names = ", ".join("{" + name + "}" for name in allowed)
    try:
        parsed = list(string.Formatter().parse(value))
    except ValueError:
        raise ValueError(
            f"'{value}' has a '{{' or '}}' without its pair: placeholders are {names} (write {{{{ or "
            "}} for a brace itself)"
        ) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name not in allowed or spec or conversion:
            raise ValueError(f"'{value}': {written} is not a placeholder kit knows; use {names}")
    return value


def _slug(value: str) -> str:
    _refuse_hidden(value, "an id is lower-case letters, digits and hyphens only; type it again.")
    if not SLUG_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a valid id: use lower-case letters, digits and hyphens")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("this text is empty")
    return value.strip()


Text = Annotated[str, AfterValidator(_not_blank)]
Url = Annotated[str, AfterValidator(_https_url)]
Slug = Annotated[str, AfterValidator(_slug)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Link(Model):
    label: Text
    url: Url
    qr: bool = False


def _one_qr_link(links: list[Link]) -> list[Link]:
    marked = [link for link in links if link.qr]
    if len(marked) != 1:
        raise _rule_error(
            "consistency",
            f"exactly one link must have 'qr: true' (the QR code target); found {len(marked)}",
            QR_LINK_HINT,
        )
    return links


Links = Annotated[list[Link], Field(min_length=1), AfterValidator(_one_qr_link)]


class FalcItem(Model):
    text: Text
    picto: Slug


class Misconception(Model):
    myth: Text
    fact: Text


class QuestionText(Model):
    """A question in one language. A complete language gives every field; a partial one (kit.yaml
    `partial_languages`) gives the question, hook, short answer and Easy-to-Read sentences (PARTIAL_FIELDS)."""

    question: Text
    path: Slug | None = None  # its page on the companion site: <lang>/<path>/ (default: the question's id)
    hook: Text
    short: Text
    falc: list[FalcItem] = Field(min_length=1)
    detail: Text | None = None
    sources: list[Text] | None = Field(None, min_length=1)
    benefit: Text | None = None
    links: Links | None = None
    sms: Text | None = (
        None  # the text message about this question (the site address is added); default: the hook
    )
    # Event packs: the advisor memo's two sentences, Café IA prompts, misconceptions and the facts.
    advisor: Text | None = None
    prompts: list[Text] | None = Field(None, min_length=1)
    misconceptions: list[Misconception] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _hook_length(self) -> QuestionText:
        n = len(words(self.hook))
        if n > HOOK_MAX_WORDS:
            raise _rule_error("length", f"hook: {n} words, at most {HOOK_MAX_WORDS} fit a poster", HOOK_HINT)
        return self

    @property
    def qr_link(self) -> Link | None:
        return next((link for link in self.links if link.qr), None) if self.links else None


# The fields of a question only complete languages must give (a partial language may leave them out).
COMPLETE_ONLY_FIELDS = ("detail", "sources", "benefit", "links", "advisor", "prompts", "misconceptions")


class Question(Model):
    id: Slug
    order: int
    pictogram: Slug
    # In the summary poster, the leaflets and the advisor memo (which hold the four citizen questions)? Else only its own
    # posters and a page of the FALC booklet.
    in_summary: bool = True
    translations: dict[str, QuestionText]


class LanguageReview(Model):
    """Who checked a language's texts as native speakers (empty: nobody yet; its documents say so)."""

    reviewed_by: list[Text] = []


class Meta(Model):
    content_version: Text
    date: dt.date
    reviewed_by: list[Text] = Field(min_length=1)
    falc_checked_by: list[Text] = []
    languages: list[str] = Field(min_length=1)
    # Languages with part of the texts only (see QuestionText and PARTIAL_BLOCKS): the documents that need
    # no more (the doorstep pack, the Easy-to-Read booklet and leaflet) are made in them, nothing else.
    partial_languages: list[str] = []
    # Each language's review by native speakers, by language code (a language not listed: nobody yet).
    language_review: dict[str, LanguageReview] = {}
    organisation: Text = "kit – la seconde vie des données de santé"
    keywords: Text = "données de santé, recherche, RGPD"  # PDF metadata
    # A user's content folder is merged over the built-in knowledge base, unless this is false.
    builtin: bool = True


class Summary(Model):
    title: Text
    hook: Text
    intro: Text
    links: Links

    @property
    def qr_link(self) -> Link:
        return next(link for link in self.links if link.qr)


class Rights(Model):
    title: Text
    points: list[Text] = Field(min_length=1)
    links: Links

    @property
    def qr_link(self) -> Link:
        return next(link for link in self.links if link.qr)


class Labels(Model):
    campaign: Text
    scan: Text
    leads_to: Text
    benefit: Text
    sources: Text
    credits: Text
    four_questions: Text
    rights: Text
    falc: Text  # the Easy-to-Read badge, printed once named people checked the text (falc_checked_by)
    falc_unchecked: (
        Text  # the badge's words until then: written following the rules, not yet checked by readers
    )
    no_scan: Text  # beside a poster's QR code: what to do without a phone that scans
    page: Text
    question_n: Text
    words: Text
    checked_by: Text
    qr_alt: Text
    duplex: Text
    # Printed small on every document of a language nobody has reviewed yet (kit.yaml language_review).
    unreviewed: Text | None = None

    @model_validator(mode="after")
    def _placeholders(self) -> Labels:
        for name, needed in (
            ("page", ("{n}", "{total}")),
            ("question_n", ("{n}", "{total}")),
            ("qr_alt", ("{url}",)),
        ):
            value = getattr(self, name)
            missing = [p for p in needed if p not in value]
            if missing:
                raise ValueError(
                    f"{name}: keep the placeholder{'s' if len(missing) > 1 else ''} {' and '.join(missing)} in '{value}'"
                )
        return self


class FalcPages(Model):
    """Easy-to-Read texts around the questions: the title page and the end page."""

    title: Text
    intro: list[FalcItem] = Field(min_length=1)
    end: list[FalcItem] = Field(min_length=1)


class PlanStep(Model):
    minutes: int = Field(gt=0)
    title: Text
    text: Text


class EventTexts(Model):
    """Words of the event packs: Café IA poster, invitation, facilitator guide, advisor memo, feedback, print sheet."""

    cafe_title: Text
    cafe_expect: list[Text] = Field(min_length=1)
    expect_title: Text
    free_entry: Text
    invitation_title: Text
    invitation: Text
    date_label: Text
    time_label: Text
    place_label: Text
    contact_label: Text
    guide_title: Text
    guide_intro: Text
    plan_title: Text
    plan: list[PlanStep] = Field(min_length=1)
    prompts_title: Text
    myths_title: Text
    myth_label: Text
    fact_label: Text
    links_title: Text
    memo_title: Text
    memo_intro: Text
    memo_more: Text
    memo_object: Text
    feedback_title: Text
    feedback_intro: Text
    feedback_helped: Text
    feedback_options: list[Text] = Field(min_length=2)
    feedback_worries: Text
    feedback_online: Text
    feedback_thanks: Text
    print_title: Text
    print_intro: Text
    print_document: Text
    print_paper: Text
    print_copies: Text
    print_sides: Text
    one_side: Text
    two_sides_short: Text
    two_sides_long: Text
    cut_marks: Text


class GlossaryText(Model):
    term: Text
    explanation: Text
    falc: Text | None = None  # Easy-to-Read explanation, for FALC documents

    @property
    def easy(self) -> str:
        return self.falc or self.explanation


class GlossaryTerm(Model):
    id: Slug
    translations: dict[str, GlossaryText]


class Situation(Model):
    title: Text
    points: list[Text] = Field(min_length=1)


class Act(Model):
    """Saying no in practice: steps, limits, contacts, special situations, free help, an Easy-to-Read version."""

    title: Text
    intro: Text
    steps: list[Text] = Field(min_length=2)
    limits: Text
    contacts: list[Link] = Field(min_length=1)
    situations: list[Situation] = []
    help: Text | None = None
    help_link: Link | None = None
    falc: list[FalcItem] = Field(min_length=1)
    sources: list[Text] = Field(min_length=1)


class SitePaths(Model):
    """The short words of the companion site's addresses in one language (typed by people: keep them short)."""

    easy: Slug
    glossary: Slug
    about: Slug
    stories: Slug = "stories"  # the benefit stories' page


class SiteTexts(Model):
    """Words of the companion site in one language (its interface: menus, headings, links), and where each QR code
    says it leads."""

    paths: SitePaths
    qr_question: Text  # a question poster's QR code leads to the full answer on the site
    qr_home: Text  # a summary poster's, leaflet's or event document's QR code leads to the home page
    qr_easy: Text  # an Easy-to-Read document's QR code leads to the Easy-to-Read pages
    # Every page: the link that skips the menus, the menus, the language switch, the foot.
    skip: Text
    menu: Text
    home: Text
    easy: Text
    glossary: Text
    about: Text
    language: Text
    choose_language: Text
    to_easy: Text  # from a page to its Easy-to-Read twin
    to_standard: Text  # from an Easy-to-Read page to the full page
    updated: Text
    # Home page and question pages.
    questions: Text
    in_short: Text
    full_answer: Text
    learn_more: Text
    rights: Text  # "your rights and how to say no"
    write_to: Text  # the contacts of the rights block
    help: Text
    help_text: Text
    contact_us: Text
    previous: Text
    next: Text
    all_questions: Text
    # Easy-to-Read pages (short words, like the text they lead to).
    easy_questions: Text
    easy_end: list[FalcItem] = Field(
        min_length=1
    )  # the Easy-to-Read home's last sentences (the site has no QR code)
    # Glossary page.
    glossary_intro: Text
    easy_words: Text  # before a term's Easy-to-Read explanation
    # About page.
    about_intro: Text
    written_by: Text
    reviewed_by: Text
    version: Text
    falc_checked_by: Text
    falc_not_checked: Text
    privacy: Text
    privacy_text: Text
    reuse: Text
    reuse_text: Text
    reuse_link: Text
    credits: Text
    fonts: Text
    pictograms: Text
    software: Text
    licence: Text


class Doorstep(Model):
    """Words of the doorstep pack (neighbourhood mediators who go door to door): pocket card, door hanger and
    mediator sheet. The card's 'saying no' side is the `act` block's Easy-to-Read sentences."""

    card_title: Text  # the card's front: what it is about
    questions: dict[str, Text]  # each summary question in one short line, by question id
    answers_here: Text  # beside the QR code: the answers, in the reader's language
    say_no_title: Text  # the back of the card
    call: Text  # before the phone number
    write: Text  # before an e-mail address (after the phone number, or alone)
    no_contact: Text  # when neither the spreadsheet row nor kit.toml gives a contact
    hanger_title: Text  # the door hanger, left when nobody answers
    hanger_message: Text
    hanger_date: Text  # keep {date}: "we came by on {date}"
    sheet_title: Text  # the mediator sheet
    sheet_intro: Text
    opening_title: Text
    opening: Text  # how to open the conversation at the door: two sentences
    answers_title: Text
    worried_title: Text
    worried: list[Text] = Field(min_length=1)
    send_title: Text
    send: list[Text] = Field(min_length=1)
    cut_marks: Text  # on the sheets of cards and hangers
    cut_hole: Text  # on the hangers: cut the hole and the slit

    @model_validator(mode="after")
    def _date_placeholder(self) -> Doorstep:
        if "{date}" not in self.hanger_date:
            raise ValueError(f"hanger_date: keep the placeholder {{date}} in '{self.hanger_date}'")
        return self


class ChannelTexts(Model):
    """Words of the screen and message channels in one language: social cards, newsletter, text messages, slides."""

    stories_title: Text  # the benefit stories: the site page, the newsletter's heading, the guide
    stories_intro: Text  # the site's stories page: what the stories are
    story_questions: Text  # the site's stories page: before the questions a story illustrates
    story_label: Text  # above a story on a card or a slide ("What research made possible")
    more: Text  # before the short site address on a card or in a post ("The full answer:")
    read_story: Text  # before the address on a story card ("The story and its sources")
    source: Text  # before a story's source on a card ("Source")
    newsletter_subject: Text
    newsletter_preheader: Text  # the line mail programs show after the subject
    newsletter_intro: Text
    read_answer: Text  # the link under each question
    read_stories: Text  # the link under the story
    contact_title: Text
    unsubscribe: Text  # the words of the unsubscribe link
    why_received: Text  # why the reader receives the newsletter
    sms_more: Text  # before the site address in a text message ("Réponse :")
    slides_prompts: Text  # the deck's question slides: above the discussion prompts
    screen_scan: Text  # screens: beside the QR code
    thanks: Text  # the deck's closing slide


# The letter to say no (`kit letter`): one page per route of objection. snds: the national data, to one's health
# insurance fund; hospital: a hospital's study or data warehouse, to its data protection officer; study: a study
# that informed the person, to the organisation it names.
LETTER_ROUTES = ("snds", "hospital", "study")
LetterRouteId = Literal["snds", "hospital", "study"]


def _every_route(routes: dict) -> dict:
    missing = [route for route in LETTER_ROUTES if route not in routes]
    if missing:
        raise ValueError(f"routes: give {', '.join(missing)} too (every route of {', '.join(LETTER_ROUTES)})")
    return routes


class LetterRoute(Model):
    """One route of the letter: who it goes to, where to find their address, the letter's subject and body."""

    name: Text  # the route in a few words, under the title
    short: Text  # the route in one or two words, in the document's title (print sheets list it)
    to: Text  # printed in the addressee box, above the address to fill in
    find: Text  # where to find the address (beside the letter)
    subject: Text
    body: list[Text] = Field(min_length=1)  # the letter's paragraphs
    number: bool = False  # ask for the social security number (the fund identifies people by it)
    study_label: Text | None = None  # a line to name the study


class FalcLetterRoute(Model):
    to: Text  # who to send it to, in one Easy-to-Read sentence
    find: Text | None = None  # where to find the address, in one sentence
    body: list[Text] = Field(min_length=1)  # the letter's sentences


class FalcLetter(Model):
    """The Easy-to-Read letter: its title, how to use it and what comes next (a picture each), each route's words."""

    title: Text
    steps: list[FalcItem] = Field(min_length=1)
    next: list[FalcItem] = Field(min_length=1)
    cut: Text  # on the cut line: keep the top, send the bottom
    date_label: Text  # above the blank for the date
    routes: dict[LetterRouteId, FalcLetterRoute]

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: dict) -> dict:
        return _every_route(value)


class Letter(Model):
    """The letter to say no in one complete language: the words around the blanks, what to keep, what comes next,
    each route's letter, and the Easy-to-Read version."""

    title: Text
    intro: Text  # fill in by hand, keep a copy, send
    cut: Text  # on the cut line between the help (kept) and the letter (sent)
    find_title: Text  # "Where to find the address"
    from_label: Text
    address_label: Text
    number_label: Text  # the social security number (routes with number: true)
    to_label: Text  # the address to fill in
    subject_label: Text
    salutation: Text
    reason_label: Text  # an optional line for a reason tied to one's situation
    confirm: Text
    closing: Text
    place_label: Text
    date_label: Text
    signature_label: Text
    keep_title: Text
    keep: Text
    next_title: Text
    next: list[Text] = Field(min_length=1)
    routes: dict[LetterRouteId, LetterRoute]
    falc: FalcLetter

    @field_validator("routes")
    @classmethod
    def _routes(cls, value: dict) -> dict:
        return _every_route(value)


class Shared(Model):
    summary: dict[str, Summary]
    rights: dict[str, Rights]
    labels: dict[str, Labels]
    falc: dict[str, FalcPages]
    events: dict[str, EventTexts]
    act: dict[str, Act]
    site: dict[str, SiteTexts]
    channels: dict[str, ChannelTexts]
    doorstep: dict[str, Doorstep] = {}
    letter: dict[str, Letter] = {}  # complete languages only: the letter goes to a French organisation
    glossary: list[GlossaryTerm] = []


# What each kind of language must give. A complete language (kit.yaml `languages`) gives every block and
# every field; a partial one (`partial_languages`) gives these blocks, and of each question PARTIAL_FIELDS.
COMPLETE_BLOCKS = (
    "summary",
    "rights",
    "labels",
    "falc",
    "events",
    "act",
    "site",
    "channels",
    "doorstep",
    "letter",
)
PARTIAL_BLOCKS = ("summary", "rights", "labels", "falc", "act", "site", "doorstep")
PARTIAL_FIELDS = ("question", "hook", "short", "falc")


_TIME_PLACEHOLDERS = ("H", "HH", "h12", "MM", "ampm")
_PLACEHOLDERS = {
    "date": ("iso", "year", "day", "weekday", "month"),
    "time": _TIME_PLACEHOLDERS,
    "time_whole_hour": _TIME_PLACEHOLDERS,
    "time_range": ("start", "end"),
}


class Locale(Model):
    """How a language is written: direction, typography, dates and times (see locales.yaml)."""

    name: Text
    dir: Literal["ltr", "rtl"] = "ltr"
    typography: Literal["plain", "french"] = "plain"
    weekdays: list[Text] | None = Field(None, min_length=7, max_length=7)
    months: list[Text] | None = Field(None, min_length=12, max_length=12)
    date: Text = "{iso}"
    first_day: Text | None = None
    time: Text = "{HH}:{MM}"
    time_whole_hour: Text | None = None
    am_pm: list[Text] = Field(["am", "pm"], min_length=2, max_length=2)
    time_range: Text = "{start}–{end}"
    falc_lang: str | None = None  # the language of the Easy-to-Read documents event packs hand out
    font_credits: list[Text] = []  # fonts shipped for this script, credited on its documents

    @field_validator("date", "time", "time_whole_hour", "time_range")
    @classmethod
    def _known_placeholders(cls, value, info):
        return None if value is None else check_pattern(value, _PLACEHOLDERS[info.field_name])

    @model_validator(mode="after")
    def _names_for_placeholders(self) -> Locale:
        if ("{weekday}" in self.date and not self.weekdays) or ("{month}" in self.date and not self.months):
            raise ValueError("date: {weekday} and {month} need the 'weekdays' and 'months' lists")
        return self


def plain_locale(lang: str) -> Locale:
    """The record of a language that has none: left to right, ISO dates, 24-hour times."""
    return Locale(name=lang)


class PackEntry(Model):
    """One document of a venue's event pack (see venues.yaml)."""

    layout: Slug
    level: Literal["standard", "falc"] = "standard"
    formats: list[str] | None = Field(None, min_length=1)
    questions: Literal["summary", "all", "each"] = "summary"
    venue_line: bool = False
    copies: Literal["one", "people"] = "one"
    falc: bool = False


class Venue(Model):
    """A kind of place where the kit is given out: its names, its poster line, its event pack."""

    id: Slug
    name: Text | None = None  # as people say it ("Café IA"), in messages
    aliases: list[Text] = []  # other names accepted in a spreadsheet's "type de lieu" column
    times: bool = False  # its events need a start and an end time (its documents print them)
    line: dict[str, Text]  # the line printed on its posters, per language
    pack: list[PackEntry] = Field(min_length=1)


class RecheckFact(Model):
    """A dated fact the texts rely on, to check again by a date (laws, hosting, addresses change)."""

    id: Slug
    fact: Text
    where: list[Text] = []  # the files and fields that say it
    checked: dt.date
    recheck_by: dt.date
    sources: list[Text] = Field(min_length=1)


class ReviewedAbsolute(Model):
    """A sentence that keeps an absolute word ('toujours', 'only'...) because it is exact, with why and a source."""

    id: Slug
    lang: str
    text: Text  # the sentence, or a part of it that names it without doubt
    word: Text
    reason: Text
    source: Text | None = None


class Review(Model):
    """review.yaml: what the content may link to, what to recheck and when, absolute words reviewed."""

    link_hosts: list[Text] = []  # hosts the content's links may lead to (kit.toml [check] adds more)
    story_hosts: list[Text] = []  # more hosts, for the sources of benefit stories only (the press, journals)
    facts_to_recheck: list[RecheckFact] = []
    reviewed_absolutes: list[ReviewedAbsolute] = []


class StorySource(Model):
    """A public page where a story's facts were read: who published it, when, and its address."""

    name: Text
    year: int | None = Field(None, ge=1900, le=2100)  # none only for an undated page
    url: Url | None = None  # none only for a source kit cannot link to over https (say it in a comment)


class StoryText(Model):
    title: Text
    story: Text  # 40 to 80 words, in our own words
    falc: list[FalcItem] = Field(min_length=1)  # the Easy-to-Read version: 3 to 5 sentences


class Story(Model):
    """A benefit story: a true, sourced case of what research on health data brought to patients and citizens."""

    id: Slug
    pictogram: Slug
    questions: list[Slug] = Field(min_length=1)  # the questions it illustrates
    sources: list[StorySource] = Field(min_length=1)
    translations: dict[str, StoryText]

    @property
    def source(self) -> StorySource:
        """The source named with the story: the first one with an address and a year (else the first)."""
        return next((s for s in self.sources if s.url and s.year), self.sources[0])


class StoriesFile(Model):
    stories: list[Story] = []


class VenuesFile(Model):
    venues: list[Venue] = Field(min_length=1)


class LocalesFile(Model):
    locales: dict[str, Locale] = {}


@dataclass
class KnowledgeBase:
    """The validated content: metadata, questions in reading order, shared blocks."""

    meta: Meta
    questions: list[Question]
    shared: Shared
    root: Path
    venues: list[Venue] = field(default_factory=list)
    locales: dict[str, Locale] = field(default_factory=dict)
    review: Review = field(default_factory=Review)
    stories: list[Story] = field(default_factory=list)
    sources: dict[str, YamlFile] = field(default_factory=dict)  # where each value came from (file, line)

    @property
    def languages(self) -> list[str]:
        """The complete languages (every text): the defaults of `kit build`."""
        return list(self.meta.languages)

    @property
    def partial_languages(self) -> list[str]:
        """Languages with part of the texts (a language listed as complete too is complete)."""
        return [lang for lang in self.meta.partial_languages if lang not in self.meta.languages]

    @property
    def all_languages(self) -> list[str]:
        return self.languages + self.partial_languages

    def is_partial(self, lang: str) -> bool:
        return lang in self.partial_languages

    def reviewers(self, lang: str) -> list[str]:
        """Who checked ``lang`` as native speakers (empty: nobody yet)."""
        review = self.meta.language_review.get(lang)
        return list(review.reviewed_by) if review else []

    def reviewed(self, lang: str) -> bool:
        return bool(self.reviewers(lang))

    @property
    def unreviewed_languages(self) -> list[str]:
        return [lang for lang in self.all_languages if not self.reviewed(lang)]

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    @property
    def summary_ids(self) -> list[str]:
        """The questions of the summary poster and the leaflets."""
        return [q.id for q in self.questions if q.in_summary]

    @property
    def story_ids(self) -> list[str]:
        return [story.id for story in self.stories]

    def story(self, story_id: str) -> Story:
        for story in self.stories:
            if story.id == story_id:
                return story
        raise KeyError(story_id)

    def stories_for(self, question_id: str) -> list[Story]:
        """The stories that illustrate a question, in the order of stories.yaml."""
        return [story for story in self.stories if question_id in story.questions]

    def stories_in(self, lang: str) -> list[Story]:
        """The stories told in a language (those written in it), in the order of stories.yaml."""
        return [story for story in self.stories if lang in story.translations]

    def story_questions(self, story: Story) -> list[str]:
        """The questions a story illustrates that the content has (a removed question is left out)."""
        return [qid for qid in story.questions if qid in self.question_ids]

    def locale(self, lang: str) -> Locale:
        """How ``lang`` is written (a plain record when locales.yaml has none for it)."""
        return self.locales.get(lang) or plain_locale(lang)

    @property
    def venue_ids(self) -> list[str]:
        return [venue.id for venue in self.venues]

    def venue(self, venue_id: str) -> Venue:
        for venue in self.venues:
            if venue.id == venue_id:
                return venue
        raise KeyError(venue_id)


# --- YAML with line numbers -------------------------------------------------------------------


def line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map each path of keys/indexes in a YAML document to its 1-based line number.

    Walked with a list rather than recursion, and each node once: a node reached again (an alias,
    which read_yaml refuses anyway) is not walked again, so the work stays proportional to the file.
    """
    if index is None:
        index = {}
    seen: set[int] = set()
    todo: list[tuple] = [("node", node, path)]
    while todo:
        task = todo.pop()
        if task[0] == "line":  # a mapping key's own line, set just before its value is walked
            index[task[1]] = task[2]
            continue
        _, node, path = task
        index.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                children.append(("line", path + (key,), key_node.start_mark.line + 1))
                children.append(("node", value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            children = [("node", item, path + (i,)) for i, item in enumerate(node.value)]
        todo.extend(reversed(children))  # depth first, in the file's order
    return index


@dataclass
class YamlFile:
    path: Path
    display: str
    data: Any
    lines: dict[tuple, int]

    def line_of(self, loc: tuple) -> int | None:
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc)

    def depth(self, loc: tuple) -> int:
        """How many leading parts of ``loc`` this file itself holds."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return len(loc) if loc in self.lines else -1

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        return self.display, self.line_of(loc)

    def problem(self, message: str, loc: tuple = (), *, rule: str, hint: str) -> Problem:
        dotted = ".".join(str(part) for part in loc) or None
        display, line = self.locate(loc)
        return Problem(message, display, line, dotted, rule=rule, hint=hint)


@dataclass
class Layered(YamlFile):
    """A user's file merged over a built-in one: problems point at the file that holds the value."""

    layers: list[YamlFile] = field(default_factory=list)  # lowest first
    # For lists merged by id: (list key, index in the merged list) -> index in each layer's own file.
    positions: list[dict[tuple, int]] = field(default_factory=list)

    def _local(self, k: int, loc: tuple) -> tuple | None:
        """``loc`` as layer ``k`` writes it (the same item of an id-merged list may sit elsewhere in its file)."""
        loc = tuple(loc)
        if len(loc) >= 2 and loc[:1] in BY_ID and isinstance(loc[1], int):
            index = self.positions[k].get(loc[:2])
            return None if index is None else (loc[0], index, *loc[2:])
        return loc

    def _layer(self, loc: tuple) -> tuple[YamlFile, tuple]:
        candidates = [(layer, self._local(k, loc)) for k, layer in enumerate(self.layers)]
        candidates = [(layer, local) for layer, local in candidates if local is not None] or [
            (self.layers[-1], ())
        ]
        # The file that holds the longest part of the path; ties: the user's file.
        return max(reversed(candidates), key=lambda pair: pair[0].depth(pair[1]))

    def line_of(self, loc: tuple) -> int | None:
        layer, local = self._layer(loc)
        return layer.line_of(local)

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        layer, local = self._layer(loc)
        return layer.display, layer.line_of(local)


BY_ID = (
    ("glossary",),
    ("venues",),
    ("facts_to_recheck",),
    ("reviewed_absolutes",),
    ("stories",),
)  # top-level lists merged item by item, by their `id`


def _positions(data, merged) -> dict[tuple, int]:
    """Where each item of the merged id-lists sits in one file's own lists."""
    found = {}
    for path in BY_ID:
        mine = data.get(path[0]) if isinstance(data, dict) else None
        theirs = merged.get(path[0]) if isinstance(merged, dict) else None
        if isinstance(mine, list) and isinstance(theirs, list):
            index = {item.get("id"): j for j, item in enumerate(mine) if isinstance(item, dict)}
            for i, item in enumerate(theirs):
                if isinstance(item, dict) and item.get("id") in index:
                    found[path + (i,)] = index[item["id"]]
    return found


def merge_data(base, over, path: tuple = ()):
    """Deep-merge YAML data: mappings key by key, glossary terms and venues by id, other lists replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = merge_data(base[key], value, path + (key,)) if key in base else value
        return merged
    if path in BY_ID and isinstance(base, list) and isinstance(over, list):
        merged = list(base)
        index = {item.get("id"): i for i, item in enumerate(merged) if isinstance(item, dict)}
        for item in over:
            key = item.get("id") if isinstance(item, dict) else None
            if key in index:
                merged[index[key]] = merge_data(merged[index[key]], item, path + (index[key],))
            else:
                merged.append(item)
        return merged
    return over


def layer(base: YamlFile | None, over: YamlFile | None) -> YamlFile | None:
    if base is None or over is None:
        return over or base
    merged = merge_data(base.data, over.data)
    return Layered(
        over.path,
        over.display,
        merged,
        {},
        [base, over],
        [_positions(base.data, merged), _positions(over.data, merged)],
    )


# Content files are small texts (the built-in ones are under 25 KB): these bounds leave room for
# far bigger ones while keeping a hostile file from taking the memory or the stack.
MAX_YAML_BYTES = 2_000_000  # bytes of one content file
MAX_YAML_DEPTH = 40  # groups and lists inside each other (the built-in files use 6)

_SHORTCUTS = (
    "content files do not accept the YAML shortcuts '&name' and '*name' (an anchor and an alias, "
    "which repeat one part of a file in another): write the text out in full where it is needed"
)


class _Refused(Exception):
    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else None


class _ContentLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases and nesting deeper than MAX_YAML_DEPTH as it reads."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"'*{event.anchor}': {_SHORTCUTS}", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise _Refused(f"'&{event.anchor}': {_SHORTCUTS}", event.start_mark)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(
                f"the text is nested more than {MAX_YAML_DEPTH} levels deep (lists or groups inside "
                "each other); content files need far fewer: check the indentation and the brackets",
                event.start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(path: Path, display: str, problems: list[Problem]) -> YamlFile | None:
    """Read one content file; on a problem, add it (naming ``display``) to ``problems`` and return None."""
    try:
        if path.is_dir():
            problems.append(
                Problem(
                    "this is a folder, not a content file: rename it or move it elsewhere",
                    display,
                    rule="schema",
                    hint=SCHEMA_HINT,
                )
            )
            return None
        if not path.is_file():  # a device or a pipe would never end
            problems.append(
                Problem(
                    "this is not an ordinary file: replace it with a text file",
                    display,
                    rule="schema",
                    hint=SCHEMA_HINT,
                )
            )
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        problems.append(
            Problem(f"cannot be read ({exc.strerror or exc})", display, rule="schema", hint=SCHEMA_HINT)
        )
        return None
    if len(raw) > MAX_YAML_BYTES:
        problems.append(
            Problem(
                f"this file is larger than {MAX_YAML_BYTES // 1_000_000} MB, the most kit reads for one content file "
                "(the built-in ones are under 25 KB): check that it is the right file",
                display,
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(
            Problem("not readable as UTF-8 text; save it as UTF-8", display, rule="schema", hint=SCHEMA_HINT)
        )
        return None
    try:
        loader = _ContentLoader(text)  # parsed once: the node tree gives lines, then the data
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as exc:
        problems.append(Problem(exc.message, display, exc.line, rule="schema", hint=SCHEMA_HINT))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        problems.append(
            Problem(
                f"YAML syntax error: {what} (check indentation and quotes)",
                display,
                line,
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"YAML syntax error: {exc}", display, rule="schema", hint=SCHEMA_HINT))
        return None
    if node is None:  # nothing but blank lines or comments: say so here, about this very file
        problems.append(
            Problem(
                "this file is empty (or holds only comments): write its 'key: value' lines, "
                "or delete the file",
                display,
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
        return None
    return YamlFile(path, display, data, line_index(node))


_FRIENDLY = {
    "missing": "this field is required but missing",
    "extra_forbidden": "unknown field: check its spelling (unknown fields are refused so that typos are not ignored)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a group of 'key: value' lines",
    "model_type": "must be a group of 'key: value' lines",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_type": "must be a date written as YYYY-MM-DD",
    "too_short": "must not be empty",
}


def _validation_problems(exc: ValidationError, source: YamlFile, prefix: tuple = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        # pydantic adds the validator's name to locations of Annotated validators; drop non-data parts.
        loc = tuple(part for part in loc if not (isinstance(part, str) and "[" in part))
        if err["type"] in VALIDATOR_RULES:  # raised by _rule_error: the type is the rule
            ctx = err["ctx"]
            problems.append(source.problem(ctx["message"], loc, rule=err["type"], hint=ctx["hint"]))
            continue
        message = _FRIENDLY.get(err["type"])
        if message is None:
            message = err["msg"].removeprefix("Value error, ")
        problems.append(source.problem(message, loc, rule="schema", hint=SCHEMA_HINT))
    return problems


def _validate(model: type[Model], source: YamlFile, problems: list[Problem]):
    if not isinstance(source.data, dict):
        problems.append(
            source.problem(
                "the file must contain 'key: value' lines at the top level", rule="schema", hint=SCHEMA_HINT
            )
        )
        return None
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, source))
        return None


def _display(path: Path, root: Path) -> str:
    """A file as the user named it: under the content folder they gave (or the built-in one)."""
    return str(path)


def _question_files(folder: Path) -> list[Path]:
    return sorted((folder / "questions").glob("*.yaml")) + sorted((folder / "questions").glob("*.yml"))


def _standalone(user_root: Path) -> bool:
    """Whether the user's kit.yaml says `builtin: false` (a complete knowledge base of its own)."""
    path = user_root / "kit.yaml"
    if not path.is_file():
        return False
    source = read_yaml(path, str(path), [])  # its problems are reported when it is read for good
    data = source.data if source is not None else None
    return isinstance(data, dict) and data.get("builtin") is False


@cache
def builtin_venues() -> list[Venue]:
    """The built-in venue types alone (for reading a spreadsheet without a whole knowledge base)."""
    from .resources import content_dir as builtin_content_dir

    problems: list[Problem] = []
    path = builtin_content_dir() / "venues.yaml"
    source = read_yaml(path, str(path), problems)
    venues = _validate(VenuesFile, source, problems) if source else None
    if venues is None:
        raise ContentError(f"kit's own {path} is broken; install kit again.", problems)
    return list(venues.venues)


def load_content(content_dir: str | Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base; raise one ContentError listing every problem.

    A user's ``content_dir`` is merged over the built-in content: a question file with a known id
    overrides the fields it gives, a new id adds a question, `shared.yaml` and `kit.yaml` override what
    they give (glossary terms by id). With `builtin: false` in its kit.yaml the folder stands alone.
    """
    from .resources import content_dir as builtin_content_dir
    from .resources import pictogram_path

    problems: list[Problem] = []
    user_root = Path(content_dir) if content_dir is not None else None
    if user_root is not None and not user_root.is_dir():
        raise ContentError(
            f"The content folder {user_root} does not exist (give a folder with kit.yaml, shared.yaml "
            f"or questions/)."
        )
    standalone = user_root is not None and _standalone(user_root)
    roots = [user_root] if standalone else [builtin_content_dir()] + ([user_root] if user_root else [])
    root = roots[-1]

    def read(name: str, required: bool = True) -> YamlFile | None:
        merged, found = None, False
        for folder in roots:
            path = folder / name
            if path.is_file():
                found = True
                source = read_yaml(path, _display(path, folder), problems)
                if source is None:  # unreadable: already reported
                    return None
                merged = layer(merged, source)
        if not found and required:
            problems.append(
                Problem(
                    f"file missing: every knowledge base needs {name}",
                    _display(root / name, root),
                    rule="schema",
                    hint=SCHEMA_HINT,
                )
            )
        return merged

    meta_file, shared_file = read("kit.yaml"), read("shared.yaml")
    venues_file, locales_file = read("venues.yaml"), read("locales.yaml", required=False)
    review_file = read("review.yaml", required=False)
    stories_file = read("stories.yaml", required=False)
    meta = _validate(Meta, meta_file, problems) if meta_file else None
    shared = _validate(Shared, shared_file, problems) if shared_file else None
    venues = _validate(VenuesFile, venues_file, problems) if venues_file else None
    locales = _validate(LocalesFile, locales_file, problems) if locales_file else LocalesFile()
    review = _validate(Review, review_file, problems) if review_file else Review()
    stories = _validate(StoriesFile, stories_file, problems) if stories_file else StoriesFile()

    # Questions by id: each folder's files, a later folder's file merged over an earlier one's.
    by_id: dict[str, YamlFile] = {}
    for folder in roots:
        seen_here: dict[str, str] = {}
        for path in _question_files(folder):
            source = read_yaml(path, _display(path, folder), problems)
            if source is None:
                continue
            data = source.data if isinstance(source.data, dict) else {}
            qid = str(data.get("id") or path.stem)
            if qid in seen_here:
                problems.append(
                    source.problem(
                        f"id '{qid}' is already used by {seen_here[qid]}",
                        ("id",),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
                continue
            seen_here[qid] = source.display
            by_id[qid] = layer(by_id.get(qid), source)
    if not by_id:
        problems.append(
            Problem(
                "no question files found (expected questions/<id>.yaml)",
                _display(root / "questions", root),
                rule="schema",
                hint=SCHEMA_HINT,
            )
        )
    questions: list[tuple[Question, YamlFile]] = []
    for source in by_id.values():
        question = _validate(Question, source, problems)
        if question is not None:
            questions.append((question, source))

    if meta is not None:
        langs = meta.languages
        partial = [lang for lang in meta.partial_languages if lang not in langs]
        every = langs + partial
        for key in ("languages", "partial_languages"):
            for lang in getattr(meta, key):
                if not LANG_RE.fullmatch(lang):
                    problems.append(
                        meta_file.problem(
                            f"'{lang}' is not a language code (use two letters, like fr or en)",
                            (key,),
                            rule="schema",
                            hint=SCHEMA_HINT,
                        )
                    )
        for lang in meta.language_review:
            if lang not in every:
                problems.append(
                    meta_file.problem(
                        f"language_review names '{lang}', which is neither in 'languages' nor in 'partial_languages'",
                        ("language_review", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
        for question, source in questions:
            for lang in every:
                if lang not in question.translations:
                    if (
                        lang in langs
                    ):  # a partial language may lack a question (kit check says so; documents skip it)
                        problems.append(
                            source.problem(
                                f"question '{question.id}' has no '{lang}' translation: every language listed in kit.yaml "
                                "must be complete",
                                ("translations", lang),
                                rule="consistency",
                                hint=COMPLETE_HINT,
                            )
                        )
                elif lang in langs:
                    text = question.translations[lang]
                    for name in COMPLETE_ONLY_FIELDS:
                        if getattr(text, name) is None:
                            problems.append(
                                source.problem(
                                    f"this field is required but missing: '{lang}' is a complete language (kit.yaml 'languages'); "
                                    f"only a partial language may leave out {', '.join(COMPLETE_ONLY_FIELDS)}",
                                    ("translations", lang, name),
                                    rule="schema",
                                    hint=COMPLETE_HINT,
                                )
                            )
            for lang in question.translations:
                if lang not in every:
                    problems.append(
                        source.problem(
                            f"language '{lang}' is not listed in kit.yaml 'languages' (nor in 'partial_languages')",
                            ("translations", lang),
                            rule="consistency",
                            hint=COMPLETE_HINT,
                        )
                    )
            for lang, text in question.translations.items():
                for i, item in enumerate(text.falc):
                    if not pictogram_path(item.picto).is_file():
                        problems.append(
                            source.problem(
                                f"pictogram '{item.picto}' does not exist in assets/pictograms",
                                ("translations", lang, "falc", i, "picto"),
                                rule="pictogram",
                                hint=PICTOGRAM_HINT,
                            )
                        )
            if not pictogram_path(question.pictogram).is_file():
                problems.append(
                    source.problem(
                        f"pictogram '{question.pictogram}' does not exist in assets/pictograms",
                        ("pictogram",),
                        rule="pictogram",
                        hint=PICTOGRAM_HINT,
                    )
                )
        if shared is not None:
            for block in COMPLETE_BLOCKS:
                present = getattr(shared, block)
                for lang in every:
                    if lang in partial and block not in PARTIAL_BLOCKS:
                        continue
                    if lang not in present:
                        kind = (
                            "every language listed in kit.yaml must be complete"
                            if lang in langs
                            else f"a partial language needs {', '.join(PARTIAL_BLOCKS)}"
                        )
                        problems.append(
                            shared_file.problem(
                                f"'{block}' has no '{lang}' version: {kind}",
                                (block, lang),
                                rule="consistency",
                                hint=COMPLETE_HINT,
                            )
                        )
            # A doorstep line naming no question (one a user removed) is only noted by kit check.
            for lang, act in shared.act.items():
                for i, item in enumerate(act.falc):
                    if not pictogram_path(item.picto).is_file():
                        problems.append(
                            shared_file.problem(
                                f"pictogram '{item.picto}' does not exist in assets/pictograms",
                                ("act", lang, "falc", i, "picto"),
                                rule="pictogram",
                                hint=PICTOGRAM_HINT,
                            )
                        )
            for lang, letter in shared.letter.items():
                for part in ("steps", "next"):
                    for i, item in enumerate(getattr(letter.falc, part)):
                        if not pictogram_path(item.picto).is_file():
                            problems.append(
                                shared_file.problem(
                                    f"pictogram '{item.picto}' does not exist in assets/pictograms",
                                    ("letter", lang, "falc", part, i, "picto"),
                                    rule="pictogram",
                                    hint=PICTOGRAM_HINT,
                                )
                            )
            for lang, pages in shared.falc.items():
                for part in ("intro", "end"):
                    for i, item in enumerate(getattr(pages, part)):
                        if not pictogram_path(item.picto).is_file():
                            problems.append(
                                shared_file.problem(
                                    f"pictogram '{item.picto}' does not exist in assets/pictograms",
                                    ("falc", lang, part, i, "picto"),
                                    rule="pictogram",
                                    hint=PICTOGRAM_HINT,
                                )
                            )
            for i, term in enumerate(shared.glossary):
                for lang in langs:
                    if lang not in term.translations:
                        problems.append(
                            shared_file.problem(
                                f"glossary term '{term.id}' has no '{lang}' explanation",
                                ("glossary", i, "translations", lang),
                                rule="consistency",
                                hint=COMPLETE_HINT,
                            )
                        )
        if venues is not None:
            problems += _venue_problems(venues.venues, venues_file, langs)
        if stories is not None and stories_file is not None:
            problems += _story_problems(stories.stories, stories_file, langs)
        if locales is not None:
            for code in locales.locales:
                if not LANG_RE.fullmatch(code):
                    problems.append(
                        locales_file.problem(
                            f"'{code}' is not a language code (use two letters, like fr or en)",
                            ("locales", code),
                            rule="schema",
                            hint=SCHEMA_HINT,
                        )
                    )

    if problems:
        raise ContentError(
            f"The knowledge base in {root} has {len(problems)} problem{'s' if len(problems) > 1 else ''}; nothing was built:",
            problems,
        )
    ordered = sorted(questions, key=lambda pair: (pair[0].order, pair[0].id))
    return KnowledgeBase(
        meta=meta,
        questions=[q for q, _ in ordered],
        shared=shared,
        root=root,
        venues=list(venues.venues),
        locales=dict(locales.locales),
        review=review,
        stories=list(stories.stories),
        sources={
            "kit.yaml": meta_file,
            "shared.yaml": shared_file,
            "venues.yaml": venues_file,
            **({"locales.yaml": locales_file} if locales_file else {}),
            **({"review.yaml": review_file} if review_file else {}),
            **({"stories.yaml": stories_file} if stories_file else {}),
            **{q.id: src for q, src in ordered},
        },
    )


def _story_problems(stories: list[Story], source: YamlFile, langs: list[str]) -> list[Problem]:
    """Each story once, with its pictograms. (A story that lacks a language of the content, or names a question the
    content does not have, is a `kit check` warning: it is told without them.)"""
    from .resources import pictogram_path

    problems, seen = [], set()
    for i, story in enumerate(stories):
        where = ("stories", i)
        if story.id in seen:
            problems.append(
                source.problem(
                    f"story '{story.id}' is listed twice",
                    where + ("id",),
                    rule="consistency",
                    hint=COMPLETE_HINT,
                )
            )
        seen.add(story.id)
        pictures = [(story.pictogram, where + ("pictogram",))]
        for lang, text in story.translations.items():
            pictures += [
                (item.picto, where + ("translations", lang, "falc", k, "picto"))
                for k, item in enumerate(text.falc)
            ]
        for picto, loc in pictures:
            if not pictogram_path(picto).is_file():
                problems.append(
                    source.problem(
                        f"pictogram '{picto}' does not exist in assets/pictograms",
                        loc,
                        rule="pictogram",
                        hint=PICTOGRAM_HINT,
                    )
                )
    return problems


def _venue_problems(venues: list[Venue], source: YamlFile, langs: list[str]) -> list[Problem]:
    """Each venue type once, with its poster line in every language of the content."""
    problems, seen = [], set()
    for i, venue in enumerate(venues):
        if venue.id in seen:
            problems.append(
                source.problem(
                    f"venue '{venue.id}' is listed twice",
                    ("venues", i, "id"),
                    rule="consistency",
                    hint=COMPLETE_HINT,
                )
            )
        seen.add(venue.id)
        for lang in langs:
            if lang not in venue.line:
                problems.append(
                    source.problem(
                        f"venue '{venue.id}' has no '{lang}' wording",
                        ("venues", i, "line", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
        for lang in venue.line:
            if lang not in langs:
                problems.append(
                    source.problem(
                        f"language '{lang}' is not listed in kit.yaml 'languages'",
                        ("venues", i, "line", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
    return problems
