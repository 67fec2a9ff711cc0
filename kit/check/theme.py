"""Theme rules: colours written as #rrggbb, text/background contrast, QR codes dark on light."""

from __future__ import annotations

from ..theme import DEFAULT_THEME, HEX_RE, Theme, relative_luminance
from .report import ERROR, Collector, Finding


def check_theme(theme: Theme | None = None) -> list[Finding]:
    """Contrast of every text/background pair the layouts use, and QR codes dark on light."""
    theme = theme or DEFAULT_THEME
    c = Collector()
    bad = {
        name: value
        for name, value in theme.colours().items()
        if not (isinstance(value, str) and HEX_RE.match(value))
    }
    for name, value in bad.items():
        c.add(
            ERROR,
            "theme-colour",
            f"theme colour '{name}' is '{value}', not a #rrggbb colour.",
            "Write colours as # followed by 6 hexadecimal digits, like #1d4477.",
            text=f"{name}: {value}",
        )
    if bad:
        return c.findings
    for fg, bg, ratio, minimum in theme.contrast_report():
        if ratio < minimum:
            c.add(
                ERROR,
                "contrast",
                f"'{fg}' text on '{bg}' has a contrast of {ratio:.2f}:1, below {minimum}:1.",
                "Darken the text colour or lighten the background (check with a WCAG contrast checker).",
                text=f"{fg} {getattr(theme, fg)} on {bg} {getattr(theme, bg)}",
            )
    if relative_luminance(theme.qr_dark) >= relative_luminance(theme.qr_light):
        c.add(
            ERROR,
            "qr-colours",
            "QR codes must be dark on light: many phones cannot read inverted codes.",
            "Make qr_dark the dark colour (black is best) and qr_light the light one.",
            text=f"qr_dark {theme.qr_dark}, qr_light {theme.qr_light}",
        )
    return c.findings
