"""QR codes as vector SVG: error correction M, a quiet zone of 4 modules, black on white."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .addresses import CODE_LENGTH, CODE_PARAMETER

QUIET_ZONE = 4

# How long a link a QR code of a given printed size can carry and still be read by a phone.
# A QR code of version v has 17 + 4v modules (its smallest squares) a side. Phones read a code reliably when a
# module is at least QR_MIN_MODULE_MM on paper (they are held about ten times the code's width away, and office
# printers spread ink into smaller squares): a symbol S mm wide may have at most S / QR_MIN_MODULE_MM modules,
# which gives its largest version; at error correction M (what kit prints) that version holds a known number of
# bytes (qrcode's own table). A pack with tracking adds '?p=' and a placement code: that much is kept free.
# Kit's smallest codes: 32 mm (question posters: version 15, 412 bytes) and 22 mm (invitations: version 9, 180).
QR_MIN_MODULE_MM = 0.4
# The smallest QR codes kit's layouts print (qr_mm, in mm): a question's link on the question posters (A4: 32 mm,
# standard and FALC); the summary link, and kit.toml's addresses, on the invitations (22 mm, four to a sheet).
# A link must fit the smallest code that carries it (tests keep these at or under the layouts' sizes: the
# posters' codes are now bigger, sized for their reading distance, and these bounds stay those of a code read
# close up).
QR_QUESTION_MM = 32
QR_CAMPAIGN_MM = 22
# kit.toml [site] base_url: the site's page paths are added to it (<lang>/<easy-to-read word>/<question word>/).
SITE_PATH_RESERVE = 40
PLACEMENT_RESERVE = len(f"?{CODE_PARAMETER}=") + CODE_LENGTH


def qr_capacity(symbol_mm: float) -> int:
    """Bytes a QR code ``symbol_mm`` wide (quiet zone excluded) holds at error correction M and stays readable."""
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.util import BIT_LIMIT_TABLE

    version = min(40, int((symbol_mm / QR_MIN_MODULE_MM - 17) // 4))
    if version < 1:
        return 0
    count_bits = 8 if version < 10 else 16  # byte mode: the length field grows at version 10
    return (BIT_LIMIT_TABLE[ERROR_CORRECT_M][version] - 4 - count_bits) // 8


def max_link_chars(symbol_mm: float) -> int:
    """The longest link (in bytes of UTF-8: characters, for plain addresses) a QR code ``symbol_mm`` wide may
    carry, keeping room for a placement code."""
    return max(0, qr_capacity(symbol_mm) - PLACEMENT_RESERVE)


def link_length(url: str) -> int:
    return len(url.encode("utf-8"))


@dataclass(frozen=True)
class QrCode:
    url: str
    modules: int  # width in modules, quiet zone included
    version: int
    svg: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@lru_cache(maxsize=64)  # a document's picture and its drawing ask for the same code
def qr_matrix(url: str, version: int | None = None) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (quiet zone included) of ``url``; with ``version`` the code has exactly that size, or
    qrcode's DataOverflowError says the address is too long for it (documents that share one geometry).
    qrcode draws the matrix; kit chooses its mask (`best_mask`: the one qrcode would choose, found faster)."""
    import qrcode
    from qrcode import util
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    code.add_data(url)
    if version is None:
        code.best_fit()
    code.data_cache = util.create_data(code.version, code.error_correction, code.data_list)
    code.mask_pattern = best_mask(code.version, code.data_cache)
    code.make(fit=False)
    return tuple(tuple(row) for row in code.get_matrix())


# --- the mask: qrcode's choice, computed on whole rows ---------------------------------------------------------
# qrcode tries its eight masks by drawing the code eight times and scoring each drawing module by module (4 ms a
# code: a tracked pack makes seven or eight codes per event). The same scores (ISO/IEC 18004 penalty rules, as
# qrcode counts them: runs of five or more, 2 x 2 blocks, finder-like patterns, dark share) are computed here on
# rows held as strings and integers, from a drawing of the code's fixed parts made once per version. A test
# compares the choice with qrcode's own on many addresses of every size kit prints.

