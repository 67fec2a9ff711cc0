"""The one door to WeasyPrint: kit's only importer of WeasyPrint (its public API and the internals kit reads) and
of pydyf, with the versions kit supports and the check that the installed one is among them.

kit reads more of WeasyPrint than its public API: the laid-out box tree (the fit checks, copyfit, the copies of
an invitation's flyers, QR slots), ``Page`` objects made from a page box, the URL fetcher, and pydyf's objects
when a PDF is written. Every such use is a function here, and `tests/test_weasy.py` checks each against the
installed WeasyPrint (the contract). The box tree is walked through `children`, which refuses a kind of box kit
does not know (a note or footnote area, a box class a later WeasyPrint adds): the fit checks then fail, naming
it, rather than pass over text they cannot see.

WeasyPrint is imported on first use, never when kit is imported (`kit --help` stays fast).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import SimpleNamespace

from .errors import FitError, KitError

# WeasyPrint's major versions kit is tested with, and what was checked of each (its box module changed by 134
# diff lines between 69 and 70). pyproject.toml's pin says the same (tests/test_weasy.py checks it).
SUPPORTED = {
    70: "box classes and attributes of the fit checks, Page from a page box, URLFetcher, drawing of pictures",
}

# The kinds of box kit knows how to read, by class name (exact classes: a subclass is another kind). Anything
# else in a laid-out tree stops the fit checks (UnknownBoxError). Left out on purpose: FootnoteAreaBox (kit's
# fit checks do not measure a page's footnote area; kit's layouts use no footnotes).
KNOWN_BOXES = frozenset(
    {
        "PageBox",
        "MarginBox",
        "BlockBox",
        "LineBox",
        "InlineBox",
        "InlineBlockBox",
        "TextBox",
        "BlockReplacedBox",
        "InlineReplacedBox",
        "TableBox",
        "InlineTableBox",
        "TableRowGroupBox",
        "TableRowBox",
        "TableColumnGroupBox",
        "TableColumnBox",
        "TableCellBox",
        "TableCaptionBox",
        "FlexBox",
        "InlineFlexBox",
        "GridBox",
        "InlineGridBox",
    }
)
PLACEHOLDER = "AbsolutePlaceholder"  # stands in the tree for an absolutely placed box (``_box``)


# --- the version installed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeasyCheck:
    """Whether the installed WeasyPrint is one kit supports: its version, and what to do when it is not."""

    ok: bool
    version: str | None
    message: str


def _install_hint() -> str:
    majors = sorted(SUPPORTED)
    spec = f"weasyprint>={majors[0]},<{majors[-1] + 1}"
    return f"install a version kit supports: pip install '{spec}' (or install kit again: ./dev kit)"


def check_weasyprint() -> WeasyCheck:
    """Is WeasyPrint installed, loadable (its system libraries, Pango) and of a version kit supports? For
    `kit doctor` and for a server that renders, at start."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("weasyprint")
    except PackageNotFoundError:
        return WeasyCheck(False, None, "not installed: " + _install_hint())
    try:
        major = int(installed.split(".")[0])
    except ValueError:
        major = None
    if major not in SUPPORTED:
        supported = ", ".join(str(m) for m in sorted(SUPPORTED))
        return WeasyCheck(
            False,
            installed,
            f"version {installed} is not one kit supports ({supported}): kit reads WeasyPrint's layout to "
            f"check that every text fits, and that changes between versions; {_install_hint()}",
        )
    try:
        _modules()
    except Exception as exc:  # missing Pango and the like
        return WeasyCheck(
            False,
            installed,
            f"version {installed} cannot be loaded ({exc}); on Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0",
        )
    return WeasyCheck(True, installed, f"version {installed} (supported)")


def require_weasyprint() -> str:
    """The installed WeasyPrint's version; KitError saying what to do when kit does not support it."""
    found = check_weasyprint()
    if not found.ok:
        raise KitError(f"WeasyPrint {found.message}.")
    return found.version


# --- WeasyPrint's modules, imported on first use -------------------------------------------------------------


@functools.cache
def _modules() -> SimpleNamespace:
    import pydyf
    import weasyprint
    from weasyprint.css.properties import INHERITED
    from weasyprint.document import Page
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    known = frozenset(getattr(boxes, name) for name in KNOWN_BOXES)
    return SimpleNamespace(
        weasyprint=weasyprint,
        pydyf=pydyf,
        boxes=boxes,
        Page=Page,
        AbsolutePlaceholder=AbsolutePlaceholder,
        FontConfiguration=FontConfiguration,
        URLFetcher=URLFetcher,
        FatalURLFetchingError=FatalURLFetchingError,
        INHERITED=INHERITED,
        known=known,
    )


def html(string: str, base_url: str, url_fetcher):
    return _modules().weasyprint.HTML(string=string, base_url=base_url, url_fetcher=url_fetcher)


def css(*, filename: str | None = None, string: str | None = None, url_fetcher, font_config):
    if filename is not None:
        return _modules().weasyprint.CSS(filename=filename, url_fetcher=url_fetcher, font_config=font_config)
    return _modules().weasyprint.CSS(string=string, url_fetcher=url_fetcher, font_config=font_config)


def font_configuration():
    return _modules().FontConfiguration()


