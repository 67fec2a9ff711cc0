"""The WeasyPrint stage: safe fetching, shared fonts and parsed CSS, fit checks, deterministic PDFs."""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import weasy
from .copies import _COPY, EMPTIED, emptied_copies, fill_copies, without_copies
from .copyfit import AreaFit, FitRange, FitSearch, copyfit_groups, set_fit_sizes
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
    class SafeFetcher(weasy.url_fetcher_class()):
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

    document: object  # WeasyPrint's Document
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
        from .resources import assets_dir, layouts_dir, package_dir

        self.layouts = layouts
        self.reuse = reuse
        roots = [package_dir(), layouts_dir(), assets_dir(), *layouts.user_dirs, *(extra_roots or [])]
        self.fetcher = _fetcher_class()(roots)
        self.font_config = weasy.font_configuration()
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
        css = weasy.css(filename=str(path), url_fetcher=self.fetcher, font_config=self.font_config)
        if self.reuse:
            self._css[name] = css
        return css

    def string_stylesheet(self, css: str):
        if not css:
            return None
        key = "string:" + css
        if self.reuse and key in self._css:
            return self._css[key]
        sheet = weasy.css(string=css, url_fetcher=self.fetcher, font_config=self.font_config)
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
        if not self.reuse:  # the naive way, for benchmarks: a fresh set-up per document
            self.font_config = weasy.font_configuration()
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
        except weasy.fatal_fetch_error() as exc:
            raise _fetch_error(exc) from None
        return Rendered(document, len(document.pages))

    def _layout(self, html: str, base_url: str, sheets: list, tagged: bool):
        page = weasy.html(html, base_url, self.fetcher)
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
        pdf_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
        try:
            with gc_paused():
                return rendered.document.write_pdf(
                    pdf_identifier=pdf_id, pdf_tags=tagged, pdf_variant=variant, finisher=finisher
                )
        except weasy.fatal_fetch_error() as exc:  # a BaseException: it must never leave kit as a traceback
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
    boxes = weasy.box_types()
    found = []
    seen: dict[str, int] = {}
    for page_number, page in enumerate(rendered.document.pages, start=1):
        for box in weasy.all_boxes(page):
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, boxes.BlockBox):
                continue
            name = element.get("data-fit")
            if not name:
                continue
            shorten = element.get("data-shorten") or ""
            leaves = [leaf for leaf in weasy.descendants(box) if _is_leaf(leaf, boxes)]
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
    boxes = weasy.box_types()
    stack = [(weasy.unwrap(box), area)]
    while stack:
        box, area = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and isinstance(box, boxes.BlockBox) and element.get("data-fit"):
            area = (element.get("data-fit"), element.get("data-shorten") or "")
        if isinstance(box, boxes.TextBox):
            if box.text.strip():
                yield box, area
        elif _is_leaf(box, boxes):
            yield box, area
        stack.extend((child, area) for child in reversed(weasy.children(box)))


@_kept
def find_collisions(rendered: Rendered) -> list[Collision]:
    """Text or pictures painted over other text or pictures (say, a footer pushed up over a QR code)."""
    boxes = weasy.box_types()
    found = []
    for page_number, page in enumerate(rendered.document.pages, start=1):
        rects = sorted(
            ((_ink(leaf, boxes), leaf, area) for leaf, area in _leaves_with_areas(weasy.page_box(page))),
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
    boxes = weasy.box_types()
    laid_out: dict[int, list[str]] = {}
    elements: dict[int, tuple[object, str, str]] = {}

    def walk(box, owners):
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
        for child in weasy.children(box):
            walk(child, owners)

    for page in rendered.document.pages:
        walk(weasy.page_box(page), ())
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
    boxes = weasy.box_types()
    report = fit_report(rendered, None)
    for group, result in report.items():
        if result.fits:
            continue
        for page in rendered.document.pages:
            for box in weasy.all_boxes(page):
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


def _area_fill(box, areas: list, boxes) -> float | None:
    """How full a copyfit area is: the height its text and pictures take over its room (None: nothing in it).

    Its room runs from its top to its own foot or, if sooner, to the top of another area below it, or to the top
    of a block placed absolutely at its foot."""
    leaves = [leaf for leaf in weasy.descendants(box) if _is_leaf(leaf, boxes)]
    top = box.content_box_y()
    left, right = box.content_box_x(), box.content_box_x() + box.width
    foot = top + box.height
    inside = {id(b) for b in weasy.descendants(box)}
    for other in areas:
        other_top = other.position_y + other.margin_top
        if (
            other is box
            or id(other) in inside
            or other_top <= top
            or any(inner is box for inner in weasy.descendants(other))
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
        for inner in weasy.descendants(box)
        if isinstance(inner, boxes.BlockBox)
        and inner.style["position"] == "absolute"
        and inner.style["top"] == "auto"
        and inner.style["bottom"] != "auto"
        and inner.position_y > top + box.height / 2
    ]
    held = {id(leaf) for inner in footers for leaf in weasy.descendants(inner)}
    for inner in footers:
        foot = min(foot, inner.position_y + inner.margin_top)
    leaves = [leaf for leaf in leaves if id(leaf) not in held]
    if not leaves or foot <= top:
        return None
    used = max(leaf.position_y + leaf.margin_height() for leaf in leaves) - top
    # WeasyPrint drops what runs past the foot of the page: the height of what was laid out, scaled up
    # by how much of the text is missing, stands for the height the whole text would take.
    written = len(_element_text(box.element).replace(" ", ""))
    shown = sum(len("".join(leaf.text.split())) for leaf in leaves if isinstance(leaf, boxes.TextBox))
    shown += sum(
        len("".join(getattr(leaf, "text", "").split()))
        for inner in footers
        for leaf in weasy.descendants(inner)
    )
    if 0 < shown < written:
        used *= written / shown
    return used / (foot - top)


@_kept
def fit_report(rendered: Rendered, expected_pages: int | None) -> dict[str, AreaFit]:
    """For each copyfit group of a laid-out document: does every area of it fit, and how full is it?

    An area's fill is the height its content takes (to the foot of its lowest text or picture) over its room
    (`_area_fill`: a poster's text stops above its QR area): more than 1 does not fit. A group fails too when one
    of its areas overflows, runs onto another page, loses text past the foot of the page or is printed over
    something."""
    boxes = weasy.box_types()
    groups: dict[str, str] = {}  # area name -> group
    fill: dict[str, float] = {}  # group -> fullest area
    for page in rendered.document.pages:
        areas = [
            box
            for box in weasy.all_boxes(page)
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
            value = _area_fill(box, areas, boxes)
            if value is not None:
                fill[group] = max(fill.get(group, 0.0), value)
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


# What kit's other modules use, with what copyfit.py and copies.py hold, named here too as before they were split.
__all__ = [
    "EMPTIED",
    "HARFBUZZ_HINT",
    "MAX_FETCH_BYTES",
    "AreaFit",
    "Collision",
    "FitRange",
    "FitSearch",
    "ImageCache",
    "Overflow",
    "Rendered",
    "Renderer",
    "check_fit",
    "check_rooms",
    "copyfit_groups",
    "emptied_copies",
    "fill_copies",
    "find_collisions",
    "find_missing_text",
    "find_overflows",
    "fit_report",
    "gc_paused",
    "harfbuzz_subset_available",
    "refuse_attachments",
    "set_fit_sizes",
    "without_copies",
]
