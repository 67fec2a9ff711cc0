"""Output channels: each takes documents whose template is rendered and writes its kind of file: PDF for print,
PNG cards (social) and slides (PNG screens and a PDF deck), the screens' loop as a video (MP4), the newsletter (.eml and HTML), text messages (sms).
A channel is found by the name a layout declares (`channel:`), imported when first used. Every channel implements
one interface (kit.channels.output.Channel: ``make`` a planned document into a ChannelOutput) and makes one output
type (ChannelOutput); kit's output folder (kit.files) writes it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .output import Channel, ChannelOutput

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


def channel_class(name: str) -> type[Channel]:
    """The class of the channel a layout names (imported now)."""
    module, _, cls = CHANNELS[name].partition(":")
    found = getattr(importlib.import_module(module), cls)
    if not (isinstance(found, type) and issubclass(found, Channel)):
        raise TypeError(f"{CHANNELS[name]} is not a kit channel (kit.channels.output.Channel)")
    return found


def open_channel(name: str, project: Project, **kwargs) -> Channel:
    """A ready channel of the given name for this project (say, the PDF channel with its WeasyPrint set-up)."""
    return channel_class(name)(project, **kwargs)


__all__ = ["CHANNELS", "Channel", "ChannelOutput", "channel_class", "open_channel"]
