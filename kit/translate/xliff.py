"""XLIFF 1.2: written with the standard library, read with defusedxml (no DTD, no entities, no external files).

Why 1.2 rather than 2.x: every translation tool kit's users meet reads and writes 1.2 (Weblate's 2.x support is
marked as under development, Pontoon refuses 2.x, OmegaT needs a plug-in), and 1.2 has the states kit needs
(``needs-review-translation`` for a French text that changed, ``signed-off``/``final`` with ``approved``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..content import FINAL, MISSING, REVIEWED, STALE, TRANSLATED
from .exchange import NEEDS_REVIEW, NEEDS_WORK, Entry, Exchange, TranslationFileError, check_count

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ORIGINAL = "kit:"  # <file original="kit:<project>">: the project the texts belong to
# kit's states as written: (state attribute, approved)
WRITTEN = {
    TRANSLATED: ("translated", False),
    STALE: ("needs-review-translation", False),
    REVIEWED: ("signed-off", True),
    FINAL: ("final", True),
}
_WORK = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def write_xliff(exchange: Exchange) -> bytes:
    """The exchange as an XLIFF 1.2 document (UTF-8): one <file> for the language, one <trans-unit> per text, its
    id also as ``resname`` (some tools key on it), the note for the translator, the state on <target>."""
    ET.register_namespace("", NS)
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    file = ET.SubElement(
        root,
        _q("file"),
        {
            "original": ORIGINAL + exchange.project,
            "source-language": exchange.source_lang,
            "target-language": exchange.lang,
            "datatype": "plaintext",
            "product-name": "kit",
            "product-version": exchange.version,
        },
    )
    header = ET.SubElement(file, _q("header"))
    ET.SubElement(header, _q("tool"), {"tool-id": "kit", "tool-name": "kit"})
    ET.SubElement(header, _q("note"), {"from": "kit"}).text = (
        f"{exchange.language_name or exchange.lang}: the texts of '{exchange.project}' (content "
        f"{exchange.version}). Translate each target from the French source; each note says where the text is "
        "printed and its limits. Set a text you checked as a native speaker to signed-off (or final), and name "
        "yourself as reviewer when it is imported (kit translate import FILE --reviewer NAME)."
    )
    if exchange.reviewer:
        group = ET.SubElement(header, _q("phase-group"))
        ET.SubElement(
            group,
            _q("phase"),
            {"phase-name": "review", "process-name": "review", "contact-name": exchange.reviewer},
        )
    body = ET.SubElement(file, _q("body"))
    for entry in exchange.entries:
        unit = ET.SubElement(
            body, _q("trans-unit"), {"id": entry.id, "resname": entry.id, f"{{{XML_NS}}}space": "preserve"}
        )
        state, approved = WRITTEN.get(entry.state, ("", False))
        if approved:
            unit.set("approved", "yes")
        ET.SubElement(unit, _q("source"), {f"{{{XML_NS}}}lang": exchange.source_lang}).text = entry.source
        if entry.target is not None and entry.state != MISSING:
            target = ET.SubElement(unit, _q("target"), {f"{{{XML_NS}}}lang": exchange.lang, "state": state})
            target.text = entry.target
        ET.SubElement(unit, _q("note"), {"from": "developer"}).text = entry.note
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _state(unit, target) -> str:
    state = target.get("state", "")
    if state in _WORK:
        return NEEDS_WORK
    if state.startswith("needs-review"):
        return NEEDS_REVIEW
    if state == "final":
        return FINAL
    if unit.get("approved") == "yes" or state == "signed-off":
        return REVIEWED
    return TRANSLATED


def read_xliff(path: Path, data: bytes) -> Exchange:
    """An XLIFF 1.x file as kit wrote it (or a tool saved it back). A DTD, an entity or an external reference is
    refused (defusedxml), as is XLIFF 2 or a file holding several languages."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise TranslationFileError(
            f"{path}: this XML declares a DTD, entities or external references ({type(exc).__name__}), which kit "
            "refuses: a translation file needs none. Export it again from your tool as plain XLIFF 1.2."
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise TranslationFileError(
            f"{path}, line {line}, column {column}: not well-formed XML ({str(exc).split(':')[0]}). Open it in "
            "your translation tool and export it again, or fix that line."
        ) from None
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    version = root.get("version", "")
    if root.tag.rpartition("}")[2] != "xliff" or not namespace.startswith(
        "urn:oasis:names:tc:xliff:document:"
    ):
        raise TranslationFileError(f"{path} is not an XLIFF file (its root element is <{root.tag}>).")
    if not version.startswith("1.") or not namespace.endswith(version):
        raise TranslationFileError(
            f"{path} is XLIFF {version or '?'}: kit reads XLIFF 1.2 (and 1.0, 1.1). Export XLIFF 1.2 from your tool."
        )

    def q(tag):
        return f"{{{namespace}}}{tag}"

    files = root.findall(q("file"))
    if len(files) != 1:
        raise TranslationFileError(
            f"{path} holds {len(files)} <file> parts; kit writes one per language: import the file kit exported."
        )
    file = files[0]
    original = file.get("original", "")
    exchange = Exchange(
        lang=file.get("target-language", ""),
        project=original.removeprefix(ORIGINAL) if original.startswith(ORIGINAL) else "",
        version=file.get("product-version", ""),
        source_lang=file.get("source-language", ""),
    )
    for phase in file.iter(q("phase")):
        if phase.get("process-name") == "review" and phase.get("contact-name"):
            exchange.reviewer = phase.get("contact-name")
    units = list(file.iter(q("trans-unit")))
    check_count(path, units)
    for unit in units:
        source = unit.find(q("source"))
        target = unit.find(q("target"))
        text = None if target is None else "".join(target.itertext())
        entry = Entry(
            id=unit.get("id", ""),
            source="" if source is None else "".join(source.itertext()),
            target=text if text else None,
            state=_state(unit, target) if text else "",
            markup=target is not None and len(target) > 0,
        )
        exchange.entries.append(entry)
    return exchange
