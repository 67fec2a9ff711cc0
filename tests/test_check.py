"""`kit check`: a knowledge base that breaks each rule once; each finding names its rule, file and line."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import json
import re
import shutil
import urllib.error
from pathlib import Path

import pytest

import kit.check as check
import kit.check.links as check_links
from kit.check import (
    FALC_ITEMS,
    LENGTH_BUDGETS,
    READABILITY,
    Finding,
    Report,
    check_content,
    check_or_raise,
    check_theme,
    format_report,
    report_rows,
)
from kit.check.languages import DEFAULT_RULES, LANGUAGE_RULES, rules_for
from kit.content import load_content
from kit.errors import ContentError, Problem
from kit.resources import content_dir
from kit.theme import Theme

BAD_THEME = Theme(muted="#bbbbbb", qr_dark="#ffffff", qr_light="#000000")
LATE = dt.date(2030, 1, 1)

WHY = "questions/why-use-data.yaml"
KNOW = "questions/know-before-me.yaml"
CONSENT = "questions/without-consent.yaml"
HANDS = "questions/wrong-hands.yaml"
SHARED = "shared.yaml"
VENUES = "venues.yaml"
META = "kit.yaml"

# (file, old text, new text): each breaks one rule once.
EDITS = [
    # FALC rules, French items of why-use-data
    (
        WHY,
        '"Vos données de santé sont les informations sur vos soins."',
        '"Vos données de santé sont les informations sur vos soins, vos examens, vos médicaments et vos séjours à l\'hôpital."',
    ),
    (
        WHY,
        '"Les chercheurs étudient les données de beaucoup de personnes."',
        '"Les chercheurs étudient avec soin les données de beaucoup de personnes malades en France."',
    ),
    (
        WHY,
        '"Les chercheurs comprennent alors mieux les maladies."',
        '"Ils comprennent mieux. Ils soignent mieux."',
    ),
    (
        WHY,
        '"Les médecins peuvent alors mieux soigner tout le monde."',
        '"Les médecins de l\'AP-HP peuvent alors mieux soigner."',
    ),
    (
        WHY,
        "\"À l'avenir, les soins pourront mieux s'adapter à chaque personne.\"",
        '"Le RGPD protège vos données."',
    ),
    # FALC rules, English items of why-use-data
    (
        WHY,
        '"Your health data is a record of your care."',
        '"Your health data is a record of your care, etc."',
    ),
    (
        WHY,
        '"Researchers study data from many people together."',
        '"Researchers study data from 80% of people."',
    ),
    (
        WHY,
        '"So researchers learn more about illnesses."',
        '"So researchers learn more about three illnesses."',
    ),
    (
        WHY,
        '"Then doctors can care for everyone better."',
        '"Then doctors can care for 12,000 people better."',
    ),
    (
        WHY,
        '"In the future, care can fit each person better."',
        '"In the XXI century, care can fit each person better."',
    ),
    # FALC rules, French items of know-before-me
    (
        KNOW,
        '"Un ordinateur peut prévenir les soignants d\'un danger."',
        '"Un ordinateur peut prévenir les soignants ; ils voient un danger tôt."',
    ),
    (
        KNOW,
        '"Par exemple, quand une maladie du cœur s\'aggrave."',
        '"Par exemple, quand une maladie du cœur & du foie s\'aggrave."',
    ),
    (
        KNOW,
        '"Les soignants peuvent changer le traitement plus tôt."',
        '"Les soignants peuvent changer le traitement (parfois)."',
    ),
    (
        KNOW,
        '"Parfois, vous pouvez rester chez vous et éviter l\'hôpital."',
        '"Vous ne devez pas toujours aller à l\'hôpital."',
    ),
    (
        KNOW,
        '"A computer can warn the care team of a danger."',
        '"A computer can warn the care team, so you do not wait."',
    ),
    # consistency: the English FALC items no longer match the French pictograms
    (
        KNOW,
        '"You decide with your doctor: you can accept or refuse this follow-up."\n        picto: raised-hand',
        '"You decide with your doctor: you can accept or refuse this follow-up."\n        picto: handshake',
    ),
    # readability of a FALC list: long, rare words
    (
        CONSENT,
        '"Les personnes qui voient les données doivent avoir une autorisation."',
        '"Seuls des professionnels scientifiquement habilités consultent informatiquement les informations."',
    ),
    (
        CONSENT,
        '"Ces personnes voient seulement ce qui est utile pour leur travail."',
        '"Leurs autorisations réglementaires déterminent précisément les catégories informatiques accessibles."',
    ),
    # links
    (
        CONSENT,
        "url: https://www.cnil.fr/fr/les-droits-pour-maitriser-vos-donnees-personnelles",
        "url: https://bit.ly/3xYzAbc",
    ),
    (CONSENT, "url: https://www.health-data-hub.fr/projets", "url: https://www..health-data-hub.fr/projets"),
    (
        CONSENT,
        'label: "CNIL (in French): your rights over your personal data"',
        'label: "https://www.cnil.fr"',
    ),
    # consistency: two questions with order 1
    (CONSENT, "order: 4", "order: 1"),
    # length budgets
    (
        HANDS,
        '"Et si nos données tombaient entre de mauvaises mains ?"',
        '"Et si nos données de santé tombaient un jour entre de mauvaises mains, que se passerait-il alors ?"',
    ),
    (
        HANDS,
        "within a month was about twice as high.",
        "within a month was about twice as high, in every region, every year and every kind of hospital, "
        "public or private, large or small, whatever the surgeon.",
    ),
    (
        HANDS,
        '"Des ordinateurs très protégés gardent vos données."\n        picto: locked',
        '"Des ordinateurs très protégés gardent vos données."\n        picto: locked\n'
        '      - text: "Les chercheurs signent un engagement."\n        picto: scientist\n'
        '      - text: "Ils respectent des règles strictes."\n        picto: balance-scale',
    ),
    (
        VENUES,
        '"Prenez un dépliant au guichet, ou scannez le code pour lire la suite tranquillement chez vous."',
        '"Prenez un dépliant au guichet, ou scannez le code pour lire la suite tranquillement chez vous, '
        'avec votre famille ou vos amis, quand vous le voulez."',
    ),
    (
        SHARED,
        '"Certified health data host: a company certified to store health data under strict, checked security rules."',
        '"Certified health data host: a company certified to store health data under strict, checked security rules, '
        'audited by independent bodies, renewed every few years, and required by French law for any health data."',
    ),
    # consistency: a glossary id used twice
    (SHARED, "  - id: cesrees", "  - id: cnil"),
]

# (rule, severity, file, a text on the line it must report)
EXPECTED = [
    ("falc-sentence-length", "error", WHY, "vos séjours à l'hôpital"),
    ("falc-sentence-length", "warning", WHY, "avec soin les données"),
    ("falc-one-sentence", "error", WHY, "Ils comprennent mieux. Ils soignent mieux."),
    ("falc-abbreviation", "error", WHY, "de l'AP-HP"),
    ("falc-etc", "error", WHY, "your care, etc."),
    ("falc-percent", "error", WHY, "80% of people"),
    ("falc-number-word", "error", WHY, "about three illnesses"),
    ("falc-large-number", "error", WHY, "12,000 people"),
    ("falc-roman-numeral", "error", WHY, "the XXI century"),
    ("falc-semicolon", "error", KNOW, "les soignants ; ils"),
    ("falc-special-character", "error", KNOW, "cœur & du foie"),
    ("falc-parentheses", "error", KNOW, "(parfois)"),
    ("falc-negative", "warning", KNOW, "Vous ne devez pas"),
    ("falc-negative", "warning", KNOW, "you do not wait"),
    ("consistency", "warning", KNOW, "  falc:", 2),  # the second (English) falc list
    ("readability", "warning", CONSENT, "  falc:", 1),
    ("link-shortener", "error", CONSENT, "https://bit.ly/3xYzAbc"),
    ("link-url", "error", CONSENT, "https://www..health-data-hub.fr"),
    ("link-label", "warning", CONSENT, 'label: "https://www.cnil.fr"'),
    ("consistency", "warning", CONSENT, "order: 1"),
    ("length", "error", HANDS, "tombaient un jour entre"),
    ("length", "error", HANDS, "  benefit:", 2),
    ("length", "error", HANDS, "  falc:", 1),
    ("length", "error", VENUES, "tranquillement chez vous, avec"),
    ("length", "warning", SHARED, "audited by independent bodies"),
    ("consistency", "error", SHARED, "  - id: cnil", 2),
    ("review-date", "warning", META, "date:"),
    ("falc-logo", "error", META, "falc_checked_by:"),
]


def line_of(path: Path, snippet: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if snippet in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{snippet!r} (occurrence {occurrence}) not in {path}")


def copy_content(target: Path) -> Path:
    """A stand-alone copy of the built-in content (`builtin: false`: not merged over the built-in one)."""
    shutil.copytree(content_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    meta = target / "kit.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "builtin: false\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def broken(tmp_path_factory, edit_file):
    root = copy_content(tmp_path_factory.mktemp("broken") / "content")
    for name, old, new in EDITS:
        edit_file(root / name, old, new)
    report = check_content(root, falc_logo=True, theme=BAD_THEME, today=LATE)
    return root, report


def _today() -> dt.date:
    return load_content().meta.date + dt.timedelta(days=30)


# --- The built-in content -------------------------------------------------------------------------


def test_builtin_content_passes_strict():
    report = check_content(today=_today())
    # Notes only: the partial languages nobody has reviewed yet (notes never fail, even --strict).
    assert [f for f in report.findings if f.severity != "note"] == [], format_report(report)
    # ... and that no page has a recording (kit ships none: people the organisation chooses record them).
    assert {f.rule for f in report.notes} == {"language-review", "recording"}
    assert report.ok(strict=True)
    assert check_or_raise(today=_today()).ok()


def test_builtin_content_is_checked_for_real():
    """The same content, with the logo asked for and nobody named: the check is not a no-op."""
    report = check_content(today=_today(), falc_logo=True)
    assert [f.rule for f in report.errors] == ["falc-logo"]
    assert "intellectual disabilities" in report.errors[0].message


# --- One broken content, each rule once -----------------------------------------------------------


@pytest.mark.parametrize("case", EXPECTED, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(EXPECTED)])
def test_each_rule_reports_file_and_line(broken, case):
    root, report = broken
    rule, severity, name, snippet, *occurrence = case
    path = root / name
    line = line_of(path, snippet, *occurrence)
    matches = [f for f in report.findings if f.rule == rule and f.file == str(path) and f.line == line]
    assert matches, f"no {rule} at {path}:{line}; found:\n{format_report(report)}"
    assert {f.severity for f in matches} == {severity}
    for f in matches:
        assert f.message and f.hint, f
        assert f.field, f


def test_findings_name_question_language_level_and_text(broken):
    root, report = broken
    [finding] = [f for f in report.findings if f.rule == "falc-abbreviation"]
    assert (finding.question, finding.lang, finding.level) == ("why-use-data", "fr", "falc")
    assert (
        "'AP', 'HP'" in finding.message
        and finding.text == "Les médecins de l'AP-HP peuvent alors mieux soigner."
    )
    assert finding.field == "translations.fr.falc.3.text"


def test_no_false_positives_in_broken_content(broken):
    root, report = broken
    why = str(root / WHY)
    rgpd_line = line_of(root / WHY, "Le RGPD protège vos données.")
    roman_line = line_of(root / WHY, "the XXI century")
    assert not [f for f in report.findings if f.file == why and f.line == rgpd_line], (
        "RGPD is in the glossary"
    )
    assert not [f for f in report.findings if f.rule == "falc-abbreviation" and f.line == roman_line]
    # each FALC rule fires once: the other texts of the same file are clean
    for rule in (
        "falc-etc",
        "falc-percent",
        "falc-number-word",
        "falc-large-number",
        "falc-roman-numeral",
        "falc-semicolon",
        "falc-special-character",
        "falc-parentheses",
        "falc-one-sentence",
        "link-shortener",
        "link-url",
        "link-label",
    ):
        assert len([f for f in report.findings if f.rule == rule]) == 1, rule


def test_theme_findings(broken):
    root, report = broken
    contrast = [f for f in report.findings if f.rule == "contrast"]
    assert [f.text.split()[0] for f in contrast] == ["muted"]
    assert contrast[0].file is None and contrast[0].severity == "error"
    assert [f.rule for f in report.findings if f.rule == "qr-colours"] == ["qr-colours"]
    assert check_theme() == []
    assert [f.rule for f in check_theme(Theme(ink="blue"))] == ["theme-colour"]


def test_review_date_depends_on_today(tmp_path, edit_file):
    root = copy_content(tmp_path / "content")
    date = load_content(root).meta.date

    def review(days):
        return [
            f
            for f in check_content(root, today=date + dt.timedelta(days=days)).warnings
            if f.rule == "review-date"
        ]

    assert not review(360)
    assert [f.rule for f in review(370)] == ["review-date"]


def test_falc_logo_allowed_with_named_checkers(tmp_path, edit_file):
    root = copy_content(tmp_path / "content")
    edit_file(root / META, "falc_checked_by: []", 'falc_checked_by: ["Camille M.", "Jo B."]')
    assert check_content(root, falc_logo=True, today=_today()).ok(strict=True)


def test_shared_falc_pages_are_checked(tmp_path, edit_file):
    root = copy_content(tmp_path / "content")
    if '"Ce document répond à 4 questions."' not in (root / SHARED).read_text(encoding="utf-8"):
        pytest.skip("the content has no FALC title page")
    edit_file(
        root / SHARED, '"Ce document répond à 4 questions."', '"Ce document répond à quatre questions."'
    )
    [finding] = check_content(root, today=_today()).warnings + check_content(root, today=_today()).errors
    assert (finding.rule, finding.file, finding.line) == (
        "falc-number-word",
        str(root / SHARED),
        line_of(root / SHARED, "répond à quatre questions"),
    )
    assert finding.question == "shared/falc"


# --- Content that does not load -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, old, new, rule, snippet",
    [
        (WHY, "order: 1", "order: one", "schema", "order: one"),
        (HANDS, "id: wrong-hands", "id: why-use-data", "consistency", "id: why-use-data"),
        (KNOW, "        qr: true", "        qr: false", "consistency", "    links:"),
        (WHY, "picto: clipboard", "picto: no-such-picture", "pictogram", "picto: no-such-picture"),
        (
            CONSENT,
            "url: https://www.health-data-hub.fr/projets",
            "url: http://www.health-data-hub.fr/projets",
            "link-https",
            "url: http://www.health-data-hub.fr/projets",
        ),
    ],
)
def test_content_that_does_not_load(content_copy, edit_file, name, old, new, rule, snippet):
    edit_file(content_copy / name, old, new)
    report = check_content(content_copy, today=_today())
    path = content_copy / name
    found = [(f.rule, f.file, f.line) for f in report.findings if f.severity != "note"]
    assert found == [(rule, str(path), line_of(path, snippet))], format_report(report)
    assert not report.ok()
    with pytest.raises(ContentError, match=r"The content has 1 error: run `kit check` for details") as info:
        check_or_raise(content_copy, today=_today())
    assert info.value.problems[0].line == line_of(path, snippet)


def test_missing_language_is_a_consistency_error(content_copy, edit_file):
    edit_file(content_copy / META, "languages: [fr, en]", "languages: [fr, en, de]")
    report = check_content(content_copy, today=_today())
    rules = {f.rule for f in report.findings if f.severity != "note"}
    assert rules == {"consistency"}, format_report(report)
    assert {Path(f.file).name for f in report.findings} >= {"why-use-data.yaml", "shared.yaml"}
    assert all(f.line for f in report.findings)


def test_missing_folder(tmp_path):
    report = check_content(tmp_path / "nowhere")
    assert [f.rule for f in report.findings] == ["schema"]


# --- Rules are given where problems are raised, never read from the wording -----------------------

RULE_IDS = set(re.findall(r"^- ``([a-z-]+)``", check.__doc__, re.M)) | set(
    re.findall(r"``([a-z]+-[a-z-]+)``", check.__doc__)
)

LOAD_EDITS = [  # (file, old text, new text, the rule of the problem it causes)
    (CONSENT, "order: 4", "order: four", "schema"),
    (HANDS, "id: wrong-hands", "id: why-use-data", "consistency"),
    (KNOW, "        qr: true", "        qr: false", "consistency"),
    (WHY, "picto: clipboard", "picto: no-such-picture", "pictogram"),
    (
        CONSENT,
        "url: https://www.health-data-hub.fr/projets",
        "url: http://www.health-data-hub.fr/projets",
        "link-https",
    ),
    (CONSENT, "url: https://www.cnil.fr/fr/les-droits", "url: https://cnil/fr/les-droits", "link-url"),
    (
        KNOW,
        '"Spotting a risk earlier, to care for you better."',
        '"Spotting a risk earlier, to care for you better, to help you, not to judge you later."',
        "length",
    ),
    (META, "languages: [fr, en]", "languages: [fr, en, de]", "consistency"),
    (VENUES, "    times: true", "    times: sometimes", "schema"),
]


def test_every_load_problem_carries_its_rule_and_hint(content_copy, edit_file):
    for name, old, new, _ in LOAD_EDITS:
        edit_file(content_copy / name, old, new)
    with pytest.raises(ContentError) as info:
        load_content(content_copy)
    problems = info.value.problems
    assert len(problems) > len(LOAD_EDITS)
    for problem in problems:
        assert problem.rule in RULE_IDS and problem.hint, problem
    assert {p.rule for p in problems} == {rule for *_, rule in LOAD_EDITS}
    # kit check reports them with those rules and hints, in the same order
    report = check_content(content_copy, today=_today())
    assert [(f.rule, f.hint, f.message, f.line) for f in report.findings] == [
        (p.rule, p.hint, p.message, p.line) for p in problems
    ]


def test_rewording_a_load_message_cannot_change_its_rule(monkeypatch):
    assert not hasattr(check, "_LOAD_RULES")
    problems = [
        Problem(
            "a message in new words",
            "x/questions/why-use-data.yaml",
            3,
            "translations.fr.falc.0.picto",
            rule="pictogram",
            hint="Pick another picture.",
        ),
        # words that the old regular expressions read as a link or pictogram problem
        Problem(
            "'http://x' is not a valid https:// address; 'y' does not exist in assets/pictograms",
            "x/kit.yaml",
            1,
            "date",
            rule="schema",
            hint="Write a date.",
        ),
        Problem("a problem raised without a rule", "x/kit.yaml", 2),
    ]

    def broken(content_dir=None):
        raise ContentError("does not load", problems)

    monkeypatch.setattr(check, "load_content", broken)
    findings = check_content("x", today=_today()).findings
    assert [(f.rule, f.hint) for f in findings] == [
        ("pictogram", "Pick another picture."),
        ("schema", "Write a date."),
        (
            "schema",
            "Fix the field as the message says (see the other files of the built-in content for examples).",
        ),
    ]
    assert [f.message for f in findings] == [p.message for p in problems]
    assert (findings[0].question, findings[0].lang, findings[0].level) == ("why-use-data", "fr", "falc")


def test_check_errors_raise_problems_with_their_rule(broken):
    root, report = broken
    with pytest.raises(ContentError) as info:
        check_or_raise(root, falc_logo=True, theme=BAD_THEME, today=LATE)
    assert [(p.rule, p.hint) for p in info.value.problems] == [(f.rule, f.hint) for f in report.errors[:5]]
    assert str(info.value.problems[0]).endswith(f"[{report.errors[0].rule}] {report.errors[0].message}")


def test_language_rules_are_one_table():
    assert set(LANGUAGE_RULES) == {"fr", "en", "es", "pt", "ro", "tr", "ar", "zh"}
    assert rules_for("de") is DEFAULT_RULES and not DEFAULT_RULES.number_words
    assert "trois" in rules_for("fr").number_words and "three" in rules_for("en").number_words
    assert rules_for("fr").flesch_name == "Flesch (Kandel & Moles)"
    # no language branches in the rules: what differs per language is in languages.py
    for module in importlib.resources.files("kit.check").iterdir():
        if module.name.endswith(".py"):
            assert not re.search(r"lang\s*[!=]=\s*['\"]", module.read_text(encoding="utf-8")), module.name


def test_arabic_writes_one_month_in_words():
    """Arabic says "one month" as "شهر واحد" (the word after the unit), not "1 شهر": FALC accepts it after a unit of
    time; elsewhere واحد is a number word, and other numbers in words are still flagged."""
    from kit.check.falc import check_falc_item
    from kit.check.report import Collector

    def number_findings(text):
        c = Collector()
        check_falc_item(c, None, ("x",), text, qid="q", lang="ar", glossary=set())
        return [f.message for f in c.findings if f.rule == "falc-number-word"]

    assert number_findings("على الصندوق أن يجيبك خلال شهر واحد.") == []
    assert number_findings("يمكنك أن تكتب بعد سنة واحدة.") == []
    assert number_findings("سألنا شخصاً واحداً.") == []  # an accusative ending: not the word itself
    assert number_findings("جاء واحد من الباحثين.") != []
    assert number_findings("خلال ثلاثة أشهر.") != []
    # The built-in Arabic texts use it, and pass.
    kb = load_content()
    assert "خلال شهر واحد" in " ".join(item.text for item in kb.shared.act["ar"].falc)
    assert not [
        f for f in check_content(today=_today()).findings if f.rule == "falc-number-word" and f.lang == "ar"
    ]


@pytest.mark.parametrize(
    "lang, text",
    [
        ("fr", "Les soignants ; ils"),
        ("ar", "الأطباء يعالجون؛ الباحثون يدرسون."),
        ("zh", "医生治疗；研究人员研究。"),
    ],
)
def test_falc_semicolon_in_every_script(lang, text):
    """The semicolon rule knows the Arabic (U+061B) and the full-width Chinese (U+FF1B) semicolons too."""
    from kit.check.falc import check_falc_item
    from kit.check.report import Collector

    c = Collector()
    check_falc_item(c, None, ("x",), text, qid="q", lang=lang, glossary=set())
    assert [f.rule for f in c.findings if f.rule == "falc-semicolon"] == ["falc-semicolon"]
    c = Collector()
    check_falc_item(
        c,
        None,
        ("x",),
        text.replace(";", ".").replace("؛", ".").replace("；", "。"),
        qid="q",
        lang=lang,
        glossary=set(),
    )
    assert not [f for f in c.findings if f.rule == "falc-semicolon"]


def test_doorstep_titles_are_checked_for_promises():
    """The pocket card's "you can say no" title is read by the least-informed readers: the promise rule reads it."""
    from kit.check.review import _texts

    keys = {where for _, where, *_ in _texts(load_content())}
    assert ("doorstep", "fr", "say_no_title") in keys and ("doorstep", "ar", "card_title") in keys


