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
    """Issue 29.15: a --lang of 100 KB was echoed whole. The message shows its start and its length."""
    result = run_kit("build", option, "zz" * 50_000, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[:500]
    assert len(result.stderr) < 3000, len(result.stderr)
    assert "characters)" in result.stderr and "z" * 81 not in result.stderr
