"""The WeasyPrint stage: overflow is an error (never clipped), files outside kit's folders are refused."""

from __future__ import annotations

import pytest

import kit
from kit.render import Renderer
from kit.templates import Layouts


def test_overlong_answer_is_refused_by_the_check_first(content_copy, tmp_path):
    path = content_copy / "questions" / "wrong-hands.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    short: >-\n", text.index("  fr:"))
    end = text.index("    detail:", start)
    path.write_text(text[:start] + '    short: "' + "mot " * 200 + '"\n' + text[end:], encoding="utf-8")
    with pytest.raises(kit.ContentError, match="kit check"):
        kit.build_poster(kit.load_project(content=content_copy), "wrong-hands", lang="fr", format="A4", out_file=tmp_path / "p.pdf")
    assert not (tmp_path / "p.pdf").exists()


def test_overlong_answer_is_an_error_naming_it_and_no_pdf(content_copy, edit_file, tmp_path):
    path = content_copy / "questions" / "wrong-hands.yaml"
    long_text = " ".join(["Une phrase beaucoup trop longue pour tenir sur une affiche."] * 60)
    text = path.read_text(encoding="utf-8")
    start = text.index("    short: >-\n", text.index("  fr:"))
    end = text.index("    detail:", start)
    path.write_text(text[:start] + f"    short: \"{long_text}\"\n" + text[end:], encoding="utf-8")
    target = tmp_path / "poster.pdf"
    with pytest.raises(kit.FitError) as info:
        kit.build_poster(kit.load_project(content=content_copy, check=False), "wrong-hands", lang="fr", format="A4", out_file=target)
    message = str(info.value)
    assert "wrong-hands" in message and "(fr, A4)" in message and "poster" in message
    assert "--format A3" in message
    assert not target.exists()


def test_overflow_in_a_fixed_box_is_found():
    layouts = Layouts()
    renderer = Renderer(layouts)
    html = ('<html lang="en"><body><div data-fit="panel" style="height: 20mm; width: 50mm">'
            + "<p>word</p>" * 40 + "</div></body></html>")
    rendered = renderer.render(html, [])
    with pytest.raises(kit.FitError, match="'panel'"):
        from kit.render import check_fit

        check_fit(rendered, 1, "The test panel", "Shorten it.")


def test_text_that_fits_passes():
    from kit.render import check_fit

    renderer = Renderer(Layouts())
    rendered = renderer.render('<html><body><div data-fit="panel" style="height: 50mm"><p>short</p></div></body></html>', [])
    check_fit(rendered, 1, "The test panel", "")


@pytest.mark.parametrize("url", ["https://example.org/x.png", "http://127.0.0.1:9/x.png", "file:///etc/hostname"])
def test_fetcher_refuses_network_and_foreign_files(url):
    renderer = Renderer(Layouts())
    html = f'<html><body><img src="{url}"></body></html>'
    with pytest.raises(kit.LayoutError, match="may not read"):
        renderer.render(html, [])


def test_fetcher_serves_kit_assets():
    from kit.resources import pictogram_path

    renderer = Renderer(Layouts())
    html = f'<html><body><img src="{pictogram_path("shield").as_uri()}" style="width: 1cm"></body></html>'
    rendered = renderer.render(html, [])
    assert rendered.pages == 1


def test_overflow_in_an_absolutely_placed_box_is_found():
    """Posters place their areas absolutely: the check must look behind WeasyPrint's placeholders."""
    from kit.render import find_overflows

    renderer = Renderer(Layouts())
    html = ('<html><body><div style="position: relative; height: 100mm"><div data-fit="area" '
            'style="position: absolute; top: 0; left: 0; right: 0; bottom: 50mm">'
            + "<p>word</p>" * 40 + "</div></div></body></html>")
    (overflow,) = find_overflows(renderer.render(html, []))
    assert overflow.name == "area" and overflow.text == "word" and overflow.by_mm > 50


def test_text_dropped_past_the_page_foot_is_found():
    """WeasyPrint silently drops what an absolutely placed box holds past the foot of the page."""
    from kit.render import check_fit, find_missing_text

    renderer = Renderer(Layouts())
    html = ('<html><body><div style="position: relative; height: 270mm"><div data-fit="area" data-shorten="the lines" '
            'style="position: absolute; top: 200mm; left: 0; right: 0">'
            + "".join(f"<p>line {i}</p>" for i in range(40)) + "</div></div></body></html>")
    rendered = renderer.render(html, [])
    assert rendered.pages == 1
    names = [name for name, _, _ in find_missing_text(rendered)]
    assert "area" in names
    with pytest.raises(kit.FitError, match="Shorten the lines"):
        check_fit(rendered, 1, "The test", "")


def test_nothing_missing_in_a_normal_page():
    from kit.render import find_missing_text

    renderer = Renderer(Layouts())
    html = '<html><body><div data-fit="area"><p>Un texte complet, avec <b>du gras</b> et une <a>ancre</a>.</p><ul><li>a</li></ul></div></body></html>'
    assert find_missing_text(renderer.render(html, [])) == []
