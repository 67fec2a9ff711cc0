"""The shape of the code: imports go one way, `python -m kit` works installed and from a checkout, output is
repeatable even where fonts are subset by fontTools, one broken content gives one exit code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from kit.resources import package_dir

ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph() -> dict[str, set[str]]:
    """kit's modules and the kit modules each imports (at the top or inside functions; not for type hints)."""
    base = package_dir()
    graph: dict[str, set[str]] = {}
    for path in sorted(base.rglob("*.py")):
        if path.name == "cli.py" or "init_template" in path.parts:
            continue
        name = _module_name(path, base)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()

        def visit(node):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _type_checking(child):
                    continue
                if isinstance(child, ast.ImportFrom):
                    if child.level:
                        anchor = package.split(".")
                        anchor = anchor[: len(anchor) - (child.level - 1)]
                        target = ".".join(anchor + ([child.module] if child.module else []))
                    else:
                        target = child.module or ""
                    if target.startswith("kit"):
                        folder = base.parent / target.replace(".", "/")
                        submodules = [
                            a.name
                            for a in child.names
                            if (folder / f"{a.name}.py").is_file() or (folder / a.name).is_dir()
                        ]
                        found.update(f"{target}.{name}" for name in submodules)  # `from . import documents`
                        if len(submodules) < len(child.names):
                            found.add(target)
                elif isinstance(child, ast.Import):
                    found.update(a.name for a in child.names if a.name.startswith("kit"))
                visit(child)

        visit(ast.parse(path.read_text(encoding="utf-8")))
        graph[name] = {t for t in found if t != name}
    return graph


def test_no_import_cycle():
    graph = import_graph()
    assert "kit.build" in graph and "kit.context.base" in graph
    # The package's own __init__ is the public facade: it may name anything, nothing inside imports it.
    users_of_facade = sorted(name for name, targets in graph.items() if "kit" in targets and name != "kit")
    assert users_of_facade == [], users_of_facade
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node):
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in graph or target == "kit":
                continue
            if state.get(target) == 1:
                cycle = stack[stack.index(target) :] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if not state.get(target):
                walk(target)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if not state.get(module):
            walk(module)


def test_python_dash_m_kit_installed(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kit", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and result.stdout.startswith("kit "), result.stderr


def test_python_dash_m_kit_from_a_source_checkout(tmp_path):
    """Run from the repository without installing: layouts, assets and cli.py are found at the top level."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(ROOT)
    code = "import kit.resources as r, sys; print(r.package_dir(), r.layouts_dir(), r.assets_dir(), r.cli_path())"
    where = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert where.returncode == 0, where.stderr
    package, layouts, assets, cli = where.stdout.split()
    assert (
        Path(package) == ROOT / "kit"
        and Path(layouts) == ROOT / "layouts"
        and Path(assets) == ROOT / "assets"
    )
    assert Path(cli) == ROOT / "cli.py"
    result = subprocess.run(
        [sys.executable, "-m", "kit", "list"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "wrong-hands" in result.stdout and "la-poste" in result.stdout


FONTTOOLS_RUN = """
import sys, time
import weasyprint.pdf.fonts as fonts
fonts.harfbuzz_subset = None           # as on a machine without libharfbuzz-subset: fontTools subsets
if sys.argv[2] == "later":
    real = time.time
    time.time = lambda: real() + 86400 * 400
import kit
kit.build_poster(kit.load_project(check=False), "wrong-hands", "fr", out_file=sys.argv[1])
"""


def test_fonttools_subsetting_is_repeatable(tmp_path):
    """fontTools stamps the time in each font unless SOURCE_DATE_EPOCH is set: kit sets it, so bytes repeat."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    paths = []
    for when in ("now", "later"):
        path = tmp_path / f"{when}.pdf"
        done = subprocess.run(
            [sys.executable, "-c", FONTTOOLS_RUN, str(path), when],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_same_broken_content_same_exit_code(run_kit, content_copy, edit_file, tmp_path):
    edit_file(content_copy / "questions" / "wrong-hands.yaml", "picto: locked", "picto: no-such-picture")
    check = run_kit("check", "--content", content_copy)
    build = run_kit("build", "--content", content_copy, "--out", tmp_path / "o")
    assert check.returncode == build.returncode == 3, (check.returncode, build.returncode, build.stderr)
    edit_file(content_copy / "questions" / "wrong-hands.yaml", "picto: no-such-picture", "picto: locked")
    edit_file(content_copy / "questions" / "wrong-hands.yaml", "order:", "order_typo:")
    check = run_kit("check", "--content", content_copy)
    build = run_kit("build", "--content", content_copy, "--out", tmp_path / "o")
    assert check.returncode == build.returncode == 3
