"""The WeasyPrint stage: safe fetching, shared fonts and parsed CSS, fit checks, deterministic PDFs."""

from __future__ import annotations

import functools
import gc
import hashlib
import html as html_module
import logging
import math
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import FitError, LayoutError
from .templates import Layouts

log = logging.getLogger("kit")

# A tolerance for rounding, in CSS pixels (1px = 0.26 mm).
_EPSILON = 0.5
# The largest file a document may read (a picture, a font, a stylesheet); kit's largest font is under 1 MB.
MAX_FETCH_BYTES = 50_000_000


def harfbuzz_subset_available() -> bool:
    """Whether the system library libharfbuzz-subset can be loaded (fast font subsetting)."""
    import ctypes
    import ctypes.util

    for name in ("libharfbuzz-subset.so.0", ctypes.util.find_library("harfbuzz-subset")):
        if not name:
            continue
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            continue
    return False


HARFBUZZ_HINT = (
    "libharfbuzz-subset is missing: PDFs are built about 10 times slower. "
    "Install it with: sudo apt-get install libharfbuzz-subset0"
)


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class SafeFetcher(URLFetcher):
        """Serve data: URIs and regular files inside the allowed folders; refuse everything else."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True, timeout=1)
            self.roots = [root.resolve() for root in roots]

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path == root or root in path.parents for root in self.roots):
                    raise PermissionError(
                        f"{path} is outside kit's folders and the folders of your project: "
                        "put the file in your layouts folder"
                    )
                if not path.is_file():  # a folder, or a device or pipe that would never end
                    raise PermissionError(f"{path} is not a regular file")
                if path.stat().st_size > MAX_FETCH_BYTES:
                    raise PermissionError(
                        f"{path} is larger than {MAX_FETCH_BYTES // 1_000_000} MB: save a "
                        "smaller version of it"
                    )
            elif scheme != "data":
                raise PermissionError(f"{url}: kit never fetches from the network")
            return super().fetch(url, headers)

    return SafeFetcher


@dataclass
class Rendered:
    """A laid-out document, ready to be written."""

    document: object  # weasyprint.document.Document
    pages: int
    checks: dict = field(
        default_factory=dict, repr=False, compare=False
    )  # what the fit checks found (`_kept`)


class ImageCache(dict):
    """WeasyPrint's image cache, with a bound on pictures given inline (``data:`` addresses): a tracked pack draws
    a new QR code for every event, and keeping each one made a worker grow by about 0.4 MB per event. Files (the
    pictograms, logos) stay cached; the most recent ``DATA_LIMIT`` inline pictures too (black-and-white
    pictograms are inline)."""

    DATA_LIMIT = 64

    def __init__(self):
        super().__init__()
        self._inline: dict[str, None] = {}  # inline addresses, oldest first

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if isinstance(key, str) and key.startswith("data:"):
            self._inline.pop(key, None)
            self._inline[key] = None
            while len(self._inline) > self.DATA_LIMIT:
                oldest = next(iter(self._inline))
                del self._inline[oldest]
                self.pop(oldest, None)


class Renderer:
    """One WeasyPrint set-up reused across documents: fonts, parsed stylesheets, image cache."""

    def __init__(self, layouts: Layouts, extra_roots: list[Path] | None = None, reuse: bool = True):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        from .resources import assets_dir, layouts_dir, package_dir

        self._weasyprint = weasyprint
        self._FontConfiguration = FontConfiguration
        self.layouts = layouts
        self.reuse = reuse
        roots = [package_dir(), layouts_dir(), assets_dir(), *layouts.user_dirs, *(extra_roots or [])]
        self.fetcher = _fetcher_class()(roots)
        self.font_config = FontConfiguration()
        self._css: dict[str, object] = {}
        self.cache: dict = ImageCache()
        if not harfbuzz_subset_available():
            log.warning(HARFBUZZ_HINT)

    def allow(self, *paths: Path) -> None:
        """Let documents read these user-configured files or folders too."""
        for path in paths:
            resolved = Path(path).resolve()
            if resolved not in self.fetcher.roots:
                self.fetcher.roots.append(resolved)

    def stylesheet(self, name: str):
        if self.reuse and name in self._css:
            return self._css[name]
        path = self.layouts.find(name)
        css = self._weasyprint.CSS(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)
        if self.reuse:
            self._css[name] = css
        return css

    def string_stylesheet(self, css: str):
        if not css:
            return None
        key = "string:" + css
        if self.reuse and key in self._css:
            return self._css[key]
        sheet = self._weasyprint.CSS(string=css, url_fetcher=self.fetcher, font_config=self.font_config)
        if self.reuse:
            self._css[key] = sheet
        return sheet

    def render(
        self,
        html: str,
        stylesheets: list[str],
        *,
        extra_css: tuple[str, ...] = (),
        after_css: tuple[str, ...] = (),
        tagged: bool = False,
    ) -> Rendered:
        """Lay out ``html`` with ``extra_css`` (strings) first, the named layout stylesheets, then ``after_css``."""
        from weasyprint.urls import FatalURLFetchingError

        if not self.reuse:  # the naive way, for benchmarks: a fresh set-up per document
            self.font_config = self._FontConfiguration()
            self._css = {}
            self.cache = ImageCache()
        base_url = self.layouts.builtin.as_uri() + "/"
        try:
            sheets = (
                [self.string_stylesheet(css) for css in extra_css]
                + [self.stylesheet(name) for name in stylesheets]
                + [self.string_stylesheet(css) for css in after_css]
            )
            sheets = [s for s in sheets if s is not None]
            # Copies of one text (data-copy: an invitation's four flyers) are laid out once and copied into place;
            # a tagged PDF's structure tree needs each laid out.
            copied = not tagged and _COPY.search(html) is not None
            document = self._layout(emptied_copies(html) if copied else html, base_url, sheets, tagged)
            if copied and not fill_copies(document):
                log.debug("copies laid out one by one: their boxes could not be copied")
                document = self._layout(html, base_url, sheets, tagged)
        except FatalURLFetchingError as exc:
            raise _fetch_error(exc) from None
        return Rendered(document, len(document.pages))

    def _layout(self, html: str, base_url: str, sheets: list, tagged: bool):
        page = self._weasyprint.HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
        refuse_attachments(page.etree_element)
        with gc_paused():
            return page.render(
                font_config=self.font_config, stylesheets=sheets, cache=self.cache, pdf_tags=tagged
            )

    @staticmethod
    def write_pdf(
        rendered: Rendered,
        *,
        identifier: str,
        tagged: bool = False,
        variant: str | None = None,
        finisher=None,
    ) -> bytes:
        from weasyprint.urls import FatalURLFetchingError

        pdf_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
        try:
            with gc_paused():
                return rendered.document.write_pdf(
                    pdf_identifier=pdf_id, pdf_tags=tagged, pdf_variant=variant, finisher=finisher
                )
        except FatalURLFetchingError as exc:  # a BaseException: it must never leave kit as a traceback
            raise _fetch_error(exc) from None


@contextmanager
def gc_paused():
    """Python's cycle collector kept out of a layout: it would walk the whole box tree again and again (about a
    quarter of the work for a batch of pages). The cycles WeasyPrint leaves are collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fetch_error(exc: BaseException) -> LayoutError:
    cause = exc.__cause__ or exc
    return LayoutError(f"The layout asks for a file kit may not read: {cause}.")


