"""Contexts of the screen and message channels: social cards, the newsletter, text messages, the slides.

Each says what its document says and where its links lead (a page of the companion site when kit.toml gives
[site] base_url), and gives the manifest the alternative text of a picture and the text of a post."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from ..addresses import SitePages, feedback_link, printed
from ..content import Link
from ..fonts import text_em
from ..locales import typeset, with_colon
from ..readability import sentences
from .base import (
    Prepared,
    doc_info,
    event_details,
    ideas,
    picto,
    qr_block,
    qr_entry,
    qr_target,
    summary_link,
    title,
)

if TYPE_CHECKING:
    from ..content import Story
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec

FALC_IDEAS_BY_HEIGHT = ((1900, 4), (1300, 3), (0, 2))  # Easy-to-Read cards: ideas shown by the card's height
EMAIL_IMAGES = "newsletter-images"  # beside the newsletter's HTML: its pictures, to upload with it
EMAIL_IMAGE_PX = 96  # pictures are drawn at 48 CSS pixels: twice that for sharp screens


# --- where links lead ----------------------------------------------------------------------------


def featured_story(project: Project, lang: str) -> Story | None:
    """The story the newsletter and the slides tell: kit.toml [build] story, else the first of stories.yaml (of
    those told in the language)."""
    told = project.kb.stories_in(lang)
    chosen = project.config.data.build.story
    return next((story for story in told if story.id == chosen), told[0] if told else None)


def question_link(spec: DocSpec, project: Project, question_id: str) -> Link:
    """A question's page at the document's level: the site's when there is one (as its QR code would lead)."""
    text = project.kb.question(question_id).translations[spec.lang]
    return qr_target(spec, project, text.qr_link, question_id)


def stories_link(spec: DocSpec, project: Project, story: Story | None = None) -> Link:
    """The site's stories page (at the story, with ``story``); without a site, where the campaign's documents send
    their readers (the story's source is named beside it; its address is often too long to print)."""
    base = project.options.site_base
    words = project.kb.shared.channels[spec.lang]
    if base:
        path = SitePages(project.kb).stories(spec.lang)
        return Link(label=words.stories_title, url=base + path + (f"#{story.id}" if story else ""))
    return summary_link(spec, project)


def stories_more(spec: DocSpec, project: Project, link: Link, words: str) -> str:
    """What leads to a story's link: ``words`` for the site's stories page, else the link's own label."""
    return words if project.options.site_base else link.label


# The .eml's sender when kit.toml gives no [contact] email: the person who sends it sets their own.
DRAFT_SENDER = "newsletter@example.invalid"


def unsubscribe_link(spec: DocSpec, project: Project, subject: str) -> str:
    """The newsletter's unsubscribe address. The HTML for mailing tools carries the tool's placeholder (kit.toml
    [email] unsubscribe), which the tool replaces for each reader; the .eml, sent as it is from a mail program,
    a working one: an e-mail to the sender (kit.toml [contact] email) with the unsubscribe words as subject."""
    if spec.format == "html":
        return project.config.data.email.unsubscribe
    address = project.config.data.contact.email or DRAFT_SENDER
    return f"mailto:{address}?subject={quote(subject)}"


def home_link(spec: DocSpec, project: Project) -> Link:
    return summary_link(spec, project)


def _source_line(story: Story, short: bool = False) -> str:
    """The story's source as printed: its name (only its publisher, before ' : ', when ``short``) and year."""
    source = story.source
    name = source.name.split(" : ")[0].split(": ")[0] if short else source.name
    return f"{name} ({source.year})" if source.year else name


def _card(text) -> dict | None:
    """A story at a glance (its card and slide): the figure and what it counts, the sentence, and its words."""
    card = text.card
    if card is None:
        return None
    said = [part for part in (card.figure, card.unit, card.sentence) if part]
    return {"figure": card.figure, "unit": card.unit, "sentence": card.sentence, "said": " ".join(said)}


def _story(story: Story, lang: str, project: Project) -> dict:
    text = story.translations[lang]
    return {
        "id": story.id,
        "title": text.title,
        "story": text.story,
        "card": _card(text),
        "falc": ideas(text.falc, lang, project),
        "pictogram": picto(story.pictogram, lang, project),
        "source": _source_line(story),
        "publisher": _source_line(story, short=True),
    }


def _first_sentence(text: str) -> str:
    found = sentences(" ".join(text.split()))
    return found[0] if found else text


def _plain(text: str) -> str:
    """Words for alt texts and posts: one line, single spaces."""
    return " ".join(text.split())


