"""The event-pack layouts: Café IA poster, invitation flyers, facilitator guide, advisor memo, feedback form, print sheet."""

from __future__ import annotations

PACK_LAYOUTS: dict = {}
