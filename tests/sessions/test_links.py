"""Add-to-calendar and subscribe links: exact URLs, one module."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from pelican.plugins.info_sessions import links

START = datetime(2027, 3, 16, 12, tzinfo=ZoneInfo("America/New_York"))  # EDT, UTC-4
END = datetime(2027, 3, 16, 13, 30, tzinfo=ZoneInfo("America/New_York"))


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_google_event_template_in_utc() -> None:
    entry = links.CalendarEntry("MHQS & you", START, END, "Line 1\nLine 2", "Room 1, Boston")
    url = links.google_event_link(entry)
    assert url == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=MHQS%20%26%20you"
        "&dates=20270316T160000Z%2F20270316T173000Z&details=Line%201%0ALine%202"
        "&location=Room%201%2C%20Boston"
    )
    assert query(url)["dates"] == ["20270316T160000Z/20270316T173000Z"]


def test_outlook_and_office_compose_links() -> None:
    for host, base in (
        (links.OUTLOOK_COM, "https://outlook.live.com/calendar/0/deeplink/compose?"),
        (links.OFFICE_365, "https://outlook.office.com/calendar/0/deeplink/compose?"),
    ):
        entry = links.CalendarEntry("Session", START, END, "Body", "Online")
        url = links.outlook_event_link(host, entry)
        assert url.startswith(base)
        assert query(url) == {
            "path": ["/calendar/action/compose"],
            "rru": ["addevent"],
            "subject": ["Session"],
            "startdt": ["2027-03-16T16:00:00Z"],
            "enddt": ["2027-03-16T17:30:00Z"],
            "body": ["Body"],
            "location": ["Online"],
        }


def test_empty_values_are_left_out() -> None:
    url = links.google_event_link(links.CalendarEntry("T", START, END, "", ""))
    assert "details" not in query(url) and "location" not in query(url)


def test_webcal_keeps_host_port_and_path() -> None:
    assert links.webcal_url("https://example.org/calendar/all.ics") == (
        "webcal://example.org/calendar/all.ics"
    )
    assert links.webcal_url("http://127.0.0.1:8000/calendar/all.ics") == (
        "webcal://127.0.0.1:8000/calendar/all.ics"
    )


def test_outlook_add_from_web_links() -> None:
    feed = "https://example.org/calendar/online.ics"
    assert links.outlook_subscribe_link(links.OUTLOOK_COM, feed, "Online sessions (Site)") == (
        "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2F"
        "calendar%2Fonline.ics&name=Online%20sessions%20%28Site%29"
    )
    office = links.outlook_subscribe_link(links.OFFICE_365, feed, "X")
    assert office.startswith("https://outlook.office.com/calendar/0/addfromweb?")
    assert query(office) == {"url": [feed], "name": ["X"]}
    assert links.GOOGLE_ADD_BY_URL == "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
