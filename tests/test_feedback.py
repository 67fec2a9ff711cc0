"""Hearing back: the feedback form of the content printed, as an XLSForm converted by pyxform, as a typing
template; Kobo and ODK exports and the typed template read back into the report with exact counts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

import kit
from kit.build import Builder
from kit.feedback import feedback_form, read_answers
from kit.plan import planned
from kit.specs import DocSpec

FEEDBACK_URL = "https://forms.example.org/cafe-ia?form=12"


@pytest.fixture(scope="module")
def project():
    return kit.load_project(check=False)


@pytest.fixture(scope="module")
def form(project):
    return feedback_form(project.kb)


def _event():
    from tests.test_context_events import make_event

    return make_event()


def _build(project, tmp_path, name, event=True, **options):
    builder = Builder(project.with_options(**options) if options else project)
    spec = DocSpec("feedback", "fr", "A4", tuple(project.kb.summary_ids), event=_event() if event else None)
    target = tmp_path / f"{name}.pdf"
    built = builder.build(planned(builder.project, spec), target)
    return built, target


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


# --- the printed form -----------------------------------------------------------------------------------


def test_the_printed_form_is_the_content_form_with_the_event_code_and_the_online_form(
    project, form, tmp_path, open_pdf
):
    built, path = _build(project, tmp_path, "plain")
    pdf = open_pdf(path)
    text = _flat(pdf.text(0))
    assert pdf.pages == 1 and pdf.qr_codes(0) == []
    assert "lyon-cafe" in text  # the event's code, printed
    # every question of the form is on paper, in French, with its choices
    understood = form.field(f"understood_{project.kb.summary_ids[0]}")
    assert text.count(_flat(understood.label["fr"])) == len(project.kb.summary_ids)
    for field in form.fields:
        if field.question:
            continue
        assert _flat(field.label["fr"]) in text, field.name
        for name in form.choice_names(field):
            assert _flat(form.choice_label(field.choices, name, "fr")) in text

    built, path = _build(project, tmp_path, "online", feedback_url=FEEDBACK_URL)
    pdf = open_pdf(path)
    assert pdf.pages == 1 and pdf.qr_codes(0) == [FEEDBACK_URL]


KOBO_URL = "https://ee.kobotoolbox.org/x/AbCd1234"  # an Enketo web form as KoboToolbox gives it
ODK_URL = "https://central.example.org/-/single/AbCdEfGh1234?st=token"  # an ODK Central public link


@pytest.mark.parametrize(
    "configured, carried",
    [
        (KOBO_URL, KOBO_URL + "?d[/data/event_code]=lyon-cafe"),
        (ODK_URL, ODK_URL + "&d[/data/event_code]=lyon-cafe"),
        (
            "https://forms.example.org/avis?code={event}&s=1",
            "https://forms.example.org/avis?code=lyon-cafe&s=1",
        ),
    ],
)
def test_the_forms_qr_code_carries_the_event_code_and_prints_the_clean_address(
    project, tmp_path, open_pdf, configured, carried
):
    from kit.addresses import printed

    built, path = _build(project, tmp_path, "prefilled", feedback_url=configured)
    pdf = open_pdf(path)
    assert pdf.qr_codes(0) == [carried]  # read from the rendered page, as a phone would
    text = _flat(pdf.text(0))
    clean = printed(configured)
    assert clean in text and "d[" not in text and "{event}" not in text and "code=" not in text
    assert built.qr[0]["address"].split("?")[0] == configured.split("?")[0]
    # the shared form of the pack (no event): the address without a code
    built, path = _build(project, tmp_path, "shared", event=False, feedback_url=configured)
    assert open_pdf(path).qr_codes(0) == [configured.replace("code={event}&", "")]


def test_the_xlsforms_root_is_where_the_address_prefills(form, tmp_path):
    from pyxform.xls2xform import convert

    from kit.addresses import FORM_ROOT

    xform = convert(xlsform=str(kit.write_xlsform(form, tmp_path / "form.xlsx"))).xform
    assert re.search(rf"<instance>\s*<{FORM_ROOT} id=\"kit_feedback\"[^>]*>\s*<event_code\s*/>", xform)


def test_kit_toml_keeps_room_for_the_event_code(tmp_path):
    toml = tmp_path / "kit.toml"
    toml.write_text('[feedback]\nurl = "https://forms.example.org/f/{event}"\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError, match="after '\\?'"):
        kit.load_project(config=kit.load_config(toml), check=False)
    # an address that fits alone but not with the longest event code: named by kit check
    long = "https://ee.kobotoolbox.org/x/" + "a" * 100
    toml.write_text(f'[feedback]\nurl = "{long}"\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError, match="an event's code is added") as raised:
        kit.load_config(toml)
    assert "feedback.url" in str(raised.value.problems[0])
    toml.write_text('[feedback]\nurl = "https://ee.kobotoolbox.org/x/AbCd1234"\n', encoding="utf-8")
    assert kit.load_config(toml).data.feedback.url.endswith("AbCd1234")


def test_the_online_form_is_kit_tomls_feedback_url(tmp_path):
    toml = tmp_path / "kit.toml"
    toml.write_text(f'[feedback]\nurl = "{FEEDBACK_URL}"\n', encoding="utf-8")
    assert kit.load_project(config=kit.load_config(toml), check=False).options.feedback_url == FEEDBACK_URL
    toml.write_text('[feedback]\nurl = "http://forms.example.org/x"\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError, match="feedback"):
        kit.load_project(config=kit.load_config(toml), check=False)


def test_the_printed_form_names_its_fields_as_the_xlsform_does(project, form):
    from kit.context import prepare

    spec = DocSpec("feedback", "fr", "A4", tuple(project.kb.summary_ids), event=_event())
    printed = prepare(spec, planned(project, spec).layout, project).context["form"]
    names = [printed["code"]["name"]]
    names += [printed["per_question"][qid]["name"] for qid in project.kb.summary_ids]
    names += [field["name"] for field in printed["others"]]
    assert names == form.names  # the names the template prints as data-field, in the XLSForm's order
    assert printed["code"]["value"] == "lyon-cafe"
    assert (
        'data-field="{{ asked.name }}"'
        in (kit.resources.layouts_dir() / "pack" / "feedback.html").read_text()
    )


def test_without_an_event_the_form_has_a_box_for_its_code(project, tmp_path, open_pdf):
    built, path = _build(project, tmp_path, "no-event", event=False)
    text = _flat(open_pdf(path).text(0))
    assert "Code de l'événement" in text and "lyon-cafe" not in text


# --- XLSForm ---------------------------------------------------------------------------------------------


def test_the_xlsform_converts_with_pyxform_under_the_printed_names(form, tmp_path):
    from openpyxl import load_workbook
    from pyxform.xls2xform import convert

    path = kit.write_xlsform(form, tmp_path / "form.xlsx", event_code="lyon-cafe")
    book = load_workbook(path)
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    header = [c.value for c in book["survey"][1]]
    assert "label::Français (fr)" in header and "label::English (en)" in header
    result = convert(xlsform=str(path))
    xform = result.xform
    # every field is an element of the instance, under its name; the event code has its default
    for name in form.names:
        assert re.search(rf"<{re.escape(name)}\b", xform), name
    assert "<event_code>lyon-cafe</event_code>" in xform
    for qid in form.questions:
        assert f"understood_{qid}" in form.names  # a field about one question carries its id
    assert 'lang="Français (fr)"' in xform and 'lang="English (en)"' in xform
    # the XForm's own names, as an export would head its columns, are the names the importer reads
    instance = re.search(r"<instance>\s*<(\w+) id=\"kit_feedback\"[^>]*>(.*?)</\1>", xform, re.S).group(2)
    names = [n for n in re.findall(r"<([\w.-]+)\s*/?>", instance) if n not in ("meta", "instanceID")]
    assert names == form.names
    export = _write(tmp_path / "export.csv", [names, ["lyon-cafe"] + ["yes"] * (len(names) - 1)])
    read = read_answers(form, [export])
    assert not read.notes and len(read.answers) == 1


# --- typing template --------------------------------------------------------------------------------------


def test_the_typing_template_has_a_column_per_field_lists_and_instructions(form, tmp_path):
    import json

    from openpyxl import load_workbook

    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"events": [{"id": "lyon-cafe"}, {"id": "paris-poste"}]}))
    path = kit.write_template(form, tmp_path / "t.xlsx", "fr", kit.manifest_event_codes(manifest))
    book = load_workbook(path)
    assert book.sheetnames[0] == "answers" and "instructions" in book.sheetnames
    sheet = book["answers"]
    assert [c.value for c in sheet[1]] == form.names
    lists = book["lists"]
    validations = {}
    for check in sheet.data_validations.dataValidation:
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        assert check.type == "list" and check.sqref and str(check.sqref).endswith("2001")
        area = re.fullmatch(r"'?lists'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", check.formula1).groups()
        cells = lists[f"{area[0]}{area[1]}:{area[2]}{area[3]}"]
        validations[sheet[f"{column}1"].value] = [row[0].value for row in cells]
    assert validations["event_code"] == ["lyon-cafe", "paris-poste"]
    assert validations[f"understood_{next(iter(form.questions))}"] == ["Oui", "Un peu", "Non"]
    assert set(validations) == {f.name for f in form.fields if f.kind != "text"}
    instructions = [[c.value for c in row] for row in book["instructions"].iter_rows()]
    assert any(row[0] == "say_no" for row in instructions)


# --- answers back into the report ---------------------------------------------------------------------------


def _write(path: Path, rows: list[list[str]], delimiter=","):
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def _kobo(form, path, labels=False, lang="fr"):
    """A KoboToolbox export: group paths joined by /, ; separated, _id/_uuid/_submission_time, values as names
    (or, with ``labels``, headers and values as labels)."""
    qids = list(form.questions)

    def head(name):
        return form.label(form.field(name), lang) if labels else f"grp/{name}"

    def value(name, choice):
        f = form.field(name)
        return form.choice_label(f.choices, choice, lang) if labels else choice

    rows = [
        [
            "start",
            head("event_code"),
            *[head(f"understood_{q}") for q in qids],
            head("say_no"),
            head("open_question"),
            head("comment"),
            "_id",
            "_uuid",
            "_submission_time",
            "_index",
        ]
    ]
    answers = [
        (
            "lyon-cafe",
            ["yes", "yes", "no", "partly"],
            "yes",
            "Qui voit mes données ?",
            "Écrire à a.b@mail.fr",
        ),
        ("lyon-cafe", ["yes", "no", "no", "yes"], "no", "", "Appelez-moi au 06 12 34 56 78"),
        ("nowhere", ["no", "yes", "yes", "yes"], "unsure", "", ""),
    ]
    for i, (event, understood, say_no, question, comment) in enumerate(answers):
        rows.append(
            [
                "2026-03-26",
                event,
                *[value(f"understood_{q}", u) for q, u in zip(qids, understood)],
                value("say_no", say_no),
                question,
                comment,
                str(i),
                f"uuid-{i}",
                "2026-03-26T20:00",
                str(i),
            ]
        )
    rows.append(rows[1])  # the same submission twice: counted once
    return _write(path, rows, delimiter=";")


def _odk(form, path):
    """An ODK Central export: group prefixes joined by -, meta-instanceID, SubmissionDate, ReviewState."""
    qids = list(form.questions)
    rows = [
        [
            "SubmissionDate",
            "grp-event_code",
            *[f"grp-understood_{q}" for q in qids],
            "grp-say_no",
            "grp-open_question",
            "grp-comment",
            "grp-place_kind",
            "meta-instanceID",
            "ReviewState",
            "extra_question",
        ]
    ]
    rows.append(
        ["2026-03-27", "lyon-cafe", "yes", "yes", "yes", "yes", "yes", "", "", "cafe-ia", "uuid:a", "", "x"]
    )
    rows.append(
        ["2026-03-27", "lyon-cafe", "maybe", "yes", "yes", "no", "yes", "", "", "cafe-ia", "uuid:b", "", ""]
    )
    rows.append(
        ["2026-03-27", "lyon-cafe", "no", "no", "no", "no", "no", "", "", "", "uuid:c", "rejected", ""]
    )
    rows.append(["2026-03-27", "", "", "", "", "", "", "", "", "", "uuid:d", "", ""])  # nothing answered
    return _write(path, rows)


def _read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("labels", [False, True])
def test_kobo_and_odk_exports_give_exact_figures(project, form, tmp_path, suffix, labels):
    kobo = _kobo(form, tmp_path / f"kobo{suffix}", labels=labels)
    odk = _odk(form, tmp_path / f"odk{suffix}")
    placements = tmp_path / "placements.csv"
    placements.write_text(
        "code,event_id,venue_type,venue_name,city,document,lang,address\n"
        "AB12,lyon-cafe,cafe-ia,Médiathèque,Lyon,lyon-cafe/fr/poster.pdf,fr,example.org/fr/\n",
        encoding="utf-8",
    )
    out = tmp_path / "report"
    figures = kit.build_feedback_report(project.kb, [kobo, odk], out, placements=[placements])
    read = figures.read
    assert figures.overall.answers == 5 and read.duplicates == 1 and read.rejected == 1 and read.empty == 1
    # the bad answer named by file, row, column; the row's other answers still count
    assert len(read.problems) == 1
    assert re.match(
        rf"odk{suffix}, row 3, column C \(grp-understood_{list(form.questions)[0]}\): 'maybe'",
        read.problems[0],
    )
    assert any("extra_question" in note for note in read.notes)
    qids = list(form.questions)
    by_question = {row["question"]: row for row in _read_csv(out / "feedback-questions.csv")}
    first = by_question[f"understood_{qids[0]}"]
    assert first["question_id"] == qids[0]
    assert (first["answers"], first["yes"], first["partly"], first["no"]) == ("4", "3", "0", "1")
    third = by_question[f"understood_{qids[2]}"]
    assert (third["answers"], third["yes"], third["no"]) == ("5", "3", "2")
    say_no = by_question["say_no"]
    assert (say_no["answers"], say_no["yes"], say_no["no"], say_no["unsure"]) == ("5", "3", "1", "1")
    events = {row["event_id"]: row["answers"] for row in _read_csv(out / "feedback-events.csv")}
    assert events == {"lyon-cafe": "4", "(unknown event code)": "1"}
    assert dict(figures.unknown_codes) == {"nowhere": 1}
    places = {row["place_kind"]: row["answers"] for row in _read_csv(out / "feedback-places.csv")}
    assert places == {"cafe-ia": "4", "(not given)": "1"}
    improve = _read_csv(out / "feedback-improve.csv")
    assert [row["question_id"] for row in improve][:2] == [qids[2], qids[0]]
    assert (improve[0]["answers"], improve[0]["not_understood"], improve[0]["share"]) == ("5", "2", "0.400")
    # no e-mail address or phone number of a comment in any output
    for written in out.iterdir():
        data = written.read_bytes().decode("utf-8", "replace")
        assert "a.b@mail.fr" not in data and "06 12 34 56 78" not in data, written
    page = (out / "feedback.html").read_text(encoding="utf-8")
    assert (
        "Qui voit mes données ?" in page
        and "[adresse e-mail retirée]" in page
        and "[numéro de téléphone retiré]" in page
    )
    assert "[e-mail address]" not in page and "[phone number]" not in page  # the masks in the page's words


def test_a_typed_template_is_read_back(project, form, tmp_path):
    from openpyxl import load_workbook

    path = kit.write_template(form, tmp_path / "typed.xlsx", "fr", ["lyon-cafe"])
    book = load_workbook(path)
    sheet = book["answers"]
    values = {
        "event_code": "lyon-cafe",
        "say_no": "Pas sûr",
        "place_kind": "Café IA",
        "open_question": "Et après ?",
    }
    values.update({f"understood_{q}": "Un peu" for q in form.questions})
    sheet.append([values.get(name, "") for name in form.names])
    sheet.append([values.get(name, "") for name in form.names])
    book.save(path)
    read = read_answers(form, [path])
    assert len(read.answers) == 2 and not read.problems
    assert read.answers[0].event == "lyon-cafe"
    assert read.answers[0].values["say_no"] == "unsure" and read.answers[0].values["place_kind"] == "cafe-ia"


def test_a_file_that_is_not_a_spreadsheet_is_named(form, tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(kit.SpreadsheetError, match="notes.xlsx"):
        read_answers(form, [bad])
    other = _write(tmp_path / "other.csv", [["name", "town"], ["a", "b"]])
    with pytest.raises(kit.SpreadsheetError, match="other.csv"):
        read_answers(form, [other])


def test_kit_report_with_feedback_and_no_logs(run_kit, tmp_path, project, form):
    kobo = _kobo(form, tmp_path / "kobo.csv")
    done = run_kit("report", "--feedback", kobo, "--out", tmp_path / "r", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "feedback.html").is_file() and "3 answers" in done.stdout
    done = run_kit("feedback", "form", "--out", tmp_path / "f.xlsx", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "f.xlsx").is_file(), done.stderr
    done = run_kit("feedback", "template", "--out", tmp_path / "t.xlsx", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "t.xlsx").is_file(), done.stderr
    # a file that is not a spreadsheet: named, no traceback, a failing exit code
    (tmp_path / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n not a workbook")
    done = run_kit("report", "--feedback", tmp_path / "photo.xlsx", "--out", tmp_path / "r2", cwd=tmp_path)
    assert done.returncode != 0 and "photo.xlsx" in done.stderr and "Traceback" not in done.stderr


def _headings(page: Path) -> tuple[str, list[str]]:
    """The page's language and its headings and table headers, as read in the HTML."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.lang, self.inside, self.found = "", None, []

        def handle_starttag(self, tag, attrs):
            if tag == "html":
                self.lang = dict(attrs).get("lang", "")
            if tag in ("h1", "h2", "th", "caption", "a"):
                self.inside = tag
                self.found.append("")

        def handle_endtag(self, tag):
            if tag == self.inside:
                self.inside = None

        def handle_data(self, data):
            if self.inside:
                self.found[-1] += data

    reader = Reader()
    reader.feed(page.read_text(encoding="utf-8"))
    return reader.lang, [_flat(text).strip() for text in reader.found]


