"""gettext PO, written and read with polib: msgctxt is the text's id, msgid its French, msgstr the translation.

PO has no "reviewed" state: a translation is there, or marked fuzzy (needs work). kit marks fuzzy the texts whose
French changed since they were translated, and reads the reviewer of the whole file from its X-Kit-Reviewer
header (or `--reviewer`): the file's translated entries are then reviewed by that person."""

from __future__ import annotations

from pathlib import Path

from ..content import FINAL, MISSING, REVIEWED, STALE, TRANSLATED
from .exchange import NEEDS_WORK, Entry, Exchange, TranslationFileError, check_count

PROJECT = "X-Kit-Project"
VERSION = "X-Kit-Content-Version"
REVIEWER = "X-Kit-Reviewer"


def write_po(exchange: Exchange) -> bytes:
    import polib

    po = polib.POFile(wrapwidth=0, encoding="utf-8")
    po.header = (
        f"{exchange.language_name or exchange.lang}: the texts of '{exchange.project}' (content {exchange.version}),"
        f"\nexported by kit. Each entry's comment says where it is printed and its limits. Write the name of\nwho "
        f"reviewed the translations as a native speaker in {REVIEWER} (or give --reviewer when importing)."
    )
    po.metadata = {
        "Project-Id-Version": f"{exchange.project} {exchange.version}",
        "Language": exchange.lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        PROJECT: exchange.project,
        VERSION: exchange.version,
        REVIEWER: exchange.reviewer or "",
    }
    for entry in exchange.entries:
        state = {REVIEWED: "reviewed", FINAL: "final", STALE: "the French changed since: review it again"}
        po.append(
            polib.POEntry(
                msgctxt=entry.id,
                msgid=entry.source,
                msgstr=entry.target if entry.target is not None and entry.state != MISSING else "",
                comment=entry.note,
                tcomment=f"kit: {state[entry.state]}" if entry.state in state else "",
                flags=["fuzzy"] if entry.state == STALE else [],
            )
        )
    return str(po).encode("utf-8") + (b"" if str(po).endswith("\n") else b"\n")


def read_po(path: Path, data: bytes) -> Exchange:
    """A PO file (UTF-8). Syntax errors name their line."""
    import polib

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TranslationFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None
    if "\x00" in text:
        raise TranslationFileError(f"{path}: holds a NUL character; this is not a PO file.")
    try:
        # polib takes a path or the text itself; it is given the file's path (already read within bounds)
        po = polib.pofile(str(path), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        message = str(exc).replace(f" {path}", "")
        raise TranslationFileError(f"{path}: {message}. Fix that line, or export the file again.") from None
    check_count(path, po)
    metadata = po.metadata
    exchange = Exchange(
        lang=metadata.get("Language", "").strip(),
        project=metadata.get(PROJECT, "").strip(),
        version=metadata.get(VERSION, "").strip(),
        reviewer=metadata.get(REVIEWER, "").strip() or None,
    )
    for entry in po:
        if entry.obsolete:
            continue
        target = entry.msgstr or None
        exchange.entries.append(
            Entry(
                id=entry.msgctxt or "",
                source=entry.msgid,
                target=target,
                state=(NEEDS_WORK if "fuzzy" in entry.flags else TRANSLATED) if target else "",
                where=f"line {entry.linenum}",
            )
        )
    return exchange
