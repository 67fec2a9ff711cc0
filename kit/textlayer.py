"""A right text layer for Arabic ligatures in PDFs: in a right-to-left run no glyph stands for several letters
(issue 26 point 5). Installed once by kit.weasy, which hands it the WeasyPrint modules it works on.

WeasyPrint 70 maps every glyph to the text of its HarfBuzz cluster in the font's ToUnicode CMap
(``weasyprint/draw/text.py``, ``draw_first_line``), in logical order. An Arabic lam-alef (لا) or lam-yeh (لى)
ligature is one glyph for two letters, and the glyphs of a right-to-left run are written in visual order (left to
right), so a reader turns the run around to read it. Readers that turn it around letter by letter (PDFium: Chrome,
Edge, pypdfium2, and so the text screen readers get from them; Poppler: pdftotext, Evince) swapped the two letters
of every ligature: "عىل عالج" for "على علاج". Readers that turn it around glyph by glyph (pypdf, pdf.js) read it
right. No order of the two letters in the CMap suits both, and /ActualText does not help: PDFium and Poppler turn
the replacement text around too.

The fix: a ligature glyph is mapped to the letter drawn at its left end (its last in reading order); each other
letter is written right after it as an invisible glyph (text render mode 3, as in the text layer of a scanned
page) squeezed over the ligature's right end, the pen back where it was. Every reader then finds one glyph per
letter in visual order, whichever way it turns the run around; nothing printed changes. Left-to-right ligatures
(fi, fl) keep their several-letter text, which every reader reads in order. Clusters of several glyphs (a letter
and its vowel marks) are mapped glyph by glyph, where WeasyPrint gives the whole cluster to one glyph.

What it relies on in WeasyPrint (checked in tests/test_weasy.py): ``draw_first_line`` looked up at call time by
``draw_text`` and SVG text; lines written as ``b"[...] TJ"`` items of ``stream.stream`` with 4-digit hex glyphs and
``b"/HASH size Tf"`` font changes; ``stream.add_font``, ``_current_font``, ``ink_rect``/``logical_rect``;
``Font.to_unicode`` (whose keys decide the glyphs the subset keeps), ``widths``, ``hash``, ``bitmap``,
``hb_font``; the PangoGlyphInfo layout (5 fields of 4 bytes). Research and the readers compared:
docs/architecture.md ("Arabic text layer").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from types import SimpleNamespace

log = logging.getLogger("kit")

# The WeasyPrint versions whose drawing code this was written against and tested with.
TESTED = ("70.",)
_MARKS = {"Mn", "Me"}
_RTL = {"R", "AL"}
# How far back (thousandths of the font size) the invisible letters start from the ligature's end: Poppler
# starts a new word when the pen goes back more than a fifth of the font size (minDupBreakOverlap) and puts a
# word drawn over another one on a line of its own.
BACK = 150
_GLYPH_INFO = 5  # PangoGlyphInfo: glyph, width, x offset, y offset, attributes (4 bytes each)


def _nominal_glyph_function(cffi, text_ffi):
    """HarfBuzz's cmap look-up, which WeasyPrint's cffi declarations lack: a small FFI of kit's own that shares
    WeasyPrint's types (the ``hb_font_t`` pointers of its fonts)."""
    ffi = cffi.FFI()
    ffi.include(text_ffi.ffi)
    ffi.cdef(
        "hb_bool_t hb_font_get_nominal_glyph (hb_font_t *font, hb_codepoint_t unicode, hb_codepoint_t *glyph);"
    )
    lib = text_ffi._dlopen(
        ffi,
        "libharfbuzz-0",
        "harfbuzz",
        "harfbuzz-0.0",
        "libharfbuzz.so.0",
        "libharfbuzz.0.dylib",
        "libharfbuzz-0.dll",
    )
    out = ffi.new("hb_codepoint_t *")

    def nominal(hb_font, char: str) -> int | None:
        return out[0] if lib.hb_font_get_nominal_glyph(hb_font, ord(char), out) else None

    return nominal


