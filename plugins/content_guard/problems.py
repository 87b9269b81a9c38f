"""The problems content_guard reports, as data, and the one exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentProblem:
    """One refused piece of content: the file as the build names it ("content/news/x.md"),
    the field (or "(file)", "(body)"), the value as written, and what is wrong and what to do.

    ``__str__`` is the one place its text is made; it never holds any text read from a file
    the build refused to read.
    """

    path: str
    field: str
    value: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path}: {self.field}: {self.value!r}: {self.message}{where}"


class ContentGuardError(Exception):
    """Content the build refuses to read, copy or write; ``problems`` lists every one."""

    def __init__(self, problems: list[ContentProblem]):
        self.content_problems = problems
        self.problems = [str(problem) for problem in problems]
        super().__init__(f"{len(problems)} problem(s) in content:\n" + "\n".join(self.problems))
