"""What a channel made of one document: its bytes, pages, facts for the manifest, and files written beside it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class ChannelOutput:
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
