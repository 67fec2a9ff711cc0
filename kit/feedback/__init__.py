"""Hearing back: the feedback form of the content as an XLSForm and a typing template, its answers read from
KoboToolbox/ODK exports or the typed template, and the feedback part of the report; the record of changes."""

from __future__ import annotations

from .answers import Answer, Answers, read_answers
from .form import Form, feedback_form
from .report import build_feedback_report, mask
from .sheets import manifest_event_codes, write_template, write_xlsform

__all__ = [
    "Answer",
    "Answers",
    "Form",
    "build_feedback_report",
    "feedback_form",
    "manifest_event_codes",
    "mask",
    "read_answers",
    "write_template",
    "write_xlsform",
]
