"""Curriculum data (courses and schedules) read from a TOML file, with computed credit totals."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from content_guard.paths import ContentPathError, read_content_bytes


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


class CurriculumError(Exception):
    """The curriculum file is malformed; ``problems`` lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _text(where: str, data: dict[str, Any], key: str, problems: list[str], default=None) -> Any:
    value = data.get(key, default)
    if value is None:
        problems.append(f'{where}: {key}: (missing): required; add `{key} = "..."`')
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: {key}: {value!r}: must be a string")
        return ""
    return value


def _credits(where: str, data: dict[str, Any], problems: list[str]) -> int:
    value = data.get("credits")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        problems.append(f"{where}: credits: {value!r}: must be a positive whole number")
        return 0
    return value


def _differences(courses: dict[str, Course], terms: list[Term]) -> tuple[CreditDifference, ...]:
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


def parse_curriculum(data: dict[str, Any], path: str) -> Curriculum:
    """Turn parsed TOML into a :class:`Curriculum`, or raise listing every problem."""
    problems: list[str] = []
    required = data.get("required_credits")
    if required is not None and (
        not isinstance(required, int) or isinstance(required, bool) or required <= 0
    ):
        problems.append(
            f"{path}: required_credits: {required!r}: must be a positive whole number (the "
            "credits the source says the program requires), or left out"
        )
        required = None
    courses: dict[str, Course] = {}
    for index, raw in enumerate(data.get("courses", [])):
        where = f"{path}: courses[{index}]"
        course = Course(
            id=_text(where, raw, "id", problems),
            title=_text(where, raw, "title", problems),
            credits=_credits(where, raw, problems),
            aim=_text(where, raw, "aim", problems, default=""),
            objectives=tuple(raw.get("objectives", ())),
        )
        if course.id in courses:
            problems.append(f"{where}: id: {course.id!r}: used twice; course ids must be unique")
        courses[course.id] = course
    if not courses:
        problems.append(f"{path}: courses: (missing): add at least one [[courses]] table")
    if required is None:
        required = sum(course.credits for course in courses.values())

    schedules = []
    for s_index, raw_schedule in enumerate(data.get("schedules", [])):
        s_where = f"{path}: schedules[{s_index}]"
        terms = []
        for t_index, raw_term in enumerate(raw_schedule.get("terms", [])):
            t_where = f"{s_where}.terms[{t_index}]"
            entries = []
            for e_index, raw_entry in enumerate(raw_term.get("entries", [])):
                e_where = f"{t_where}.entries[{e_index}]"
                course_id = _text(e_where, raw_entry, "course", problems)
                course = courses.get(course_id)
                if course is None and course_id:
                    known = ", ".join(sorted(courses))
                    problems.append(
                        f"{e_where}: course: {course_id!r}: no course has this id; "
                        f"use one of: {known}"
                    )
                    continue
                entries.append(
                    ScheduleEntry(
                        course=course,
                        title=_text(e_where, raw_entry, "title", problems),
                        credits=_credits(e_where, raw_entry, problems),
                    )
                )
            year = raw_term.get("year")
            if year is not None and (not isinstance(year, int) or year < 1):
                problems.append(f"{t_where}: year: {year!r}: must be a whole number from 1")
                year = None
            terms.append(
                Term(
                    name=_text(t_where, raw_term, "name", problems),
                    months=_text(t_where, raw_term, "months", problems, default=""),
                    year=year,
                    entries=tuple(entries),
                )
            )
        schedules.append(
            Schedule(
                id=_text(s_where, raw_schedule, "id", problems),
                title=_text(s_where, raw_schedule, "title", problems),
                terms=tuple(terms),
                required=required,
                differences=_differences(courses, terms),
            )
        )
    if problems:
        raise CurriculumError(problems)
    return Curriculum(
        courses=tuple(courses.values()), schedules=tuple(schedules), required_credits=required
    )


def load_curriculum(content_path: str, path: Path, display_path: str) -> Curriculum:
    """Read and parse a curriculum TOML file (a regular file inside ``content_path``)."""
    try:
        data = tomllib.loads(read_content_bytes(content_path, str(path)).decode("utf-8"))
    except ContentPathError as error:
        raise CurriculumError([f"{display_path}: (file): {path.name!r}: {error}"]) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CurriculumError([f"{display_path}: (file): not valid TOML: {error}"]) from error
    return parse_curriculum(data, display_path)
