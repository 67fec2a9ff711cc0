"""The Jinja2 environment: user layout folders first, then the built-in layouts, with a `!base/` prefix."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    pass_context,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from markupsafe import Markup, escape

from .errors import LayoutError
from .locales import french_spacing, typeset, with_colon  # noqa: F401  (french_spacing: public here too)
from .resources import layouts_dir


def paragraphs(text: str) -> list[str]:
    """Split a text on blank lines into paragraphs (each paragraph's line breaks become spaces)."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


def breakable_url(url: str) -> Markup:
    """An URL printed so that it wraps only after / ? & = or before . and - (so no line ends in a hyphen)."""
    pieces = re.findall(r"[.-]?[^/.?&=-]*[/?&=]?", url)
    return Markup("<wbr>").join(
        Markup('<span class="u">{}</span>').format(piece) for piece in pieces if piece)


from .readability import sentences  # noqa: E402  (layouts split sentences exactly as kit check counts them)


_COMPOUND = re.compile(r"\w+(?:[-’']\w+)+")


def _typography(context) -> str:
    """The document's typography (``doc.typography``, from its language's locale record)."""
    doc = context.get("doc")
    return doc.get("typography", "plain") if isinstance(doc, dict) else "plain"


@pass_context
def whole_words(context, text: str) -> Markup:
    """Escape a text and keep hyphenated words whole ("A-t-on", "well-protected"): no line breaks inside."""
    text = typeset(text, _typography(context))
    return Markup(_COMPOUND.sub(lambda m: f'<span class="u">{m.group(0)}</span>', str(escape(text))))


_EMAIL = r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
_PHONE = r"\+?\(?\d[\d .()\u00a0\u202f-]{6,}\d"
_CONTACT_TOKEN = re.compile(f"({_EMAIL})|({_PHONE})")


@pass_context
def contact(context, text: str) -> Markup:
    """A contact or footer line: an e-mail address breaks only after its '@', a phone number and a hyphenated
    word ("rendez-vous") never; so no line starts with '-' or '.' of an address or ends like a hyphenated
    word that is not one."""
    text = typeset(text, _typography(context))
    parts, start = [], 0
    for match in _CONTACT_TOKEN.finditer(text):
        parts.append(whole_words(context, text[start:match.start()]))
        token = match.group(0)
        if match.group(1):
            local, _, domain = token.partition("@")
            parts.append(Markup('<span class="u">{}@</span><wbr><span class="u">{}</span>').format(local, domain))
        else:
            parts.append(Markup('<span class="u">{}</span>').format(token))
        start = match.end()
    parts.append(whole_words(context, text[start:]))
    return Markup("").join(parts)


_LAST_GAP = re.compile(r" (?=\S*\w\S*(?:\s+[^\w\s]+)*\s*$)")   # the space before the last word (then punctuation only)


def no_widow(text: str) -> str:
    """Join the last two words with a no-break space, so a sentence never ends with one word alone on its last
    line (Easy-to-Read texts); sentences of fewer than three words are left alone."""
    if len(text.split()) < 3:
        return text
    return _LAST_GAP.sub("\u00a0", text, count=1) if _LAST_GAP.search(text) else text


@pass_context
def keyword(context, text: str) -> Markup:
    """Easy-to-Read text: words kept whole, and **word** in bold, the only emphasis allowed."""
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(whole_words(context, text))))


@pass_context
def _finalize(context, value):
    """Applied to every printed value: the language's spacing rules (markup is left alone)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return typeset(value, _typography(context))
    return value


@pass_context
def colon(context, label: str) -> str:
    """A label followed by a colon as the document's language writes it ("Sources :" in French, "Sources:" else)."""
    return with_colon(label, _typography(context))


class Layouts:
    """Find templates and stylesheets through an ordered search path (user folders, then built-in)."""

    def __init__(self, user_dirs: list[Path] | None = None):
        self.user_dirs = [Path(d) for d in (user_dirs or [])]
        for folder in self.user_dirs:
            if not folder.is_dir():
                raise LayoutError(f"The layouts folder {folder} does not exist.")
        self.builtin = layouts_dir()
        builtin_loader = FileSystemLoader(str(self.builtin))
        self.env = Environment(
            loader=ChoiceLoader(
                [PrefixLoader({"!base": builtin_loader}, delimiter="/")]
                + [FileSystemLoader(str(d)) for d in self.user_dirs]
                + [builtin_loader]
            ),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
        )
        self.env.filters["paragraphs"] = paragraphs
        self.env.filters["url"] = breakable_url
        self.env.filters["sentences"] = sentences
        self.env.filters["keyword"] = keyword
        self.env.filters["no_widow"] = no_widow
        self.env.filters["contact"] = contact
        self.env.filters["whole_words"] = whole_words
        self.env.filters["colon"] = colon

    @property
    def search_path(self) -> list[Path]:
        return self.user_dirs + [self.builtin]

    def find(self, name: str) -> Path:
        """The file for a stylesheet or other layout file, first match on the search path."""
        if name.startswith("!base/"):
            candidates = [self.builtin / name.removeprefix("!base/")]
        else:
            candidates = [d / name for d in self.search_path]
        for path in candidates:
            if path.is_file():
                return path
        raise LayoutError(f"Layout file '{name}' not found in {', '.join(str(d) for d in self.search_path)}.")

    def render(self, template: str, context: dict) -> str:
        try:
            return self.env.get_template(template).render(context)
        except TemplateNotFound as exc:
            raise LayoutError(f"Template '{exc.name}' not found in {', '.join(str(d) for d in self.search_path)}.") from exc
        except TemplateSyntaxError as exc:
            raise LayoutError(f"Template {exc.filename or exc.name}, line {exc.lineno}: {exc.message}") from exc
        except UndefinedError as exc:
            raise LayoutError(f"Template '{template}' uses a value that does not exist: {exc.message}") from exc
        except TemplateError as exc:
            raise LayoutError(f"Template '{template}' failed: {exc}") from exc
