"""The one exception the info-sessions plugin raises."""

from __future__ import annotations


class SessionContentError(Exception):
    """Problems in session files or settings; ``problems`` lists every one of them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in info sessions:\n" + "\n".join(problems))
