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