def _split_cluster(glyphs: list[tuple[int, int]], text: str) -> list[tuple[int, str]]:
    """The text of each glyph of a cluster, from its (glyph, advance) pairs in reading order and its text. Glyphs
    of no advance take the combining marks, the others the letters, in order; letters left over go to the last
    glyph that takes letters (a ligature), marks left over to the last glyph; a glyph left over takes nothing."""
    if len(glyphs) == 1:
        return [(glyphs[0][0], text)]
    marks = [c for c in text if unicodedata.category(c) in _MARKS]
    letters = [c for c in text if unicodedata.category(c) not in _MARKS]
    spacing = [i for i, (_, width) in enumerate(glyphs) if width]
    if not spacing or not letters:  # marks and letters cannot be told apart: in order
        spacing, marks, letters = list(range(len(glyphs))), [], list(text)
    parts = [""] * len(glyphs)
    for n, i in enumerate(spacing):
        parts[i] = "".join(letters[n:]) if n == len(spacing) - 1 else (letters[n] if n < len(letters) else "")
    others = [i for i in range(len(glyphs)) if i not in spacing]
    for n, i in enumerate(others):
        parts[i] = "".join(marks[n:]) if n == len(others) - 1 else (marks[n] if n < len(marks) else "")
    if not others and marks:
        parts[-1] += "".join(marks)
    return [(glyph, part) for (glyph, _), part in zip(glyphs, parts)]


def _utf8_length(lead: int) -> int:
    return 1 if lead < 0x80 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _cluster_glyphs(info, n: int, i: int, j: int, rtl: bool, wb) -> list[tuple[int, int]]:
    """The (glyph, advance) pairs of glyphs ``i`` to ``j`` (reading order) that stand for something."""
    glyphs = []
    for k in range(i, j):
        index = n - 1 - k if rtl else k
        glyph = info[_GLYPH_INFO * index]
        if glyph != wb.pango.PANGO_GLYPH_EMPTY and not glyph & wb.pango.PANGO_GLYPH_UNKNOWN_FLAG:
            glyphs.append((glyph, info[_GLYPH_INFO * index + 1]))
    return glyphs


def _run_fixes(stream, utf8: bytes, glyph_item, wb) -> list[tuple]:
    """(font, pango font, font size, glyph, text, right-to-left) for each glyph of a run that belongs to a cluster
    of several glyphs or several characters."""
    item, glyph_string = glyph_item.item, glyph_item.glyphs
    n = glyph_string.num_glyphs
    offset, length = item.offset, item.length
    rtl = bool(item.analysis.level % 2)
    info = memoryview(wb.ffi.buffer(glyph_string.glyphs, n * 4 * _GLYPH_INFO)).cast("I")
    clusters = wb.ffi.unpack(glyph_string.log_clusters, n)
    starts = clusters[::-1] if rtl else clusters  # where each glyph's cluster starts, in reading order
    fixes, i, font = [], 0, None
    while i < n:  # each cluster, in reading order
        start = starts[i]
        j = i + 1
        while j < n and starts[j] == start:
            j += 1
        end = starts[j] if j < n else length
        if j - i > 1 or end - start != _utf8_length(utf8[offset + start]):
            if font is None:
                pango_font = item.analysis.font
                font, font_size = stream.add_font(pango_font)  # WeasyPrint's Font of the run
                if font.bitmap:
                    return fixes
            glyphs = _cluster_glyphs(info, n, i, j, rtl, wb)
            if glyphs:
                text = utf8[offset + start : offset + end].decode()
                for glyph, part in _split_cluster(glyphs, text):
                    fixes.append((font, pango_font, font_size, glyph, part, rtl))
        i = j
    return fixes


