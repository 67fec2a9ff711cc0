"""Load the knowledge base (YAML files) into typed models, reporting every problem with file, line and field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ContentError, Problem

VENUES = ("france-services", "la-poste", "cafe-ia")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
HOOK_MAX_WORDS = 12


from .readability import words  # noqa: E402  (one way to count words, for loading and for kit check)


def _https_url(value: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#][^\s<>\"]*)?", value):
        raise ValueError(f"'{value}' is not a valid https:// address (only https links are printed)")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a valid id: use lower-case letters, digits and hyphens")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("this text is empty")
    return value.strip()


Text = Annotated[str, AfterValidator(_not_blank)]
Url = Annotated[str, AfterValidator(_https_url)]
Slug = Annotated[str, AfterValidator(_slug)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Link(Model):
    label: Text
    url: Url
    qr: bool = False


def _one_qr_link(links: list[Link]) -> list[Link]:
    marked = [link for link in links if link.qr]
    if len(marked) != 1:
        raise ValueError(f"exactly one link must have 'qr: true' (the QR code target); found {len(marked)}")
    return links


Links = Annotated[list[Link], Field(min_length=1), AfterValidator(_one_qr_link)]


class FalcItem(Model):
    text: Text
    picto: Slug


class Misconception(Model):
    myth: Text
    fact: Text


class QuestionText(Model):
    question: Text
    hook: Text
    short: Text
    detail: Text
    sources: list[Text] = Field(min_length=1)
    benefit: Text
    falc: list[FalcItem] = Field(min_length=1)
    links: Links
    # Event packs: the advisor memo's two sentences, Café IA prompts, misconceptions and the facts.
    advisor: Text
    prompts: list[Text] = Field(min_length=1)
    misconceptions: list[Misconception] = Field(min_length=1)

    @model_validator(mode="after")
    def _hook_length(self) -> "QuestionText":
        n = len(words(self.hook))
        if n > HOOK_MAX_WORDS:
            raise ValueError(f"hook: {n} words, at most {HOOK_MAX_WORDS} fit a poster")
        return self

    @property
    def qr_link(self) -> Link:
        return next(link for link in self.links if link.qr)


class Question(Model):
    id: Slug
    order: int
    pictogram: Slug
    # In the summary poster, the leaflets and the advisor memo (which hold the four citizen questions)? Else only its own
    # posters and a page of the FALC booklet.
    in_summary: bool = True
    translations: dict[str, QuestionText]


class Meta(Model):
    content_version: Text
    date: dt.date
    reviewed_by: list[Text] = Field(min_length=1)
    falc_checked_by: list[Text] = []
    languages: list[str] = Field(min_length=1)
    organisation: Text = "kit – la seconde vie des données de santé"
    # A user's content folder is merged over the built-in knowledge base, unless this is false.
    builtin: bool = True


class Summary(Model):
    title: Text
    hook: Text
    intro: Text
    links: Links

    @property
    def qr_link(self) -> Link:
        return next(link for link in self.links if link.qr)


class Rights(Model):
    title: Text
    points: list[Text] = Field(min_length=1)
    links: Links

    @property
    def qr_link(self) -> Link:
        return next(link for link in self.links if link.qr)


class Labels(Model):
    campaign: Text
    scan: Text
    leads_to: Text
    benefit: Text
    sources: Text
    credits: Text
    four_questions: Text
    rights: Text
    falc: Text
    page: Text
    question_n: Text
    words: Text
    checked_by: Text
    qr_alt: Text
    duplex: Text

    @model_validator(mode="after")
    def _placeholders(self) -> "Labels":
        for name, needed in (("page", ("{n}", "{total}")), ("question_n", ("{n}", "{total}")), ("qr_alt", ("{url}",))):
            value = getattr(self, name)
            missing = [p for p in needed if p not in value]
            if missing:
                raise ValueError(f"{name}: keep the placeholder{'s' if len(missing) > 1 else ''} {' and '.join(missing)} in '{value}'")
        return self


class FalcPages(Model):
    """Easy-to-Read texts around the questions: the title page and the end page."""

    title: Text
    intro: list[FalcItem] = Field(min_length=1)
    end: list[FalcItem] = Field(min_length=1)


class PlanStep(Model):
    minutes: int = Field(gt=0)
    title: Text
    text: Text


class EventTexts(Model):
    """Words of the event packs: Café IA poster, invitation, facilitator guide, advisor memo, feedback, print sheet."""

    cafe_title: Text
    cafe_expect: list[Text] = Field(min_length=1)
    expect_title: Text
    free_entry: Text
    invitation_title: Text
    invitation: Text
    date_label: Text
    time_label: Text
    place_label: Text
    contact_label: Text
    guide_title: Text
    guide_intro: Text
    plan_title: Text
    plan: list[PlanStep] = Field(min_length=1)
    prompts_title: Text
    myths_title: Text
    myth_label: Text
    fact_label: Text
    links_title: Text
    memo_title: Text
    memo_intro: Text
    memo_more: Text
    memo_object: Text
    feedback_title: Text
    feedback_intro: Text
    feedback_helped: Text
    feedback_options: list[Text] = Field(min_length=2)
    feedback_worries: Text
    feedback_online: Text
    feedback_thanks: Text
    print_title: Text
    print_intro: Text
    print_document: Text
    print_paper: Text
    print_copies: Text
    print_sides: Text
    one_side: Text
    two_sides_short: Text
    two_sides_long: Text
    cut_marks: Text


class GlossaryText(Model):
    term: Text
    explanation: Text
    falc: Text | None = None  # Easy-to-Read explanation, for FALC documents

    @property
    def easy(self) -> str:
        return self.falc or self.explanation


class GlossaryTerm(Model):
    id: Slug
    translations: dict[str, GlossaryText]


class Shared(Model):
    summary: dict[str, Summary]
    rights: dict[str, Rights]
    venues: dict[str, dict[str, Text]]
    labels: dict[str, Labels]
    falc: dict[str, FalcPages]
    events: dict[str, EventTexts]
    glossary: list[GlossaryTerm] = []


@dataclass
class KnowledgeBase:
    """The validated content: metadata, questions in reading order, shared blocks."""

    meta: Meta
    questions: list[Question]
    shared: Shared
    root: Path
    files: dict[str, Path] = field(default_factory=dict)
    sources: dict[str, "YamlFile"] = field(default_factory=dict)  # where each value came from (file, line)

    @property
    def languages(self) -> list[str]:
        return list(self.meta.languages)

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

    def pictograms(self) -> set[str]:
        used = set()
        for q in self.questions:
            used.add(q.pictogram)
            for text in q.translations.values():
                used.update(item.picto for item in text.falc)
        for pages in self.shared.falc.values():
            used.update(item.picto for item in (*pages.intro, *pages.end))
        return used


# --- YAML with line numbers -------------------------------------------------------------------


def line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """Map each path of keys/indexes in a YAML document to its 1-based line number.

    Walked with a list rather than recursion, and each node once: a node reached again (an alias,
    which read_yaml refuses anyway) is not walked again, so the work stays proportional to the file.
    """
    if index is None:
        index = {}
    seen: set[int] = set()
    todo: list[tuple] = [("node", node, path)]
    while todo:
        task = todo.pop()
        if task[0] == "line":  # a mapping key's own line, set just before its value is walked
            index[task[1]] = task[2]
            continue
        _, node, path = task
        index.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value
                children.append(("line", path + (key,), key_node.start_mark.line + 1))
                children.append(("node", value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            children = [("node", item, path + (i,)) for i, item in enumerate(node.value)]
        todo.extend(reversed(children))  # depth first, in the file's order
    return index


@dataclass
class YamlFile:
    path: Path
    display: str
    data: Any
    lines: dict[tuple, int]

    def line_of(self, loc: tuple) -> int | None:
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc)

    def depth(self, loc: tuple) -> int:
        """How many leading parts of ``loc`` this file itself holds."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return len(loc) if loc in self.lines else -1

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        return self.display, self.line_of(loc)

    def problem(self, message: str, loc: tuple = ()) -> Problem:
        dotted = ".".join(str(part) for part in loc) or None
        display, line = self.locate(loc)
        return Problem(message, display, line, dotted)


