"""Issue 29 (hardening round 3), the points that have no other file: a Ctrl-C more while an interrupted run ends,
the site's address, e-mail fields, kit.toml sizes, content files that lead out, dates long past, option values."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import kit


def test_a_ctrl_c_while_an_interrupted_run_ends_stops_at_once():
    """Issue 29.3: after the first Ctrl-C the run ends cleanly (the pool ends, the lock is given back, the
    interruption is reported); a second one in that time raised a KeyboardInterrupt inside whatever was running
    (a traceback, "release unlocked lock", exit 70). It ends the process at once, with 130."""
    script = textwrap.dedent(
        """
        import os, signal
        from kit.pack.pool import Interrupts

        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            with Interrupts(lambda: None):
                os.kill(os.getpid(), signal.SIGINT)
        except KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGINT)  # while the lock is given back, the message printed...
            print("went on")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 130, result.stderr
    assert "went on" not in result.stdout and "Traceback" not in result.stderr
    assert "Stopped at once" in result.stderr


# --- 29.4: the site's address is a clean base ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ("https://a.example.fr/donnees?utm=1", "a query ('?utm=1')"),
        ("https://a.example.fr/donnees/#top", "a fragment ('#top')"),
        ("https://a.example.fr/x/../../autre/", "dot segments"),
        ("https://a.example.fr/x/%2e%2e/autre/", "dot segments"),
        ("https://a.example.fr/x//autre/", "an empty folder"),
    ],
)
def test_a_site_address_that_is_not_a_clean_base_is_refused_in_kit_toml(tmp_path, base, said):
    """Issue 29.4: `…?utm=1` gave every page the address `…?utm=1/fr/…`, `…/#top` sent every QR code to the site's
    root, `/x/../../autre/` was printed as given. kit.toml names the key, its line and what to take out."""
    (tmp_path / "kit.toml").write_text(f'[organisation]\nname = "Asso"\n\n[site]\nbase_url = "{base}"\n')
    with pytest.raises(kit.ConfigError) as caught:
        kit.load_config(tmp_path / "kit.toml")
    problem = caught.value.problems[0]
    assert problem.field == "site.base_url" and problem.line == 5, problem
    assert said in problem.message and "write it like https://a.example.fr/" in problem.message, problem


def test_a_clean_site_address_is_accepted(tmp_path):
    (tmp_path / "kit.toml").write_text('[site]\nbase_url = "https://a.example.fr/sante/donnees"\n')
    assert kit.load_config(tmp_path / "kit.toml").data.site.base_url == "https://a.example.fr/sante/donnees"