def refuse_attachments(root) -> None:
    """No file is ever attached to a PDF (``<link rel="attachment">``, ``<a rel="attachment">``): a layout could
    carry any readable file out in a document that looks harmless."""
    for element in root.iter():
        rel = element.get("rel") if isinstance(element.tag, str) else None
        if rel and "attachment" in rel.lower().split():
            shown = f'<{element.tag} rel="{rel}" href="{element.get("href", "")}">'
            raise LayoutError(
                f"The layout asks to attach a file to the PDF ({shown}): kit never attaches files to "
                'its documents. Remove rel="attachment" from the template.'
            )


# --- fit checks ----------------------------------------------------------------------------------


def _unwrap(box):
    """Absolutely positioned boxes sit in the tree behind a placeholder: look at the box itself."""
    return getattr(box, "_box", box)


def _descendants(box):
    """Every box inside ``box``, in document order (a stack, not nested generators: trees are deep)."""
    stack = list(reversed(getattr(_unwrap(box), "children", None) or ()))
    while stack:
        child = _unwrap(stack.pop())
        yield child
        children = getattr(child, "children", None)
        if children:
            stack.extend(reversed(children))


def _kept(check):
    """A check's findings kept with the layout it looked at: a layout does not change once made, and the last
    copyfit try, check_fit and check_rooms all look at the same one."""

    @functools.wraps(check)
    def kept(rendered: Rendered, *args):
        key = (check.__name__, *args)
        if key not in rendered.checks:
            rendered.checks[key] = check(rendered, *args)
        return rendered.checks[key]

    return kept


