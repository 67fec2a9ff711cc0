"""The Jinja2 environment: user layout folders first, then the built-in layouts, with a `!base/` prefix.

Templates are sandboxed (a layout shared by someone else is data, not a program): they print the document's
values and nothing else. They cannot reach Python objects (attributes starting with `_`, functions' globals),
change the values they are given, read files outside their folders, or take the machine's time and memory
(MAX_TEMPLATE_SECONDS, MAX_TEMPLATE_MEMORY, MAX_TEMPLATE_CHARS, MAX_TEMPLATE_VALUE).
"""

from __future__ import annotations

import re
import traceback
from contextlib import contextmanager
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from .errors import LayoutError
from .locales import french_spacing, typeset, with_colon  # noqa: F401  (french_spacing: public here too)
from .resources import layouts_dir


def paragraphs(text: str) -> list[str]:
    """Split a text on blank lines into paragraphs (each paragraph's line breaks become spaces)."""
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]


def _cut(piece: str, most: int) -> list[str]:
    """A piece of an address longer than ``most`` characters, cut after its dots and hyphens, then (a run without
    them) every ``most`` characters."""
    parts = []
    for run in re.findall(r"[^.\-]*[.\-]?", piece):
        parts.extend(run[i : i + most] for i in range(0, len(run), most))
    return [part for part in parts if part]


def breakable_url(url: str, most: int | None = None) -> Markup:
    """An address printed for people to type: without https://, wrapping only after a '/' (never at '-' or '.',
    which readers would take for hyphenation); each piece is kept whole. With ``most``, a piece longer than a
    line of ``most`` characters may also wrap after a dot or a hyphen (or, with none, anywhere): a narrow column
    (a screen's QR panel) then holds any address."""
    text = url.split("://", 1)[1] if url.startswith(("https://", "http://")) else url
    pieces = [piece for piece in re.findall(r"[^/]*/?", text) if piece]
    if most:
        pieces = [part for piece in pieces for part in (_cut(piece, most) if len(piece) > most else [piece])]
    return Markup("<wbr>").join(Markup('<span class="u">{}</span>').format(piece) for piece in pieces)


from .readability import sentences  # noqa: E402  (layouts split sentences exactly as kit check counts them)

# A hyphenated word, with the word a no-break space ties before it (no_widow's "sans rendez-vous"): WeasyPrint
# loses the line's other break opportunities when a no-break space stands just before a nowrap span.
_COMPOUND = re.compile(r"(?:\w+[\u00a0\u202f])?\w+(?:[-’']\w+)+")


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
        parts.append(whole_words(context, text[start : match.start()]))
        token = match.group(0)
        if match.group(1):
            local, _, domain = token.partition("@")
            parts.append(
                Markup('<span class="u">{}@</span><wbr><span class="u">{}</span>').format(local, domain)
            )
        else:
            parts.append(Markup('<span class="u">{}</span>').format(token))
        start = match.end()
    parts.append(whole_words(context, text[start:]))
    return Markup("").join(parts)


_LAST_GAP = re.compile(
    r" (?=\S*\w\S*(?:\s+[^\w\s]+)*\s*$)"
)  # the space before the last word (then punctuation only)


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


# --- The sandbox ----------------------------------------------------------------------------------

MAX_TEMPLATE_SECONDS = 20  # to fill one template (kit's own take a few milliseconds)
MAX_TEMPLATE_MEMORY = 1_000_000_000  # bytes of memory a template may take while it is filled (Linux)
MAX_TEMPLATE_CHARS = 20_000_000  # characters of HTML one template may write (kit's longest: about 16,000)
MAX_TEMPLATE_VALUE = 1_000_000  # characters or items of one value a template makes (say, 'x' * 1000)

_WIDTH_RE = re.compile(
    r"\d{7,}|\*"
)  # a width or precision of 1,000,000 or more (or given as an argument: '*')


class TemplateRefused(Exception):
    """A template asked for something kit does not allow (the message says what, in plain words)."""


