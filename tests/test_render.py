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
        kit.build_poster(
            kit.load_project(content=content_copy),
            "wrong-hands",
            lang="fr",
            format="A4",
            out_file=tmp_path / "p.pdf",
        )
    assert not (tmp_path / "p.pdf").exists()


def test_overlong_answer_is_an_error_naming_it_and_no_pdf(content_copy, edit_file, tmp_path):
    path = content_copy / "questions" / "wrong-hands.yaml"
    long_text = " ".join(["Une phrase beaucoup trop longue pour tenir sur une affiche."] * 60)
    text = path.read_text(encoding="utf-8")
    # The wall poster prints the question's wall sentences.
    start = text.index("    wall: ", text.index("  fr:"))
    end = text.index("\n", start) + 1
    path.write_text(text[:start] + f'    wall: "{long_text}"\n' + text[end:], encoding="utf-8")
    target = tmp_path / "poster.pdf"
    with pytest.raises(kit.FitError) as info:
        kit.build_poster(
            kit.load_project(content=content_copy, check=False),
            "wrong-hands",
            lang="fr",
            format="A4",
            out_file=target,
        )
    message = str(info.value)
    assert "wrong-hands" in message and "(fr, A4)" in message and "poster" in message
    assert not target.exists()


def test_overflow_in_a_fixed_box_is_found():
    layouts = Layouts()
    renderer = Renderer(layouts)
    html = (
        '<html lang="en"><body><div data-fit="panel" style="height: 20mm; width: 50mm">'
        + "<p>word</p>" * 40
        + "</div></body></html>"
    )
    rendered = renderer.render(html, [])
    with pytest.raises(kit.FitError, match="'panel'"):
        from kit.render import check_fit

        check_fit(rendered, 1, "The test panel", "Shorten it.")


def test_text_that_fits_passes():
    from kit.render import check_fit

    renderer = Renderer(Layouts())
    rendered = renderer.render(
        '<html><body><div data-fit="panel" style="height: 50mm"><p>short</p></div></body></html>', []
    )
    check_fit(rendered, 1, "The test panel", "")


@pytest.mark.parametrize(
    "url", ["https://example.org/x.png", "http://127.0.0.1:9/x.png", "file:///etc/hostname"]
)
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
    html = (
        '<html><body><div style="position: relative; height: 100mm"><div data-fit="area" '
        'style="position: absolute; top: 0; left: 0; right: 0; bottom: 50mm">'
        + "<p>word</p>" * 40
        + "</div></div></body></html>"
    )
    (overflow,) = find_overflows(renderer.render(html, []))
    assert overflow.name == "area" and overflow.text == "word" and overflow.by_mm > 50


def test_text_dropped_past_the_page_foot_is_found():
    """WeasyPrint silently drops what an absolutely placed box holds past the foot of the page."""
    from kit.render import check_fit, find_missing_text

    renderer = Renderer(Layouts())
    html = (
        '<html><body><div style="position: relative; height: 270mm"><div data-fit="area" data-shorten="the lines" '
        'style="position: absolute; top: 200mm; left: 0; right: 0">'
        + "".join(f"<p>line {i}</p>" for i in range(40))
        + "</div></div></body></html>"
    )
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


# --- copyfit -------------------------------------------------------------------------------------


def _search(fill_at, low=12.0, high=26.0, first=None):
    """Run a FitSearch against a model area whose fill at a size is ``fill_at(size)`` (fits when <= 1)."""
    from kit.render import AreaFit, FitRange, FitSearch

    search = FitSearch(FitRange(low, high), first)
    sizes = []
    while not search.done:
        sizes.append(search.size)
        fill = fill_at(search.size)
        search.feed(AreaFit(fill <= 1, fill))
    return search, sizes


@pytest.mark.parametrize("fits_up_to", [12.6, 14.2, 17.3, 21.9, 25.4])
def test_copyfit_search_finds_the_largest_size_in_a_few_layouts(fits_up_to):
    """Text whose height grows as the square of its size: the search ends at the largest size that fits (or one
    whose area is 93 % full), in a few layouts."""
    search, sizes = _search(lambda s: (s / fits_up_to) ** 2)
    assert search.result <= fits_up_to
    assert (search.result / fits_up_to) ** 2 >= 0.93 or fits_up_to - search.result < 0.25
    assert len(sizes) <= 4, sizes


