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
    rendered = renderer.render(
        f'<html><body><img src="{code.data_uri}" style="width: 3cm"></body></html>', []
    )
    pdf = tmp_path / "q.pdf"
    pdf.write_bytes(renderer.write_pdf(rendered, identifier="q"))
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=150 / 72).to_pil()
    assert [c.text for c in zxingcpp.read_barcodes(image)] == ["https://www.health-data-hub.fr/"]


def test_kit_chooses_the_mask_qrcode_would_choose():
    """kit.qr.best_mask scores the eight masks on whole rows; the matrix must be exactly qrcode's own, for
    addresses of every length kit prints (versions 1 to 15: from 7 on, a code carries version information)."""
    import random

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    from kit.qr import qr_matrix

    def qrcode_own(url: str, version: int | None = None):
        code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
        code.add_data(url)
        code.make(fit=version is None)
        return tuple(tuple(row) for row in code.get_matrix())

    rng = random.Random(12)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-/._?=&%ABCDEFGHIJ"
    versions, masks = set(), set()
    for length in [5, 14, 25, 40, 60, 80, 110, 150, 200, 260, 330] * 12:
        url = "https://" + "".join(rng.choice(alphabet) for _ in range(length))
        matrix = qr_matrix(url)
        assert matrix == qrcode_own(url), url
        versions.add(len(matrix))
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        code.add_data(url)
        code.make()
        masks.add(code.best_mask_pattern())
    for i in range(60):  # one geometry for many codes, as tracked copies of a template have
        url = f"https://sante.exemple.org/fr/q/sans-consentement/?p=K{i:07d}"
        assert qr_matrix(url, version=6) == qrcode_own(url, version=6)
    assert len(versions) >= 10 and len(masks) >= 6  # many sizes, and most of the eight masks chosen