def _all_boxes(page_box):
    yield page_box
    yield from _descendants(page_box)


def _is_leaf(box, boxes) -> bool:
    """Text, a picture, or a box that paints a picture as its background (marked ``data-ink``: decorative
    pictograms, which PDF/UA wants as artifacts rather than figures)."""
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
        return True
    element = getattr(box, "element", None)
    return (
        element is not None
        and element.get("data-ink") is not None
        and isinstance(box, boxes.BlockContainerBox)
        and getattr(box, "element_tag", None) == element.tag
        and not isinstance(box, boxes.LineBox)
    )


@dataclass(frozen=True)
class Overflow:
    """A box marked ``data-fit`` whose content overflows its own content area, or runs onto another page."""

    name: str
    page: int
    text: str
    by_mm: float
    shorten: str = ""


@_kept
def find_overflows(rendered: Rendered) -> list[Overflow]:
    """Every element marked ``data-fit="name"`` must hold all its text and images inside its box, on one page.

    ``data-shorten`` on the same element says what to shorten when it does not.
    """
    from weasyprint.formatting_structure import boxes

    found = []
    seen: dict[str, int] = {}
    for page_number, page in enumerate(rendered.document.pages, start=1):
        for box in _all_boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, boxes.BlockBox):
                continue
            name = element.get("data-fit")
            if not name:
                continue
            shorten = element.get("data-shorten") or ""
            leaves = [leaf for leaf in _descendants(box) if _is_leaf(leaf, boxes)]
            if name in seen and seen[name] != page_number:
                text = next((getattr(leaf, "text", "") for leaf in leaves if getattr(leaf, "text", "")), "")
                found.append(Overflow(name, seen[name], text.strip(), 0.0, shorten))
                continue
            seen.setdefault(name, page_number)
            left, top = box.content_box_x(), box.content_box_y()
            right, bottom = left + box.width, top + box.height
            worst, worst_text = 0.0, ""
            for leaf in leaves:
                excess = max(
                    leaf.position_y + leaf.margin_height() - bottom,
                    leaf.position_x + leaf.margin_width() - right,
                    left - leaf.position_x,
                    top - leaf.position_y,
                )
                if excess > worst + _EPSILON:
                    worst = excess
                    worst_text = getattr(leaf, "text", "") or "(a picture)"
            if worst > _EPSILON:
                found.append(Overflow(name, page_number, worst_text.strip(), worst * 25.4 / 96, shorten))
    return found


def _ink(leaf, boxes) -> tuple[float, float, float, float]:
    """The rectangle a leaf paints; a text box is trimmed top and bottom (line spacing is not ink)."""
    x, y, w, h = leaf.position_x, leaf.position_y, leaf.margin_width(), leaf.margin_height()
    if isinstance(leaf, boxes.TextBox):
        return (x + 0.5, y + h * 0.25, x + w - 0.5, y + h * 0.75)
    return (x + 0.5, y + 0.5, x + w - 0.5, y + h - 0.5)


@dataclass(frozen=True)
class Collision:
    """Two things printed over each other, with the area (``data-fit``) each belongs to."""

    page: int
    first: str
    second: str
    areas: tuple[str, ...]
    shorten: str = ""


def _leaves_with_areas(box, area=("", "")):
    """Every text and picture leaf of a box tree, with the nearest enclosing ``data-fit`` area."""
    from weasyprint.formatting_structure import boxes

    stack = [(box, area)]
    while stack:
        box, area = stack.pop()
        box = _unwrap(box)
        element = getattr(box, "element", None)
        if element is not None and isinstance(box, boxes.BlockBox) and element.get("data-fit"):
            area = (element.get("data-fit"), element.get("data-shorten") or "")
        if isinstance(box, boxes.TextBox):
            if box.text.strip():
                yield box, area
        elif _is_leaf(box, boxes):
            yield box, area
        stack.extend((child, area) for child in reversed(getattr(box, "children", None) or ()))


