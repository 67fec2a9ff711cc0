"""Context of the letter to say no: one route's letter with its blanks, where to send it, what to keep and expect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Prepared, doc_info, falc_badge, falc_label, glossary_for, ideas, picto, title

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec


def letter(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The letter for ``spec.route``: standard (the letter, where to find the address, what to keep, what comes
    next) or Easy-to-Read (how to use it, the letter in short sentences, what comes next, the words explained)."""
    kb = project.kb
    texts = kb.shared.letter[spec.lang]
    labels = kb.shared.labels[spec.lang]
    route = texts.routes[spec.route]
    context = {"labels": labels, "letter": texts, "route": route, "route_id": spec.route}
    if spec.level == "falc":
        easy = texts.falc
        easy_route = easy.routes[spec.route]
        name = title(spec, project, f"{easy.title} – {route.short} – {falc_label(spec, project)}")
        steps = ideas(easy.steps, spec.lang, project)
        after = ideas(easy.next, spec.lang, project)
        send = [{"text": easy_route.to, "picto": picto("envelope", spec.lang, project)}]
        if easy_route.find:
            send.append(
                {"text": easy_route.find, "picto": picto("magnifying-glass-tilted-left", spec.lang, project)}
            )
        badge, roots = falc_badge(project, spec)
        # The words explained: those of the help above the cut line (the letter below it speaks to its addressee).
        written = [i["text"] for i in steps + send + after]
        context.update(
            {
                "doc": doc_info(spec, project, name, easy.title),
                "easy": easy,
                "easy_route": easy_route,
                "steps": steps,
                "send": send,
                "after": after,
                "words": glossary_for(project, spec.lang, written),
                "badge": badge,
            }
        )
        return Prepared(context, name, [], extra_roots=roots)
    name = title(spec, project, f"{texts.falc.title} – {route.short}")  # short: print sheets list it
    context["doc"] = doc_info(spec, project, name, route.name)
    return Prepared(context, name, [])
