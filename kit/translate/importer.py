"""`kit translate import`: a translation file's targets and states into the user's content folder, text by text,
with the checks of `kit check`; a text that breaks a rule is named and left out, the others are written."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..content import (
    CONTENT_FILES,
    DONE,
    FINAL,
    REVIEWED,
    SOURCE_LANG,
    STALE,
    TRANSLATED,
    KnowledgeBase,
    Unit,
    hidden_characters,
    load_content,
    records_of,
    source_digest,
    states_of,
)
from ..errors import ContentError, OptionError
from ..files import atomic_write
from ..resources import content_dir as builtin_content_dir
from .edits import Edits
from .exchange import NEEDS_REVIEW, NEEDS_WORK, Entry, Exchange, TranslationFileError, format_of, read_bounded
from .notes import PLACEHOLDER

MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
RULE_ROUNDS = 4  # checks run again after leaving out the texts that broke a rule (a text can hide another's)


@dataclass
class ImportResult:
    """What an import did: texts written (changed or newly reviewed), and each text left out with why."""

    lang: str
    file: Path
    applied: list[str] = field(default_factory=list)  # unit ids whose text or review was written
    unchanged: int = 0
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (unit id, place in the file, why)
    written: list[Path] = field(default_factory=list)
    reviewed: bool = False  # the language is now reviewed (every text of it)

    @property
    def ok(self) -> bool:
        return not self.refused


def _read(path: Path, fmt: str | None) -> Exchange:
    from .po import read_po
    from .sheet import read_xlsx
    from .xliff import read_xliff

    kind = format_of(path, fmt)
    data = read_bounded(path)
    exchange = {"xliff": read_xliff, "po": read_po, "xlsx": read_xlsx}[kind](path, data)
    exchange.format = kind
    return exchange


def user_folder(content_dir: str | Path | None) -> Path:
    """The user's content folder: given, existing, and not kit's own (kit never writes its built-in texts)."""
    if content_dir is None:
        raise OptionError(
            "kit translate import writes into your content folder: give it with --content, or set [build] content "
            "in kit.toml (kit never changes its own built-in texts)."
        )
    folder = Path(content_dir)
    if not folder.is_dir():
        raise OptionError(f"The content folder {folder} does not exist.")
    if folder.resolve() == builtin_content_dir().resolve():
        raise OptionError(
            f"{folder} is kit's own content: give your content folder (kit never changes its texts)."
        )
    return folder


def _problem(entry: Entry, unit: Unit) -> str | None:
    """Why a target cannot be taken as it is, whatever the rules of `kit check` say (None: it can)."""
    target = entry.target or ""
    if entry.markup or MARKUP.search(target):
        return "holds markup (tags or entities): write plain text"
    rtl = unit.lang in ("ar", "he", "fa", "ur")
    found = [hit for hit in hidden_characters(target, rtl=rtl) if hit[1] != "U+000A"]
    if found or "\r" in target or "\t" in target:
        code = found[0][1] if found else "a tab or carriage return"
        return f"holds a control or invisible character ({code}): type the text again"
    if "\n" in target and "\n" not in unit.source:
        return "holds a line break where the French has none: write it on one line"
    wanted, given = set(PLACEHOLDER.findall(unit.source)), set(PLACEHOLDER.findall(target))
    if wanted != given:
        missing, extra = sorted(wanted - given), sorted(given - wanted)
        said = (f"keep {' and '.join(missing)}" if missing else "") + (
            ("; " if missing else "") + f"remove {' and '.join(extra)}" if extra else ""
        )
        return f"placeholders changed: {said} (kit fills them in)"
    return None


def _plan(exchange: Exchange, kb: KnowledgeBase, reviewer: str | None, today: dt.date, result: ImportResult):
    """The changes the file asks for: unit -> (new target or None, new record or None)."""
    units = {unit.id: (unit, state) for unit, state in states_of(kb, exchange.lang)}
    records = records_of(kb, exchange.lang)
    changes: dict[str, tuple[Unit, str | None, dict | None]] = {}
    for entry in exchange.entries:
        where = entry.where or ""
        if entry.id in changes or entry.id not in units:
            why = "given twice in the file" if entry.id in changes else "no such text in the content any more"
            result.refused.append((entry.id or "(no id)", where, why))
            continue
        unit, state = units[entry.id]
        if entry.target is None:
            result.unchanged += 1  # an empty target never removes a text
            continue
        target = entry.target.strip()
        if source_digest(entry.source) != unit.digest:
            result.refused.append((unit.id, where, "source changed since the export: review it again"))
            continue
        incoming = entry.state
        if incoming not in (TRANSLATED, REVIEWED, FINAL, NEEDS_WORK, NEEDS_REVIEW):
            result.refused.append((unit.id, where, f"unknown state '{incoming}'"))
            continue
        changed = target != (unit.target or "")
        if incoming in (NEEDS_WORK, NEEDS_REVIEW):
            if changed:
                result.refused.append(
                    (unit.id, where, "marked in the file as still needing work: not imported")
                )
            else:
                result.unchanged += 1
            continue
        problem = _problem(entry, unit) if changed or entry.markup else None
        if problem:
            result.refused.append((unit.id, where, problem))
            continue
        who = entry.reviewer or reviewer
        if incoming == TRANSLATED and who and exchange.format == "po":
            incoming = REVIEWED  # PO has no review state: a reviewer named for the file vouches for its texts
        if not changed and (state == incoming or (incoming == TRANSLATED and state != STALE)):
            result.unchanged += 1
            continue
        if incoming in DONE and not who:
            result.refused.append(
                (unit.id, where, f"marked {incoming} but nobody is named as reviewer: give --reviewer NAME")
            )
            continue
        record = {"source": unit.digest, "state": incoming}
        if incoming in DONE:
            record.update(by=who, date=today)
        old = records.get(unit.id)
        if not changed and old is not None and old.source == unit.digest and old.state == incoming:
            result.unchanged += 1
            continue
        changes[unit.id] = (unit, target if changed else None, record)
    return changes


def _copy_user_folder(user: Path, into: Path) -> Path:
    """The content files of the user's folder copied into ``into`` (where the import is tried first)."""
    copy = into / "content"
    copy.mkdir()
    for entry in CONTENT_FILES:
        for path in entry.paths(user):
            target = copy / path.relative_to(user)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return copy