# --- Links online (never on the network in tests) -------------------------------------------------


class _Response(io.BytesIO):
    def __init__(self, status=200):
        super().__init__(b"")
        self.status = status


def test_online_reports_dead_links(monkeypatch):
    calls = []

    def fake_urlopen(request, timeout):
        calls.append((request.get_method(), request.full_url, timeout))
        if "adresser-une-plainte" in request.full_url:
            raise urllib.error.HTTPError(request.full_url, 404, "Not Found", {}, None)
        if request.get_method() == "HEAD" and "sante" in request.full_url:
            raise urllib.error.HTTPError(request.full_url, 405, "Method Not Allowed", {}, None)
        return _Response()

    monkeypatch.setattr(check_links, "_urlopen", fake_urlopen)
    report = check_content(online=True, today=_today())
    dead = [f for f in report.findings if f.rule == "link-online"]
    assert dead and all("adresser-une-plainte" in f.text and "404" in f.message for f in dead)
    assert all(f.line and f.file.endswith(".yaml") for f in dead)
    # HEAD refused, GET answered: not reported
    assert ("GET", "https://www.cnil.fr/fr/sante", 10) in calls
    assert not [f for f in dead if f.text.endswith("/sante")]
    # each address is tried once (HEAD, then GET only when HEAD failed)
    heads = [url for method, url, _ in calls if method == "HEAD"]
    assert len(heads) == len(set(heads))


