"""Context of the letter to say no: each route's page with its blanks, where to send it, what to keep and expect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content import LETTER_ROUTES
from .base import Prepared, doc_info, falc_badge, falc_label, glossary_for, ideas, picto, title

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec


def letter(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The letter for ``spec.route`` (one page), or for every route (a page each: the packs' copy), standard (the
    letter, where to find the address, what to keep, what comes next) or Easy-to-Read (how to use it, the letter
    in short sentences, what comes next, the words explained)."""
    texts = project.kb.shared.letter[spec.lang]
    routes = [spec.route] if spec.route else list(LETTER_ROUTES)
    context = {"labels": project.kb.shared.labels[spec.lang], "letter": texts}
    if spec.level == "falc":
        easy = texts.falc
        badge, roots = falc_badge(project, spec)
        pages = [_easy_page(spec, project, route) for route in routes]
        shorts = ", ".join(texts.routes[route].short for route in routes)
        name = title(spec, project, f"{easy.title} – {shorts} – {falc_label(spec, project)}")
        context.update({"doc": doc_info(spec, project, name, easy.title), "easy": easy, "badge": badge})
        return Prepared({**context, "pages": pages}, name, [], extra_roots=roots)
    pages = [{"route": texts.routes[route], "route_id": route} for route in routes]
    shorts = ", ".join(page["route"].short for page in pages)
    name = title(spec, project, f"{texts.falc.title} – {shorts}")  # short: print sheets list it
    context["doc"] = doc_info(spec, project, name, " · ".join(page["route"].name for page in pages))
    return Prepared({**context, "pages": pages}, name, [])


def _easy_page(spec: DocSpec, project: Project, route: str) -> dict:
    """One route's Easy-to-Read page: the steps, where to send the letter, what comes next, the words explained
    (those of the help above the cut line: the letter below it speaks to its addressee)."""
    texts = project.kb.shared.letter[spec.lang]
    easy, easy_route = texts.falc, texts.falc.routes[route]
    send = [{"text": easy_route.to, "picto": picto("envelope", spec.lang, project)}]
    if easy_route.find:
        send.append(
            {"text": easy_route.find, "picto": picto("magnifying-glass-tilted-left", spec.lang, project)}
        )
    help_items = [*ideas(easy.steps, spec.lang, project), *send, *ideas(easy.next, spec.lang, project)]
    return {
        "route": texts.routes[route],
        "route_id": route,
        "easy_route": easy_route,
        "ideas": help_items,
        "words": glossary_for(project, spec.lang, [item["text"] for item in help_items]),
    }