def url_fetcher_class() -> type:
    """WeasyPrint's URLFetcher (kit's safe fetcher derives from it)."""
    return _modules().URLFetcher


def fatal_fetch_error() -> type:
    """The exception WeasyPrint raises (a BaseException) when a fetch fails with ``fail_on_errors``."""
    return _modules().FatalURLFetchingError


def box_types() -> SimpleNamespace:
    """WeasyPrint's box module: the classes kit tests boxes against (TextBox, ReplacedBox, BlockBox...)."""
    return _modules().boxes


def inherited_properties() -> frozenset:
    """The names of the CSS properties a box inherits (two copies are twins when these are the same)."""
    return _modules().INHERITED


# --- the box tree -------------------------------------------------------------------------------------------


class UnknownBoxError(FitError):
    """A laid-out tree holds a kind of box kit does not know: the fit checks cannot vouch for what is in it."""


def _unknown(box) -> UnknownBoxError:
    from importlib.metadata import version

    kind = type(box).__name__
    return UnknownBoxError(
        f"kit cannot check that the text fits: WeasyPrint {version('weasyprint')} laid part of the document "
        f"out as a {kind}, a kind of box kit does not read (a footnote or note area, or one a newer WeasyPrint "
        f"added). Remove what makes it from the layout (float: footnote, @note-area), or {_install_hint()}."
    )


def unwrap(box):
    """An absolutely placed box sits in the tree behind a placeholder: the box itself."""
    return box._box if type(box).__name__ == PLACEHOLDER else box


def children(box) -> list:
    """The boxes inside ``box`` (placeholders unwrapped), each of a kind kit knows; UnknownBoxError otherwise."""
    inside = getattr(box, "children", None)
    if not inside:
        return []
    known = _modules().known
    out = [getattr(child, "_box", child) for child in inside]  # an AbsolutePlaceholder's box
    for child in out:
        if type(child) not in known:
            raise _unknown(child)
    return out


def descendants(box):
    """Every box inside ``box``, in document order (a stack, not nested generators: trees are deep)."""
    stack = list(reversed(children(unwrap(box))))
    while stack:
        child = stack.pop()
        yield child
        inner = children(child)
        if inner:
            stack.extend(reversed(inner))


def page_box(page):
    """The root box of a laid-out page (``Page._page_box``)."""
    return page._page_box


def all_boxes(page):
    """A page's root box, then every box inside it."""
    root = page_box(page)
    yield root
    yield from descendants(root)


def new_page(box):
    """A Page made again from its (changed) page box: what WeasyPrint draws is read from the Page."""
    return _modules().Page(box)


def copy_box(box):
    """A laid-out box and everything in it, copied (placeholders of absolutely placed boxes too)."""
    m = _modules()
    if isinstance(box, m.AbsolutePlaceholder):
        copied = m.AbsolutePlaceholder(copy_box(box._box))
        object.__setattr__(copied, "_layout_done", box._layout_done)
        return copied
    copied = box.copy()
    if isinstance(box, m.boxes.ParentBox):
        copied.children = [copy_box(child) for child in box.children]
    if isinstance(box, m.boxes.TableBox):
        copied.column_groups = [copy_box(group) for group in box.column_groups]
        copied.column_positions = list(box.column_positions)
    return copied


def set_children(box, boxes: list) -> None:
    box.children = boxes


def column_groups(box) -> list:
    """A table's column groups (walked with its children where every box counts), each of a kind kit knows."""
    groups = [unwrap(group) for group in getattr(box, "column_groups", None) or ()]
    known = _modules().known
    for group in groups:
        if type(group) not in known:
            raise _unknown(group)
    return groups


# --- drawing ----------------------------------------------------------------------------------------------------


def replace_picture(box, make) -> None:
    """Draw the picture of a replaced box (``<img>``) with ``make(original)``: an object with the original's
    intrinsic size that WeasyPrint calls ``draw(stream, width, height, style)`` on."""
    box.replacement = make(box.replacement)


def is_picture(box) -> bool:
    return isinstance(box, _modules().boxes.ReplacedBox)


def draw_form(stream, body: bytes, size: int, width: float, height: float, compress: bool) -> None:
    """Draw ``body`` (PDF operators on a ``size`` x ``size`` grid) as one form scaled to ``width`` x ``height``:
    a plain form (no transparency group), its stream one item (nothing added between items), written
    uncompressed unless ``compress``."""
    form = stream.add_group(0, 0, size, size)
    del form.extra["Group"]
    if not compress:
        form.compress = False
    form.stream = [body]
    with stream.stacked():
        stream.transform(a=width / size, d=height / size)
        stream.draw_x_object(form.id)


def bleed_boxes_finisher(bleed_pt: float):
    """A finisher for ``write_pdf`` that sets each page's BleedBox to its TrimBox plus ``bleed_pt``."""
    pydyf = _modules().pydyf

    def finish(document, pdf):
        for page in pdf.objects:
            if isinstance(page, pydyf.Dictionary) and page.get("Type") == "/Page" and "TrimBox" in page:
                left, top, right, bottom = (float(v) for v in page["TrimBox"])
                page["BleedBox"] = pydyf.Array(
                    [left - bleed_pt, top - bleed_pt, right + bleed_pt, bottom + bleed_pt]
                )

    return finish


def weasyprint_version() -> str:
    return _modules().weasyprint.__version__
