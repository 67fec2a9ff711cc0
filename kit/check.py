"""`kit check`: validate a knowledge base against the FALC rules, length budgets, readability, links,
theme colours and review metadata. Every finding names its file, line, rule, text and a fix.

Rule ids (severity):
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
  minimum: warning); FALC items per question (3 to 7).
- ``readability`` (warning): Flesch (Kandel & Moles for French) or LIX beyond the level's threshold.
- ``link-https``, ``link-url``, ``link-shortener`` (errors), ``link-label`` (warning),
  ``link-online`` (error, only with ``online=True``).
- ``contrast``, ``qr-colours``, ``theme-colour`` (errors): theme colours.
- ``review-date`` (warning): the content date is more than 12 months old.
- ``falc-logo`` (error): the Easy-to-Read logo is asked for but nobody is named as having checked it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

from . import readability as rd
from .content import HOOK_MAX_WORDS, KnowledgeBase, Link, YamlFile, load_content, read_yaml
from .errors import ContentError, Problem
from .resources import pictogram_path
from .theme import DEFAULT_THEME, HEX_RE, Theme, relative_luminance

ERROR = "error"
WARNING = "warning"
STANDARD = "standard"
FALC = "falc"


# --- Budgets and thresholds (the layouts are sized for these) ------------------------------------


class Budget(NamedTuple):
    """Words (or items) a field may hold: fewer than ``min`` is a warning, more than ``max`` an error."""

    min: int | None
    max: int | None


LENGTH_BUDGETS: dict[str, Budget] = {
    "question": Budget(None, 14),
    "hook": Budget(None, HOOK_MAX_WORDS),   # 12, also enforced when loading
    "short": Budget(50, 110),
    "detail": Budget(200, 400),
    "benefit": Budget(None, 45),
}
# Shared texts printed on the summary poster and the leaflet's back panel.
SUMMARY_BUDGETS: dict[str, Budget] = {"title": Budget(None, 10), "hook": Budget(None, 16), "intro": Budget(None, 45)}
RIGHTS_POINT_WORDS = Budget(None, 20)      # each "your rights" point
RIGHTS_POINTS = Budget(1, 5)               # how many points
LINK_LABEL_WORDS = Budget(None, 12)        # where a link leads, printed beside its address
SOURCES = Budget(1, 4)                     # sources named under a poster
FALC_ITEMS = Budget(3, 7)                  # FALC sentences (one picture each) per question
FALC_SENTENCE_WORDS = 12                   # the usual Easy-to-Read bound: more is a warning
FALC_SENTENCE_WORDS_ERROR = 15             # more than this is an error
VENUE_MAX_WORDS = 22                       # the venue line printed on posters
GLOSSARY_MAX_WORDS = 30                    # a glossary explanation (warning only: not printed yet)


class Readability(NamedTuple):
    flesch_min: float   # Flesch reading ease (Kandel & Moles for French): higher is easier
    lix_max: float      # LIX: lower is easier


# Flesch bands: 50-60 "fairly difficult", 60-70 "standard / plain". LIX bands: 50-60 "difficult",
# over 60 "very difficult" (official prose). LIX counts words of more than 6 letters as long, which
# catches plain French words ("données", "maladie"): French texts score about 10 points higher than
# English ones of the same difficulty, so the LIX limits leave room for French, the reference language.
READABILITY: dict[str, Readability] = {
    STANDARD: Readability(flesch_min=50, lix_max=60),
    FALC: Readability(flesch_min=60, lix_max=55),
}
# Flesch and LIX were made for samples of 100 words; on one sentence they swing by tens of points.
# Standard texts shorter than this (question, hook, benefit) are not scored; FALC lists always are
# (their sentences are short by rule, so the score measures the words).
READABILITY_MIN_WORDS = 50
REVIEW_MAX_AGE_MONTHS = 12

URL_SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
    "cutt.ly", "shorturl.at", "tiny.cc", "s.id", "rb.gy", "t.ly", "v.gd", "lnkd.in", "shorte.st",
    "adf.ly", "bl.ink", "short.io", "x.co", "qrco.de", "urlz.fr", "cli.re", "frama.link", "lstu.fr",
})
ONLINE_TIMEOUT = 10


# --- Findings and report ------------------------------------------------------------------------


@dataclass
class Finding:
    severity: str                 # "error" or "warning"
    rule: str
    message: str
    hint: str
    file: str | None = None
    line: int | None = None
    question: str | None = None   # question id, "shared/<block>", or None for the whole kit
    lang: str | None = None
    level: str | None = None      # "standard", "falc" or None
    text: str | None = None       # the offending text
    field: str | None = None      # dotted path of the field in its file

    @property
    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict:
        return asdict(self)

    def problem(self) -> Problem:
        return Problem(f"[{self.rule}] {self.message}", self.file, self.line, self.field)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    content_dir: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def ok(self, strict: bool = False) -> bool:
        """No errors (and, when strict, no warnings either)."""
        return not self.errors and not (strict and self.warnings)

    def summary(self) -> dict:
        return {"errors": len(self.errors), "warnings": len(self.warnings),
                "ok": self.ok(), "ok_strict": self.ok(strict=True), "content": self.content_dir}

    def to_json(self) -> str:
        return json.dumps({"findings": [f.to_dict() for f in self.findings], "summary": self.summary()},
                          ensure_ascii=False, indent=2)

    def grouped(self) -> dict[tuple[str | None, str | None, str | None], list[Finding]]:
        """Findings by (question, language, level), in the order the content is read."""
        groups: dict[tuple, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault((f.question, f.lang, f.level), []).append(f)
        return groups


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _excerpt(text: str | None, width: int = 70) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _group_title(key: tuple) -> str:
    question, lang, level = key
    parts = [question or "whole kit"]
    if lang:
        parts.append(lang)
    if level:
        parts.append("FALC" if level == FALC else level)
    return " · ".join(parts)


def format_report(report: Report) -> str:
    """A plain-text report grouped by question, language and level."""
    head = f"kit check: {_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"
    if report.content_dir:
        head += f" in {report.content_dir}"
    lines = [head]
    for key, findings in report.grouped().items():
        lines.append("")
        lines.append(_group_title(key))
        for f in findings:
            lines.append(f"  {f.severity.upper():8}{f.rule}" + (f"  ({f.where})" if f.where else ""))
            if f.text:
                lines.append(f"          “{_excerpt(f.text, 100)}”")
            lines.append(f"          {f.message}")
            lines.append(f"          fix: {f.hint}")
    if not report.findings:
        lines.append("No problems found.")
    return "\n".join(lines)


ROW_COLUMNS = ("question", "lang", "level", "severity", "rule", "where", "text", "problem and fix")


def report_rows(report: Report) -> list[tuple[str, str, str, str, str, str, str, str]]:
    """One row per finding for a table (columns: ROW_COLUMNS); the last column is the message, a new
    line, then the hint."""
    return [(f.question or "", f.lang or "", f.level or "", f.severity, f.rule, f.where,
             _excerpt(f.text), f"{f.message}\n{f.hint}") for f in report.findings]


# --- Where things are ---------------------------------------------------------------------------


class _Source:
    """A YAML file with its line index, and who the findings in it belong to."""

    def __init__(self, yaml_file: YamlFile | None, display: str):
        self.yaml = yaml_file
        self.display = display

    def line(self, loc: tuple) -> int | None:
        return self.yaml.line_of(loc) if self.yaml else None

    def locate(self, loc: tuple) -> tuple[str, int | None]:
        """The file that holds the value at ``loc`` (a user's file merged over the built-in one) and its line."""
        return self.yaml.locate(loc) if self.yaml else (self.display, None)


class _Collector:
    def __init__(self):
        self.findings: list[Finding] = []

    def add(self, severity: str, rule: str, message: str, hint: str, source: _Source | None = None,
            loc: tuple = (), *, question: str | None = None, lang: str | None = None,
            level: str | None = None, text: str | None = None) -> None:
        file, line = source.locate(loc) if source else (None, None)
        self.findings.append(Finding(
            severity=severity, rule=rule, message=message, hint=hint,
            file=file, line=line,
            question=question, lang=lang, level=level, text=text,
            field=".".join(str(p) for p in loc) or None))


# --- Load problems ------------------------------------------------------------------------------

_LOAD_RULES = (
    (re.compile(r"does not exist in assets/pictograms"), "pictogram",
     "Use the name of an SVG file in kit's assets/pictograms folder, without '.svg'."),
    (re.compile(r"has no '[^']+' (translation|version|wording|explanation)|is not listed in kit\.yaml|is already used by"),
     "consistency", "Every language listed in kit.yaml needs every question, block and field; every id must be unique."),
    (re.compile(r"exactly one link must have 'qr: true'"), "consistency",
     "Mark exactly one link of each language with 'qr: true': it is the QR code target."),
    (re.compile(r"is not a valid https:// address"), "link-url",
     "Write the full address, starting with https://, as your browser shows it."),
    (re.compile(r"^hook: \d+ words"), "length", "Shorten the hook: it is printed in very large type."),
)


def _load_finding(problem: Problem, root: Path) -> Finding:
    rule, hint = "schema", "Fix the field as the message says (see the other files of the built-in content for examples)."
    for pattern, rule_id, rule_hint in _LOAD_RULES:
        if pattern.search(problem.message):
            rule, hint = rule_id, rule_hint
            break
    if rule == "link-url" and problem.message.lower().startswith("'http://"):
        rule = "link-https"
    parts = problem.field.split(".") if problem.field else []
    question = lang = level = None
    if problem.file:
        path = Path(problem.file)
        if path.parent.name == "questions":
            question = path.stem
            if len(parts) >= 2 and parts[0] == "translations":
                lang = parts[1]
                level = FALC if len(parts) >= 3 and parts[2] == "falc" else STANDARD
        elif path.name == "shared.yaml" and parts:
            question = f"shared/{parts[0]}"
            if len(parts) >= 2 and parts[0] in ("summary", "rights", "labels"):
                lang = parts[1]
    return Finding(ERROR, rule, problem.message, hint, problem.file, problem.line, question, lang, level,
                   None, problem.field)


# --- FALC rules ---------------------------------------------------------------------------------

_FR_NUMBER_WORDS = frozenset("""zéro deux trois quatre cinq six sept huit dix onze douze treize quatorze
    quinze seize vingt vingts trente quarante cinquante soixante septante huitante octante nonante cent cents
    mille million millions milliard milliards centaines milliers""".split())
_EN_NUMBER_WORDS = frozenset("""zero two three four five six seven eight nine ten eleven twelve thirteen
    fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions""".split())
# Not flagged, on purpose: "un", "une" and "one" (articles and pronouns far more often than numbers:
# "un médecin", "no one"), "neuf" (also means "new"), ordinals ("premier", "second", "first").
_NUMBER_WORDS = {"fr": _FR_NUMBER_WORDS, "en": _EN_NUMBER_WORDS}

_ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_ROMAN_SUFFIX_RE = re.compile(r"^([IVXLCDM]+)(e|er|re|ère|ème|eme|st|nd|rd|th)?$")
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
_CAPITALS_RE = re.compile(f"[{_UPPER}]{{2,}}")
_INITIALS_RE = re.compile(f"(?<![\\w.])(?:[{_UPPER}]\\.){{2,}}")
_BIG_NUMBER_RE = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?![\d])|(?<![\d,.])\d{4,}(?![\d])")
_PERCENT_RE = {"fr": re.compile(r"%|\bpour ?cent\b|\bpourcentages?\b", re.I),
               "en": re.compile(r"%|\bper ?cent\b|\bpercentages?\b", re.I)}