def test_copyfit_search_starting_at_the_usual_size_needs_one_layout():
    """A layout's declared first try (event documents: their usual size): text that fills the area there is
    done in one layout; text that does not fit there is still searched down to a size that fits."""
    search, sizes = _search(lambda s: (s / 18.1) ** 2, first=18.0)
    assert sizes == [18.0] and search.result == 18.0
    search, sizes = _search(lambda s: (s / 16.3) ** 2, first=18.0)
    assert sizes[0] == 18.0 and search.result <= 16.3 and (search.result / 16.3) ** 2 >= 0.93


def test_copyfit_search_grows_short_text_to_the_largest_size():
    search, sizes = _search(lambda s: (s / 40) ** 2)
    assert search.result == 26 and len(sizes) <= 3


def test_copyfit_search_below_the_smallest_size_ends_at_it():
    search, _ = _search(lambda s: (s / 9) ** 2)
    assert search.best is None and search.result == 12


def test_copyfit_search_survives_an_unmeasured_overflow():
    """A word too wide for its line gives no height to go by: the search halves its bracket."""
    from kit.render import AreaFit, FitRange, FitSearch

    search = FitSearch(FitRange(12, 26))
    while not search.done:
        search.feed(AreaFit(search.size <= 15, 0.5 if search.size <= 15 else None))
    assert 14.5 <= search.result <= 15


def test_copyfit_groups_and_sizes_in_the_html():
    from kit.render import copyfit_groups, set_fit_sizes

    html = (
        '<div class="flow" data-fit="poster text" data-copyfit="text"><p>a</p></div>'
        '<section data-fit="panel &#39;q1&#39;" data-copyfit="">b</section><p data-fit="other">c</p>'
    )
    assert copyfit_groups(html) == ["text", "panel 'q1'"]
    sized = set_fit_sizes(html, {"text": 17.25, "panel 'q1'": 11})
    assert 'data-copyfit="text" style="--fit: 17.25pt">' in sized
    assert 'data-copyfit="" style="--fit: 11pt">' in sized
    assert '<p data-fit="other">' in sized


def test_copyfit_sizes_are_remembered_by_text():
    """The same document met again (in a pack, in a rebuild) is laid out once, with the same result."""
    from kit.build import Builder
    from kit.plan import plan_poster

    project = kit.load_project()
    builder = Builder(project)
    doc = plan_poster(project, "without-consent", "fr", "A4", "standard", None)
    first, _ = builder.make(doc)
    channel = builder.channel("pdf")
    layouts = channel.layouts_done
    assert layouts >= 2  # a search: a few layouts
    again, _ = builder.make(doc)
    assert channel.layouts_done == layouts + 1 and again == first


def _size_of_word(pdf_path, word: str) -> float:
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        found = [w["size"] for w in pdf.pages[0].extract_words(extra_attrs=["size"]) if w["text"] == word]
    assert found, word
    return found[-1]


def test_short_text_grows_and_long_text_shrinks(tmp_path, content_copy, open_pdf):
    """Copyfit sets short wall sentences larger than long ones, both filling the page."""
    import yaml

    sizes = {}
    for words in (12, 40):
        path = content_copy / "questions" / "wrong-hands.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = data["translations"]["fr"]["detail"].split()
        data["translations"]["fr"]["wall"] = " ".join((source * 3)[:words]).rstrip(".,;:") + "."
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        target, _ = kit.build_poster(
            kit.load_project(content=content_copy, check=False),
            "wrong-hands",
            lang="fr",
            format="A4",
            out_file=tmp_path / f"{words}.pdf",
        )
        pdf = open_pdf(target)
        last = data["translations"]["fr"]["wall"].split()[-1]
        sizes[words] = _size_of_word(target, last)  # the wall sentences' size, read from their last word
        assert pdf.empty_band(0) <= 0.12
    assert sizes[12] >= sizes[40] + 1


