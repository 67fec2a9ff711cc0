"""Addresses: site pages per question, language and level; QR targets; placement codes; printed addresses."""

from __future__ import annotations

import pytest

import kit
from kit.addresses import SitePages, normalise_base, printed, with_placement
from kit.check import check_content
from kit.placements import Place, open_registry, placement_code


@pytest.fixture(scope="module")
def kb():
    return kit.load_content()


def test_site_pages(kb):
    pages = SitePages(kb)
    assert pages.home("fr") == "fr/" and pages.home("en", "falc") == "en/easy/"
    assert pages.question("wrong-hands", "fr") == "fr/securite/"
    assert pages.question("wrong-hands", "fr", "falc") == "fr/facile/securite/"
    assert pages.glossary("en") == "en/words/" and pages.about("fr") == "fr/a-propos/"
    every = [
        pages.question(q, lang, level)
        for q in kb.question_ids
        for lang in kb.languages
        for level in ("standard", "falc")
    ]
    assert len(set(every)) == len(every)
    # Short enough to type: a base of about 30 characters plus at most 30 after the domain.
    assert max(len(page) for page in every) <= 30


def test_printed_and_payload():
    assert normalise_base("https://a.org/campagne") == "https://a.org/campagne/"
    assert printed("https://a.org/fr/securite/?p=abc#x") == "a.org/fr/securite/"
    assert with_placement("https://a.org/fr/", "k3F9ab") == "https://a.org/fr/?p=k3F9ab"
    assert with_placement("https://a.org/f?form=1#top", "k") == "https://a.org/f?form=1&p=k#top"
    assert with_placement("https://a.org/fr/", None) == "https://a.org/fr/"


def test_placement_codes_are_short_stable_and_unique():
    assert placement_code("lyon-1", "fr/poster-summary-A3.pdf") == placement_code(
        "lyon-1", "fr/poster-summary-A3.pdf"
    )
    assert placement_code("lyon-1", "fr/poster-summary-A3.pdf") != placement_code(
        "lyon-2", "fr/poster-summary-A3.pdf"
    )
    registry = open_registry(None)
    documents = [("fr/a.pdf", "fr"), ("fr/b.pdf", "fr"), ("en/a.pdf", "en")]
    codes = {
        code for i in range(3000) for code in registry.codes(Place(f"ev-{i}", "la-poste", "x"), documents)
    }
    assert len(codes) == 9000 and all(len(code) == 6 and code.isalnum() for code in codes)
    # A code already given (an earlier run) is never given again; the new document gets another one.
    taken = placement_code("new", "fr/a.pdf")
    assert registry.adopt(Place("old", "la-poste", "y"), {"fr/x.pdf": (taken, "fr")})
    assert registry.codes(Place("new", "la-poste", "z"), [("fr/a.pdf", "fr")]) != [taken]
    assert registry.codes(Place("old", "la-poste", "y"), [("fr/x.pdf", "fr")]) == [taken]


def test_qr_codes_lead_to_the_site_when_it_has_an_address(tmp_path, open_pdf):
    toml = tmp_path / "kit.toml"
    toml.write_text('[site]\nbase_url = "https://sante.exemple.org"\n', encoding="utf-8")
    project = kit.load_project(kit.Settings(config=toml))
    result = kit.build_kit(project, tmp_path / "out", langs="fr,en", formats="A4")
    assert result.notes == []
    targets = {
        (
            d.spec.layout,
            d.spec.level,
            d.spec.lang,
            d.spec.questions[:1] if d.spec.layout == "poster" else (),
        ): d.qr[0]["url"]
        for d in result.documents
    }
    assert targets[("poster", "standard", "fr", ("wrong-hands",))] == "https://sante.exemple.org/fr/securite/"
    assert targets[("poster", "falc", "en", ("wrong-hands",))] == "https://sante.exemple.org/en/easy/safety/"
    assert targets[("summary-poster", "standard", "fr", ())] == "https://sante.exemple.org/fr/"
    assert targets[("leaflet", "falc", "fr", ())] == "https://sante.exemple.org/fr/facile/"
    assert targets[("booklet", "falc", "en", ())] == "https://sante.exemple.org/en/easy/"
    poster = next(d for d in result.documents if d.spec.layout == "poster" and d.spec.level == "standard")
    text = open_pdf(tmp_path / "out" / poster.path).flat_text()
    assert kit.load_content().shared.site[poster.spec.lang].qr_question.split(",")[0] in text


def test_without_a_site_kit_build_says_where_the_codes_lead(tmp_path, run_kit):
    result = run_kit("build", "--out", tmp_path / "o", "--lang", "fr", "--format", "A4", "--level", "falc")
    assert result.returncode == 0, result.stderr
    assert "Note: The QR codes lead to other organisations' web pages" in result.stdout
    assert "[site] base_url" in result.stdout


def test_two_questions_with_one_address_are_refused(content_copy, edit_file):
    edit_file(content_copy / "questions" / "wrong-hands.yaml", "path: securite", "path: accord")
    report = check_content(content_copy)
    (finding,) = [f for f in report.errors if "fr/accord/" in f.message]
    # Reported on the later question, naming the one that has the address already.
    assert (
        finding.rule == "consistency" and finding.file.endswith("without-consent.yaml") and finding.line == 10
    )
    assert "wrong-hands" in finding.message
    edit_file(content_copy / "questions" / "wrong-hands.yaml", "path: accord", "path: facile")
    assert any("fr/facile/" in f.message for f in check_content(content_copy).errors)
    edit_file(
        content_copy / "questions" / "wrong-hands.yaml", "path: facile", "path: une-adresse-bien-trop-longue"
    )
    assert any(f.rule == "length" and "path" in (f.field or "") for f in check_content(content_copy).errors)
