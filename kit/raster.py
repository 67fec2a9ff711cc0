"""PDF pages as pictures through PDFium (pypdfium2), one PDFium call at a time in a process.

PDFium is not thread-safe: two threads calling it at once, even on different documents, crash the process
(pypdfium2's documentation, "Incompatibility with Threading"). kit serve makes its previews on several threads at
once (a pack page shows six or more), so every PDFium call in kit goes through this module's lock, and what leaves
it is a Pillow image that owns its pixels (no PDFium object left for the garbage collector to close later, on
another thread, outside the lock)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Re-entrant: a caller holding it may call another function of this module.
_LOCK = threading.RLock()

WHITE = (255, 255, 255, 255)


@contextmanager
def _pdfium():
    import pypdfium2

    with _LOCK:
        yield pypdfium2


def _render(page, width: int, fill_color: tuple, mode: str):
    """One page ``width`` pixels wide, as a Pillow image of its own (the lock is held)."""
    bitmap = page.render(scale=width / page.get_width(), fill_color=fill_color)
    try:
        image = bitmap.to_pil().convert(mode)  # convert copies: the image no longer points into the bitmap
    finally:
        bitmap.close()
    return image


def first_page(source, width: int, *, fill_color: tuple = WHITE, mode: str = "RGB"):
    """The first page of a PDF (a path or its bytes) as a Pillow image ``width`` pixels wide."""
    with _pdfium() as pdfium:
        document = pdfium.PdfDocument(str(source) if not isinstance(source, bytes) else source)
        try:
            page = document[0]
            try:
                return _render(page, width, fill_color, mode)
            finally:
                page.close()
        finally:
            document.close()


def pages(source: bytes, width: int, *, mode: str = "RGB") -> Iterator:
    """Each page of a PDF as a Pillow image ``width`` pixels wide, one at a time; the lock is taken for each page
    only, so other threads' pictures are not held up by a long document."""
    with _pdfium() as pdfium:
        document = pdfium.PdfDocument(source)
        count = len(document)
    try:
        for index in range(count):
            with _pdfium():
                page = document[index]
                try:
                    image = _render(page, width, WHITE, mode)
                finally:
                    page.close()
            yield image
    finally:
        with _pdfium():
            document.close()
