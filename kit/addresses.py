"""Addresses: the companion site's page of each question, language and level, what a QR code carries (with a
placement code when tracking) and what is printed beside it (the clean address, never a query string)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .content import KnowledgeBase

# Placement codes: URL-safe letters and digits, never printed (only in the QR code), long enough that
# collisions are rare; kit.placements gives them and resolves a collision by hashing again.
CODE_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODE_LENGTH = 6
CODE_PARAMETER = "p"


def normalise_base(url: str | None) -> str | None:
    """A base URL ending with one '/' (so that pages are base + 'fr/pourquoi/')."""
    return url.rstrip("/") + "/" if url else None


def printed(url: str) -> str:
    """An address as printed for people to type: no scheme, nothing after '?' or '#'."""
    return url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]


# The kinds of page the companion site has (each made by a layout declaring `html: {page: <kind>}`).
PAGE_KINDS = (
    "languages",
    "home",
    "question",
    "stories",
    "glossary",
    "about",
    "changes",
    "not_found",
    "library",
)


@dataclass(frozen=True)
class SitePage:
    """One page of the companion site: its kind, language, level, question and address (relative to the root)."""

    kind: str
    lang: str
    path: str
    level: str = "standard"
    question: str | None = None

    @property
    def file(self) -> str:
        """The file that serves the address (linked explicitly, so that the site also works from disk)."""
        return self.path if self.path.endswith(".html") else f"{self.path}index.html"


class SitePages:
    """The pages of the companion site, as paths relative to its root (they work under any base and from disk).

    The one source of the site's addresses: QR codes point to them and `kit site` publishes exactly these.
    """

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def _paths(self, lang: str):
        return self.kb.shared.site[lang].paths

    def question_path(self, question_id: str, lang: str) -> str:
        text = self.kb.question(question_id).translations[lang]
        return text.path or question_id

    def home(self, lang: str, level: str = "standard") -> str:
        return f"{lang}/" if level == "standard" else f"{lang}/{self._paths(lang).easy}/"

    def question(self, question_id: str, lang: str, level: str = "standard") -> str:
        """A question's page; in a partial language (no full answer), its Easy-to-Read page at either level."""
        if self.kb.is_partial(lang):
            level = "falc"
        return f"{self.home(lang, level)}{self.question_path(question_id, lang)}/"

    def glossary(self, lang: str) -> str:
        return f"{lang}/{self._paths(lang).glossary}/"

    def about(self, lang: str) -> str:
        return f"{lang}/{self._paths(lang).about}/"

    def stories(self, lang: str) -> str:
        """The benefit stories' page (each story is at its id: ``#<story id>``)."""
        return f"{lang}/{self._paths(lang).stories}/"

    def library(self, lang: str) -> str:
        """The print library (kit.library): the documents to download and print, in one language."""
        return f"{lang}/{self._paths(lang).library}/"

    def changes(self, lang: str) -> str:
        """The "what changed" page: the record of changes to the texts (changes.yaml), in ``lang``."""
        return f"{lang}/{self._paths(lang).changes}/"

    def has_changes(self, lang: str) -> bool:
        """Whether the record of changes says anything in ``lang`` (a partial language may have no words)."""
        record = self.kb.parts.get("changes")
        return bool(record and any(lang in entry.changes for entry in record.changes))

    def languages(self) -> str:
        """The site's root: a page to choose a language (for people who type the bare address)."""
        return ""

    def not_found(self, lang: str | None = None) -> str:
        """The page web hosts show for an address the site does not have (GitHub Pages, GitLab Pages, Netlify,
        Cloudflare Pages read 404.html at the site's root; Apache and nginx need one line: ErrorDocument, error_page)."""
        return "404.html"

    def every(self, langs: list[str] | None = None) -> list[SitePage]:
        """Every page of the site in reading order: the root, then per language the home page, the questions, the
        Easy-to-Read home and questions, the benefit stories (when the content has some in the language), the
        glossary and the about page; last, the page for addresses that do not exist."""
        langs = list(langs or self.kb.all_languages)
        found = [SitePage("languages", langs[0], self.languages())]
        for lang in langs:
            partial = self.kb.is_partial(lang)  # its questions have their Easy-to-Read pages only
            for level in ("standard", "falc"):
                found.append(SitePage("home", lang, self.home(lang, level), level))
                if partial and level == "standard":
                    continue
                found += [
                    SitePage("question", lang, self.question(qid, lang, level), level, qid)
                    for qid in self.kb.question_ids
                    if lang in self.kb.question(qid).translations
                ]
            if self.kb.stories_in(lang):
                found.append(SitePage("stories", lang, self.stories(lang)))
            found.append(SitePage("glossary", lang, self.glossary(lang)))
            found.append(SitePage("about", lang, self.about(lang)))
            if self.has_changes(lang):
                found.append(SitePage("changes", lang, self.changes(lang)))
        found.append(SitePage("not_found", langs[0], self.not_found()))
        return found


def with_placement(url: str, code: str | None) -> str:
    """The QR payload: the page's address with `?p=<code>` when a placement code is given."""
    if not code:
        return url
    base, _, fragment = url.partition("#")
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}{CODE_PARAMETER}={code}" + (f"#{fragment}" if fragment else "")
