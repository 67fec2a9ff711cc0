"""What documents say: the template context of each layout, built from the knowledge base (channel-free)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import changes, channels, documents, doorstep, events, letter, site
from .base import Prepared

if TYPE_CHECKING:
    from ..layouts import Layout
    from ..project import Project
    from ..specs import DocSpec

# Context builders by the name a layout declaration gives (`context:`).
BUILDERS = {
    "question": documents.question_poster,
    "campaign": documents.campaign,
    "falc-question": documents.falc_question,
    "falc-leaflet": documents.falc_leaflet,
    "falc-booklet": documents.falc_booklet,
    "event-poster": events.event_poster,
    "invitation": events.invitation,
    "guide": events.guide,
    "memo": events.memo,
    "feedback": events.feedback,
    "print-sheet": events.print_sheet,
    "pocket-card": doorstep.pocket_card,
    "door-hanger": doorstep.door_hanger,
    "mediator-sheet": doorstep.mediator_sheet,
    "letter": letter.letter,
    "site-languages": site.site_languages,
    "site-home": site.site_home,
    "site-question": site.site_question,
    "site-easy-home": site.site_easy_home,
    "site-easy-question": site.site_easy_question,
    "site-glossary": site.site_glossary,
    "site-about": site.site_about,
    "site-changes": changes.site_changes,
    "site-stories": site.site_stories,
    "site-not-found": site.site_not_found,
    "site-library": site.site_library,
    "social-question": channels.social_question,
    "social-story": channels.social_story,
    "newsletter": channels.newsletter,
    "sms": channels.sms,
    "deck": channels.deck,
    "screen-home": channels.screen_home,
    "screen-question": channels.screen_question,
    "screen-story": channels.screen_story,
    "screen-rights": channels.screen_rights,
    "screen-loop": channels.screen_loop,
}


def prepare(spec: DocSpec, layout: Layout, project: Project) -> Prepared:
    """The template context, title and QR codes of one document."""
    return BUILDERS[layout.context](spec, layout, project)


__all__ = ["BUILDERS", "Prepared", "prepare"]
