"""QR codes: vector SVG, quiet zone of 4 modules, error correction M, black on white."""

from __future__ import annotations

import re

from kit.qr import QUIET_ZONE, make_qr


def test_svg_is_vector_with_quiet_zone():
    code = make_qr("https://www.cnil.fr/fr/sante")
    assert code.svg.startswith("<svg") and "<image" not in code.svg
    assert f'viewBox="0 0 {code.modules} {code.modules}"' in code.svg
    assert 'fill="#000000"' in code.svg and 'fill="#ffffff"' in code.svg
    xs, ys = [], []
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)", code.svg):
        xs += [int(x), int(x) + int(w)]
        ys.append(int(y))
    assert min(xs) == QUIET_ZONE and max(xs) == code.modules - QUIET_ZONE
    assert min(ys) == QUIET_ZONE and max(ys) == code.modules - QUIET_ZONE - 1


def test_error_correction_m_version():
    # 28 bytes: version 2 (25 modules) holds 32 at level L but only 26 at level M, so M needs
    # version 3 (29 modules), plus 2 x 4 quiet modules.
    assert make_qr("https://www.cnil.fr/fr/sante").modules == 29 + 8


def test_decodes(tmp_path):
    """The SVG itself decodes, drawn into a PDF page by WeasyPrint."""
    import pypdfium2 as pdfium
    import zxingcpp

    from kit.render import Renderer
    from kit.templates import Layouts

    code = make_qr("https://www.health-data-hub.fr/")
    renderer = Renderer(Layouts())
    rendered = renderer.render(f'<html><body><img src="{code.data_uri}" style="width: 3cm"></body></html>', [])
    pdf = tmp_path / "q.pdf"
    pdf.write_bytes(renderer.write_pdf(rendered, identifier="q"))
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=150 / 72).to_pil()
    assert [c.text for c in zxingcpp.read_barcodes(image)] == ["https://www.health-data-hub.fr/"]
