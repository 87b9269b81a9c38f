"""The feeds people subscribe to and the list pages that mirror them, from one table.

``FEEDS`` declares each kind of feed once: its key, which sessions it holds, the window of
time it covers, its wording in calendar apps and the settings that say where it and its
list page go. A per-program kind gives one feed and one list page per program the site
provides. Pages get the results as plain data (``Feed``, ``Listing``); their English copy is
in the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from . import links
from .display import MONTHS, Instead, SessionView
from .programs import Program
from .settings import SessionSettings


@dataclass(frozen=True)
class Window:
    """The sessions a feed holds in time: those that end after ``since`` and start before
    ``until`` (None: no bound on that side)."""

    since: datetime | None = None
    until: datetime | None = None

    def holds(self, view: SessionView) -> bool:
        """Whether the session is inside the window."""
        session = view.session
        return (self.since is None or session.end > self.since) and (
            self.until is None or session.start < self.until
        )


def recent_and_upcoming(config: SessionSettings) -> Window:
    """Sessions that ended in the last INFO_SESSIONS_PAST_DAYS days (so past sessions do not
    vanish from calendars the moment they start) and every upcoming one."""
    return Window(since=config.today_start - timedelta(days=config.past_days))


def recent_and_coming_year(config: SessionSettings) -> Window:
    """As ``recent_and_upcoming``, up to INFO_SESSIONS_FUTURE_DAYS days ahead: the aggregate
    feeds."""
    return Window(
        since=config.today_start - timedelta(days=config.past_days),
        until=config.today_start + timedelta(days=config.future_days),
    )


@dataclass(frozen=True)
class FeedKind:
    """One kind of feed (and of list page): declared once, in ``FEEDS``."""

    key: str  # "all", "in-person", "online"; "program" for one feed per program
    includes: Callable[[SessionView, Program | None], bool]
    window: Callable[[SessionSettings], Window]
    calendar_name: str  # the calendar's name in subscribers' apps; {program} for its name
    description: str  # the calendar's description; {title} for the program's title
    path_setting: str  # the SessionSettings field with the feed file's pattern
    list_setting: str  # the SessionSettings field with the list page's URL pattern

    @property
    def per_program(self) -> bool:
        """Whether there is one of these per program."""
        return self.key == "program"

    def key_for(self, program: Program | None) -> str:
        """The key of this feed (and of its list page): "program-<slug>" per program."""
        return f"{self.key}-{program.slug}" if program is not None else self.key

    def pattern(self, config: SessionSettings, setting: str, program: Program | None) -> str:
        """A URL or file from the pattern in ``setting``, e.g. "calendar/{format}.ics"."""
        slug = program.slug if program is not None else ""
        return str(getattr(config, setting)).format(format=self.key, slug=slug)


FEEDS: tuple[FeedKind, ...] = (
    FeedKind(
        key="all",
        includes=lambda view, program: True,
        window=recent_and_coming_year,
        calendar_name="Info sessions",
        description="Every information session of every program.",
        path_setting="feed_all",
        list_setting="index_url",
    ),
    FeedKind(
        key="in-person",
        includes=lambda view, program: view.format.in_person,
        window=recent_and_coming_year,
        calendar_name="In-person info sessions",
        description="Information sessions you can attend in person (in-person and hybrid).",
        path_setting="feed_format",
        list_setting="format_url",
    ),
    FeedKind(
        key="online",
        includes=lambda view, program: view.format.online,
        window=recent_and_coming_year,
        calendar_name="Online info sessions",
        description="Information sessions you can join online (online and hybrid).",
        path_setting="feed_format",
        list_setting="format_url",
    ),
    FeedKind(
        key="program",
        includes=lambda view, program: program is not None and view.program == program,
        window=recent_and_upcoming,
        calendar_name="{program} info sessions",
        description="Information sessions of the {title}.",
        path_setting="feed_program",
        list_setting="program_url",
    ),
)


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
    kind: str  # its FeedKind's key
    program: Program | None
    name: str  # the calendar's name in subscribers' apps (NAME, X-WR-CALNAME)
    description: str
    path: str  # file under the output folder
    url: str  # absolute https (or http in development) URL
    webcal: str
    google: str  # Google Calendar's subscribe prompt (links.google_subscribe_link)
    outlook: str
    office365: str
    list_url: str  # site-relative URL of the matching list page
    sessions: tuple[SessionView, ...]  # what the feed holds (its window of time)
    window: Window
    left_out: int = 0  # sessions dropped from the feed by the size guard


@dataclass(frozen=True)
class Listing:
    """A list page of upcoming sessions: the feed it mirrors, its address, its months."""

    key: str
    kind: str
    program: Program | None
    url: str
    groups: tuple[MonthGroup, ...]
    feed: Feed

    @property
    def count(self) -> int:
        """How many sessions the page lists."""
        return sum(len(group.sessions) for group in self.groups)


@dataclass(frozen=True)
class ProgramList:
    """Where a program's list page is, made from settings and the program alone (no
    session), for links to it from any page."""

    key: str  # the list page's (and its feed's) key
    url: str
    program: Program


def program_lists(config: SessionSettings, programs: Sequence[Program]) -> tuple[ProgramList, ...]:
    """The per-program list pages, in the site's order of programs."""
    (kind,) = (kind for kind in FEEDS if kind.per_program)
    return tuple(
        ProgramList(kind.key_for(p), kind.pattern(config, kind.list_setting, p), p)
        for p in programs
    )