_NEGATIVE_RE = {
    "fr": re.compile(r"\bne\s+(?:[\w'’-]+\s+){0,3}?(?:pas|plus|jamais|rien|personne|aucune?|guère|point)\b|\bn['’]\w*", re.I),
    "en": re.compile(r"\b(?:not|cannot|never|nothing|nobody|nowhere|none)\b|\w+n['’]t\b", re.I),
}


def _is_roman(part: str) -> bool:
    m = _ROMAN_SUFFIX_RE.match(part)
    if not m or not _ROMAN_RE.match(m.group(1)):
        return False
    numeral, suffix = m.groups()
    if not set(numeral) <= set("IVX"):             # not CD, MD, CV, Le, De, Ce: words and initials
        return False
    return bool(suffix) or len(numeral) >= 2       # XXIe, Ier, Ve, II, XIV (not the pronoun I)


def _word_parts(text: str) -> list[str]:
    return [part for w in rd.words(text) for part in re.split(r"['’-]", w) if part]


def _glossary_words(kb: KnowledgeBase, lang: str) -> set[str]:
    known = set()
    for term in kb.shared.glossary:
        text = term.translations.get(lang)
        if text:
            known.add(text.term)
            known.update(_word_parts(text.term))
    return known


def _check_falc_item(c: _Collector, src: _Source, loc: tuple, text: str, *, qid: str, lang: str,
                     glossary: set[str], one_sentence: bool = True) -> None:
    """Every FALC rule on one text (an item: one sentence; a glossary explanation may hold a few)."""
    where = dict(question=qid, lang=lang, level=FALC, text=text)

    def add(severity, rule, message, hint):
        c.add(severity, rule, message, hint, src, loc, **where)

    found = rd.sentences(text)
    if one_sentence and len(found) > 1:
        add(ERROR, "falc-one-sentence", f"{len(found)} sentences in one FALC item: each item is one sentence next to its picture.",
            "Split the item in two items, each with its own pictogram, or join the ideas in one short sentence.")
    for sentence in found:
        n = len(rd.words(sentence))
        if n > FALC_SENTENCE_WORDS:
            severity = ERROR if n > FALC_SENTENCE_WORDS_ERROR else WARNING
            add(severity, "falc-sentence-length",
                f"{n} words in one sentence: FALC sentences have {FALC_SENTENCE_WORDS} words or fewer"
                + (f" (more than {FALC_SENTENCE_WORDS_ERROR} is an error)." if severity == ERROR else "."),
                "Keep one idea per sentence: cut it in two items or remove words that add nothing.")

    roman = [p for p in _word_parts(text) if _is_roman(p)]
    if roman:
        add(ERROR, "falc-roman-numeral", f"roman numeral {', '.join(dict.fromkeys(roman))}: FALC writes numbers with digits.",
            "Write the number with digits (XXIe siècle → 21e siècle) or say it another way.")
    abbreviations = [p for p in _word_parts(text) if _CAPITALS_RE.search(p) and p not in roman]
    abbreviations += _INITIALS_RE.findall(text)
    unexplained = [a for a in dict.fromkeys(abbreviations) if a not in glossary and a.replace(".", "") not in glossary]
    if unexplained:
        add(ERROR, "falc-abbreviation",
            f"{', '.join(repr(a) for a in unexplained)} look{'s' if len(unexplained) == 1 else ''} like abbreviations or initials, "
            "and the glossary does not explain them.",
            "Write the words in full, or add a glossary entry in shared.yaml whose 'term' is the abbreviation.")
    if re.search(r"\betc\b", text, re.I):
        add(ERROR, "falc-etc", "'etc.' leaves the reader to guess the rest of the list.",
            "Give the whole list, or the 2 or 3 examples that matter.")
    if _PERCENT_RE.get(lang, _PERCENT_RE["en"]).search(text):
        add(ERROR, "falc-percent", "percentages are hard to picture.",
            "Say it in words: 'beaucoup de', 'peu de', '1 personne sur 2'." if lang == "fr"
            else "Say it in words: 'many', 'few', '1 person in 2'.")
    number_words = [p for p in _word_parts(text) if p.lower() in _NUMBER_WORDS.get(lang, frozenset())]
    if number_words:
        add(ERROR, "falc-number-word", f"number written in words ({', '.join(dict.fromkeys(number_words))}): FALC writes numbers with digits.",
            "Write the number with digits (2, 3, 10), or say 'beaucoup' / 'many' for a large amount.")
    for match in _BIG_NUMBER_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        value = int(digits)
        if len(match.group()) == 4 and 1900 <= value <= 2099:
            continue                                # a year written with digits is fine
        if value >= 1000:
            add(ERROR, "falc-large-number", f"large number '{match.group()}': big numbers are hard to picture.",
                "Say 'beaucoup de' / 'many', or compare with something familiar.")
    if ";" in text:
        add(ERROR, "falc-semicolon", "semicolon: FALC sentences do not use ';'.",
            "End the sentence with a full stop and start a new item.")
    specials = [ch for ch in "&§#" if ch in text]
    if specials:
        add(ERROR, "falc-special-character", f"special character {' '.join(specials)}: many readers do not know it.",
            "Write the word instead ('et' / 'and', 'article', 'numéro' / 'number').")
    if re.search(r"[()\[\]]", text):
        add(ERROR, "falc-parentheses", "parentheses hide a second idea inside the sentence.",
            "Make the words in parentheses a sentence of their own, or remove them.")
    negatives = [m.group() for m in _NEGATIVE_RE.get(lang, _NEGATIVE_RE["en"]).finditer(text)]
    if negatives:
        add(WARNING, "falc-negative", f"negative form ({', '.join(negatives)}): negative sentences are harder to understand.",
            "Say it in the positive if you can ('Vous gardez vos droits' rather than 'Vous ne perdez pas vos droits')."
            if lang == "fr" else "Say it in the positive if you can ('You keep your rights' rather than 'You do not lose your rights').")