def test_a_base_url_option_that_is_not_a_clean_base_is_refused(tmp_path, run_kit):
    """Issue 29.4: --base-url is checked as kit.toml's is."""
    result = run_kit(
        "site", "--out", tmp_path / "www", "--base-url", "https://a.example.fr/d/?utm=1", cwd=tmp_path
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--base-url https://a.example.fr/d/?utm=1: " in result.stderr
    assert "a query ('?utm=1')" in result.stderr and "https://a.example.fr/d/" in result.stderr
    assert not (tmp_path / "www").exists()


# --- 29.15: a huge option value is cut ----------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--lang", "--format", "--level", "--venue", "--channels"])
def test_a_huge_option_value_is_cut_in_the_message(tmp_path, run_kit, option):
    """Issue 29.15: a --lang of 100 KB was echoed whole. kit's message shows its start and its length."""
    result = run_kit("build", option, "zz" * 1_500, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[:500]
    assert len(result.stderr) < 3000, len(result.stderr)
    assert "characters)" in result.stderr and "z" * 81 not in result.stderr


# --- 29.5 and 29.6: what reaches an e-mail's headers and links ----------------------------------------------


def _config_problems(tmp_path, toml: str) -> list:
    (tmp_path / "kit.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(kit.ConfigError) as caught:
        kit.load_config(tmp_path / "kit.toml")
    assert "Traceback" not in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "http://x.example.fr/stop", "UNSUB"],
)
def test_an_unsubscribe_link_that_is_not_an_address_or_a_merge_tag_is_refused(tmp_path, value):
    """Issue 29.5: [email] unsubscribe became an active javascript: link in every reader's newsletter."""
    (problem,) = _config_problems(tmp_path, f'[email]\nunsubscribe = "{value}"\n')
    assert problem.field == "email.unsubscribe" and problem.line == 2, problem
    assert "https://" in problem.message and "mailto:" in problem.message and "*|UNSUB|*" in problem.message


@pytest.mark.parametrize(
    "value",
    [
        "*|UNSUB|*",
        "{{ unsubscribe }}",
        "[[UNSUB_LINK_FR]]",
        "<%asm_group_unsubscribe_raw_url%>",
        "https://lettre.exemple.fr/desabonnement",
        "mailto:lettre@exemple.fr?subject=D%C3%A9sabonnement",
    ],
)
def test_unsubscribe_addresses_and_merge_tags_are_accepted(tmp_path, value):
    (tmp_path / "kit.toml").write_text(f'[email]\nunsubscribe = "{value}"\n', encoding="utf-8")
    assert kit.load_config(tmp_path / "kit.toml").data.email.unsubscribe == value


def test_header_fields_of_kit_toml_are_checked_when_loaded_all_at_once(tmp_path):
    """Issue 29.6: an organisation name with CR/LF, a sender 'a@b.fr, victim@…', 'x@y@z.fr', 'é@exemple.fr' were
    exit 70 when the newsletter was made; 'no-at-sign' was written as an invalid From. kit.toml names each."""
    problems = _config_problems(
        tmp_path,
        '[organisation]\nname = "Asso\\r\\nBcc: victim@exemple.fr"\n\n[contact]\nemail = "x@y@z.fr"\n',
    )
    by_field = {problem.field: problem for problem in problems}
    assert set(by_field) == {"organisation.name", "contact.email"}, problems
    assert by_field["organisation.name"].line == 2 and "one line" in by_field["organisation.name"].message
    assert by_field["contact.email"].line == 5 and "exactly one @" in by_field["contact.email"].message


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("a@exemple.fr, victim@exemple.com", "one address only"),
        ("x@y@z.fr", "exactly one @"),
        ("é@exemple.fr", "(é)"),
        ("no-at-sign", "exactly one @"),
        ("contact@exemple", "not written as an address"),
    ],
)
def test_a_sender_that_is_not_one_address_is_refused(tmp_path, address, said):
    (problem,) = _config_problems(tmp_path, f'[contact]\nemail = "{address}"\n')
    assert problem.field == "contact.email" and said in problem.message, problem
    assert "contact@exemple.fr" in problem.message


def test_a_newsletter_subject_on_two_lines_is_refused_naming_the_content_file(
    content_copy, run_kit, tmp_path
):
    """Issue 29.6: a content subject with a line break reached the mail library (exit 70)."""
    shared = content_copy / "shared.yaml"
    text = shared.read_text(encoding="utf-8")
    old = 'newsletter_subject: "Vos données de santé et la recherche : 4 questions"'
    assert old in text
    shared.write_text(
        text.replace(old, 'newsletter_subject: "Vos données\\r\\nBcc: victim@exemple.fr"'), "utf-8"
    )
    with pytest.raises(kit.ContentError) as caught:
        kit.load_content(content_copy)
    (problem,) = [p for p in caught.value.problems if "newsletter_subject" in (p.field or "")]
    assert problem.file.endswith("shared.yaml") and problem.line and "one line" in problem.message
    result = run_kit(
        "build", "--channels", "email", "--lang", "fr", "--content", content_copy, "--out", tmp_path / "o"
    )
    assert result.returncode not in (0, 70) and "Traceback" not in result.stderr, result.stderr
    assert "newsletter_subject" in result.stderr


# --- 29.7: one command's folder is not another's ----------------------------------------------------------------

