"""Curriculum data (courses and schedules) read from a TOML file, with computed credit totals."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from pelican.plugins.info_sessions.headers import decode
from pelican.plugins.info_sessions.paths import ContentPathError, read_content_bytes
from pelican.plugins.info_sessions.problems import ContentError, Problem

from programs.tomlfile import TypedValues, load_toml


@dataclass(frozen=True)
class Course:
    """A core course as the course list gives it."""

    id: str
    title: str
    credits: int
    aim: str = ""
    objectives: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The id of the course's row on the program page."""
        return f"course-{self.id}"


@dataclass(frozen=True)
class ScheduleEntry:
    """One row of a schedule term, in the schedule's own wording, linked to its course."""

    course: Course
    title: str
    credits: int


@dataclass(frozen=True)
class Term:
    """A term of a schedule (e.g. Fall term of year two) and the courses taken in it."""

    name: str
    months: str
    year: int | None
    entries: tuple[ScheduleEntry, ...]

    @property
    def credits(self) -> int:
        """Credits taken in this term."""
        return sum(entry.credits for entry in self.entries)


@dataclass(frozen=True)
class CreditDifference:
    """A course that a schedule gives other credits than the course list does."""

    course: Course
    scheduled: int  # its credits over the whole schedule (0: the schedule leaves it out)


@dataclass(frozen=True)
class Schedule:
    """A study option (full-time or part-time) as a sequence of terms."""

    id: str
    title: str
    terms: tuple[Term, ...]
    required: int  # the credits the program requires (the curriculum's required_credits)
    differences: tuple[CreditDifference, ...] = ()

    @property
    def credits(self) -> int:
        """Credits over the whole schedule."""
        return sum(term.credits for term in self.terms)

    @property
    def mismatch(self) -> bool:
        """Whether the schedule adds up to other than the credits the program requires."""
        return self.credits != self.required

    @property
    def years(self) -> list[tuple[int | None, list[Term]]]:
        """Terms grouped by year of study (a single group with year None for one-year plans)."""
        return [(year, list(terms)) for year, terms in groupby(self.terms, lambda t: t.year)]


@dataclass(frozen=True)
class Curriculum:
    """All courses of a program and its schedules."""

    courses: tuple[Course, ...]
    schedules: tuple[Schedule, ...]
    required_credits: int  # as the source states it; the course list's total when not given

    @property
    def credits(self) -> int:
        """Credits of all core courses."""
        return sum(course.credits for course in self.courses)

    @property
    def mismatch(self) -> bool:
        """Whether the course list adds up to other than the credits the program requires."""
        return self.credits != self.required_credits


# The most credits one course or program may carry: far above any real one, so that a typo
# (or a 5,000-digit number) is a problem, not a sum.
MAX_CREDITS = 1000
# The most years of study a schedule may have.
MAX_YEARS = 10


class _Problems(TypedValues):
    """The problems of one curriculum file, its credits read as bounded whole numbers."""

    def credits(self, where: str, data: dict[str, Any]) -> int:
        value = data.get("credits")
        if not _is_count(value, 1, MAX_CREDITS):
            self.add(where, "credits", value, _count_fix("a positive whole number", value))
            return 0
        return value


def _count_fix(what: str, value: object, high: int = MAX_CREDITS) -> str:
    """'must be <what>', with the upper bound when ``value`` is a number above it."""
    too_large = isinstance(value, int) and not isinstance(value, bool) and value > high
    return f"must be {what}" + (f" of at most {high}" if too_large else "")


