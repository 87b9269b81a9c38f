"""Session files: the strict header parser and field validation, message by message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.info_sessions.headers import read_header
from pelican.plugins.info_sessions.model import FIELDS, Format, Status
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.plugins.info_sessions.validation import Checked, parse_duration, validate

PATH = "content/sessions/alpha-online.md"
VALID = """\
Title: Alpha online session
Program: alpha
Format: online
Start: 2026-12-08 12:00
Duration: 1h
Join-URL: https://example.org/join/alpha

Meet the *faculty*.
"""
IN_PERSON = """\
Title: Alpha campus session
Program: alpha
Format: in-person
Start: 2026-12-08 12:00
End: 2026-12-08 13:30
Location: Room 1, 1 Example Street, Boston

Body.
"""


CONFIG = SessionSettings.from_settings(
    {
        "SITEURL": "https://example.org",
        "TIMEZONE": "America/New_York",
        "INFO_SESSIONS_TODAY": "2026-11-23",
        "INFO_SESSIONS_REQUIRE_PROGRAM": True,
    }
)


def check(text: str, relative: str = "sessions/alpha-online.md") -> Checked:
    """Parse and validate ``text`` as the file ``relative`` of a content folder."""
    display = f"content/{relative}"
    return validate(
        read_header(text, display, FIELDS),
        relative_path=relative,
        source_path=f"/site/{display}",
        config=CONFIG,
        render=lambda body: f"<p>{body}</p>",
    )


def messages(result: Checked) -> list[str]:
    """The problems of one file as staff read them."""
    return [str(problem) for problem in result.problems]


def edited(base: str, old: str, new: str) -> str:
    assert old in base, f"{old!r} not in the base text"
    return base.replace(old, new, 1)


def test_valid_file_gives_a_typed_session() -> None:
    result = check(VALID)
    assert result.problems == ()
    session = result.session
    assert session.title == "Alpha online session"
    assert session.format is Format.ONLINE
    assert session.status is Status.SCHEDULED
    assert session.start == datetime(2026, 12, 8, 12, tzinfo=ZoneInfo("America/New_York"))
    assert session.start.utcoffset() == timedelta(hours=-5)
    assert session.end - session.start == timedelta(hours=1)
    assert session.uid == "alpha-online@example.org"
    assert session.sequence == 0
    assert session.url == "sessions/alpha-online/"
    assert session.feed_path == "calendar/sessions/alpha-online.ics"


def test_field_names_are_case_insensitive_and_header_may_continue_a_line() -> None:
    text = edited(IN_PERSON, "Location: Room 1,", "location: Room 1,\n  Floor 2,")
    session = check(text).session
    assert session.location == "Room 1, Floor 2, 1 Example Street, Boston"


def test_crlf_and_byte_order_mark_are_accepted() -> None:
    result = check("\ufeff" + VALID.replace("\n", "\r\n"))
    assert result.problems == ()
    assert result.session.join_url == "https://example.org/join/alpha"


def test_explicit_uid_sequence_status_and_modified() -> None:
    text = edited(VALID, "Duration: 1h", "Duration: 1h\nUID: alpha-2026\nSequence: 3")
    text = edited(text, "Format: online", "Format: Online\nStatus: Full\nModified: 2026-11-02")
    session = check(text).session
    assert session.uid == "alpha-2026@example.org"
    assert session.sequence == 3
    assert session.status is Status.FULL
    assert session.modified == datetime(2026, 11, 2, tzinfo=ZoneInfo("America/New_York"))
    full_uid = edited(VALID, "Duration: 1h", "Duration: 1h\nUID: x-1@other.example")
    assert check(full_uid).session.uid == "x-1@other.example"


def test_duration_crossing_a_clock_change_is_elapsed_time() -> None:
    # 1 November 2026, 01:30 EDT + 1 h = 01:30 EST (clocks went back in between).
    text = edited(VALID, "Start: 2026-12-08 12:00", "Start: 2026-11-01 00:30")
    text = edited(text, "Duration: 1h", "Duration: 2h")
    session = check(text).session
    assert session.end.astimezone(UTC) - session.start.astimezone(UTC) == timedelta(hours=2)
    assert session.end.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("90m", 90), ("1h", 60), ("1h30m", 90), ("1h 30m", 90), ("2H", 120), ("45min", 45)],
)
def test_durations(raw: str, expected: int) -> None:
    assert parse_duration(raw) == timedelta(minutes=expected)


@pytest.mark.parametrize("raw", ["", "90", "1.5h", "h", "m", "an hour", "-1h", "1h30"])
def test_not_durations(raw: str) -> None:
    assert parse_duration(raw) is None


BAD = [
    pytest.param(
        VALID,
        "Title: Alpha online session\n",
        "",
        "content/sessions/alpha-online.md: Title: (missing): required; add a 'Title:' line",
        id="missing-title",
    ),
    pytest.param(
        VALID,
        "Program: alpha\n",
        "",
        "content/sessions/alpha-online.md: Program: (missing): required; "
        "add 'Program: <program slug>'",
        id="missing-program",
    ),
    pytest.param(
        VALID,
        "Title:",
        "Titel:",
        [
            "content/sessions/alpha-online.md:1: Titel: 'Alpha online session': unknown field; "
            "did you mean 'Title'?",
            "content/sessions/alpha-online.md: Title: (missing): required; add a 'Title:' line",
        ],
        id="misspelt-field",
    ),
    pytest.param(
        VALID,
        "Join-URL: https://example.org/join/alpha\n",
        "Join-URL: https://example.org/join/alpha\nColour: blue\n",
        "content/sessions/alpha-online.md:7: Colour: 'blue': unknown field; remove it; "
        "known fields: Title, Program, Format, Start, End, Duration, Timezone, Location, "
        "Map-URL, Join-URL, Registration-URL, Status, UID, Sequence, Modified, Repeat, Until, "
        "Count, Skip, Cancel, Move",
        id="unknown-field",
    ),
    pytest.param(
        VALID,
        "Duration: 1h\n",
        "Duration: 1h\nStart: 2026-12-09 12:00\n",
        "content/sessions/alpha-online.md:6: Start: '2026-12-09 12:00': set twice, on lines "
        "4 and 6; keep one",
        id="repeated-field",
    ),
    pytest.param(
        VALID,
        "Duration: 1h\n",
        "Duration: 1h\nthis line has no colon\n",
        "content/sessions/alpha-online.md:6: (header): 'this line has no colon': not 'Field: "
        "value'; put a blank line between the header and the description",
        id="header-line-without-colon",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: onsite",
        "content/sessions/alpha-online.md:3: Format: 'onsite': must be one of in-person, online, "
        "hybrid (did you mean 'online'?)",
        id="unknown-format",
    ),
    pytest.param(
        VALID,
        "Start: 2026-12-08 12:00",
        "Start: 8 December 2026, noon",
        "content/sessions/alpha-online.md:4: Start: '8 December 2026, noon': not a date and "
        "time; write it as YYYY-MM-DD HH:MM, e.g. 2027-03-09 18:00",
        id="start-not-a-date",
    ),
    pytest.param(
        VALID,
        "Start: 2026-12-08 12:00",
        "Start: 2027-02-30 12:00",
        "content/sessions/alpha-online.md:4: Start: '2027-02-30 12:00': not a date and time; "
        "write it as YYYY-MM-DD HH:MM, e.g. 2027-03-09 18:00",
        id="start-impossible-date",
    ),
    pytest.param(
        VALID,
        "Duration: 1h\n",
        "",
        "content/sessions/alpha-online.md: End: (missing): required; add 'End: YYYY-MM-DD "
        "HH:MM' or 'Duration: 90m' (or 1h30m)",
        id="no-end-or-duration",
    ),
    pytest.param(
        VALID,
        "Duration: 1h",
        "Duration: 1h\nEnd: 2026-12-08 13:00",
        "content/sessions/alpha-online.md:5: Duration: '1h': give End or Duration, not both; "
        "remove one of the two lines",
        id="end-and-duration",
    ),
    pytest.param(
        VALID,
        "Duration: 1h",
        "Duration: an hour",
        "content/sessions/alpha-online.md:5: Duration: 'an hour': not a duration; write it like "
        "90m, 1h or 1h30m",
        id="bad-duration",
    ),
    pytest.param(
        VALID,
        "Duration: 1h",
        "Duration: 12h30m",
        "content/sessions/alpha-online.md:5: Duration: '12h30m': the session would last 12 h 30 "
        "min; 12 hours at most",
        id="too-long",
    ),
    pytest.param(
        IN_PERSON,
        "End: 2026-12-08 13:30",
        "End: 2026-12-08 11:30",
        "content/sessions/alpha-online.md:5: End: '2026-12-08 11:30': must end after Start "
        "(2026-12-08 12:00)",
        id="ends-before-start",
    ),
    pytest.param(
        VALID,
        "Duration: 1h",
        "Duration: 0m",
        "content/sessions/alpha-online.md:5: Duration: '0m': must end after Start "
        "(2026-12-08 12:00)",
        id="zero-duration",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: online\nTimezone: America/Bostn",
        "content/sessions/alpha-online.md:4: Timezone: 'America/Bostn': unknown time zone; use "
        "an IANA name such as 'America/New_York' (did you mean 'America/Boise'?)",
        id="unknown-zone",
    ),
    pytest.param(
        VALID,
        "Start: 2026-12-08 12:00",
        "Start: 2027-03-14 02:30",
        "content/sessions/alpha-online.md:4: Start: '2027-03-14 02:30': does not exist in "
        "America/New_York: clocks go forward 1 hour that night and skip this time; choose a "
        "time at least 1 hour earlier or later",
        id="dst-gap",
    ),
    pytest.param(
        VALID,
        "Start: 2026-12-08 12:00",
        "Start: 2027-11-07 01:30",
        "content/sessions/alpha-online.md:4: Start: '2027-11-07 01:30': is ambiguous in "
        "America/New_York: clocks go back 1 hour that night, so it happens twice; choose a "
        "time at least 1 hour earlier or later",
        id="dst-fold",
    ),
    pytest.param(
        edited(IN_PERSON, "Start: 2026-12-08 12:00", "Start: 2027-03-28 00:30"),
        "End: 2026-12-08 13:30",
        "End: 2027-03-28 01:30\nTimezone: Europe/London",
        "content/sessions/alpha-online.md:5: End: '2027-03-28 01:30': does not exist in "
        "Europe/London: clocks go forward 1 hour that night and skip this time; choose a "
        "time at least 1 hour earlier or later",
        id="dst-gap-in-end",
    ),
    pytest.param(
        IN_PERSON,
        "Location: Room 1, 1 Example Street, Boston\n",
        "",
        "content/sessions/alpha-online.md: Location: (missing): required for in-person "
        "sessions; add 'Location: venue, address'",
        id="in-person-without-location",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: hybrid",
        "content/sessions/alpha-online.md: Location: (missing): required for hybrid sessions; "
        "add 'Location: venue, address'",
        id="hybrid-without-location",
    ),
    pytest.param(
        VALID,
        "Join-URL: https://example.org/join/alpha\n",
        "",
        "content/sessions/alpha-online.md: Join-URL: (missing): required for online sessions; "
        "add 'Join-URL: https://...'",
        id="online-without-join-url",
    ),
    pytest.param(
        VALID,
        "Join-URL: https://example.org/join/alpha",
        "Join-URL: http://example.org/join/alpha",
        "content/sessions/alpha-online.md:6: Join-URL: 'http://example.org/join/alpha': must be "
        "an https:// URL with a host and no spaces",
        id="join-url-not-https",
    ),
    pytest.param(
        VALID,
        "Join-URL: https://example.org/join/alpha",
        "Join-URL: https://example.org/join/alpha\nRegistration-URL: javascript:alert(1)",
        "content/sessions/alpha-online.md:7: Registration-URL: 'javascript:alert(1)': must be "
        "an https:// URL with a host and no spaces",
        id="registration-url-script",
    ),
    pytest.param(
        IN_PERSON,
        "Location: Room 1, 1 Example Street, Boston",
        "Location: Room 1, 1 Example Street, Boston\nMap-URL: http://maps.example.org/room-1",
        "content/sessions/alpha-online.md:7: Map-URL: 'http://maps.example.org/room-1': must "
        "be an https:// URL with a host and no spaces",
        id="map-url-not-https",
    ),
    pytest.param(
        IN_PERSON,
        "Location: Room 1, 1 Example Street, Boston",
        "Location: Room 1, 1 Example Street, Boston\nMap-URL: javascript:alert(1)",
        "content/sessions/alpha-online.md:7: Map-URL: 'javascript:alert(1)': must "
        "be an https:// URL with a host and no spaces",
        id="map-url-script",
    ),
    pytest.param(
        VALID,
        "Join-URL: https://example.org/join/alpha",
        "Join-URL: https://example.org/join/alpha\nMap-URL: https://maps.example.org/x",
        "content/sessions/alpha-online.md:7: Map-URL: 'https://maps.example.org/x': online "
        "sessions have no venue to map; remove the line or set 'Format: hybrid'",
        id="map-url-online",
    ),
    pytest.param(
        VALID,
        "Join-URL: https://example.org/join/alpha",
        "Join-URL: https://example.org/join/alpha\nLocation: Room 1",
        "content/sessions/alpha-online.md:7: Location: 'Room 1': online sessions have no venue; "
        "remove the line or set 'Format: hybrid'",
        id="online-with-location",
    ),
    pytest.param(
        IN_PERSON,
        "Location:",
        "Join-URL: https://example.org/j\nLocation:",
        "content/sessions/alpha-online.md:6: Join-URL: 'https://example.org/j': in-person "
        "sessions have no join link; remove the line or set 'Format: hybrid'",
        id="in-person-with-join-url",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: online\nStatus: canceled",
        "content/sessions/alpha-online.md:4: Status: 'canceled': must be one of scheduled, "
        "cancelled, postponed, full (did you mean 'cancelled'?)",
        id="unknown-status",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: online\nSequence: -1",
        "content/sessions/alpha-online.md:4: Sequence: '-1': must be a whole number, 0 or more; "
        "raise it by one for each change to the time, place or status",
        id="negative-sequence",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: online\nUID: my uid",
        "content/sessions/alpha-online.md:4: UID: 'my uid': use letters, digits, '.', '_' and "
        "'-', optionally '@domain', e.g. 'alpha-online-2027' ; or remove the line to use the "
        "file name",
        id="bad-uid",
    ),
    pytest.param(
        VALID,
        "Format: online",
        "Format: online\nModified: yesterday",
        "content/sessions/alpha-online.md:4: Modified: 'yesterday': write it as YYYY-MM-DD or "
        "YYYY-MM-DD HH:MM",
        id="bad-modified",
    ),
    pytest.param(
        VALID,
        "Title: Alpha online session",
        "Title:",
        "content/sessions/alpha-online.md:1: Title: '': required; add a 'Title:' line",
        id="empty-title",
    ),
]


@pytest.mark.parametrize(("base", "old", "new", "expected"), BAD)
def test_each_bad_input_gives_one_exact_message(
    base: str, old: str, new: str, expected: str | list[str]
) -> None:
    result = check(edited(base, old, new))
    assert messages(result) == ([expected] if isinstance(expected, str) else expected)
    assert result.session is None


def test_every_problem_of_a_file_is_reported_together() -> None:
    text = """\
