"""Metadata rules on kit.yaml: the review date, and the Easy-to-Read logo only with named checkers."""

from __future__ import annotations

import datetime as dt

from ..content import KnowledgeBase, form_problems
from .budgets import REVIEW_MAX_AGE_MONTHS
from .report import ERROR, FALC, NOTE, WARNING, Collector, Source, source_of


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_meta(c: Collector, kb: KnowledgeBase, src: Source, falc_logo: bool, today: dt.date) -> None:
    oldest = _months_before(today, REVIEW_MAX_AGE_MONTHS)
    if kb.meta.date < oldest:
        c.add(
            WARNING,
            "review-date",
            f"the content was last reviewed on {kb.meta.date.isoformat()}, more than {REVIEW_MAX_AGE_MONTHS} months ago: laws, addresses and links change.",
            "Review the texts and links, then update 'date' (and 'content_version') in kit.yaml.",
            src,
            ("date",),
            text=kb.meta.date.isoformat(),
        )
    record = kb.parts.get("changes")
    versions = [entry.version for entry in record.changes] if record is not None else []
    if versions and kb.meta.content_version not in versions:
        c.add(
            ERROR,
            "change-record",
            f"content version {kb.meta.content_version} has no entry in the record of changes (changes.yaml), "
            f"whose newest version is {versions[0]}: readers could not tell what changed in the texts, and why.",
            "Add an entry to changes.yaml with this version, its date, and what changed and why in each complete "
            "language (copy kit's own changes.yaml to your content folder first).",
            src,
            ("content_version",),
            text=kb.meta.content_version,
        )
    form = kb.parts.get("feedback")
    if form is not None and form.fields:
        for problem in form_problems(form, kb.languages):
            c.add(
                ERROR,
                "feedback-form",
                f"the feedback form (feedback.yaml): {problem}.",
                "Give every field and choice of feedback.yaml a text in each complete language of kit.yaml.",
                source_of(kb, "feedback.yaml"),
                ("fields",),
            )
    if falc_logo and not kb.meta.falc_checked_by:
        c.add(
            ERROR,
            "falc-logo",
            "the Easy-to-Read logo is asked for, but 'falc_checked_by' in kit.yaml names nobody. The logo may only be "
            "printed when people with intellectual disabilities checked the FALC texts, and their names are printed.",
            "Have the FALC texts checked by people with intellectual disabilities and list their names in 'falc_checked_by', "
            "or build without the logo.",
            src,
            ("falc_checked_by",),
            level=FALC,
        )


def check_language_review(
    c: Collector, kb: KnowledgeBase, src: Source, enabled: tuple[str, ...] = ()
) -> None:
    """Languages nobody has checked as native speakers (kit.yaml language_review): a warning for the languages
    asked for (kit.toml [build] languages, `kit check --lang`), a note for the others. The built-in content ships
    unreviewed partial languages on purpose: listing them must not make `kit check --strict` fail for a user who
    builds in French and English only, while whoever prints them is told (and their documents say so too)."""
    for lang in kb.all_languages:
        if kb.reviewed(lang):
            continue
        name = kb.locale(lang).name
        kind = "partial language" if kb.is_partial(lang) else "language"
        asked = lang in enabled
        loc = ("language_review", lang) if lang in kb.meta.language_review else ("language_review",)
        c.add(
            WARNING if asked else NOTE,
            "language-review",
            f"{kind} '{lang}' ({name}): nobody has checked this translation as a native speaker yet; its documents "
            "say so in small print" + (" (and it is one of the languages asked for)." if asked else "."),
            f"Have a native speaker read the '{lang}' texts, then write their name in kit.yaml: "
            f'language_review: {{{lang}: {{reviewed_by: ["..."]}}}}.',
            src,
            loc,
            lang=lang,
            text=name,
        )
        labels = kb.shared.labels.get(lang)
        if labels is not None and labels.unreviewed is None:
            c.add(
                WARNING,
                "language-review",
                f"'{lang}' has no 'unreviewed' label: its documents print the English notice instead.",
                "Add labels.<lang>.unreviewed to shared.yaml: 'translation not yet checked by a native speaker', in that "
                "language.",
                source_of(kb, "shared.yaml"),
                ("labels", lang),
                lang=lang,
            )
