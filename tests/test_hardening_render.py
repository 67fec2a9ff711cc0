"""Hostile layouts at the WeasyPrint stage (issue 14, items 2 and 16): no file is ever attached to a PDF, a file a
layout may not read stops the document with a LayoutError (exit 4) naming it, never a traceback; fit messages
quote the text as printed, spaces included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kit

QUESTION = "wrong-hands"


def project_with_head(tmp_path: Path, head: str = "", extra: str = ""):
    folder = tmp_path / "layouts"
    folder.mkdir(exist_ok=True)
    (folder / "poster.html").write_text(
        '{% extends "!base/poster.html" %}\n{% block head %}'
        + head
        + "{% endblock %}\n{% block extra %}"
        + extra
        + "{% endblock %}\n",
        encoding="utf-8",
    )
    return kit.load_project(layouts=(folder,), check=False)


def embedded_files(pdf: Path) -> list:
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    names = reader.trailer["/Root"].get("/Names", {})
    found = list(names.get("/EmbeddedFiles", {}).get("/Names", []))
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                found.append(annot)
    return found


@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("how", ["link", "a"])
def test_a_layout_cannot_attach_a_file(tmp_path, where, how):
    """A file inside the layouts folder (which documents may read) or outside it: never attached."""
    target = (
        (tmp_path / "layouts" / "notes.txt") if where == "inside" else (tmp_path / "private" / "notes.txt")
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("private notes", encoding="utf-8")
    tag = (
        f'<link rel="attachment" href="{target.as_uri()}">'
        if how == "link"
        else f'<a rel="Attachment nofollow" href="{target.as_uri()}">notes</a>'
    )
    project = project_with_head(tmp_path, head=tag if how == "link" else "", extra=tag if how == "a" else "")
    out = tmp_path / "p.pdf"
    try:
        kit.build_poster(project, QUESTION, lang="fr", out_file=out)
    except BaseException as exc:  # noqa: BLE001  (the defect: WeasyPrint's fatal fetch error is a BaseException)
        assert isinstance(exc, kit.LayoutError), f"{type(exc).__name__}: {exc}"
        message = str(exc)
        assert "attach" in message and "poster.html" in message, message
        assert not out.exists()
        return
    pytest.fail(f"the poster was written with {len(embedded_files(out))} embedded file(s)")


def test_the_cli_refuses_an_attachment_with_exit_4(tmp_path, run_kit):
    secret = tmp_path / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "poster.html").write_text(
        '{% extends "!base/poster.html" %}\n{% block head %}<link rel="attachment" href="'
        + secret.as_uri()
        + '">{% endblock %}\n',
        encoding="utf-8",
    )
    (tmp_path / "kit.toml").write_text('[organisation]\nname = "Maison Santé Nord"\n', encoding="utf-8")
    result = run_kit("poster", QUESTION, "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 4, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "nexpected" not in result.stderr, result.stderr
    assert "attach" in result.stderr and "layouts/poster.html" in result.stderr, result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_a_file_outside_the_allowed_folders_is_a_layout_error(tmp_path):
    outside = tmp_path / "elsewhere" / "photo.svg"
    outside.parent.mkdir()
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    project = project_with_head(tmp_path, extra=f'<img src="{outside.as_uri()}" alt="">')
    with pytest.raises(kit.LayoutError) as info:
        kit.build_poster(project, QUESTION, lang="fr", out_file=tmp_path / "p.pdf")
    message = str(info.value)
    assert str(outside) in message and "poster.html" in message, message


def test_a_special_file_in_the_layouts_folder_is_not_read(tmp_path):
    """A named pipe would block the reader for good: only regular files are served."""
    import os

    folder = tmp_path / "layouts"
    folder.mkdir()
    os.mkfifo(folder / "pipe.svg")
    project = project_with_head(tmp_path, extra=f'<img src="{(folder / "pipe.svg").as_uri()}" alt="">')
    with pytest.raises(kit.LayoutError, match="pipe.svg"):
        kit.build_poster(project, QUESTION, lang="fr", out_file=tmp_path / "p.pdf")


def test_missing_text_excerpt_keeps_its_spaces():
    """The excerpt of text lost past the foot of a page reads as printed (issue 14, item 16)."""
    from kit.render import Renderer, check_fit
    from kit.templates import Layouts

    html = (
        '<html><body><div style="position: relative; height: 270mm"><div data-fit="area" data-shorten="the lines" '
        'style="position: absolute; top: 200mm; left: 0; right: 0">'
        + "".join(f"<p>line number {i} of the list</p>" for i in range(40))
        + "</div></div></body></html>"
    )
    rendered = Renderer(Layouts()).render(html, [])
    with pytest.raises(kit.FitError) as info:
        check_fit(rendered, 1, "The test", "")
    assert "line number 39 of the list" in str(info.value), str(info.value)