MANIFESTS = {
    "kit build": {"kit_version": "0", "content_version": "1", "documents": []},
    "kit site": {"generator": "kit site", "kit_version": "0", "files": ["index.html", "manifest.json"]},
    "kit pack": {"kit_version": "0", "content_version": "1", "events": []},
}


@pytest.mark.parametrize(
    ("other", "command"),
    [
        ("kit build", ["site"]),
        ("kit site", ["build", "--lang", "fr", "--format", "A4", "--level", "standard"]),
        ("kit build", ["pack", "EVENTS", "--jobs", "1"]),
        ("kit pack", ["site"]),
    ],
)
def test_a_command_refuses_the_folder_another_command_wrote(tmp_path, run_kit, other, command):
    """Issue 29.7: `kit site` into a `kit build` folder silently replaced its catalogue and manifest (and the
    build no longer knew its documents). Every command that writes a folder refuses another's: exit 7, naming
    the other command and its files, nothing changed."""
    import json

    out = tmp_path / "out"
    out.mkdir()
    manifest = json.dumps(MANIFESTS[other])
    (out / "manifest.json").write_text(manifest, encoding="utf-8")
    (out / "index.html").write_text("<p>catalogue</p>", encoding="utf-8")
    (out / ".kit-written").write_text("manifest.json\nindex.html\n", encoding="utf-8")
    events = tmp_path / "e.csv"
    events.write_text(
        "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;langues;falc;exemplaires\n"
        "poste-1;La Poste;Bureau de poste;3 place des Terreaux;69001;Lyon;2026-03-12;;;fr;oui;20\n",
        encoding="utf-8",
    )
    args = [events if arg == "EVENTS" else arg for arg in command]
    result = run_kit(*args, "--out", out, cwd=tmp_path)
    assert result.returncode == 7, result.stdout + result.stderr
    assert f"holds what {other} wrote there" in result.stderr and "manifest.json" in result.stderr
    assert "--out" in result.stderr
    assert (out / "manifest.json").read_text(encoding="utf-8") == manifest
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>catalogue</p>"


# --- 29.8: kit.toml has bounds ---------------------------------------------------------------------------


def test_a_huge_footer_is_refused_naming_its_key(tmp_path):
    """Issue 29.8: a 2 MB footer gave no answer after 120 s. A text of kit.toml has at most 2,000 characters;
    the key and its line are named, with every other problem of the file."""
    footer = "Mentions légales " * 200
    problems = _config_problems(
        tmp_path, f'[organisation]\nname = "Asso"\nfooter = "{footer}"\n\n[contact]\nemail = "no-at-sign"\n'
    )
    by_field = {problem.field: problem for problem in problems}
    assert set(by_field) == {"organisation.footer", "contact.email"}, problems
    assert by_field["organisation.footer"].line == 3
    assert f"{len(footer):,} characters" in by_field["organisation.footer"].message
    assert "at most 2,000" in by_field["organisation.footer"].message


def test_a_kit_toml_of_megabytes_is_refused_at_once(tmp_path):
    import time

    (tmp_path / "kit.toml").write_text(
        '[organisation]\nfooter = "' + "x" * 2_000_000 + '"\n', encoding="utf-8"
    )
    started = time.monotonic()
    with pytest.raises(kit.ConfigError) as caught:
        kit.load_config(tmp_path / "kit.toml")
    assert time.monotonic() - started < 2
    assert "2,000,0" in str(caught.value) and "at most 200,000 bytes" in str(caught.value)


