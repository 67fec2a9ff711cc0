"""QR slots: a tracked document's QR code painted as an uncompressed form of fixed size, so that one laid-out
document can be given each event's own code by replacing those bytes (and the /ID) in the written PDF.

WeasyPrint paints an SVG picture inline in the page's compressed content stream, where nothing can be edited.
After layout, kit swaps the QR picture of a tracked document for a `QrSlot`: the same box (so the same layout,
clip, /Figure tag and /Alt), painted as a form XObject written uncompressed, with a fixed capacity for its
modules and a marker comment. A `Template` finds the slots and the /ID in the PDF bytes; `instance` writes
another matrix into them (padded with spaces, so no length or offset changes) and the document's own /ID.
Whether a tracked document is laid out alone or made from a template, its bytes are the same (tested).
Internal WeasyPrint API (a picture's drawing replaced, a form added to the page's stream) goes through
`kit.weasy`, whose contract test checks it; the template checks refuse to splice anything they do not recognise.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .. import weasy
from ..qr import QUIET_ZONE, dark_runs, version_of

MARKER = b"%kit-qr-slot\n"  # a content-stream comment: readers ignore it
ID_RE = re.compile(rb"/ID \[\(([0-9a-f]{32})\) \(([0-9a-f]{32})\)\]")


def qr_ops(matrix) -> bytes:
    """A white square, then one rectangle per horizontal run of dark modules, one fill (y downwards, as the page
    is already flipped; DeviceGray keeps pure black)."""
    n = len(matrix)
    out = [f"1 g 0 0 {n} {n} re f 0 g".encode()]
    out += [b"%d %d %d 1 re" % (x, y, length) for y, x, length in dark_runs(matrix)]
    out.append(b"f")
    return b"\n".join(out) + b"\n"


def slot_capacity(n: int) -> int:
    """The most bytes a slot's stream can need for an ``n``-module code: at most ceil(inner / 2) runs a row."""
    inner = n - 2 * QUIET_ZONE
    widest = len(b"%d %d %d 1 re\n" % (n, n, n))
    header = len(f"1 g 0 0 {n} {n} re f 0 g\n".encode()) + len(b"f\n")
    return len(MARKER) + header + inner * ((inner + 1) // 2) * widest


def slot_body(matrix) -> bytes:
    """The exact bytes of a slot stream: marker, operators, space padding to the capacity."""
    body = MARKER + qr_ops(matrix)
    capacity = slot_capacity(len(matrix))
    if len(body) > capacity:  # cannot happen: the capacity bounds every matrix of that size
        raise ValueError(f"QR operators ({len(body)} bytes) exceed the slot ({capacity} bytes)")
    return body + b" " * (capacity - len(body))


class QrSlot:
    """Stands in for a QR picture at drawing time (layout is done): draws the modules as one form, uncompressed
    and of fixed length when it is a slot (``fixed``), else compressed like the rest of the page (WeasyPrint's
    SVG path parser took about 10 ms a code, this a tenth of it)."""

    def __init__(self, original, matrix, fixed: bool = True):
        self.original = original
        self.n = len(matrix)
        self.fixed = fixed
        self.body = slot_body(matrix) if fixed else qr_ops(matrix)

    def __getattr__(self, name):  # intrinsic size and the rest: the SVG picture it replaces (same viewBox)
        return getattr(self.original, name)

    def draw(self, stream, concrete_width, concrete_height, _style):
        # A slot's bytes must be visible, and of fixed length: uncompressed.
        weasy.draw_form(stream, self.body, self.n, concrete_width, concrete_height, compress=not self.fixed)


def install_slots(document, src: str, matrix, fixed: bool = True) -> int:
    """Give every picture of ``document`` whose source is ``src`` (the QR code's data URI) a slot drawing
    ``matrix`` (``fixed``: a slot a template can refill; else a plain drawing); returns how many there were."""
    count = 0
    for page in document.pages:
        for box in weasy.all_boxes(page):
            if weasy.is_picture(box) and box.element is not None and box.element.get("src") == src:
                weasy.replace_picture(box, lambda original: QrSlot(original, matrix, fixed))
                count += 1
    return count


def _ids(pdf: bytes) -> re.Match:
    found = list(ID_RE.finditer(pdf))
    if len(found) != 1:
        raise ValueError(f"expected one /ID in the PDF, found {len(found)}")
    return found[0]


def _changing_id(permanent: bytes, bodies: list[bytes]) -> bytes:
    return hashlib.md5(permanent + b"".join(bodies)).hexdigest().encode()


def settle_ids(pdf: bytes) -> bytes:
    """A tracked document's /ID: its permanent identifier, then a digest of it and of its QR slots (the same
    whether the document was laid out alone or made from a template)."""
    template = Template.from_pdf(pdf)
    return template.instance(None, template.permanent)


@dataclass(frozen=True)
class Template:
    """A written PDF with its QR slots (offsets of fixed-length streams) and its /ID located."""

    pdf: bytes
    slots: tuple[int, ...]
    length: int
    ids: tuple[int, int]
    modules: int = 0  # the slots' code width in modules (quiet zone included)

    @property
    def version(self) -> int:
        return version_of(self.modules)

    @property
    def permanent(self) -> bytes:
        return self.pdf[self.ids[0] : self.ids[0] + 32]

    @classmethod
    def from_pdf(cls, pdf: bytes) -> Template:
        slots, length, start = [], None, 0
        while (offset := pdf.find(MARKER, start)) >= 0:
            head = pdf.rfind(b"<<", 0, offset)
            dictionary = pdf[head:offset]
            match = re.search(rb"/Length (\d+)", dictionary)
            if not dictionary.endswith(b">>\nstream\n") or b"/Filter" in dictionary or not match:
                raise ValueError("a QR slot is not an uncompressed stream")
            size = int(match.group(1))
            if not pdf.startswith(b"\nendstream", offset + size) or (length is not None and size != length):
                raise ValueError("a QR slot's length does not match")
            slots.append(offset)
            length = size
            start = offset + size
        ids = _ids(pdf)
        modules = 0
        if slots:
            header = re.match(rb"1 g 0 0 (\d+) ", pdf[slots[0] + len(MARKER) : slots[0] + len(MARKER) + 40])
            modules = int(header.group(1))
        return cls(pdf, tuple(slots), length or 0, (ids.start(1), ids.start(2)), modules)

    def instance(self, matrix, permanent: bytes) -> bytes:
        """The document with ``matrix`` in every slot (None: keep them) and ``permanent`` (32 hex digits) as
        its identifier."""
        out = bytearray(self.pdf)
        bodies = []
        for offset in self.slots:
            body = self.pdf[offset : offset + self.length] if matrix is None else slot_body(matrix)
            if len(body) != self.length:
                raise ValueError("this QR code does not have the geometry of the document's slot")
            out[offset : offset + self.length] = body
            bodies.append(body)
        out[self.ids[0] : self.ids[0] + 32] = permanent
        out[self.ids[1] : self.ids[1] + 32] = _changing_id(permanent, bodies)
        return bytes(out)
