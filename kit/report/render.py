"""Stage 3 of `kit report`: the figures as a static report (a page per language, its stylesheet, a CSV beside every
table), written through kit's output folder (only files kit wrote are replaced; nothing through a link).

Every published count from 1 to the threshold less one is written ``< 5`` (pages and CSVs alike); zero is zero.
The pages load nothing from another host and need no script: charts are inline SVG with their table.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..files import MANIFEST_NAME, OutputFolder, atomic_write, write_manifest
from ..placements import PLACEMENT_COLUMNS
from ..version import __version__
from . import charts
from .aggregate import DIMENSIONS
from .bots import bot_list_source

LANGUAGES = ("fr", "en")  # a page each: index.html is the first, the others <lang>.html
STYLESHEET = "report.css"
CHART_ROWS = 12  # bars in a chart of categories (the rest summed as "others"); the table has them all
TABLE_ROWS = 50  # rows of a long table in the page (places, pages); the CSV has them all
PLACES_CSV = "scans-by-placement.csv"
TABLES = {  # CSV file -> (its key column(s), the count column)
    PLACES_CSV: (PLACEMENT_COLUMNS, "scans"),
    "scans-by-place.csv": (("event_id", "venue_type", "venue_name", "city"), "scans"),
    "places-without-scans.csv": (("event_id", "venue_type", "venue_name", "city"), "scans"),
    "scans-by-day.csv": (("day",), "scans"),
    "scans-by-week.csv": (("week",), "scans"),
    **{f"scans-by-{name}.csv": ((name,), "scans") for name in DIMENSIONS},
    "read-after-scan.csv": (("path", "title"), "views"),
    "typed-visits.csv": (("path", "title"), "visits"),
    "unknown-codes.csv": (("code",), "scans"),
    "log-lines.csv": (("what",), "lines"),
}
FILES = ["index.html", *(f"{lang}.html" for lang in LANGUAGES[1:]), STYLESHEET, *TABLES, MANIFEST_NAME]
LINE_ROWS = (  # the logs-read table: (tally, word)
    ("lines", "line_read"),
    ("unreadable", "line_unreadable"),
    ("bots", "line_bots"),
    ("head", "line_head"),
    ("code_not_found", "line_not_found"),
    ("code_other_status", "line_other_status"),
    ("repeats", "line_repeats"),
    ("not_a_page", "line_not_a_page"),
    ("unknown_codes", "line_unknown"),
    ("no_user_agent", "line_no_agent"),
)


@dataclass
class Words:
    """The report's words per language (content: report.yaml), with what the content says of languages and
    places (their names) and how each language is written."""

    texts: dict  # lang -> ReportTexts
    venues: dict[str, str]  # venue type id -> its name
    languages: dict[str, str]  # language code -> its name
    locales: dict  # lang -> Locale


def load_words(content_dir: Path | None = None) -> Words:
    from ..content import load_content

    kb = load_content(content_dir)
    texts = kb.part("report").report
    missing = [lang for lang in LANGUAGES if lang not in texts]
    if missing:
        from ..errors import ContentError

        raise ContentError(
            f"report.yaml has no words for {', '.join(missing)}: kit report writes in {LANGUAGES}."
        )
    venues = {venue.id: venue.name or venue.id for venue in kb.venues}
    languages = {code: kb.locale(code).name for code in kb.locales}
    return Words(texts, venues, languages, {lang: kb.locale(lang) for lang in LANGUAGES})


def _shown(count: int, threshold: int) -> str:
    """A count as published: '< 5' from 1 to threshold - 1."""
    return f"< {threshold}" if 0 < count < threshold else str(count)


def _csv(header: tuple[str, ...], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_files(figures, threshold: int) -> dict[str, bytes]:
    """Every CSV of the report (counts under the threshold as '< N')."""

    def shown(count: int) -> str:
        return _shown(count, threshold)

    place_key = TABLES["scans-by-place.csv"][0]
    found = {
        PLACES_CSV: _csv(
            (*PLACEMENT_COLUMNS, "scans"), ((*p.row(), shown(n)) for p, n in figures.placements)
        ),
        "scans-by-place.csv": _csv((*place_key, "scans"), ((*key, shown(n)) for key, n in figures.places)),
        "places-without-scans.csv": _csv(
            (*place_key, "scans"), ((*key, 0) for key, n in figures.places if not n)
        ),
        "scans-by-day.csv": _csv(("day", "scans"), ((d, shown(n)) for d, n in figures.by_day)),
        "scans-by-week.csv": _csv(("week", "scans"), ((w, shown(n)) for w, n in figures.by_week)),
        "read-after-scan.csv": _csv(
            ("path", "title", "views"), ((p, t, shown(n)) for p, t, n in figures.after)
        ),
        "typed-visits.csv": _csv(
            ("path", "title", "visits"), ((p, t, shown(n)) for p, t, n in figures.typed)
        ),
        "unknown-codes.csv": _csv(("code", "scans"), ((c, shown(n)) for c, n in figures.unknown)),
        "log-lines.csv": _csv(("what", "lines"), ((k, figures.totals.get(k, 0)) for k, _w in LINE_ROWS)),
    }
    for name in DIMENSIONS:
        found[f"scans-by-{name}.csv"] = _csv((name, "scans"), ((k, shown(n)) for k, n in figures.by[name]))
    return found


def _environment() -> Environment:
    folder = files(__package__).joinpath("templates")

    def load(name: str) -> str:
        return folder.joinpath(name).read_text(encoding="utf-8")

    return Environment(
        loader=FunctionLoader(load),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def write_report(folder: OutputFolder, result, words: Words, threshold: int) -> list[str]:
    """Write the pages, the stylesheet, the CSVs and the manifest listing them (kit.files.write_manifest, as every
    command's); returns their names (relative to the folder)."""
    figures = result.figures
    written = []
    for name, data in csv_files(figures, threshold).items():
        atomic_write(folder.root / name, data, root=folder.root)
        written.append(name)
    stylesheet = files(__package__).joinpath("templates").joinpath(STYLESHEET).read_bytes()
    atomic_write(folder.root / STYLESHEET, stylesheet, root=folder.root)
    written.append(STYLESHEET)
    template = _environment().get_template("report.html")
    for lang in LANGUAGES:
        page = "index.html" if lang == LANGUAGES[0] else f"{lang}.html"
        view = PageView(figures, words, lang, threshold)
        html = template.render(v=view, lang=lang)
        atomic_write(folder.root / page, html, root=folder.root)
        written.append(page)
    period = figures.period
    head = {
        "generator": "kit report",
        "kit_version": __version__,
        "since": period.since,
        "until": period.until,
    }
    write_manifest(folder.root, head, {"files": sorted([*written, MANIFEST_NAME])})
    written.append(MANIFEST_NAME)
    return written


class PageView:
    """What the template of one language's page needs: words, numbers as published, charts, table rows."""

    def __init__(self, figures, words: Words, lang: str, threshold: int):
        from ..locales import date_words, typeset

        self.figures, self.lang, self.threshold = figures, lang, threshold
        locale = words.locales[lang]
        self._typeset = lambda text: typeset(text, locale.typography)
        self._date = lambda day: date_words(date.fromisoformat(day), locale)
        self.texts, self.words = words.texts[lang], words
        self.others = [
            (
                other,
                "index.html" if other == LANGUAGES[0] else f"{other}.html",
                words.texts[other].this_language,
            )
            for other in LANGUAGES
            if other != lang
        ]
        self.bots = bot_list_source()
        self.version = __version__
        self.today = date.today().isoformat()

    def w(self, key: str, **values) -> str:
        """A sentence of report.yaml in this language, placeholders filled, typography applied."""
        text = getattr(self.texts, key)
        values.setdefault("threshold", self.threshold)
        values.setdefault("under", self.threshold - 1)
        return self._typeset(
            text.format(**{k: self.number(v) if isinstance(v, int) else v for k, v in values.items()})
        )

    def number(self, count: int) -> str:
        text = f"{count:,}"
        return text.replace(",", "\u00a0") if self.lang == "fr" else text

    def shown(self, count: int) -> str:
        return f"< {self.threshold}" if 0 < count < self.threshold else self.number(count)

    def period(self) -> str:
        period = self.figures.period
        return self.w("period", since=self._date(period.since), until=self._date(period.until))

    def total(self, key: str) -> str:
        return self.shown(self.figures.totals.get(key, 0))

    def places_scanned(self) -> tuple[str, str]:
        scanned = sum(1 for _key, count in self.figures.places if count)
        return self.number(scanned), self.w("places", total=len(self.figures.places))

    def label(self, dimension: str, key: str) -> str:
        """A table's key as people read it: the venue's name, the language's, the level's..."""
        if not key:
            return self.texts.not_given
        if dimension == "venue_type":
            return self.words.venues.get(key, key)
        if dimension == "lang":
            return self.words.languages.get(key, key)
        if dimension == "level":
            return {"standard": self.texts.level_standard, "falc": self.texts.level_falc}.get(key, key)
        return key

    def dimension_rows(self, name: str) -> list[tuple[str, int]]:
        return [(self.label(name, key), count) for key, count in self.figures.by[name]]

    def bar_chart(self, ident: str, title: str, rows: list[tuple[str, int]]) -> Markup:
        shown_rows = rows[:CHART_ROWS]
        if len(rows) > CHART_ROWS:
            shown_rows = rows[: CHART_ROWS - 1] + [
                (self.texts.others, sum(n for _k, n in rows[CHART_ROWS - 1 :]))
            ]
        shown_rows = [(_short(label), count) for label, count in shown_rows]
        return charts.bars(ident, title, self._describe(rows), shown_rows, self.threshold, self.shown)

    def time_chart(self, ident: str, title: str, rows: list[tuple[str, int]]) -> Markup:
        return charts.columns(ident, title, self._describe(rows), rows, self.threshold, self.shown)

    def _describe(self, rows: list[tuple[str, int]]) -> str:
        total = sum(count for _label, count in rows)
        if not total:
            return self.texts.none
        label, count = max(rows, key=lambda row: row[1])
        text = self.w("chart_desc", total=self.shown(total), label=label, count=self.shown(count))
        if any(0 < n < self.threshold for _label, n in rows):
            text += " " + self.w("chart_dashed")
        return text

    def places_rows(self, scanned: bool) -> list[tuple[str, str, str, int]]:
        """Places (name, kind, city, scans) with scans (most first), or those without any."""
        return [
            (name, self.label("venue_type", kind), city or self.texts.not_given, count)
            for (_event, kind, name, city), count in self.figures.places
            if bool(count) == scanned
        ]

    @staticmethod
    def page_rows(rows: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
        """Pages as people know them: the page's title (without the site's name after the dash), or its path."""
        return [((title.split(" – ")[0] if title else path), count) for path, title, count in rows]

    def line_rows(self) -> list[tuple[str, str]]:
        totals = self.figures.totals
        return [(self.w(word), self.number(totals.get(key, 0))) for key, word in LINE_ROWS if totals.get(key)]


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
