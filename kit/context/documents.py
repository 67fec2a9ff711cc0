"""Contexts of the campaign's documents: question posters, summary poster, leaflets, Easy-to-Read documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content import FALC_POSTER_IDEAS  # noqa: F401  (its old home: tests and branches import it from here)
from .base import (
    Prepared,
    doc_info,
    falc_badge,
    falc_label,
    falc_questions,
    glossary_for,
    ideas,
    one_qr,
    picto,
    qr_block,
    qr_target,
    questions,
    summary_link,
    title,
    venue_line,
)

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec


def question_poster(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """One question: its texts, pictogram, venue line and a QR code to learn more."""
    question = project.kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    name = title(spec, project, f"{text.question} – {labels.campaign}")
    link = qr_target(spec, project, text.qr_link, question.id)
    context = {
        "doc": doc_info(spec, project, name, text.hook),
        "labels": labels,
        "text": text,
        "question_id": question.id,
        "pictogram": picto(question.pictogram, spec.lang, project),
        "qr": qr_block(link, layout.qr_mm(spec), labels, spec, project),
        "venue_line": venue_line(spec, project),
    }
    return one_qr(context, name)


def campaign(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The summary poster and the tri-fold leaflet: the campaign's summary, the questions, rights and one QR."""
    summary = project.kb.shared.summary[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    # The summary's title is often the campaign's name itself: no "X – X" title then.
    name = title(
        spec,
        project,
        summary.title if labels.campaign in summary.title else f"{summary.title} – {labels.campaign}",
    )
    context = {
        "doc": doc_info(spec, project, name, summary.hook),
        "labels": labels,
        "summary": summary,
        "rights": project.kb.shared.rights[spec.lang],
        "questions": questions(spec, project),
        "qr": qr_block(summary_link(spec, project), layout.qr_mm(spec), labels, spec, project),
        "venue_line": venue_line(spec, project),
    }
    return one_qr(context, name)


# The Easy-to-Read poster is read from a distance: its sentences at 24 pt (A4) with pictures of 20 mm, a headline of
# 40 pt and a QR code a phone reads from 1.5 m leave room for FALC_POSTER_IDEAS ideas (kit.content) and the words
# explained, beside an organisation's footer: the ideas the content flags `wall: true` (else the first), the rest
# behind the QR code.


def falc_question(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """One question in Easy-to-Read for the wall: its wall ideas with their pictures, the words explained."""
    question = project.kb.question(spec.questions[0])
    text = question.translations[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    name = title(spec, project, f"{text.question} – {falc_label(spec, project)}")
    link = qr_target(spec, project, text.qr_link, question.id)
    badge, roots = falc_badge(project, spec)
    items = ideas(question.wall_ideas(spec.lang, project.kb.languages[0]), spec.lang, project, 1)
    context = {
        "doc": doc_info(spec, project, name, text.question),
        "labels": labels,
        "text": text,
        "pictogram": picto(question.pictogram, spec.lang, project),
        "ideas": items,
        "words": glossary_for(project, spec.lang, [text.question, *(i["text"] for i in items)]),
        "qr": qr_block(link, layout.qr_mm(spec), labels, spec, project),
        "badge": badge,
    }
    return one_qr(context, name, roots=roots)


def falc_leaflet(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The Easy-to-Read leaflet: title, the questions (the flap holds the first), the end, one QR code."""
    pages = project.kb.shared.falc[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    name = title(spec, project, f"{pages.title} – {falc_label(spec, project)}")
    found = falc_questions(spec, project)
    badge, roots = falc_badge(project, spec)
    context = {
        "doc": doc_info(spec, project, name, pages.title),
        "labels": labels,
        "pages": pages,
        "intro": ideas(pages.intro, spec.lang, project, len(found)),
        "end": ideas(pages.end, spec.lang, project, len(found)),
        "flap_question": found[0] if found else None,
        "inside_questions": found[1:],
        "qr": qr_block(summary_link(spec, project), layout.qr_mm(spec), labels, spec, project),
        "badge": badge,
    }
    return one_qr(context, name, roots=roots)


def falc_booklet(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The Easy-to-Read booklet: a title page, a page per question, an end page with the QR code."""
    pages = project.kb.shared.falc[spec.lang]
    labels = project.kb.shared.labels[spec.lang]
    name = title(spec, project, f"{pages.title} – {falc_label(spec, project)}")
    found = falc_questions(spec, project)
    total = len(found) + 2
    badge, roots = falc_badge(project, spec)
    context = {
        "doc": doc_info(spec, project, name, pages.title),
        "labels": labels,
        "pages": pages,
        "intro": ideas(pages.intro, spec.lang, project, len(found)),
        "end": ideas(pages.end, spec.lang, project, len(found)),
        "questions": found,
        "page_labels": [
            labels.page.replace("{n}", str(n)).replace("{total}", str(total)) for n in range(1, total + 1)
        ],
        "qr": qr_block(summary_link(spec, project), layout.qr_mm(spec), labels, spec, project),
        "badge": badge,
    }
    return one_qr(context, name, page=total, roots=roots)
