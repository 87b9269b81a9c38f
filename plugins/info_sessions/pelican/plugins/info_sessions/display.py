"""What pages show about a session: dates, times with zone abbreviations, links, JSON-LD.

``make_view`` turns a Session into the SessionView templates get; they only loop, branch and
hold the English copy around these values.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from . import links
from .jsonld import Organizer, event_jsonld, jsonld_script_text
from .model import URL_TAIL, WITHDRAWN_LINK, Format, Series, Session, Status
from .plaintext import html_to_text
from .programs import Program
from .settings import SessionSettings

# How a view's parts may be reused: ``value(key, compute)`` (see cache.BuildCache.value).
Derive = Callable[[Hashable, Callable[[], Any]], Any]


# English names, whatever locale Pelican sets for the process (LOCALE, by default the
# machine's): the calendar module and strftime's %A and %B follow the locale, so a build on
# a machine set to German would write "Dezember".
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def weekday_name(value: date | datetime) -> str:
    """'Monday'."""
    return WEEKDAYS[value.weekday()]


def month_name(value: date | datetime) -> str:
    """'November'."""
    return MONTHS[value.month - 1]


def long_date(value: date | datetime, *, weekday: bool = True) -> str:
    """'Tuesday 8 December 2026', or '8 December 2026' without the weekday (no leading zero,
    English names whatever the locale)."""
    day = f"{value.day} {month_name(value)} {value.year}"
    return f"{weekday_name(value)} {day}" if weekday else day


def clock(value: datetime) -> str:
    """'6:00 pm', '12:30 pm', '9:00 am'."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M} {'am' if value.hour < 12 else 'pm'}"


def zone_abbreviation(value: datetime) -> str:
    """'EST', 'EDT', 'GMT', 'BST'; 'UTC+03:00' where the zone has no lettered abbreviation."""
    name = value.tzname() or ""
    if re.fullmatch(r"[A-Z]{2,5}", name):
        return name
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def time_range(start: datetime, end: datetime) -> str:
    """'6:00 pm – 7:30 pm EST'; the end's date is named when the session passes midnight."""
    start_zone, end_zone = zone_abbreviation(start), zone_abbreviation(end)
    if start.date() != end.date():
        return (
            f"{clock(start)} {start_zone} – {clock(end)} {end_zone} "
            f"({weekday_name(end)} {end.day} {month_name(end)})"
        )
    if start_zone != end_zone:
        return f"{clock(start)} {start_zone} – {clock(end)} {end_zone}"
    return f"{clock(start)} – {clock(end)} {start_zone}"


def place_name(zone: ZoneInfo) -> str:
    """'New York' for America/New_York."""
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class CalendarLinks:
    """Where to add one session: its own .ics and the web calendars' compose pages."""

    ics: str
    google: str
    outlook: str
    office365: str


@dataclass(frozen=True)
class Instead:
    """Where the page of a cancelled or postponed session sends visitors: the next session
    of its program that takes place, or (``next_url`` "") its program's feed and list page
    (every session's, for a session of no program)."""

    next_url: str  # site-relative page of that session; "" when none is scheduled
    next_title: str
    next_date_text: str
    feed_key: str  # the feed's key, an anchor on the subscribe page ("feed-<key>")
    list_url: str  # site-relative list page of that feed


