"""Patterns users write with {placeholders} (the layout's file name, a language's date and time): an unknown or
malformed placeholder is reported with its file, line and field when loading, never an "Unexpected error" when
the first document is made (the same class of defect as issue 14's messages)."""

from __future__ import annotations

import pytest

import kit
from kit.layouts import LayoutRegistry
from kit.resources import layouts_dir


@pytest.mark.parametrize(
    "pattern, words",
    [
        ("poster-{questoin}-{format}", "{questoin}"),
        ("poster-{question.__class__}-{format}", "{question.__class__}"),
        ("poster-{question}-{format", "'{'"),
        ("poster-{format:>999999999}", "{format:>999999999}"),
    ],
)
def test_a_layout_file_pattern_with_an_unknown_placeholder(tmp_path, pattern, words):
    (tmp_path / "poster.layout.yaml").write_text(f'name: poster\nfile: "{pattern}"\n', encoding="utf-8")
    with pytest.raises(kit.LayoutError) as info:
        LayoutRegistry.load([tmp_path, layouts_dir()])
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("file", 2), problem
    assert words in problem.message and "{name}, {format}, {question}" in problem.message, problem.message


@pytest.mark.parametrize(
    "field, pattern, words",
    [
        ("date", "{weekday} {dya} {month}", "{dya}"),
        ("time", "{HH}h{MM", "'{'"),
        ("time_range", "{start} - {fin}", "{fin}"),
        ("date", "{day.__class__.__mro__}", "{day.__class__.__mro__}"),
    ],
)
def test_a_locale_pattern_with_an_unknown_placeholder(content_copy, field, pattern, words):
    path = content_copy / "locales.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "en:")
    index = next(i for i in range(start, len(lines)) if lines[i].startswith(f"    {field}:"))
    lines[index] = f'    {field}: "{pattern}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(kit.ContentError) as info:
        kit.load_content(content_copy)
    problem = next(p for p in info.value.problems if p.field and p.field.endswith(field))
    assert problem.file.endswith("locales.yaml") and problem.line == index + 1, problem
    assert words in problem.message, problem.message


def test_the_built_in_patterns_are_fine():
    LayoutRegistry.load([layouts_dir()])
    kit.load_content()