def _is_count(value: object, low: int, high: int) -> bool:
    """Whether ``value`` is a whole number (not a boolean) from ``low`` to ``high``."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _differences(
    courses: dict[str, Course], terms: tuple[Term, ...]
) -> tuple[CreditDifference, ...]:
    """The courses whose credits over ``terms`` are not those of the course list."""
    scheduled = dict.fromkeys(courses, 0)
    for term in terms:
        for entry in term.entries:
            scheduled[entry.course.id] += entry.credits
    return tuple(
        CreditDifference(course=course, scheduled=scheduled[course.id])
        for course in courses.values()
        if scheduled[course.id] != course.credits
    )


def _required_credits(data: dict[str, Any], problems: _Problems) -> int | None:
    """``required_credits`` as the file gives it; None when it leaves it out (or is wrong)."""
    required = data.get("required_credits")
    if required is not None and not _is_count(required, 1, MAX_CREDITS):
        problems.add(
            "",
            "required_credits",
            required,
            _count_fix("a positive whole number", required)
            + " (the credits the source says the program requires), or left out",
        )
        return None
    return required


def _courses(data: dict[str, Any], problems: _Problems) -> dict[str, Course]:
    courses: dict[str, Course] = {}
    for where, raw in problems.tables("", data, "courses"):
        course = Course(
            id=problems.text(where, raw, "id"),
            title=problems.text(where, raw, "title"),
            credits=problems.credits(where, raw),
            aim=problems.text(where, raw, "aim", default=""),
            objectives=problems.strings(where, raw, "objectives"),
        )
        if course.id in courses:
            problems.add(where, "id", course.id, "used twice; course ids must be unique")
        courses[course.id] = course
    if not courses and not any(p.field.startswith("courses") for p in problems.found):
        problems.add("", "courses", None, "add at least one [[courses]] table")
    return courses


def _term(where: str, raw: dict[str, Any], courses: dict[str, Course], problems: _Problems) -> Term:
    entries = []
    for entry_where, raw_entry in problems.tables(where, raw, "entries"):
        course_id = problems.text(entry_where, raw_entry, "course")
        course = courses.get(course_id)
        if course is None:  # a missing id is reported already
            if course_id:
                known = ", ".join(sorted(courses))
                problems.add(
                    entry_where, "course", course_id, f"no course has this id; use one of: {known}"
                )
            continue
        entries.append(
            ScheduleEntry(
                course=course,
                title=problems.text(entry_where, raw_entry, "title"),
                credits=problems.credits(entry_where, raw_entry),
            )
        )
    year = raw.get("year")
    if year is not None and not _is_count(year, 1, MAX_YEARS):
        problems.add(where, "year", year, _count_fix("a whole number from 1", year, MAX_YEARS))
        year = None
    return Term(
        name=problems.text(where, raw, "name"),
        months=problems.text(where, raw, "months", default=""),
        year=year,
        entries=tuple(entries),
    )


def parse_curriculum(data: dict[str, Any], path: str) -> Curriculum:
    """Turn parsed TOML into a :class:`Curriculum`, or raise ContentError listing every
    problem."""
    problems = _Problems(path)
    required = _required_credits(data, problems)
    courses = _courses(data, problems)
    if required is None:
        required = sum(course.credits for course in courses.values())
    schedules = []
    for where, raw_schedule in problems.tables("", data, "schedules"):
        terms = tuple(
            _term(term_where, raw_term, courses, problems)
            for term_where, raw_term in problems.tables(where, raw_schedule, "terms")
        )
        schedules.append(
            Schedule(
                id=problems.text(where, raw_schedule, "id"),
                title=problems.text(where, raw_schedule, "title"),
                terms=terms,
                required=required,
                differences=_differences(courses, terms),
            )
        )
    if problems.found:
        raise ContentError(problems.found)
    return Curriculum(
        courses=tuple(courses.values()), schedules=tuple(schedules), required_credits=required
    )


def load_curriculum(
    content_path: str, path: Path, display_path: str, *, max_bytes: int | None
) -> Curriculum:
    """Read and parse a curriculum TOML file (a regular file inside ``content_path``, of at
    most ``max_bytes`` bytes); raise ContentError with every problem."""
    try:
        data = read_content_bytes(content_path, str(path), max_bytes=max_bytes)
    except ContentPathError as error:
        problem = Problem(display_path, "(file)", path.name, str(error))
        raise ContentError([problem]) from error
    text, problem = decode(data, display_path)
    if problem is not None:
        raise ContentError([problem])
    return parse_curriculum(load_toml(text, display_path), display_path)
