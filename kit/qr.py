"""QR codes as vector SVG: error correction M, a quiet zone of 4 modules, black on white."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache

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


def qr_matrix(url: str, version: int | None = None) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (quiet zone included) of ``url``; with ``version`` the code has exactly that size, or
    qrcode's DataOverflowError says the address is too long for it (documents that share one geometry)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    code.add_data(url)
    code.make(fit=version is None)
    return tuple(tuple(row) for row in code.get_matrix())


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