@dataclass(frozen=True)
class SessionView:
    """A session as the pages show it."""

    session: Session
    program: Program | None  # None when the site gives no programs or the session names none
    url: str
    page_url: str
    date_text: str
    time_text: str
    site_time_text: str
    description: str  # plain text: status, program, links and the body
    calendar_links: CalendarLinks
    jsonld: Markup
    instead: Instead | None = None  # set for cancelled and postponed sessions (feeds.py)

    @property
    def title(self) -> str:
        """The session's title."""
        return self.session.title

    @property
    def body(self) -> Markup:
        """The description rendered from Markdown (raw HTML already escaped); once the
        session is cancelled or postponed, without its join link (see html_without_link)."""
        session = self.session
        if session.join_link or not session.join_url:
            return Markup(session.body_html)
        return Markup(html_without_link(session.body_html, session.join_url))

    @property
    def map_url(self) -> str:
        """A map of the venue: the Map-URL field, else an OpenStreetMap search for the
        Location; "" for an online session."""
        if not self.session.format.in_person:
            return ""
        return self.session.map_url or links.map_search_link(self.session.location)

    @property
    def join_url(self) -> str:
        """The join link to show: "" once the session is cancelled or postponed."""
        return self.session.join_link

    @property
    def format(self) -> Format:
        """In person, online or hybrid."""
        return self.session.format

    @property
    def status(self) -> Status:
        """Scheduled, cancelled, postponed or full."""
        return self.session.status

    @property
    def start_iso(self) -> str:
        """Start with its UTC offset, for <time datetime>."""
        return self.session.start.isoformat()

    @property
    def end_iso(self) -> str:
        """End with its UTC offset, for <time datetime>."""
        return self.session.end.isoformat()

    @property
    def start_text(self) -> str:
        """'12:00 pm EST': the start alone, for the month grid."""
        return f"{clock(self.session.start)} {zone_abbreviation(self.session.start)}"

    @property
    def program_name(self) -> str:
        """The program's title; "" without a program."""
        return self.program.title if self.program is not None else ""

    @property
    def open_for_registration(self) -> bool:
        """True when the registration link should be offered."""
        return bool(self.session.registration_url) and self.session.status is Status.SCHEDULED

    @property
    def series_url(self) -> str:
        """The page of the series this session is a date of; "" for a single session."""
        return self.session.series_url

    @property
    def moved_from_text(self) -> str:
        """'Tuesday 4 May 2027, 12:00 pm EDT' for a moved date of a series; "" otherwise."""
        return moved_text(self.session)


def moved_text(session: Session) -> str:
    """Where a moved date of a series was planned, as pages and calendars say it."""
    moved = session.moved_from
    if moved is None:
        return ""
    return f"{long_date(moved)}, {clock(moved)} {zone_abbreviation(moved)}"


@dataclass(frozen=True)
class SeriesView:
    """A series as its page shows it: what its dates share, and the dates themselves."""

    series: Series
    program: Program | None
    first: SessionView  # the first date: format, place, links and description of them all
    upcoming: tuple[SessionView, ...]
    past: tuple[SessionView, ...]  # newest first
    every: tuple[SessionView, ...]  # every date, in time order

    @property
    def moved(self) -> tuple[SessionView, ...]:
        """The dates that moved, in time order."""
        return tuple(view for view in self.every if view.session.moved_from is not None)

    @property
    def schedule(self) -> str:
        """When the series meets: 'on the first Tuesday of each month', 'every week'."""
        return self.series.schedule

    @property
    def clock_text(self) -> str:
        """The wall-clock time every date keeps: '12:00 pm New York time'."""
        start = self.first.session.start
        return f"{clock(start)} {place_name(ZoneInfo(self.first.session.timezone))} time"

    @property
    def title(self) -> str:
        """The series' title."""
        return self.series.title

    @property
    def url(self) -> str:
        """The series page's site-relative URL."""
        return self.series.url

    @property
    def ics(self) -> str:
        """The .ics file holding every date of the series."""
        return self.series.feed_path

    @property
    def repeat(self) -> str:
        """The Repeat value as written, e.g. 'monthly on the first Tuesday'."""
        return self.series.repeat


def series_view(
    series: Series,
    program: Program | None,
    by_uid: dict[str, SessionView],
    config: SessionSettings,
) -> SeriesView:
    """The view of one series, from the views of its dates (``by_uid``)."""
    every = tuple(by_uid[session.uid] for session in series.occurrences)
    today_start = config.today_start
    return SeriesView(
        series=series,
        program=program,
        first=every[0],
        upcoming=tuple(v for v in every if v.session.end > today_start),
        past=tuple(v for v in reversed(every) if v.session.end <= today_start),
        every=every,
    )


_ANCHOR = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def html_without_link(body_html: str, url: str) -> str:
    """Rendered Markdown with every link to ``url`` (or to an address it starts) reduced to
    its text, and the address itself, where it is written out, replaced by WITHDRAWN_LINK."""

    def unlink(anchor: re.Match[str]) -> str:
        return anchor.group(2) if html.unescape(anchor.group(1)).startswith(url) else anchor[0]

    body_html = _ANCHOR.sub(unlink, body_html)
    escaped = str(escape(url))
    return re.sub(re.escape(escaped) + URL_TAIL, WITHDRAWN_LINK, body_html)