Titel: Typo
Program: alpha
Format: onsite
Start: 2027-03-14 02:30
Duration: 20h
Status: maybe

Body.
"""
    problems = check(text, "sessions/Bad Name.md").problems
    fields = [problem.field for problem in problems]
    assert fields == ["Titel", "(file name)", "Title", "Format", "Start", "Duration", "Status"]
    assert {problem.path for problem in problems} == {"content/sessions/Bad Name.md"}
    assert [problem.line for problem in problems] == [1, None, None, 3, 4, 5, 6]


def test_a_file_without_header_is_reported() -> None:
    result = check("\nJust a description.\n")
    assert messages(result)[0] == (
        "content/sessions/alpha-online.md: (header): (missing): the file has no header; start "
        "it with 'Title: ...' lines, then a blank line, then the description"
    )


def test_body_lines_that_look_like_fields_stay_in_the_body() -> None:
    result = check(VALID + "\nNote: this is body text.\n")
    assert result.problems == ()
    assert "Note: this is body text." in result.session.body_html


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_hostile_text_never_crashes_and_problems_keep_their_form(text: str) -> None:
    result = check(text)
    assert (result.session is None) == bool(result.problems)
    for problem in result.problems:
        assert problem.path == "content/sessions/alpha-online.md"
        assert problem.field and problem.fix
        lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        assert problem.line is None or 1 <= problem.line <= lines


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["Title", "Program", "Format", "Start", "Duration", "End", "Timezone",
                         "Location", "Join-URL", "Status", "Sequence", "UID"]),
        st.text(alphabet=st.characters(codec="ascii", exclude_characters="\r\n"), max_size=40),
    )
)  # fmt: skip
def test_hostile_header_values_give_a_session_or_field_problems(values: dict) -> None:
    text = "".join(f"{name}: {value}\n" for name, value in values.items()) + "\nBody\n"
    result = check(text)
    if result.session is not None:
        assert result.session.end > result.session.start
        assert result.session.end - result.session.start <= timedelta(hours=12)
        assert result.session.start.tzinfo is not None