def _new_findings(before, after) -> list:
    def key(finding):
        name = finding.question or Path(finding.file or "").name
        return (finding.rule, name, finding.field, finding.lang)

    seen = {key(f) for f in before.findings if f.severity != "note"}
    return [f for f in after.findings if f.severity != "note" and key(f) not in seen]


def _implicated(finding, unit: Unit) -> bool:
    if unit.item is not None:
        if finding.question != unit.item and Path(finding.file or "").stem != unit.item:
            return False
    else:
        name = next(entry.name for entry in CONTENT_FILES if entry.key == unit.key)
        if Path(finding.file or "").name != name:
            return False
    field_ = finding.field or ""
    place = ".".join(str(part) for part in unit.loc)
    return bool(field_) and (
        field_ == place or place.startswith(field_ + ".") or field_.startswith(place + ".")
    )


def import_translations(
    file: str | Path,
    content_dir: str | Path | None,
    *,
    reviewer: str | None = None,
    fmt: str | None = None,
    lang: str | None = None,
    today: dt.date | None = None,
    link_hosts: tuple[str, ...] = (),
) -> ImportResult:
    """Bring ``file``'s targets and states into the user's ``content_dir``: each text checked as `kit check` does
    (budgets, Easy-to-Read rules of its language, placeholders kept, no absolute promise, plain text); those that
    break a rule, whose French changed since the export or whose id the content no longer has are named and left
    out; the others are written, with their record (translations/<lang>.yaml: the French's digest, the state, who
    reviewed and when), each file atomically. Once every text of the language is reviewed, kit.yaml's
    language_review names who and when."""
    from ..check import check_content

    path = Path(file)
    user = user_folder(content_dir)
    today = today or dt.date.today()
    exchange = _read(path, fmt)
    kb = load_content(user)
    _accept(exchange, kb, path, lang)
    result = ImportResult(exchange.lang, path)
    changes = _plan(exchange, kb, reviewer or exchange.reviewer, today, result)
    if not changes:
        return result
    before = check_content(user, kb=kb, today=today, link_hosts=link_hosts)
    with tempfile.TemporaryDirectory(prefix="kit-translate-") as scratch:
        trial = None
        for _ in range(RULE_ROUNDS):
            if trial is not None:
                shutil.rmtree(trial)
            trial = _copy_user_folder(user, Path(scratch) if trial is None else trial.parent)
            edits = Edits(user, trial, kb, exchange.lang)
            edits.add(changes.values())
            edits.write(into=trial)
            after = check_content(trial, today=today, link_hosts=link_hosts)
            new = _new_findings(before, after)
            if not new:
                break
            left_out = set()
            for finding in new:
                for unit_id, (unit, target, _) in changes.items():
                    if target is not None and _implicated(finding, unit):
                        left_out.add(unit_id)
                        result.refused.append((unit_id, "", f"[{finding.rule}] {finding.message}"))
            if not left_out:
                raise ContentError(
                    "The imported texts would make the content fail `kit check`; nothing was written:",
                    [f.problem() for f in new[:10]],
                )
            changes = {key: value for key, value in changes.items() if key not in left_out}
            if not changes:
                return result
        else:
            raise ContentError("The imported texts keep breaking kit check's rules; nothing was written.")
        final = load_content(trial)
        result.reviewed = final.reviewed(exchange.lang)
        if result.reviewed and not kb.reviewed(exchange.lang):
            edits.review_language(final, today)
        result.applied = list(changes)
        for target, text in edits.texts.items():
            atomic_write(target, text)
            result.written.append(target)
    return result


def _accept(exchange: Exchange, kb: KnowledgeBase, path: Path, lang: str | None) -> None:
    """Refuse a file for another project or language than this content's (nothing is imported)."""
    if not exchange.lang:
        raise TranslationFileError(f"{path} does not say which language it holds (export it again with kit).")
    if lang and exchange.lang != lang:
        raise TranslationFileError(
            f"{path} holds '{exchange.lang}' texts, not '{lang}': nothing was imported."
        )
    if exchange.lang == SOURCE_LANG or exchange.lang not in kb.all_languages:
        raise TranslationFileError(
            f"{path} holds '{exchange.lang}' texts; this content's languages to translate are "
            f"{', '.join(code for code in kb.all_languages if code != SOURCE_LANG)}: nothing was imported."
        )
    if exchange.source_lang and exchange.source_lang != SOURCE_LANG:
        raise TranslationFileError(
            f"{path} translates from '{exchange.source_lang}'; kit's texts are translated from French."
        )
    if exchange.project != kb.meta.organisation:
        said = f"'{exchange.project}'" if exchange.project else "no project"
        raise TranslationFileError(
            f"{path} was exported from the content of {said}; this content is '{kb.meta.organisation}' "
            "(kit.yaml organisation): nothing was imported. Import it into the project it was exported from."
        )