# --- Length and readability ---------------------------------------------------------------------


def _check_length(c: _Collector, src: _Source, loc: tuple, name: str, text: str, budget: Budget, **where) -> None:
    n = len(rd.words(text))
    if budget.max is not None and n > budget.max:
        c.add(ERROR, "length", f"{name}: {n} words, at most {budget.max} fit the layouts.",
              f"Remove at least {n - budget.max} word{'s' if n - budget.max > 1 else ''}; keep one idea.", src, loc, text=text, **where)
    elif budget.min is not None and n < budget.min:
        c.add(WARNING, "length", f"{name}: {n} words, at least {budget.min} are expected.",
              f"Add what a reader needs to know ({budget.min}-{budget.max} words).", src, loc, text=text, **where)


def _check_readability(c: _Collector, src: _Source, loc: tuple, name: str, text: str, lang: str, level: str, **where) -> None:
    limits = READABILITY[level]
    score = rd.flesch(text, lang)
    index = rd.lix(text)
    formula = "Flesch (Kandel & Moles)" if lang == "fr" else "Flesch reading ease"
    problems = []
    if score < limits.flesch_min:
        problems.append(f"{formula} {score:.0f}, below {limits.flesch_min:.0f}")
    if index > limits.lix_max:
        problems.append(f"LIX {index:.0f}, above {limits.lix_max:.0f}")
    if problems:
        kind = "an Easy-to-Read (FALC) text" if level == FALC else "a text for the general public"
        c.add(WARNING, "readability", f"{name} is hard to read for {kind}: " + "; ".join(problems) + ".",
              "Use shorter sentences and shorter, everyday words.", src, loc, lang=lang, level=level, text=text, **where)


