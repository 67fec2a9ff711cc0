"""The models of the content files: questions, kit.yaml, shared.yaml's blocks, locales, venues, review, stories."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..readability import words
from .fields import (
    HOOK_HINT,
    HOOK_MAX_WORDS,
    HeaderText,
    Link,
    Links,
    Model,
    RecordingPath,
    Slug,
    Text,
    Url,
    _rule_error,
    check_pattern,
)


class FalcItem(Model):
    text: Text
    picto: Slug


# The Easy-to-Read poster of a question holds this many of its ideas (its sentences at 24 pt on A4 with their
# pictures, the question at 40 pt and the QR code read from 1.5 m): those flagged `wall: true`, else the first.
FALC_POSTER_IDEAS = 3


class FalcIdea(FalcItem):
    """An Easy-to-Read idea of a question. `wall: true` puts it on the question's Easy-to-Read poster (at most
    FALC_POSTER_IDEAS of them, chosen for what a reader must know; the others are behind the QR code)."""

    wall: bool = False


class Misconception(Model):
    myth: Text
    fact: Text


class Recordings(Model):
    """A question's recorded audio in one language, per level: files in the content folder (paths from it), recorded
    by people the organisation chooses (kit makes no voice). The site's page offers it first, its text the
    transcript; `kit check` reads each file (a format phones play, its length)."""

    standard: RecordingPath | None = None  # the question's page (question, hook, short answer...)
    falc: RecordingPath | None = None  # its Easy-to-Read page

    def get(self, level: str) -> str | None:
        return self.falc if level == "falc" else self.standard


class QuestionText(Model):
    """A question in one language. A complete language gives every field; a partial one (kit.yaml
    `partial_languages`) gives the question, hook, short answer and Easy-to-Read sentences (PARTIAL_FIELDS)."""

    question: Text
    path: Slug | None = None  # its page on the companion site: <lang>/<path>/ (default: the question's id)
    hook: Text
    short: Text
    falc: list[FalcIdea] = Field(min_length=1)
    detail: Text | None = None
    sources: list[Text] | None = Field(None, min_length=1)
    benefit: Text | None = None
    # The question poster's text, made for the wall: two or three short sentences read from two metres (the full
    # answer is behind its QR code). Complete languages; `kit check` bounds it with the poster's other words.
    wall: Text | None = None
    links: Links | None = None
    sms: Text | None = (
        None  # the text message about this question (the site address is added); default: the hook
    )
    audio: Recordings | None = None  # recorded audio of its site pages, per level (any language, partial too)
    # Event packs: the advisor memo's two sentences, Café IA prompts, misconceptions and the facts.
    advisor: Text | None = None
    prompts: list[Text] | None = Field(None, min_length=1)
    misconceptions: list[Misconception] | None = Field(None, min_length=1)

    @field_validator("hook")
    @classmethod
    def _hook_length(cls, hook: str) -> str:  # a field's validator: the problem names the hook's own line
        n = len(words(hook))
        if n > HOOK_MAX_WORDS:
            raise _rule_error("length", f"hook: {n} words, at most {HOOK_MAX_WORDS} fit a poster", HOOK_HINT)
        return hook

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

    def wall_ideas(self, lang: str, reference: str) -> list[FalcIdea]:
        """The ideas its Easy-to-Read poster shows in ``lang``, in their order: those flagged `wall: true`; in a
        language that flags none (a translation), the ideas at the places the ``reference`` language flags (its
        ideas are kept in step: same ideas, same order); none flagged at all: the first FALC_POSTER_IDEAS."""
        ideas = self.translations[lang].falc
        places = [i for i, idea in enumerate(ideas) if idea.wall]
        source = self.translations.get(reference)
        if not places and source is not None:
            places = [i for i, idea in enumerate(source.falc) if idea.wall and i < len(ideas)]
        return [ideas[i] for i in places][:FALC_POSTER_IDEAS] or ideas[:FALC_POSTER_IDEAS]


class LanguageReview(Model):
    """Who checked a language's texts as native speakers (empty: nobody yet; its documents say so), and when.
    ``kit translate import`` fills both once every text of the language is reviewed (see TranslationRecord)."""

    reviewed_by: list[Text] = []
    reviewed_on: dt.date | None = None


class TextReview(Model):
    """One translated text's record: the French it was made from (a digest, see kit.content.units.source_digest),
    its review state, who reviewed it and when. A record whose digest is not the current French's is stale."""

    source: str = Field(pattern=r"^[0-9a-f]{12}$")
    # Not given: the language's state (reviewed when kit.yaml language_review names someone, else translated).
    state: Literal["translated", "reviewed", "final"] | None = None
    by: Text | None = None
    date: dt.date | None = None  # (not `on`: YAML 1.1 reads a bare `on` as true)