def test_offline_by_default(monkeypatch):
    def no_network(request, timeout):
        raise AssertionError("kit check went online without online=True")

    monkeypatch.setattr(check_links, "_urlopen", no_network)
    assert check_content(today=_today()).ok(strict=True)


# --- Report formats -------------------------------------------------------------------------------


def test_report_json_and_text(broken):
    root, report = broken
    data = json.loads(report.to_json())
    assert data["summary"]["errors"] == len(report.errors) > 0
    assert data["summary"]["warnings"] == len(report.warnings) > 0
    assert data["summary"]["ok"] is False
    assert len(data["findings"]) == len(report.findings)
    assert {
        "severity",
        "rule",
        "message",
        "hint",
        "file",
        "line",
        "question",
        "lang",
        "level",
        "text",
    } <= set(data["findings"][0])

    text = format_report(report)
    assert text.startswith(f"kit check: {len(report.errors)} errors, {len(report.warnings)} warnings")
    assert "why-use-data · fr · FALC" in text and "whole kit" in text
    assert f"{root / WHY}:{line_of(root / WHY, 'AP-HP')}" in text

    groups = report.grouped()
    assert ("why-use-data", "fr", "falc") in groups
    assert all(f.question == "why-use-data" for f in groups[("why-use-data", "en", "falc")])

    rows = report_rows(report)
    assert len(rows) == len(report.findings) and all(len(row) == 8 for row in rows)
    abbreviation = next(row for row in rows if row[4] == "falc-abbreviation")
    assert abbreviation[:5] == ("why-use-data", "fr", "falc", "error", "falc-abbreviation")
    assert abbreviation[5] == f"{root / WHY}:{line_of(root / WHY, 'AP-HP')}"


