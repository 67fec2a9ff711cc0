"""`kit doctor`: check the system libraries, fonts and files that rendering needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def diagnose() -> list[Check]:
    from .render import HARFBUZZ_HINT, harfbuzz_subset_available
    from .resources import assets_dir, layouts_dir
    from .version import __version__
    from .weasy import check_weasyprint

    checks = [Check("kit", True, f"version {__version__}")]
    weasyprint = check_weasyprint()  # installed, loadable, and a version kit supports (what to do, if not)
    checks.append(Check("WeasyPrint", weasyprint.ok, weasyprint.message))
    fast = harfbuzz_subset_available()
    checks.append(
        Check(
            "libharfbuzz-subset",
            fast,
            "found: fast font subsetting" if fast else HARFBUZZ_HINT,
            required=False,
        )
    )
    fonts = sorted(p.name for p in (assets_dir() / "fonts").glob("*.ttf"))
    checks.append(Check("fonts", bool(fonts), ", ".join(fonts) or f"no font in {assets_dir() / 'fonts'}"))
    checks.append(Check("layouts", layouts_dir().is_dir(), str(layouts_dir())))
    return checks