# --- Links --------------------------------------------------------------------------------------

_HOST_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _url_problem(url: str) -> tuple[str, str] | None:
    """(rule, message) when the address is not a well-formed https link."""
    if re.search(r"\s", url):
        return "link-url", "the address contains spaces"
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return "link-url", f"the address is not well formed ({exc})"
    if parts.scheme.lower() != "https":
        return "link-https", f"'{parts.scheme or 'no'}' address: only https:// links are printed"
    host = (parts.hostname or "").lower()
    labels = host.split(".")
    if "@" in parts.netloc:
        return "link-url", "the address contains a user name ('@' before the host)"
    if (len(labels) < 2 or not all(_HOST_LABEL_RE.match(label) for label in labels)
            or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]+", labels[-1])):
        return "link-url", f"'{host or '(none)'}' is not a valid host name"
    if port is not None and port != 443:
        return "link-url", f"the address uses port {port}: readers' networks may block it"
    return None


def _shortener(url: str) -> str | None:
    host = (urllib.parse.urlsplit(url).hostname or "").lower().removeprefix("www.")
    return host if host in URL_SHORTENERS else None


def _check_links(c: _Collector, src: _Source, base: tuple, links: list[Link], checked: list, **where) -> None:
    for i, link in enumerate(links):
        url_loc, label_loc = base + (i, "url"), base + (i, "label")
        problem = _url_problem(link.url)
        if problem:
            rule, message = problem
            c.add(ERROR, rule, f"{message}.", "Copy the full address from your browser; it must start with https://.",
                  src, url_loc, text=link.url, **where)
        elif _shortener(link.url):
            c.add(ERROR, "link-shortener", f"'{_shortener(link.url)}' is a URL shortener: readers cannot see where it leads, and it may stop working.",
                  "Print the real address of the page (kit draws the QR code; a long address only makes it a little denser).",
                  src, url_loc, text=link.url, **where)
        label = link.label.strip()
        if not label or "://" in label or label.lower().startswith("www.") or label == link.url:
            c.add(WARNING, "link-label", "the link label is an address, not words: the address is printed anyway.",
                  "Say in words where the link leads (for example 'CNIL: make a complaint').", src, label_loc,
                  text=link.label, **where)
        checked.append((link.url, src, url_loc, where))


