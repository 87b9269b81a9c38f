"""The month view: one grid of weeks and days per month, each day with its sessions, and the
month pages from the first session (or this month) to the last, linked to each other."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .display import MONTHS, WEEKDAYS, SessionView

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
        return f"{MONTHS[self.month - 1]} {self.year}"

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
    weekdays = tuple((WEEKDAYS[number], WEEKDAYS[number][:3]) for number in grid.iterweekdays())
    return Month(year=year, month=month, weeks=weeks, weekdays=weekdays)


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from the month of ``first`` to the month of ``last``."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_span(days: Iterable[date], today: date) -> tuple[date, date]:
    """The first and last day the month pages must cover: the sessions' ``days`` (their
    local start dates) and today."""
    dates = [*days, today]
    return min(dates), max(dates)


@dataclass(frozen=True)
class MonthPage:
    """One page of the month view, with its neighbours."""

    url: str
    grid: Month
    previous: MonthPage | None = None
    next: MonthPage | None = None


def month_pages(views: Sequence[SessionView], today: date, month_url: str) -> tuple[MonthPage, ...]:
    """One page per month from the first session (or this month) to the last, each linked
    to the month before and after it; ``month_url`` is the pattern of their URLs."""
    by_date: dict[date, list[SessionView]] = {}
    for view in views:
        by_date.setdefault(view.session.start.date(), []).append(view)
    pages = [
        MonthPage(
            url=month_url.format(year=year, month=month),
            grid=month_grid(year, month, by_date, today),
        )
        for year, month in months_between(*month_span(by_date, today))
    ]
    return tuple(
        MonthPage(
            url=page.url,
            grid=page.grid,
            previous=pages[index - 1] if index else None,
            next=pages[index + 1] if index + 1 < len(pages) else None,
        )
        for index, page in enumerate(pages)
    )


def this_month(pages: Sequence[MonthPage], today: date) -> MonthPage:
    """The page of today's month (there always is one)."""
    return next(p for p in pages if (p.grid.year, p.grid.month) == (today.year, today.month))
