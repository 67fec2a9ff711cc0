#!/usr/bin/env python3
"""Give the shipped Atkinson Hyperlegible fonts a plain zero (an oval without the slash), in place.

Atkinson Hyperlegible and Atkinson Hyperlegible Next (as published on Google Fonts, the files in this folder)
draw the digit zero with a slash, and neither has an OpenType feature or an alternate glyph for a plain one
(their features: aalt, case, ccmp, frac, locl, ordn, pnum, sups, tnum). French readers who read little take
"2Ø26" or "Ø6 12 34 56 78" for a foreign letter. This script redraws the glyph `zero` of each file: it keeps
the outer contour and replaces the two counters that the slash leaves with one counter, the convex hull of the
two (the slash cut a convex oval in two), drawn as a smooth quadratic curve. The tabular zero (`zero.tf`) is
a reference to `zero` and follows. The other glyphs, the metrics and the features are not touched.

    python assets/fonts/plain_zero.py          # rewrites the four Atkinson files here; a second run changes nothing

The fonts are under the SIL Open Font License 1.1 (OFL-*.txt beside this script), which allows modified
versions; neither family declares a Reserved Font Name, so the family names are kept. The version string of
each modified file says "plain zero (kit)".
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILES = (
    "AtkinsonHyperlegible_400Regular.ttf",
    "AtkinsonHyperlegible_700Bold.ttf",
    "AtkinsonHyperlegibleNext_400Regular.ttf",
    "AtkinsonHyperlegibleNext_700Bold.ttf",
)
MARK = "plain zero (kit)"
CURVE_POINTS = 64  # off-curve points of the new counter: a smooth closed quadratic spline


def _flatten(coords, flags, steps: int = 12) -> list[tuple[float, float]]:
    """The points of one TrueType contour, its quadratic curves sampled."""
    pts = list(coords)
    on = [bool(f & 1) for f in flags]
    n = len(pts)
    # Expand implied on-curve points between two off-curve points.
    full: list[tuple[tuple[float, float], bool]] = []
    for i in range(n):
        full.append((pts[i], on[i]))
        j = (i + 1) % n
        if not on[i] and not on[j]:
            full.append((((pts[i][0] + pts[j][0]) / 2, (pts[i][1] + pts[j][1]) / 2), True))
    start = next(i for i, (_, is_on) in enumerate(full) if is_on)
    full = full[start:] + full[:start]
    out: list[tuple[float, float]] = []
    i = 0
    m = len(full)
    while i < m:
        p0 = full[i][0]
        nxt = full[(i + 1) % m]
        if nxt[1]:
            out.append(p0)
            i += 1
            continue
        p1, p2 = nxt[0], full[(i + 2) % m][0]
        for s in range(steps):
            t = s / steps
            out.append(
                (
                    (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
                    (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1],
                )
            )
        i += 2
    return out


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _resample(polygon: list[tuple[float, float]], count: int) -> list[tuple[float, float]]:
    """``count`` points evenly spaced along a closed polygon."""
    edges = [(polygon[i], polygon[(i + 1) % len(polygon)]) for i in range(len(polygon))]
    lengths = [math.dist(a, b) for a, b in edges]
    total = sum(lengths)
    out, walked, k = [], 0.0, 0
    for n in range(count):
        target = total * n / count
        while walked + lengths[k] < target:
            walked += lengths[k]
            k += 1
        a, b = edges[k]
        t = (target - walked) / lengths[k] if lengths[k] else 0
        out.append((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
    return out


def _area(points) -> float:
    return sum(
        points[i][0] * points[(i + 1) % len(points)][1] - points[(i + 1) % len(points)][0] * points[i][1]
        for i in range(len(points))
    )


def plain_zero(path: Path) -> bool:
    """Redraw the zero of one font file; False when it is plain already."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    glyf = font["glyf"]
    zero = glyf["zero"]
    if zero.numberOfContours != 3:
        return False
    coords, ends, flags = zero.getCoordinates(glyf)
    contours, begin = [], 0
    for end in ends:
        contours.append((list(coords[begin : end + 1]), list(flags[begin : end + 1])))
        begin = end + 1
    # The outer contour encloses the largest area; the other two are the counters the slash leaves.
    flat = [_flatten(c, f) for c, f in contours]
    outer_index = max(range(3), key=lambda i: abs(_area(flat[i])))
    inner = [p for i in range(3) if i != outer_index for p in flat[i]]
    counter = _resample(_hull(inner), CURVE_POINTS)
    # Counters run against the outer contour's direction.
    if (_area(counter) > 0) == (_area(flat[outer_index]) > 0):
        counter.reverse()
    pen = TTGlyphPen(None)
    outer, outer_flags = contours[outer_index]
    _draw(pen, outer, outer_flags)
    pen.qCurveTo(*[(round(x), round(y)) for x, y in counter], None)  # only off-curve points: a closed spline
    pen.closePath()
    new = pen.glyph()
    new.recalcBounds(glyf)
    glyf["zero"] = new
    names = font["name"]
    for record in names.names:
        if record.nameID == 5:
            text = record.toUnicode()
            if MARK not in text:
                record.string = f"{text}; {MARK}"
    font["head"].checkSumAdjustment = 0
    font.save(path)
    return True


def _draw(pen, coords, flags) -> None:
    """Draw one TrueType contour as it is (on- and off-curve points) with a segment pen."""
    pts = [(int(x), int(y)) for x, y in coords]
    on = [bool(f & 1) for f in flags]
    start = next((i for i, is_on in enumerate(on) if is_on), None)
    if start is None:
        pen.qCurveTo(*pts, None)
        pen.closePath()
        return
    pts = pts[start:] + pts[:start]
    on = on[start:] + on[:start]
    pen.moveTo(pts[0])
    pending: list = []
    for p, is_on in zip(pts[1:] + pts[:1], on[1:] + on[:1], strict=True):
        if is_on:
            if pending:
                pen.qCurveTo(*pending, p)
                pending = []
            else:
                pen.lineTo(p)
        else:
            pending.append(p)
    if pending:
        pen.qCurveTo(*pending, pts[0])
    pen.closePath()


def main() -> int:
    for name in FILES:
        changed = plain_zero(HERE / name)
        print(f"{name}: {'plain zero drawn' if changed else 'already plain'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
