"""Which characters the fonts that print kit's documents can draw: kit's own fonts, then this machine's (the ones
WeasyPrint falls back to). A character none of them has prints as an empty box; kit check and the readers of
kit.toml and event rows name it, with a font that has it."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import cache

from .resources import assets_dir

# The shipped fonts, in the order the stylesheets name their families (layouts/css/base.css); regular and bold.
SHIPPED = (
    "AtkinsonHyperlegible_400Regular.ttf",
    "AtkinsonHyperlegible_700Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "AtkinsonHyperlegibleNext_400Regular.ttf",
    "AtkinsonHyperlegibleNext_700Bold.ttf",
    "NotoSansCJKsc-Regular-kit.otf",
    "NotoSansCJKsc-Bold-kit.otf",
)
# Words that end a script's name in a character's Unicode name ("DEVANAGARI LETTER KA": Devanagari).
_NAME_PARTS = (
    "LETTER",
    "SYLLABLE",
    "SIGN",
    "DIGIT",
    "VOWEL",
    "CHARACTER",
    "LIGATURE",
    "MARK",
    "NUMBER",
    "PUNCTUATION",
    "CONSONANT",
    "INDEPENDENT",
    "COMBINING",
)
NOTO = "https://fonts.google.com/noto"


@cache
def _advances(bold: bool) -> tuple[dict[int, float], ...]:
    """Each shipped family's advance widths (em) per character, in the stylesheets' order."""
    from fontTools.ttLib import TTFont

    families = []
    for source in SHIPPED[1::2] if bold else SHIPPED[::2]:
        font = TTFont(assets_dir() / "fonts" / source, lazy=True)
        try:
            hmtx, upm = font["hmtx"], font["head"].unitsPerEm
            families.append({code: hmtx[glyph][0] / upm for code, glyph in font.getBestCmap().items()})
        finally:
            font.close()
    return tuple(families)


def text_em(text: str, bold: bool = True) -> float:
    """How wide ``text`` is set on one line in kit's shipped fonts, in em: each character's advance in the first
    family that draws it (the stylesheets' order), 1 em for one none draws. No kerning nor shaping: a measure for
    planning a layout, which the page's own fitting check still confirms."""
    families = _advances(bold)
    return sum(next((family[ord(c)] for family in families if ord(c) in family), 1.0) for c in text)


@cache
def shipped() -> frozenset[int]:
    """The characters kit's own fonts draw (in regular and bold alike: a heading needs the bold)."""
    from fontTools.ttLib import TTFont

    drawn: set[int] = set()
    for regular, bold in zip(SHIPPED[::2], SHIPPED[1::2]):
        maps = []
        for source in (regular, bold):
            font = TTFont(assets_dir() / "fonts" / source, lazy=True)
            try:
                maps.append(set(font.getBestCmap()))
            finally:
                font.close()
        drawn |= maps[0] & maps[1]
    return frozenset(drawn)


@cache
def system() -> frozenset[int] | None:
    """The characters this machine's fonts draw (fontconfig, as WeasyPrint finds them), or None when fontconfig's
    tools are not there to tell."""
    tool = shutil.which("fc-list")
    if tool is None:
        return None
    try:
        listed = subprocess.run(
            [tool, "--format", "%{charset}\n"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    drawn: set[int] = set()
    for part in listed.split():
        first, _, last = part.partition("-")
        try:
            drawn.update(range(int(first, 16), int(last or first, 16) + 1))
        except ValueError:
            continue
    return frozenset(drawn)


def _printed(char: str) -> bool:
    """Whether a character is drawn with a glyph (not a space, a line break or an invisible character)."""
    return unicodedata.category(char)[0] not in "CZ"


def missing_glyphs(text: str) -> tuple[list[str], bool]:
    """(the characters of ``text`` no font here draws, in order; whether this is sure: False when this
    machine's fonts could not be listed and only kit's own were checked)."""
    ours = shipped()
    odd = [char for char in dict.fromkeys(unicodedata.normalize("NFC", text)) if ord(char) not in ours]
    odd = [char for char in odd if _printed(char)]
    if not odd:
        return [], True
    theirs = system()
    if theirs is None:
        return odd, False
    return [char for char in odd if ord(char) not in theirs], True


def font_for(char: str) -> str:
    """A font that has ``char``: the Noto font of its script (Google's Noto fonts cover every script)."""
    name = unicodedata.name(char, "")
    if name.startswith("CJK") or "IDEOGRAPH" in name:
        return "Noto Sans CJK SC (the whole font: kit ships part of it)"
    words = name.split()
    for index, word in enumerate(words):
        if word in _NAME_PARTS and index:
            return f"Noto Sans {' '.join(words[:index]).title()}"
    if unicodedata.category(char).startswith("S"):
        return "Noto Sans Symbols 2 (or Noto Color Emoji)"
    return f"a Noto font ({NOTO})"


def describe_missing(chars: list[str], sure: bool = True) -> str:
    """'3 characters that no font here draws (…), printed as empty boxes: क U+0915, … A font that has them:
    Noto Sans Devanagari'."""
    shown = ", ".join(f"{char} U+{ord(char):04X}" for char in chars[:5]) + (" …" if len(chars) > 5 else "")
    fonts = list(dict.fromkeys(font_for(char) for char in chars))
    count = f"{len(chars)} character{'s' if len(chars) > 1 else ''}"
    which = (
        "no font here draws (neither kit's nor this computer's)"
        if sure
        else "kit's fonts do not draw (this computer's fonts could not be listed)"
    )
    return (
        f"{count} that {which}, printed as empty boxes: {shown}. A font that has "
        f"{'them' if len(chars) > 1 else 'it'}: {', '.join(fonts[:3])}"
    )
