"""Every problem a series file can have, message by message; and the series rules alone."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from pelican.plugins.info_sessions.headers import read_header
from pelican.plugins.info_sessions.model import FIELDS, Status
from pelican.plugins.info_sessions.series import parse_repeat
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.plugins.info_sessions.validation import Checked, horizon_problems, validate

from tests.problems import without_lines
from tests.sessions.conftest import SCENARIOS, TODAY
from tools.build import BuildError, build_site, site_today

PATH = "content/sessions/alpha-monthly.md"
SERIES = """\
Title: Alpha monthly
Program: alpha
Format: online
Start: 2027-01-05 12:00
Timezone: America/New_York
Duration: 1h
Repeat: monthly on the first Tuesday
Until: 2027-06-30
Join-URL: https://example.org/join/alpha

Body.
"""
CONFIG = SessionSettings.from_settings(
    {
        "SITEURL": "https://example.org",
        "TIMEZONE": "America/New_York",
        "INFO_SESSIONS_TODAY": TODAY,
    }
)


def edited(**fields: str | None) -> str:
    """SERIES with fields set (``Join_URL`` for ``Join-URL``; None removes the line)."""
    head, _, body = SERIES.partition("\n\n")
    lines = head.split("\n")
    for name, value in fields.items():
        name = name.replace("_", "-")
        at = [i for i, line in enumerate(lines) if line.startswith(f"{name}:")]
        if value is None:
            lines = [line for i, line in enumerate(lines) if i not in at]
        elif at:
            lines[at[0]] = f"{name}: {value}"
        else:
            lines.append(f"{name}: {value}")
    return "\n".join(lines) + "\n\n" + body


def check(text: str) -> Checked:
    return validate(
        read_header(text, PATH, FIELDS),
        relative_path="sessions/alpha-monthly.md",
        source_path=f"/site/{PATH}",
        config=CONFIG,
        render=lambda body: f"<p>{body}</p>",
    )


def problems(text: str) -> list[str]:
    result = check(text)
    found = list(result.problems) + horizon_problems({PATH: result}, CONFIG)
    return [
        f"{p.field}: {'(missing)' if p.value is None else repr(p.value)}: {p.fix}" for p in found
    ]


FORMS = (
    "write one of: 'weekly'; 'every N weeks'; 'monthly on the first|second|third|fourth|last "
    "<weekday>'; 'monthly on day N'"
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"Repeat": "fortnightly"}, f"Repeat: 'fortnightly': not a repeat rule; {FORMS}"),
        ({"Repeat": "every 0 weeks"}, "Repeat: 'every 0 weeks': not a repeat rule;"),
        ({"Repeat": "monthly on day 32"}, "Repeat: 'monthly on day 32': not a repeat rule;"),
        ({"Repeat": "monthly on the fifth Tuesday"}, "Repeat: 'monthly on the fifth Tuesday': not"),
        (
            {"Until": None},
            "Until: (missing): a series needs its end: add 'Until: YYYY-MM-DD' (its last date) "
            "or 'Count: N' (how many dates)",
        ),
        ({"Count": "3"}, "Count: '3': give Until or Count, not both; remove one of the two lines"),
        ({"Until": "2026-12-31"}, "Until: '2026-12-31': is before Start (2027-01-05)"),
        ({"Until": "2027-02-30"}, "Until: '2027-02-30': not a date; write it as YYYY-MM-DD"),
        ({"Until": None, "Count": "0"}, "Count: '0': must be a whole number from 1 to 100"),
        ({"Until": None, "Count": "101"}, "Count: '101': must be a whole number from 1 to 100"),
        ({"Until": None, "Count": "six"}, "Count: 'six': must be a whole number from 1 to 100"),
        (
            {"Repeat": "weekly", "Until": "2029-01-01"},
            "Until: '2029-01-01': the series would have more than 100 dates",
        ),
        (
            {"Skip": "2027-04-07"},
            "Skip: '2027-04-07': not a date of this series; the nearest dates are 2027-04-06 "
            "and 2027-05-04",
        ),
        (
            {"Cancel": "2026-12-01"},
            "Cancel: '2026-12-01': not a date of this series; the nearest date is 2027-01-05",
        ),
        ({"Cancel": "March 2"}, "Cancel: 'March 2': not a date; write each as YYYY-MM-DD"),
        (
            {"Move": "2027-05-04 13:00"},
            "Move: '2027-05-04 13:00': write each move as '<date> to <new start>'",
        ),
        (
            {"Move": "2027-05-04 to 2027-06-01 13:00"},
            "Move: '2027-05-04 to 2027-06-01 13:00': moves 2027-05-04 onto 2027-06-01, which is "
            "already a date of this series; choose another day, or skip that date first",
        ),
        (
            {"Move": "2027-05-04 to 2027-03-14 02:30"},
            "Move: '2027-05-04 to 2027-03-14 02:30': the new start does not exist in "
            "America/New_York: clocks go forward 1 hour that night",
        ),
        (
            {"Skip": "2027-03-02", "Cancel": "2027-03-02"},
            "Cancel: '2027-03-02': 2027-03-02 is also in Skip; a date may be in one of Skip, "
            "Cancel and Move only",
        ),
        (
            {"Duration": None, "End": "2027-01-05 13:00"},
            "End: '2027-01-05 13:00': a series gives its length with Duration",
        ),
        ({"Duration": None}, "Duration: (missing): required for a series; add 'Duration: 1h'"),
        ({"Status": "full"}, "Status: 'full': a series has no single status; list cancelled"),
        (
            {"Start": "2027-01-06 12:00"},
            "Start: '2027-01-06 12:00': is a Wednesday (2027-01-06), not the first Tuesday of "
            "its month, as 'Repeat: monthly on the first Tuesday' needs",
        ),
        (
            {"Start": "2027-01-04 12:00", "Repeat": "monthly on day 5"},
            "Start: '2027-01-04 12:00': is a Monday (2027-01-04), not day 5 of its month",
        ),
        (
            {"Start": "2027-03-07 02:30", "Repeat": "weekly", "Until": "2027-03-21"},
            "Start: '2027-03-14 02:30': the series' date 2027-03-14 at this time does not exist "
            "in America/New_York: clocks go forward 1 hour that night and skip this time; "
            "choose a time at least 1 hour earlier or later; or add 'Skip: 2027-03-14', or "
            "move that date ('Move: 2027-03-14 to YYYY-MM-DD HH:MM')",
        ),
        (
            {"Start": "2027-10-31 01:30", "Repeat": "weekly", "Until": "2027-11-07"},
            "Start: '2027-11-07 01:30': the series' date 2027-11-07 at this time is ambiguous "
            "in America/New_York: clocks go back 1 hour that night, so it happens twice",
        ),
        (
            {"Until": "2027-12-31"},
            "Until: '2027-12-31': the series reaches 2027-12-07, beyond the feeds' horizon "
            "(INFO_SESSIONS_FUTURE_DAYS: 365 days after today, 2026-11-23, that is "
            "2027-11-23); end the series by then and extend it later",
        ),
        (
            {"Move": "2027-06-01 to 2028-01-04 12:00"},
            "Move: '2027-06-01 to 2028-01-04 12:00': the series reaches 2028-01-04, beyond the "
            "feeds' horizon",
        ),
        (
            {"Start": "9999-12-20 12:00", "Repeat": "weekly", "Until": None, "Count": "5"},
            "Start: '9999-12-20 12:00': the year 9999 is not between 1900 and 2999; check the year",
        ),
        (
            {"Move": "2027-05-04 to 9999-12-31 23:30"},
            "Move: '2027-05-04 to 9999-12-31 23:30': the new start is too far ahead",
        ),
        (
            {"Skip": ", ".join(["2027-02-02"] * 500)},
            "Skip: '2027-02-02, 2027-02-02, 2027-02-02, 2027-02-02, 2027-02-02, ...': lists 500 "
            "dates; a series has 100 dates at most",
        ),
        (
            {"Until": None, "Count": "1", "Skip": "2027-01-05"},
            "Skip: '2027-01-05': skips every date of the series",
        ),
    ],
)
def test_each_problem_names_field_value_and_fix(fields: dict, expected: str) -> None:
    found = problems(edited(**fields))
    assert any(line.startswith(expected) for line in found), found


@pytest.mark.parametrize("name", ["Until", "Count", "Skip", "Cancel", "Move"])
def test_series_fields_in_a_single_session_are_refused(name: str) -> None:
    text = edited(**{"Repeat": None, "Until": None, name: "2027-01-05"})
    (found,) = problems(text)
    assert found == (
        f"{name}: '2027-01-05': only a series has this field; add 'Repeat: ...' (e.g. "
        "'Repeat: weekly') to make the file a series, or remove the line"
    )


def test_every_problem_of_a_file_is_listed_at_once() -> None:
    text = edited(Status="full", Count="3", Repeat="fortnightly", Duration=None)
    fields = [line.split(":")[0] for line in problems(text)]
    assert fields == ["Status", "Duration", "Repeat", "Count"]


def test_the_skip_resolves_a_date_in_the_skipped_hour() -> None:
    text = edited(Start="2027-03-07 02:30", Repeat="weekly", Until="2027-03-21", Skip="2027-03-14")
    result = check(text)
    assert result.problems == ()
    assert [s.start.isoformat() for s in result.sessions] == [
        "2027-03-07T02:30:00-05:00",
        "2027-03-21T02:30:00-04:00",
    ]


def test_a_valid_series_gives_its_dates_and_uids() -> None:
    result = check(
        edited(Skip="2027-04-06", Cancel="2027-03-02", Move="2027-05-04 to 2027-05-11 13:00")
    )
    assert result.problems == () and result.session is None
    assert [s.uid for s in result.sessions] == [
        "alpha-monthly-20270105@example.org",
        "alpha-monthly-20270202@example.org",
        "alpha-monthly-20270302@example.org",
        "alpha-monthly-20270504@example.org",
        "alpha-monthly-20270601@example.org",
    ]
    assert [s.status for s in result.sessions].count(Status.CANCELLED) == 1
    assert result.uids == tuple(s.uid for s in result.sessions)
    with_uid = check(edited(UID="alpha-2027"))
    assert with_uid.sessions[0].uid == "alpha-2027-20270105@example.org"


@pytest.mark.parametrize(
    ("raw", "first", "dates"),
    [
        ("weekly", date(2027, 1, 4), ["2027-01-04", "2027-01-11", "2027-01-18"]),
        ("Every 2 Weeks", date(2027, 1, 4), ["2027-01-04", "2027-01-18", "2027-02-01"]),
        (
            "monthly on the last friday",
            date(2027, 1, 29),
            ["2027-01-29", "2027-02-26", "2027-03-26"],
        ),
        (
            "monthly on the second monday",
            date(2027, 1, 11),
            ["2027-01-11", "2027-02-08", "2027-03-08"],
        ),
        ("monthly on day 31", date(2027, 1, 31), ["2027-01-31", "2027-03-31", "2027-05-31"]),
        ("monthly  on  day 29", date(2027, 1, 29), ["2027-01-29", "2027-03-29", "2027-04-29"]),
        ("monthly on day 29", date(2028, 1, 29), ["2028-01-29", "2028-02-29", "2028-03-29"]),
    ],
)
def test_rules_give_their_dates(raw: str, first: date, dates: list[str]) -> None:
    rule = parse_repeat(raw)
    assert rule is not None and rule.gives(first)
    given = rule.dates(first)
    assert [next(given).isoformat() for _ in dates] == dates


def test_a_build_lists_every_series_problem_of_every_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / "series", content)
    sessions = content / "sessions"
    monthly = sessions / "alpha-monthly.md"
    monthly.write_text(monthly.read_text().replace("Skip: 2027-04-06", "Skip: 2027-04-07"))
    weekly = sessions / "beta-four-weekly.md"
    weekly.write_text(weekly.read_text().replace("Until: 2027-11-15", "Until: 2027-12-31"))
    (sessions / "beta-four-weekly-2027-02-08.md").write_text(
        "Title: Clash\nProgram: beta\nFormat: online\nStart: 2027-02-09 12:00\nDuration: 1h\n"
        "Join-URL: https://example.org/join/clash\n\nBody.\n"
    )
    with pytest.raises(BuildError) as raised:
        build_site(tmp_path / "output", overrides={"PATH": str(content), **site_today(TODAY)})
    found = without_lines(raised.value)
    assert any(
        line.startswith("content/sessions/alpha-monthly.md: Skip: '2027-04-07': not a date")
        for line in found
    ), found
    assert any(
        line.startswith("content/sessions/beta-four-weekly.md: Until: '2027-12-31': the series")
        for line in found
    ), found
    assert any(
        line.startswith(
            "content/sessions/beta-four-weekly-2027-02-08.md: (file name): 'beta-four-weekly-"
            "2027-02-08': also the page name of a date of the series "
            "content/sessions/beta-four-weekly.md"
        )
        for line in found
    ), found
    assert not (tmp_path / "output").exists()
