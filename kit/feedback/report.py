"""The feedback part of `kit report`: answers counted per question, per event and per kind of place, the
questions people still have and their comments (e-mail addresses and phone numbers masked), "what to improve
next"; written as feedback.html and its CSVs."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..files import OutputFolder, atomic_write
from .answers import Answers, read_answers
from .form import Form

PAGE = "feedback.html"
QUESTIONS_CSV = "feedback-questions.csv"
EVENTS_CSV = "feedback-events.csv"
PLACES_CSV = "feedback-places.csv"
IMPROVE_CSV = "feedback-improve.csv"
FILES = (PAGE, QUESTIONS_CSV, EVENTS_CSV, PLACES_CSV, IMPROVE_CSV)
UNDERSTOOD = "yes"  # the choice that means "understood" (and "knows how to say no")
NOT_UNDERSTOOD = "no"
UNKNOWN_EVENT = "(unknown event code)"
NO_EVENT = "(no event code)"
NOT_GIVEN = "(not given)"
GROUP_WORDS = {UNKNOWN_EVENT: "unknown_event", NO_EVENT: "no_event", NOT_GIVEN: "not_given"}  # on the page

MASKED_EMAIL = "[e-mail address]"  # what stands for a masked address, put in the page's words by _page
MASKED_PHONE = "[phone number]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])\+?\d(?:[\s.\-()]*\d){7,}")


def mask(text: str) -> str:
    """``text`` with its e-mail addresses and phone numbers replaced (a comment is published, its author not)."""
    return _PHONE.sub(MASKED_PHONE, _EMAIL.sub(MASKED_EMAIL, text))


@dataclass
class Group:
    """The answers of one event, one kind of place, or all: how many, and each field's choices counted."""

    answers: int = 0
    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, values: dict[str, str], counted: set[str]) -> None:
        """One more answer; the choices of its fields in ``counted`` (the select fields) counted."""
        self.answers += 1
        for name, value in values.items():
            if name not in counted:
                continue
            for part in value.split():
                self.counts.setdefault(name, Counter())[part] += 1

    def given(self, name: str) -> int:
        return sum(self.counts.get(name, Counter()).values())

    def share(self, name: str, choice: str = UNDERSTOOD) -> float | None:
        given = self.given(name)
        return self.counts[name][choice] / given if given else None


@dataclass
class FeedbackFigures:
    form: Form
    read: Answers
    overall: Group
    events: dict[str, Group]
    places: dict[str, Group]
    unknown_codes: Counter
    open_questions: list[str]
    comments: list[str]

    def understood_fields(self):
        return [f for f in self.form.fields if f.question]

    def improve(self) -> list[tuple[str, str, int, int, float]]:
        """(field, question id, answers, not understood, share), most often not understood first."""
        rows = []
        for f in self.understood_fields():
            given = self.overall.given(f.name)
            if given:
                no = self.overall.counts[f.name][NOT_UNDERSTOOD]
                rows.append((f.name, f.question, given, no, no / given))
        return sorted(rows, key=lambda r: (-r[4], -r[3], r[0]))


def count(form: Form, read: Answers, events: dict[str, str] | None = None) -> FeedbackFigures:
    """Count ``read``'s answers. ``events``: the known events (id -> kind of place), when the report has them:
    an answer whose code matches none is counted apart."""
    overall, by_event, by_place = Group(), {}, {}
    unknown: Counter = Counter()
    open_questions, comments = [], []
    counted = {f.name for f in form.fields if f.kind.startswith("select")}
    for answer in read.answers:
        code = answer.event
        if events is not None and code and code not in events:
            unknown[code] += 1
            event_key = UNKNOWN_EVENT
        else:
            event_key = code or NO_EVENT
        place = answer.values.get("place_kind") or (events or {}).get(code) or NOT_GIVEN
        overall.add(answer.values, counted)
        by_event.setdefault(event_key, Group()).add(answer.values, counted)
        by_place.setdefault(place, Group()).add(answer.values, counted)
        if answer.values.get("open_question"):
            open_questions.append(mask(answer.values["open_question"]))
        if answer.values.get("comment"):
            comments.append(mask(answer.values["comment"]))
    return FeedbackFigures(
        form,
        read,
        overall,
        dict(sorted(by_event.items())),
        dict(sorted(by_place.items())),
        unknown,
        open_questions,
        comments,
    )


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_files(figures: FeedbackFigures) -> dict[str, bytes]:
    form = figures.form
    names = sorted(
        {n for f in form.fields for n in form.choice_names(f)},
        key=lambda n: next(
            i for i, (ln, entries) in enumerate(form.choices.items()) for c, _ in entries if c == n
        ),
    )
    questions = [["question", "question_id", "answers", *names]]
    for f in form.fields:
        if not f.kind.startswith("select"):
            continue
        counts = figures.overall.counts.get(f.name, Counter())
        questions.append(
            [
                f.name,
                f.question or "",
                figures.overall.given(f.name),
                *[counts[n] if n in form.choice_names(f) else "" for n in names],
            ]
        )
    events = [["event_id", "answers"]] + [[k, g.answers] for k, g in figures.events.items()]
    understood = figures.understood_fields()
    places = [["place_kind", "answers", *[f.name for f in understood], "say_no"]]
    for key, group in figures.places.items():
        shares = [group.share(f.name) for f in understood] + [group.share("say_no")]
        places.append([key, group.answers, *["" if s is None else f"{s:.3f}" for s in shares]])
    improve = [["rank", "question_id", "answers", "not_understood", "share"]]
    for rank, (_, qid, given, no, share) in enumerate(figures.improve(), start=1):
        improve.append([rank, qid, given, no, f"{share:.3f}"])
    return {
        QUESTIONS_CSV: _csv(questions),
        EVENTS_CSV: _csv(events),
        PLACES_CSV: _csv(places),
        IMPROVE_CSV: _csv(improve),
    }