def test_an_array_nested_thousands_deep_is_a_config_error(tmp_path, run_kit):
    """Issue 29.8: an array nested 5,000 deep was exit 70 (RecursionError)."""
    (tmp_path / "kit.toml").write_text(
        "[build]\nlanguages = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8"
    )
    result = run_kit("check", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert (
        "nested too deep" in result.stderr
        and "kit.toml" in result.stderr
        and "Traceback" not in result.stderr
    )


# --- 29.13: a footer that does not fit is named ---------------------------------------------------------------


def test_a_footer_that_does_not_fit_is_named_not_the_question(tmp_path, run_kit):
    """Issue 29.13: a kit.toml footer too long for the poster's foot was blamed on the question's texts (exit 5,
    'shorten the wall sentences or the hook'), which kit check passes. The footer is named, with its length."""
    footer = "Mentions légales de l'association, siège social et numéro SIRET. " * 25
    (tmp_path / "kit.toml").write_text(
        f'[organisation]\nname = "Asso"\nfooter = "{footer}"\n', encoding="utf-8"
    )
    result = run_kit("poster", "why-use-data", "--lang", "fr", "--out", tmp_path / "p.pdf", cwd=tmp_path)
    assert result.returncode == 5, result.stdout + result.stderr
    assert "kit.toml's [organisation] footer" in result.stderr, result.stderr
    assert f"({len(footer.strip()):,} characters)" in result.stderr
    assert "wall" not in result.stderr and not (tmp_path / "p.pdf").exists()


# --- 29.10: content files that lead out of the content folder ----------------------------------------------


def test_a_content_file_that_is_a_link_out_of_the_content_folder_is_refused(content_copy, tmp_path):
    """Issue 29.10: a content file that was a link to a file elsewhere was read (its text printed), while the
    logo refuses the same. It is refused, naming the file and where it leads; a link inside the folder is fine."""
    import shutil

    question = sorted((content_copy / "questions").glob("*.yaml"))[0]
    elsewhere = tmp_path / "elsewhere" / question.name
    elsewhere.parent.mkdir()
    shutil.move(question, elsewhere)
    question.symlink_to(elsewhere)
    with pytest.raises(kit.ContentError) as caught:
        kit.load_content(content_copy)
    (problem,) = [p for p in caught.value.problems if "outside the folder" in p.message]
    assert problem.file == str(question) and str(elsewhere) in problem.message

    inside = content_copy / "kept" / question.name
    inside.parent.mkdir()
    question.unlink()
    shutil.move(elsewhere, inside)
    question.symlink_to(inside)
    kit.load_content(content_copy)  # a link that stays inside the content folder is read


def test_a_linked_content_folder_leading_out_is_refused(content_copy, tmp_path):
    import shutil

    outside = tmp_path / "questions-elsewhere"
    shutil.move(content_copy / "questions", outside)
    (content_copy / "questions").symlink_to(outside, target_is_directory=True)
    with pytest.raises(kit.ContentError) as caught:
        kit.load_content(content_copy)
    assert any("outside the folder" in p.message for p in caught.value.problems)


# --- 29.16: dates long past ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "year"), [("1899-12-31", 1899), ("31/12/1899", 1899), ("12/03/1926", 1926)]
)
def test_an_event_date_long_past_is_refused_naming_row_and_column(written, year):
    """Issue 29.16: 1899-12-31 (Excel's zero date, or a typo) was built and printed "31 décembre 1899" while year
    10000 was refused."""
    cells = {"venue_type": "La Poste", "venue_name": "Bureau", "date": written, "languages": "fr"}
    result = kit.validate_row(cells, row=7, headers={"date": "Date"})
    assert result.event is None
    (problem,) = [p for p in result.problems if p.field == "date"]
    assert problem.code == "implausible-date" and problem.row == 7 and problem.column == "Date"
    assert f"is in {year}" in problem.message and "between 2000 and 2100" in problem.message
    assert ("Excel" in problem.message) == (year == 1899)


def test_an_event_date_of_this_century_is_accepted():
    cells = {"venue_type": "La Poste", "venue_name": "Bureau", "date": "2026-03-12", "languages": "fr"}
    assert kit.validate_row(cells).event is not None


# --- 29.9: characters no font draws ---------------------------------------------------------------------------

DEVANAGARI, ETHIOPIC, KHMER = "स्वास्थ्य डेटा", "የጤና መረጃ", "ទិន្នន័យសុខភាព"


def _fonts_here_lack(text: str) -> bool:
    from kit.fonts import missing_glyphs

    tofu, sure = missing_glyphs(text)
    return bool(tofu) and sure


