"""Output channels: each takes documents whose template is rendered and writes its kind of file: PDF for print,
PNG cards (social) and slides (PNG screens and a PDF deck), the screens' loop as a video (MP4), the newsletter (.eml and HTML), text messages (sms).
A channel is found by the name a layout declares (`channel:`), imported when first used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project

# channel name -> "module:class"; the module is imported only when a document of that channel is made.
CHANNELS = {
    "pdf": "kit.channels.pdf:PdfChannel",
    "html": "kit.channels.html:HtmlChannel",
    "social": "kit.channels.screen:ScreenChannel",
    "slides": "kit.channels.screen:ScreenChannel",
    "video": "kit.channels.video:VideoChannel",
    "email": "kit.channels.mail:EmailChannel",
    "sms": "kit.channels.sms:SmsChannel",
}


def open_channel(name: str, project: Project, **kwargs):
    """A ready channel of the given name for this project (say, the PDF channel with its WeasyPrint set-up)."""
    module, _, cls = CHANNELS[name].partition(":")
    return getattr(importlib.import_module(module), cls)(project, **kwargs)
