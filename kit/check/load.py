"""Findings for content that does not load: each problem brings the rule id and hint it was raised with."""

from __future__ import annotations

from pathlib import Path

from ..content import SCHEMA_HINT
from ..errors import ContentError, Problem
from .report import ERROR, FALC, STANDARD, Finding

FOLDER_HINT = "Give a folder with kit.yaml, shared.yaml and questions/."


def load_finding(problem: Problem) -> Finding:
    """The finding of one loading problem, placed under its question, language and level."""
    parts = problem.field.split(".") if problem.field else []
    question = lang = level = None
    if problem.file:
        path = Path(problem.file)
        if path.parent.name == "questions":
            question = path.stem
            if len(parts) >= 2 and parts[0] == "translations":
                lang = parts[1]
                level = FALC if len(parts) >= 3 and parts[2] == "falc" else STANDARD
        elif path.name == "shared.yaml" and parts:
            question = f"shared/{parts[0]}"
            if len(parts) >= 2 and parts[0] in ("summary", "rights", "labels"):
                lang = parts[1]
    return Finding(
        ERROR,
        problem.rule or "schema",
        problem.message,
        problem.hint or SCHEMA_HINT,
        problem.file,
        problem.line,
        question,
        lang,
        level,
        None,
        problem.field,
    )


def load_findings(exc: ContentError, content_dir: str | Path | None) -> list[Finding]:
    """Every problem of a knowledge base that does not load (or the error itself when it names none)."""
    findings = [load_finding(p) for p in exc.problems]
    if not findings:
        findings = [
            Finding(
                ERROR,
                "schema",
                exc.message,
                FOLDER_HINT,
                str(content_dir) if content_dir is not None else None,
            )
        ]
    return findings
