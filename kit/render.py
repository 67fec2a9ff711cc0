"""The WeasyPrint stage: safe fetching, shared fonts and parsed CSS, fit checks, deterministic PDFs."""

from __future__ import annotations

import gc
from contextlib import contextmanager
import hashlib
import logging
from dataclasses import dataclass
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
                    raise PermissionError(f"{path} is outside kit's folders and the folders of your project: "
                                          "put the file in your layouts folder")
                if not path.is_file():  # a folder, or a device or pipe that would never end
                    raise PermissionError(f"{path} is not a regular file")
                if path.stat().st_size > MAX_FETCH_BYTES:
                    raise PermissionError(f"{path} is larger than {MAX_FETCH_BYTES // 1_000_000} MB: save a "
                                          "smaller version of it")
            elif scheme != "data":
                raise PermissionError(f"{url}: kit never fetches from the network")
            return super().fetch(url, headers)

    return SafeFetcher


@dataclass
class Rendered:
    """A laid-out document, ready to be written."""

    document: object  # weasyprint.document.Document
    pages: int


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
        self.cache: dict = {}
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
        css = self._weasyprint.CSS(
            filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)
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

    def render(self, html: str, stylesheets: list[str], *, extra_css: tuple[str, ...] = (),
               after_css: tuple[str, ...] = (), tagged: bool = False) -> Rendered:
        """Lay out ``html`` with ``extra_css`` (strings) first, the named layout stylesheets, then ``after_css``."""
        from weasyprint.urls import FatalURLFetchingError

        if not self.reuse:  # the naive way, for benchmarks: a fresh set-up per document
            self.font_config = self._FontConfiguration()
            self._css = {}
            self.cache = {}
        base_url = self.layouts.builtin.as_uri() + "/"
        try:
            sheets = ([self.string_stylesheet(css) for css in extra_css] + [self.stylesheet(name) for name in stylesheets]
                      + [self.string_stylesheet(css) for css in after_css])
            page = self._weasyprint.HTML(string=html, base_url=base_url, url_fetcher=self.fetcher)
            refuse_attachments(page.etree_element)
            with gc_paused():
                document = page.render(font_config=self.font_config, stylesheets=[s for s in sheets if s is not None],
                                       cache=self.cache, pdf_tags=tagged)
        except FatalURLFetchingError as exc:
            raise _fetch_error(exc) from None
        return Rendered(document, len(document.pages))

    @staticmethod
    def write_pdf(rendered: Rendered, *, identifier: str, tagged: bool = False, variant: str | None = None) -> bytes:
        from weasyprint.urls import FatalURLFetchingError

        pdf_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
        try:
            with gc_paused():
                return rendered.document.write_pdf(pdf_identifier=pdf_id, pdf_tags=tagged, pdf_variant=variant)
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
            raise LayoutError(f"The layout asks to attach a file to the PDF ({shown}): kit never attaches files to "
                              "its documents. Remove rel=\"attachment\" from the template.")


# --- fit checks ----------------------------------------------------------------------------------


def _unwrap(box):
    """Absolutely positioned boxes sit in the tree behind a placeholder: look at the box itself."""
    return getattr(box, "_box", box)


def _descendants(box):
    for child in getattr(_unwrap(box), "children", ()) or ():
        child = _unwrap(child)
        yield child
        yield from _descendants(child)


def _all_boxes(page_box):
    yield page_box
    yield from _descendants(page_box)


@dataclass(frozen=True)
class Overflow:
    """A box marked ``data-fit`` whose content overflows its own content area, or runs onto another page."""

    name: str
    page: int
    text: str
    by_mm: float
    shorten: str = ""


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
            leaves = [leaf for leaf in _descendants(box) if isinstance(leaf, (boxes.TextBox, boxes.ReplacedBox))]
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

    box = _unwrap(box)
    element = getattr(box, "element", None)
    if element is not None and isinstance(box, boxes.BlockBox) and element.get("data-fit"):
        area = (element.get("data-fit"), element.get("data-shorten") or "")
    if isinstance(box, boxes.TextBox):
        if box.text.strip():
            yield box, area
    elif isinstance(box, boxes.ReplacedBox):
        yield box, area
    for child in getattr(box, "children", ()) or ():
        yield from _leaves_with_areas(child, area)


def find_collisions(rendered: Rendered) -> list[Collision]:
    """Text or pictures painted over other text or pictures (say, a footer pushed up over a QR code)."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page_number, page in enumerate(rendered.document.pages, start=1):
        rects = sorted(((_ink(leaf, boxes), leaf, area) for leaf, area in _leaves_with_areas(page._page_box)),
                       key=lambda item: item[0][1])
        for i, (a, leaf_a, area_a) in enumerate(rects):
            for b, leaf_b, area_b in rects[i + 1:]:
                if b[1] >= a[3]:
                    break
                if b[0] < a[2] and a[0] < b[2] and b[1] < a[3] and a[1] < b[3]:
                    name = lambda leaf: getattr(leaf, "text", "").strip() or "(a picture)"  # noqa: E731
                    areas = tuple(dict.fromkeys(x for x in (area_a[0], area_b[0]) if x))
                    found.append(Collision(page_number, name(leaf_a), name(leaf_b), areas, area_a[1] or area_b[1]))
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
                elements.setdefault(key, (element, element.get("data-fit") or "page",
                                          element.get("data-shorten") or ""))
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
    return sorted(missing, key=lambda item: item[0] == "page")  # the named area first: it says what to shorten


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
            f"{how}, at \"{excerpt}\". {shorten}")
    if expected_pages is not None and rendered.pages != expected_pages:
        raise FitError(
            f"{what}: the text does not fit: it needs {rendered.pages} pages where the layout has "
            f"{expected_pages}. {advice}")
    missing = find_missing_text(rendered)
    if missing:
        name, tail, shorten = missing[0]
        raise FitError(f"{what}: the text does not fit the '{name}' area: the end of it (\"…{tail}\") would be lost "
                       f"past the foot of the page. " + (f"Shorten {shorten}." if shorten else advice))
    collisions = find_collisions(rendered)
    if collisions:
        hit = collisions[0]
        where = f" in the '{' / '.join(hit.areas)}' area" if hit.areas else ""
        shorten = f"Shorten {hit.shorten}." if hit.shorten else advice
        raise FitError(f"{what}: on page {hit.page}{where}, \"{hit.first[:50]}\" is printed over "
                       f"\"{hit.second[:50]}\": there is too much to fit. {shorten}")
