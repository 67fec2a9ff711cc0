"""Charts of the report as hand-written SVG: a few bars need no library, load nothing, and give the same bytes
every time. Each chart is an image with a title and a description (``role="img"``); its numbers are in the table
that follows it. A count under the threshold is never drawn as its value: its bar is dashed, at the threshold's
height (``< 5`` in the table)."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

INK = "#1d4477"  # bars and text: contrast 10:1 on white
GRID = "#6b7280"  # axis and lines: 4.8:1 on white
WIDTH = 360  # user units: the phone's width, so that 14-unit text stays about 14 px on a phone


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _svg(ident: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def bars(ident: str, title: str, desc: str, rows: list[tuple[str, int]], threshold: int, shown) -> Markup:
    """Horizontal bars, one row per (label, count): the label above its bar, the count at the bar's end."""
    top = max([count for _label, count in rows] + [threshold, 1])
    row_height, label_room, left = 44, 18, 4
    span = WIDTH - left - 64  # room for the count after the longest bar
    body = []
    for index, (label, count) in enumerate(rows):
        y = index * row_height
        body.append(f'<text x="{left}" y="{y + 14}" class="label">{escape(label)}</text>')
        hidden = 0 < count < threshold
        length = span * (threshold if hidden else count) / top
        if count:
            style = f'fill="none" stroke="{INK}" stroke-dasharray="4 3"' if hidden else f'fill="{INK}"'
            body.append(
                f'<rect x="{left}" y="{y + label_room + 2}" width="{max(length, 2):.1f}" height="18" {style}/>'
            )
        body.append(
            f'<text x="{left + length + 6:.1f}" y="{y + label_room + 16}" class="count">{escape(shown(count))}</text>'
        )
    return _svg(ident, title, desc, max(len(rows), 1) * row_height, body)


def columns(
    ident: str, title: str, desc: str, rows: list[tuple[str, int]], threshold: int, shown, every: int = 0
) -> Markup:
    """Vertical bars over time (days or weeks), the first and last label under the axis, the top value beside
    it."""
    top = max([count for _label, count in rows] + [threshold, 1])
    left, right, plot_top, plot_height = 40, 8, 12, 150
    width = WIDTH - left - right
    step = width / max(len(rows), 1)
    body = [
        f'<line x1="{left}" y1="{plot_top + plot_height}" x2="{WIDTH - right}" y2="{plot_top + plot_height}" '
        f'stroke="{GRID}"/>',
        f'<text x="{left - 4}" y="{plot_top + 5}" class="axis" text-anchor="end">{escape(shown(top))}</text>',
        f'<text x="{left - 4}" y="{plot_top + plot_height}" class="axis" text-anchor="end">0</text>',
        f'<line x1="{left}" y1="{plot_top}" x2="{WIDTH - right}" y2="{plot_top}" stroke="{GRID}" '
        f'stroke-dasharray="2 4"/>',
    ]
    for index, (_label, count) in enumerate(rows):
        if not count:
            continue
        hidden = count < threshold
        height = plot_height * (threshold if hidden else count) / top
        x = left + index * step + step * 0.15
        style = f'fill="none" stroke="{INK}" stroke-dasharray="3 2"' if hidden else f'fill="{INK}"'
        body.append(
            f'<rect x="{x:.2f}" y="{plot_top + plot_height - height:.2f}" width="{max(step * 0.7, 1):.2f}" '
            f'height="{height:.2f}" {style}/>'
        )
    if rows:
        base = plot_top + plot_height + 18
        body.append(f'<text x="{left}" y="{base}" class="axis">{escape(rows[0][0])}</text>')
        if len(rows) > 1:
            body.append(
                f'<text x="{WIDTH - right}" y="{base}" class="axis" text-anchor="end">{escape(rows[-1][0])}</text>'
            )
    return _svg(ident, title, desc, plot_top + plot_height + 26, body)