def _post(paragraphs: list[str], hashtags: list[str]) -> str:
    parts = [_plain(p) for p in paragraphs if p]
    if hashtags:
        parts.append(" ".join(hashtags))
    return "\n\n".join(parts)


def _height(spec: DocSpec) -> int:
    from ..layouts import screen_px

    return screen_px(spec.format)[1]


def _box(spec: DocSpec, layout: Layout) -> dict:
    """A screen's size in CSS pixels and the bands at its top and bottom kept free of text."""
    from ..layouts import screen_px

    width, height = screen_px(spec.format)
    top, bottom = layout.screen.free_px.get(spec.format, (0, 0)) if layout.screen else (0, 0)
    return {
        "width": width,
        "height": height,
        "top": top,
        "bottom": bottom,
        "shape": "tall"
        if height >= 1.6 * width
        else "portrait"
        if height > width
        else "square"
        if height == width
        else "wide",
    }


# --- social cards ----------------------------------------------------------------------------------


def social_question(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """A card for one question: standard (the question and its hook) or Easy-to-Read (the question and its first
    ideas with their pictures, as many as the card's height holds); the short address of its page."""
    kb = project.kb
    question = kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    labels, words = kb.shared.labels[spec.lang], kb.shared.channels[spec.lang]
    easy = spec.level == "falc"
    name = title(spec, project, f"{text.question} – {labels.falc if easy else labels.campaign}")
    link = question_link(spec, project, question.id)
    address = printed(link.url)
    count = next(n for height, n in FALC_IDEAS_BY_HEIGHT if _height(spec) >= height)
    shown = ideas(text.falc[:count], spec.lang, project) if easy else []
    context = {
        "doc": doc_info(spec, project, name, text.hook),
        "labels": labels,
        "words": words,
        "text": text,
        "easy": easy,
        "ideas": shown,
        "pictogram": picto(question.pictogram, spec.lang, project),
        "address": address,
        "box": _box(spec, layout),
    }
    typography = project.locale(spec.lang).typography
    said = [labels.falc if easy else labels.campaign, text.question]
    if easy:
        said += [idea["text"] for idea in shown]
    else:
        said.append(text.hook)
    said.append(f"{words.more} {address}")
    lead = shown[0]["text"] if easy else _first_sentence(text.short)
    post = _post(
        [text.question if easy else text.hook, lead, f"{words.more} {address}"],
        project.config.data.social.hashtags_for(spec.lang),
    )
    manifest = {"alt": typeset(_plain(" ".join(said)), typography), "text": post, "links": [link.url]}
    return Prepared(context, name, [], manifest=manifest)


def social_story(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """A card for one benefit story: its title, its card (a figure very large, what it counts, one sentence; the
    post and the page behind the link tell the story), its source (its publisher), and the short address of the
    story on the stories page."""
    kb = project.kb
    story = kb.story(spec.story)
    labels, words = kb.shared.labels[spec.lang], kb.shared.channels[spec.lang]
    told = _story(story, spec.lang, project)
    name = title(spec, project, f"{told['title']} – {words.stories_title}")
    link = stories_link(spec, project, story)
    address = printed(link.url)
    more = stories_more(spec, project, link, words.read_story)
    context = {
        "doc": doc_info(spec, project, name, told["title"]),
        "labels": labels,
        "words": words,
        "story": told,
        "address": address,
        "box": _box(spec, layout),
        "more": more,
    }
    typography = project.locale(spec.lang).typography
    said = [
        *([words.story_label] if context["box"]["shape"] != "square" else []),
        told["title"],
        *([told["card"]["said"]] if told["card"] else []),
        f"{with_colon(words.source, typography)} {told['publisher']}",
        f"{with_colon(more, typography)} {address}",
    ]
    post = _post([told["title"], told["story"], said[-1]], project.config.data.social.hashtags_for(spec.lang))
    manifest = {"alt": typeset(_plain(" ".join(said)), typography), "text": post, "links": [link.url]}
    return Prepared(context, name, [], manifest=manifest)


# --- the newsletter and text messages --------------------------------------------------------------


def _email_image(spec: DocSpec, project: Project, picto_id: str) -> dict:
    """A pictogram of the newsletter: a related part of the .eml (cid:), a file beside the HTML alone."""
    cid = f"{picto_id}@kit"
    return {
        "name": picto_id,
        "alt": picto(picto_id, spec.lang, project)["alt"],
        "cid": cid,
        "file": f"{EMAIL_IMAGES}/{picto_id}.png",
        "src": f"cid:{cid}" if spec.format == "eml" else f"{EMAIL_IMAGES}/{picto_id}.png",
    }


def newsletter(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The newsletter: the questions with their hooks, one story, the rights, the contact, an unsubscribe link."""
    kb, options = project.kb, project.options
    labels, words = kb.shared.labels[spec.lang], kb.shared.channels[spec.lang]
    name = title(spec, project, words.newsletter_subject)
    found = []
    for question in (q for q in kb.questions if q.id in kb.summary_ids):
        text = question.translations[spec.lang]
        found.append(
            {
                "id": question.id,
                "text": text,
                "link": question_link(spec, project, question.id),
                "image": _email_image(spec, project, question.pictogram),
            }
        )
    story = featured_story(project, spec.lang)
    told = None
    if story is not None:
        told = _story(story, spec.lang, project)
        told["link"] = stories_link(spec, project, story)
        told["more"] = stories_more(spec, project, told["link"], words.read_stories)
        told["image"] = _email_image(spec, project, story.pictogram)
    home = home_link(spec, project)
    context_doc = doc_info(spec, project, name, words.newsletter_preheader)
    context = {
        "doc": context_doc,
        "labels": labels,
        "words": words,
        "questions": found,
        "story": told,
        "rights": kb.shared.rights[spec.lang],
        "home": home,
        "unsubscribe": unsubscribe_link(spec, project, words.unsubscribe),
        "contact": list(options.branding.contact),
        "organisation": context_doc["organisation"],
        "email": project.config.data.contact.email,
        "theme": options.theme.colours(),
    }
    images = [q["image"] for q in found] + ([told["image"]] if told else [])
    context["images"] = list({image["name"]: image for image in images}.values())
    links = [q["link"].url for q in found] + ([told["link"].url] if told else []) + [home.url]
    return Prepared(
        context, name, [], manifest={"links": list(dict.fromkeys(links)), "subject": words.newsletter_subject}
    )


def sms(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """A text message about one question: its text (``sms``, else the hook), then the short address of its page."""
    kb = project.kb
    question = kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    words = kb.shared.channels[spec.lang]
    link = question_link(spec, project, question.id)
    message = f"{_plain(text.sms or text.hook)} {words.sms_more} {printed(link.url)}"
    name = title(spec, project, f"{text.question} – SMS")
    context = {"doc": doc_info(spec, project, name, text.hook), "message": message}
    return Prepared(context, name, [], manifest={"links": [link.url]})


# --- slides ---------------------------------------------------------------------------------------


def deck(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The Café IA facilitator's deck: a title slide (the organisation; the event's place, date and time when built
    for one event of a pack), a slide per question with its discussion prompts, a story at a glance (its card and
    the QR code to its page), the rights, the site's QR code, and a closing slide with the feedback form's QR code
    (when there is one)."""
    kb, options = project.kb, project.options
    labels, words, events = (
        kb.shared.labels[spec.lang],
        kb.shared.channels[spec.lang],
        kb.shared.events[spec.lang],
    )
    summary = kb.shared.summary[spec.lang]
    name = title(spec, project, f"{events.cafe_title} – {labels.campaign}")
    size = layout.qr_mm(spec)
    found = [
        {
            "id": q.id,
            "text": q.translations[spec.lang],
            "pictogram": picto(q.pictogram, spec.lang, project),
            "address": printed(question_link(spec, project, q.id).url),
        }
        for q in kb.questions
        if q.id in kb.summary_ids
    ]
    story = featured_story(project, spec.lang)
    told = _story(story, spec.lang, project) if story else None
    if told is not None:  # the story slide says its card; the story and its sources are behind its QR code
        story_link = stories_link(spec, project, story)
        told["qr"] = qr_block(story_link, size, labels, spec, project)
        told["qr"]["printed"] = printed(story_link.url)
    site = qr_block(home_link(spec, project), size, labels, spec, project)
    site["printed"] = printed(home_link(spec, project).url)
    feedback = None
    feedback_url = None
    if options.feedback_url:
        # the event's code in the code, when the deck is an event's (see kit.addresses.feedback_link)
        feedback_url = feedback_link(options.feedback_url, spec.event.id if spec.event else None)
        feedback = qr_block(Link(label=events.feedback_title, url=feedback_url), size, labels, spec, project)
        feedback["address"] = feedback_link(options.feedback_url, None)
        feedback["printed"] = printed(options.feedback_url)
    # Slides in order: title, questions, story, rights, site, closing.
    story_page = 1 + len(found) + 1
    site_page = 1 + len(found) + (1 if told else 0) + 2
    closing_page = site_page + 1
    context = {
        "doc": doc_info(spec, project, name, summary.hook),
        # built for one event of a pack: its place, date and time on the title slide
        "event": event_details(spec.event, spec.lang, project) if spec.event else None,
        "event_px": None,
        "picture": picto("speech-balloon", spec.lang, project),
        "labels": labels,
        "words": words,
        "events": events,
        "summary": summary,
        "questions": found,
        "story": told,
        "rights": kb.shared.rights[spec.lang],
        "site": site,
        "feedback": feedback,
        "box": _box(spec, layout),
    }
    if context["event"]:
        context["event_px"] = event_panel_px(context["event"], events.free_entry)
    qr = (
        ([qr_entry(told["qr"], story_page)] if told else [])
        + [qr_entry(site, site_page)]
        + ([qr_entry(feedback, closing_page)] if feedback else [])
    )
    links = (
        ([told["qr"]["url"]] if told else [])
        + [home_link(spec, project).url]
        + ([feedback_url] if feedback else [])
    )
    return Prepared(context, name, qr, manifest={"links": links})


# The title slide's panel of the event's date, time and place (slides.css .when-where): its inner width and height.
EVENT_PANEL_PX = (620, 608)
LINE_HEIGHT = 1.15
# (how much larger than the panel's type, space above in em) of its date, time, venue name and each place line
EVENT_PANEL_LINES = {
    "date": (1.15, 0),
    "time": (1.05, 0.2),
    "venue_name": (1, 0.5),
    "place": (1, 0.15),
    "free_entry": (0.8, 0.5),
}


def _em(text: str) -> float:
    """How wide ``text`` is set in bold in kit's fonts, in em (their advance widths), erring 3 % wide."""
    return 1.03 * text_em(text, bold=True)


def _lines(text: str, width_em: float) -> int:
    """How many lines ``text`` takes in a column ``width_em`` wide, wrapped at whole words (a longer word is broken
    anywhere, as slides.css lets it)."""
    lines, used = 1, 0.0
    for word in (part for part in text.split(" ") if part):  # no-break spaces hold their words together
        need = _em(word) + (_em(" ") if used else 0)
        if used and used + need > width_em:
            lines, used, need = lines + 1, 0.0, _em(word)
        while need > width_em:
            lines, need = lines + 1, need - width_em
        used += need
    return lines


def event_panel_px(event: dict, free_entry: str, largest: int = 80, smallest: int = 24) -> int:
    """The largest type (px) that sets the event's date, time, place and free entry in the title slide's panel,
    each line's wrapping estimated from its letters' widths, at the panel's line height. A short address is set large; the
    longest the spreadsheet accepts (FIELD_LIMITS) still fits, in small print."""
    width, height = EVENT_PANEL_PX
    parts = [("date", event["date"]), ("time", event["time"]), ("venue_name", event["venue_name"])]
    parts += [("place", line) for line in event["place_lines"]] + [("free_entry", free_entry)]
    for size in range(largest, smallest - 1, -2):
        used = 0.0
        for kind, text in parts:
            if text:
                scale, above = EVENT_PANEL_LINES[kind]
                em = size * scale
                used += _lines(text, width / em) * LINE_HEIGHT * em + above * size
        if used <= height:
            return size
    return smallest


def _screen(spec, layout, project, name, subject, context, link: Link, said: list[str]) -> Prepared:
    labels = project.kb.shared.labels[spec.lang]
    block = qr_block(link, layout.qr_mm(spec), labels, spec, project)
    block["printed"] = printed(link.url)  # the clean address printed under the code (no #fragment)
    context = {
        "doc": doc_info(spec, project, name, subject),
        "labels": labels,
        "box": _box(spec, layout),
        "words": project.kb.shared.channels[spec.lang],
        "qr": block,
        **context,
    }
    # What the screen shows, as slides/macros.html `screen` takes it (the PNG and a page of the loop's video).
    context["screen"] = {key: context.get(key) for key in SCREEN_KEYS}
    said = said + [f"{context['words'].screen_scan} {printed(link.url)}"]
    manifest = {
        "alt": typeset(_plain(" ".join(said)), project.locale(spec.lang).typography),
        "links": [link.url],
    }
    return Prepared(context, name, [qr_entry(block)], manifest=manifest)


SCREEN_KEYS = ("doc", "box", "qr", "text", "pictogram", "story", "rights", "ideas", "summary")


def screen_home(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The waiting-room loop's first slide: the campaign, its hook, and the QR code to the site's home page."""
    summary = project.kb.shared.summary[spec.lang]
    name = title(spec, project, summary.title)
    return _screen(
        spec,
        layout,
        project,
        name,
        summary.hook,
        {"summary": summary},
        home_link(spec, project),
        [summary.title, summary.hook],
    )


def screen_question(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """One question, its hook, and the QR code to its answer."""
    question = project.kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    name = title(spec, project, text.question)
    return _screen(
        spec,
        layout,
        project,
        name,
        text.hook,
        {"text": text, "pictogram": picto(question.pictogram, spec.lang, project)},
        question_link(spec, project, question.id),
        [text.question, text.hook],
    )


def screen_story(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """One benefit story in Easy-to-Read sentences (readable from across the room), and the QR code to the stories."""
    story = project.kb.story(spec.story)
    told = _story(story, spec.lang, project)
    words = project.kb.shared.channels[spec.lang]
    name = title(spec, project, told["title"])
    return _screen(
        spec,
        layout,
        project,
        name,
        told["title"],
        {"story": told},
        stories_link(spec, project, story),
        [words.story_label, told["title"], *(i["text"] for i in told["falc"])],
    )


def screen_rights(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """Your rights, in the Easy-to-Read words of 'saying no in practice', and the QR code to the site."""
    kb = project.kb
    rights, act = kb.shared.rights[spec.lang], kb.shared.act[spec.lang]
    items = ideas(act.falc, spec.lang, project)
    name = title(spec, project, rights.title)
    link = home_link(spec, project)
    if project.options.site_base:  # the home page's rights and how to say no
        link = Link(label=link.label, url=f"{link.url}#rights")
    return _screen(
        spec,
        layout,
        project,
        name,
        rights.title,
        {"rights": rights, "ideas": items},
        link,
        [rights.title, *(i["text"] for i in items)],
    )


# The loop's screens in playing order: (the screen's context builder, what it is about).
LOOP = (("home", "summary"), ("question", "each"), ("story", "stories"), ("rights", "summary"))


def loop_subjects(project: Project, lang: str) -> list[tuple[str, tuple[str, ...], str | None]]:
    """Each screen of the waiting-room loop in playing order, as the kit makes its PNGs: (kind, questions,
    story) for the home screen, each question the language has, each story told in it, the rights."""
    kb = project.kb
    has = {q.id for q in kb.questions if lang in q.translations}
    found = []
    for kind, which in LOOP:
        if which == "each":
            found += [(kind, (qid,), None) for qid in kb.question_ids if qid in has]
        elif which == "stories":
            found += [(kind, tuple(kb.story_questions(story)), story.id) for story in kb.stories_in(lang)]
        else:
            found.append((kind, tuple(qid for qid in kb.summary_ids if qid in has), None))
    return found


def screen_loop(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The waiting-room loop as one document (a video): every screen of the loop, one page each, in playing order,
    each with the words it says (the video shows it long enough to read them)."""
    from dataclasses import replace

    builders = {
        "home": screen_home,
        "question": screen_question,
        "story": screen_story,
        "rights": screen_rights,
    }
    screens, qr, links = [], [], []
    for page, (kind, questions, story) in enumerate(loop_subjects(project, spec.lang), start=1):
        one = builders[kind](replace(spec, questions=questions, story=story), layout, project)
        words = one.manifest["alt"]
        screens.append({**one.context["screen"], "words": len(words.split()), "said": words})
        qr += [{**entry, "page": page} for entry in one.qr]
        links += one.manifest["links"]
    labels, words = project.kb.shared.labels[spec.lang], project.kb.shared.channels[spec.lang]
    name = title(spec, project, project.kb.shared.summary[spec.lang].title)
    context = {"doc": screens[0]["doc"], "labels": labels, "words": words, "screens": screens}
    context["doc"] = {**context["doc"], "title": name}
    return Prepared(context, name, qr, manifest={"links": list(dict.fromkeys(links))})


def stories_for_guide(spec: DocSpec, project: Project, question_ids: list[str]) -> dict[str, dict]:
    """One story per question for the facilitator guide: the first that illustrates it and no earlier question."""
    used, chosen = set(), {}
    for qid in question_ids:
        story = next(
            (s for s in project.kb.stories_for(qid) if s.id not in used and spec.lang in s.translations), None
        )
        if story is not None:
            used.add(story.id)
            chosen[qid] = _story(story, spec.lang, project)
    return chosen


__all__ = [
    "deck",
    "featured_story",
    "newsletter",
    "screen_home",
    "screen_question",
    "screen_rights",
    "screen_story",
    "screen_loop",
    "sms",
    "social_question",
    "social_story",
    "stories_for_guide",
    "stories_link",
]
