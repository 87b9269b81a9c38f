"""Feed writing as pure functions: VTIMEZONE rules and the iCalendar bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
from dateutil.tz import tzical
from icalendar import Calendar
from pelican.plugins.info_sessions.ical import CalendarInfo, EventInfo, calendar_bytes
from pelican.plugins.info_sessions.model import Format, Session, Status
from pelican.plugins.info_sessions.vtimezone import nth_weekday, transitions, vtimezone

from tests.sessions.helpers import icalendar_starts, unfold

NEW_YORK = ZoneInfo("America/New_York")
STAMP = datetime(2026, 11, 1, 12, tzinfo=UTC)
INFO = CalendarInfo("Info sessions (Site)", "All sessions.", "https://e.org/s/", timedelta(hours=6))


def make_session(slug: str = "a", **changes: object) -> Session:
    values: dict[str, object] = {
        "slug": slug,
        "source_path": f"/c/sessions/{slug}.md",
        "relative_source_path": f"sessions/{slug}.md",
        "title": "Alpha session",
        "program_slug": "alpha",
        "format": Format.ONLINE,
        "start": datetime(2026, 12, 8, 12, tzinfo=NEW_YORK),
        "end": datetime(2026, 12, 8, 13, tzinfo=NEW_YORK),
        "timezone": "America/New_York",
        "location": "",
        "map_url": "",
        "join_url": "https://example.org/join/a",
        "registration_url": "",
        "status": Status.SCHEDULED,
        "uid": f"{slug}@example.org",
        "sequence": 0,
        "modified": None,
        "body_html": "<p>Body</p>",
        "url": f"sessions/{slug}/",
        "save_as": f"sessions/{slug}/index.html",
        "feed_path": f"calendar/sessions/{slug}.ics",
    }
    values.update(changes)
    return Session(**values)


def event(session: Session, description: str = "Description") -> EventInfo:
    return EventInfo(
        session=session,
        summary=session.title,
        description=description,
        page_url=f"https://e.org/{session.url}",
        categories=("Info session", "ALP", session.format.label),
        stamp=STAMP,
    )


def property_lines(data: bytes, name: str) -> list[str]:
    return [line for line in unfold(data) if line.split(":")[0].split(";")[0] == name]


# -- VTIMEZONE ---------------------------------------------------------------------------


def test_transitions_of_new_york_in_2027() -> None:
    found = transitions(
        NEW_YORK, datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 12, 31, tzinfo=UTC)
    )
    assert [(t.at, t.offset_to, t.name) for t in found] == [
        (datetime(2027, 3, 14, 7, tzinfo=UTC), timedelta(hours=-4), "EDT"),
        (datetime(2027, 11, 7, 6, tzinfo=UTC), timedelta(hours=-5), "EST"),
    ]
    assert found[0].onset == datetime(2027, 3, 14, 2)  # noqa: DTZ001 - local wall clock
    assert found[1].onset == datetime(2027, 11, 7, 2)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("year", "month", "nth", "weekday", "expected"),
    [
        (2027, 3, 2, 6, date(2027, 3, 14)),
        (2027, 11, 1, 6, date(2027, 11, 7)),
        (2027, 3, -1, 6, date(2027, 3, 28)),
        (2027, 10, -1, 6, date(2027, 10, 31)),
        (2027, 2, 5, 6, None),
    ],
)
def test_nth_weekday(year: int, month: int, nth: int, weekday: int, expected: date) -> None:
    assert nth_weekday(year, month, nth, weekday) == expected


def vtimezone_text(tzid: str, start: datetime, end: datetime) -> str:
    return vtimezone(tzid, start, end).to_ical().decode()


def test_new_york_vtimezone_uses_rules_and_covers_only_the_span() -> None:
    text = vtimezone_text(
        "America/New_York",
        datetime(2026, 12, 1, tzinfo=NEW_YORK),
        datetime(2027, 11, 30, tzinfo=NEW_YORK),
    )
    assert "RDATE" not in text
    assert text.count("BEGIN:STANDARD") == 1 and text.count("BEGIN:DAYLIGHT") == 1
    assert "DTSTART:20261101T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in text
    assert "DTSTART:20270314T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in text
    assert "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500" in text
    assert "1970" not in text and "2038" not in text


def test_a_zone_without_changes_gets_one_fixed_observance() -> None:
    text = vtimezone_text(
        "Asia/Tokyo", datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 6, 1, tzinfo=UTC)
    )
    assert text.count("BEGIN:STANDARD") == 1
    assert "TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900" in text
    assert "RRULE" not in text
    # Its onset again as an RDATE: Home Assistant's ical reads onsets only from those.
    assert "DTSTART:20270101T000000\r\nRDATE:20270101T000000\r\n" in text


def test_a_rule_that_ends_inside_the_span_gets_until() -> None:
    # Brazil stopped daylight saving time after February 2019.
    text = vtimezone_text(
        "America/Sao_Paulo", datetime(2018, 6, 1, tzinfo=UTC), datetime(2020, 6, 1, tzinfo=UTC)
    )
    assert "UNTIL=" in text
    assert "RDATE" not in text


ZONES_AND_SPANS = [
    ("America/New_York", datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)),
    ("Europe/London", datetime(2026, 12, 1, tzinfo=UTC), datetime(2028, 2, 1, tzinfo=UTC)),
    ("Australia/Sydney", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)),
    ("America/Sao_Paulo", datetime(2018, 6, 1, tzinfo=UTC), datetime(2020, 6, 1, tzinfo=UTC)),
    ("Asia/Kolkata", datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC)),
]


@pytest.mark.parametrize(("tzid", "start", "end"), ZONES_AND_SPANS, ids=lambda v: str(v))
def test_our_vtimezone_alone_gives_both_parsers_the_right_offsets(
    tzid: str, start: datetime, end: datetime
) -> None:
    """Rename the zone so that icalendar cannot use its own zone database, and read the
    VTIMEZONE with dateutil's independent RFC 5545 reader (the one ``ics`` uses; ``ics``
    0.7.3 itself ignores VTIMEZONEs for events): the offsets then come from our rules
    alone, and must match zoneinfo's all through the span."""
    zone = ZoneInfo(tzid)
    instants = []
    moment = start
    while moment < end:
        instants.append(moment)
        moment += timedelta(hours=61)  # lands on every hour of the day over the span
    sessions = [
        make_session(
            f"s{number}",
            start=instant.astimezone(zone),
            end=(instant + timedelta(minutes=30)).astimezone(zone),
            timezone=tzid,
        )
        for number, instant in enumerate(instants)
        if not instant.astimezone(zone).fold  # a folded wall time is ambiguous by nature
    ]
    data = calendar_bytes([event(s) for s in sessions], prodid="-//T//T//EN", info=INFO)
    # icalendar caches zones by TZID for the whole process: one new name per zone.
    renamed = data.replace(tzid.encode(), f"Test-Zone/{tzid.replace('/', '-')}".encode())
    expected = {s.uid: s.start.astimezone(UTC) for s in sessions}
    assert icalendar_starts(renamed) == expected
    block = data.decode().split("BEGIN:VTIMEZONE", 1)[1].split("END:VTIMEZONE", 1)[0]
    rules = tzical(io.StringIO(f"BEGIN:VTIMEZONE{block}END:VTIMEZONE\r\n")).get(tzid)
    read_by_dateutil = {
        s.uid: s.start.replace(tzinfo=None).replace(tzinfo=rules).astimezone(UTC) for s in sessions
    }
    assert read_by_dateutil == expected