@dataclass
class Layered(YamlFile):
    """A user's file merged over a built-in one: problems point at the file that holds the value."""

    layers: list[YamlFile] = field(default_factory=list)  # lowest first

    def _layer(self, loc: tuple) -> YamlFile:
        best = max(reversed(self.layers), key=lambda layer: layer.depth(loc))  # ties: the user's file
        return best

    def line_of(self, loc: tuple) -> int | None:
        return self._layer(loc).line_of(loc)

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        layer = self._layer(loc)
        return layer.display, layer.line_of(loc)


def merge_data(base, over, path: tuple = ()):
    """Deep-merge YAML data: mappings key by key, the glossary term by term (by id), other lists replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = merge_data(base[key], value, path + (key,)) if key in base else value
        return merged
    if path == ("glossary",) and isinstance(base, list) and isinstance(over, list):
        merged = list(base)
        index = {item.get("id"): i for i, item in enumerate(merged) if isinstance(item, dict)}
        for item in over:
            key = item.get("id") if isinstance(item, dict) else None
            if key in index:
                merged[index[key]] = merge_data(merged[index[key]], item, path + (index[key],))
            else:
                merged.append(item)
        return merged
    return over


def layer(base: YamlFile | None, over: YamlFile | None) -> YamlFile | None:
    if base is None or over is None:
        return over or base
    return Layered(over.path, over.display, merge_data(base.data, over.data), {}, [base, over])


# Content files are small texts (the built-in ones are under 25 KB): these bounds leave room for
# far bigger ones while keeping a hostile file from taking the memory or the stack.
MAX_YAML_BYTES = 2_000_000  # bytes of one content file
MAX_YAML_DEPTH = 40         # groups and lists inside each other (the built-in files use 6)

_SHORTCUTS = ("content files do not accept the YAML shortcuts '&name' and '*name' (an anchor and an alias, "
              "which repeat one part of a file in another): write the text out in full where it is needed")


class _Refused(Exception):
    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else None


class _ContentLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors and aliases and nesting deeper than MAX_YAML_DEPTH as it reads."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(f"'*{event.anchor}': {_SHORTCUTS}", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise _Refused(f"'&{event.anchor}': {_SHORTCUTS}", event.start_mark)
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise _Refused(f"the text is nested more than {MAX_YAML_DEPTH} levels deep (lists or groups inside "
                           "each other); content files need far fewer: check the indentation and the brackets",
                           event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(path: Path, display: str, problems: list[Problem]) -> YamlFile | None:
    """Read one content file; on a problem, add it (naming ``display``) to ``problems`` and return None."""
    try:
        if path.is_dir():
            problems.append(Problem("this is a folder, not a content file: rename it or move it elsewhere", display))
            return None
        if not path.is_file():  # a device or a pipe would never end
            problems.append(Problem("this is not an ordinary file: replace it with a text file", display))
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(f"cannot be read ({exc.strerror or exc})", display))
        return None
    if len(raw) > MAX_YAML_BYTES:
        problems.append(Problem(
            f"this file is larger than {MAX_YAML_BYTES // 1_000_000} MB, the most kit reads for one content file "
            "(the built-in ones are under 25 KB): check that it is the right file", display))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem("not readable as UTF-8 text; save it as UTF-8", display))
        return None
    try:
        loader = _ContentLoader(text)  # parsed once: the node tree gives lines, then the data
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as exc:
        problems.append(Problem(exc.message, display, exc.line))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        problems.append(Problem(f"YAML syntax error: {what} (check indentation and quotes)", display, line))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(f"YAML syntax error: {exc}", display))
        return None
    if node is None:  # nothing but blank lines or comments: say so here, about this very file
        problems.append(Problem("this file is empty (or holds only comments): write its 'key: value' lines, "
                                "or delete the file", display))
        return None
    return YamlFile(path, display, data, line_index(node))


_FRIENDLY = {
    "missing": "this field is required but missing",
    "extra_forbidden": "unknown field: check its spelling (unknown fields are refused so that typos are not ignored)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a group of 'key: value' lines",
    "model_type": "must be a group of 'key: value' lines",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD",
    "date_parsing": "must be a date written as YYYY-MM-DD",
    "date_type": "must be a date written as YYYY-MM-DD",
    "too_short": "must not be empty",
}


def _validation_problems(exc: ValidationError, source: YamlFile, prefix: tuple = ()) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        # pydantic adds the validator's name to locations of Annotated validators; drop non-data parts.
        loc = tuple(part for part in loc if not (isinstance(part, str) and "[" in part))
        message = _FRIENDLY.get(err["type"])
        if message is None:
            message = err["msg"].removeprefix("Value error, ")
        problems.append(source.problem(message, loc))
    return problems


def _validate(model: type[Model], source: YamlFile, problems: list[Problem]):
    if not isinstance(source.data, dict):
        problems.append(source.problem("the file must contain 'key: value' lines at the top level"))
        return None
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, source))
        return None


def _display(path: Path, root: Path) -> str:
    """A file as the user named it: under the content folder they gave (or the built-in one)."""
    return str(path)


def _question_files(folder: Path) -> list[Path]:
    return sorted((folder / "questions").glob("*.yaml")) + sorted((folder / "questions").glob("*.yml"))


def _standalone(user_root: Path) -> bool:
    """Whether the user's kit.yaml says `builtin: false` (a complete knowledge base of its own)."""
    path = user_root / "kit.yaml"
    if not path.is_file():
        return False
    source = read_yaml(path, str(path), [])  # its problems are reported when it is read for good
    data = source.data if source is not None else None
    return isinstance(data, dict) and data.get("builtin") is False


