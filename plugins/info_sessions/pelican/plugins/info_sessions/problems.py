"""Problems as data: one ``Problem`` per thing to fix, and the one error that carries them.

Every check of a content file or a setting (sessions here; programs, quotes and figures in
the site's own plugins) returns ``Problem`` objects. Whoever reports them (the build, a
content check, an editor integration) reads their fields; ``Problem.__str__`` is the only
place their text is made.

Generators do not stop at the first file, or the first plugin, with problems: they
``record`` them in the build's shared context while reading, and the first of them to write
calls ``raise_recorded``, which raises one ``ContentError`` with every problem of every
plugin before anything of theirs is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

# Where generators record problems in Pelican's context (the dict every generator shares).
CONTEXT_KEY = "content_problems"
# A notice is a Problem logged as a warning with the Problem attached to the record under
# this name: something the build did on its own that staff should know of (a feed left out
# its farthest sessions), which does not fail the build. The build and `make check` list
# notices apart from problems (every other warning fails the build).
NOTICE_ATTRIBUTE = "content_notice"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix: where (file and line), which field, the value as written, and the
    fix (what is wrong and what to do)."""

    path: str  # the file as staff name it, e.g. "content/sessions/x.md", or "pelicanconf.py"
    field: str  # a header field or setting; a part of the file in parentheses: "(header)"
    value: object  # the value as written (shown with repr); None when it is missing
    fix: str  # what is wrong and how to fix it
    line: int | None = None  # 1-based line in ``path``, when the problem is on one line

    def __str__(self) -> str:
        """``path:line: field: value: fix``; without ``:line`` when there is no line, and
        without the place when there is no path (a draft that is not a file yet)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        shown = "(missing)" if self.value is None else repr(self.value)
        text = f"{self.field}: {shown}: {self.fix}"
        return f"{where}: {text}" if where else text


def by_file(problems: Iterable[Problem]) -> list[Problem]:
    """``problems`` grouped by file, each file's problems in the order they were found."""
    return sorted(problems, key=lambda problem: problem.path)


class ContentError(Exception):
    """Content files or settings have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems; the message lists them, one a line."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s):\n{lines}")


def record(context: MutableMapping[str, Any], problems: Iterable[Problem]) -> None:
    """Keep ``problems`` found while reading, with every other generator's, in this build's
    shared context."""
    context.setdefault(CONTEXT_KEY, []).extend(problems)


def recorded(context: Mapping[str, Any]) -> list[Problem]:
    """Every problem recorded in this build so far."""
    return list(context.get(CONTEXT_KEY, ()))


def raise_recorded(context: Mapping[str, Any]) -> None:
    """Raise ContentError with every problem recorded in this build, if there is any."""
    problems = recorded(context)
    if problems:
        raise ContentError(by_file(problems))