def _line_fixes(stream, textbox, first_line, wb) -> list[tuple]:
    """The fixes of every run of the line drawn (runs of one glyph per character are right as WeasyPrint maps
    them: all Latin and Chinese text, skipped at once)."""
    fixes, utf8 = [], None
    run = first_line.runs[0]
    while run != wb.ffi.NULL:
        glyph_item = run.data
        run = run.next
        if glyph_item.item.num_chars == glyph_item.glyphs.num_glyphs:
            continue
        utf8 = utf8 or textbox.pango_layout.text.encode()
        fixes += _run_fixes(stream, utf8, glyph_item, wb)
    return fixes


def _companions(stream, font, pango_font, font_size, part, wb) -> list[tuple[int, int]] | None:
    """The invisible glyphs of a right-to-left ligature: one for each of its letters but the last, as (glyph,
    width) from left to right; None when the font lacks a glyph that stands for just that letter."""
    glyphs = []
    for char in reversed(part[:-1]):  # from left to right: the letters before the last, backwards
        glyph = wb.nominal(font.hb_font, char)
        if glyph is None or font.to_unicode.get(glyph, char) != char:
            return None
        if glyph not in font.widths:
            wb.pango.pango_font_get_glyph_extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
            font.widths[glyph] = round(stream.logical_rect.width * 1000 * wb.FROM_UNITS / font_size)
        glyphs.append((glyph, font.widths[glyph]))
    for (glyph, _), char in zip(glyphs, reversed(part[:-1])):
        font.to_unicode[glyph] = char
    return glyphs


def _invisible(companions, width: int, mode: bytes) -> bytes:
    """The invisible letters of a ligature ``width`` wide (thousandths of the font size), written after it:
    squeezed (horizontal scaling) side by side, left to right, over the last ``BACK`` of the ligature (its right
    end, where its first letter is drawn); the pen ends where it was."""
    back = min(BACK, width * len(companions) / (len(companions) + 1))
    share = back / len(companions)
    operations = [b"3 Tr"]
    for i, (companion, companion_width) in enumerate(companions):
        scale = share / companion_width if companion_width > 0 else 1
        jump = f"{back / scale:.0f}" if i == 0 else ""  # under Tz the TJ numbers are scaled too
        operations.append(f"{scale * 100:.4g} Tz [{jump}<{companion:04x}>] TJ".encode())
    operations.append(b"100 Tz " + mode + b" Tr")
    return b" ".join(operations)


def _with_companions(tj: bytes, font, mode: bytes) -> bytes:
    """The TJ operation ``tj`` ("[...] TJ"), cut after each right-to-left ligature to write its invisible
    letters."""
    state = font.kit_text_layer
    out = []
    while True:  # one ligature at a time: the rest of its hex string gets a "<" again
        match = state.pattern.search(tj)
        if match is None:
            out.append(tj)
            return b"".join(out).replace(b"\n[<>] TJ", b"")
        glyph = int(match.group(2), 16)
        key = (glyph, mode)
        if key not in state.invisible:
            written = _invisible(state.companions[glyph], font.widths.get(glyph, 0), mode)
            state.invisible[key] = b">] TJ\n" + written + b"\n["
        out.append(tj[: match.end()] + state.invisible[key])
        tj = b"<" + tj[match.end() :]


def _pattern(companions: dict):
    """A hex string's glyphs (4 hex digits each) up to the first of ``companions``' ligatures."""
    ligatures = b"|".join(f"{glyph:04x}".encode() for glyph in companions)
    return re.compile(rb"(<(?:[0-9a-f]{4})*?(" + ligatures + rb"))")


def _render_mode(stream, start: int) -> bytes:
    """The text render mode where the line starts: SVG text sets one after BT, HTML text never does."""
    for item in reversed(stream.stream[:start]):
        if isinstance(item, bytes):
            if item.endswith(b" Tr"):  # "3 Tr" from SVG, or the end of invisible letters written here
                return item[-4:-3]
            if item == b"BT":
                break
    return b"0"