def _urlopen(request: urllib.request.Request, timeout: float):
    """The opener used by ``online=True`` (tests replace it)."""
    return urllib.request.urlopen(request, timeout=timeout)


def _try_url(url: str) -> str | None:
    """None when the address answers, else why not."""
    reason = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "kit-check (link checker)"})
        try:
            with _urlopen(request, ONLINE_TIMEOUT) as response:
                status = getattr(response, "status", 200)
                if status < 400:
                    return None
                reason = f"HTTP {status}"
        except urllib.error.HTTPError as exc:
            reason = f"HTTP {exc.code} {exc.reason}"
        except urllib.error.URLError as exc:
            reason = f"cannot connect ({exc.reason})"
        except (TimeoutError, OSError, ValueError) as exc:
            reason = f"cannot connect ({exc})"
    return reason


def _check_online(c: _Collector, checked: list) -> None:
    results: dict[str, str | None] = {}
    for url, src, loc, where in checked:
        if url not in results:
            results[url] = _try_url(url)
        if results[url]:
            c.add(ERROR, "link-online", f"the link does not answer: {results[url]}.",
                  "Open the address in a browser; if the page moved, print its new address.", src, loc, text=url, **where)


# --- Theme and metadata -------------------------------------------------------------------------


def check_theme(theme: Theme | None = None) -> list[Finding]:
    """Contrast of every text/background pair the layouts use, and QR codes dark on light."""
    theme = theme or DEFAULT_THEME
    c = _Collector()
    bad = {name: value for name, value in theme.colours().items() if not (isinstance(value, str) and HEX_RE.match(value))}
    for name, value in bad.items():
        c.add(ERROR, "theme-colour", f"theme colour '{name}' is '{value}', not a #rrggbb colour.",
              "Write colours as # followed by 6 hexadecimal digits, like #1d4477.", text=f"{name}: {value}")
    if bad:
        return c.findings
    for fg, bg, ratio, minimum in theme.contrast_report():
        if ratio < minimum:
            c.add(ERROR, "contrast", f"'{fg}' text on '{bg}' has a contrast of {ratio:.2f}:1, below {minimum}:1.",
                  "Darken the text colour or lighten the background (check with a WCAG contrast checker).",
                  text=f"{fg} {getattr(theme, fg)} on {bg} {getattr(theme, bg)}")
    if relative_luminance(theme.qr_dark) >= relative_luminance(theme.qr_light):
        c.add(ERROR, "qr-colours", "QR codes must be dark on light: many phones cannot read inverted codes.",
              "Make qr_dark the dark colour (black is best) and qr_light the light one.",
              text=f"qr_dark {theme.qr_dark}, qr_light {theme.qr_light}")
    return c.findings


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _check_meta(c: _Collector, kb: KnowledgeBase, src: _Source, falc_logo: bool, today: dt.date) -> None:
    oldest = _months_before(today, REVIEW_MAX_AGE_MONTHS)
    if kb.meta.date < oldest:
        c.add(WARNING, "review-date",
              f"the content was last reviewed on {kb.meta.date.isoformat()}, more than {REVIEW_MAX_AGE_MONTHS} months ago: laws, addresses and links change.",
              "Review the texts and links, then update 'date' (and 'content_version') in kit.yaml.",
              src, ("date",), text=kb.meta.date.isoformat())
    if falc_logo and not kb.meta.falc_checked_by:
        c.add(ERROR, "falc-logo",
              "the Easy-to-Read logo is asked for, but 'falc_checked_by' in kit.yaml names nobody. The logo may only be "
              "printed when people with intellectual disabilities checked the FALC texts, and their names are printed.",
              "Have the FALC texts checked by people with intellectual disabilities and list their names in 'falc_checked_by', "
              "or build without the logo.", src, ("falc_checked_by",), level=FALC)