def _masked(text: str, w) -> str:
    """A masked comment with its masks in the page's words ``w`` ("[adresse e-mail retirée]" on a French page)."""
    if not w:
        return text
    return text.replace(MASKED_EMAIL, f"[{w('masked_email')}]").replace(
        MASKED_PHONE, f"[{w('masked_phone')}]"
    )


def _page(figures: FeedbackFigures, lang: str, words: dict | None = None, typography: str = "plain") -> str:
    """feedback.html in ``lang``: its headings and sentences are the ``words`` of that language (report.yaml,
    block ``feedback``), the questions and choices the form's own texts."""
    from jinja2 import Environment, StrictUndefined

    from ..locales import typeset

    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string((Path(__file__).parent / "templates" / "feedback.html").read_text("utf-8"))
    form = figures.form
    words = words or {}
    page_lang = lang if lang in words else next(iter(words), lang)
    texts = words.get(page_lang)
    lang = lang if lang in form.languages else form.languages[0]

    def w(key: str, **values) -> str:
        """A sentence of the page in its language, placeholders filled, typography applied."""
        if texts is None:  # content without the feedback block of report.yaml: the field's name
            return key
        return typeset(getattr(texts, key).format(**values), typography)

    def pct(value):
        return "–" if value is None else f"{round(value * 100)}\u00a0%"

    def rows_for(groups: dict[str, Group]):
        most = max((g.answers for g in groups.values()), default=0) or 1
        return [
            {
                "key": w(GROUP_WORDS[key]) if key in GROUP_WORDS else key,  # the CSVs keep the key as it is
                "answers": g.answers,
                "width": round(g.answers * 100 / most),  # the chart's bar: answers beside the most answered
                "shares": [pct(g.share(f.name)) for f in figures.understood_fields()],
                "say_no": pct(g.share("say_no")),
            }
            for key, g in groups.items()
        ]

    questions = []
    for f in figures.understood_fields():
        share = figures.overall.share(f.name)
        questions.append(
            {
                "name": f.name,
                "id": f.question,
                "text": form.questions[f.question].get(lang, f.question),
                "answers": figures.overall.given(f.name),
                "share": share,
                "pct": pct(share),
                "width": round((share or 0) * 100),
            }
        )
    improve = [
        {
            "id": qid,
            "text": form.questions[qid].get(lang, qid),
            "answers": given,
            "no": no,
            "pct": pct(share),
            "width": round(share * 100),
        }
        for _, qid, given, no, share in figures.improve()
    ]
    return template.render(
        w=w,
        page_lang=page_lang,
        lang=lang,
        title=form.title.get(lang, form.form_id),
        total=figures.overall.answers,
        say_no=pct(figures.overall.share("say_no")),
        questions=questions,
        columns=[form.questions[f.question].get(lang, f.question) for f in figures.understood_fields()],
        events=rows_for(figures.events),
        places=rows_for(figures.places),
        improve=improve,
        open_questions=[_masked(text, texts and w) for text in figures.open_questions],
        comments=[_masked(text, texts and w) for text in figures.comments],
        unknown=sorted(figures.unknown_codes.items()),
        read=figures.read,
        files={
            "questions": QUESTIONS_CSV,
            "events": EVENTS_CSV,
            "places": PLACES_CSV,
            "improve": IMPROVE_CSV,
        },
    )


def write_feedback_report(
    form: Form,
    files: list[str | Path],
    out: OutputFolder,
    events: dict[str, str] | None = None,
    lang: str = "fr",
    words: dict | None = None,
    typography: str = "plain",
) -> FeedbackFigures:
    """Read the answers of ``files``, count them and write feedback.html and its CSVs into ``out``;
    ``words``: the page's words per language (report.yaml, block ``feedback``)."""
    figures = count(form, read_answers(form, files), events)
    out.prepare()
    out.claim(FILES)
    for name, data in csv_files(figures).items():
        atomic_write(out.root / name, data, root=out.root)
    atomic_write(out.root / PAGE, _page(figures, lang, words, typography), root=out.root)
    return figures


def build_feedback_report(
    kb,
    files: list[str | Path],
    out: str | Path,
    *,
    placements: list[str | Path] = (),
    lang: str | None = None,
    force: bool = False,
) -> FeedbackFigures:
    """`kit report --feedback`: the answers of ``files`` joined to the events of ``placements`` (the
    placements.csv of `kit pack --track`: event id and kind of place), written into the folder ``out``."""
    from ..placements import read_placements_csv
    from .form import feedback_form

    events = None
    if placements:
        events = {}
        for path in placements:
            for placement in read_placements_csv(Path(path)):
                events[placement.event_id] = placement.venue_type
    form = feedback_form(kb)
    lang = lang or form.languages[0]
    words = kb.part("report").feedback
    typography = kb.locale(lang if lang in words else next(iter(words), lang)).typography
    return write_feedback_report(
        form, list(files), OutputFolder(out, force=force), events, lang, words, typography
    )