def test_kit_report_feedback_speaks_the_language_asked(run_kit, tmp_path, project, form):
    kobo = _kobo(form, tmp_path / "kobo.csv")
    words = project.kb.part("report").feedback
    for lang in ("fr", "en"):
        out = tmp_path / lang
        done = run_kit("report", "--feedback", kobo, "--out", out, "--lang", lang, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        page_lang, headings = _headings(out / "feedback.html")
        assert page_lang == lang
        said = words[lang]
        for key in ("understood", "improve", "per_event", "per_place", "open_questions", "comments"):
            assert _flat(getattr(said, key)) in headings, (lang, key)
        assert _flat(said.col_answers) in headings and _flat(said.questions_csv) in headings
    _, french = _headings(tmp_path / "fr" / "feedback.html")
    assert "Compris, question par question" in french and "Par type de lieu" in french
    assert "Ce qu'il faut améliorer d'abord" in french and "Réponses" in french
    assert not {"Understood, per question", "What to improve next", "Per event", "Answers"} & set(french)
    assert any(h.startswith("Retours : ") for h in french)  # the French colon, spaced
    page = (tmp_path / "fr" / "feedback.html").read_text(encoding="utf-8")
    assert "(non précisé)" in page and "(not given)" not in page  # the rows kit names, in French too


def test_each_section_of_the_feedback_page_has_its_chart_and_the_charts_numbers_in_a_table(
    project, form, tmp_path
):
    out = tmp_path / "report"
    kit.build_feedback_report(project.kb, [_kobo(form, tmp_path / "kobo.csv")], out, lang="en")
    html = (out / "feedback.html").read_text(encoding="utf-8")
    charts = dict(
        re.findall(r'<ul class="chart" aria-hidden="true" data-chart="(\w+)">(.*?)</ul>', html, re.S)
    )
    assert set(charts) == {"understood", "improve", "events", "places"}

    def bars(key):
        return [
            (label, value, int(width))
            for label, value, width in re.findall(
                r'<li><span[^>]*>(.*?)</span> <span class="value">(.*?)</span>'
                r'<div class="bar"><span style="width: (\d+)%"></span></div></li>',
                charts[key],
            )
        ]

    events = {row["event_id"]: int(row["answers"]) for row in _read_csv(out / "feedback-events.csv")}
    most = max(events.values())
    assert bars("events") == [(k, str(n), round(n * 100 / most)) for k, n in events.items()]
    places = {row["place_kind"]: int(row["answers"]) for row in _read_csv(out / "feedback-places.csv")}
    assert [(label, int(value)) for label, value, _ in bars("places")] == list(places.items())
    improve = _read_csv(out / "feedback-improve.csv")
    assert [w for _, _, w in bars("improve")] == [round(float(row["share"]) * 100) for row in improve]
    assert [v for _, v, _ in bars("improve")] == [f"{round(float(r['share']) * 100)}\u00a0%" for r in improve]
    # the text equivalent: every number of a chart is in the table that follows it, in the same section
    for key, chart in charts.items():
        section = html[html.index(chart) :].split("</section>", 1)[0]
        table = section[section.index("<table>") :]
        for _, value, _ in bars(key):
            assert f">{value}</td>" in table, (key, value)


def test_the_feedback_page_passes_axe_in_chromium(project, form, tmp_path, browser, axe):
    out = tmp_path / "report"
    kit.build_feedback_report(project.kb, [_kobo(form, tmp_path / "kobo.csv")], out)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.goto((out / "feedback.html").as_uri())
        violations = axe.run(page).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
        assert page.locator("table").count() >= 4 and page.locator("a[href$='.csv']").count() == 4
    finally:
        page.close()


# --- the record of changes ------------------------------------------------------------------------------------


def test_the_record_of_changes_is_on_the_site(tmp_path):
    project = kit.load_project(check=False)
    record = project.kb.part("changes")
    out = tmp_path / "site"
    kit.build_site(project, out, library=False)
    for lang, path in (("fr", "fr/changements/index.html"), ("en", "en/changes/index.html")):
        page = (out / path).read_text(encoding="utf-8")
        newest = record.changes[0]
        assert newest.version in page and record.title[lang] in page
        for line in newest.changes[lang]:
            assert line.split()[0] in page
        about = next((out / lang).glob("*/index.html"), None)
        assert about is not None
    about = (out / "fr" / "a-propos" / "index.html").read_text(encoding="utf-8")
    assert 'href="../changements/index.html"' in about


def test_kit_check_refuses_a_version_the_record_lacks(content_copy, edit_file):
    from kit.check import check_content

    current = kit.load_content().meta.content_version
    assert not [f for f in check_content(content_copy).findings if f.rule == "change-record"]
    edit_file(content_copy / "kit.yaml", f'content_version: "{current}"', 'content_version: "2099.1.1"')
    found = [f for f in check_content(content_copy).findings if f.rule == "change-record"]
    assert len(found) == 1 and found[0].severity == "error" and "2099.1.1" in found[0].message


def test_select_multiple_split_in_columns_or_space_separated(form, tmp_path):
    import dataclasses

    fields = [
        dataclasses.replace(f, kind="select_multiple") if f.name == "place_kind" else f for f in form.fields
    ]
    several = dataclasses.replace(form, fields=fields)
    kobo = _write(
        tmp_path / "split.csv",
        [
            [
                "grp/event_code",
                "grp/place_kind",
                "grp/place_kind/cafe-ia",
                "grp/place_kind/la-poste",
                "_uuid",
            ],
            ["lyon-cafe", "", "1", "1", "u1"],
            ["lyon-cafe", "cafe-ia other", "0", "0", "u2"],
            ["lyon-cafe", "cafe-ia nowhere", "", "", "u3"],
        ],
    )
    read = read_answers(several, [kobo])
    assert [a.values.get("place_kind") for a in read.answers] == [
        "cafe-ia la-poste",
        "cafe-ia other",
        "cafe-ia",
    ]
    assert len(read.problems) == 1 and "split.csv, row 4, column B" in read.problems[0]
    assert "'nowhere'" in read.problems[0]


def test_kit_check_names_a_form_text_missing_in_a_complete_language(content_copy, edit_file):
    from kit.check import check_content

    edit_file(content_copy / "feedback.yaml", ', en: "Any comment?"}', "}")
    found = [f for f in check_content(content_copy).findings if f.rule == "feedback-form"]
    assert len(found) == 1 and found[0].severity == "error"
    assert "comment" in found[0].message and " en" in found[0].message
    with pytest.raises(kit.ContentError, match="comment has no label in en"):
        feedback_form(kit.load_content(content_copy))


def test_each_cafe_ia_pack_prints_its_own_event_code_and_the_template_lists_the_codes(
    tmp_path, open_pdf, form
):
    import json

    from openpyxl import load_workbook

    from tests.test_pack import ROWS, write_csv

    rows = [ROWS[2], ROWS[2].replace("cafe-1;", "cafe-2;", 1)]
    result = kit.build_packs(
        kit.load_project(), write_csv(tmp_path / "e.csv", rows), out_dir=tmp_path / "out", jobs=1
    )
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    for event in result.events:
        forms = [d for d in event.documents if d["layout"] == "feedback"]
        assert len(forms) == 1
        text = _flat(open_pdf(tmp_path / "out" / forms[0]["path"]).text(0))
        assert event.id in text and ({"cafe-1", "cafe-2"} - {event.id}).pop() not in text
    template = kit.write_template(
        form, tmp_path / "t.xlsx", "fr", kit.manifest_event_codes(tmp_path / "out" / "manifest.json")
    )
    assert [e["id"] for e in manifest["events"]] == ["cafe-1", "cafe-2"]
    lists = load_workbook(template)["lists"]
    assert [lists["A2"].value, lists["A3"].value] == ["cafe-1", "cafe-2"]
