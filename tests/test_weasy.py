"""The contract with WeasyPrint (kit.weasy): what kit reads of its internals is there in the installed version, an
unknown kind of box stops the fit checks, only kit.weasy imports WeasyPrint or pydyf, the version is checked."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import kit
from kit import weasy
from kit.render import Renderer, check_fit, find_missing_text, fit_report
from kit.resources import package_dir
from kit.templates import Layouts

ROOT = Path(__file__).resolve().parent.parent

PAGE = """<html lang="en"><head><style>@page { size: 120mm 120mm; margin: 10mm }
  .area { position: relative; height: 60mm } .foot { position: absolute; bottom: 0; left: 0 }</style></head>
<body><div class="area" data-fit="text" data-copyfit="" style="--fit: 12pt; font-size: var(--fit)">
  <h1>A title</h1><p>Some words, then a picture.</p>
  <img alt="" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/%3E">
  <table><colgroup><col><col></colgroup><tr><td>one</td><td>two</td></tr></table>
  <p class="foot">placed at the foot</p>
</div></body></html>"""


@pytest.fixture(scope="module")
def rendered():
    return Renderer(Layouts()).render(PAGE, [])


def test_the_installed_weasyprint_is_supported_and_pinned_the_same():
    found = weasy.check_weasyprint()
    assert found.ok, found.message
    assert int(found.version.split(".")[0]) in weasy.SUPPORTED
    assert weasy.require_weasyprint() == found.version == weasy.weasyprint_version()
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    (pin,) = [p for p in pins if p.startswith("weasyprint")]
    low, high = (int(v) for v in re.fullmatch(r"weasyprint>=(\d+),<(\d+)", pin).groups())
    assert set(range(low, high)) == set(weasy.SUPPORTED)


def test_an_unsupported_version_says_what_to_do(monkeypatch):
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "71.0")
    found = weasy.check_weasyprint()
    assert not found.ok and found.version == "71.0"
    assert (
        "not one kit supports (70)" in found.message and "pip install 'weasyprint>=70,<71'" in found.message
    )
    with pytest.raises(kit.KitError, match="71.0"):
        weasy.require_weasyprint()
    from kit.doctor import diagnose

    (check,) = [c for c in diagnose() if c.name == "WeasyPrint"]
    assert not check.ok and check.required and "pip install" in check.detail


def test_the_box_classes_kit_knows_exist():
    boxes = weasy.box_types()
    for name in weasy.KNOWN_BOXES | {"ParentBox", "ReplacedBox", "BlockContainerBox"}:
        assert isinstance(getattr(boxes, name, None), type), name
    assert issubclass(boxes.BlockReplacedBox, boxes.ReplacedBox)
    assert issubclass(boxes.BlockBox, boxes.BlockContainerBox) and issubclass(boxes.BlockBox, boxes.ParentBox)
    assert not issubclass(boxes.LineBox, boxes.BlockBox)


def test_what_the_fit_checks_read_of_a_laid_out_tree(rendered):
    boxes = weasy.box_types()
    (page,) = rendered.document.pages
    root = weasy.page_box(page)
    assert type(root).__name__ == "PageBox"
    every = list(weasy.all_boxes(page))
    kinds = {type(box).__name__ for box in every}
    assert kinds <= weasy.KNOWN_BOXES
    assert {"TextBox", "BlockBox", "LineBox", "TableBox", "TableCellBox", "InlineReplacedBox"} <= kinds
    for box in every:  # geometry and the attributes the checks read
        for attribute in ("position_x", "position_y", "margin_top", "margin_left", "margin_right", "style"):
            assert hasattr(box, attribute), (type(box).__name__, attribute)
        assert box.margin_width() >= 0 and box.margin_height() >= 0
        if isinstance(box, boxes.BlockBox):
            assert isinstance(box.content_box_x(), float | int) and isinstance(box.width, float | int)
            assert hasattr(box, "element") and hasattr(box, "element_tag") and hasattr(box, "children")
    texts = [box.text for box in every if isinstance(box, boxes.TextBox)]
    assert "A title" in texts and "placed at the foot" in texts
    area = next(
        box for box in every if getattr(box, "element", None) is not None and box.element.get("data-fit")
    )
    assert area.style["position"] == "relative" and area.style["font_size"] > 0
    foot = next(b for b in every if isinstance(b, boxes.BlockBox) and b.style["position"] == "absolute")
    assert foot.style["top"] == "auto" and foot.style["bottom"] != "auto"  # reached through its placeholder
    table = next(box for box in every if isinstance(box, boxes.TableBox))
    assert weasy.column_groups(table) and isinstance(table.column_positions, list)
    assert "color" in weasy.inherited_properties() and "font_size" in weasy.inherited_properties()
    assert fit_report(rendered, 1)["text"].fits


def test_boxes_are_copied_and_a_page_made_again(rendered):
    """What the copies of an invitation's flyers rely on: copy, translate, set children, Page from a page box."""
    document = Renderer(Layouts()).render(PAGE, []).document
    (page,) = document.pages
    area = next(
        b
        for b in weasy.all_boxes(page)
        if getattr(b, "element", None) is not None and b.element.get("data-fit")
    )
    copied = [weasy.copy_box(child) for child in area.children]
    for child in copied:
        child.translate(0, 5)
    assert [type(a) for a in copied] == [type(b) for b in area.children]
    assert copied[0].position_y == area.children[0].position_y + 5
    weasy.set_children(area, copied)
    again = weasy.new_page(weasy.page_box(page))
    assert (again.width, again.height) == (page.width, page.height)
    document.pages[0] = again
    assert document.write_pdf().startswith(b"%PDF")


