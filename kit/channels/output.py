"""What a channel is (``Channel``, the interface every channel implements) and what it makes of one document
(``ChannelOutput``: its bytes, pages, facts for the manifest, and files written beside it)."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project


@dataclass
class ChannelOutput:
    """What a channel made of one document, whatever the channel (a site page adds what it links to: Page)."""

    data: bytes
    pages: int = 1
    info: dict = field(
        default_factory=dict
    )  # added to the document's manifest entry (pixels, bytes, encoding...)
    files: dict = field(
        default_factory=dict
    )  # more files, by path relative to the output folder (the newsletter's
    # pictures beside its HTML)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class Channel(ABC):
    """A channel: made once for a project (``reuse``: keep what it sets up, fonts and pictures, between
    documents), then ``make`` turns one planned document, its context and its rendered template into a
    ChannelOutput. It writes nothing: the caller writes the output through kit's output folder (kit.files).
    ``kit.channels.CHANNELS`` names each channel's class; every one is a Channel (tested)."""

    name: ClassVar[str] = (
        ""  # the name a layout declares (``channel:``); a class serving several leaves it empty
    )

    def __init__(self, project: Project, reuse: bool = True):
        self.project = project
        self.reuse = reuse

    @abstractmethod
    def make(self, doc: Planned, prepared: Prepared, html: str) -> ChannelOutput:
        """The document's file (and files beside it), checked; raises FitError or LayoutError naming it."""
