"""Copyfit: the size of each area marked ``data-copyfit``, searched by laying the document out a few times (the
HTML given each group's size, and the search from how full each area was)."""

from __future__ import annotations

import html as html_module
import math
import re
from dataclasses import dataclass

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
