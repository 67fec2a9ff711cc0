"""Theme colours, the text/background pairs the layouts use, and WCAG contrast ratios."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # normal text
MIN_CONTRAST_LARGE = 3.0  # text of 18 pt or more (or 14 pt bold)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio between two #rrggbb colours (1 to 21)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Theme:
    ink: str = "#1b1f2a"  # body text
    paper: str = "#ffffff"  # page background
    primary: str = "#1d4477"  # headings; band background
    on_primary: str = "#ffffff"  # text on the band
    tint: str = "#e9f0f9"  # light box background
    muted: str = "#4a5263"  # small print (footer)
    qr_dark: str = "#000000"
    qr_light: str = "#ffffff"

    # (text colour, background colour, large text only?) as the layouts use them.
    PAIRS = (
        ("ink", "paper", False),
        ("primary", "paper", False),
        ("muted", "paper", False),
        ("on_primary", "primary", False),
        ("ink", "tint", False),
        ("primary", "tint", False),
        ("qr_dark", "qr_light", False),
    )

    def colours(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def css(self) -> str:
        """The theme as CSS custom properties, given to every document before the layout's stylesheets."""
        body = "; ".join(f"--{name.replace('_', '-')}: {value}" for name, value in self.colours().items())
        return f":root {{ {body} }}"

    def contrast_report(self) -> list[tuple[str, str, float, float]]:
        """Each pair: text name, background name, its ratio, the minimum it needs."""
        return [
            (
                fg,
                bg,
                contrast(getattr(self, fg), getattr(self, bg)),
                MIN_CONTRAST_LARGE if large else MIN_CONTRAST,
            )
            for fg, bg, large in self.PAIRS
        ]

    def black_and_white(self) -> Theme:
        """For office printers, light on toner: black text on white, no meaning in colour; light boxes a grey of 6 %
        (at most 15 %); blocks of colour become outlined paper (base.css, `body.bw`)."""
        return replace(
            self,
            ink="#000000",
            paper="#ffffff",
            primary="#000000",
            on_primary="#ffffff",
            tint="#f0f0f0",
            muted="#000000",
            qr_dark="#000000",
            qr_light="#ffffff",
        )


DEFAULT_THEME = Theme()
