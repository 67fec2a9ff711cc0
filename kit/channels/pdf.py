"""The PDF channel: lays out rendered HTML with WeasyPrint, checks that every text fits, writes repeatable PDFs.

Print-only facts live here: page counts, print settings (bleed, crop marks), tagging and PDF/UA.
"""

from __future__ import annotations

import calendar
import copy
import hashlib
import itertools
import logging
import os
import re
from typing import TYPE_CHECKING

from .. import weasy
from ..copies import without_copies
from ..copyfit import AreaFit, FitRange, FitSearch, copyfit_groups, set_fit_sizes
from ..errors import FitError
from ..qr import qr_matrix
from ..render import Rendered, Renderer, check_fit, check_rooms, fit_report
from .output import Channel, ChannelOutput
from .qrslot import Template, install_slots, settle_ids

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project, RenderOptions

log = logging.getLogger("kit")


def _pages_of_each(rendered: Rendered, count: int) -> list[int] | None:
    """The pages each document of a batch took, from the document each page shows (each starts a page: its
    ``data-doc`` box is the first the page holds); None when that cannot be told."""
    owners = []
    for page in rendered.document.pages:
        owner = next(
            (
                box.element
                for box in weasy.all_boxes(page)
                if getattr(box, "element", None) is not None and box.element.get("data-doc") is not None
            ),
            None,
        )
        if owner is None:
            return None
        owners.append(owner)
    counts = [len(list(group)) for _, group in itertools.groupby(owners, key=id)]
    return counts if len(counts) == count else None


class BatchMismatch(Exception):
    """A batch did not split cleanly (a document ran over its pages): lay its documents out one by one."""


# Room beyond the bleed for the crop marks (WeasyPrint draws them in the outer half of the CSS bleed): the
# marks stay outside the bleed, where no colour running into the bleed can paint over them.
def mark_room_mm(bleed_mm: float) -> float:
    return max(bleed_mm, 5.0) if bleed_mm else 0.0


def print_css(options: RenderOptions) -> str:
    """Print settings as CSS, given to every document after the layout's own stylesheets."""
    if not options.bleed_mm:
        return ""
    # The sheet is the trim, plus the bleed (printed colour runs into it so a cut slightly off shows no white
    # edge), plus room for the crop marks beyond the bleed. The PDF's BleedBox is set to the bleed when written.
    # Fold marks (leaflets) are drawn in the same room, outside the bleed, at each fold.
    b = options.bleed_mm
    room = mark_room_mm(b)
    # A coloured panel at the sheet's edge (a leaflet cover) runs into the bleed as well, not beyond it.
    return (
        f"@page {{ bleed: {b + room:g}mm; marks: crop; background: var(--tint); }}\n"
        f".fold-mark {{ display: block; height: {room * 0.8:.2f}mm; }}\n"
        f".fold-mark.top {{ top: -{b + room:g}mm; }} .fold-mark.bottom {{ bottom: -{b + room:g}mm; }}\n"
        f".bleed-edge::before {{ content: ''; position: absolute; top: -{b:g}mm; bottom: -{b:g}mm; "
        f"inset-inline-end: -{b:g}mm; inset-inline-start: 0; background: inherit; z-index: -1; }}"
    )


def _bleed_boxes(bleed_mm: float):
    """A finisher that sets each page's BleedBox to the trim plus the bleed (WeasyPrint puts it at most 10 pt
    from the trim, wherever the marks are)."""
    return weasy.bleed_boxes_finisher(bleed_mm * 72 / 25.4)