# --- Entry points -------------------------------------------------------------------------------


def _source(kb: KnowledgeBase, key: str) -> _Source:
    """The loaded file (or user file merged over the built-in one) behind a part of the knowledge base."""
    source = kb.sources.get(key)
    return _Source(source, source.display if source else key)


def _check_questions(c: _Collector, kb: KnowledgeBase, links: list) -> None:
    orders: dict[int, str] = {}
    for question in kb.questions:
        src = _source(kb, question.id)
        qid = question.id
        if question.order in orders:
            c.add(WARNING, "consistency", f"order {question.order} is also used by question '{orders[question.order]}'.",
                  "Give each question its own 'order' (1, 2, 3, ...) so the reading order is clear.",
                  src, ("order",), question=qid, text=str(question.order))
        orders.setdefault(question.order, qid)
        reference_lang = kb.languages[0]
        reference = [item.picto for item in question.translations[reference_lang].falc]
        glossaries = {lang: _glossary_words(kb, lang) for lang in kb.languages}
        for lang in kb.languages:
            text = question.translations[lang]
            base = ("translations", lang)
            std = dict(question=qid, lang=lang, level=STANDARD)
            for name, budget in LENGTH_BUDGETS.items():
                _check_length(c, src, base + (name,), name, getattr(text, name), budget, **std)
            if len(text.sources) > SOURCES.max:
                c.add(ERROR, "length", f"sources: {len(text.sources)} named, at most {SOURCES.max} fit under a poster.",
                      "Keep the main sources; the others can go in the detail text.", src, base + ("sources",), **std)
            for i, link in enumerate(text.links):
                _check_length(c, src, base + ("links", i, "label"), "link label", link.label, LINK_LABEL_WORDS, **std)
            for name in ("short", "detail"):
                value = getattr(text, name)
                if len(rd.words(value)) >= READABILITY_MIN_WORDS:
                    _check_readability(c, src, base + (name,), name, value, lang, STANDARD, question=qid)
            falc_loc = base + ("falc",)
            n = len(text.falc)
            if n > FALC_ITEMS.max:
                c.add(ERROR, "length", f"{n} FALC items: at most {FALC_ITEMS.max} fit the FALC page.",
                      "Keep the ideas that matter most; one idea per item.", src, falc_loc, question=qid, lang=lang, level=FALC)
            elif n < FALC_ITEMS.min:
                c.add(WARNING, "length", f"{n} FALC items: at least {FALC_ITEMS.min} are expected to answer the question.",
                      "Add the missing ideas, one short sentence and one pictogram each.", src, falc_loc, question=qid, lang=lang, level=FALC)
            pictos = [item.picto for item in text.falc]
            if lang != reference_lang and pictos != reference:
                c.add(WARNING, "consistency",
                      f"the FALC items differ from the '{reference_lang}' version (pictograms {', '.join(pictos)} instead of {', '.join(reference)}).",
                      f"Keep the FALC items in step with '{reference_lang}': same ideas, same order, same pictograms.",
                      src, falc_loc, question=qid, lang=lang, level=FALC)
            for i, item in enumerate(text.falc):
                _check_falc_item(c, src, falc_loc + (i, "text"), item.text, qid=qid, lang=lang, glossary=glossaries[lang])
                if not pictogram_path(item.picto).is_file():
                    c.add(ERROR, "pictogram", f"pictogram '{item.picto}' does not exist in assets/pictograms.",
                          "Use the name of an SVG file in kit's assets/pictograms folder, without '.svg'.",
                          src, falc_loc + (i, "picto"), question=qid, lang=lang, level=FALC, text=item.picto)
            falc_text = "\n\n".join(item.text for item in text.falc)
            _check_readability(c, src, falc_loc, "the FALC text", falc_text, lang, FALC, question=qid)
            _check_links(c, src, base + ("links",), text.links, links, **std)


