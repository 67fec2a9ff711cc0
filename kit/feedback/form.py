"""The feedback form as it is asked: its fields (stable names), choices and texts, from the knowledge base."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..content import AskedField, KnowledgeBase, form_fields, form_problems
from ..errors import ContentError


def fold(text: str) -> str:
    """A text compared without case, accents or surrounding spaces ("Oui " and "oui" are the same answer)."""
    text = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@dataclass
class Form:
    """The form of one knowledge base: fields in order, choice lists, languages, title, version."""

    form_id: str
    version: str
    title: dict[str, str]
    instructions: dict[str, str]
    languages: list[str]  # the complete languages: every label is in each
    fields: list[AskedField]
    choices: dict[str, list[tuple[str, dict[str, str]]]]  # list name -> [(choice name, labels per language)]
    questions: dict[str, dict[str, str]]  # question id -> its text per language
    language_names: dict[str, str]  # lang -> its name ("Français")

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> AskedField:
        return next(f for f in self.fields if f.name == name)

    def choice_names(self, field: AskedField) -> list[str]:
        return [name for name, _ in self.choices.get(field.choices or "", [])]

    def label(self, field: AskedField, lang: str) -> str:
        """The field's question as asked: for a field about one question, that question, then the field's own."""
        own = field.label.get(lang) or next(iter(field.label.values()))
        if field.question:
            return f"{self.questions[field.question].get(lang, field.question)} – {own}"
        return own

    def choice_label(self, list_name: str, name: str, lang: str) -> str:
        for choice, labels in self.choices.get(list_name, []):
            if choice == name:
                return labels.get(lang) or name
        return name

    def read_choice(self, field: AskedField, value: str) -> str | None:
        """The choice name a written answer stands for (its name, or its label in any language), else None."""
        wanted = fold(value)
        for name, labels in self.choices.get(field.choices or "", []):
            if wanted == fold(name) or any(wanted == fold(label) for label in labels.values()):
                return name
        return None


def feedback_form(kb: KnowledgeBase) -> Form:
    """The feedback form of ``kb`` (feedback.yaml, one field per summary question for the per-question ones).
    ContentError when the knowledge base has no form, or a label or choice list is missing."""
    part = kb.part("feedback")
    if part.settings is None or not part.fields:
        raise ContentError(
            "The knowledge base has no feedback form: add feedback.yaml (see kit's own) to the content folder."
        )
    fields = form_fields(part, kb.summary_ids)
    problems = form_problems(part, kb.languages)
    if problems:
        raise ContentError("The feedback form (feedback.yaml) cannot be used: " + "; ".join(problems) + ".")
    return Form(
        form_id=part.settings.form_id,
        version=kb.meta.content_version,
        title=dict(part.settings.title),
        instructions=dict(part.settings.instructions),
        languages=kb.languages,
        fields=fields,
        choices={name: [(c.name, dict(c.label)) for c in choices] for name, choices in part.choices.items()},
        language_names={lang: kb.locale(lang).name for lang in kb.languages},
        questions={
            qid: {lang: text.question for lang, text in kb.question(qid).translations.items()}
            for qid in kb.summary_ids
        },
    )
