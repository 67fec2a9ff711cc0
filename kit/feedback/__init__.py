"""Hearing back: the feedback form of the content as an XLSForm and a typing template, its answers read from
KoboToolbox/ODK exports or the typed template, and the feedback part of the report; the record of changes."""

from __future__ import annotations

from .answers import Answer, Answers, read_answers
from .form import Form, feedback_form
from .sheets import write_template, write_xlsform

__all__ = [
    "Answer",
    "Answers",
    "Form",
    "feedback_form",
    "read_answers",
    "write_template",
    "write_xlsform",
]
