"""The one exception the programs plugin raises."""

from __future__ import annotations


class ProgramsContentError(Exception):
    """Content problems found in programs, quotes or figures; ``problems`` lists them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in program content:\n" + "\n".join(problems))
