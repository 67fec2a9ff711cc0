"""The SMS channel: a text message per question, counted as a phone sends it.

A message in the GSM 03.38 alphabet (GSM-7) holds 160 characters, those of its extension table counting two;
one character outside it (ê, â, î, ô, û, ç, œ, emoji...) makes the whole message UCS-2, which holds 70. The
typographic spaces and quotes kit prints elsewhere are written plainly here, so they never cost a message."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ..errors import FitError
from .output import Channel, ChannelOutput

if TYPE_CHECKING:
    from ..context import Prepared
    from ..plan import Planned

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")  # each sent as an escape and the character: two septets
GSM_LIMIT, UCS2_LIMIT = 160, 70
PLAIN = str.maketrans(
    {
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "…": "...",
    }
)


def plain(text: str) -> str:
    """A message as it should be sent: plain spaces, quotes and dashes, one line."""
    return " ".join(text.translate(PLAIN).split())


def gsm7_length(text: str) -> int | None:
    """Septets the text takes in GSM-7, or None when a character is not in the GSM 03.38 alphabet."""
    if any(ch not in GSM_BASIC and ch not in GSM_EXTENSION for ch in text):
        return None
    return len(text) + sum(ch in GSM_EXTENSION for ch in text)


def measure(text: str) -> dict:
    """How a phone sends the text: its encoding, its length in that encoding and the limit of one message."""
    septets = gsm7_length(text)
    if septets is not None:
        return {"encoding": "GSM-7", "length": septets, "limit": GSM_LIMIT, "unicode_characters": []}
    others = sorted({ch for ch in text if ch not in GSM_BASIC and ch not in GSM_EXTENSION})
    return {
        "encoding": "UCS-2",
        "length": len(text.encode("utf-16-le")) // 2,
        "limit": UCS2_LIMIT,
        "unicode_characters": others,
    }


class SmsChannel(Channel):
    """Writes each message as plain text and refuses one that would not go in a single message."""

    def make(self, doc: Planned, prepared: Prepared, html: str) -> ChannelOutput:
        message = plain(html)
        sized = measure(message)
        if sized["length"] > sized["limit"]:
            why = ""
            if sized["encoding"] == "UCS-2":
                why = (
                    f" ({' '.join(sized['unicode_characters'])} {'is' if len(sized['unicode_characters']) == 1 else 'are'}"
                    f" not in the GSM alphabet, so the message is Unicode and holds {UCS2_LIMIT} characters)"
                )
            latin = [
                ch
                for ch in sized.get("unicode_characters", [])
                if ch.isalpha() and ch.isascii() is False and "LATIN" in unicodedata.name(ch, "")
            ]
            how = (
                "Shorten the question's 'sms' text, and write it without "
                + " ".join(latin)
                + " (é è à ù are fine)."
                if latin
                else "Shorten the question's 'sms' text (its letters need Unicode: "
                f"the address takes {len(message.split()[-1])} of the {sized['limit']} characters)."
            )
            raise FitError(
                f"The {doc.describe()}: {sized['length']} {sized['encoding']} characters with the address, "
                f"more than the {sized['limit']} of one text message{why}. {how}"
            )
        info = {"text": message, **{k: v for k, v in sized.items() if k != "unicode_characters" or v}}
        return ChannelOutput((message + "\n").encode("utf-8"), 1, info=info)