@dataclass(frozen=True)
class ProgramSessions:
    """One program's sessions as its own page shows them: upcoming ones, feed, list page."""

    program: Program
    upcoming: tuple[SessionView, ...]
    feed: Feed
    listing: Listing


def group_by_month(views: Iterable[SessionView]) -> tuple[MonthGroup, ...]:
    """Consecutive sessions grouped by the month of their local start date."""

    def month(view: SessionView) -> tuple[int, int]:
        return view.session.start.year, view.session.start.month

    return tuple(
        MonthGroup(
            id=f"{year:04d}-{number:02d}",
            label=f"{MONTHS[number - 1]} {year}",
            sessions=tuple(items),
        )
        for (year, number), items in groupby(views, key=month)
    )


def make_feed(
    kind: FeedKind,
    program: Program | None,
    config: SessionSettings,
    held: Sequence[SessionView],
    window: Window,
) -> Feed:
    """The feed of ``kind`` (for ``program``); ``held``: the sessions in its ``window``."""
    path = kind.pattern(config, kind.path_setting, program)
    url = f"{config.site_url}/{path}"
    name = kind.calendar_name.format(program=program.name if program else "")
    full_name = f"{name} ({config.site_name})"
    return Feed(
        key=kind.key_for(program),
        kind=kind.key,
        program=program,
        name=full_name,
        description=kind.description.format(title=program.title if program else ""),
        path=path,
        url=url,
        webcal=links.webcal_url(url),
        google=links.google_subscribe_link(url),
        outlook=links.outlook_subscribe_link(links.OUTLOOK_COM, url, full_name),
        office365=links.outlook_subscribe_link(links.OFFICE_365, url, full_name),
        list_url=kind.pattern(config, kind.list_setting, program),
        sessions=tuple(v for v in held if kind.includes(v, program)),
        window=window,
    )


def make_listing(
    kind: FeedKind, program: Program | None, feed: Feed, upcoming: Sequence[SessionView]
) -> Listing:
    """The list page that mirrors ``feed``: its upcoming sessions, by month."""
    return Listing(
        key=feed.key,
        kind=kind.key,
        program=program,
        url=feed.list_url,
        groups=group_by_month(v for v in upcoming if kind.includes(v, program)),
        feed=feed,
    )


def every_feed(
    config: SessionSettings,
    programs: Sequence[Program],
    views: Sequence[SessionView],
    upcoming: Sequence[SessionView],
) -> tuple[tuple[Feed, ...], tuple[Listing, ...]]:
    """Every feed of the table, and its list page, in table order (one per program for
    the per-program kind)."""
    feeds, listings = [], []
    in_window: dict[Window, list[SessionView]] = {}
    for kind in FEEDS:
        window = kind.window(config)
        if window not in in_window:
            in_window[window] = [view for view in views if window.holds(view)]
        for program in programs if kind.per_program else (None,):
            feed = make_feed(kind, program, config, in_window[window], window)
            feeds.append(feed)
            listings.append(make_listing(kind, program, feed, upcoming))
    return tuple(feeds), tuple(listings)


def instead_of(
    view: SessionView, upcoming: Sequence[SessionView], feeds: Sequence[Feed]
) -> Instead:
    """Where the page of a cancelled or postponed session points: the first upcoming session
    of the same program that takes place, and the program's feed (every session's without
    a program) with its list page."""
    (per_program,) = (kind for kind in FEEDS if kind.per_program)
    feed_key = per_program.key_for(view.program) if view.program is not None else FEEDS[0].key
    feed = next(feed for feed in feeds if feed.key == feed_key)
    following = next(
        (
            other
            for other in upcoming
            if other is not view
            and other.status.happening
            and other.program is not None
            and other.program == view.program
        ),
        None,
    )
    return Instead(
        next_url=following.url if following else "",
        next_title=following.title if following else "",
        next_date_text=following.date_text if following else "",
        feed_key=feed.key,
        list_url=feed.list_url,
    )