class TemplateTimeout(BaseException):
    """Raised by the alarm when a template takes too long (a BaseException, so no code in between swallows it)."""


def _size(value) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class KitSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with bounds on the operators that make big values from small ones: `*` (repeat),
    `**` (power) and `%` (printf-style widths). Intercepted operators are also never computed when a template
    is compiled, so `{{ 9 ** 999999999 }}` cannot stall kit before it starts."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    _size(seq) is not None
                    and isinstance(times, int)
                    and len(seq) * times > MAX_TEMPLATE_VALUE
                ):
                    raise TemplateRefused(
                        f"a value repeated {times:,} times is too large (at most "
                        f"{MAX_TEMPLATE_VALUE:,} characters or items)"
                    )
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and abs(left) > 1
                and right * abs(left).bit_length() > 10_000
            ):
                raise TemplateRefused(f"the number {left} ** {right} is too large")
        elif operator == "%" and isinstance(left, str) and _WIDTH_RE.search(left):
            raise TemplateRefused("a '%' format with a width of a million or more characters is too large")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value):
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            import string

            for _, _, spec, _ in string.Formatter().parse(value.__self__):
                if spec and ("{" in spec or _WIDTH_RE.search(spec)):

                    def refuse(*args, **kwargs):
                        raise TemplateRefused(
                            "a .format() width of a million or more characters is too large"
                        )

                    return refuse
        return wrapper


