"""Contexts of the companion site's pages: the language choice, home, question, Easy-to-Read home and question,
benefit stories, glossary and about pages.

Every link is relative, from the page's own address to the other page's `index.html` (named explicitly), so the site
works at a domain's root, under a sub-path and opened from disk. Pictograms, fonts and the stylesheet are the site's
own files (`assets/`): a page never loads anything from another host.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from ..addresses import SitePages
from ..locales import date_words, typeset
from ..pictograms import pictogram_alt
from ..version import __version__
from .base import Prepared, doc_info, title

if TYPE_CHECKING:
    from ..content import GlossaryTerm
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec

# Where the site's own files are, relative to its root (kit.site writes them there).
STYLESHEET = "assets/site.css"
PICTOGRAMS = "assets/pictograms/"
PICTOGRAM_LICENCE = "assets/pictograms/LICENSE-fluent-emoji.txt"
FONT_LICENCE = "assets/fonts/OFL-AtkinsonHyperlegible.txt"
DATA = "data/"
AUDIO = "assets/audio/"
# The player's words when a content's site block lacks them (content `site.<lang>.listen`, `transcript`).
LISTEN_WORDS = {
    "listen": "Listen to this page",
    "transcript": "The text below says the same as the recording.",
}
LETTERS_ID = "letter"  # the print library's section of the letters to say no (kit.library)


def logo_file(project: Project) -> str | None:
    """Where the site keeps the organisation's logo (kit.toml), if there is one."""
    logo = project.options.branding.logo
    return f"assets/logo{logo.suffix.lower()}" if logo else None


def data_file(lang: str) -> str:
    """The machine-readable export of the knowledge base in one language."""
    return f"{DATA}{lang}.json"


def recording_file(question_id: str, lang: str, level: str, suffix: str) -> str:
    """Where the site keeps a question page's recording: assets/audio/<lang>/<question>[-easy].<ending>."""
    easy = "-easy" if level == "falc" else ""
    return f"{AUDIO}{lang}/{question_id}{easy}{suffix.lower()}"


def recording_files(kb, langs) -> dict[str, tuple[Path, Path]]:
    """Every recording the site's pages in ``langs`` play: its place in the site -> (the content's file, the
    content folder its path is written from)."""
    found = {}
    for question in kb.questions:
        for lang in langs:
            if lang not in question.translations:
                continue
            for level in ("standard", "falc"):
                named = kb.recording(question.id, lang, level)
                if named is not None:
                    found[recording_file(question.id, lang, level, named[0].suffix)] = named
    return found


def href(here: str, target: str) -> str:
    """A relative link from the page at address ``here`` ("fr/securite/") to ``target``: another page's address
    (its index.html is named, so that links also work from disk) or a file of the site."""
    file = f"{target}index.html" if target == "" or target.endswith("/") else target
    folder = (
        here if not here or here.endswith("/") else posixpath.dirname(here)
    )  # a page that is a file: 404.html
    return posixpath.relpath(file, folder or ".")


def address(
    pages: SitePages, kind: str, lang: str, level: str = "standard", question: str | None = None
) -> str:
    """The address of a page of the site (kit.addresses.SitePages is the one source of them)."""
    if kind == "languages":
        return pages.languages()
    if kind == "question":
        return pages.question(question, lang, level)
    if kind == "home" or (kind == "stories" and not pages.kb.stories_in(lang)):
        return pages.home(lang, level)  # a language without stories (a partial one): its home page instead
    return getattr(pages, kind)(lang)


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case (É with E)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


