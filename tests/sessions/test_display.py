"""What pages show: dates, times, zone abbreviations, month grids, plain text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.info_sessions.calendar_grid import month_grid, months_between
from pelican.plugins.info_sessions.display import clock, long_date, time_range, zone_abbreviation
from pelican.plugins.info_sessions.history import parse_log
from pelican.plugins.info_sessions.plaintext import html_to_text

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 12, 8, 0, 5, tzinfo=NY), "12:05 am"),
        (datetime(2026, 12, 8, 9, 0, tzinfo=NY), "9:00 am"),
        (datetime(2026, 12, 8, 12, 0, tzinfo=NY), "12:00 pm"),
        (datetime(2026, 12, 8, 18, 30, tzinfo=NY), "6:30 pm"),
    ],
)
def test_clock(value: datetime, expected: str) -> None:
    assert clock(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2027, 3, 9, 12, tzinfo=NY), "EST"),
        (datetime(2027, 3, 16, 12, tzinfo=NY), "EDT"),
        (datetime(2027, 1, 27, 14, tzinfo=LONDON), "GMT"),
        (datetime(2027, 4, 7, 13, tzinfo=LONDON), "BST"),
        (datetime(2027, 1, 1, 9, tzinfo=ZoneInfo("Asia/Dubai")), "UTC+04:00"),
        (datetime(2027, 1, 1, 9, tzinfo=ZoneInfo("America/St_Johns")), "NST"),
        (datetime(2027, 1, 1, 9, tzinfo=ZoneInfo("America/Caracas")), "UTC-04:00"),
    ],
)
def test_zone_abbreviation(value: datetime, expected: str) -> None:
    assert zone_abbreviation(value) == expected


def test_time_ranges() -> None:
    start = datetime(2027, 3, 16, 12, tzinfo=NY)
    assert time_range(start, datetime(2027, 3, 16, 13, 30, tzinfo=NY)) == "12:00 pm – 1:30 pm EDT"
    late = datetime(2027, 3, 16, 23, tzinfo=NY)
    assert time_range(late, datetime(2027, 3, 17, 0, 30, tzinfo=NY)) == (
        "11:00 pm EDT – 12:30 am EDT (Wednesday 17 March)"
    )
    # A session during the night clocks go back starts in EDT and ends in EST.
    night = datetime(2027, 11, 7, 0, 30, tzinfo=NY)
    assert time_range(night, datetime(2027, 11, 7, 3, 0, tzinfo=NY)) == (
        "12:30 am EDT – 3:00 am EST"
    )
    assert long_date(start) == "Tuesday 16 March 2027"


def test_month_grid_starts_on_sunday_and_places_items() -> None:
    grid = month_grid(2027, 2, {date(2027, 2, 10): ["x"]}, today=date(2027, 2, 3))
    assert grid.label == "February 2027"
    assert [short for _, short in grid.weekdays] == [
        "Sun",
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
    ]
    first_week = grid.weeks[0]
    assert [day.date.day if day.date else None for day in first_week] == [
        None, 1, 2, 3, 4, 5, 6,
    ]  # fmt: skip
    assert first_week[3].is_today
    cells = [day for week in grid.weeks for day in week if day.items]
    assert [(day.date, day.items) for day in cells] == [(date(2027, 2, 10), ("x",))]
    assert grid.count == 1
    assert grid.label == "February 2027"


def test_months_between_crosses_years() -> None:
    assert months_between(date(2026, 11, 30), date(2027, 2, 1)) == [
        (2026, 11), (2026, 12), (2027, 1), (2027, 2),
    ]  # fmt: skip


def test_plain_text_keeps_paragraphs_lists_and_link_targets() -> None:
    html = (
        '<p>Meet <strong>us</strong> &amp; <a href="https://example.org/x">the team</a>.</p>'
        "<ul><li>One</li><li>Two</li></ul><p>Bye</p>"
    )
    assert html_to_text(html) == (
        "Meet us & the team (https://example.org/x).\n\n- One\n- Two\n\nBye"
    )


def test_git_log_output_gives_each_file_its_newest_commit() -> None:
    output = "\x1e1800000000\n\nb.md\na.md\n\x1e1700000000\n\na.md\nc.md\n"
    times = parse_log(output)
    assert {name: int(value.timestamp()) for name, value in times.items()} == {
        "a.md": 1800000000,
        "b.md": 1800000000,
        "c.md": 1700000000,
    }