def _check_shared(c: _Collector, kb: KnowledgeBase, src: _Source, links: list) -> None:
    shared = kb.shared
    for lang in kb.languages:
        summary = shared.summary[lang]
        where = dict(question="shared/summary", lang=lang, level=STANDARD)
        if len(rd.words(summary.intro)) >= READABILITY_MIN_WORDS:
            _check_readability(c, src, ("summary", lang, "intro"), "intro", summary.intro, lang, STANDARD, question="shared/summary")
        for name, budget in SUMMARY_BUDGETS.items():
            _check_length(c, src, ("summary", lang, name), f"summary {name}", getattr(summary, name), budget, **where)
        rights = shared.rights[lang]
        rights_where = dict(question="shared/rights", lang=lang, level=STANDARD)
        if len(rights.points) > RIGHTS_POINTS.max:
            c.add(ERROR, "length", f"rights: {len(rights.points)} points, at most {RIGHTS_POINTS.max} fit the leaflet's back.",
                  "Merge or remove points.", src, ("rights", lang, "points"), **rights_where)
        for i, point in enumerate(rights.points):
            _check_length(c, src, ("rights", lang, "points", i), "rights point", point, RIGHTS_POINT_WORDS, **rights_where)
        for block, block_links in (("summary", summary.links), ("rights", rights.links)):
            for i, link in enumerate(block_links):
                _check_length(c, src, (block, lang, "links", i, "label"), "link label", link.label, LINK_LABEL_WORDS,
                              **where)
        _check_links(c, src, ("summary", lang, "links"), summary.links, links, **where)
        _check_links(c, src, ("rights", lang, "links"), shared.rights[lang].links, links,
                     question="shared/rights", lang=lang, level=STANDARD)
    _check_shared_falc(c, kb, src)
    seen: dict[str, int] = {}
    for i, term in enumerate(shared.glossary):
        if term.id in seen:
            c.add(ERROR, "consistency", f"glossary id '{term.id}' is already used by glossary entry {seen[term.id] + 1}.",
                  "Give each glossary entry its own id.", src, ("glossary", i, "id"), question="shared/glossary", text=term.id)
        seen.setdefault(term.id, i)
        for lang, text in term.translations.items():
            easy = getattr(text, "falc", None)
            if easy:
                _check_falc_item(c, src, ("glossary", i, "translations", lang, "falc"), easy, qid="shared/glossary",
                                 lang=lang, glossary=_glossary_words(kb, lang), one_sentence=False)
            n = len(rd.words(text.explanation))
            if n > GLOSSARY_MAX_WORDS:
                c.add(WARNING, "length", f"glossary explanation of '{text.term}': {n} words, at most {GLOSSARY_MAX_WORDS}.",
                      "Explain the term in one or two short sentences.", src, ("glossary", i, "translations", lang, "explanation"),
                      question="shared/glossary", lang=lang, level=STANDARD, text=text.explanation)


