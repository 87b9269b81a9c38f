"""Local times around clock changes, on every path by which one reaches a feed.

- A start or end whose wall-clock time is in a repeated hour (or, after any computation, in
  a skipped one) is written in UTC; every other time keeps its TZID. Checked with sessions
  at and around every clock change of several zones over two years, read back by ``ical``
  from the feed's VTIMEZONE rules alone and by calcurse.
- ``Modified`` in a repeated or skipped hour is refused, like Start and End.
- ``make serve`` keeps work between rebuilds keyed by session: 01:30 EDT and 01:30 EST are
  different ends there too.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.info_sessions.ical import calendar_bytes
from pelican.plugins.info_sessions.vtimezone import transitions, wall_clock_is_unique

from tests.feeds.checks import assert_sound_feeds
from tests.feeds.readers import calcurse_events, ical_events, need_calcurse
from tests.realsite import TEST_TODAY
from tests.sessions.helpers import unfold
from tests.sessions.test_ical import INFO, event, make_session
from tools.build import BuildError, KeptBetweenBuilds, build_site, site_today

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal"
SESSION = "sessions/alpha-online.md"
ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # clocks move by 30 minutes
    "America/Santiago",  # changes at midnight
    "Asia/Tokyo",  # no changes
]
SPAN = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2028, 12, 1, tzinfo=UTC))
AROUND = [timedelta(minutes=m) for m in (-61, -59, -30, -1, 0, 1, 29, 30, 59, 61, 90)]


@pytest.mark.parametrize(
    ("local", "unique"),
    [
        ("2027-11-07 00:59", True),
        ("2027-11-07 01:00", False),  # repeated
        ("2027-11-07 01:59", False),
        ("2027-11-07 02:00", True),
        ("2027-03-14 01:59", True),
        ("2027-03-14 02:00", False),  # skipped
        ("2027-03-14 02:59", False),
        ("2027-03-14 03:00", True),
    ],
)
def test_wall_clock_is_unique_in_new_york(local: str, unique: bool) -> None:
    naive = datetime.strptime(local, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - zone added next
    assert wall_clock_is_unique(naive.replace(tzinfo=ZoneInfo("America/New_York"))) is unique


def sessions_around_changes(tzid: str) -> list:
    """Sessions starting at and near every change of ``tzid`` in SPAN, 30 or 90 minutes
    long (so ends land on both sides, and inside repeated hours), as the validator would
    make them: aware times in the zone, ends worked out in UTC."""
    zone = ZoneInfo(tzid)
    instants = [SPAN[0] + timedelta(days=40)]
    for change in transitions(zone, *SPAN):
        instants += [change.at + delta for delta in AROUND]
    found = []
    for number, instant in enumerate(instants):
        start = instant.astimezone(zone)
        length = timedelta(minutes=30 if number % 2 else 90)
        found.append(
            make_session(
                f"s{number}", start=start, end=(instant + length).astimezone(zone), timezone=tzid
            )
        )
    return found


@pytest.mark.parametrize("tzid", ZONES)
def test_times_at_every_clock_change_read_back_as_the_same_instants(
    tzid: str, tmp_path: Path
) -> None:
    sessions = sessions_around_changes(tzid)
    data = calendar_bytes([event(s) for s in sessions], prodid="-//T//T//EN", info=INFO)
    want = {s.uid: (s.start.astimezone(UTC), s.end.astimezone(UTC)) for s in sessions}
    for own_rules in (False, True):  # the zone database, then the feed's VTIMEZONE alone
        read = ical_events(data, own_rules=own_rules)
        assert {uid: (e.start, e.end) for uid, e in read.items()} == want, own_rules
    # Written in UTC exactly where the wall-clock time is not one instant.
    lines = unfold(data)
    for session in sessions:
        event_lines = lines[lines.index(f"UID:{session.uid}") :]
        for name, value in (("DTSTART", session.start), ("DTEND", session.end)):
            (line,) = [x for x in event_lines[:6] if x.startswith(name)]
            if wall_clock_is_unique(value):
                assert line == f"{name};TZID={tzid}:{value:%Y%m%dT%H%M%S}", line
            else:
                assert line == f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}", line
    if tzid != "Asia/Tokyo":
        assert any(not wall_clock_is_unique(s.end) for s in sessions)  # the test can fail
    need_calcurse()
    feed = tmp_path / "feed.ics"
    feed.write_bytes(data)
    shown = {(a.start, a.end) for a in calcurse_events(feed, "UTC")}
    assert shown == set(want.values())


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(HOSTILE, content)
    return content


def _set(content: Path, old: str, new: str) -> None:
    path = content / SESSION
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("modified", "what"),
    [
        ("2027-11-07 01:30", "is ambiguous in America/New_York: clocks go back 1 hour"),
        ("2027-03-14 02:30", "does not exist in America/New_York: clocks go forward 1 hour"),
    ],
)
def test_modified_in_a_repeated_or_skipped_hour_is_refused(
    build, tmp_path: Path, modified: str, what: str
) -> None:
    content = _content(tmp_path)
    _set(content, "Duration: 1h", f"Duration: 1h\nModified: {modified}")
    with pytest.raises(BuildError) as caught:
        build(content=content)
    (problem,) = caught.value.problems
    assert (problem.path, problem.field, problem.value) == (
        f"content/{SESSION}",
        "Modified",
        modified,
    )
    assert problem.fix.startswith(what)
    assert problem.line is not None


def test_a_modified_date_at_a_skipped_midnight_is_the_first_instant_of_that_day(
    build, tmp_path: Path
) -> None:
    """Santiago's clocks go from 00:00 to 01:00 on 5 September 2027: that day starts at
    01:00 local, 04:00 UTC."""
    content = _content(tmp_path)
    _set(content, "Duration: 1h", "Duration: 1h\nTimezone: America/Santiago\nModified: 2027-09-05")
    output = build(content=content)
    (read,) = ical_events((output / "calendar" / "all.ics").read_bytes()).values()
    assert read.stamp == datetime(2027, 9, 5, 4, tzinfo=UTC)


def test_a_rebuild_after_an_end_moves_within_the_repeated_hour_writes_the_new_end(
    build, tmp_path: Path
) -> None:
    """`make serve` keeps one cache for every rebuild. 00:30 + 1 h (01:30 EDT) and 00:30 +
    2 h (01:30 EST) have the same wall-clock end: Python finds two such datetimes of one
    zone equal, and a cache keyed by them would serve the old feed entry."""
    content = _content(tmp_path)
    _set(content, "Start: 2026-12-08 12:00", "Start: 2027-11-07 00:30")
    kept = KeptBetweenBuilds()
    overrides = {"PATH": str(content), **site_today(TEST_TODAY)}
    first = build_site(tmp_path / "first", overrides=overrides, kept=kept).output
    _set(content, "Duration: 1h", "Duration: 2h")
    second = build_site(tmp_path / "second", overrides=overrides, kept=kept).output
    for site in (first, second):
        assert_sound_feeds(site)
    fresh = build(content=content, output=tmp_path / "fresh")
    for name in ("all.ics", "sessions/alpha-online.ics"):
        ends = [
            [line for line in unfold((site / "calendar" / name).read_bytes()) if "DTEND" in line]
            for site in (first, second, fresh)
        ]
        assert ends == [
            ["DTEND:20271107T053000Z"],  # 01:30 EDT
            ["DTEND:20271107T063000Z"],  # 01:30 EST, as a fresh build writes it
            ["DTEND:20271107T063000Z"],
        ]
    page = (second / "sessions" / "alpha-online" / "index.html").read_text("utf-8")
    assert '"endDate": "2027-11-07T01:30:00-05:00"' in page


def test_the_twelve_hour_limit_counts_the_hour_clocks_go_back(build, tmp_path: Path) -> None:
    """20:00 to 07:30 across the night clocks go back is 12 h 30 min, though the wall clocks
    say 11 h 30 min (datetimes of one zone subtract as wall clocks)."""
    content = _content(tmp_path)
    _set(content, "Start: 2026-12-08 12:00", "Start: 2027-11-06 20:00")
    _set(content, "Duration: 1h", "End: 2027-11-07 07:30")
    with pytest.raises(BuildError) as caught:
        build(content=content)
    ((path, field, value, fix),) = [
        (p.path, p.field, p.value, p.fix) for p in caught.value.problems
    ]
    assert (path, field, value) == (f"content/{SESSION}", "End", "2027-11-07 07:30")
    assert fix == "the session would last 12 h 30 min; 12 hours at most"