# -- calendar_bytes ------------------------------------------------------------------------


def test_feed_has_calendar_properties_crlf_and_folded_lines() -> None:
    long_title = "Sample session with a long title: " + "é" * 60
    data = calendar_bytes(
        [event(make_session(title=long_title), "Line one\nLine, two; three")],
        prodid="-//Our Site//info_sessions plugin//EN",
        info=INFO,
    )
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    lines = unfold(data)
    for expected in (
        "VERSION:2.0",
        "PRODID:-//Our Site//info_sessions plugin//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:Info sessions (Site)",
        "X-WR-CALNAME:Info sessions (Site)",
        "DESCRIPTION:All sessions.",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
        "DTSTAMP:20261101T120000Z",
        "DTSTART;TZID=America/New_York:20261208T120000",
        "DTEND;TZID=America/New_York:20261208T130000",
        "DESCRIPTION:Line one\\nLine\\, two\\; three",
        "STATUS:CONFIRMED",
        "CATEGORIES:Info session,ALP,Online",
    ):
        assert expected in lines
    summary = Calendar.from_ical(data).events[0]["SUMMARY"]
    assert summary == long_title


def test_single_event_file_has_no_calendar_name() -> None:
    data = calendar_bytes([event(make_session())], prodid="-//T//T//EN", info=None)
    names = {line.split(":")[0].split(";")[0] for line in unfold(data)}
    assert not names & {"NAME", "X-WR-CALNAME", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"}
    assert len(Calendar.from_ical(data).events) == 1


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.SCHEDULED, "CONFIRMED"),
        (Status.FULL, "CONFIRMED"),
        (Status.POSTPONED, "TENTATIVE"),
        (Status.CANCELLED, "CANCELLED"),
    ],
)
def test_status_values(status: Status, expected: str) -> None:
    data = calendar_bytes([event(make_session(status=status))], prodid="-//T//T//EN", info=None)
    assert property_lines(data, "STATUS") == [f"STATUS:{expected}"]


def test_online_session_join_link_in_conference_and_location() -> None:
    data = calendar_bytes([event(make_session())], prodid="-//T//T//EN", info=None)
    assert property_lines(data, "LOCATION") == ["LOCATION:https://example.org/join/a"]
    assert property_lines(data, "CONFERENCE") == [
        "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join online:https://example.org/join/a"
    ]


def test_hybrid_session_location_is_the_venue() -> None:
    hybrid = make_session(format=Format.HYBRID, location="Room 1, Boston")
    data = calendar_bytes([event(hybrid)], prodid="-//T//T//EN", info=None)
    assert property_lines(data, "LOCATION") == ["LOCATION:Room 1\\, Boston"]
    assert len(property_lines(data, "CONFERENCE")) == 1


def test_empty_feed_is_a_valid_calendar() -> None:
    data = calendar_bytes([], prodid="-//T//T//EN", info=INFO)
    assert Calendar.from_ical(data).events == []
    assert list(ics.Calendar(data.decode()).events) == []
    assert "BEGIN:VTIMEZONE" not in data.decode()


def test_events_are_sorted_and_output_is_deterministic() -> None:
    later = make_session(
        "b",
        start=datetime(2027, 1, 5, 9, tzinfo=NEW_YORK),
        end=datetime(2027, 1, 5, 10, tzinfo=NEW_YORK),
    )
    first = calendar_bytes([event(later), event(make_session())], prodid="-//T//T//EN", info=INFO)
    second = calendar_bytes([event(make_session()), event(later)], prodid="-//T//T//EN", info=INFO)
    assert first == second
    assert [line for line in unfold(first) if line.startswith("UID:")] == [
        "UID:a@example.org",
        "UID:b@example.org",
    ]