def _check_venues(c: _Collector, kb: KnowledgeBase, src: _Source) -> None:
    """The line each venue type prints on its posters."""
    for i, venue in enumerate(kb.venues):
        for lang, value in venue.line.items():
            _check_length(c, src, ("venues", i, "line", lang), f"venue line '{venue.id}'", value,
                          Budget(None, VENUE_MAX_WORDS), question="venues", lang=lang, level=STANDARD)


def _check_shared_falc(c: _Collector, kb: KnowledgeBase, src: _Source) -> None:
    """The Easy-to-Read title and end pages (shared.yaml 'falc'), when the content has them."""
    pages_by_lang = getattr(kb.shared, "falc", None) or {}
    reference_lang = kb.languages[0]
    for lang, pages in pages_by_lang.items():
        glossary = _glossary_words(kb, lang)
        where = dict(qid="shared/falc", lang=lang, glossary=glossary)
        _check_falc_item(c, src, ("falc", lang, "title"), pages.title, **where)
        items = []
        for part in ("intro", "end"):
            for i, item in enumerate(getattr(pages, part)):
                items.append(item)
                _check_falc_item(c, src, ("falc", lang, part, i, "text"), item.text, **where)
                if not pictogram_path(item.picto).is_file():
                    c.add(ERROR, "pictogram", f"pictogram '{item.picto}' does not exist in assets/pictograms.",
                          "Use the name of an SVG file in kit's assets/pictograms folder, without '.svg'.",
                          src, ("falc", lang, part, i, "picto"), question="shared/falc", lang=lang, level=FALC, text=item.picto)
        _check_readability(c, src, ("falc", lang), "the FALC title and end pages", "\n\n".join(item.text for item in items),
                           lang, FALC, question="shared/falc")
        reference = pages_by_lang.get(reference_lang)
        if lang != reference_lang and reference is not None:
            for part in ("intro", "end"):
                mine = [item.picto for item in getattr(pages, part)]
                theirs = [item.picto for item in getattr(reference, part)]
                if mine != theirs:
                    c.add(WARNING, "consistency",
                          f"the FALC '{part}' items differ from the '{reference_lang}' version (pictograms {', '.join(mine)} instead of {', '.join(theirs)}).",
                          f"Keep the FALC items in step with '{reference_lang}': same ideas, same order, same pictograms.",
                          src, ("falc", lang, part), question="shared/falc", lang=lang, level=FALC)


def check_content(content_dir: str | Path | None = None, *, falc_logo: bool = False, theme: Theme | None = None,
                  online: bool = False, today: dt.date | None = None, kb: KnowledgeBase | None = None) -> Report:
    """Check a knowledge base (the built-in one by default, or ``kb`` already loaded) and return every finding."""
    today = today or dt.date.today()
    try:
        kb = kb or load_content(content_dir)
    except ContentError as exc:
        root = Path(content_dir) if content_dir is not None else None
        findings = [_load_finding(p, root) for p in exc.problems]
        if not findings:
            findings = [Finding(ERROR, "schema", exc.message, "Give a folder with kit.yaml, shared.yaml and questions/.",
                                str(content_dir) if content_dir is not None else None)]
        return Report(findings + check_theme(theme), str(content_dir) if content_dir is not None else None)

    c = _Collector()
    meta_src = _source(kb, "kit.yaml")
    _check_meta(c, kb, meta_src, falc_logo, today)
    c.findings.extend(check_theme(theme))
    links: list = []
    _check_questions(c, kb, links)
    _check_shared(c, kb, _source(kb, "shared.yaml"), links)
    _check_venues(c, kb, _source(kb, "venues.yaml"))
    if online:
        _check_online(c, links)
    return Report(c.findings, str(kb.root))


def check_or_raise(kb_dir: str | Path | None = None, **kw) -> Report:
    """Run the checks; raise ContentError when there are errors (warnings never raise)."""
    report = check_content(kb_dir, **kw)
    errors = report.errors
    if errors:
        raise ContentError(
            f"The content has {_plural(len(errors), 'error')}: run `kit check` for details.",
            problems=[f.problem() for f in errors[:5]])
    return report