_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER = re.compile(r"(?=10111010000|00001011101)")


@cache
def _geometry(version: int):
    """For one version: the dark modules of its fixed parts (as qrcode's test drawing has them: format and
    version information light), its data modules in placement order, and each mask's modules as row integers
    (column c is bit n - 1 - c)."""
    import qrcode
    from qrcode import util
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M)
    n = code.modules_count = version * 4 + 17
    code.modules = [[None] * n for _ in range(n)]
    for row, col in ((0, 0), (n - 7, 0), (0, n - 7)):
        code.setup_position_probe_pattern(row, col)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(True, 0)
    if version >= 7:
        code.setup_type_number(True)
    modules = code.modules
    fixed = [sum(1 << (n - 1 - c) for c in range(n) if modules[r][c]) for r in range(n)]
    places = []  # qrcode's map_data order: pairs of columns from the right, up then down
    row, step = n - 1, -1
    for col in range(n - 1, 0, -2):
        if col <= 6:
            col -= 1
        while True:
            for c in (col, col - 1):
                if modules[row][c] is None:
                    places.append((row, c))
            row += step
            if row < 0 or row >= n:
                row -= step
                step = -step
                break
    masks = []
    for pattern in range(8):
        dark = util.mask_func(pattern)
        rows = [0] * n
        for r, c in places:
            if dark(r, c):
                rows[r] |= 1 << (n - 1 - c)
        masks.append(rows)
    return n, fixed, places, masks


def _penalty(rows: list[int], n: int) -> int:
    """qrcode's score of one drawing (lower is better)."""
    lines = [format(row, f"0{n}b") for row in rows]
    text = "|".join(lines + ["".join(column) for column in zip(*lines)])  # rows and columns, kept apart
    runs = _RUN.findall(text)
    score = sum(map(len, runs)) - 2 * len(runs) + 40 * len(_FINDER.findall(text))
    full, pairs = (1 << n) - 1, (1 << (n - 1)) - 1
    for upper, lower in zip(rows, rows[1:]):
        same = ~(upper ^ lower) & full
        score += 3 * (same & (same >> 1) & ~(upper ^ (upper >> 1)) & pairs).bit_count()
    dark = sum(row.bit_count() for row in rows)
    return score + int(abs(float(dark) / (n**2) * 100 - 50) / 5) * 10


def best_mask(version: int, data: list[int]) -> int:
    """The mask qrcode's best_mask_pattern chooses for these codewords (the first of the lowest score)."""
    n, fixed, places, masks = _geometry(version)
    bits = [0] * n
    for index, (r, c) in enumerate(places[: len(data) * 8]):
        if (data[index >> 3] >> (7 - (index & 7))) & 1:
            bits[r] |= 1 << (n - 1 - c)
    scores = [_penalty([f | (b ^ m) for f, b, m in zip(fixed, bits, mask)], n) for mask in masks]
    return scores.index(min(scores))


def dark_runs(matrix):
    """Each horizontal run of dark modules of a QR matrix, row by row: (row, first column, length). The SVG of
    make_qr and the PDF slot of channels.qrslot draw one rectangle per run."""
    size = len(matrix)
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def version_of(modules: int) -> int:
    """The QR version of a matrix ``modules`` wide (quiet zone included)."""
    return (modules - 2 * QUIET_ZONE - 17) // 4


@lru_cache(maxsize=1024)
def make_qr(url: str, dark: str = "#000000", light: str = "#ffffff") -> QrCode:
    """Encode ``url``; the SVG draws one path of merged dark runs over a light square."""
    matrix = qr_matrix(url)
    size = len(matrix)
    runs = [f"M{x} {y}h{length}v1h-{length}z" for y, x, length in dark_runs(matrix)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="{light}"/>'
        f'<path fill="{dark}" d="{"".join(runs)}"/></svg>'
    )
    return QrCode(url=url, modules=size, version=version_of(size), svg=svg)