@_kept
def find_collisions(rendered: Rendered) -> list[Collision]:
    """Text or pictures painted over other text or pictures (say, a footer pushed up over a QR code)."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page_number, page in enumerate(rendered.document.pages, start=1):
        rects = sorted(
            ((_ink(leaf, boxes), leaf, area) for leaf, area in _leaves_with_areas(page._page_box)),
            key=lambda item: item[0][1],
        )
        for i, (a, leaf_a, area_a) in enumerate(rects):
            for b, leaf_b, area_b in rects[i + 1 :]:
                if b[1] >= a[3]:
                    break
                if b[0] < a[2] and a[0] < b[2] and b[1] < a[3] and a[1] < b[3]:
                    name = lambda leaf: getattr(leaf, "text", "").strip() or "(a picture)"  # noqa: E731
                    areas = tuple(dict.fromkeys(x for x in (area_a[0], area_b[0]) if x))
                    found.append(
                        Collision(page_number, name(leaf_a), name(leaf_b), areas, area_a[1] or area_b[1])
                    )
    return found


def _element_text(element) -> str:
    """The text an HTML element holds, as written (style and script excluded), its white space collapsed."""
    parts = []

    def walk(node):
        if node.tag in ("style", "script", "head", "title"):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


@_kept
def find_missing_text(rendered: Rendered) -> list[tuple[str, str, str]]:
    """Text that WeasyPrint laid out nowhere (it silently drops what runs past the foot of a page from an
    absolutely placed box): for the whole body and for each ``data-fit`` area, the laid-out characters must
    be at least as many as the HTML holds."""
    from weasyprint.formatting_structure import boxes

    laid_out: dict[int, list[str]] = {}
    elements: dict[int, tuple[object, str, str]] = {}

    def walk(box, owners):
        box = _unwrap(box)
        element = getattr(box, "element", None)
        if element is not None and isinstance(box, boxes.BlockBox):
            # A whole document is the body, or (in a batch laid out at once) each element marked data-doc.
            if element.get("data-fit") or element.tag == "body" or element.get("data-doc") is not None:
                key = id(element)
                elements.setdefault(
                    key, (element, element.get("data-fit") or "page", element.get("data-shorten") or "")
                )
                owners = owners + (key,)
        if isinstance(box, boxes.TextBox):
            for key in owners:
                laid_out.setdefault(key, []).append(box.text)
        for child in getattr(box, "children", ()) or ():
            walk(child, owners)

    for page in rendered.document.pages:
        walk(page._page_box, ())
    batch = any(element.get("data-doc") is not None for element, _, _ in elements.values())
    missing = []
    for key, (element, name, shorten) in elements.items():
        if batch and element.tag == "body":
            continue  # a part of a batch: its own data-doc element stands for the document
        written = _element_text(element)
        shown = "".join("".join(laid_out.get(key, [])).split())
        if len(shown) < len(written.replace(" ", "")):
            missing.append((name, written[-40:].lstrip(), shorten))
    return sorted(
        missing, key=lambda item: item[0] == "page"
    )  # the named area first: it says what to shorten


def check_rooms(rendered: Rendered, what: str, advice: str) -> None:
    """Raise FitError when the text of a copyfit area runs into the area below it (a poster's text into its QR
    area: not printed over a text or picture, so find_collisions lets it pass, but over the area's rule)."""
    from weasyprint.formatting_structure import boxes

    report = fit_report(rendered, None)
    for group, result in report.items():
        if result.fits:
            continue
        for page in rendered.document.pages:
            for box in _all_boxes(page._page_box):
                element = getattr(box, "element", None)
                if (
                    isinstance(box, boxes.BlockBox)
                    and element is not None
                    and element.get("data-copyfit") is not None
                    and (element.get("data-copyfit") or element.get("data-fit")) == group
                ):
                    name, shorten = element.get("data-fit"), element.get("data-shorten") or ""
                    raise FitError(
                        f"{what}: the text does not fit the '{name}' area: at the smallest size the layout "
                        f"allows, it runs into the area below it. "
                        + (f"Shorten {shorten}." if shorten else advice)
                    )


def check_fit(rendered: Rendered, expected_pages: int | None, what: str, advice: str) -> None:
    """Raise FitError when a box overflows or the document has more pages than its layout allows."""
    overflows = find_overflows(rendered)
    if overflows:
        first = overflows[0]
        excerpt = first.text if len(first.text) < 60 else first.text[:57] + "..."
        how = f"it runs {first.by_mm:.0f} mm too far" if first.by_mm else "it runs onto the next page"
        shorten = f"Shorten {first.shorten}." if first.shorten else advice
        raise FitError(
            f"{what}: the text does not fit the '{first.name}' area (page {first.page}): "
            f'{how}, at "{excerpt}". {shorten}'
        )
    if expected_pages is not None and rendered.pages != expected_pages:
        raise FitError(
            f"{what}: the text does not fit: it needs {rendered.pages} pages where the layout has "
            f"{expected_pages}. {advice}"
        )
    missing = find_missing_text(rendered)
    if missing:
        name, tail, shorten = missing[0]
        raise FitError(
            f"{what}: the text does not fit the '{name}' area: the end of it (\"…{tail}\") would be lost "
            f"past the foot of the page. " + (f"Shorten {shorten}." if shorten else advice)
        )
    collisions = find_collisions(rendered)
    if collisions:
        hit = collisions[0]
        where = f" in the '{' / '.join(hit.areas)}' area" if hit.areas else ""
        shorten = f"Shorten {hit.shorten}." if hit.shorten else advice
        raise FitError(
            f'{what}: on page {hit.page}{where}, "{hit.first[:50]}" is printed over '
            f'"{hit.second[:50]}": there is too much to fit. {shorten}'
        )


# --- copyfit -------------------------------------------------------------------------------------
# WeasyPrint has no auto-fit: kit lays the document out, measures each area marked `data-copyfit` in the box
# tree and lays it out again with another size, a few times. An area's size is the CSS variable --fit (a length
# in pt) set on its element; the layout's CSS sizes the area's text from it (in em). Areas of one copyfit group
# (`data-copyfit="group"`) share one size: the largest at which every one of them fits.

_COPYFIT_TAG = re.compile(r'<[a-z][^>]*?\sdata-copyfit="([^"]*)"[^>]*>')
_FIT_NAME = re.compile(r'\sdata-fit="([^"]*)"')


def _group_of(tag: re.Match) -> str:
    """A copyfit element's group: its data-copyfit value, else its own area's name (data-fit)."""
    if tag.group(1):
        return html_module.unescape(tag.group(1))
    name = _FIT_NAME.search(tag.group(0))
    return html_module.unescape(name.group(1)) if name else ""


@dataclass(frozen=True)
class FitRange:
    """The sizes an area may take, in pt: the smallest, the largest, and the step between two tries (by default
    0.25 pt for sizes up to 28 pt, as on A4, coarser for the larger ones of A3 and A2: about 1 % of the size)."""

    low: float
    high: float
    step: float = 0.0

    def __post_init__(self):
        if not self.step:
            object.__setattr__(self, "step", 0.25 * math.ceil(self.high / 28))

    def snap(self, size: float) -> float:
        """The size on the grid of steps (rounded down), within the range."""
        steps = math.floor((min(max(size, self.low), self.high) - self.low) / self.step + 1e-6)
        return round(self.low + steps * self.step, 4)


_COPY = re.compile(r'(?s)(<section\b[^>]*?\sdata-copy="(\d+)"[^>]*>)(.*?)(</section>\s*)')


def _copies_replaced(html: str, replace) -> str:
    """``html`` with each section marked ``data-copy`` above 1 whose content is, as written, the first copy's
    replaced by ``replace(match)``. A "copy" with other words (a template marking a translation as a copy) is
    no copy: it stays as it is."""
    first = None

    def each(match: re.Match) -> str:
        nonlocal first
        if match.group(2) == "1":
            first = match.group(3)
            return match.group(0)
        same = (
            match.group(3) == first and "<section" not in first
        )  # a nested section would end the match early
        return replace(match) if same else match.group(0)

    return _COPY.sub(each, html)


def without_copies(html: str) -> str:
    """The HTML for a copyfit try of a tagged document: copies of the first section marked ``data-copy`` (the
    same text again, placed independently, as an invitation's four flyers) left out; the first fits as they
    all do. The HTML itself when it has no copies."""
    return _copies_replaced(html, lambda match: "")


EMPTIED = "data-copy-emptied"


def emptied_copies(html: str) -> str:
    """The HTML with the copies of the first section marked ``data-copy`` left empty (and marked so): still
    placed and sized by their own tags, for `fill_copies` to fill with the first copy's boxes."""
    return _copies_replaced(html, lambda match: f"{match.group(1)[:-1]} {EMPTIED}>{match.group(4)}")


def _copy_box(box):
    """A laid-out box and everything in it, copied (placeholders of absolutely placed boxes too)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    if isinstance(box, AbsolutePlaceholder):
        copied = AbsolutePlaceholder(_copy_box(box._box))
        object.__setattr__(copied, "_layout_done", box._layout_done)
        return copied
    copied = box.copy()
    if isinstance(box, boxes.ParentBox):
        copied.children = [_copy_box(child) for child in box.children]
    if isinstance(box, boxes.TableBox):
        copied.column_groups = [_copy_box(group) for group in box.column_groups]
        copied.column_positions = list(box.column_positions)
    return copied


def _all_inside(box):
    """Every box inside ``box``, table columns included."""
    stack = [box]
    while stack:
        box = _unwrap(stack.pop())
        yield box
        stack.extend(getattr(box, "children", None) or ())
        stack.extend(getattr(box, "column_groups", None) or ())


def _copyable(first) -> bool:
    """Whether the first copy's boxes can be moved elsewhere and draw as if laid out there: it is positioned
    (what is placed absolutely inside it moves with it), and nothing inside it is placed on the page itself
    (position: fixed), painted from where it stands (backgrounds, placed at layout), or numbered by a
    counter (each copy would count on)."""
    if first.style["position"] == "static":
        return False
    for box in _all_inside(first):
        if box is first:
            continue
        if getattr(box, "background", None) is not None or box.style["position"] == "fixed":
            return False
        content = box.style["content"]
        if isinstance(content, (list, tuple)) and any(str(part[0]).startswith("counter") for part in content):
            return False
    return True


def fill_copies(document) -> bool:
    """Fill each emptied copy (`emptied_copies`) with the boxes of the first copy before it on its page, moved
    to its place: the page then draws as if every copy had been laid out (the same bytes, tested), for the
    price of one. False, and nothing changed, when a copy is not the first's twin: of another kind of box,
    width, height or inherited style, split over pages, not empty (generated content), or when the first's
    boxes cannot be moved (`_copyable`). A template's CSS may place copies, not style what is inside them
    differently (``.flyer-2 h1`` would be drawn as the first's): data-copy promises the same text, the same
    look."""
    from weasyprint.css.properties import INHERITED
    from weasyprint.document import Page
    from weasyprint.formatting_structure import boxes

    seen: dict[int, int] = {}
    plans: list[tuple[int, list]] = []
    for index, page in enumerate(document.pages):
        first, pairs = None, []
        for box in _all_boxes(page._page_box):
            element = getattr(box, "element", None)
            if (
                element is None
                or element.get("data-copy") is None
                or getattr(box, "element_tag", None) != element.tag
            ):
                continue
            seen[id(element)] = seen.get(id(element), 0) + 1
            emptied = element.get(EMPTIED) is not None
            if emptied and (
                not isinstance(box, boxes.BlockBox)
                or box.children
                or first is None
                or type(box) is not type(first)
                or (box.width, box.height) != (first.width, first.height)
                or any(box.style[name] != first.style[name] for name in INHERITED)
            ):
                return False
            if element.get("data-copy") == "1":
                first = box if isinstance(box, boxes.BlockBox) and _copyable(box) else None
            elif emptied:
                pairs.append((box, first))
        plans.append((index, pairs))
    if any(count != 1 for count in seen.values()):
        return False
    for index, pairs in plans:
        if not pairs:
            continue
        for box, first in pairs:
            dx, dy = box.content_box_x() - first.content_box_x(), box.content_box_y() - first.content_box_y()
            box.children = [_copy_box(child) for child in first.children]
            for child in box.children:
                child.translate(dx, dy)
        document.pages[index] = Page(document.pages[index]._page_box)
    return True


def copyfit_groups(html: str) -> list[str]:
    """The copyfit groups a rendered template marks, in order."""
    return list(dict.fromkeys(_group_of(tag) for tag in _COPYFIT_TAG.finditer(html)))


def set_fit_sizes(html: str, sizes: dict[str, float]) -> str:
    """The HTML with each copyfit element given its group's size (``--fit``, in pt). A copyfit element carries
    no style attribute of its own (the template's CSS sizes it from --fit)."""

    def put(tag: re.Match) -> str:
        size = sizes.get(_group_of(tag))
        if size is None:
            return tag.group(0)
        end = -2 if tag.group(0).endswith("/>") else -1
        return f'{tag.group(0)[:end]} style="--fit: {size:g}pt"{tag.group(0)[end:]}'

    return _COPYFIT_TAG.sub(put, html)


@dataclass(frozen=True)
class AreaFit:
    """How one copyfit group fared in one layout: whether it fits (None: this layout cannot tell, another area ran
    onto a page of its own), and how full its fullest area is (used/room)."""

    fits: bool | None
    fill: float | None


@_kept
def fit_report(rendered: Rendered, expected_pages: int | None) -> dict[str, AreaFit]:
    """For each copyfit group of a laid-out document: does every area of it fit, and how full is it?

    An area's room runs from its top to its own foot or, if sooner, to the top of another area below it (a
    poster's text stops above its QR area); its fill is the height its content takes (to the foot of its lowest
    text or picture) over that room: more than 1 does not fit. A group fails too when one of its areas
    overflows, runs onto another page, loses text past the foot of the page or is printed over something."""
    from weasyprint.formatting_structure import boxes

    groups: dict[str, str] = {}  # area name -> group
    fill: dict[str, float] = {}  # group -> fullest area
    for page in rendered.document.pages:
        areas = [
            box
            for box in _all_boxes(page._page_box)
            if isinstance(box, boxes.BlockBox)
            and getattr(box, "element", None) is not None
            and box.element.get("data-fit")
            and getattr(box, "element_tag", None) == box.element.tag
        ]
        for box in areas:
            element = box.element
            if element.get("data-copyfit") is None:
                continue
            name = element.get("data-fit") or ""
            group = element.get("data-copyfit") or name
            groups[name] = group
            leaves = [leaf for leaf in _descendants(box) if _is_leaf(leaf, boxes)]
            top = box.content_box_y()
            left, right = box.content_box_x(), box.content_box_x() + box.width
            foot = top + box.height
            inside = {id(b) for b in _descendants(box)}
            for other in areas:
                other_top = other.position_y + other.margin_top
                if (
                    other is box
                    or id(other) in inside
                    or other_top <= top
                    or any(inner is box for inner in _descendants(other))
                ):
                    continue
                other_left = other.position_x + other.margin_left
                if (
                    other_left < right
                    and left < other_left + other.margin_width() - other.margin_left - other.margin_right
                ):
                    foot = min(foot, other_top)
            # A block placed absolutely at the foot of the area (bottom: ..., in its lower half: a cover's foot, a
            # page number) is room taken, not text to fit: the text's room ends at its top.
            footers = [
                inner
                for inner in _descendants(box)
                if isinstance(inner, boxes.BlockBox)
                and inner.style["position"] == "absolute"
                and inner.style["top"] == "auto"
                and inner.style["bottom"] != "auto"
                and inner.position_y > top + box.height / 2
            ]
            held = {id(leaf) for inner in footers for leaf in _descendants(inner)}
            for inner in footers:
                foot = min(foot, inner.position_y + inner.margin_top)
            leaves = [leaf for leaf in leaves if id(leaf) not in held]
            if not leaves or foot <= top:
                continue
            used = max(leaf.position_y + leaf.margin_height() for leaf in leaves) - top
            # WeasyPrint drops what runs past the foot of the page: the height of what was laid out, scaled up
            # by how much of the text is missing, stands for the height the whole text would take.
            written = len(_element_text(element).replace(" ", ""))
            shown = sum(len("".join(leaf.text.split())) for leaf in leaves if isinstance(leaf, boxes.TextBox))
            shown += sum(
                len("".join(getattr(leaf, "text", "").split()))
                for inner in footers
                for leaf in _descendants(inner)
            )
            if 0 < shown < written:
                used *= written / shown
            fill[group] = max(fill.get(group, 0.0), used / (foot - top))
    failing: set[str] = set()
    for overflow in find_overflows(rendered):
        failing.add(overflow.name)
    for name, _, _ in find_missing_text(rendered):
        failing.add(name)
    for hit in find_collisions(rendered):
        failing.update(hit.areas)
    bad_groups = {groups[name] for name in failing if name in groups}
    bad_groups |= {group for group, value in fill.items() if value > 1 + 1e-3}
    if (expected_pages is not None and rendered.pages != expected_pages) or "page" in failing:
        # An area ran onto a page of its own (or text was lost from the page): the pages after it moved, so
        # this layout says nothing of the other areas. With no area to blame, every group fails.
        if not bad_groups:
            bad_groups = set(groups.values())
        return {
            group: AreaFit(False if group in bad_groups else None, fill.get(group))
            for group in dict.fromkeys(groups.values())
        }
    return {
        group: AreaFit(group not in bad_groups, fill.get(group)) for group in dict.fromkeys(groups.values())
    }


class FitSearch:
    """The largest size of one copyfit group, between a range's smallest and largest, at which it fits.

    The first try is the middle of the range (geometric), or the layout's declared first try. Each next try is
    predicted from how full the area was (its fill): a text's height grows about as the square of its size
    (more lines, each taller); with a try that fits and one that does not, the size is interpolated between them. Tries aim at an area 98.5 %
    full. The search stops at a size that fits and fills 99 % of the area; when the next step up is known not
    to fit; or, with no try that did not fit, at a size that fills 93 % of it; after four tries, at the largest
    size tried that fits. Two to four layouts are usually enough."""

    TARGET = 0.985
    FULL = 0.93
    TRIES = 4  # then the largest size tried that fits (a document of many areas waits for its slowest)

    def __init__(self, fit_range: FitRange, first: float | None = None):
        self.range = fit_range
        self.size = fit_range.snap(first if first is not None else math.sqrt(fit_range.low * fit_range.high))
        self.best: tuple[float, float | None] | None = None  # (size, fill): the largest size tried that fits
        self.over: tuple[float, float | None] | None = None  # (size, fill): the smallest tried that does not
        self.points: list[tuple[float, float | None]] = []
        self.done = False
        self.tries = 0

    @property
    def result(self) -> float:
        return self.best[0] if self.best is not None else self.range.low

    def _predict(self, size: float, fill: float | None) -> float | None:
        """The size at which the area would be TARGET full."""
        if not fill:
            return None
        exponent = 2.0
        others = [p for p in self.points if p[0] != size and p[1] and p[1] != fill]
        if others:  # measured on the nearest other try: the text's own pace
            near, near_fill = min(others, key=lambda p: abs(math.log(p[0] / size)))
            exponent = min(3.0, max(1.0, math.log(near_fill / fill) / math.log(near / size)))
        return size * (self.TARGET / fill) ** (1 / exponent)

    def feed(self, result: AreaFit) -> None:
        """Take the outcome of a layout at ``self.size`` and choose the next size (or stop)."""
        r, size, fill = self.range, self.size, result.fill
        self.tries += 1
        self.points.append((size, fill))
        if result.fits:
            self.best = (size, fill)
            if size >= r.high or fill is None or fill >= 0.99:
                self.done = True
                return
            predicted = self._predict(size, fill)
            # With a size known not to fit, the bracket is searched to its last step; without one, an area
            # full enough stops the search.
            if self.over is None and fill >= self.FULL:
                self.done = True
                return
        else:
            self.over = (size, fill)
            if size <= r.low:
                self.done = True
                return
        lower = self.best[0] + r.step if self.best is not None else r.low
        upper = self.over[0] - r.step if self.over is not None else r.high
        if lower > upper or (self.tries >= self.TRIES and self.best is not None):
            self.done = True
            return
        predicted = self._predict(size, fill)
        if predicted is None or (not result.fits and predicted >= size):
            predicted = (lower + upper) / 2  # nothing to go by: halve the bracket
        self.size = min(max(r.snap(predicted), r.snap(lower) if r.snap(lower) >= lower else lower), upper)
        self.size = round(self.size, 4)
