"""Copies of one text laid out once (``data-copy``: an invitation's four flyers): the HTML with the copies left
out or emptied, and the first copy's boxes moved into each emptied copy after layout."""

from __future__ import annotations

import re

from . import weasy

_COPY = re.compile(r'(?s)(<section\b[^>]*?\sdata-copy="(\d+)"[^>]*>)(.*?)(</section>\s*)')


def _copies_replaced(html: str, replace) -> str:
    """``html`` with each section marked ``data-copy`` above 1 whose content is, as written, the first copy's
    replaced by ``replace(match)``. A "copy" with other words (a template marking a translation as a copy) is
    no copy: it stays as it is."""
    first = None

    def each(match: re.Match) -> str:
        nonlocal first
        if match.group(2) == "1":
            first = match.group(3)
            return match.group(0)
        same = (
            match.group(3) == first and "<section" not in first
        )  # a nested section would end the match early
        return replace(match) if same else match.group(0)

    return _COPY.sub(each, html)


def without_copies(html: str) -> str:
    """The HTML for a copyfit try of a tagged document: copies of the first section marked ``data-copy`` (the
    same text again, placed independently, as an invitation's four flyers) left out; the first fits as they
    all do. The HTML itself when it has no copies."""
    return _copies_replaced(html, lambda match: "")


EMPTIED = "data-copy-emptied"


def emptied_copies(html: str) -> str:
    """The HTML with the copies of the first section marked ``data-copy`` left empty (and marked so): still
    placed and sized by their own tags, for `fill_copies` to fill with the first copy's boxes."""
    return _copies_replaced(html, lambda match: f"{match.group(1)[:-1]} {EMPTIED}>{match.group(4)}")


def _all_inside(box):
    """Every box inside ``box``, table columns included."""
    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(weasy.children(box))
        stack.extend(weasy.column_groups(box))


def _copyable(first) -> bool:
    """Whether the first copy's boxes can be moved elsewhere and draw as if laid out there: it is positioned
    (what is placed absolutely inside it moves with it), and nothing inside it is placed on the page itself
    (position: fixed), painted from where it stands (backgrounds, placed at layout), or numbered by a
    counter (each copy would count on)."""
    if first.style["position"] == "static":
        return False
    for box in _all_inside(first):
        if box is first:
            continue
        if getattr(box, "background", None) is not None or box.style["position"] == "fixed":
            return False
        content = box.style["content"]
        if isinstance(content, (list, tuple)) and any(str(part[0]).startswith("counter") for part in content):
            return False
    return True


def fill_copies(document) -> bool:
    """Fill each emptied copy (`emptied_copies`) with the boxes of the first copy before it on its page, moved
    to its place: the page then draws as if every copy had been laid out (the same bytes, tested), for the
    price of one. False, and nothing changed, when a copy is not the first's twin: of another kind of box,
    width, height or inherited style, split over pages, not empty (generated content), or when the first's
    boxes cannot be moved (`_copyable`). A template's CSS may place copies, not style what is inside them
    differently (``.flyer-2 h1`` would be drawn as the first's): data-copy promises the same text, the same
    look."""
    boxes, inherited = weasy.box_types(), weasy.inherited_properties()
    seen: dict[int, int] = {}
    plans: list[tuple[int, list]] = []
    for index, page in enumerate(document.pages):
        first, pairs = None, []
        for box in weasy.all_boxes(page):
            element = getattr(box, "element", None)
            if (
                element is None
                or element.get("data-copy") is None
                or getattr(box, "element_tag", None) != element.tag
            ):
                continue
            seen[id(element)] = seen.get(id(element), 0) + 1
            emptied = element.get(EMPTIED) is not None
            if emptied and (
                not isinstance(box, boxes.BlockBox)
                or box.children
                or first is None
                or type(box) is not type(first)
                or (box.width, box.height) != (first.width, first.height)
                or any(box.style[name] != first.style[name] for name in inherited)
            ):
                return False
            if element.get("data-copy") == "1":
                first = box if isinstance(box, boxes.BlockBox) and _copyable(box) else None
            elif emptied:
                pairs.append((box, first))
        plans.append((index, pairs))
    if any(count != 1 for count in seen.values()):
        return False
    for index, pairs in plans:
        if not pairs:
            continue
        for box, first in pairs:
            dx, dy = box.content_box_x() - first.content_box_x(), box.content_box_y() - first.content_box_y()
            copied = [weasy.copy_box(child) for child in first.children]
            for child in copied:
                child.translate(dx, dy)
            weasy.set_children(box, copied)
        document.pages[index] = weasy.new_page(weasy.page_box(document.pages[index]))
    return True