class FolderLoader(FileSystemLoader):
    """A template folder whose files stay inside it: a link in it to a file elsewhere is refused."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        _inside_folder(Path(filename), [Path(p) for p in self.searchpath])
        return source, filename, uptodate


def _inside_folder(path: Path, folders: list[Path]) -> None:
    real = path.resolve()
    for folder in folders:
        root = folder.resolve()
        if real == root or root in real.parents:
            return
    raise TemplateRefused(
        f"{path} is a link to {real}, outside the layouts folder: kit reads layout files only "
        "inside their folder. Copy the file into the folder instead of linking to it"
    )


@contextmanager
def _bounded():
    """Fill a template within MAX_TEMPLATE_SECONDS and MAX_TEMPLATE_MEMORY (where the system allows it).

    Time: an alarm signal (Unix, main thread; kit renders there, in the command and in each pack worker).
    Memory: the address-space limit is raised only by the headroom a template may use, then put back.
    """
    import threading
    import time

    restore = []
    try:
        import resource
        import signal

        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

            def alarm(_signum, _frame):
                raise TemplateTimeout()

            previous = signal.signal(signal.SIGALRM, alarm)
            outer, _ = signal.setitimer(signal.ITIMER_REAL, MAX_TEMPLATE_SECONDS)  # an alarm set before: kept
            started = time.monotonic()

            def put_back():
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
                if outer:
                    signal.setitimer(signal.ITIMER_REAL, max(0.001, outer - (time.monotonic() - started)))

            restore.append(put_back)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        used = _address_space()
        if used is not None:
            limit = used + MAX_TEMPLATE_MEMORY
            if (soft == resource.RLIM_INFINITY or limit < soft) and (
                hard == resource.RLIM_INFINITY or limit <= hard
            ):
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
                restore.append(lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard)))
    except (ImportError, ValueError, OSError):  # no such limits here (Windows): the other bounds still hold
        pass
    try:
        yield
    finally:
        for undo in reversed(restore):
            undo()


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), or None."""
    import os

    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _where(exc: BaseException, fallback: str) -> str:
    """The template file and line an error was raised at (Jinja puts template lines in its tracebacks)."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name or fallback}, line {exc.lineno}"
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename and not frame.filename.endswith(".py") and not frame.filename.startswith("<")
    ]
    if frames:
        return f"{frames[-1].filename}, line {frames[-1].lineno}"
    return f"'{fallback}'"


class Layouts:
    """Find templates and stylesheets through an ordered search path (user folders, then built-in)."""

    def __init__(self, user_dirs: list[Path] | None = None):
        self.user_dirs = [Path(d) for d in (user_dirs or [])]
        for folder in self.user_dirs:
            if not folder.is_dir():
                raise LayoutError(f"The layouts folder {folder} does not exist.")
        self.builtin = layouts_dir()
        builtin_loader = FolderLoader(str(self.builtin))
        self.env = KitSandbox(
            loader=ChoiceLoader(
                [PrefixLoader({"!base": builtin_loader}, delimiter="/")]
                + [FolderLoader(str(d)) for d in self.user_dirs]
                + [builtin_loader]
            ),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
        )
        self.env.globals.pop("lipsum", None)  # placeholder text: no layout needs it, and it can be made huge
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
        """The file for a stylesheet or other layout file, first match on the search path (inside its folder)."""
        if name.startswith("!base/"):
            candidates = [(self.builtin, name.removeprefix("!base/"))]
        else:
            candidates = [(d, name) for d in self.search_path]
        for folder, relative in candidates:
            path = folder / relative
            if path.is_file():
                try:
                    _inside_folder(path, [folder])
                except TemplateRefused as exc:
                    raise LayoutError(f"Layout file '{name}': {exc}.") from None
                return path
        raise LayoutError(f"Layout file '{name}' not found in {', '.join(str(d) for d in self.search_path)}.")

    def source(self, template: str) -> str:
        """The file a template name stands for (the user's when it overrides kit's), for messages."""
        try:
            return self.env.get_template(template).filename or template
        except (TemplateError, TemplateRefused):
            return template

    def render(self, template: str, context: dict) -> str:
        """Fill ``template`` with ``context``: every problem is a LayoutError naming the template file and line."""
        try:
            with _bounded():
                return self._fill(template, context)
        except TemplateNotFound as exc:
            raise LayoutError(
                f"Template '{exc.name}' not found in {', '.join(str(d) for d in self.search_path)}."
            ) from exc
        except TemplateSyntaxError as exc:
            raise LayoutError(f"Template {_where(exc, template)}: {exc.message}") from exc
        except UndefinedError as exc:
            raise LayoutError(
                f"Template {_where(exc, template)} uses a value that does not exist: {exc.message}"
            ) from exc
        except SecurityError as exc:
            raise LayoutError(self._refused(exc, template, str(exc))) from exc
        except TemplateRefused as exc:
            raise LayoutError(f"Template {_where(exc, template)}: {exc}. Make it smaller.") from exc
        except TemplateTimeout as exc:
            raise LayoutError(
                f"Template {_where(exc, template)} took more than {MAX_TEMPLATE_SECONDS} seconds to fill "
                "(kit's own take a few milliseconds): look for loops inside loops."
            ) from exc
        except MemoryError as exc:
            raise LayoutError(
                f"Template {_where(exc, template)} needs more memory than kit allows a template "
                f"({MAX_TEMPLATE_MEMORY // 1_000_000:,} MB): look for values repeated or padded to a "
                "huge size."
            ) from None
        except RecursionError as exc:
            raise LayoutError(
                f"Template {_where(exc, template)}: a macro calls itself without end. Give it a "
                "condition that stops it."
            ) from None
        except TemplateError as exc:
            raise LayoutError(f"Template {_where(exc, template)} failed: {exc}") from exc
        except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
            raise LayoutError(f"Template {_where(exc, template)} failed: {exc}.") from exc

    def _fill(self, template: str, context: dict) -> str:
        """The rendered template, written piece by piece and cut off past MAX_TEMPLATE_CHARS."""
        pieces, total = [], 0
        for piece in self.env.get_template(template).generate(context):
            total += len(piece)
            if total > MAX_TEMPLATE_CHARS:
                raise TemplateRefused(f"it writes more than {MAX_TEMPLATE_CHARS:,} characters of HTML")
            pieces.append(piece)
        return "".join(pieces)

    @staticmethod
    def _refused(exc: BaseException, template: str, what: str) -> str:
        return (
            f"Template {_where(exc, template)} asks for something templates may not use ({what.rstrip('.')}): a "
            "template may print the document's values, never Python's own objects or attributes starting "
            "with '_'. Remove it."
        )
