"""Month-grid data for the calendar view: weeks of days, each with its sessions."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

# Weeks start on Sunday, as in calendars in the United States.
FIRST_WEEKDAY = calendar.SUNDAY


@dataclass(frozen=True)
class Day:
    """One cell of the grid: a date of the month (None for padding) and its sessions."""

    date: date | None
    items: tuple[Any, ...]
    is_today: bool


@dataclass(frozen=True)
class Month:
    """A month's grid, with the weekday names for the header row."""

    year: int
    month: int
    weeks: tuple[tuple[Day, ...], ...]
    weekdays: tuple[tuple[str, str], ...]  # (full name, abbreviation)

    @property
    def label(self) -> str:
        """'December 2026'."""
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def caption(self) -> str:
        """'February 2027: 2 sessions'."""
        return f"{self.label}: {self.count} session{'' if self.count == 1 else 's'}"

    @property
    def count(self) -> int:
        """How many sessions the month has."""
        return sum(len(day.items) for week in self.weeks for day in week)


def month_grid(year: int, month: int, items: Mapping[date, Sequence[Any]], today: date) -> Month:
    """The grid of one month, with ``items`` (by date) placed on their days."""
    grid = calendar.Calendar(FIRST_WEEKDAY)
    weeks = tuple(
        tuple(
            Day(
                date=day if day.month == month else None,
                items=tuple(items.get(day, ())) if day.month == month else (),
                is_today=day == today,
            )
            for day in week
        )
        for week in grid.monthdatescalendar(year, month)
    )
    weekdays = tuple(
        (calendar.day_name[number], calendar.day_abbr[number]) for number in grid.iterweekdays()
    )
    return Month(year=year, month=month, weeks=weeks, weekdays=weekdays)


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from the month of ``first`` to the month of ``last``."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