def test_falc_sentences_never_go_under_24_pt(content_copy, tmp_path):
    """An Easy-to-Read poster too full at 24 pt (its first ideas too long) is a fit error naming its area, never
    smaller sentences nor a clipped text."""
    import yaml

    path = content_copy / "questions" / "wrong-hands.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = data["translations"]["fr"]["falc"][0]
    data["translations"]["fr"]["falc"] = [
        dict(item, text=" ".join(["Vos données de santé sont utiles pour soigner tout le monde."] * 3))
        for _ in range(9)
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(kit.FitError, match="FALC poster text"):
        kit.build_poster(
            kit.load_project(content=content_copy, check=False),
            "wrong-hands",
            lang="fr",
            format="A4",
            level="falc",
            out_file=tmp_path / "f.pdf",
        )
    assert not (tmp_path / "f.pdf").exists()


def test_inline_pictures_do_not_pile_up_in_the_image_cache():
    """A tracked pack draws a new QR code per event: the renderer keeps a bounded number of inline pictures (it
    kept every one, about 0.4 MB per event in each worker), while files stay cached."""
    from kit.qr import make_qr
    from kit.render import ImageCache
    from kit.resources import assets_dir

    renderer = Renderer(Layouts())
    picto = next((assets_dir() / "pictograms").glob("*.svg")).as_uri()
    for n in range(ImageCache.DATA_LIMIT + 40):
        qr = make_qr(f"https://example.org/?p={n:06d}").data_uri
        rendered = renderer.render(
            f'<p><img src="{qr}" style="width: 20mm"><img src="{picto}" style="width: 5mm"></p>', []
        )
        assert rendered.pages == 1
    inline = [key for key in renderer.cache if isinstance(key, str) and key.startswith("data:")]
    assert len(inline) == ImageCache.DATA_LIMIT
    assert (
        make_qr(f"https://example.org/?p={ImageCache.DATA_LIMIT + 39:06d}").data_uri in inline
    )  # the newest kept
    assert picto in renderer.cache


def test_copyfit_tries_leave_out_copies_of_the_same_text():
    from kit.render import without_copies

    html = (
        '<main><section class="a" data-copy="1"><p>one</p></section>\n'
        '<section class="a" data-copy="2"><p>one</p></section>\n<section data-copy="3"><p>one</p></section>'
        '<section data-copy="4"><p>two</p></section><section class="other"><p>kept</p></section></main>'
    )
    assert without_copies(html) == (
        '<main><section class="a" data-copy="1"><p>one</p></section>\n'
        '<section data-copy="4"><p>two</p></section>'
        '<section class="other"><p>kept</p></section></main>'
    )
    assert without_copies("<p>no copies</p>") == "<p>no copies</p>"


COPIES = """<html lang="fr"><head><style>@page {{ size: A4; margin: 0 }} .c {{ position: absolute; width: 80mm;
height: {height}; padding: 5mm; border: 0.3mm dashed #888 }} .c1 {{ top: 0; left: 0 }} .c2 {{ top: 0; left: 100mm }}
.c3 {{ top: 150mm; left: 0 }} .foot {{ position: absolute; bottom: 5mm; left: 5mm; display: table }}
.foot span {{ display: table-cell }} {extra}</style></head><body>
{sections}</body></html>"""


def copies_html(height: str = "120mm", extra: str = "") -> str:
    section = (
        '<section class="c c{n}" data-copy="{n}"><h1>Invitation</h1><p>Venez le <b>12 mars</b> à la '
        '<a href="https://example.org/x">médiathèque</a>.</p><p class="foot"><span>A</span><span>'
        "https://example.org/x</span></p></section>\n"
    )
    return COPIES.format(height=height, extra=extra, sections="".join(section.format(n=n) for n in (1, 2, 3)))


def test_copies_of_one_text_are_laid_out_once_and_give_the_same_bytes(monkeypatch, open_pdf, tmp_path):
    """Sections marked data-copy above 1 are left empty for WeasyPrint and filled with the first's boxes moved
    to their places: the PDF is the same, byte for byte, as laying out every copy."""
    from kit import render

    renderer = Renderer(Layouts())
    laid_out: list[str] = []
    original = Renderer._layout
    monkeypatch.setattr(
        Renderer, "_layout", lambda self, html, *a: laid_out.append(html) or original(self, html, *a)
    )
    fast = renderer.render(copies_html(), [])
    assert [html.count("<h1>") for html in laid_out] == [1]
    monkeypatch.setattr(render, "fill_copies", lambda document: False)
    slow = renderer.render(copies_html(), [])
    assert [html.count("<h1>") for html in laid_out] == [1, 1, 3]  # refused: emptied copies, then all of them
    a = renderer.write_pdf(fast, identifier="x")
    assert a == renderer.write_pdf(slow, identifier="x")
    path = tmp_path / "copies.pdf"
    path.write_bytes(a)
    pdf = open_pdf(path)
    assert pdf.text(0).count("Invitation") == 3 and pdf.text(0).count("https://example.org/x") == 3
    links = [a for a in pdf.reader.pages[0]["/Annots"]]
    assert len(links) == 3  # each copy's link is where it is printed


@pytest.mark.parametrize("height, extra", [("auto", ""), ("120mm", ".c p { background: #eee }")])
def test_copies_that_are_not_twins_are_laid_out_one_by_one(height, extra, monkeypatch, tmp_path, open_pdf):
    """A copy of another height than the first (height: auto, so an emptied one is shorter), or holding boxes
    painted with a background placed where the first copy is, is laid out like any other text."""
    from kit import render

    renderer = Renderer(Layouts())
    refused: list[bool] = []
    original = render.fill_copies
    monkeypatch.setattr(
        render, "fill_copies", lambda document: refused.append(not original(document)) or not refused[-1]
    )
    rendered = renderer.render(copies_html(height, extra), [])
    assert refused == [True]
    path = tmp_path / "copies.pdf"
    path.write_bytes(renderer.write_pdf(rendered, identifier="x"))
    assert open_pdf(path).text(0).count("Invitation") == 3


def test_emptied_copies_keep_their_own_tag():
    from kit.render import emptied_copies

    html = (
        '<main><section class="a" data-copy="1"><p>one</p></section>\n'
        '<section class="a b" data-copy="2" data-fit="x 2"><p>one</p></section>\n<p>kept</p></main>'
    )
    assert emptied_copies(html) == (
        '<main><section class="a" data-copy="1"><p>one</p></section>\n'
        '<section class="a b" data-copy="2" data-fit="x 2" data-copy-emptied></section>\n'
        "<p>kept</p></main>"
    )


def test_a_copy_with_other_words_is_no_copy(tmp_path, open_pdf):
    """A template that marks a section with other words as a copy (a translation, say) gets those words
    printed: only sections whose content is the first's, as written, are copied."""
    from kit.render import emptied_copies, without_copies

    html = copies_html().replace(
        'data-copy="3"><h1>Invitation</h1>', 'data-copy="3"><h1>Invitation card</h1>'
    )
    assert emptied_copies(html).count("<h1>") == 2 and without_copies(html).count("<h1>") == 2
    renderer = Renderer(Layouts())
    path = tmp_path / "copies.pdf"
    path.write_bytes(renderer.write_pdf(renderer.render(html, []), identifier="x"))
    text = open_pdf(path).text(0)
    assert text.count("Invitation card") == 1 and text.count("Invitation") == 3


@pytest.mark.parametrize(
    "extra",
    [
        ".c::after { content: ''; display: block }",  # the emptied copy is not empty
        ".c { display: flex; flex-direction: column }",  # another kind of box
        ".c3 { color: blue }",  # another inherited style
        "body { counter-reset: n } .c { counter-increment: n } .c h1::before { content: counter(n) '. ' }",
        ".c p { position: fixed; bottom: 10mm; right: 10mm }",  # placed on the page, not in the copy
        ".c { position: static; float: left } .c .foot { position: absolute }",  # placed outside the copy
    ],
)
def test_copies_that_cannot_be_moved_are_laid_out_and_give_the_same_bytes(extra, monkeypatch):
    """What fill_copies cannot copy faithfully it refuses, and the copies are laid out: the same bytes."""
    from kit import render

    renderer = Renderer(Layouts())
    filled: list[bool] = []
    original = render.fill_copies
    monkeypatch.setattr(
        render, "fill_copies", lambda document: filled.append(original(document)) or filled[-1]
    )
    fast = renderer.write_pdf(renderer.render(copies_html(extra=extra), []), identifier="x")
    monkeypatch.setattr(render, "fill_copies", lambda document: False)
    assert filled == [False]
    assert fast == renderer.write_pdf(renderer.render(copies_html(extra=extra), []), identifier="x")
