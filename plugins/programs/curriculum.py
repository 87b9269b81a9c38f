"""Curriculum data (courses and schedules) read from a TOML file, with computed credit totals."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from pelican.plugins.info_sessions.headers import decode
from pelican.plugins.info_sessions.problems import ContentError, Problem

from programs.tomlfile import toml_problem


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
class Schedule:
    """A study option (full-time or part-time) as a sequence of terms."""

    id: str
    title: str
    terms: tuple[Term, ...]

    @property
    def credits(self) -> int:
        """Credits over the whole schedule."""
        return sum(term.credits for term in self.terms)

    @property
    def years(self) -> list[tuple[int | None, list[Term]]]:
        """Terms grouped by year of study (a single group with year None for one-year plans)."""
        return [(year, list(terms)) for year, terms in groupby(self.terms, lambda t: t.year)]


@dataclass(frozen=True)
class Curriculum:
    """All courses of a program and its schedules."""

    courses: tuple[Course, ...]
    schedules: tuple[Schedule, ...]

    @property
    def credits(self) -> int:
        """Credits of all core courses."""
        return sum(course.credits for course in self.courses)


class _Problems:
    """The problems of one curriculum file; ``where`` names a table, e.g. "courses[1]"."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Problem] = []

    def add(self, where: str, key: str, value: object, fix: str) -> None:
        self.found.append(Problem(self.path, f"{where}.{key}" if where else key, value, fix))

    def text(self, where: str, data: dict[str, Any], key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            self.add(where, key, None, f'required; add `{key} = "..."`')
            return ""
        if not isinstance(value, str):
            self.add(where, key, value, "must be a string")
            return ""
        return value

    def credits(self, where: str, data: dict[str, Any]) -> int:
        value = data.get("credits")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.add(where, "credits", value, "must be a positive whole number")
            return 0
        return value


def _courses(data: dict[str, Any], problems: _Problems) -> dict[str, Course]:
    courses: dict[str, Course] = {}
    for index, raw in enumerate(data.get("courses", [])):
        where = f"courses[{index}]"
        course = Course(
            id=problems.text(where, raw, "id"),
            title=problems.text(where, raw, "title"),
            credits=problems.credits(where, raw),
            aim=problems.text(where, raw, "aim", default=""),
            objectives=tuple(raw.get("objectives", ())),
        )
        if course.id in courses:
            problems.add(where, "id", course.id, "used twice; course ids must be unique")
        courses[course.id] = course
    if not courses:
        problems.add("", "courses", None, "add at least one [[courses]] table")
    return courses


def _term(where: str, raw: dict[str, Any], courses: dict[str, Course], problems: _Problems) -> Term:
    entries = []
    for index, raw_entry in enumerate(raw.get("entries", [])):
        entry_where = f"{where}.entries[{index}]"
        course_id = problems.text(entry_where, raw_entry, "course")
        course = courses.get(course_id)
        if course is None and course_id:
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
    if year is not None and (not isinstance(year, int) or year < 1):
        problems.add(where, "year", year, "must be a whole number from 1")
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
    courses = _courses(data, problems)
    schedules = []
    for s_index, raw_schedule in enumerate(data.get("schedules", [])):
        where = f"schedules[{s_index}]"
        terms = tuple(
            _term(f"{where}.terms[{t_index}]", raw_term, courses, problems)
            for t_index, raw_term in enumerate(raw_schedule.get("terms", []))
        )
        schedules.append(
            Schedule(
                id=problems.text(where, raw_schedule, "id"),
                title=problems.text(where, raw_schedule, "title"),
                terms=terms,
            )
        )
    if problems.found:
        raise ContentError(problems.found)
    return Curriculum(courses=tuple(courses.values()), schedules=tuple(schedules))


def load_curriculum(path: Path, display_path: str) -> Curriculum:
    """Read and parse a curriculum TOML file; raise ContentError with every problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        problem = Problem(
            display_path, "(file)", None, "not found; check the Curriculum line of the program"
        )
        raise ContentError([problem]) from error
    text, problem = decode(data, display_path)
    if problem is not None:
        raise ContentError([problem])
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError([toml_problem(text, display_path, error)]) from error
    return parse_curriculum(parsed, display_path)