def test_pictures_drawn_by_kit_and_bleed_boxes(tmp_path):
    """QR slots replace a picture's drawing and add a form to the page's stream; BleedBoxes are set with pydyf."""
    from kit.channels.qrslot import MARKER, install_slots
    from kit.qr import qr_matrix

    src = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 29 29'/%3E"
    html = f'<html><body style="margin:0"><img src="{src}" style="width:30mm"></body></html>'
    rendered = Renderer(Layouts()).render(html, [], after_css=("@page { size: 60mm; bleed: 3mm }",))
    matrix = qr_matrix("https://example.org/a")
    assert install_slots(rendered.document, src, matrix) == 1
    pdf = rendered.document.write_pdf(finisher=weasy.bleed_boxes_finisher(3 * 72 / 25.4))
    assert pdf.count(MARKER) == 1
    from pypdf import PdfReader

    (target := tmp_path / "x.pdf").write_bytes(pdf)
    page = PdfReader(target).pages[0]
    assert float(page.bleedbox.width) == pytest.approx(float(page.trimbox.width) + 6 * 72 / 25.4, abs=0.01)


def test_the_url_fetcher_kit_derives_from(tmp_path):
    fetcher_class = weasy.url_fetcher_class()
    fetcher = fetcher_class(allowed_protocols=("data",), fail_on_errors=True, timeout=1)
    assert fetcher.fetch("data:text/plain,hello") is not None
    assert issubclass(weasy.fatal_fetch_error(), BaseException)
    (tmp_path / "x.css").write_text("p { color: red }", encoding="utf-8")
    with pytest.raises(kit.LayoutError, match="may not read"):  # refused by kit's fetcher: a clear error
        Renderer(Layouts()).render(
            f'<html><head><link rel="stylesheet" href="{tmp_path.as_uri()}/x.css">'
            "</head><body>x</body></html>",
            [],
        )


def test_an_unknown_kind_of_box_fails_the_fit_check(rendered):
    """A box class kit does not know (a subclass, a note area, one a later WeasyPrint adds) is never walked past:
    the fit check fails, naming it, rather than pass over text it cannot see."""
    boxes = weasy.box_types()
    document = Renderer(Layouts()).render(PAGE, []).document
    laid_out = kit.render.Rendered(document, len(document.pages))

    class NoteBox(boxes.BlockBox):
        """Stands for a kind of box a later WeasyPrint might add."""

    paragraph = next(b for b in weasy.all_boxes(document.pages[0]) if getattr(b, "element_tag", None) == "p")
    paragraph.__class__ = NoteBox
    with pytest.raises(weasy.UnknownBoxError, match="NoteBox") as info:
        check_fit(laid_out, 1, "The test page", "")
    assert isinstance(info.value, kit.FitError)
    with pytest.raises(weasy.UnknownBoxError):
        fit_report(laid_out, 1)
    with pytest.raises(weasy.UnknownBoxError):
        find_missing_text(laid_out)


def test_a_footnote_area_fails_the_fit_check():
    """WeasyPrint's footnote area (float: footnote) is a kind of box kit's checks do not measure: refused."""
    html = (
        "<html><head><style>@page { size: 100mm } .note { float: footnote }</style></head><body>"
        '<div data-fit="text"><p>Text<span class="note">a footnote</span></p></div></body></html>'
    )
    rendered = Renderer(Layouts()).render(html, [])
    with pytest.raises(weasy.UnknownBoxError, match="FootnoteAreaBox"):
        check_fit(rendered, 1, "The test page", "")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_door_imports_weasyprint_and_pydyf():
    base = package_dir()
    importers = sorted(
        str(path.relative_to(base))
        for path in base.rglob("*.py")
        if "init_template" not in path.parts and _imports(path) & {"weasyprint", "pydyf"}
    )
    assert importers == ["weasy.py"]


def test_the_libraries_kit_imports_are_declared():
    """Every third-party library kit/ imports is a dependency in pyproject.toml (WeasyPrint's own included)."""
    declared = {
        re.split(r"[\[<>=;, ]", dep)[0].lower()
        for dep in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "dependencies"
        ]
    }
    # The distribution of each import name that differs (pydantic_core ships with pydantic, which pins it).
    distribution = {"PIL": "pillow", "fontTools": "fonttools", "yaml": "pyyaml", "pydantic_core": "pydantic"}
    import sys

    base = package_dir()
    used = set()
    for path in base.rglob("*.py"):
        if "init_template" not in path.parts:
            used |= _imports(path)
    third_party = {
        name for name in used if name not in sys.stdlib_module_names and name not in ("kit", "__future__")
    }
    missing = {name for name in third_party if distribution.get(name, name).lower() not in declared}
    assert not missing, missing