class Page:
    """What every page of the site shares: where it is, its links, menus, language switch and foot."""

    def __init__(self, spec: DocSpec, layout: Layout, project: Project):
        self.spec, self.layout, self.project = spec, layout, project
        self.kb = project.kb
        self.lang = spec.lang
        self.pages = SitePages(project.kb)
        self.kind = layout.html.page
        self.question = spec.questions[0] if self.kind == "question" else None
        self.here = address(self.pages, self.kind, spec.lang, spec.level, self.question)
        self.words = self.kb.shared.site[spec.lang]
        self.labels = self.kb.shared.labels[spec.lang]
        self.locale = project.locale(spec.lang)
        self.langs = list(spec.site_langs or self.kb.languages)

    def link(self, target: str) -> str:
        return href(self.here, target)

    def has(self, lang: str) -> bool:
        """Whether this page exists in ``lang``: a question a language lacks (one a user added, not translated)
        has no page in it, and a language without stories has no stories page."""
        if self.kind == "question":
            return lang in self.kb.question(self.question).translations
        if self.kind == "library":
            return lang in self.project.options.site_library and self.kb.shared.site[lang].library is not None
        if self.kind == "changes":
            return self.pages.has_changes(lang)
        return self.kind != "stories" or bool(self.kb.stories_in(lang))

    def same_page(self, lang: str) -> str:
        """This page's address in ``lang``; where it has none there, that language's home at this level."""
        if not self.has(lang):
            return self.pages.home(lang, self.spec.level)
        return address(self.pages, self.kind, lang, self.spec.level, self.question)

    def picto(self, picto_id: str, decorative: bool = True) -> dict:
        """A pictogram of the site; beside a text that says the same, it is decorative (empty alternative text)."""
        return {
            "src": self.link(f"{PICTOGRAMS}{picto_id}.svg"),
            "alt": "" if decorative else pictogram_alt(picto_id, self.lang),
        }

    def text(self, value: str) -> str:
        """A text with its language's spacing rules (before it is cut in pieces for links)."""
        return typeset(value, self.locale.typography)

    def _nav(self) -> list[dict]:
        items = [
            (self.words.home, self.pages.home(self.lang)),
            (self.words.easy, self.pages.home(self.lang, "falc")),
            *(
                [(self.kb.shared.channels[self.lang].stories_title, self.pages.stories(self.lang))]
                if self.kb.stories_in(self.lang)
                else []
            ),
            (self.words.glossary, self.pages.glossary(self.lang)),
            (self.words.about, self.pages.about(self.lang)),
        ]
        return [
            {"label": label, "href": self.link(target), "current": target == self.here}
            for label, target in items
        ]

    def _switch(self) -> list[dict]:
        """The same page in each other language of the site, named in its own language."""
        if self.kind == "languages":
            return []
        return [
            {
                "lang": lang,
                "dir": self.project.locale(lang).dir,
                "name": self.project.locale(lang).name,
                "href": self.link(self.same_page(lang)),
            }
            for lang in self.langs
            if lang != self.lang
        ]

    def _twin(self) -> dict | None:
        """The link between a page and its Easy-to-Read twin (home and question pages have one; a question of a
        partial language has its Easy-to-Read page only)."""
        if self.kind not in ("home", "question") or (
            self.kind == "question" and self.kb.is_partial(self.lang)
        ):
            return None
        easy = self.spec.level == "falc"
        target = address(self.pages, self.kind, self.lang, "standard" if easy else "falc", self.question)
        return {
            "href": self.link(target),
            "label": self.words.to_standard if easy else self.words.to_easy,
            "easy": not easy,
        }

    def _contact(self) -> list[dict]:
        """The organisation's contact (kit.toml): a phone number and an e-mail address are links."""
        contact = self.project.config.data.contact
        found = []
        if contact.phone:
            found.append({"text": contact.phone, "href": "tel:" + re.sub(r"[^\d+]", "", contact.phone)})
        if contact.email:
            found.append({"text": contact.email, "href": f"mailto:{contact.email}"})
        for value in (contact.address, contact.hours):
            if value:
                found.append({"text": value, "href": None})
        return found

    def frame(self, page_title: str, subject: str) -> dict:
        """The template context every page starts from."""
        kb, options = self.kb, self.project.options
        name = self.labels.campaign
        easy = (
            f" – {self.words.easy}" if self.spec.level == "falc" else ""
        )  # tabs and screen readers tell the twins apart
        full = page_title + easy if page_title == name else f"{page_title}{easy} – {name}"
        doc = doc_info(self.spec, self.project, title(self.spec, self.project, full), subject)
        logo = logo_file(self.project)
        doc["org"] = {**doc["org"], "logo": self.link(logo) if logo else None}
        base = options.site_base
        alternates = []
        if self.kind != "languages":
            alternates = [
                {"lang": lang, "href": self.link(self.same_page(lang))}
                for lang in self.langs
                if self.has(lang)
            ]  # the same page, not a home page
        return {
            "doc": doc,
            "words": self.words,
            "labels": self.labels,
            "site": {
                "name": name,
                "kind": self.kind,
                "easy": self.spec.level == "falc",
                "stylesheet": self.link(STYLESHEET),
                "home": self.link(self.pages.home(self.lang)),
                "nav": self._nav() if self.kind != "languages" else [],
                "languages": self._switch(),
                "alternates": alternates,
                "canonical": f"{base}{self.here}" if base else None,
                "twin": self._twin(),
                "contact": self._contact(),
                "about": self.link(self.pages.about(self.lang)),
                "data": self.link(data_file(self.lang)),
                "library": self.library(),
                "updated": date_words(kb.meta.date, self.locale),
                "version": kb.meta.content_version,
            },
        }

    # --- pieces of several pages --------------------------------------------------------------------------

    def glossed(self, texts: list[str], linked: set[str]) -> list[list[dict]]:
        """Paragraphs cut in pieces: the first place each glossary term appears links to its explanation."""
        terms = self._terms()
        result = []
        for value in texts:
            for paragraph in _paragraphs(self.text(value)):
                pieces, start = [], 0
                if terms:
                    for match in terms["pattern"].finditer(paragraph):
                        term = terms["ids"][match.group(1).casefold()]
                        if term in linked:
                            continue
                        linked.add(term)
                        pieces.append({"text": paragraph[start : match.start()], "href": None})
                        pieces.append(
                            {
                                "text": match.group(0),
                                "href": self.link(f"{self.pages.glossary(self.lang)}") + f"#{term}",
                            }
                        )
                        start = match.end()
                pieces.append({"text": paragraph[start:], "href": None})
                result.append([piece for piece in pieces if piece["text"]])
        return result

    def _terms(self) -> dict | None:
        entries = {}
        for term in self.kb.shared.glossary:
            entry = term.translations.get(self.lang)
            if entry is not None:
                entries[entry.term.casefold()] = term.id
        if not entries:
            return None
        alternatives = "|".join(re.escape(word) for word in sorted(entries, key=len, reverse=True))
        return {"pattern": re.compile(rf"(?<!\w)({alternatives})s?(?!\w)", re.IGNORECASE), "ids": entries}

    def ideas(self, items, explained: set[str], count: int | None = None) -> list[dict]:
        """Easy-to-Read sentences with their pictures; a glossary word is explained right after the first sentence
        that uses it ({n} in a sentence: ``count``, how many questions the page lists)."""
        found = []
        for item in items:
            text = item.text.replace("{n}", str(count)) if count is not None else item.text
            found.append(
                {"text": text, "picto": self.picto(item.picto), "words": self.easy_words(text, explained)}
            )
        return found

    def easy_words(self, text: str, explained: set[str]) -> list[dict]:
        found = []
        for term in self.kb.shared.glossary:
            entry = term.translations.get(self.lang)
            if entry is None or term.id in explained:
                continue
            if re.search(r"(?<!\w)" + re.escape(entry.term) + r"s?(?!\w)", text, flags=re.IGNORECASE):
                explained.add(term.id)
                found.append({"id": term.id, "term": entry.term, "explanation": entry.easy})
        return found

    def recording(self, question_id: str, level: str) -> dict | None:
        """A question page's recording in this page's language at ``level`` (content `audio`), as the player
        needs it: its file in the site, its type, the heading and what the text is (the transcript)."""
        from ..check.recordings import MIME_TYPES

        named = self.kb.recording(question_id, self.lang, level)
        if named is None:
            return None
        suffix = named[0].suffix.lower()
        return {
            "src": self.link(recording_file(question_id, self.lang, level, suffix)),
            "type": MIME_TYPES.get(suffix, "audio/mpeg"),
            "listen": self.words.listen or LISTEN_WORDS["listen"],
            "transcript": self.words.transcript or LISTEN_WORDS["transcript"],
        }

    def questions(self, level: str = "standard") -> list[dict]:
        return [
            {
                "id": q.id,
                "href": self.link(self.pages.question(q.id, self.lang, level)),
                "question": q.translations[self.lang].question,
                "hook": q.translations[self.lang].hook,
                "picto": self.picto(q.pictogram),
                "recording": self.recording(q.id, level),
            }
            for q in self.kb.questions
            if self.lang in q.translations
        ]

    def rights(self) -> dict:
        """Your rights (shared `rights`) and how to say no in practice (shared `act`): steps, limits, contacts;
        with the print library, the letters to say no to download (kit.library)."""
        library = self.library()
        letters = library and self.lang in self.kb.languages  # the letter exists in complete languages only
        return {
            "title": self.words.rights,
            "points": self.kb.shared.rights[self.lang].points,
            "act": self.kb.shared.act[self.lang],
            "letters": {"href": library["href"] + f"#{LETTERS_ID}", "label": library["words"].letter_link}
            if letters
            else None,
        }

    def library(self) -> dict | None:
        """The print library of this page's language, when the site publishes one (kit.library): its link and
        words."""
        words = self.words.library
        if words is None or self.lang not in self.project.options.site_library:
            return None
        return {"href": self.link(self.pages.library(self.lang)), "words": words}


