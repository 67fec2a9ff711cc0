"""Review rules of kit check: absolute promises, facts to recheck by a date, links to allowed hosts only."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest

import kit
from kit.check import check_content
from kit.check.review import allowed_hosts

WHY = "questions/why-use-data.yaml"


def _today(kb) -> dt.date:
    return kb.meta.date + dt.timedelta(days=30)


def test_builtin_content_makes_no_unreviewed_promise_and_passes_strict():
    kb = kit.load_content()
    report = check_content(today=_today(kb))
    assert report.ok(strict=True), [(f.rule, f.text) for f in report.findings]
    texts = " ".join(
        t.short + (t.detail or "") + t.hook + (t.advisor or "")
        for q in kb.questions
        for t in q.translations.values()
    )
    for absolute in (
        "toujours dire non",
        "à tout moment",
        "always say no",
        "at any time",
        "Seuls des chercheurs",
    ):
        assert absolute not in texts


def test_every_question_names_its_sources_and_links_only_to_allowed_sites():
    kb = kit.load_content()
    hosts = allowed_hosts(kb)
    assert {"cnil.fr", "legifrance.gouv.fr", "ameli.fr", "health-data-hub.fr"} <= hosts
    for question in kb.questions:
        for lang in kb.languages:  # complete languages (a partial one has no sources nor links of its own)
            text = question.translations[lang]
            assert text.sources, (question.id, lang)
            for link in text.links:
                host = urllib.parse.urlsplit(link.url).hostname.removeprefix("www.")
                assert any(host == h or host.endswith("." + h) for h in hosts), (question.id, link.url)
    for act in kb.shared.act.values():
        assert act.sources and len(act.steps) >= 4 and act.falc
        assert any("plainte" in link.url for link in act.contacts)


def test_an_absolute_promise_is_a_finding_with_file_and_line(content_copy, edit_file):
    edit_file(
        content_copy / WHY,
        "Une seule histoire médicale",
        "Vous pourrez toujours dire non. Une seule histoire médicale",
    )
    kb = kit.load_content(content_copy)
    (finding,) = [f for f in check_content(content_copy, today=_today(kb)).findings if f.rule == "promise"]
    assert finding.severity == "warning" and finding.file.endswith("why-use-data.yaml") and finding.line
    assert finding.text == "Vous pourrez toujours dire non." and "'toujours'" in finding.message
    assert finding.lang == "fr" and finding.question == "why-use-data"
    # Reviewed in review.yaml (a reason, a source): no finding any more.
    edit_file(
        content_copy / "review.yaml",
        "reviewed_absolutes:\n",
        'reviewed_absolutes:\n  - id: test\n    lang: fr\n    text: "Vous pourrez toujours dire non."\n'
        '    word: toujours\n    reason: "a test"\n',
    )
    assert not [f for f in check_content(content_copy, today=_today(kb)).findings if f.rule == "promise"]


@pytest.mark.parametrize(
    "sentence", ["Les sites ne sont pas toujours faciles.", "Websites are not always easy."]
)
def test_a_negated_absolute_is_no_promise(content_copy, edit_file, sentence):
    lang_marker = "Une seule histoire médicale" if sentence.startswith("Les") else "A single medical story"
    edit_file(content_copy / WHY, lang_marker, f"{sentence} {lang_marker}")
    kb = kit.load_content(content_copy)
    assert not [f for f in check_content(content_copy, today=_today(kb)).findings if f.rule == "promise"]


def test_a_fact_past_its_recheck_date_is_a_warning():
    kb = kit.load_content()
    fact = min(kb.review.facts_to_recheck, key=lambda f: f.recheck_by)
    on_time = check_content(today=fact.recheck_by)
    assert not [f for f in on_time.findings if f.rule == "recheck-date"]
    late = [
        f
        for f in check_content(today=fact.recheck_by + dt.timedelta(days=1)).findings
        if f.rule == "recheck-date"
    ]
    assert [f.text for f in late] == [fact.fact]
    assert late[0].file.endswith("review.yaml") and late[0].line


def test_a_link_to_another_site_is_an_error_unless_allowed(content_copy, edit_file):
    edit_file(
        content_copy / WHY,
        "url: https://www.health-data-hub.fr/projets",
        "url: https://www.example.com/projets",
    )
    kb = kit.load_content(content_copy)
    findings = [f for f in check_content(content_copy, today=_today(kb)).findings if f.rule == "link-host"]
    assert findings and all(f.severity == "error" and "example.com" in f.message for f in findings)
    assert findings[0].file.endswith("why-use-data.yaml") and findings[0].line
    allowed = check_content(content_copy, today=_today(kb), link_hosts=["example.com"])
    assert not [f for f in allowed.findings if f.rule == "link-host"]


def test_kit_toml_check_link_hosts_and_site_host(tmp_path, content_copy, edit_file, run_kit):
    edit_file(
        content_copy / WHY,
        "url: https://www.health-data-hub.fr/projets",
        "url: https://www.exemple-sante.fr/projets",
    )
    (tmp_path / "kit.toml").write_text(f'[build]\ncontent = "{content_copy}"\n', encoding="utf-8")
    assert run_kit("check", cwd=tmp_path).returncode == 3
    (tmp_path / "kit.toml").write_text(
        f'[build]\ncontent = "{content_copy}"\n[site]\nbase_url = "https://www.exemple-sante.fr/campagne/"\n',
        encoding="utf-8",
    )
    result = run_kit("check", cwd=tmp_path)
    assert "link-host" not in result.stdout, result.stdout
