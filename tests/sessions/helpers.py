"""Helpers shared by the info-sessions tests: reading pages and iCalendar files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import ics
from bs4 import BeautifulSoup
from icalendar import Calendar


def page(site: Path, url: str) -> BeautifulSoup:
    """The built page at a directory-style URL."""
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def text(soup: BeautifulSoup) -> str:
    """Visible text with whitespace collapsed."""
    return " ".join(soup.get_text(" ").split())


def unfold(data: bytes) -> list[str]:
    """Content lines of an iCalendar file, unfolded (RFC 5545 section 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def icalendar_starts(data: bytes) -> dict[str, datetime]:
    """UID -> DTSTART in UTC, as the icalendar library reads the file."""
    calendar = Calendar.from_ical(data)
    return {
        str(event["UID"]): event.decoded("DTSTART").astimezone(UTC) for event in calendar.events
    }


def ics_starts(data: bytes) -> dict[str, datetime]:
    """UID -> DTSTART in UTC, as the independent ``ics`` library reads the file."""
    calendar = ics.Calendar(data.decode("utf-8"))
    return {event.uid: event.begin.datetime.astimezone(UTC) for event in calendar.events}
