"""The screen channels (social and slides): a document laid out at its size in CSS pixels with the PDF channel's
WeasyPrint set-up and fit checks, then rasterised with pypdfium2 to a PNG of exactly that many pixels; or, for the
format "16:9", written as a PDF deck of 1920 x 1080 pixel pages.

Screens have two checks of their own: bands kept free of text where platforms lay their buttons over a story
(``free_px``), and no text smaller than ``min_text_px`` (read on a phone, or from across a room), but in elements
marked ``data-small`` (credits)."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from .. import weasy
from ..errors import FitError
from ..layouts import DECK_FORMAT, screen_px
from ..render import Rendered, check_fit
from .output import Channel, ChannelOutput
from .pdf import PdfChannel

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project

log = logging.getLogger("kit")

PNG_COLOURS = (
    256  # cards are flat colours and anti-aliased type: a palette keeps them small, and exact enough
)
PNG_COMPRESSION = 6


def _text_boxes(rendered: Rendered):
    """(page number, text box, whether it is small print) for every piece of text laid out."""
    boxes = weasy.box_types()

    def walk(box, small):
        element = getattr(box, "element", None)
        if element is not None and element.get("data-small") is not None:
            small = True
        if isinstance(box, boxes.TextBox) and box.text.strip():
            yield box, small
        for child in weasy.children(box):
            yield from walk(child, small)

    for number, page in enumerate(rendered.document.pages, start=1):
        for box, small in walk(weasy.page_box(page), False):
            yield number, box, small


def check_screen(rendered: Rendered, doc: Planned) -> None:
    """Text inside the free bands of its format, or smaller than the layout allows: a FitError naming it."""
    screen = doc.layout.screen
    _, height = screen_px(doc.spec.format)
    top, bottom = screen.free_px.get(doc.spec.format, (0, 0))
    what = f"The {doc.describe()}"
    for page, box, small in _text_boxes(rendered):
        text = box.text.strip()[:50]
        y0, y1 = box.position_y, box.position_y + box.margin_height()
        if top and y0 < top - 0.5 or bottom and y1 > height - bottom + 0.5:
            raise FitError(
                f'{what}: "{text}" (page {page}) is in the top {top} or bottom {bottom} pixels, which '
                f"the platforms cover with their buttons. {doc.advice()}"
            )
        size = box.style["font_size"]
        if not small and size < screen.min_text_px - 0.01:
            raise FitError(
                f'{what}: "{text}" (page {page}) is {size:g} px, smaller than the {screen.min_text_px:g} px '
                f"this layout needs to be read. Make it bigger in the layout, or mark it data-small."
            )


def rasterise(pdf: bytes, width: int, height: int, transparent: bool = False) -> bytes:
    """The first page of a PDF as a PNG of exactly ``width`` x ``height`` pixels (palette, optimised, repeatable);
    ``transparent``: what the page leaves unpainted stays see-through (a picture for e-mail), full colour."""
    from PIL import Image

    from kit import raster

    image = raster.first_page(
        pdf,
        width,
        fill_color=(255, 255, 255, 0 if transparent else 255),
        mode="RGBA" if transparent else "RGB",
    )
    if transparent:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    if image.size != (width, height):  # a rounding pixel: the page is exactly the format, so pad or trim it
        canvas = Image.new("RGB", (width, height), "white")
        canvas.paste(image.crop((0, 0, min(width, image.width), min(height, image.height))))
        image = canvas
    # A palette (fast octree, no dithering: flat colours stay flat) and zlib's default level: a third of the full
    # colour file, five times faster to write than Pillow's 'optimize'.
    image = image.quantize(colors=PNG_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESSION)
    return buffer.getvalue()


class ScreenChannel(Channel):
    """Cards and slides: one WeasyPrint set-up (the PDF channel's) for every screen document of a project."""

    def __init__(self, project: Project, reuse: bool = True):
        super().__init__(project, reuse)
        self.pdf = PdfChannel(project, reuse=reuse)

    def layout(self, doc: Planned, html: str) -> Rendered:
        width, height = screen_px(doc.spec.format)
        page = f"@page {{ size: {width}px {height}px; margin: 0; }}"
        try:
            return self.pdf.renderer.render(
                html, doc.layout.stylesheets_for(doc.spec), extra_css=self.pdf._theme_css, after_css=(page,)
            )
        except AssertionError as exc:  # WeasyPrint's layout gives up on some overflowing boxes
            raise FitError(
                f"The {doc.describe()}: the content could not be laid out, most likely because it is "
                f"too long. {doc.advice()}"
            ) from exc

    def make(self, doc: Planned, prepared: Prepared, html: str) -> ChannelOutput:
        """Lay out one card or slide deck, check that everything fits and is readable, and return its PNG or PDF."""
        self.pdf.renderer.allow(*prepared.extra_roots)
        rendered = self.layout(doc, html)
        check_fit(rendered, doc.layout.pages(doc.spec), f"The {doc.describe()}", doc.advice())
        check_screen(rendered, doc)
        pdf = self.pdf.renderer.write_pdf(
            rendered, identifier=f"{doc.path}|{self.project.kb.meta.content_version}"
        )
        if doc.spec.format == DECK_FORMAT:
            return ChannelOutput(pdf, rendered.pages)
        width, height = screen_px(doc.spec.format)
        png = rasterise(pdf, width, height)
        return ChannelOutput(png, 1, info={"pixels": [width, height], "bytes": len(png)})

    def picture(self, picto_id: str, px: int) -> bytes:
        """A pictogram as a transparent PNG of ``px`` x ``px`` pixels (for e-mail, where SVG is not shown)."""
        from ..pictograms import pictogram_uri

        html = (
            f'<html><body style="margin:0;background:transparent"><img src="{pictogram_uri(picto_id, self.project.options.bw)}" '
            f'style="display:block;width:{px}px;height:{px}px" alt=""></body></html>'
        )
        page = f"@page {{ size: {px}px {px}px; margin: 0; }}"
        rendered = self.pdf.renderer.render(html, [], after_css=(page,))
        pdf = self.pdf.renderer.write_pdf(rendered, identifier=f"picture|{picto_id}|{px}")
        return rasterise(pdf, px, px, transparent=True)
