"""Problems as staff read them: the text of each, for tests that compare messages."""

from __future__ import annotations

from tools.build import BuildError


def messages(error: BuildError) -> list[str]:
    """The text of every problem a failed build lists, in order."""
    return [str(problem) for problem in error.problems]
