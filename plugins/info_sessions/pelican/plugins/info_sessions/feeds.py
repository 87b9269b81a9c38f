"""The feeds people subscribe to and the list pages that mirror them, from one table.

``FEEDS`` declares each kind of feed once: its key, which sessions it holds, the window of
time it covers, its wording in calendar apps and the settings that say where it and its
list page go. A per-program kind gives one feed and one list page per program the site
provides. Pages get the results as plain data (``Feed``, ``Listing``); their English copy is
in the templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
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
        after = self.since is None or view.session.end > self.since
        return after and (self.until is None or view.session.start < self.until)


def recent_and_upcoming(config: SessionSettings) -> Window:
    """Sessions that ended in the last INFO_SESSIONS_PAST_DAYS days (so past sessions do not
    vanish from calendars the moment they start) and every upcoming one."""
    return Window(since=config.today_start - timedelta(days=config.past_days))


def recent_and_ahead(config: SessionSettings) -> Window:
    """``recent_and_upcoming``, up to INFO_SESSIONS_FUTURE_DAYS ahead: the aggregate feeds,
    which would otherwise grow with every session a school plans."""
    return replace(
        recent_and_upcoming(config), until=config.today_start + timedelta(days=config.future_days)
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
        window=recent_and_ahead,
        calendar_name="Info sessions",
        description="Every information session of every program.",
        path_setting="feed_all",
        list_setting="index_url",
    ),
    FeedKind(
        key="in-person",
        includes=lambda view, program: view.format.in_person,
        window=recent_and_ahead,
        calendar_name="In-person info sessions",
        description="Information sessions you can attend in person (in-person and hybrid).",
        path_setting="feed_format",
        list_setting="format_url",
    ),
    FeedKind(
        key="online",
        includes=lambda view, program: view.format.online,
        window=recent_and_ahead,
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
    sessions: tuple[SessionView, ...]  # what the feed holds (its window, less left_out)
    window: Window = Window()  # the time its kind covers
    left_out: int = 0  # sessions in the window dropped to keep the feed under the size limit

    @property
    def per_program(self) -> bool:
        """Whether this is a program's own feed (it always holds every session of it)."""
        return self.program is not None


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


def fit_to_size(feed: Feed, size: Callable[[Sequence[SessionView]], int], limit: int) -> Feed:
    """``feed`` with its farthest sessions left out until ``size`` of what it holds is at
    most ``limit`` bytes (``left_out`` says how many); unchanged when it fits. Only sessions
    of a program are left out: they stay in their program's feed, while one that names no
    program has no other feed (such a feed may then still pass ``limit``: the caller
    checks). The sessions are in order of start, so the farthest are the last: the most that
    fit is found by halving (``size`` is called a few times, not once per session)."""
    sessions = feed.sessions
    if size(sessions) <= limit:
        return feed
    droppable = [index for index, view in enumerate(sessions) if view.program is not None]

    def held(count: int) -> tuple[SessionView, ...]:
        dropped = set(droppable[count:])
        return tuple(view for index, view in enumerate(sessions) if index not in dropped)

    low, high = 0, len(droppable)  # the most droppable ones kept that fit are in [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if size(held(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    kept = held(low)
    return replace(feed, sessions=kept, left_out=len(sessions) - len(kept))


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
    fit: Callable[[Feed], Feed] = lambda feed: feed,
) -> tuple[tuple[Feed, ...], tuple[Listing, ...]]:
    """Every feed of the table, and its list page, in table order (one per program for
    the per-program kind); ``fit`` may leave sessions out of an aggregate feed to keep it
    under the size limit (a program's own feed is never trimmed)."""
    feeds, listings = [], []
    in_window: dict[Window, list[SessionView]] = {}
    for kind in FEEDS:
        window = kind.window(config)
        if window not in in_window:
            in_window[window] = [view for view in views if window.holds(view)]
        for program in programs if kind.per_program else (None,):
            feed = make_feed(kind, program, config, in_window[window], window)
            feed = feed if kind.per_program else fit(feed)
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
