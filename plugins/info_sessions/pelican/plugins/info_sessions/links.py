"""Calendar links: add one session (Google, Outlook.com, Office 365) or subscribe to a feed.

None of these services documents its URL format formally; the parameters below are the ones
the services have accepted for years (Google's event template; Outlook's compose deeplink
and add-from-web page). Keep every such URL in this module so one test covers them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

GOOGLE_EVENT = "https://calendar.google.com/calendar/render"
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
# Google's subscribe prompt: cid is the feed's webcal:// address (an https:// one is
# refused with "isn't associated with an active Google Calendar account").
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
OPENSTREETMAP_SEARCH = "https://www.openstreetmap.org/search"
OUTLOOK_COM = "https://outlook.live.com"
OFFICE_365 = "https://outlook.office.com"
_COMPOSE = "/calendar/0/deeplink/compose"
_ADD_FROM_WEB = "/calendar/0/addfromweb"


@dataclass(frozen=True)
class CalendarEntry:
    """What a web calendar's "add event" page is filled with."""

    title: str
    start: datetime  # aware
    end: datetime  # aware
    details: str  # plain text
    location: str


def _query(params: list[tuple[str, str]]) -> str:
    return urlencode([(k, v) for k, v in params if v], quote_via=quote, safe="")


def google_event_link(entry: CalendarEntry) -> str:
    """Google Calendar's "create event" template, times in UTC."""
    start, end = entry.start.astimezone(UTC), entry.end.astimezone(UTC)
    params = [
        ("action", "TEMPLATE"),
        ("text", entry.title),
        ("dates", f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"),
        ("details", entry.details),
        ("location", entry.location),
    ]
    return f"{GOOGLE_EVENT}?{_query(params)}"


def outlook_event_link(host: str, entry: CalendarEntry) -> str:
    """Outlook's compose-event deeplink on ``host`` (OUTLOOK_COM or OFFICE_365), UTC times."""
    params = [
        ("path", "/calendar/action/compose"),
        ("rru", "addevent"),
        ("subject", entry.title),
        ("startdt", f"{entry.start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"),
        ("enddt", f"{entry.end.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"),
        ("body", entry.details),
        ("location", entry.location),
    ]
    return f"{host}{_COMPOSE}?{_query(params)}"


def webcal_url(feed_url: str) -> str:
    """The feed's address with the webcal scheme (Apple Calendar subscribes to it)."""
    parts = urlsplit(feed_url)
    return urlunsplit(("webcal", *parts[1:]))


def outlook_subscribe_link(host: str, feed_url: str, name: str) -> str:
    """Outlook's "add calendar from the web" page on ``host``, filled with the feed."""
    return f"{host}{_ADD_FROM_WEB}?{_query([('url', feed_url), ('name', name)])}"


def google_subscribe_link(feed_url: str) -> str:
    """Google Calendar's prompt to subscribe to the feed (what Android visitors need, since
    webcal:// opens nothing there); the webcal address goes in ``cid``, percent-encoded."""
    return f"{GOOGLE_SUBSCRIBE}?{_query([('cid', webcal_url(feed_url))])}"


def map_search_link(address: str) -> str:
    """An OpenStreetMap search for a venue's address."""
    return f"{OPENSTREETMAP_SEARCH}?{_query([('query', address)])}"
