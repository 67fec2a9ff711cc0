"""Review rules: no absolute promise unless reviewed, facts rechecked by their date, links only to allowed hosts."""

from __future__ import annotations

import datetime as dt
import urllib.parse

from .. import readability as rd
from ..content import KnowledgeBase
from .languages import rules_for
from .report import ERROR, FALC, STANDARD, WARNING, Collector, source_of


def _texts(kb: KnowledgeBase):
    """Every text that answers or promises something: (source key, location, language, level, question, text)."""
    for question in kb.questions:
        for lang, t in question.translations.items():
            base = ("translations", lang)
            for name in ("hook", "short", "detail", "benefit", "advisor"):
                if getattr(t, name) is not None:  # a partial language has some of them only
                    yield question.id, base + (name,), lang, STANDARD, question.id, getattr(t, name)
            for i, item in enumerate(t.misconceptions or []):
                yield (
                    question.id,
                    base + ("misconceptions", i, "fact"),
                    lang,
                    STANDARD,
                    question.id,
                    item.fact,
                )
            for i, item in enumerate(t.falc):
                yield question.id, base + ("falc", i, "text"), lang, FALC, question.id, item.text
    shared = kb.shared
    for lang, summary in shared.summary.items():
        for name in ("hook", "intro"):
            yield (
                "shared.yaml",
                ("summary", lang, name),
                lang,
                STANDARD,
                "shared/summary",
                getattr(summary, name),
            )
    for lang, rights in shared.rights.items():
        for i, point in enumerate(rights.points):
            yield "shared.yaml", ("rights", lang, "points", i), lang, STANDARD, "shared/rights", point
    for lang, act in shared.act.items():
        where = ("act", lang)
        yield "shared.yaml", where + ("intro",), lang, STANDARD, "shared/act", act.intro
        yield "shared.yaml", where + ("limits",), lang, STANDARD, "shared/act", act.limits
        for i, step in enumerate(act.steps):
            yield "shared.yaml", where + ("steps", i), lang, STANDARD, "shared/act", step
        for i, situation in enumerate(act.situations):
            for j, point in enumerate(situation.points):
                yield (
                    "shared.yaml",
                    where + ("situations", i, "points", j),
                    lang,
                    STANDARD,
                    "shared/act",
                    point,
                )
        for i, item in enumerate(act.falc):
            yield "shared.yaml", where + ("falc", i, "text"), lang, FALC, "shared/act", item.text
    for lang, pages in shared.falc.items():
        for part in ("intro", "end"):
            for i, item in enumerate(getattr(pages, part)):
                yield "shared.yaml", ("falc", lang, part, i, "text"), lang, FALC, "shared/falc", item.text
    for i, term in enumerate(shared.glossary):
        for lang, text in term.translations.items():
            yield (
                "shared.yaml",
                ("glossary", i, "translations", lang, "explanation"),
                lang,
                STANDARD,
                "shared/glossary",
                text.explanation,
            )
    yield from _letter_texts(shared)
    for lang, door in shared.doorstep.items():
        where = ("doorstep", lang)
        # The titles too: "you can say no" on a pocket card is the kit's most read promise (issue 27 point 3).
        for name in (
            "card_title",
            "say_no_title",
            "hanger_title",
            "hanger_message",
            "opening",
            "sheet_intro",
        ):
            yield "shared.yaml", where + (name,), lang, STANDARD, "shared/doorstep", getattr(door, name)
        for part in ("worried", "send"):
            for i, point in enumerate(getattr(door, part)):
                yield "shared.yaml", where + (part, i), lang, STANDARD, "shared/doorstep", point


def _letter_texts(shared):
    """The letter's texts that tell people what happens, and the letter itself (it speaks for them)."""
    for lang, letter in shared.letter.items():
        where, who = ("letter", lang), "shared/letter"
        yield "shared.yaml", where + ("intro",), lang, STANDARD, who, letter.intro
        for i, point in enumerate(letter.next):
            yield "shared.yaml", where + ("next", i), lang, STANDARD, who, point
        for route_id, route in letter.routes.items():
            for i, paragraph in enumerate(route.body):
                yield "shared.yaml", where + ("routes", route_id, "body", i), lang, STANDARD, who, paragraph
        for part in ("steps", "next"):
            for i, item in enumerate(getattr(letter.falc, part)):
                yield "shared.yaml", where + ("falc", part, i, "text"), lang, FALC, who, item.text


def check_promises(c: Collector, kb: KnowledgeBase) -> None:
    """An absolute word (toujours, jamais, aucun, seuls, tout projet; always, never, only, every...) in a text
    that answers people is a promise the law may not keep: a finding, unless review.yaml lists the sentence."""
    reviewed = kb.review.reviewed_absolutes
    for key, loc, lang, level, question, text in _texts(kb):
        pattern = rules_for(lang).absolute
        if pattern is None:
            continue
        for sentence in rd.sentences(" ".join(text.split())):
            found = pattern.search(sentence)
            if not found:
                continue
            if any(r.lang == lang and " ".join(r.text.split()) in sentence for r in reviewed):
                continue
            c.add(
                WARNING,
                "promise",
                f"'{found.group(0)}' makes this sentence an absolute promise; the law often has exceptions.",
                "Say what is true ('in most cases', 'for the future', and where not), or, if the sentence is exact, "
                "list it in review.yaml 'reviewed_absolutes' with the reason and a source.",
                source_of(kb, key),
                loc,
                question=question,
                lang=lang,
                level=level,
                text=sentence,
            )


def check_rechecks(c: Collector, kb: KnowledgeBase, today: dt.date) -> None:
    """Dated facts past their recheck date."""
    src = source_of(kb, "review.yaml")
    for i, fact in enumerate(kb.review.facts_to_recheck):
        if today > fact.recheck_by:
            c.add(
                WARNING,
                "recheck-date",
                f"the fact '{fact.id}' was to be checked again by {fact.recheck_by.isoformat()} "
                f"(last checked {fact.checked.isoformat()}): {fact.fact}",
                "Check it in its sources; correct the texts that say it (where), then update 'checked' and "
                "'recheck_by' in review.yaml.",
                src,
                ("facts_to_recheck", i, "recheck_by"),
                question="review",
                text=fact.fact,
            )


def _host_allowed(host: str, allowed: set[str]) -> bool:
    host = host.lower().removeprefix("www.")
    return any(host == a or host.endswith("." + a) for a in allowed)


def check_link_hosts(c: Collector, links: list, allowed: set[str]) -> None:
    """Links lead only to hosts the content (review.yaml) or kit.toml ([check] link_hosts) allows."""
    if not allowed:
        return
    from .links import _shortener, _url_problem

    for url, src, loc, where in links:
        if _url_problem(url) or _shortener(url):
            continue  # already an error of its own
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        if host and not _host_allowed(host, allowed):
            c.add(
                ERROR,
                "link-host",
                f"'{host}' is not among the sites the content may send readers to.",
                "Link to an official or trusted site (CNIL, Légifrance, ameli, service-public...), or add the host "
                "to review.yaml 'link_hosts' (or kit.toml [check] link_hosts) once you have checked it.",
                src,
                loc,
                text=url,
                **where,
            )


def allowed_hosts(kb: KnowledgeBase, extra: list[str] | tuple[str, ...] = ()) -> set[str]:
    return {h.lower().removeprefix("www.") for h in (*kb.review.link_hosts, *extra)}
