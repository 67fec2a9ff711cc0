"""Context of the site's "what changed" page: the knowledge base's record of changes (changes.yaml), newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..locales import date_words
from .base import Prepared
from .site import Page

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec


def site_changes(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """Each content version with its date and what changed in the texts and why, in the page's language."""
    page = Page(spec, layout, project)
    record = project.kb.part("changes")
    lang = spec.lang
    heading = record.title.get(lang) or record.title.get("en") or "What changed"
    intro = record.intro.get(lang, "")
    context = page.frame(heading, intro or heading)
    context.update(
        heading=heading,
        intro=intro,
        entries=[
            {
                "version": entry.version,
                "date": date_words(entry.date, page.locale),
                "iso": entry.date.isoformat(),
                "lines": [page.text(line) for line in entry.changes[lang]],
            }
            for entry in sorted(record.changes, key=lambda e: e.date, reverse=True)
            if lang in entry.changes
        ],
    )
    return Prepared(context, context["doc"]["title"], [])