def _paragraphs(text: str) -> list[str]:
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


# --- the builders (kit.context.BUILDERS) ----------------------------------------------------------------------


def site_languages(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The site's root: each language, named in itself, with its home and Easy-to-Read home."""
    page = Page(spec, layout, project)
    kb = project.kb
    context = page.frame(page.words.choose_language, kb.shared.summary[spec.lang].hook)
    context["choices"] = [
        {
            "lang": lang,
            "dir": project.locale(lang).dir,
            "name": project.locale(lang).name,
            "choose": kb.shared.site[lang].choose_language,
            "title": kb.shared.summary[lang].title,
            "hook": kb.shared.summary[lang].hook,
            "href": page.link(page.pages.home(lang)),
            "easy": kb.shared.site[lang].easy,
            "easy_href": page.link(page.pages.home(lang, "falc")),
        }
        for lang in page.langs
    ]
    return Prepared(context, context["doc"]["title"], [])


def site_not_found(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """404.html: in every language of the site, that the page does not exist, with links to each home page and
    Easy-to-Read home. A host shows it at any address, at any depth: its links are full addresses when the site's
    is known (else relative to the site's root), and its look is inside it (no stylesheet to find)."""
    page = Page(spec, layout, project)
    kb, base = project.kb, project.options.site_base
    context = page.frame(kb.shared.site[spec.lang].not_found, kb.shared.summary[spec.lang].hook)

    def link(target: str) -> str:
        return f"{base}{target}" if base else page.link(target)

    context["choices"] = [
        {
            "lang": lang,
            "dir": project.locale(lang).dir,
            "name": project.locale(lang).name,
            "title": kb.shared.site[lang].not_found,
            "text": kb.shared.site[lang].not_found_text,
            "home": kb.shared.site[lang].home,
            "href": link(page.pages.home(lang)),
            "easy": kb.shared.site[lang].easy,
            "easy_href": link(page.pages.home(lang, "falc")),
        }
        for lang in page.langs
    ]
    context["theme"] = project.options.theme.colours()
    return Prepared(context, context["doc"]["title"], [])


def site_home(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """A language's home page: the summary, the questions with their hooks, the rights, where to get help."""
    page = Page(spec, layout, project)
    summary = project.kb.shared.summary[spec.lang]
    context = page.frame(summary.title, summary.hook)
    context.update(
        summary=summary,
        intro=page.glossed([summary.intro], set()),
        questions=page.questions(),
        rights=page.rights(),
    )
    return Prepared(context, context["doc"]["title"], [])


def site_question(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """A question's page: question, hook, short answer, the full answer with its sources, the example, links to
    official sites, your rights and how to say no, and the way to the previous and next questions."""
    page = Page(spec, layout, project)
    kb = project.kb
    question = kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    context = page.frame(text.question, text.hook)
    linked: set[str] = set()
    context.update(
        text=text,
        recording=page.recording(question.id, "standard"),
        pictogram=page.picto(question.pictogram),
        short=page.glossed([text.short], linked),
        detail=page.glossed([text.detail], linked),
        rights=page.rights(),
        **_neighbours(page, question.id, "standard"),
    )
    return Prepared(context, context["doc"]["title"], [])


def site_easy_home(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The Easy-to-Read home: what the pages are about, the questions, your rights in short sentences."""
    page = Page(spec, layout, project)
    falc = project.kb.shared.falc[spec.lang]
    context = page.frame(falc.title, falc.title)
    explained: set[str] = set()
    questions = page.questions("falc")
    context.update(
        title=falc.title,
        intro=page.ideas(falc.intro, explained, len(questions)),
        questions=questions,
        act=page.ideas(project.kb.shared.act[spec.lang].falc, explained),
        end=page.ideas(page.words.easy_end, explained),
    )
    return Prepared(context, context["doc"]["title"], [])


def site_easy_question(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """A question in Easy-to-Read: its sentences with their pictures, each hard word explained where it appears."""
    page = Page(spec, layout, project)
    question = project.kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    context = page.frame(text.question, text.question)
    explained: set[str] = set()
    context.update(
        text=text,
        recording=page.recording(question.id, "falc"),
        pictogram=page.picto(question.pictogram),
        title_words=page.easy_words(text.question, explained),
        ideas=page.ideas(text.falc, explained),
        rights=page.link(page.pages.home(spec.lang, "falc")) + "#rights",
        **_neighbours(page, question.id, "falc"),
    )
    return Prepared(context, context["doc"]["title"], [])


def site_stories(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The benefit stories: each at its own anchor (#<story id>, where the cards, slides and newsletter lead), with
    its Easy-to-Read version, its sources (linked) and the questions it illustrates."""
    page = Page(spec, layout, project)
    words = project.kb.shared.channels[spec.lang]
    context = page.frame(words.stories_title, words.stories_intro)
    stories = []
    for story in project.kb.stories_in(spec.lang):
        text = story.translations[spec.lang]
        stories.append(
            {
                "id": story.id,
                "title": text.title,
                "story": page.glossed([text.story], set()),
                "picto": page.picto(story.pictogram),
                "ideas": page.ideas(text.falc, set()),
                "sources": [
                    {"name": source.name, "year": source.year, "url": source.url} for source in story.sources
                ],
                "questions": [
                    {
                        "href": page.link(page.pages.question(qid, spec.lang)),
                        "question": project.kb.question(qid).translations[spec.lang].question,
                    }
                    for qid in project.kb.story_questions(story)
                    if spec.lang in project.kb.question(qid).translations
                ],
            }
        )
    context.update(stories_words=words, stories=stories)
    return Prepared(context, context["doc"]["title"], [])


def site_glossary(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """Every glossary term in alphabetical order, with its explanation and its Easy-to-Read one."""
    page = Page(spec, layout, project)
    terms: list[GlossaryTerm] = [t for t in project.kb.shared.glossary if spec.lang in t.translations]
    entries = sorted(
        (
            {
                "id": t.id,
                "term": t.translations[spec.lang].term,
                "explanation": t.translations[spec.lang].explanation,
                "easy": t.translations[spec.lang].falc,
            }
            for t in terms
        ),
        key=lambda e: _sort_key(e["term"]),
    )
    context = page.frame(page.words.glossary, page.words.glossary_intro)
    context.update(terms=entries)
    return Prepared(context, context["doc"]["title"], [])


def site_about(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """Who wrote and reviewed the texts, their version and date, who checked the Easy-to-Read text (or that nobody
    has yet), the visit (no cookies), reusing the texts, credits and licences."""
    page = Page(spec, layout, project)
    meta = project.kb.meta
    context = page.frame(page.words.about, page.words.about_intro)
    credits = [
        {
            "what": page.words.fonts,
            "name": "Atkinson Hyperlegible © Braille Institute",
            "licence": "SIL Open Font License 1.1",
            "href": page.link(FONT_LICENCE),
        },
        *(
            {"what": page.words.fonts, "name": credit, "licence": None, "href": None}
            for credit in page.locale.font_credits
        ),
        {
            "what": page.words.pictograms,
            "name": "Fluent Emoji © Microsoft",
            "licence": "MIT",
            "href": page.link(PICTOGRAM_LICENCE),
        },
        {"what": page.words.software, "name": f"kit {__version__}", "licence": "MIT", "href": None},
    ]
    context.update(
        written_by=context["doc"]["organisation"],
        reviewed_by=list(meta.reviewed_by),
        falc_checked_by=list(meta.falc_checked_by),
        credits=credits,
        org_credits=project.options.branding.credits,
        # The translation's review by native speakers (kit.yaml language_review), as the printed documents say it.
        translation_checked_by=project.kb.reviewers(spec.lang) if project.kb.reviewed(spec.lang) else [],
        translations=_translation_reviews(page),
        changes=_changes_link(page),
    )
    return Prepared(context, context["doc"]["title"], [])


def site_library(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The print library's page: its words and links; kit.library adds the documents (``documents``, ``zip``),
    which exist only once built."""
    page = Page(spec, layout, project)
    words = page.words.library
    context = page.frame(words.title, words.intro)
    context.update(library_words=words, documents=[], groups=[], zip=None)
    return Prepared(context, context["doc"]["title"], [])


def _changes_link(page: Page) -> dict | None:
    """The about page's link to the "what changed" page (when the record of changes has words in its language)."""
    record = page.kb.parts.get("changes")
    if record is None or not page.pages.has_changes(page.lang) or page.lang not in record.title:
        return None
    return {"href": page.link(page.pages.changes(page.lang)), "label": record.title[page.lang]}


# The about page's words for each language's review, when a content's site block lacks them.
REVIEW_WORDS = {
    "translations": "Translations",
    "translation_checked": "checked by {names} ({date})",
    "translation_unchecked": "not yet checked by a native speaker",
}


def _translation_reviews(page: Page) -> dict:
    """Each language of the site but French (the reference texts): who reviewed it and when, or that nobody has yet
    (the same test as the documents' "not yet checked" line: every text reviewed, none left stale)."""
    kb = page.kb
    words = {key: getattr(page.words, key) or default for key, default in REVIEW_WORDS.items()}
    rows = []
    for lang in page.spec.site_langs or kb.all_languages:
        if lang == "fr":
            continue
        if kb.reviewed(lang):
            day = kb.reviewed_on(lang)
            said = words["translation_checked"].replace("{names}", ", ".join(kb.reviewers(lang)))
            if day is None:  # reviewed before dates were kept: the words without "({date})"
                said = re.sub(r"\s*[(（]\{date\}[)）]", "", said)
            said = said.replace("{date}", date_words(day, page.locale) if day else "")
        else:
            said = words["translation_unchecked"]
        rows.append({"lang": lang, "name": kb.locale(lang).name, "review": said})
    return {"title": words["translations"], "rows": rows}


def _neighbours(page: Page, question_id: str, level: str) -> dict:
    """The previous and next questions (in reading order), and the page that lists them all."""
    ids = [qid for qid in page.kb.question_ids if page.lang in page.kb.question(qid).translations]
    index = ids.index(question_id)

    def item(qid):
        return {
            "href": page.link(page.pages.question(qid, page.lang, level)),
            "question": page.kb.question(qid).translations[page.lang].question,
        }

    return {
        "previous": item(ids[index - 1]) if index > 0 else None,
        "next": item(ids[index + 1]) if index + 1 < len(ids) else None,
        "all_questions": page.link(page.pages.home(page.lang, level)),
    }
