"""kit.raster: PDF pages as pictures, one PDFium call at a time (PDFium crashes a process that calls it from two
threads at once, which kit serve's previews did): many threads at once in fresh processes, none crashes; the
pictures are the pages, at the width asked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# Each child process starts one thread per PDF, all released at the same moment, each making its PDF's first
# page a picture. Without the lock a fresh process crashed (SIGSEGV or SIGTRAP) about one time in four here: ten
# children catch it almost always. A child's first use of PDFium is the risky moment, so each is a fresh fork.
RACE = textwrap.dedent(
    """
    import os, sys, threading
    from kit import raster

    pdfs = sys.argv[2:]
    children = int(sys.argv[1])
    statuses = []
    for _ in range(children):
        pid = os.fork()
        if pid == 0:
            barrier = threading.Barrier(len(pdfs))
            widths = []

            def one(path):
                barrier.wait()
                widths.append(raster.first_page(path, 200).width)

            threads = [threading.Thread(target=one, args=(p,)) for p in pdfs]
            [t.start() for t in threads]
            [t.join() for t in threads]
            os._exit(0 if widths == [200] * len(pdfs) else 3)
        statuses.append(os.waitpid(pid, 0)[1])
    print(" ".join(str(s) for s in statuses))
    """
)


def test_pictures_made_on_many_threads_at_once_never_crash_the_process(built_kit):
    out, _, _ = built_kit
    pdfs = sorted(out.rglob("*.pdf"))
    assert len({p.parent.name for p in pdfs}) >= 2  # several languages, several fonts, loaded at once
    chosen = [str(p) for p in pdfs[:: max(1, len(pdfs) // 40)]][:40]
    done = subprocess.run(
        [sys.executable, "-c", RACE, "10", *chosen], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    statuses = done.stdout.split()
    assert statuses == ["0"] * 10, f"wait statuses of the children (0: fine): {statuses}"


def test_a_first_page_and_every_page_at_the_width_asked(built_kit, open_pdf):
    from kit import raster

    out, _, _ = built_kit
    leaflet = next(out.rglob("leaflet-A4*.pdf"))
    pages = open_pdf(leaflet).pages
    assert pages >= 2
    image = raster.first_page(leaflet, 300)
    assert (
        image.mode == "RGB" and image.width == 300 and image.height == pytest.approx(300 * 210 / 297, abs=1)
    )
    assert image.getextrema() != ((255, 255),) * 3  # something is printed
    clear = raster.first_page(leaflet.read_bytes(), 120, fill_color=(255, 255, 255, 0), mode="RGBA")
    assert clear.mode == "RGBA" and clear.width == 120
    every = list(raster.pages(leaflet.read_bytes(), 150))
    assert len(every) == pages and all(p.width == 150 for p in every)
    assert every[0].tobytes() != every[1].tobytes()


def test_only_kit_raster_imports_pypdfium2():
    """The lock holds only if every PDFium call goes through kit.raster (as WeasyPrint goes through kit.weasy)."""
    from kit.resources import package_dir
    from tests.test_weasy import _imports

    base = package_dir()
    importers = sorted(
        str(path.relative_to(base))
        for path in base.rglob("*.py")
        if "init_template" not in path.parts and "pypdfium2" in _imports(path)
    )
    assert importers == ["raster.py"]