def test_report_ok_and_strict():
    warning = Finding("warning", "falc-negative", "m", "h", None, None, None, None, None, None)
    error = Finding("error", "falc-etc", "m", "h", None, None, None, None, None, None)
    assert Report([]).ok(strict=True)
    assert Report([warning]).ok() and not Report([warning]).ok(strict=True)
    assert not Report([warning, error]).ok()
    assert "No problems found." in format_report(Report([]))


def test_check_or_raise_lists_first_errors(broken):
    root, report = broken
    with pytest.raises(ContentError) as info:
        check_or_raise(root, falc_logo=True, theme=BAD_THEME, today=LATE)
    assert info.value.message == f"The content has {len(report.errors)} errors: run `kit check` for details."
    assert 0 < len(info.value.problems) <= 5


def test_budgets_are_consistent():
    for name, budget in LENGTH_BUDGETS.items():
        assert budget.max is not None and (budget.min is None or budget.min < budget.max), name
    assert LENGTH_BUDGETS["hook"].max == 12 and FALC_ITEMS == (3, 7)
    assert READABILITY["falc"].flesch_min > READABILITY["standard"].flesch_min  # FALC must be easier
    assert READABILITY["falc"].lix_max < READABILITY["standard"].lix_max


def test_a_placeholder_kit_does_not_fill_there_is_an_error(content_copy, edit_file):
    """Issue 26 point 3: "Ce document répond à {n} questions." reached a public page with its braces. kit fills
    a placeholder only in the texts kit.check.placeholders.FILLED names: anywhere else it is an error naming
    the file, line and field; where kit fills it, it passes."""
    edit_file(
        content_copy / WHY,
        '"Les chercheurs étudient les données de beaucoup de personnes."',
        '"Les chercheurs étudient les données de {nombre} personnes."',
    )
    edit_file(
        content_copy / SHARED,
        '"Vous avez des droits sur vos données."',
        '"Vous avez {n} droits sur vos données."',
    )
    report = check_content(content_copy, today=_today())
    found = sorted((f.file, f.line, f.field, f.severity) for f in report.findings if f.rule == "placeholder")
    assert found == sorted(
        [
            (
                str(content_copy / WHY),
                line_of(content_copy / WHY, "{nombre}"),
                "translations.fr.falc.1.text",
                "error",
            ),
            (
                str(content_copy / SHARED),
                line_of(content_copy / SHARED, "Vous avez {n} droits"),
                "falc.fr.end.0.text",
                "error",
            ),
        ]
    ), format_report(report)
    finding = next(f for f in report.findings if f.rule == "placeholder" and "{nombre}" in f.message)
    assert "falc intro: {n}" in finding.hint and finding.lang == "fr"
    # The intro's {n} (filled with the number of questions) and the labels' {n} {total} are no findings.
    assert not [f for f in check_content(today=_today()).findings if f.rule == "placeholder"]


