"""`make check` and `make new-session` with series, through the real CLI on copies of
tests/data/staff/site."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pelican.plugins.info_sessions.headers import read_header
from pelican.plugins.info_sessions.model import FIELDS

from tests.staff.conftest import environment, invoke
from tests.staff.test_check import check, edit

SERIES = """\
Title: Alpha monthly
Program: alpha
Format: online
Start: 2027-01-05 12:00
Duration: 1h
Repeat: monthly on the first Tuesday
Until: 2027-04-30
Cancel: 2027-02-02
Move: 2027-03-02 to 2027-03-09 13:00
Join-URL: https://example.org/join/alpha-monthly

Body.
"""


def git(content: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=content, env=environment(), check=True, capture_output=True)


def test_check_lists_the_dates_of_every_series(staff_site: Path) -> None:
    (staff_site / "sessions" / "alpha-monthly.md").write_text(
        SERIES.replace("Until: 2027-04-30", "Until: 2027-05-31\nSkip: 2027-05-04")
    )
    status, lines = check(staff_site)
    assert status == 0, lines
    assert lines == [
        "Checked content/: 5 session files, 2 programs, 2 quotes.",
        "",
        "Series content/sessions/alpha-monthly.md, on the first Tuesday of each month (4 dates):",
        "  2027-01-05  Tuesday 5 January 2027, 12:00 pm EST",
        "  2027-02-02  Tuesday 2 February 2027, 12:00 pm EST: cancelled",
        "  2027-03-02  Tuesday 9 March 2027, 1:00 pm EST: moved, first planned for Tuesday 2 "
        "March 2027, 12:00 pm EST",
        "  2027-04-06  Tuesday 6 April 2027, 12:00 pm EDT",
        "  2027-05-04  skipped",
        "No problems found.",
    ]


def test_check_names_the_months_a_day_31_series_has_no_session(staff_site: Path) -> None:
    text = SERIES.replace("monthly on the first Tuesday", "monthly on day 31")
    text = text.replace("2027-01-05 12:00", "2027-01-31 12:00").replace(
        "Until: 2027-04-30", "Count: 3"
    )
    text = text.replace("Cancel: 2027-02-02\nMove: 2027-03-02 to 2027-03-09 13:00\n", "")
    (staff_site / "sessions" / "alpha-day-31.md").write_text(text)
    status, lines = check(staff_site)
    assert status == 0
    assert lines[-2:] == [
        "1 warning (the build accepts these; check each):",
        "  content/sessions/alpha-day-31.md:6: Repeat: 'monthly on day 31': months without that "
        "day have no session: February 2027, April 2027; to meet every month, use 'monthly on "
        "the last <weekday>', or add a single session for those months",
    ]
    assert "  2027-05-31  Monday 31 May 2027, 12:00 pm EDT" in lines


def test_check_warns_of_a_moved_or_cancelled_date_without_a_higher_sequence(
    staff_site: Path,
) -> None:
    series = staff_site / "sessions" / "alpha-monthly.md"
    series.write_text(SERIES)
    git(staff_site, "init", "-q")
    git(staff_site, "add", ".")
    git(staff_site, "commit", "-q", "-m", "Published")
    edit(series, "Cancel: 2027-02-02", "Cancel: 2027-02-02, 2027-04-06")
    edit(series, "2027-03-09 13:00", "2027-03-09 14:00")
    edit(series, "Title: Alpha monthly", "Title: Alpha monthly, retitled")  # needs nothing
    status, lines = check(staff_site)
    assert status == 0
    warnings = lines[lines.index("1 warning (the build accepts these; check each):") + 1 :]
    assert warnings == [
        "  content/sessions/alpha-monthly.md:1: Sequence: '0': 2027-03-02: Start, End; "
        "2027-04-06: Status changed since the last commit but Sequence did not go up; set "
        "'Sequence: 1' so calendars that have the event update it",
    ]
    edit(series, "Join-URL:", "Sequence: 1\nJoin-URL:")
    assert check(staff_site)[1][-1] == "No problems found."


def test_check_warns_of_published_dates_a_series_no_longer_has(staff_site: Path) -> None:
    series = staff_site / "sessions" / "alpha-monthly.md"
    series.write_text(SERIES)
    git(staff_site, "init", "-q")
    git(staff_site, "add", ".")
    git(staff_site, "commit", "-q", "-m", "Published")
    edit(series, "Until: 2027-04-30", "Until: 2027-03-31\nSkip: 2027-01-05")
    status, lines = check(staff_site)
    assert status == 0
    assert lines[-1] == (
        "  content/sessions/alpha-monthly.md:6: (dates): '2027-01-05, 2027-04-06': in the last "
        "commit, but no longer dates of the series (Skip, Until or Count changed): "
        "subscribers' calendars keep them as stale events; if they were announced, make them "
        "dates of the series again and list them in 'Cancel:'"
    )
    series.unlink()
    lines = check(staff_site)[1]
    assert lines[-1].startswith(
        "  content/sessions/alpha-monthly.md: (file): (missing): deleted, but a published session"
    )
    assert "list its dates still to come in 'Cancel:'" in lines[-1]


def test_new_session_writes_a_series_the_build_accepts(staff_site: Path) -> None:
    run = invoke(
        "new-session",
        "--content", str(staff_site),
        "--program", "alpha",
        "--format", "online",
        "--start", "2027-01-05 12:00",
        "--duration", "1h",
        "--join-url", "https://example.org/join/alpha-series",
        "--repeat", "monthly on the first Tuesday",
        "--until", "2027-06-30",
    )  # fmt: skip
    assert run.status == 0, run.output
    (written,) = (staff_site / "sessions").glob("*series*.md")
    header = read_header(written.read_text("utf-8"), "x", FIELDS)
    assert header.problems == ()
    assert header.values["Repeat"] == "monthly on the first Tuesday"
    assert header.values["Until"] == "2027-06-30"
    assert "End" not in header.values and "Status" not in header.values
    lines = check(staff_site)[1]
    assert (
        f"Series content/sessions/{written.name}, on the first Tuesday of each month (6 dates):"
        in lines
    )


def test_new_session_refuses_a_bad_series_with_the_validators_message(staff_site: Path) -> None:
    base = [
        "new-session", "--content", str(staff_site), "--program", "alpha", "--format", "online",
        "--start", "2027-01-05 12:00", "--duration", "1h",
        "--join-url", "https://example.org/join/alpha-series",
    ]  # fmt: skip
    run = invoke(*base, "--repeat", "fortnightly", "--count", "3")
    assert run.status != 0
    assert (
        "--repeat: Repeat: 'fortnightly': not a repeat rule; write one of: 'weekly'" in run.output
    )
    run = invoke(*base, "--repeat", "weekly")
    assert run.status != 0
    assert "--until or --count" in run.output
    run = invoke(*base, "--repeat", "weekly", "--count", "3", "--until", "2027-02-01")
    assert run.status != 0
    assert "give --until or --count, not both" in run.output
    run = invoke(*base, "--count", "3")
    assert run.status != 0
    assert "--count: only with --repeat" in run.output
    assert list((staff_site / "sessions").glob("*series*")) == []
