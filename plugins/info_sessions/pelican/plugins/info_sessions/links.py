"""Calendar links: add one session (Google, Outlook.com, Office 365) or subscribe to a feed.

None of these services documents its URL format formally; the parameters below are the ones
the services have accepted for years (Google's event template; Outlook's compose deeplink
and add-from-web page). Keep every such URL in this module so one test covers them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

GOOGLE_EVENT = "https://calendar.google.com/calendar/render"
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
OUTLOOK_COM = "https://outlook.live.com"
OFFICE_365 = "https://outlook.office.com"
_COMPOSE = "/calendar/0/deeplink/compose"
_ADD_FROM_WEB = "/calendar/0/addfromweb"


def _query(params: list[tuple[str, str]]) -> str:
    return urlencode([(k, v) for k, v in params if v], quote_via=quote, safe="")


def google_event_link(
    title: str, start: datetime, end: datetime, details: str, location: str
) -> str:
    """Google Calendar's "create event" template, times in UTC."""
    dates = f"{start.astimezone(UTC):%Y%m%dT%H%M%SZ}/{end.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    params = [
        ("action", "TEMPLATE"),
        ("text", title),
        ("dates", dates),
        ("details", details),
        ("location", location),
    ]
    return f"{GOOGLE_EVENT}?{_query(params)}"


def outlook_event_link(
    host: str, title: str, start: datetime, end: datetime, body: str, location: str
) -> str:
    """Outlook's compose-event deeplink on ``host`` (OUTLOOK_COM or OFFICE_365), UTC times."""
    params = [
        ("path", "/calendar/action/compose"),
        ("rru", "addevent"),
        ("subject", title),
        ("startdt", f"{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"),
        ("enddt", f"{end.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"),
        ("body", body),
        ("location", location),
    ]
    return f"{host}{_COMPOSE}?{_query(params)}"


def webcal_url(feed_url: str) -> str:
    """The feed's address with the webcal scheme (Apple Calendar subscribes to it)."""
    parts = urlsplit(feed_url)
    return urlunsplit(("webcal", *parts[1:]))


def outlook_subscribe_link(host: str, feed_url: str, name: str) -> str:
    """Outlook's "add calendar from the web" page on ``host``, filled with the feed."""
    return f"{host}{_ADD_FROM_WEB}?{_query([('url', feed_url), ('name', name)])}"
