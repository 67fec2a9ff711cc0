"""Telling bots and link previewers from people: the vendored crawler-user-agents list, compiled for speed.

The list (monperrus/crawler-user-agents, MIT, in ``data/`` with its licence and a record of its version and
sha256; ``benchmarks/update_bot_list.py`` updates it) is 1,504 case-sensitive patterns. Python's ``re`` does not
optimise a long alternation of plain words, so the patterns that are plain words (all but a few dozen) are folded
into one regular expression shaped as a character tree, and the others are tried as one alternation: the same
answers about fifteen times faster. kit adds its own rule: a request without a user agent (empty or ``-``) is not
a person's browser (link previews and scanners often send none).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib.resources import files

LIST_FILE = "crawler-user-agents.json"
SOURCE_FILE = "crawler-user-agents.source.json"
NO_AGENT = ("", "-")  # kit's own rule, beside the list
_SPECIAL = set(".^$*+?{}[]|()\\")


def _plain(pattern: str) -> str | None:
    """The text a pattern matches when it is a plain word (escapes such as ``\\/`` undone), else None."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            following = pattern[index + 1 : index + 2]
            if not following or following.isalnum():
                return None  # \d, \s...: a class, not a character
            out.append(following)
            index += 2
            continue
        if char in _SPECIAL:
            return None
        out.append(char)
        index += 1
    return "".join(out)


def _tree(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, shaped as a tree of their shared beginnings."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:  # a word ends here: searching needs nothing longer
            return ""
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


def compile_patterns(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A function telling whether a user agent matches any of ``patterns`` (regular expressions, searched)."""
    plain, other = [], []
    for pattern in patterns:
        word = _plain(pattern)
        if word:
            plain.append(word)
        else:
            other.append(pattern)
    searches = [re.compile(_tree(plain)).search] if plain else []
    if other:
        searches.append(re.compile("|".join(f"(?:{p})" for p in other)).search)

    def matches(agent: str) -> bool:
        return any(search(agent) is not None for search in searches)

    return matches


@cache
def bot_list() -> list[dict]:
    """The vendored list's entries (pattern, description, instances...)."""
    return json.loads(files(__package__).joinpath("data").joinpath(LIST_FILE).read_bytes())


def bot_list_source() -> dict:
    """Where the vendored list comes from: name, repository, version, licence, sha256."""
    return json.loads(files(__package__).joinpath("data").joinpath(SOURCE_FILE).read_text(encoding="utf-8"))


class BotFilter:
    """``is_bot(agent_bytes)``: a cached answer per distinct user agent (a log has few of them)."""

    MAX_CACHED = 100_000  # distinct user agents remembered; beyond, the cache starts again

    def __init__(self, patterns: Iterable[str] | None = None):
        self._matches = compile_patterns(
            patterns if patterns is not None else (e["pattern"] for e in bot_list())
        )
        self.cache: dict[bytes, bool] = {}  # the hot loop looks here first, then calls is_bot

    def is_bot(self, agent: bytes) -> bool:
        known = self.cache.get(agent)
        if known is None:
            if len(self.cache) >= self.MAX_CACHED:
                self.cache.clear()
            text = agent.decode("latin-1")
            known = self.cache[agent] = text in NO_AGENT or self._matches(text)
        return known
