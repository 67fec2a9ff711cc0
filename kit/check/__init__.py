"""`kit check`: validate a knowledge base against the FALC rules, length budgets, readability, links,
theme colours and review metadata. Every finding names its file, line, rule, text and a fix.

Rule ids (severity); problems found while loading carry theirs from where kit/content.py raises them:
- ``schema`` (error): the content does not load (YAML syntax, missing or unknown field, wrong type).
- ``consistency``: a language lacks a question, block or field, an id is used twice, the QR target
  link is missing in a language (errors, found while loading); glossary ids used twice (error);
  two questions with the same ``order`` (warning); FALC items whose pictograms differ between
  languages (warning).
- ``pictogram`` (error): a pictogram (question or FALC item) has no file in ``assets/pictograms``.
- ``falc-sentence-length``: more than 12 words (warning for 13-15, error over 15).
- ``falc-one-sentence`` (error): a FALC item holds more than one sentence.
- ``falc-abbreviation`` (error): initials (2 capitals or more, or ``R.G.P.D.``) not in the glossary.
- ``falc-etc``, ``falc-percent``, ``falc-number-word``, ``falc-large-number``, ``falc-roman-numeral``,
  ``falc-semicolon``, ``falc-special-character`` (``&``, ``§``, ``#``), ``falc-parentheses`` (errors).
- ``falc-negative`` (warning): negative forms.
- ``length``: word budgets per field (over the maximum: error, it may not fit its layout; under the
  minimum: warning); FALC items per question (3 to 7); the hook's characters and longest word.
- ``readability`` (warning): Flesch (Kandel & Moles for French) or LIX beyond the level's threshold.
- ``link-https``, ``link-url``, ``link-shortener`` (errors), ``link-label`` (warning),
  ``link-online`` (error, only with ``online=True``).
- ``invisible-character`` (warning): a text holds a character that prints as nothing (bidirectional control,
  zero-width character, soft hyphen...); in links, ids and codes such characters are errors when loading.
- ``missing-glyph`` (error; a warning when this computer's fonts cannot be listed): a text holds characters that
  neither kit's fonts nor this computer's draw (they would print as empty boxes); names them and a font that has
  them (kit.fonts). kit.toml and event rows are checked when read.
- ``qr-length`` (error): a QR link longer than the smallest QR code printing it holds and still scans
  (``QR_QUESTION_MM``, ``QR_CAMPAIGN_MM``, ``kit.qr.max_link_chars``).
- ``contrast``, ``qr-colours``, ``theme-colour`` (errors): theme colours.
- ``review-date`` (warning): the content date is more than 12 months old.
- ``feedback-form`` (error): a field or choice of feedback.yaml lacks a text in a complete language.
- ``change-record`` (error): kit.yaml's content_version has no entry in the record of changes (changes.yaml).
- ``falc-logo`` (error): the Easy-to-Read logo is asked for but nobody is named as having checked it.
- ``promise`` (warning): an absolute word (toujours, jamais, aucun, seuls, tout projet; always, never, only,
  every...) in a text that answers people, unless review.yaml lists the sentence as reviewed.
- ``recheck-date`` (warning): a dated fact of review.yaml is past its recheck date.
- ``link-host`` (error): a link leads to a host neither review.yaml nor kit.toml allows (a story's source may
  also lead to a host of review.yaml ``story_hosts``).
- ``story-source`` (error): a benefit story names no source with an address and a year. Stories get the
  ``length`` rule too (title, 40-80 words, 3 to 5 Easy-to-Read sentences), the FALC rules, the link rules
  on their sources' addresses, and ``consistency`` (their Easy-to-Read pictograms in step across languages).
- ``translation-stale`` (warning or note): a translation made (or reviewed) from a French text that has changed since
  (its record in ``translations/<lang>.yaml`` keeps a digest of that French): a warning per text for the languages
  asked for, one note per language otherwise. ``check_content(languages=...)`` also gives those languages'
  coverage (``Report.coverage``: texts translated, reviewed, stale, missing, per kind of document).
- ``placeholder`` (error): a ``{word}`` in a text where kit fills none (kit.check.placeholders.FILLED says
  where it does: page numbers, the date of a visit, how many questions a document holds): it would be printed
  as typed.
- ``language-review`` (warning or note): a language nobody has checked as a native speaker (kit.yaml
  ``language_review``): a warning when it is asked for (kit.toml [build] languages, ``kit check --lang``),
  a note otherwise (notes never fail, even with --strict); a warning when its ``unreviewed`` label is missing.

- ``recording`` (error, or note): a recorded audio file the content names (``audio`` of a question's language,
  per level) is missing, a link out of the content folder, not a format phones play (read from its stream with
  PyAV: MP3, AAC in .m4a, Opus in .ogg), shorter than 5 s or longer than 10 minutes, or over 20 MB; a note lists
  the pages without a recording (or says that none has one).

Partial languages (kit.yaml ``partial_languages``) are checked on the texts they have. Lengths are counted in
the language's units: words, or characters in Chinese (see ``languages``).

Modules: ``report`` (findings, the report and its forms), ``budgets`` (words and items per field, readability
limits), ``languages`` (what each language needs: number words, percent and negative forms, formula, hints),
``load`` (problems of content that does not load), ``falc``, ``length``, ``readability_rules``, ``links``,
``theme``, ``meta``, ``translations``, ``placeholders`` and ``recordings`` (the rules), ``questions``, ``shared``
and ``stories`` (walk the content and apply them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content import SOURCE_LANG, KnowledgeBase, load_content
from ..errors import ContentError
from ..theme import Theme
from .budgets import (
    FALC_ITEMS,
    FALC_SENTENCE_WORDS,
    FALC_SENTENCE_WORDS_ERROR,
    GLOSSARY_MAX_WORDS,
    HOOK_MAX_CHARS,
    HOOK_MAX_WORD_CHARS,
    LENGTH_BUDGETS,
    LINK_LABEL_WORDS,
    POSTER_CHARS,
    QR_CAMPAIGN_MM,
    QR_QUESTION_MM,
    QUESTION_MAX_CHARS,
    READABILITY,
    READABILITY_MIN_WORDS,
    REVIEW_MAX_AGE_MONTHS,
    RIGHTS_POINT_WORDS,
    RIGHTS_POINTS,
    SOURCES,
    SUMMARY_BUDGETS,
    VENUE_MAX_WORDS,
    Budget,
    Readability,
)
from .hidden import check_hidden
from .languages import LANGUAGE_RULES, LanguageRules
from .links import ONLINE_TIMEOUT, URL_SHORTENERS, check_online
from .load import load_findings
from .meta import check_language_review, check_meta
from .placeholders import check_placeholders
from .questions import check_partial_questions, check_questions
from .recordings import check_recordings
from .report import (
    ERROR,
    FALC,
    NOTE,
    ROW_COLUMNS,
    STANDARD,
    WARNING,
    Collector,
    Finding,
    Report,
    format_report,
    plural,
    report_blocks,
    report_rows,
    source_of,
    where_shown,
)
from .review import allowed_hosts, check_link_hosts, check_promises, check_rechecks
from .shared import check_act, check_doorstep, check_letter, check_shared, check_venues
from .stories import check_stories
from .theme import check_theme
from .translations import COVERAGE_COLUMNS, check_stale, coverage

__all__ = [
    "ERROR",
    "FALC",
    "NOTE",
    "FALC_ITEMS",
    "FALC_SENTENCE_WORDS",
    "FALC_SENTENCE_WORDS_ERROR",
    "GLOSSARY_MAX_WORDS",
    "HOOK_MAX_CHARS",
    "HOOK_MAX_WORD_CHARS",
    "POSTER_CHARS",
    "QUESTION_MAX_CHARS",
    "LANGUAGE_RULES",
    "LENGTH_BUDGETS",
    "LINK_LABEL_WORDS",
    "ONLINE_TIMEOUT",
    "QR_CAMPAIGN_MM",
    "QR_QUESTION_MM",
    "READABILITY",
    "READABILITY_MIN_WORDS",
    "REVIEW_MAX_AGE_MONTHS",
    "RIGHTS_POINTS",
    "RIGHTS_POINT_WORDS",
    "ROW_COLUMNS",
    "SOURCES",
    "STANDARD",
    "SUMMARY_BUDGETS",
    "URL_SHORTENERS",
    "VENUE_MAX_WORDS",
    "WARNING",
    "Budget",
    "Finding",
    "LanguageRules",
    "Readability",
    "Report",
    "check_content",
    "check_or_raise",
    "check_theme",
    "COVERAGE_COLUMNS",
    "coverage",
    "format_report",
    "report_blocks",
    "report_rows",
    "where_shown",
]


def check_content(
    content_dir: str | Path | None = None,
    *,
    falc_logo: bool = False,
    theme: Theme | None = None,
    online: bool = False,
    today: dt.date | None = None,
    kb: KnowledgeBase | None = None,
    link_hosts: list[str] | tuple[str, ...] = (),
    languages: list[str] | tuple[str, ...] = (),
) -> Report:
    """Check a knowledge base (the built-in one by default, or ``kb`` already loaded) and return every finding.

    ``link_hosts``: more hosts links may lead to (kit.toml [check] link_hosts, the site's own host).
    ``languages``: the languages asked for (kit.toml [build] languages, `--lang`): one nobody has reviewed is a
    warning; the others unreviewed are notes."""
    today = today or dt.date.today()
    try:
        kb = kb or load_content(content_dir)
    except ContentError as exc:
        return Report(
            load_findings(exc, content_dir) + check_theme(theme),
            str(content_dir) if content_dir is not None else None,
        )

    c = Collector()
    check_meta(c, kb, source_of(kb, "kit.yaml"), falc_logo, today)
    check_language_review(c, kb, source_of(kb, "kit.yaml"), tuple(languages or ()))
    check_stale(c, kb, tuple(languages or ()))
    c.findings.extend(check_theme(theme))
    links: list = []
    check_questions(c, kb, links)
    check_partial_questions(c, kb, tuple(languages or ()))
    check_shared(c, kb, source_of(kb, "shared.yaml"), links)
    check_venues(c, kb, source_of(kb, "venues.yaml"))
    check_act(c, kb, source_of(kb, "shared.yaml"), links)
    check_doorstep(c, kb, source_of(kb, "shared.yaml"))
    check_letter(c, kb, source_of(kb, "shared.yaml"))
    check_hidden(c, kb)
    check_recordings(c, kb)
    check_placeholders(c, kb)
    story_links: list = []
    check_stories(c, kb, story_links)
    check_promises(c, kb)
    check_rechecks(c, kb, today)
    hosts = allowed_hosts(kb, link_hosts)
    check_link_hosts(c, links, hosts)
    check_link_hosts(c, story_links, hosts | allowed_hosts(kb, kb.review.story_hosts) if hosts else hosts)
    if online:
        check_online(c, links + story_links)
    asked = [
        lang for lang in dict.fromkeys(languages or ()) if lang in kb.all_languages and lang != SOURCE_LANG
    ]
    return Report(c.findings, str(kb.root), {lang: coverage(kb, lang) for lang in asked})


def check_or_raise(kb_dir: str | Path | None = None, **kw) -> Report:
    """Run the checks; raise ContentError when there are errors (warnings never raise)."""
    report = check_content(kb_dir, **kw)
    errors = report.errors
    if errors:
        raise ContentError(
            f"The content has {plural(len(errors), 'error')}: run `kit check` for details.",
            problems=[f.problem() for f in errors[:5]],
        )
    return report
