"""Findings and the report: where each finding is, and the report as text, table rows and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ..content import KnowledgeBase, YamlFile
from ..errors import Problem

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # said, never fails `kit check` (even --strict): facts a reader of the report should know
STANDARD = "standard"
FALC = "falc"


@dataclass
class Finding:
    severity: str  # "error", "warning" or "note"
    rule: str
    message: str
    hint: str
    file: str | None = None
    line: int | None = None
    question: str | None = None  # question id, "shared/<block>", or None for the whole kit
    lang: str | None = None
    level: str | None = None  # "standard", "falc" or None
    text: str | None = None  # the offending text
    field: str | None = None  # dotted path of the field in its file

    @property
    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict:
        return asdict(self)

    def problem(self) -> Problem:
        return Problem(
            f"[{self.rule}] {self.message}", self.file, self.line, self.field, rule=self.rule, hint=self.hint
        )


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    content_dir: str | None = None
    # The languages asked for with their translation coverage (kit.check.translations.coverage): rows by kind.
    coverage: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == NOTE]

    def ok(self, strict: bool = False) -> bool:
        """No errors (and, when strict, no warnings either)."""
        return not self.errors and not (strict and self.warnings)

    def summary(self) -> dict:
        return {
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "notes": len(self.notes),
            "ok": self.ok(),
            "ok_strict": self.ok(strict=True),
            "content": self.content_dir,
        }

    def to_json(self) -> str:
        return json.dumps(
            {
                "findings": [f.to_dict() for f in self.findings],
                "summary": self.summary(),
                **({"coverage": self.coverage} if self.coverage else {}),
            },
            ensure_ascii=False,
            indent=2,
        )

    def grouped(self) -> dict[tuple[str | None, str | None, str | None], list[Finding]]:
        """Findings by (question, language, level), in the order the content is read."""
        groups: dict[tuple, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault((f.question, f.lang, f.level), []).append(f)
        return groups


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _excerpt(text: str | None, width: int = 70) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _group_title(key: tuple) -> str:
    question, lang, level = key
    parts = [question or "whole kit"]
    if lang:
        parts.append(lang)
    if level:
        parts.append("FALC" if level == FALC else level)
    return " · ".join(parts)


def format_report(report: Report) -> str:
    """A plain-text report grouped by question, language and level."""
    head = f"kit check: {plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}"
    if report.notes:
        head += f", {plural(len(report.notes), 'note')}"
    if report.content_dir:
        head += f" in {report.content_dir}"
    lines = [head]
    for key, findings in report.grouped().items():
        lines.append("")
        lines.append(_group_title(key))
        for f in findings:
            lines.append(f"  {f.severity.upper():8}{f.rule}" + (f"  ({f.where})" if f.where else ""))
            if f.text:
                lines.append(f"          “{_excerpt(f.text, 100)}”")
            lines.append(f"          {f.message}")
            lines.append(f"          fix: {f.hint}")
    if not report.findings:
        lines.append("No problems found.")
    return "\n".join(lines)


ROW_COLUMNS = ("question", "lang", "level", "severity", "rule", "where", "text", "problem and fix")


def report_rows(report: Report) -> list[tuple[str, str, str, str, str, str, str, str]]:
    """One row per finding for a table (columns: ROW_COLUMNS); the last column is the message, a new
    line, then the hint."""
    return [
        (
            f.question or "",
            f.lang or "",
            f.level or "",
            f.severity,
            f.rule,
            f.where,
            _excerpt(f.text),
            f"{f.message}\n{f.hint}",
        )
        for f in report.findings
    ]


# --- Where things are ---------------------------------------------------------------------------


class Source:
    """A YAML file with its line index, and who the findings in it belong to."""

    def __init__(self, yaml_file: YamlFile | None, display: str):
        self.yaml = yaml_file
        self.display = display

    def line(self, loc: tuple) -> int | None:
        return self.yaml.line_of(loc) if self.yaml else None

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        """The file that holds the value at ``loc`` (a user's file merged over the built-in one) and its line."""
        return self.yaml.locate(loc) if self.yaml else (self.display, None)


def source_of(kb: KnowledgeBase, key: str) -> Source:
    """The loaded file (or user file merged over the built-in one) behind a part of the knowledge base."""
    loaded = kb.sources.get(key)
    return Source(loaded, loaded.display if loaded else key)


class Collector:
    """The findings of one run, in the order the rules find them."""

    def __init__(self):
        self.findings: list[Finding] = []

    def add(
        self,
        severity: str,
        rule: str,
        message: str,
        hint: str,
        source: Source | None = None,
        loc: tuple = (),
        *,
        question: str | None = None,
        lang: str | None = None,
        level: str | None = None,
        text: str | None = None,
    ) -> None:
        file, line = source.locate(loc) if source else (None, None)
        self.findings.append(
            Finding(
                severity=severity,
                rule=rule,
                message=message,
                hint=hint,
                file=file,
                line=line,
                question=question,
                lang=lang,
                level=level,
                text=text,
                field=".".join(str(p) for p in loc) or None,
            )
        )
