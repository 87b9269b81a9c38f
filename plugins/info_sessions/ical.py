"""iCalendar (RFC 5545 + RFC 7986) files: a pure function from sessions to bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vText, vUri

from info_sessions.model import Format, Session, Status
from info_sessions.vtimezone import vtimezone


@dataclass(frozen=True)
class EventInfo:
    """A session with what its feed entry needs beyond the file: names, links, stamp."""

    session: Session
    summary: str
    description: str  # plain text
    page_url: str  # absolute URL of the session's page
    categories: tuple[str, ...]
    stamp: datetime  # aware; written in UTC


@dataclass(frozen=True)
class CalendarInfo:
    """What a subscribable feed says about itself (single-event files have none)."""

    name: str
    description: str
    url: str  # absolute URL of the page about the feed
    refresh: timedelta


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _location(session: Session) -> str:
    """Venue for in-person and hybrid sessions; the join link for online-only sessions."""
    return session.join_url if session.format is Format.ONLINE else session.location


def _event(info: EventInfo) -> Event:
    session = info.session
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", _utc(info.stamp))
    event.add("sequence", session.sequence)
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("summary", info.summary)
    event.add("description", info.description)
    if _location(session):
        event.add("location", _location(session))
    event.add("url", vUri(info.page_url), parameters={"VALUE": "URI"})
    event.add("status", session.status.ical)
    event.add("categories", list(info.categories))
    event.add("transp", "OPAQUE")
    if session.join_url and session.status is not Status.CANCELLED:
        event.add(
            "conference",
            vUri(session.join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"},
        )
    return event


def calendar_bytes(events: Sequence[EventInfo], *, prodid: str, info: CalendarInfo | None) -> bytes:
    """A VCALENDAR with one VEVENT per session; ``info`` None makes a single-event file
    without a calendar name (Outlook would otherwise open it as a new calendar)."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", prodid)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if info is not None:
        # vText explicitly: icalendar writes NAME and X- properties it does not know as raw
        # text, so a program called "A; B, C" would leave ; , and \ unescaped.
        calendar.add("name", vText(info.name))
        calendar.add("x-wr-calname", vText(info.name))
        calendar.add("description", info.description)
        calendar.add("x-wr-caldesc", vText(info.description))
        calendar.add("url", vUri(info.url), parameters={"VALUE": "URI"})
        calendar.add("refresh-interval", info.refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(info.refresh))
    ordered = sorted(events, key=lambda e: (_utc(e.session.start), e.session.uid))
    if ordered:
        first = min(_utc(e.session.start) for e in ordered)
        last = max(_utc(e.session.end) for e in ordered)
        for tzid in sorted({e.session.timezone for e in ordered}):
            calendar.add_component(vtimezone(tzid, first, last))
    for info_event in ordered:
        calendar.add_component(_event(info_event))
    return calendar.to_ical(sorted=False)
