"""The HTML channel: a rendered site page as UTF-8 bytes, tidied and checked.

A page is refused (LayoutError naming it) when it would load anything from another host (a stylesheet, font,
picture, script or frame given by a full address), when its <html> has no `lang`, or when it has no <h1> or more than
one. What the page links to, the files it loads, its anchors and the characters of its text are returned, so that
the site can check that no link is broken and subset its fonts to what the pages use.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..errors import LayoutError
from .output import Channel, ChannelOutput

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project

# Attributes by which a page loads a file (as opposed to <a href>, which the reader follows).
_LOADS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
}
# <link rel=...> values that only name another address (never fetched by the browser).
_NAMES_ONLY = {"alternate", "canonical", "license", "author", "help", "next", "prev", "search", "bookmark"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


@dataclass
class Page(ChannelOutput):
    """What the HTML channel made of one page: its bytes (a ChannelOutput), and what it links to and loads."""

    links: list[str] = field(default_factory=list)  # site files the page links to (a: followed by readers)
    loads: list[str] = field(default_factory=list)  # site files the page loads (stylesheet, pictures)
    anchors: list[str] = field(default_factory=list)  # links into a page: "fr/lexique/index.html#cnil"
    ids: set[str] = field(default_factory=set)  # the page's own id attributes (targets of anchors)
    chars: set[str] = field(default_factory=set)  # characters of its text (what its fonts must draw)


def tidy(html: str) -> str:
    """No trailing spaces, no empty lines (templates leave some); one newline at the end."""
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip()) + "\n"


def _external(url: str) -> bool:
    """Whether loading ``url`` would ask another host (or the host's root, outside the site)."""
    url = url.strip()
    if url.startswith("data:"):
        return False
    return bool(urlsplit(url).scheme) or url.startswith(("//", "/"))


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.h1 = 0
        self.followed: list[str] = []
        self.loaded: list[str] = []
        self.foreign: list[str] = []
        self.ids: set[str] = set()
        self.chars: set[str] = set()
        self._hidden = 0  # inside <style>, <script>, <title> (text not drawn with the page's fonts)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "h1":
            self.h1 += 1
        if values.get("id"):
            self.ids.add(values["id"])
        if tag in ("style", "script", "title"):
            self._hidden += 1
        urls: list[str] = []
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if values.get("href") and not rels <= _NAMES_ONLY:
                urls.append(values["href"])
        for name in _LOADS.get(tag, ()):
            value = values.get(name)
            if value:
                urls += (
                    [part.split()[0] for part in value.split(",") if part.strip()]
                    if name == "srcset"
                    else [value]
                )
        urls += _CSS_URL.findall(values.get("style") or "")
        for url in urls:
            (self.foreign if _external(url) else self.loaded).append(url)
        if tag == "a" and values.get("href"):
            self.followed.append(values["href"])

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if self._hidden:
            self.foreign += [url for url in _CSS_URL.findall(data) if _external(url)]
        else:
            self.chars.update(data)


def _resolve(page_path: str, url: str) -> tuple[str, str]:
    """A relative URL of a page as a path from the site's root, and its fragment."""
    parts = urlsplit(url)
    target = unquote(parts.path)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target)) if target else page_path
    return path, parts.fragment


class HtmlChannel(Channel):
    """Writes the site's pages: tidied HTML, checked for what a page must have and must not load."""

    name = "html"

    def __init__(self, project: Project, reuse: bool = True):
        super().__init__(project, reuse)

    def make(self, doc: Planned, prepared: Prepared, html: str) -> Page:
        html = tidy(html)
        reader = _Reader()
        reader.feed(html)
        reader.close()
        where = f"The site page {doc.path} (layout {doc.layout.name}, {doc.layout.template})"
        if reader.foreign:
            raise LayoutError(
                f"{where} loads {', '.join(sorted(set(reader.foreign)))}: a page of the site may only "
                "load the site's own files (give a relative address and put the file in the site)."
            )
        if not reader.lang:
            raise LayoutError(f'{where} has no language: write <html lang="{{{{ doc.lang }}}}">.')
        if reader.h1 != 1:
            raise LayoutError(f"{where} has {reader.h1} <h1> headings: a page has exactly one (its title).")
        page = Page(html.encode("utf-8"), chars=reader.chars, ids=reader.ids)
        for url in reader.followed:
            if urlsplit(url).scheme or url.startswith("//"):
                continue  # another site (or mailto:, tel:): the reader leaves the site
            path, fragment = _resolve(doc.path, url)
            page.links.append(path)
            if fragment:
                page.anchors.append(f"{path}#{fragment}")
        page.loads = [_resolve(doc.path, url)[0] for url in reader.loaded if not url.startswith("data:")]
        return page