class TranslationRecord(Model):
    """translations/<lang>.yaml: the record of one language's texts, by unit id (``kit translate`` writes it)."""

    id: Slug  # the language code
    texts: dict[str, TextReview] = {}


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
    organisation: HeaderText = "kit – la seconde vie des données de santé"  # the newsletter's sender name too
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
    print_sheets: Text  # keep {sheets}, {per} and {pieces}: "30 sheets of 4, 120 in all"
    print_one_sheet: Text  # keep {per}: "1 sheet of 4"
    print_split: Text  # the row's people in each language: "People in each language"
    one_side: Text
    two_sides_short: Text
    two_sides_long: Text
    cut_marks: Text

    @model_validator(mode="after")
    def _placeholders(self) -> EventTexts:
        for name, needed in (
            ("print_sheets", ("{sheets}", "{per}", "{pieces}")),
            ("print_one_sheet", ("{per}",)),
        ):
            missing = [p for p in needed if p not in getattr(self, name)]
            if missing:
                raise ValueError(
                    f"{name}: keep the placeholders {' and '.join(missing)} in '{getattr(self, name)}'"
                )
        return self


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
    library: Slug = "print"  # the print library (kit site with [site] library): documents to download
    changes: Slug = "changes"  # the "what changed" page (changes.yaml)


class LibraryKind(Model):
    """One kind of document in the print library: its heading, and what it is for and where it goes."""

    name: Text
    use: Text


class SiteLibrary(Model):
    """The words of the site's print library (kit.library) in one language."""

    title: Text  # the page's title, and the link in every page's foot
    intro: Text
    home_link: Text  # the link from the language's home page
    download: Text  # the download link of each document
    paper: Text
    pages: Text
    sides: Text
    size: Text  # the file's size
    one_side: Text
    two_sides_long: Text
    two_sides_short: Text
    cut: Text  # a document printed several to a sheet
    kilobytes: Text  # the unit after a file's size, e.g. "Ko"
    zip: Text  # the link to every document of the language in one zip file
    preview: Text  # the alternative text of a first page's picture, before the document's title: "First page"
    letter_link: Text  # in "how to say no": the letters to download
    kinds: dict[str, LibraryKind]  # by layout name (Easy-to-Read ones: falc-<name>)
    # The other channels' files (kit.toml's [build] channels: social cards, newsletter, slides and video), in the
    # languages that have them: the download link of a file that is not a PDF, its size in pixels, the count of
    # slides, the video's length, the file's type.
    download_file: Text | None = None
    dimensions: Text | None = None
    slides: Text | None = None
    duration: Text | None = None
    file_type: Text | None = None


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
    library: SiteLibrary | None = (
        None  # the print library's words (without them, no library in this language)
    )
    # About page, each language's review by native speakers (optional: English words when a content lacks them).
    translations: Text | None = None  # the heading
    translation_checked: Text | None = None  # keep {names} and {date}
    translation_unchecked: Text | None = None
    # A question page's recording (content `audio`): the player's heading, and what the text below it is.
    listen: Text | None = None  # "Listen to this page" (English words when a content lacks them)
    transcript: Text | None = None  # "The text below says the same as the recording."
    # The page a web host shows for an address that does not exist (404.html).
    not_found: Text
    not_found_text: Text


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
    hanger_date: Text  # keep {date}: "we came by on {date}" (the row's date, else a line to write it by hand)
    hanger_who: Text  # keep {name}: the line where the mediator writes their first name by hand
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
        if "{name}" not in self.hanger_who:
            raise ValueError(f"hanger_who: keep the placeholder {{name}} in '{self.hanger_who}'")
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
    newsletter_subject: HeaderText
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


class StoryCard(Model):
    """A story told at a glance, on its phone card and its slide: one key figure with what it counts, and one short
    sentence (the story itself is behind the link). A story without a figure shows its sentence large."""

    figure: Text | None = (
        None  # "−93 %", "2,8 millions": a number the story and its sources give, never a new one
    )
    unit: Text | None = None  # what the figure counts, a few words under it ("d'opérations en moins")
    sentence: Text  # one short sentence: what research found or changed

    @model_validator(mode="after")
    def _unit_with_figure(self) -> StoryCard:
        if self.unit is not None and self.figure is None:
            raise _rule_error(
                "consistency",
                "card: a 'unit' without a 'figure'",
                "Give the figure the unit goes with, or leave both out (the card then shows its sentence).",
            )
        return self


class StoryText(Model):
    title: Text
    story: Text  # 40 to 80 words, in our own words
    falc: list[FalcItem] = Field(min_length=1)  # the Easy-to-Read version: 3 to 5 sentences
    card: StoryCard | None = (
        None  # its card and slide: a figure and a sentence (kit check warns when missing)
    )


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