def summary(session: Session) -> str:
    """Title as calendars show it; prefixed when the session will not happen as planned."""
    prefix = {Status.CANCELLED: "Cancelled: ", Status.POSTPONED: "Postponed: "}
    return prefix.get(session.status, "") + session.title


def description_head(session: Session, program_name: str, page_url: str) -> list[str]:
    """The first lines of a calendar description: status, program, how to attend, links."""
    lines = []
    if session.status is Status.CANCELLED:
        lines.append("CANCELLED: this session will not take place.")
    elif session.status is Status.POSTPONED:
        lines.append("POSTPONED: a new date will be announced.")
    elif session.status is Status.FULL:
        lines.append("FULL: registration is closed; the session goes ahead.")
    if session.moved_from is not None:
        lines.append(f"MOVED: this date of the series was first planned for {moved_text(session)}.")
    about = f": {program_name}" if program_name else ""
    lines.append(f"Information session{about} ({session.format.label.lower()}).")
    if session.format.in_person:
        lines.append(f"Where: {session.location}")
    if session.join_link:
        lines.append(f"Join online: {session.join_link}")
    if session.registration_url and session.status is Status.SCHEDULED:
        lines.append(f"Register: {session.registration_url}")
    lines.append(f"Details: {page_url}")
    return lines


def calendar_links(session: Session, ics_url: str, short_description: str) -> CalendarLinks:
    """Add-to-calendar links for one session."""
    entry = links.CalendarEntry(
        title=session.without_join_link(summary(session)),
        start=session.start,
        end=session.end,
        details=session.without_join_link(short_description),
        location=(session.join_link or "Online")
        if session.format is Format.ONLINE
        else session.location,
    )
    return CalendarLinks(
        ics=ics_url,
        google=links.google_event_link(entry),
        outlook=links.outlook_event_link(links.OUTLOOK_COM, entry),
        office365=links.outlook_event_link(links.OFFICE_365, entry),
    )


def site_time_text(session: Session, site_zone: ZoneInfo) -> str:
    """The time in the site's zone when the session's zone differs, e.g. 'That is ... in
    New York'; '' otherwise."""
    if ZoneInfo(session.timezone) == site_zone:
        return ""
    start, end = session.start.astimezone(site_zone), session.end.astimezone(site_zone)
    day = "" if start.date() == session.start.date() else f"{long_date(start)}, "
    return f"{day}{time_range(start, end)} in {place_name(site_zone)}"


def make_view(
    session: Session, program: Program | None, config: SessionSettings, derive: Derive
) -> SessionView:
    """The view of one session; its text, JSON-LD and links go through ``derive`` (pure
    functions of their keys, so `make serve` may reuse them between rebuilds)."""
    program_name = program.title if program is not None else ""
    page_url = f"{config.site_url}/{session.url}"
    head = "\n".join(description_head(session, program_name, page_url))
    body = derive(("text", session.body_html), lambda: html_to_text(session.body_html))
    description = head + (f"\n\n{body}" if body else "")
    jsonld = derive(
        ("jsonld", session, description, config.site_url, config.organizer, program_name),
        lambda: jsonld_script_text(
            event_jsonld(
                session,
                description=description,
                program_name=program_name,
                organizer=Organizer(config.organizer, f"{config.site_url}/"),
                page_url=page_url,
            )
        ),
    )
    # Keyed by the wall times with their offsets and zones: aware datetimes compare equal
    # across zones when they are the same instant, which is not the same text.
    when = (session.start.isoformat(), session.end.isoformat(), session.timezone)
    date_text, time_text, site_text = derive(
        ("when", *when, config.site_timezone.key),
        lambda: (
            long_date(session.start),
            time_range(session.start, session.end),
            site_time_text(session, config.site_timezone),
        ),
    )
    return SessionView(
        session=session,
        program=program,
        url=session.url,
        page_url=page_url,
        date_text=date_text,
        time_text=time_text,
        site_time_text=site_text,
        description=description,
        calendar_links=derive(
            ("links", session, head), lambda: calendar_links(session, session.feed_path, head)
        ),
        jsonld=jsonld,
    )
