"""How deeply Markdown may nest: lists, block quotes and brackets, at most MAX_NESTING levels.

Python-Markdown parses nested lists and block quotes by recursion, so a text nested a few
hundred levels deep stops the build with a RecursionError that names no file. Nothing a
person writes nests that deep; the check runs on the text before Markdown parses it, and a
line that nests deeper is a problem on that line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pelican.plugins.info_sessions.problems import Problem

# Levels of lists, block quotes and brackets one line may be inside; real content uses 3 or 4.
MAX_NESTING = 20
# A block quote marker or a list item marker at the start of what is left of a line.
_MARKER = re.compile(r"(?:>|[-*+](?=\s|$)|[0-9]{1,9}[.)](?=\s|$))[ \t]*")
_BRACKET = re.compile(r"[\[\]]")
# How much of a refused line a problem shows.
SHOWN = 60


def line_depth(line: str) -> int:
    """How many levels ``line`` is nested: each four columns of indentation (Markdown's
    nesting step), each block quote or list marker at its start, and the deepest nesting of
    square brackets inside it."""
    text = line.expandtabs(4)
    rest = text.lstrip(" ")
    depth = (len(text) - len(rest)) // 4
    while True:
        marker = _MARKER.match(rest)
        if marker is None or not marker.group():
            break
        depth += 1
        rest = rest[marker.end() :]
    brackets = deepest = 0
    for found in _BRACKET.finditer(rest):  # only the brackets: most lines have none
        index = found.start()
        if found.group() == "[" and (index == 0 or rest[index - 1] != "\\"):
            brackets += 1
            deepest = max(deepest, brackets)
        elif found.group() == "]" and brackets:
            brackets -= 1
    return depth + deepest


def nesting_problems(lines: Sequence[str], limit: int = MAX_NESTING) -> list[Problem]:
    """One problem for the first line of ``lines`` nested deeper than ``limit`` (field
    "(body)", its line counted from 1; the path left for the reader that knows the file)."""
    for number, line in enumerate(lines, start=1):
        depth = line_depth(line)
        if depth > limit:
            shown = line.strip()
            shown = shown if len(shown) <= SHOWN else f"{shown[:SHOWN]}..."
            return [
                Problem(
                    "",
                    "(body)",
                    shown,
                    f"nested {depth} levels deep (lists, block quotes, indentation or "
                    f"brackets); at most {limit}: flatten the structure",
                    number,
                )
            ]
    return []
