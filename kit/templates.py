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


def _localised(context, text: str) -> str:
    doc = context.get("doc")
    return french_spacing(text) if isinstance(doc, dict) and doc.get("lang") == "fr" else text


@pass_context
def whole_words(context, text: str) -> Markup:
    """Escape a text and keep hyphenated words whole ("A-t-on", "well-protected"): no line breaks inside."""
    text = _localised(context, text)
    return Markup(_COMPOUND.sub(lambda m: f'<span class="u">{m.group(0)}</span>', str(escape(text))))


@pass_context
def keyword(context, text: str) -> Markup:
    """Easy-to-Read text: words kept whole, and **word** in bold, the only emphasis allowed."""
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(whole_words(context, text))))


_FR_NARROW = re.compile(r"\s+([?!;»])")
_FR_COLON = re.compile(r"(?<=\S)\s+:(?=\s|$)")
_FR_GUILLEMET = re.compile(r"«\s+")


def french_spacing(text: str) -> str:
    """French typography: no-break spaces before ? ! ; : » and after «, so they never start a line."""
    text = _FR_NARROW.sub("\u00a0\\1", text)  # U+202F would be finer, but the shipped font lacks it
    text = _FR_COLON.sub("\u00a0:", text)
    return _FR_GUILLEMET.sub("«\u00a0", text)


@pass_context
def _finalize(context, value):
    """Applied to every printed value: French spacing in French documents (markup is left alone)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        doc = context.get("doc")
        if isinstance(doc, dict) and doc.get("lang") == "fr":
            return french_spacing(value)
    return value


@pass_context
def with_colon(context, label: str) -> str:
    """A label followed by a colon as the document's language writes it ("Sources :" in French, "Sources:" else)."""
    doc = context.get("doc")
    french = isinstance(doc, dict) and doc.get("lang") == "fr"
    return f"{label}\u00a0:" if french else f"{label}:"


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
        self.env.filters["whole_words"] = whole_words
        self.env.filters["colon"] = with_colon

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