class PdfChannel(Channel):
    """One WeasyPrint set-up (fonts, parsed stylesheets, images) reused for every PDF of a project."""

    name = "pdf"

    def __init__(self, project: Project, reuse: bool = True):
        super().__init__(project, reuse)
        self._theme_css = (project.options.theme.css(),)  # before the layout's stylesheets
        self._print_css = (print_css(project.options),)  # after them: print settings win
        self._renderer: Renderer | None = None
        self._fitted: dict[str, dict[str, float]] = {}  # copyfit sizes found, by document text (see _fit_key)
        self.layouts_done = 0  # layouts made, copyfit tries included (benchmarks)
        # fontTools (used where libharfbuzz-subset is missing) stamps fonts with the time unless this is set.
        created = project.kb.meta.date
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(calendar.timegm(created.timetuple())))

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer(
                self.project.layouts, extra_roots=list(self.project.allowed_roots), reuse=self.reuse
            )
        return self._renderer

    def _tagged(self, doc: Planned) -> bool:
        return doc.layout.pdf.tagged or self.project.options.pdf_ua

    def identifier(self, doc: Planned) -> str:
        """The PDF's fixed /ID: the same document gives the same bytes, however it was laid out."""
        event = doc.spec.event.id if doc.spec.event is not None else ""
        return f"{doc.path}|{event}|{self.project.kb.meta.content_version}"

    def _layout(self, doc: Planned, html: str) -> Rendered:
        self.layouts_done += 1
        try:
            return self.renderer.render(
                html,
                doc.layout.stylesheets_for(doc.spec),
                extra_css=self._theme_css,
                after_css=self._print_css,
                tagged=self._tagged(doc),
            )
        except AssertionError as exc:  # WeasyPrint's layout gives up on some overflowing grids
            raise FitError(
                f"The {doc.describe()}: the content could not be laid out on the page, "
                f"most likely because it is too long. {doc.advice()}"
            ) from exc

    def permanent_id(self, doc: Planned) -> bytes:
        return hashlib.sha256(self.identifier(doc).encode()).hexdigest()[:32].encode()

    def _write(self, doc: Planned, rendered: Rendered, prepared: Prepared) -> ChannelOutput:
        tracked = doc.spec.placement is not None
        qr = prepared.context.get("qr")
        if isinstance(qr, dict) and "src" in qr:
            # The QR code is drawn as rectangles, not through WeasyPrint's SVG parser (a tenth of the time); a
            # tracked document's in a slot of fixed length, so that a template can serve every event.
            install_slots(rendered.document, qr["src"], qr_matrix(qr["url"]), fixed=tracked)
        # A layout declared tagged (the Easy-to-Read ones) is always a full PDF/UA-1: identifier and XMP title too.
        pdf = self.renderer.write_pdf(
            rendered,
            identifier=self.identifier(doc),
            tagged=self._tagged(doc),
            variant="pdf/ua-1" if self._tagged(doc) else None,
            finisher=_bleed_boxes(self.project.options.bleed_mm) if self.project.options.bleed_mm else None,
        )
        return ChannelOutput(settle_ids(pdf) if tracked else pdf, rendered.pages)

    # --- copyfit ---------------------------------------------------------------------------------

    @staticmethod
    def _fit_key(doc: Planned, html: str) -> str:
        """Documents with the same layout, format and text get the same sizes: searched once per process."""
        return hashlib.sha256(
            f"{doc.layout.name}|{doc.layout.level}|{doc.spec.format}|{html}".encode()
        ).hexdigest()

    def _searches(self, doc: Planned, html: str) -> dict[str, FitSearch] | dict[str, float]:
        """Sizes already found for this text, or a search per copyfit group (none: the layout has no copyfit)."""
        fit = doc.layout.fit_range(doc.spec)
        groups = copyfit_groups(html)
        if fit is None or not groups:
            return {}
        found = self._fitted.get(self._fit_key(doc, html))
        if found is not None:
            return dict(found)
        first = doc.layout.fit_first(doc.spec)
        return {group: FitSearch(FitRange(*fit), first) for group in groups}

    @staticmethod
    def _searching(searches: dict) -> bool:
        return any(isinstance(s, FitSearch) for s in searches.values())

    @staticmethod
    def _trial(searches: dict) -> dict[str, float]:
        return {
            group: (s.result if s.done else s.size) if isinstance(s, FitSearch) else s
            for group, s in searches.items()
        }

    @staticmethod
    def _feed(searches: dict, report: dict[str, AreaFit]) -> bool:
        """Give each unfinished search the outcome of the last layout; True when every search is finished.
        A layout that cannot tell for a group (another area ran onto a page of its own) is tried again at the same
        size, unless no search at all could learn from it: then those groups count it as not fitting."""
        waiting = [(group, s) for group, s in searches.items() if isinstance(s, FitSearch) and not s.done]
        results = {group: report.get(group, AreaFit(True, None)) for group, _ in waiting}
        if waiting and all(results[group].fits is None for group, _ in waiting):
            results = {group: AreaFit(False, r.fill) for group, r in results.items()}
        for group, search in waiting:
            if results[group].fits is not None:
                search.feed(results[group])
        return all(not isinstance(s, FitSearch) or s.done for s in searches.values())

    def _remember(self, doc: Planned, html: str, searches: dict) -> dict[str, float]:
        final = self._trial(searches)
        if any(isinstance(s, FitSearch) for s in searches.values()):
            self._fitted[self._fit_key(doc, html)] = final
        return final

    def _fit(self, doc: Planned, html: str) -> Rendered:
        """Lay the document out with every copyfit group at the largest size at which it fits (a few layouts;
        the sizes are remembered by text). Without copyfit, one layout."""
        searches = self._searches(doc, html)
        expected = doc.layout.pages(doc.spec)
        kept: dict[tuple, Rendered] = {}
        # Copies of one text (data-copy) cost one layout where the renderer copies them (untagged): every try is
        # then a whole layout, and the last that fits is kept. A tagged document's tries leave its copies out.
        tries = without_copies(html) if self._tagged(doc) else html
        while True:
            trial = self._trial(searches)
            searching = self._searching(searches)
            rendered = self._layout(doc, set_fit_sizes(tries if searching else html, trial))
            if not searching:
                return rendered
            report = fit_report(rendered, expected)
            if all(r.fits for r in report.values()) and tries == html:
                kept = {tuple(sorted(trial.items())): rendered}
            if self._feed(searches, report):
                break
        final = self._remember(doc, html, searches)
        return kept.get(tuple(sorted(final.items()))) or self._layout(doc, set_fit_sizes(html, final))

    def make(self, doc: Planned, prepared: Prepared, html: str) -> ChannelOutput:
        """Lay out one document (copyfit first), check that everything fits (FitError if not), return its PDF."""
        self.renderer.allow(*prepared.extra_roots)
        rendered = self._fit(doc, html)
        check_fit(rendered, doc.layout.pages(doc.spec), f"The {doc.describe()}", doc.advice())
        check_rooms(rendered, f"The {doc.describe()}", doc.advice())
        return self._write(doc, rendered, prepared)

    def template(self, doc: Planned, prepared: Prepared, html: str) -> tuple[Template, int]:
        """A tracked document laid out once (with a stand-in placement code of the same length): every event's
        copy is then made by `from_template`, with the same bytes as laying it out again."""
        output = self.make(doc, prepared, html)
        return Template.from_pdf(output.data), output.pages

    def from_template(
        self, template: Template, pages: int, doc: Planned, payload: str | None
    ) -> ChannelOutput:
        """``doc`` (an event's copy of the template's document) with its own QR code and identifier."""
        matrix = qr_matrix(payload, version=template.version) if template.slots else None
        return ChannelOutput(template.instance(matrix, self.permanent_id(doc)), pages)

    def _batch_layout(self, head: str, bodies: list[str], docs: list[Planned]) -> list[Rendered]:
        """Lay out documents of one layout in one WeasyPrint document and split it, one part per document."""
        html = (
            head
            + "".join(
                f'<div class="batch-doc" data-doc style="break-before: page">{body}</div>' for body in bodies
            )
            + "</body></html>"
        )
        rendered = self._layout(docs[0], html)
        expected = [doc.layout.pages(doc.spec) for doc in docs]
        if None in expected:  # documents of flowing pages: where each one starts
            expected = _pages_of_each(rendered, len(docs))
        if expected is None or sum(expected) != rendered.pages:
            raise BatchMismatch()
        parts, start = [], 0
        for count in expected:
            pages = rendered.document.pages[start : start + count]
            start += count
            part = Rendered(rendered.document.copy(pages), count)
            part.document.metadata = copy.copy(rendered.document.metadata)
            parts.append(part)
        return parts

    def make_batch(self, items: list[tuple[Planned, Prepared, str]]) -> list[ChannelOutput | FitError]:
        """Lay out many documents of one layout in one WeasyPrint document, then split it: the same bytes as one
        by one, much faster. Copyfit runs for all of them at once: each layout of the batch is a try for every
        document still searching (the same tries, in the same order, as one by one). Raises BatchMismatch when
        the batch cannot be split cleanly."""
        # The batch's metadata (subject, keywords, author) comes from its head: only documents whose heads are
        # the same but for the title (set per part) are laid out together.
        groups: dict[str, list[int]] = {}
        matches = []
        for index, (_doc, prepared, html) in enumerate(items):
            self.renderer.allow(*prepared.extra_roots)
            match = re.search(r"(?s)^(.*?<body[^>]*>)(.*)</body>", html)
            if match is None:
                raise BatchMismatch()
            matches.append(match)
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
        head, bodies = matches[0].group(1), [match.group(2) for match in matches]
        searches = [self._searches(doc, html) for doc, _, html in items]
        final: list[Rendered | None] = [None] * len(items)
        kept: list[dict[tuple, Rendered]] = [{} for _ in items]
        waiting = list(range(len(items)))
        while waiting:
            trials = [self._trial(searches[i]) for i in waiting]
            searching = [self._searching(searches[i]) for i in waiting]
            parts = self._batch_layout(
                head,
                [set_fit_sizes(bodies[i], trial) for i, trial in zip(waiting, trials)],
                [items[i][0] for i in waiting],
            )
            still = []
            for i, trial, part, s in zip(waiting, trials, parts, searching):
                doc = items[i][0]
                if not s:
                    final[i] = part
                    continue
                report = fit_report(part, doc.layout.pages(doc.spec))
                if all(r.fits for r in report.values()):  # untagged: copies are copied, every try is whole
                    kept[i] = {tuple(sorted(trial.items())): part}
                if not self._feed(searches[i], report):
                    still.append(i)
                    continue
                sizes = self._remember(doc, items[i][2], searches[i])
                final[i] = kept[i].get(tuple(sorted(sizes.items())))
                if final[i] is None:
                    searches[i] = sizes  # found, not laid out at those sizes yet: once more
                    still.append(i)
            waiting = still
        results = []
        for (doc, prepared, _), part in zip(items, final):
            part.document.metadata.title = prepared.title
            try:
                check_fit(part, part.pages, f"The {doc.describe()}", doc.advice())
                check_rooms(part, f"The {doc.describe()}", doc.advice())
            except FitError as exc:
                results.append(exc)
                continue
            results.append(self._write(doc, part, prepared))
        return results