def test_kit_check_in_an_80_column_terminal(tmp_path, run_kit):
    """Issue 26 point 9: the table was forced to 140 columns, its "Where" an 85-character path inside the virtual
    environment, telling the user to edit a file there. Now: lines wrapped to the terminal, the project's files
    relative to it, kit's own as "built-in content" with the field, and a change pointed to the user's folder."""
    import os
    import subprocess
    import sys

    from rich.cells import cell_len

    assert run_kit("init", "proj", cwd=tmp_path).returncode == 0
    folder = tmp_path / "proj"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("kit")), "check", "--lang", "fr,ar"],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "COLUMNS": "80"},
        timeout=300,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert max(cell_len(line) for line in out.splitlines()) <= 80, out
    assert "site-packages" not in out and ".venv" not in out and str(folder) not in out
    report = check_content(folder / "content", languages=["fr", "ar"])
    review = next(f for f in report.warnings if f.rule == "language-review" and f.lang == "ar")
    assert f"\n  built-in content: kit.yaml, line {review.line} (language_review.ar)\n" in out, (
        out
    )  # kit's own file, named as such, with its field
    assert "To change it, write language_review.ar in content/kit.yaml (your content\n  folder;" in out
    mine = next(f for f in report.findings if f.question == "local-help" and f.lang == "ar")
    assert f"\n  content/questions/local-help.yaml:{mine.line} (translations)\n" in out
