"""What loading checks across a knowledge base's files: every language complete, pictograms that exist, ids once."""

from __future__ import annotations

from ..errors import Problem
from ..resources import pictogram_path
from .fields import COMPLETE_HINT, LANG_RE, PICTOGRAM_HINT, SCHEMA_HINT
from .models import (
    COMPLETE_BLOCKS,
    COMPLETE_ONLY_FIELDS,
    PARTIAL_BLOCKS,
    FalcItem,
    LocalesFile,
    Meta,
    Question,
    Shared,
    Story,
    Venue,
)
from .yamlfile import YamlFile


def _missing_pictograms(items: list[tuple[str, tuple]], source: YamlFile) -> list[Problem]:
    """A problem for each (pictogram, where) whose file kit's assets do not have."""
    return [
        source.problem(
            f"pictogram '{picto}' does not exist in assets/pictograms",
            loc,
            rule="pictogram",
            hint=PICTOGRAM_HINT,
        )
        for picto, loc in items
        if not pictogram_path(picto).is_file()
    ]


def _falc_pictures(items: list[FalcItem], where: tuple) -> list[tuple[str, tuple]]:
    return [(item.picto, where + (i, "picto")) for i, item in enumerate(items)]


def meta_problems(meta: Meta, source: YamlFile) -> list[Problem]:
    """Language codes that are codes, reviews of languages the content has."""
    problems = []
    every = meta.languages + [lang for lang in meta.partial_languages if lang not in meta.languages]
    for key in ("languages", "partial_languages"):
        for lang in getattr(meta, key):
            if not LANG_RE.fullmatch(lang):
                problems.append(
                    source.problem(
                        f"'{lang}' is not a language code (use two letters, like fr or en)",
                        (key,),
                        rule="schema",
                        hint=SCHEMA_HINT,
                    )
                )
    for lang in meta.language_review:
        if lang not in every:
            problems.append(
                source.problem(
                    f"language_review names '{lang}', which is neither in 'languages' nor in 'partial_languages'",
                    ("language_review", lang),
                    rule="consistency",
                    hint=COMPLETE_HINT,
                )
            )
    return problems