def test_kit_check_names_a_text_whose_characters_no_font_draws(content_copy, run_kit):
    """Issue 29.9: Devanagari, Ethiopic or Khmer text in the content printed as empty boxes with exit 0, and kit
    check said nothing. It says which text (file, line, field), which characters, and a font that has them."""
    if not _fonts_here_lack(DEVANAGARI):
        pytest.skip("this computer has a font that draws Devanagari")
    question = content_copy / "questions" / "know-before-me.yaml"
    text = question.read_text(encoding="utf-8")
    old = 'hook: "Repérer un risque plus tôt, pour mieux vous soigner."'
    question.write_text(text.replace(old, f'hook: "Repérer un risque plus tôt : {DEVANAGARI}."'), "utf-8")
    result = run_kit("check", "--content", content_copy, "--json")
    import json

    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "missing-glyph"]
    assert result.returncode != 0 and len(findings) == 1, result.stdout[-2000:]
    finding = findings[0]
    assert finding["severity"] == "error" and finding["file"].endswith("know-before-me.yaml"), finding
    assert finding["line"] == 11 and "hook" in finding["field"], finding
    assert "स U+0938" in finding["message"] and "Noto Sans Devanagari" in finding["message"], finding


def test_a_kit_toml_text_no_font_draws_is_refused_naming_its_key(tmp_path):
    if not _fonts_here_lack(KHMER):
        pytest.skip("this computer has a font that draws Khmer")
    (problem,) = _config_problems(
        tmp_path, f'[organisation]\nname = "Asso"\n\n[organisation.footer]\nfr = "{KHMER}"\n'
    )
    assert problem.field == "organisation.footer.fr" and "Noto Sans Khmer" in problem.message, problem


def test_an_event_row_no_font_draws_is_a_problem_of_its_column():
    if not _fonts_here_lack(ETHIOPIC):
        pytest.skip("this computer has a font that draws Ethiopic")
    cells = {"venue_type": "La Poste", "venue_name": ETHIOPIC, "date": "2026-03-12", "languages": "fr"}
    result = kit.validate_row(cells, row=4, headers={"venue_name": "nom_du_lieu"})
    (problem,) = [p for p in result.problems if p.code == "missing-glyph"]
    assert problem.column == "nom_du_lieu" and problem.row == 4 and "Noto Sans Ethiopic" in problem.message
    assert result.event is None


def test_a_document_printing_characters_no_font_draws_says_so_at_render(content_copy, run_kit, tmp_path):
    """Issue 29.9, at render: with --no-check (or a template's own words), the document still says which
    characters print as empty boxes and a font that has them."""
    if not _fonts_here_lack(DEVANAGARI):
        pytest.skip("this computer has a font that draws Devanagari")
    question = content_copy / "questions" / "know-before-me.yaml"
    text = question.read_text(encoding="utf-8")
    old = 'hook: "Repérer un risque plus tôt, pour mieux vous soigner."'
    question.write_text(text.replace(old, f'hook: "Repérer un risque plus tôt : {DEVANAGARI}."'), "utf-8")
    out = tmp_path / "p.pdf"
    result = run_kit(
        "poster", "know-before-me", "--lang", "fr", "--content", content_copy, "--no-check", "--out", out
    )
    assert "as empty boxes" in result.stderr and "Noto Sans Devanagari" in result.stderr, result.stderr
    assert "poster 'know-before-me'" in result.stderr


@pytest.mark.parametrize(
    "args", [["Z" * 100_000], ["build", "--" + "z" * 100_000], ["pack", "e.csv", "--jobs", "9" * 50_000]]
)
def test_a_huge_argument_is_not_echoed_whole_by_the_command_line(tmp_path, run_kit, args):
    """Issue 29.15, the command line's own messages: an unknown command or option of 100 KB was printed whole."""
    result = run_kit(*args, cwd=tmp_path)
    assert result.returncode == 2 and len(result.stderr) < 1000, len(result.stderr)
    assert "characters" in result.stderr and "Traceback" not in result.stderr
