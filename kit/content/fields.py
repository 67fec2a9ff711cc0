"""The building blocks of content models: checked text types, ids, https links, hidden characters, hints."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
HOOK_MAX_WORDS = 12

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
VALIDATOR_RULES = frozenset({"link-url", "link-https", "consistency", "length", "recording"})


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


def site_base(value: str) -> str:
    """A site's base address (kit.toml [site] base_url, --base-url): https://, a host and a folder, nothing else,
    since every page's address is the base followed by the page's path (fr/…/). ValueError naming what is not."""
    from posixpath import normpath
    from urllib.parse import unquote, urlsplit

    _https_url(value)
    parts = urlsplit(value)
    found = []
    if "?" in value:
        found.append(f"a query ('?{parts.query}'): the pages' paths would come after it, inside the query")
    if "#" in value:
        found.append(f"a fragment ('#{parts.fragment}'): every page's address would end at the base")
    if "@" in parts.netloc:
        found.append("a user name ('@' before the host)")
    segments = parts.path.split("/")[1:-1] if parts.path else []
    if any(unquote(segment) in (".", "..") for segment in parts.path.split("/")):
        found.append("dot segments ('.' or '..'): the address printed would not be the page's")
    elif "" in segments:
        found.append("an empty folder ('//')")
    if not found:
        return value
    path = normpath("/" + unquote(parts.path).strip("/")).lstrip("/")
    clean = f"https://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}/" + (
        f"{path}/" if path else ""
    )
    raise ValueError(
        f"'{value}' is not a site's base address: it has {' and '.join(found)}. The base is where the site's pages "
        f"start (https://, the host and a folder, nothing after); write it like {clean}"
    )


# --- What reaches an e-mail's headers and links ----------------------------------------------------------------
# One validation for every address and header text (kit.toml and the content alike), when they are loaded: the
# mail library is never handed a value it refuses (a bug, exit 70) or writes as a broken header.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_RE = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}")
EMAIL_EXAMPLE = "contact@exemple.fr"
# Mailing tools' merge tags for a reader's unsubscribe address: Mailchimp *|UNSUB|*, Brevo {{ unsubscribe }},
# Mailjet [[UNSUB_LINK_FR]], SendGrid <%asm_group_unsubscribe_raw_url%> or {{{unsubscribe}}}, Mautic
# {unsubscribe_url}, others $unsubscribe$ or %unsubscribe%.
MERGE_TAG_RE = re.compile(
    r"\*\|[\w. -]+\|\*|\{\{\{?\s*[\w.-]+\s*\}?\}\}|\[\[[\w.-]+\]\]|\{\$?[\w.-]+\}|<?%[\w.-]+%>?|\$[\w.-]+\$"
)


def header_text(value: str) -> str:
    """A text written in an e-mail's header (the sender's name, the subject): one line, no control character (a
    line break there would start another header); ValueError saying where."""
    for position, char in enumerate(value):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            name = unicodedata.name(char, "").lower() or "a control character"
            raise ValueError(
                f"'{show_hidden(value, [(position, f'U+{ord(char):04X}', name)], around=30)}' has a line break "
                f"or control character (U+{ord(char):04X}) at character {position + 1}: this text is written in "
                "an e-mail's header, where it must be one line. Write it on one line"
            )
    return value


def email_address(value: str) -> str:
    """One e-mail address, as the From header and mailto: links need it; ValueError saying what is wrong."""
    header_text(value)
    shown = value if len(value) <= 80 else value[:80] + "…"
    if re.search(r"[\s,;<>]", value):
        why = "it holds a space, a comma, a semicolon or < >: give one address only, without a name"
    elif value.count("@") != 1:
        why = f"an address has exactly one @ (this one has {value.count('@')})"
    elif not value.isascii():
        odd = "".join(dict.fromkeys(char for char in value if not char.isascii()))
        why = f"it has characters many mail servers refuse ({odd}): give an address in plain letters a-z"
    elif not EMAIL_RE.fullmatch(value):
        why = "it is not written as an address (a name, @, then a domain like exemple.fr)"
    else:
        return value
    raise ValueError(f"'{shown}' is not an e-mail address: {why}; write it like {EMAIL_EXAMPLE}")


def unsubscribe_address(value: str) -> str:
    """The newsletter's unsubscribe link: an https:// address, a mailto: address or a mailing tool's merge tag;
    anything else (a javascript: link...) would be an active link in every reader's mail."""
    if value.lower().startswith("https://"):
        return _https_url(value)
    if value.lower().startswith("mailto:"):
        address, _, query = value[len("mailto:") :].partition("?")
        email_address(address)
        if re.search(r"[\s\"'<>]", query) or hidden_characters(query):
            raise ValueError(
                f"'{value}': what follows '?' has spaces, quotes or < >; write them encoded (%20)"
            )
        return value
    if MERGE_TAG_RE.fullmatch(value):
        return value
    shown = value if len(value) <= 80 else value[:80] + "…"
    raise ValueError(
        f"'{shown}' is not an unsubscribe address kit can write as a link: give an https:// address, a mailto: "
        "address, or your mailing tool's merge tag (Mailchimp *|UNSUB|*, Brevo {{ unsubscribe }}, Mailjet "
        "[[UNSUB_LINK_FR]])"
    )


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


RECORDING_HINT = (
    "Put the recording in your content folder (for example audio/why-fr.mp3) and write its path from that folder, "
    "with / between folders."
)


def _recording_path(value: str) -> str:
    """A recorded audio file's path, relative to the content folder and inside it (kit check reads the file)."""
    _refuse_hidden(value, "a file's path is typed letters only; type it again.", "recording", RECORDING_HINT)
    parts = value.split("/")
    if (
        "\\" in value
        or ":" in value
        or value.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise _rule_error(
            "recording",
            f"'{value}' is not a path inside the content folder: write it from that folder (like audio/why-fr.mp3), "
            "without a drive, an address, a leading /, '..' or '\\'",
            RECORDING_HINT,
        )
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
RecordingPath = Annotated[str, AfterValidator(_not_blank), AfterValidator(_recording_path)]
Url = Annotated[str, AfterValidator(_https_url)]
SiteBase = Annotated[str, AfterValidator(site_base)]
HeaderText = Annotated[str, AfterValidator(_not_blank), AfterValidator(header_text)]
EmailAddress = Annotated[str, AfterValidator(_not_blank), AfterValidator(email_address)]
UnsubscribeAddress = Annotated[str, AfterValidator(_not_blank), AfterValidator(unsubscribe_address)]
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
