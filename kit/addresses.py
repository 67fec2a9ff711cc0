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


# --- The online feedback form's address, with the event's code filled in -------------------------------------
# KoboToolbox, ODK Central and Ona show an XLSForm as a web form through Enketo (ODK Central also through ODK
# Web Forms), and those take the answer of a field in the address: `?d[/<root>/<field>]=<value>`, the field's
# full XPath path in the form's instance (Enketo API v2, parameter `defaults`: https://apidocs.enketo.org/v2 ;
# its maintainer on URLs of that form: https://github.com/enketo/enketo-express/issues/89 ; ODK Web Forms
# matching Enketo, `d[/data/foo]`: https://github.com/getodk/web-forms/issues/836 ; Ona's guide:
# https://help.ona.io/knowledge-base/how-do-i-prefill-form-fields-using-enketo-express/). The root is the XLSForm's
# settings `name`: kit's XLSForm names it FORM_ROOT. KoboToolbox may name the root after the project instead:
# then kit.toml gives the address as a template, `{event}` where the code goes (see docs/feedback.md).
EVENT_PLACEHOLDER = "{event}"
FORM_ROOT = "data"  # the root of the feedback form's instance (settings `name` of kit's XLSForm)
EVENT_CODE_MAX = 60  # the longest event code (kit.events.model.ID_MAX): what kit check keeps room for
_WEB_FORM_PATHS = ("/x/", "/-/", "/f/", "/_/", "/single/", "/::")  # Enketo's views; /-/ and /f/: ODK Central


def is_web_form(url: str) -> bool:
    """Whether ``url`` opens a web form of Enketo (KoboToolbox, Ona, a server of one's own) or ODK Central."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    first = host.split(".", 1)[0]
    return (
        first in ("ee", "enketo") or first.startswith("ee-") or "enketo" in host
    ) or parts.path.startswith(_WEB_FORM_PATHS)


def feedback_link(url: str, event: str | None, field: str = "event_code", root: str = FORM_ROOT) -> str:
    """What the feedback form's QR code carries: kit.toml's address with the event's code in it (its `{event}`
    filled, or the web form's field pre-filled); without an event, the address without the code. The address
    printed beside the code stays ``printed(url)``: the query string is never printed."""
    from urllib.parse import quote

    base, hash_mark, fragment = url.partition("#")
    tail = f"{hash_mark}{fragment}"
    if EVENT_PLACEHOLDER in url:
        if event:
            return url.replace(EVENT_PLACEHOLDER, quote(event, safe=""))
        path, _, query = base.partition("?")
        kept = "&".join(pair for pair in query.split("&") if pair and EVENT_PLACEHOLDER not in pair)
        return path + (f"?{kept}" if kept else "") + tail
    if not event or not is_web_form(url) or "d[" in base:
        return url
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}d[/{root}/{field}]={quote(event, safe='')}{tail}"


def feedback_reserve(url: str) -> int:
    """The characters the event's code may add to ``url`` in the QR code (kit check keeps room for them)."""
    return link_chars(feedback_link(url, "x" * EVENT_CODE_MAX)) - link_chars(feedback_link(url, None))


def link_chars(url: str) -> int:
    return len(url.encode("utf-8"))


def template_problem(url: str) -> str | None:
    """What is wrong with an address template: `{event}` belongs in the part after '?', never printed."""
    if EVENT_PLACEHOLDER not in url:
        return None
    if EVENT_PLACEHOLDER not in url.partition("#")[0].partition("?")[2]:
        return (
            "{event} must be in the part after '?' (as in https://forms.example.org/f?code={event}): the address "
            "before it is printed for people to type"
        )
    return None
