"""Links too long for a QR code that still scans (issue 14, item 7).

`kit check` refuses a QR link longer than the smallest QR code that prints it can hold and still be read by a
phone (rule `qr-length`, naming the question and the language); kit.toml's QR addresses are checked the same
way; a user layout with a smaller QR code gets a fit error naming the question, never a crash.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit.check import QR_CAMPAIGN_MM, QR_QUESTION_MM, check_content
from kit.qr import max_link_chars

QUESTION = "wrong-hands"


def long_url(chars: int) -> str:
    head = "https://www.cnil.fr/fr/"
    return head + ("a/" * chars)[: chars - len(head)]


def set_qr_link(content: Path, url: str, lang: str = "fr") -> None:
    import yaml

    path = content / "questions" / f"{QUESTION}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(link for link in data["translations"][lang]["links"] if link.get("qr"))["url"] = url
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def qr_findings(report):
    return [f for f in report.findings if f.rule == "qr-length"]


def test_the_bounds_come_from_the_smallest_qr_codes_kit_prints():
    from kit.layouts import LayoutRegistry
    from kit.resources import layouts_dir

    sizes: dict[str, list[float]] = {}
    for layout in LayoutRegistry.load([layouts_dir()]):
        if layout.pdf and layout.pdf.qr_mm:
            qr = layout.pdf.qr_mm
            kind = "question" if layout.context in ("question", "falc-question") else "campaign"
            sizes.setdefault(kind, []).extend(qr.values() if isinstance(qr, dict) else [qr])
    # The bounds are those of a code held in the hand at its smallest: never looser than kit's smallest codes
    # (posters print bigger ones, read from further away: the simulated phone of test_posters reads them).
    assert min(sizes["question"]) >= QR_QUESTION_MM
    assert min(sizes["campaign"]) >= QR_CAMPAIGN_MM
    # 0.4 mm modules at error correction M: version 15 (77 modules) at 32 mm, version 9 (53) at 22 mm, less the
    # tracking code (?p=xxxxxx) a pack may add.
    assert max_link_chars(QR_QUESTION_MM) == 412 - 9
    assert max_link_chars(QR_CAMPAIGN_MM) == 180 - 9


@pytest.mark.parametrize("chars", [2400, 2200, 500])
def test_kit_check_refuses_a_question_link_too_long_for_its_qr_code(content_copy, chars):
    set_qr_link(content_copy, long_url(chars))
    findings = qr_findings(check_content(content_copy))
    assert len(findings) == 1, findings
    (finding,) = findings
    assert (finding.severity, finding.question, finding.lang) == ("error", QUESTION, "fr")
    assert finding.file.endswith(f"{QUESTION}.yaml") and finding.line
    assert (
        f"{chars:,} characters" in finding.message
        and f"{max_link_chars(QR_QUESTION_MM):,}" in finding.message
    )
    assert f"question '{QUESTION}'" in finding.message and "(fr)" in finding.message, finding.message


def test_a_link_that_fits_passes(content_copy):
    set_qr_link(content_copy, long_url(max_link_chars(QR_QUESTION_MM)))
    assert qr_findings(check_content(content_copy)) == []


def test_the_summary_link_is_held_to_the_smallest_qr_code(content_copy):
    import yaml

    path = content_copy / "shared.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(link for link in data["summary"]["en"]["links"] if link.get("qr"))["url"] = long_url(200)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (finding,) = qr_findings(check_content(content_copy))
    assert finding.lang == "en" and "22 mm" in finding.message and "200 characters" in finding.message


def test_build_refuses_it_as_content_not_a_crash(content_copy, tmp_path, run_kit):
    set_qr_link(content_copy, long_url(2400))
    result = run_kit(
        "poster", QUESTION, "--lang", "fr", "--content", content_copy, "--out", "p.pdf", cwd=tmp_path
    )
    assert result.returncode == 3, result.stderr
    assert "qr-length" in result.stderr and "nexpected" not in result.stderr


def test_without_the_check_the_poster_says_which_link(content_copy, tmp_path, run_kit):
    set_qr_link(content_copy, long_url(2400))
    result = run_kit(
        "poster",
        QUESTION,
        "--lang",
        "fr",
        "--content",
        content_copy,
        "--no-check",
        "--out",
        "p.pdf",
        cwd=tmp_path,
    )
    assert result.returncode == 5, result.stderr
    assert "nexpected" not in result.stderr and "Invalid version" not in result.stderr, result.stderr
    assert "2,400 characters" in result.stderr and "QR code" in result.stderr, result.stderr
    assert "'short'" not in result.stderr, "the long link is not blamed on the short answer"


def test_a_user_layout_with_a_tiny_qr_code(tmp_path):
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "poster.layout.yaml").write_text(
        "name: poster\npdf:\n  distance_m: null\n  qr_mm: {A4: 8, A3: 52, A2: 72}\n", encoding="utf-8"
    )
    project = kit.load_project(layouts=(folder,), check=False)
    with pytest.raises(kit.FitError) as info:
        kit.build_poster(project, QUESTION, lang="fr", out_file=tmp_path / "p.pdf")
    message = str(info.value)
    assert "8 mm" in message and "qr_mm" in message and QUESTION in message, message


@pytest.mark.parametrize(
    "toml, field",
    [
        ('[qr.targets]\nwrong-hands = "{url}"\n', "qr.targets.wrong-hands"),
        ('[qr]\nbase_url = "{url}"\n', "qr.base_url"),
        ('[build]\nfeedback_url = "{url}"\n', "build.feedback_url"),
        ('[site]\nbase_url = "{url}"\n', "site.base_url"),
    ],
)
def test_kit_toml_addresses_too_long_for_a_qr_code(tmp_path, toml, field):
    from kit.config import load_config

    (tmp_path / "kit.toml").write_text(toml.replace("{url}", long_url(900)), encoding="utf-8")
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    (problem,) = info.value.problems
    assert problem.field == field and problem.line == 2 and "QR code" in problem.message, problem
