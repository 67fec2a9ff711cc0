"""QR codes as vector SVG: error correction M, a quiet zone of 4 modules, black on white."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache

QUIET_ZONE = 4


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


def version_of(modules: int) -> int:
    """The QR version of a matrix ``modules`` wide (quiet zone included)."""
    return (modules - 2 * QUIET_ZONE - 17) // 4


@lru_cache(maxsize=1024)
def make_qr(url: str, dark: str = "#000000", light: str = "#ffffff") -> QrCode:
    """Encode ``url``; the SVG draws one path of merged dark runs over a light square."""
    matrix = qr_matrix(url)
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="{light}"/>'
        f'<path fill="{dark}" d="{"".join(runs)}"/></svg>'
    )
    return QrCode(url=url, modules=size, version=version_of(size), svg=svg)
