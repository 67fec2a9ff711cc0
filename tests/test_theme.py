"""Theme colours: every text/background pair the layouts use reaches WCAG contrast (computed here)."""

from __future__ import annotations

import pytest

from kit.theme import DEFAULT_THEME, contrast, relative_luminance


def test_contrast_formula_on_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    assert relative_luminance("#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", [DEFAULT_THEME, DEFAULT_THEME.black_and_white()], ids=["colour", "bw"])
def test_every_pair_reaches_its_minimum(theme):
    for fg, bg, ratio, minimum in theme.contrast_report():
        assert ratio >= minimum, f"{fg} on {bg}: {ratio:.2f} < {minimum}"


def test_theme_css_has_every_colour():
    css = DEFAULT_THEME.css()
    for name, value in DEFAULT_THEME.colours().items():
        assert f"--{name.replace('_', '-')}: {value}" in css
