"""Link rules: well-formed https addresses, no URL shorteners, labels in words; with ``online``, addresses that answer."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

from ..content import Link
from ..qr import link_length, max_link_chars
from .report import ERROR, WARNING, Collector, Source

URL_SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "goo.gl",
        "t.co",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "s.id",
        "rb.gy",
        "t.ly",
        "v.gd",
        "lnkd.in",
        "shorte.st",
        "adf.ly",
        "bl.ink",
        "short.io",
        "x.co",
        "qrco.de",
        "urlz.fr",
        "cli.re",
        "frama.link",
        "lstu.fr",
    }
)
ONLINE_TIMEOUT = 10

_HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _url_problem(url: str) -> tuple[str, str] | None:
    """(rule, message) when the address is not a well-formed https link."""
    if re.search(r"\s", url):
        return "link-url", "the address contains spaces"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return "link-url", f"the address is not well formed ({exc})"
    if parts.scheme.lower() != "https":
        return "link-https", f"'{parts.scheme or 'no'}' address: only https:// links are printed"
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    if "@" in parts.netloc:
        return "link-url", "the address contains a user name ('@' before the host)"
    if (
        len(labels) < 2
        or not all(_HOST_LABEL_RE.match(label) for label in labels)
        or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]+", labels[-1])
    ):
        return "link-url", f"'{host or '(none)'}' is not a valid host name"
    if port is not None and port != 443:
        return "link-url", f"the address uses port {port}: readers' networks may block it"
    return None


def _shortener(url: str) -> str | None:
    host = (urllib.parse.urlsplit(url).hostname or "").lower().removeprefix("www.")
    return host if host in URL_SHORTENERS else None


def check_qr_length(
    c: Collector, src: Source, loc: tuple, url: str, qr_mm: float, printed_on: str, **where
) -> None:
    """A QR link no longer than the smallest QR code that carries it can hold and still scan."""
    limit, length = max_link_chars(qr_mm), link_length(url)
    if length > limit:
        who = (
            f"question '{where['question']}'"
            if not str(where.get("question", "")).startswith("shared/")
            else f"the {where['question'].removeprefix('shared/')}"
        )
        c.add(
            ERROR,
            "qr-length",
            f"the QR code link of {who} ({where.get('lang')}) has {length:,} characters: {printed_on} print it in a QR "
            f"code {qr_mm:g} mm wide, which phones read reliably only up to {limit:,} characters.",
            "Link to a shorter address of the same page (leave out what follows '?' when the page opens without "
            "it), or to a page that leads to it.",
            src,
            loc,
            text=url,
            **where,
        )


def check_links(
    c: Collector,
    src: Source,
    base: tuple,
    links: list[Link],
    checked: list,
    qr: tuple[float, str] | None = None,
    **where,
) -> None:
    """The rules on a list of links; each address is added to ``checked`` for the online check. ``qr``: the
    size of the smallest QR code the link marked 'qr: true' is printed in, and which documents do. An item that
    is None (a source named without an address) is skipped; the others keep their place."""
    for i, link in enumerate(links):
        if link is None:
            continue
        url_loc, label_loc = base + (i, "url"), base + (i, "label")
        problem = _url_problem(link.url)
        if not problem and qr is not None and link.qr:
            check_qr_length(c, src, url_loc, link.url, *qr, **where)
        if problem:
            rule, message = problem
            c.add(
                ERROR,
                rule,
                f"{message}.",
                "Copy the full address from your browser; it must start with https://.",
                src,
                url_loc,
                text=link.url,
                **where,
            )
        elif _shortener(link.url):
            c.add(
                ERROR,
                "link-shortener",
                f"'{_shortener(link.url)}' is a URL shortener: readers cannot see where it leads, and it may stop working.",
                "Print the real address of the page (kit draws the QR code; a long address only makes it a little denser).",
                src,
                url_loc,
                text=link.url,
                **where,
            )
        label = link.label.strip()
        if not label or "://" in label or label.lower().startswith("www.") or label == link.url:
            c.add(
                WARNING,
                "link-label",
                "the link label is an address, not words: the address is printed anyway.",
                "Say in words where the link leads (for example 'CNIL: make a complaint').",
                src,
                label_loc,
                text=link.label,
                **where,
            )
        checked.append((link.url, src, url_loc, where))


def _urlopen(request: urllib.request.Request, timeout: float):
    """The opener used by ``online=True`` (tests replace it)."""
    return urllib.request.urlopen(request, timeout=timeout)


def _try_url(url: str) -> str | None:
    """None when the address answers, else why not."""
    reason = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": "kit-check (link checker)"}
        )
        try:
            with _urlopen(request, ONLINE_TIMEOUT) as response:
                status = getattr(response, "status", 200)
                if status < 400:
                    return None
                reason = f"HTTP {status}"
        except urllib.error.HTTPError as exc:
            reason = f"HTTP {exc.code} {exc.reason}"
        except urllib.error.URLError as exc:
            reason = f"cannot connect ({exc.reason})"
        except (TimeoutError, OSError, ValueError) as exc:
            reason = f"cannot connect ({exc})"
    return reason


def check_online(c: Collector, checked: list) -> None:
    """Each address once: an error for those that do not answer."""
    results: dict[str, str | None] = {}
    for url, src, loc, where in checked:
        if url not in results:
            results[url] = _try_url(url)
        if results[url]:
            c.add(
                ERROR,
                "link-online",
                f"the link does not answer: {results[url]}.",
                "Open the address in a browser; if the page moved, print its new address.",
                src,
                loc,
                text=url,
                **where,
            )
