"""Problems as staff read them: the text of each, for tests that compare messages."""

from __future__ import annotations

from dataclasses import replace

from pelican.plugins.info_sessions.problems import Problem

from tools.build import BuildError


def messages(error: BuildError) -> list[str]:
    """The text of every problem a failed build lists, in order."""
    return [str(problem) for problem in error.problems]


def without_lines(error: BuildError) -> list[str]:
    """The text of every problem, content problems without their line ("path: field: value:
    fix"), for tests that do not pin line numbers."""
    return [
        str(replace(problem, line=None)) if isinstance(problem, Problem) else str(problem)
        for problem in error.problems
    ]
