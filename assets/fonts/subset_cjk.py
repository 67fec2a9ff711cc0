#!/usr/bin/env python3
"""Rebuild the shipped Chinese font: Noto Sans CJK SC (Regular and Bold), cut down to the characters kit needs.

Run it after changing the Chinese texts of the content (a test fails until you do):

    apt-get install fonts-noto-cjk         # Debian: the full fonts (TrueType collections, about 20 MB each)
    python assets/fonts/subset_cjk.py      # writes assets/fonts/NotoSansCJKsc-{Regular,Bold}-kit.otf

What the subset holds:
- every character of kit's own content files (kit/knowledge/**/*.yaml) that the full font has, so every
  built-in Chinese text renders; ASCII, the no-break space and general punctuation (a space or a digit inside
  Chinese text is set in the Chinese font);
- a common set for texts people add themselves: the 3,755 level-1 characters of GB 2312 (the most used
  simplified characters, made by decoding the code points themselves: no word list is downloaded), CJK
  punctuation (U+3000-303F) and the full-width forms (U+FF01-FF5E).
The OpenType layout features are kept (vertical forms are not used). WeasyPrint subsets the font again
when it writes a PDF: a document carries only the glyphs it prints.

The fonts are under the SIL Open Font License 1.1 (OFL-NotoSansCJK.txt beside this script); the family
name is kept, as the licence allows (Noto Sans CJK declares no Reserved Font Name).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEBIAN = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2  # in the Debian collections: JP, KR, SC, TC, HK, then the Mono faces
WEIGHTS = ("Regular", "Bold")


def gb2312_level1() -> str:
    """The 3,755 level-1 hanzi of GB 2312 (rows 16 to 55), decoded from their code points."""
    found = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                found.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(found)


def content_text(folder: Path) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.yaml")))


def wanted(content: Path) -> set[int]:
    chars = set(content_text(content)) | set(gb2312_level1())
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    codepoints = {
        ord(c) for c in chars if ord(c) >= 0x2E80
    }  # the Latin letters come from Atkinson Hyperlegible
    # ...but a space, a digit or a sign inside a Chinese run of text is set in the Chinese font: keep ASCII, the
    # no-break space and general punctuation (dashes, quotes, ellipsis), which cost a few kilobytes.
    return codepoints | set(range(0x20, 0x7F)) | {0xA0} | set(range(0x2000, 0x2070))


def subset(source: Path, index: int, codepoints: set[int], target: Path) -> None:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")  # repeatable bytes (fontTools stamps the time otherwise)
    font = TTFont(source, fontNumber=index, lazy=False)
    options = ft_subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    subsetter = ft_subset.Subsetter(options)
    cmap = font.getBestCmap()
    subsetter.populate(unicodes=[c for c in sorted(codepoints) if c in cmap])
    subsetter.subset(font)
    font.save(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fonts", type=Path, default=DEBIAN, help="folder of NotoSansCJK-Regular.ttc and -Bold.ttc"
    )
    parser.add_argument(
        "--content", type=Path, default=ROOT / "kit" / "knowledge", help="kit's content folder"
    )
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    codepoints = wanted(args.content)
    for weight in WEIGHTS:
        source = args.fonts / f"NotoSansCJK-{weight}.ttc"
        if not source.is_file():
            print(f"{source} is missing: apt-get install fonts-noto-cjk, or give --fonts", file=sys.stderr)
            return 2
        target = args.out / f"NotoSansCJKsc-{weight}-kit.otf"
        subset(source, SC_INDEX, codepoints, target)
        print(f"{target.name}: {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
