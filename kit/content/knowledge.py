"""The knowledge base: the validated content of every file, with what documents ask of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import Locale, Meta, Question, Review, Shared, Story, Venue, plain_locale
from .units import DONE, MISSING, SOURCE_LANG, records_of, states_of
from .yamlfile import YamlFile


@dataclass
class KnowledgeBase:
    """The validated content: metadata, questions in reading order, shared blocks."""

    meta: Meta
    questions: list[Question]
    shared: Shared
    root: Path
    venues: list[Venue] = field(default_factory=list)
    locales: dict[str, Locale] = field(default_factory=dict)
    review: Review = field(default_factory=Review)
    stories: list[Story] = field(default_factory=list)
    sources: dict[str, YamlFile] = field(default_factory=dict)  # where each value came from (file, line)
    # Every file of the table of content files validated, by its key (kit.content.CONTENT_FILES): the parts
    # above and any other the table declares.
    parts: dict[str, Any] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)  # the folders it was read from, kit's first
    digest: str = ""  # over every content file read (kit.content.digest_of): changes when any of them does
    _reviewed: dict[str, bool] = field(
        default_factory=dict, repr=False, compare=False
    )  # reviewed(), worked out once

    def recording(self, question_id: str, lang: str, level: str) -> tuple[Path, Path] | None:
        """The recorded audio the content names for a question's page in ``lang`` at ``level`` (`audio` of its
        translation): (the file, the content folder its path is written from: the folder of the file that names
        it), or None. The file may be missing or not audio: `kit check` says so (rule recording)."""
        text = self.question(question_id).translations.get(lang)
        written = text.audio.get(level) if text is not None and text.audio is not None else None
        if written is None:
            return None
        root = self.root
        source = self.sources.get(question_id)
        if source is not None:
            named = source.holder(("translations", lang, "audio", level)).path
            root = next((folder for folder in self.roots if folder in named.parents), root)
        return root / written, root

    def part(self, key: str) -> Any:
        """The validated file the table of content files declares under ``key``."""
        return self.parts[key]

    @property
    def languages(self) -> list[str]:
        """The complete languages (every text): the defaults of `kit build`."""
        return list(self.meta.languages)

    @property
    def partial_languages(self) -> list[str]:
        """Languages with part of the texts (a language listed as complete too is complete)."""
        return [lang for lang in self.meta.partial_languages if lang not in self.meta.languages]

    @property
    def all_languages(self) -> list[str]:
        return self.languages + self.partial_languages

    def is_partial(self, lang: str) -> bool:
        return lang in self.partial_languages

    def reviewers(self, lang: str) -> list[str]:
        """Who checked ``lang`` as native speakers (empty: nobody yet)."""
        review = self.meta.language_review.get(lang)
        return list(review.reviewed_by) if review else []

    def reviewed(self, lang: str) -> bool:
        """Whether ``lang`` is checked by native speakers: for French (the reference texts), someone named in
        kit.yaml language_review; for the others, every text it has reviewed (by the names of language_review, or
        text by text in its translation record) and none translated from a French text that has changed since.
        Until then its documents and pages say the translation is not yet checked."""
        if lang not in self._reviewed:
            if lang == SOURCE_LANG:
                self._reviewed[lang] = bool(self.reviewers(lang))
            else:
                states = [state for _, state in states_of(self, lang) if state != MISSING]
                self._reviewed[lang] = bool(states) and all(state in DONE for state in states)
        return self._reviewed[lang]

    def reviewed_on(self, lang: str) -> dt.date | None:
        """When ``lang`` was last reviewed (kit.yaml language_review, else the latest date of its record)."""
        review = self.meta.language_review.get(lang)
        if review is not None and review.reviewed_on is not None:
            return review.reviewed_on
        days = [record.date for record in records_of(self, lang).values() if record.date is not None]
        return max(days, default=None)

    @property
    def unreviewed_languages(self) -> list[str]:
        return [lang for lang in self.all_languages if not self.reviewed(lang)]

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    @property
    def summary_ids(self) -> list[str]:
        """The questions of the summary poster and the leaflets."""
        return [q.id for q in self.questions if q.in_summary]

    @property
    def story_ids(self) -> list[str]:
        return [story.id for story in self.stories]

    def story(self, story_id: str) -> Story:
        for story in self.stories:
            if story.id == story_id:
                return story
        raise KeyError(story_id)

    def stories_for(self, question_id: str) -> list[Story]:
        """The stories that illustrate a question, in the order of stories.yaml."""
        return [story for story in self.stories if question_id in story.questions]

    def stories_in(self, lang: str) -> list[Story]:
        """The stories told in a language (those written in it), in the order of stories.yaml."""
        return [story for story in self.stories if lang in story.translations]

    def story_questions(self, story: Story) -> list[str]:
        """The questions a story illustrates that the content has (a removed question is left out)."""
        return [qid for qid in story.questions if qid in self.question_ids]

    def locale(self, lang: str) -> Locale:
        """How ``lang`` is written (a plain record when locales.yaml has none for it)."""
        return self.locales.get(lang) or plain_locale(lang)

    @property
    def venue_ids(self) -> list[str]:
        return [venue.id for venue in self.venues]

    def venue(self, venue_id: str) -> Venue:
        for venue in self.venues:
            if venue.id == venue_id:
                return venue
        raise KeyError(venue_id)
