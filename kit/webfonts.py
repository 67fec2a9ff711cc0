"""Web fonts for the companion site: kit's shipped fonts, subset with fontTools to the characters the site uses (and
a fixed Latin set, so that a small text change does not change the files), as WOFF2, with their @font-face rules.

The same characters give the same bytes: no timestamp is written into the fonts.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from .resources import assets_dir

# Letters, digits and punctuation of the Latin languages kit is written in (Latin-1, œ, dashes, quotes, …, €).
LATIN = frozenset(
    chr(c)
    for c in [
        *range(0x20, 0x7F),
        *range(0xA0, 0x100),
        0x152,
        0x153,
        0x2013,
        0x2014,
        0x2018,
        0x2019,
        0x201C,
        0x201D,
        0x2022,
        0x2026,
        0x20AC,
    ]
)


@dataclass(frozen=True)
class Face:
    """A shipped font file and how the site serves it."""

    family: str
    weight: int
    source: str  # in assets/fonts
    file: str  # in the site's assets/fonts
    licence: str  # the licence file, in assets/fonts (copied beside the font)
    base: frozenset = frozenset()  # characters always kept (the fixed set), when the font has them


FACES = (
    Face(
        "Atkinson Hyperlegible",
        400,
        "AtkinsonHyperlegible_400Regular.ttf",
        "atkinson-hyperlegible-400.woff2",
        "OFL-AtkinsonHyperlegible.txt",
        LATIN,
    ),
    Face(
        "Atkinson Hyperlegible",
        700,
        "AtkinsonHyperlegible_700Bold.ttf",
        "atkinson-hyperlegible-700.woff2",
        "OFL-AtkinsonHyperlegible.txt",
        LATIN,
    ),
    Face(
        "Noto Sans Arabic",
        400,
        "NotoSansArabic-Regular.ttf",
        "noto-sans-arabic-400.woff2",
        "OFL-NotoSansArabic.txt",
    ),
    Face(
        "Noto Sans Arabic",
        700,
        "NotoSansArabic-Bold.ttf",
        "noto-sans-arabic-700.woff2",
        "OFL-NotoSansArabic.txt",
    ),
    # Letters the first Atkinson lacks (the Turkish capital İ), then Chinese (kit's subset of Noto Sans CJK SC).
    Face(
        "Atkinson Hyperlegible Next",
        400,
        "AtkinsonHyperlegibleNext_400Regular.ttf",
        "atkinson-hyperlegible-next-400.woff2",
        "OFL-AtkinsonHyperlegibleNext.txt",
    ),
    Face(
        "Atkinson Hyperlegible Next",
        700,
        "AtkinsonHyperlegibleNext_700Bold.ttf",
        "atkinson-hyperlegible-next-700.woff2",
        "OFL-AtkinsonHyperlegibleNext.txt",
    ),
    Face(
        "Noto Sans CJK SC",
        400,
        "NotoSansCJKsc-Regular-kit.otf",
        "noto-sans-cjk-sc-400.woff2",
        "OFL-NotoSansCJK.txt",
    ),
    Face(
        "Noto Sans CJK SC",
        700,
        "NotoSansCJKsc-Bold-kit.otf",
        "noto-sans-cjk-sc-700.woff2",
        "OFL-NotoSansCJK.txt",
    ),
)
FAMILIES = tuple(dict.fromkeys(face.family for face in FACES))


@dataclass(frozen=True)
class WebFont:
    face: Face
    data: bytes
    codepoints: tuple[int, ...]
    key: str = ""  # subset_key: what its bytes depend on

    @property
    def unicode_range(self) -> str:
        """The font's characters as a CSS unicode-range ("U+20-7E, U+A0-FF, ..."), so a browser fetches a font only
        when the page has characters it draws."""
        ranges, start, previous = [], None, None
        for code in self.codepoints:
            if start is None:
                start = previous = code
            elif code == previous + 1:
                previous = code
            else:
                ranges.append((start, previous))
                start = previous = code
        if start is not None:
            ranges.append((start, previous))
        return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


@cache
def _cmap(source: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(assets_dir() / "fonts" / source, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _subset(face: Face, codepoints: tuple[int, ...]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning, ligatures and, for Arabic, the joining forms
    options.name_IDs = ["*"]  # the font's names and its licence notice stay in it
    options.notdef_outline = True
    font = TTFont(
        assets_dir() / "fonts" / face.source, recalcTimestamp=False
    )  # no date in the file: same bytes
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        font.flavor = "woff2"
        buffer = io.BytesIO()
        font.save(buffer, reorderTables=True)
        return buffer.getvalue()
    finally:
        font.close()


@cache
def _source_digest(source: str) -> str:
    return hashlib.sha256((assets_dir() / "fonts" / source).read_bytes()).hexdigest()


def subset_key(face: Face, codepoints: tuple[int, ...]) -> str:
    """What a subset's bytes depend on: kit's and fontTools' versions, the shipped font's bytes, the characters.
    A previous site's font with the same key (and the bytes its manifest says) is the same file."""
    from fontTools import version as fonttools_version

    from .version import __version__

    text = "\n".join(
        [__version__, fonttools_version, face.source, _source_digest(face.source), repr(codepoints)]
    )
    return hashlib.sha256(text.encode()).hexdigest()


# (face, characters, key) -> the subset's bytes made before (a previous site's file), or None to make it
Reuse = Callable[[Face, tuple[int, ...], str], bytes | None]


def web_fonts(chars: set[str], reuse: Reuse | None = None) -> list[WebFont]:
    """The faces the site needs for ``chars``, each subset to them (and its fixed set); a family drawing none of
    the characters the first families do not draw is left out (the Arabic font for a site in French and English).
    ``reuse`` gives back a subset made before with the same key (kit site: the previous run's file), instead of
    subsetting again (most of a second `kit site`'s time)."""
    used = {ord(c) for c in chars if c.isprintable() or c == "\u00a0"}
    fonts, drawn = [], set()
    for family in FAMILIES:
        faces = [face for face in FACES if face.family == family]
        cmap = _cmap(faces[0].source)
        needed = (used - drawn) & cmap
        if not needed:
            continue
        for face in faces:
            codepoints = tuple(
                sorted(
                    ((used | {ord(c) for c in face.base}) & cmap)
                    if face.base
                    else (needed | ({0x20, 0xA0} & cmap))
                )
            )
            key = subset_key(face, codepoints)
            data = reuse(face, codepoints, key) if reuse else None
            fonts.append(WebFont(face, _subset(face, codepoints) if data is None else data, codepoints, key))
        drawn |= cmap
    return fonts


def font_faces_css(fonts: list[WebFont], folder: str = "fonts/") -> str:
    """The @font-face rules of ``fonts``, their files in ``folder`` (relative to the stylesheet)."""
    return "".join(
        f'@font-face {{ font-family: "{font.face.family}"; font-weight: {font.face.weight}; font-style: normal; '
        f'font-display: swap; src: url("{folder}{font.face.file}") format("woff2"); '
        f"unicode-range: {font.unicode_range}; }}\n"
        for font in fonts
    )