def question_problems(meta: Meta, question: Question, source: YamlFile) -> list[Problem]:
    """A question in every complete language with every field, in no language the content lacks, its pictograms."""
    problems = []
    langs = meta.languages
    every = langs + [lang for lang in meta.partial_languages if lang not in langs]
    for lang in every:
        if lang not in question.translations:
            if lang in langs:  # a partial language may lack a question (kit check says so; documents skip it)
                problems.append(
                    source.problem(
                        f"question '{question.id}' has no '{lang}' translation: every language listed in kit.yaml "
                        "must be complete",
                        ("translations", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
        elif lang in langs:
            text = question.translations[lang]
            for name in COMPLETE_ONLY_FIELDS:
                if getattr(text, name) is None:
                    problems.append(
                        source.problem(
                            f"this field is required but missing: '{lang}' is a complete language (kit.yaml "
                            f"'languages'); only a partial language may leave out {', '.join(COMPLETE_ONLY_FIELDS)}",
                            ("translations", lang, name),
                            rule="schema",
                            hint=COMPLETE_HINT,
                        )
                    )
    for lang in question.translations:
        if lang not in every:
            problems.append(
                source.problem(
                    f"language '{lang}' is not listed in kit.yaml 'languages' (nor in 'partial_languages')",
                    ("translations", lang),
                    rule="consistency",
                    hint=COMPLETE_HINT,
                )
            )
    pictures = []
    for lang, text in question.translations.items():
        pictures += _falc_pictures(text.falc, ("translations", lang, "falc"))
    problems += _missing_pictograms(pictures, source)
    return problems + _missing_pictograms([(question.pictogram, ("pictogram",))], source)


def shared_problems(meta: Meta, shared: Shared, source: YamlFile) -> list[Problem]:
    """Every block in every language that needs it, the pictograms, the glossary in every complete language."""
    problems = []
    langs = meta.languages
    partial = [lang for lang in meta.partial_languages if lang not in langs]
    for block in COMPLETE_BLOCKS:
        present = getattr(shared, block)
        for lang in langs + partial:
            if lang in partial and block not in PARTIAL_BLOCKS:
                continue
            if lang not in present:
                kind = (
                    "every language listed in kit.yaml must be complete"
                    if lang in langs
                    else f"a partial language needs {', '.join(PARTIAL_BLOCKS)}"
                )
                problems.append(
                    source.problem(
                        f"'{block}' has no '{lang}' version: {kind}",
                        (block, lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
    # A doorstep line naming no question (one a user removed) is only noted by kit check.
    for lang, act in shared.act.items():
        problems += _missing_pictograms(_falc_pictures(act.falc, ("act", lang, "falc")), source)
    for lang, letter in shared.letter.items():
        for part in ("steps", "next"):
            pictures = _falc_pictures(getattr(letter.falc, part), ("letter", lang, "falc", part))
            problems += _missing_pictograms(pictures, source)
    for lang, pages in shared.falc.items():
        for part in ("intro", "end"):
            problems += _missing_pictograms(
                _falc_pictures(getattr(pages, part), ("falc", lang, part)), source
            )
    for i, term in enumerate(shared.glossary):
        for lang in langs:
            if lang not in term.translations:
                problems.append(
                    source.problem(
                        f"glossary term '{term.id}' has no '{lang}' explanation",
                        ("glossary", i, "translations", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
    return problems


def locale_problems(locales: LocalesFile, source: YamlFile) -> list[Problem]:
    return [
        source.problem(
            f"'{code}' is not a language code (use two letters, like fr or en)",
            ("locales", code),
            rule="schema",
            hint=SCHEMA_HINT,
        )
        for code in locales.locales
        if not LANG_RE.fullmatch(code)
    ]


def story_problems(stories: list[Story], source: YamlFile, langs: list[str]) -> list[Problem]:
    """Each story once, with its pictograms. (A story that lacks a language of the content, or names a question the
    content does not have, is a `kit check` warning: it is told without them.)"""
    problems, seen = [], set()
    for i, story in enumerate(stories):
        where = ("stories", i)
        if story.id in seen:
            problems.append(
                source.problem(
                    f"story '{story.id}' is listed twice",
                    where + ("id",),
                    rule="consistency",
                    hint=COMPLETE_HINT,
                )
            )
        seen.add(story.id)
        pictures = [(story.pictogram, where + ("pictogram",))]
        for lang, text in story.translations.items():
            pictures += [
                (item.picto, where + ("translations", lang, "falc", k, "picto"))
                for k, item in enumerate(text.falc)
            ]
        problems += _missing_pictograms(pictures, source)
    return problems


def venue_problems(venues: list[Venue], source: YamlFile, langs: list[str]) -> list[Problem]:
    """Each venue type once, with its poster line in every language of the content."""
    problems, seen = [], set()
    for i, venue in enumerate(venues):
        if venue.id in seen:
            problems.append(
                source.problem(
                    f"venue '{venue.id}' is listed twice",
                    ("venues", i, "id"),
                    rule="consistency",
                    hint=COMPLETE_HINT,
                )
            )
        seen.add(venue.id)
        for lang in langs:
            if lang not in venue.line:
                problems.append(
                    source.problem(
                        f"venue '{venue.id}' has no '{lang}' wording",
                        ("venues", i, "line", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
        for lang in venue.line:
            if lang not in langs:
                problems.append(
                    source.problem(
                        f"language '{lang}' is not listed in kit.yaml 'languages'",
                        ("venues", i, "line", lang),
                        rule="consistency",
                        hint=COMPLETE_HINT,
                    )
                )
    return problems