def _rewrite(stream, start: int, fonts_by_hash: dict, current: str | None) -> None:
    """Write the invisible letters after the right-to-left ligatures of the TJ operations appended to the stream
    from ``start`` on; ``current``: the font in use before them."""
    mode = None
    items = stream.stream
    for index in range(start, len(items)):
        item = items[index]
        if not isinstance(item, bytes):
            continue
        if item.endswith(b" Tf"):
            current = item[1:].split(b" ", 1)[0].decode()
        elif item.endswith(b"] TJ") and current in fonts_by_hash:
            font = fonts_by_hash[current]
            state = font.kit_text_layer
            if state.pattern is None or state.pattern_size != len(state.companions):
                state.pattern, state.pattern_size = _pattern(state.companions), len(state.companions)
            if state.pattern.search(item):
                if mode is None:
                    mode = _render_mode(stream, start)
                items[index] = _with_companions(item, font, mode)


def _state(font) -> SimpleNamespace:
    """What the text layer keeps on a WeasyPrint font: glyphs already mapped (the first text wins), each
    ligature's invisible letters, the pattern that finds them and the operations written after each."""
    state = font.__dict__.get("kit_text_layer")
    if state is None:
        state = SimpleNamespace(fixed=set(), companions={}, pattern=None, pattern_size=0, invisible={})
        font.kit_text_layer = state
    return state


def _fix_line(stream, textbox, start: int, current, wb) -> None:
    """Map the glyphs of the line just drawn (from ``stream.stream[start]`` on) one letter each."""
    first_line = wb.pango.pango_layout_get_line_readonly(textbox.pango_layout.layout, 0)  # the line drawn
    rewrite = {}
    for font, pango_font, font_size, glyph, part, rtl in _line_fixes(stream, textbox, first_line, wb):
        state = _state(font)
        if glyph in state.companions:
            rewrite[font.hash] = font
        if glyph in state.fixed or not part:
            continue
        state.fixed.add(glyph)
        if rtl and len(part) > 1 and all(unicodedata.bidirectional(c) in _RTL for c in part):
            found = _companions(stream, font, pango_font, font_size, part, wb)
            if found:
                state.companions[glyph] = found
                rewrite[font.hash] = font
                part = part[-1]  # the letter drawn at the ligature's left end
        font.to_unicode[glyph] = part
    if rewrite:
        _rewrite(stream, start, rewrite, current)


def install(version: str, draw_text, text_ffi, cffi) -> bool:
    """Wrap WeasyPrint's ``draw_first_line`` (``draw_text``: the module ``weasyprint.draw.text``; ``text_ffi``:
    ``weasyprint.text.ffi``), once. False, and WeasyPrint left as it is, on a version it was not tested with."""
    if getattr(draw_text.draw_first_line, "kit_text_layer", False):
        return True
    if not version.startswith(TESTED):
        log.warning(
            "WeasyPrint %s: the fix for Arabic ligatures in the PDF text layer is off (written for %s)",
            version,
            ", ".join(v + "x" for v in TESTED),
        )
        return False
    original = draw_text.draw_first_line
    wb = SimpleNamespace(
        ffi=text_ffi.ffi,
        pango=text_ffi.pango,
        FROM_UNITS=text_ffi.FROM_UNITS,
        nominal=_nominal_glyph_function(cffi, text_ffi),
    )

    def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
        start = len(stream.stream)
        current = stream._current_font[0] if stream._current_font else None
        drawn = original(stream, textbox, text_overflow, block_ellipsis, matrix)
        if len(stream.stream) != start:  # something drawn
            _fix_line(stream, textbox, start, current, wb)
        return drawn

    draw_first_line.kit_text_layer = True
    draw_first_line.original = original
    draw_text.draw_first_line = draw_first_line
    return True


def uninstall(draw_text) -> None:
    """Put WeasyPrint's own ``draw_first_line`` back (tests compare the text layer with and without)."""
    original = getattr(draw_text.draw_first_line, "original", None)
    if original is not None:
        draw_text.draw_first_line = original
