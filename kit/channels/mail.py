"""The email channel: the newsletter as a standards-correct .eml (multipart/alternative: plain text, then HTML with
its pictures as related parts) for any mail program or mailing tool, or as the HTML alone with its pictures beside
it. The plain text is wrapped at 78 characters; only an address longer than that keeps a line of its own."""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import textwrap
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..context.channels import DRAFT_SENDER
from ..errors import LayoutError
from .output import Channel, ChannelOutput

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned
    from ..project import Project

LINE = 78


def wrap(text: str, width: int = LINE) -> str:
    """Each paragraph wrapped at ``width``; lines starting with '- ' are list items (their next lines indented);
    words are never split, so an address longer than a line stays whole on its own."""
    out = []
    for line in text.strip("\n").split("\n"):
        if not line.strip():
            out.append("")
            continue
        indent = "  " if line.startswith("- ") else ""
        out.extend(
            textwrap.wrap(
                line.rstrip(), width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
            )
            or [""]
        )
    # at most one blank line between paragraphs
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text + "\n"


class EmailChannel(Channel):
    """Builds the newsletter's .eml or HTML; pictures are drawn once per project."""

    def __init__(self, project: Project, reuse: bool = True):
        super().__init__(project, reuse)
        self._screen = None
        self._pictures: dict[str, bytes] = {}

    def picture(self, name: str) -> bytes:
        if name not in self._pictures:
            if self._screen is None:
                from .screen import ScreenChannel

                self._screen = ScreenChannel(self.project)
            from ..context.channels import EMAIL_IMAGE_PX

            self._pictures[name] = self._screen.picture(name, EMAIL_IMAGE_PX)
        return self._pictures[name]

    def make(self, doc: Planned, prepared: Prepared, html: str) -> ChannelOutput:
        images = prepared.context.get("images", [])
        if doc.spec.format == "html":
            folder = PurePosixPath(doc.path).parent
            files = {str(folder / image["file"]): self.picture(image["name"]) for image in images}
            return ChannelOutput(html.encode("utf-8"), 1, files=files)
        template = doc.layout.message.text_template
        if not template:
            raise LayoutError(
                f"The {doc.layout.name} layout makes e-mail but names no plain-text template "
                "(message: text_template)."
            )
        text = wrap(self.project.layouts.render(template, prepared.context))
        message = self.message(doc, prepared, text, html, images)
        return ChannelOutput(
            message.as_bytes(policy=email.policy.SMTP),
            1,
            info={"subject": prepared.manifest.get("subject", prepared.title)},
        )

    def message(
        self, doc: Planned, prepared: Prepared, text: str, html: str, images: list[dict]
    ) -> EmailMessage:
        """The .eml: headers that repeat (the content's date, an id made of what it is), the two alternatives."""
        project = self.project
        data = project.config.data
        name = prepared.context.get("organisation") or project.kb.meta.organisation
        sender = data.contact.email or DRAFT_SENDER
        message = EmailMessage(policy=email.policy.SMTP)
        message["Subject"] = prepared.manifest.get("subject", prepared.title)
        message["From"] = Address(display_name=name, addr_spec=sender) if "@" in sender else sender
        message["Date"] = format_datetime(dt.datetime.combine(project.kb.meta.date, dt.time(9, 0), dt.UTC))
        domain = urlsplit(project.options.site_base).hostname if project.options.site_base else "kit.invalid"
        digest = hashlib.sha256(f"{doc.path}|{project.kb.meta.content_version}".encode()).hexdigest()[:16]
        message["Message-ID"] = f"<newsletter-{doc.spec.lang}-{digest}@{domain}>"
        message["X-Unsent"] = "1"  # mail programs open it as a draft, ready to address and send
        unsubscribe = prepared.context.get("unsubscribe", "")
        if unsubscribe.startswith("mailto:"):
            message["List-Unsubscribe"] = (
                f"<{unsubscribe}>"  # RFC 2369: mail programs show an unsubscribe button
            )
        message.set_content(text, cte="quoted-printable")
        message.add_alternative(html, subtype="html", cte="quoted-printable")
        html_part = message.get_payload()[1]
        for image in images:
            html_part.add_related(
                self.picture(image["name"]),
                "image",
                "png",
                cid=f"<{image['cid']}>",
                filename=f"{image['name']}.png",
                disposition="inline",
            )
        message["Content-Language"] = doc.spec.lang
        for index, part in enumerate(
            message.walk()
        ):  # boundaries made of what it is: the same bytes every time
            if part.is_multipart():
                part.set_boundary(f"kit-{digest}-{index}")
        return message
