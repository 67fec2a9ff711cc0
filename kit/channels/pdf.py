"""The PDF channel: lays out rendered HTML with WeasyPrint, checks that every text fits, writes repeatable PDFs.

Print-only facts live here: page counts, print settings (bleed, crop marks), tagging and PDF/UA.
"""

from __future__ import annotations

import calendar
import copy
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import FitError
from ..qr import qr_matrix
from ..render import Rendered, Renderer, check_fit
from .qrslot import Template, install_slots, settle_ids

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project, RenderOptions

log = logging.getLogger("kit")


@dataclass
class Output:
    """What a channel made of one document: its bytes and its page count."""

    data: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class BatchMismatch(Exception):
    """A batch did not split cleanly (a document ran over its pages): lay its documents out one by one."""


def print_css(options: "RenderOptions") -> str:
    """Print settings as CSS, given to every document after the layout's own stylesheets."""
    if not options.bleed_mm:
        return ""
    # Crop marks live in the bleed; the tinted paper runs into it so a cut slightly off shows no white edge.
    # Fold marks (leaflets) are drawn in the bleed too, outside the trim, at each fold.
    b = options.bleed_mm
    # A coloured panel at the sheet's edge (a leaflet cover) runs into the bleed as well.
    return (f"@page {{ bleed: {b:g}mm; marks: crop; background: var(--tint); }}\n"
            f".fold-mark {{ display: block; height: {b * 0.8:.2f}mm; }}\n"
            f".fold-mark.top {{ top: -{b:g}mm; }} .fold-mark.bottom {{ bottom: -{b:g}mm; }}\n"
            f".bleed-edge::before {{ content: ''; position: absolute; top: -{b:g}mm; bottom: -{b:g}mm; "
            f"inset-inline-end: -{b:g}mm; inset-inline-start: 0; background: inherit; z-index: -1; }}")


