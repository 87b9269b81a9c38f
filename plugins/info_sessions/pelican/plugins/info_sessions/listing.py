"""The pages that list sessions and the feeds people subscribe to, as plain data."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from .display import SessionView


@dataclass(frozen=True)
class MonthGroup:
    """Sessions of one month, for the grouped lists."""

    id: str  # "2026-12", an anchor on the page
    label: str  # "December 2026"
    sessions: tuple[SessionView, ...]


@dataclass(frozen=True)
class Feed:
    """One subscribable iCalendar feed and every way offered to subscribe to it."""

    key: str  # "all", "in-person", "online", "program-<slug>"
    title: str  # shown on pages, e.g. "Online sessions"
    name: str  # the calendar's name in subscribers' apps (NAME, X-WR-CALNAME)
    description: str
    path: str  # file under the output folder
    url: str  # absolute https (or http in development) URL
    webcal: str
    outlook: str
    office365: str
    list_url: str  # site-relative URL of the matching list page
    sessions: tuple[SessionView, ...]  # what the feed holds (upcoming and recent past)


@dataclass(frozen=True)
class Listing:
    """A list page: its heading, intro, month groups and matching feed."""

    key: str
    title: str
    description: str
    url: str
    groups: tuple[MonthGroup, ...]
    feed: Feed | None
    empty_text: str

    @property
    def count(self) -> int:
        """How many sessions the page lists."""
        return sum(len(group.sessions) for group in self.groups)


def group_by_month(views: Iterable[SessionView]) -> tuple[MonthGroup, ...]:
    """Consecutive sessions grouped by the month of their local start date."""

    def month(view: SessionView) -> tuple[int, int]:
        return view.session.start.year, view.session.start.month

    return tuple(
        MonthGroup(
            id=f"{year:04d}-{number:02d}",
            label=f"{calendar.month_name[number]} {year}",
            sessions=tuple(items),
        )
        for (year, number), items in groupby(views, key=month)
    )


def filter_views(views: Sequence[SessionView], key: str) -> tuple[SessionView, ...]:
    """Views for a feed or page key: "all", "in-person", "online" or "program-<slug>"."""
    if key == "all":
        return tuple(views)
    if key == "in-person":
        return tuple(v for v in views if v.session.format.in_person)
    if key == "online":
        return tuple(v for v in views if v.session.format.online)
    slug = key.removeprefix("program-")
    return tuple(v for v in views if v.session.program_slug == slug)