def load_content(content_dir: str | Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base; raise one ContentError listing every problem.

    A user's ``content_dir`` is merged over the built-in content: a question file with a known id
    overrides the fields it gives, a new id adds a question, `shared.yaml` and `kit.yaml` override what
    they give (glossary terms by id). With `builtin: false` in its kit.yaml the folder stands alone.
    """
    from .resources import content_dir as builtin_content_dir
    from .resources import pictogram_path

    problems: list[Problem] = []
    user_root = Path(content_dir) if content_dir is not None else None
    if user_root is not None and not user_root.is_dir():
        raise ContentError(f"The content folder {user_root} does not exist (give a folder with kit.yaml, shared.yaml "
                           f"or questions/).")
    standalone = user_root is not None and _standalone(user_root)
    roots = [user_root] if standalone else [builtin_content_dir()] + ([user_root] if user_root else [])
    root = roots[-1]

    def read(name: str) -> YamlFile | None:
        merged, found = None, False
        for folder in roots:
            path = folder / name
            if path.is_file():
                found = True
                source = read_yaml(path, _display(path, folder), problems)
                if source is None:  # unreadable: already reported
                    return None
                merged = layer(merged, source)
        if not found:
            problems.append(Problem(f"file missing: every knowledge base needs {name}", _display(root / name, root)))
        return merged

    meta_file, shared_file = read("kit.yaml"), read("shared.yaml")
    meta = _validate(Meta, meta_file, problems) if meta_file else None
    shared = _validate(Shared, shared_file, problems) if shared_file else None

    # Questions by id: each folder's files, a later folder's file merged over an earlier one's.
    by_id: dict[str, YamlFile] = {}
    for folder in roots:
        seen_here: dict[str, str] = {}
        for path in _question_files(folder):
            source = read_yaml(path, _display(path, folder), problems)
            if source is None:
                continue
            data = source.data if isinstance(source.data, dict) else {}
            qid = str(data.get("id") or path.stem)
            if qid in seen_here:
                problems.append(source.problem(f"id '{qid}' is already used by {seen_here[qid]}", ("id",)))
                continue
            seen_here[qid] = source.display
            by_id[qid] = layer(by_id.get(qid), source)
    if not by_id:
        problems.append(Problem("no question files found (expected questions/<id>.yaml)", _display(root / "questions", root)))
    questions: list[tuple[Question, YamlFile]] = []
    for qid, source in by_id.items():
        question = _validate(Question, source, problems)
        if question is not None:
            questions.append((question, source))

    if meta is not None:
        langs = meta.languages
        for lang in langs:
            if not LANG_RE.fullmatch(lang):
                problems.append(meta_file.problem(f"'{lang}' is not a language code (use two letters, like fr or en)", ("languages",)))
        for question, source in questions:
            for lang in langs:
                if lang not in question.translations:
                    problems.append(source.problem(
                        f"question '{question.id}' has no '{lang}' translation: every language listed in kit.yaml must be complete",
                        ("translations", lang)))
            for lang in question.translations:
                if lang not in langs:
                    problems.append(source.problem(
                        f"language '{lang}' is not listed in kit.yaml 'languages'", ("translations", lang)))
            for lang, text in question.translations.items():
                for i, item in enumerate(text.falc):
                    if not pictogram_path(item.picto).is_file():
                        problems.append(source.problem(
                            f"pictogram '{item.picto}' does not exist in assets/pictograms", ("translations", lang, "falc", i, "picto")))
            if not pictogram_path(question.pictogram).is_file():
                problems.append(source.problem(f"pictogram '{question.pictogram}' does not exist in assets/pictograms", ("pictogram",)))
        if shared is not None:
            for block in ("summary", "rights", "labels", "falc", "events"):
                present = getattr(shared, block)
                for lang in langs:
                    if lang not in present:
                        problems.append(shared_file.problem(
                            f"'{block}' has no '{lang}' version: every language listed in kit.yaml must be complete", (block, lang)))
            for venue in VENUES:
                if venue not in shared.venues:
                    problems.append(shared_file.problem(f"venue '{venue}' has no wording", ("venues", venue)))
                    continue
                for lang in langs:
                    if lang not in shared.venues[venue]:
                        problems.append(shared_file.problem(f"venue '{venue}' has no '{lang}' wording", ("venues", venue, lang)))
            for venue in shared.venues:
                if venue not in VENUES:
                    problems.append(shared_file.problem(
                        f"unknown venue '{venue}' (known venues: {', '.join(VENUES)})", ("venues", venue)))
            for lang, pages in shared.falc.items():
                for part in ("intro", "end"):
                    for i, item in enumerate(getattr(pages, part)):
                        if not pictogram_path(item.picto).is_file():
                            problems.append(shared_file.problem(
                                f"pictogram '{item.picto}' does not exist in assets/pictograms", ("falc", lang, part, i, "picto")))
            for i, term in enumerate(shared.glossary):
                for lang in langs:
                    if lang not in term.translations:
                        problems.append(shared_file.problem(
                            f"glossary term '{term.id}' has no '{lang}' explanation", ("glossary", i, "translations", lang)))

    if problems:
        raise ContentError(
            f"The knowledge base in {root} has {len(problems)} problem{'s' if len(problems) > 1 else ''}; nothing was built:",
            problems)
    ordered = sorted(questions, key=lambda pair: (pair[0].order, pair[0].id))
    return KnowledgeBase(
        meta=meta,
        questions=[q for q, _ in ordered],
        shared=shared,
        root=root,
        files={q.id: src.path for q, src in ordered},
        sources={"kit.yaml": meta_file, "shared.yaml": shared_file, **{q.id: src for q, src in ordered}},
    )