class PdfChannel:
    """One WeasyPrint set-up (fonts, parsed stylesheets, images) reused for every PDF of a project."""

    name = "pdf"

    def __init__(self, project: "Project", reuse: bool = True):
        self.project = project
        self.reuse = reuse
        self._theme_css = (project.options.theme.css(),)    # before the layout's stylesheets
        self._print_css = (print_css(project.options),)     # after them: print settings win
        self._renderer: Renderer | None = None
        # fontTools (used where libharfbuzz-subset is missing) stamps fonts with the time unless this is set.
        created = project.kb.meta.date
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(calendar.timegm(created.timetuple())))

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(self.project.layouts, extra_roots=list(self.project.allowed_roots),
                                      reuse=self.reuse)
        return self._renderer

    def _tagged(self, doc: "Planned") -> bool:
        return doc.layout.pdf.tagged or self.project.options.pdf_ua

    def identifier(self, doc: "Planned") -> str:
        """The PDF's fixed /ID: the same document gives the same bytes, however it was laid out."""
        event = doc.spec.event.id if doc.spec.event is not None else ""
        return f"{doc.path}|{event}|{self.project.kb.meta.content_version}"

    def _layout(self, doc: "Planned", html: str) -> Rendered:
        try:
            return self.renderer.render(html, doc.layout.stylesheets_for(doc.spec), extra_css=self._theme_css,
                                        after_css=self._print_css, tagged=self._tagged(doc))
        except AssertionError as exc:  # WeasyPrint's layout gives up on some overflowing grids
            raise FitError(f"The {doc.describe()}: the content could not be laid out on the page, "
                           f"most likely because it is too long. {doc.advice()}") from exc

    def permanent_id(self, doc: "Planned") -> bytes:
        return hashlib.sha256(self.identifier(doc).encode()).hexdigest()[:32].encode()

    def _write(self, doc: "Planned", rendered: Rendered, prepared: "Prepared") -> Output:
        tracked = doc.spec.placement is not None
        qr = prepared.context.get("qr") if tracked else None
        if qr:  # a tracked document's QR code is drawn in a slot, so that a template can serve every event
            install_slots(rendered.document, qr["src"], qr_matrix(qr["url"]))
        pdf = self.renderer.write_pdf(rendered, identifier=self.identifier(doc), tagged=self._tagged(doc),
                                      variant="pdf/ua-1" if self.project.options.pdf_ua else None)
        return Output(settle_ids(pdf) if tracked else pdf, rendered.pages)

    def make(self, doc: "Planned", prepared: "Prepared", html: str) -> Output:
        """Lay out one document, check that everything fits (FitError if not), and return its PDF."""
        self.renderer.allow(*prepared.extra_roots)
        rendered = self._layout(doc, html)
        check_fit(rendered, doc.layout.pages(doc.spec), f"The {doc.describe()}", doc.advice())
        return self._write(doc, rendered, prepared)

    def template(self, doc: "Planned", prepared: "Prepared", html: str) -> tuple[Template, int]:
        """A tracked document laid out once (with a stand-in placement code of the same length): every event's
        copy is then made by `from_template`, with the same bytes as laying it out again."""
        output = self.make(doc, prepared, html)
        return Template.from_pdf(output.data), output.pages

    def from_template(self, template: Template, pages: int, doc: "Planned", payload: str | None) -> Output:
        """``doc`` (an event's copy of the template's document) with its own QR code and identifier."""
        matrix = qr_matrix(payload, version=template.version) if template.slots else None
        return Output(template.instance(matrix, self.permanent_id(doc)), pages)

    def make_batch(self, items: list[tuple["Planned", "Prepared", str]]) -> list[Output | FitError]:
        """Lay out many documents of one layout in one WeasyPrint document, then split it: the same bytes as one
        by one, much faster. Raises BatchMismatch when the batch cannot be split cleanly."""
        # The batch's metadata (subject, keywords, author) comes from its head: only documents whose heads are
        # the same but for the title (set per part) are laid out together.
        groups: dict[str, list[int]] = {}
        parts = []
        for index, (doc, prepared, html) in enumerate(items):
            self.renderer.allow(*prepared.extra_roots)
            match = re.search(r"(?s)^(.*?<body[^>]*>)(.*)</body>", html)
            if match is None:
                raise BatchMismatch()
            parts.append(match)
            groups.setdefault(re.sub(r"(?s)<title>.*?</title>", "", match.group(1)), []).append(index)
        if len(groups) > 1:
            results: list = [None] * len(items)
            for indexes in groups.values():
                for index, output in zip(indexes, self.make_batch([items[i] for i in indexes])):
                    results[index] = output
            return results
        if len(items) == 1 or self._tagged(items[0][0]):
            # A tagged document's structure tree would not come out the same from a batch: one by one.
            results = []
            for doc, prepared, html in items:
                try:
                    results.append(self.make(doc, prepared, html))
                except FitError as exc:
                    results.append(exc)
            return results
        first = items[0][0]
        head, bodies = parts[0].group(1), [match.group(2) for match in parts]
        html = head + "".join(f'<div class="batch-doc" data-doc style="break-before: page">{body}</div>'
                              for body in bodies) + "</body></html>"
        rendered = self._layout(first, html)
        expected = [doc.layout.pages(doc.spec) for doc, _, _ in items]
        if None in expected or sum(expected) != rendered.pages:
            raise BatchMismatch()
        results, start = [], 0
        for (doc, prepared, _), count in zip(items, expected):
            pages = rendered.document.pages[start:start + count]
            start += count
            part = Rendered(rendered.document.copy(pages), count)
            part.document.metadata = copy.copy(rendered.document.metadata)
            part.document.metadata.title = prepared.title
            try:
                check_fit(part, count, f"The {doc.describe()}", doc.advice())
            except FitError as exc:
                results.append(exc)
                continue
            results.append(self._write(doc, part, prepared))
        return results
