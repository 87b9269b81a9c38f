"""Curriculum data: parsing, computed totals, grouping by year, every problem reported."""

from __future__ import annotations

import pytest
from pelican.plugins.info_sessions.problems import ContentError

from programs.curriculum import parse_curriculum

COURSES = [
    {"id": "a", "title": "A", "credits": 4},
    {"id": "b", "title": "B", "credits": 2},
]


def term(name: str, year: int | None, *entries: tuple[str, int]) -> dict:
    data = {
        "name": name,
        "months": "x",
        "entries": [{"course": c, "title": c.upper(), "credits": n} for c, n in entries],
    }
    if year is not None:
        data["year"] = year
    return data


def test_totals_are_computed_per_term_schedule_and_course_list() -> None:
    data = {
        "courses": COURSES,
        "schedules": [
            {
                "id": "pt",
                "title": "Part-time",
                "terms": [term("Fall", 1, ("a", 4)), term("Fall", 2, ("b", 1), ("b", 1))],
            }
        ],
    }
    curriculum = parse_curriculum(data, "c.toml")
    assert curriculum.credits == 6
    schedule = curriculum.schedules[0]
    assert [t.credits for t in schedule.terms] == [4, 2]
    assert schedule.credits == 6
    assert [(year, len(terms)) for year, terms in schedule.years] == [(1, 1), (2, 1)]
    assert schedule.terms[1].entries[0].course.anchor == "course-b"


def test_every_problem_is_listed() -> None:
    data = {
        "courses": [{"id": "a", "title": "A", "credits": 0}, {"id": "a", "credits": 2}],
        "schedules": [{"id": "s", "title": "S", "terms": [term("Fall", 0, ("zzz", 1))]}],
    }
    with pytest.raises(ContentError) as caught:
        parse_curriculum(data, "c.toml")
    assert [str(problem) for problem in caught.value.problems] == [
        "c.toml: courses[0].credits: 0: must be a positive whole number",
        'c.toml: courses[1].title: (missing): required; add `title = "..."`',
        "c.toml: courses[1].id: 'a': used twice; course ids must be unique",
        "c.toml: schedules[0].terms[0].entries[0].course: 'zzz': no course has this id; "
        "use one of: a",
        "c.toml: schedules[0].terms[0].year: 0: must be a whole number from 1",
    ]


def test_required_credits_default_to_the_course_list_and_schedules_are_compared() -> None:
    data = {
        "courses": COURSES,
        "schedules": [
            {"id": "full", "title": "Full", "terms": [term("Fall", None, ("a", 4), ("b", 2))]},
            {"id": "short", "title": "Short", "terms": [term("Fall", None, ("a", 4), ("b", 1))]},
            {"id": "no-b", "title": "No B", "terms": [term("Fall", None, ("a", 4))]},
        ],
    }
    curriculum = parse_curriculum(data, "c.toml")
    assert curriculum.required_credits == 6
    assert not curriculum.mismatch
    full, short, no_b = curriculum.schedules
    assert (full.credits, full.required, full.mismatch, full.differences) == (6, 6, False, ())
    assert (short.credits, short.required, short.mismatch) == (5, 6, True)
    assert [(d.course.id, d.scheduled, d.course.credits) for d in short.differences] == [
        ("b", 1, 2)
    ]
    assert [(d.course.id, d.scheduled) for d in no_b.differences] == [("b", 0)]


def test_stated_required_credits_are_what_schedules_and_course_list_are_checked_against() -> None:
    data = {
        "required_credits": 8,
        "courses": COURSES,
        "schedules": [{"id": "s", "title": "S", "terms": [term("Fall", None, ("a", 4))]}],
    }
    curriculum = parse_curriculum(data, "c.toml")
    assert (curriculum.credits, curriculum.required_credits, curriculum.mismatch) == (6, 8, True)
    assert curriculum.schedules[0].required == 8


@pytest.mark.parametrize("value", [0, -3, "36", 1.5, True])
def test_required_credits_must_be_a_positive_whole_number(value: object) -> None:
    with pytest.raises(ContentError) as caught:
        parse_curriculum({"required_credits": value, "courses": COURSES}, "c.toml")
    assert [str(problem) for problem in caught.value.problems] == [
        f"c.toml: required_credits: {value!r}: must be a positive whole number (the credits "
        "the source says the program requires), or left out"
    ]


def test_a_schedule_entry_without_a_course_is_a_problem_not_a_crash() -> None:
    """The credit comparison of a schedule reads each entry's course: an entry that names
    none is reported (its course is missing) and left out."""
    entry = {"title": "Elective", "credits": 2}
    data = {
        "courses": COURSES,
        "schedules": [{"id": "s", "title": "S", "terms": [{"name": "Fall", "entries": [entry]}]}],
    }
    with pytest.raises(ContentError) as caught:
        parse_curriculum(data, "c.toml")
    assert [str(problem) for problem in caught.value.problems] == [
        'c.toml: schedules[0].terms[0].entries[0].course: (missing): required; add `course = "..."`'
    ]
