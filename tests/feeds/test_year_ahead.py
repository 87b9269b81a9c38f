"""A school that plans a year ahead: 1,000 sessions over the next twelve months build.

The sessions come from the benchmarks' generator (benchmarks/generate.py, every session
upcoming, three a day, 24 programs). The aggregate feeds (all, in person, online) reach
INFO_SESSIONS_FUTURE_DAYS ahead and, where they would still pass the size limit, leave out
their farthest sessions with a notice that does not fail the build; each program's feed
holds every session of its program; every feed stays under 1 MB and reads in icalendar and
in Home Assistant's ``ical``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from pelican.plugins.info_sessions.generator import FEED_SIZE_LIMIT
from pelican.plugins.info_sessions.problems import Problem

from benchmarks import generate
from tests.feeds.checks import assert_sound_feeds
from tests.feeds.readers import ical_events
from tools.build import BuildResult, build_site, site_today
from tools.staff.check import report, warnings
from tools.staff.content import read_content

SESSIONS = 1000
TODAY = generate.DEFAULT_TODAY.isoformat()
AGGREGATE = ("all", "in-person", "online")
ZONE = "America/New_York"  # the site's zone (pelicanconf.py), where "today" starts
NOTICE = re.compile(
    r"^calendar/(all|in-person|online)\.ics: \(feed\): ([0-9]+): left out the \2 farthest "
    r"session\(s\) to stay under 900,000 bytes \(it reaches to \d{4}-\d\d-\d\d\); each is "
    r"still on its page and in its program's feed\. Nothing to fix; to make the feed reach "
    r"evenly, lower INFO_SESSIONS_FUTURE_DAYS \(now 365\)$"
)


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The generated content (1,000 sessions in the next 365 days) and its build."""
    root = tmp_path_factory.mktemp("year-ahead")
    generate.generate(root, sessions=SESSIONS, ahead=generate.YEAR_AHEAD_DAYS, upcoming_only=True)
    content = root / "site" / "content"
    result = build_site(root / "output", overrides={"PATH": str(content), **site_today(TODAY)})
    assert_sound_feeds(result.output)
    return content, result


def header_values(content: Path) -> dict[str, dict[str, str]]:
    """Each session file's header fields, by file name (without .md)."""
    found = {}
    for file in sorted((content / "sessions").glob("*.md")):
        head = file.read_text("utf-8").split("\n\n", 1)[0]
        found[file.stem] = dict(line.split(": ", 1) for line in head.splitlines())
    return found


def uids(data: bytes) -> list[str]:
    return [str(event["UID"]) for event in Calendar.from_ical(data).events]


def test_every_feed_is_under_one_megabyte_and_reads_in_two_parsers(
    year: tuple[Path, BuildResult],
) -> None:
    _, result = year
    feeds = sorted((result.output / "calendar").glob("*.ics"))
    assert len(feeds) == 3 + 24
    for feed in feeds:
        data = feed.read_bytes()
        assert len(data) <= FEED_SIZE_LIMIT < 1_000_000, feed.name
        parsed = uids(data)
        assert parsed and len(parsed) == len(set(parsed)), feed.name
        assert set(ical_events(data)) == set(parsed), feed.name


def test_aggregate_feeds_leave_out_their_farthest_sessions_with_a_notice(
    year: tuple[Path, BuildResult],
) -> None:
    content, result = year
    notices = [str(notice) for notice in result.notices]
    assert all(isinstance(notice, Problem) for notice in result.notices)
    assert [NOTICE.match(text).group(1) for text in notices] == list(AGGREGATE), notices
    starts = {  # every session's start, from the program feeds (which hold them all)
        str(event["UID"]).split("@")[0]: event.decoded("DTSTART")
        for feed in (result.output / "calendar").glob("program-*.ics")
        for event in Calendar.from_ical(feed.read_bytes()).events
    }
    horizon = datetime.fromisoformat(TODAY).replace(tzinfo=ZoneInfo(ZONE)) + timedelta(days=365)
    sessions = header_values(content)
    formats = {"all": {"online", "in-person", "hybrid"}, "online": {"online", "hybrid"}}
    for key, notice in zip(AGGREGATE, notices, strict=True):
        left_out = int(NOTICE.match(notice).group(2))
        data = (result.output / "calendar" / f"{key}.ics").read_bytes()
        kept = {str(event["UID"]).split("@")[0] for event in Calendar.from_ical(data).events}
        in_window = {
            uid
            for slug, fields in sessions.items()
            if fields["Format"] in formats.get(key, {"in-person", "hybrid"})
            and starts[uid := fields.get("UID", slug).split("@")[0]] < horizon
        }
        assert kept <= in_window
        assert len(in_window) - len(kept) == left_out > 0
        # The nearest are kept, the farthest left out.
        assert max(starts[uid] for uid in kept) <= min(starts[uid] for uid in in_window - kept)


def test_each_program_feed_holds_every_session_of_its_program(
    year: tuple[Path, BuildResult],
) -> None:
    content, result = year
    by_program: dict[str, set[str]] = {}
    for slug, fields in header_values(content).items():
        by_program.setdefault(fields["Program"], set()).add(fields.get("UID", slug).split("@")[0])
    assert sum(len(found) for found in by_program.values()) == SESSIONS
    for program, expected in by_program.items():
        data = (result.output / "calendar" / f"program-{program}.ics").read_bytes()
        assert {uid.split("@")[0] for uid in uids(data)} == expected, program


def test_the_subscribe_page_says_how_far_each_feed_reaches(
    year: tuple[Path, BuildResult],
) -> None:
    _, result = year
    page = BeautifulSoup(
        (result.output / "sessions" / "subscribe" / "index.html").read_bytes(), "lxml"
    )
    feeds = page.select("details.hq-feed")
    assert len(feeds) == 3 + 24
    for feed, key in zip(feeds[:3], AGGREGATE, strict=True):
        notice = next(n for n in result.notices if n.path == f"calendar/{key}.ics")
        assert feed["id"] == f"feed-{key}"
        assert feed.select_one(".hq-feed__reach").get_text(" ", strip=True) == (
            "Sessions that ended in the last 180 days, and those starting in the next 365 days."
        )
        assert feed.select_one(".hq-feed__left-out").get_text(" ", strip=True) == (
            "To stay under 1 MB, a size calendar apps accept, this feed holds the nearest "
            f"sessions: the {notice.value} farthest are left out, and each is in its "
            "program's feed."
        )
    for feed in feeds[3:]:
        assert feed.select_one(".hq-feed__left-out") is None
        assert feed.select_one(".hq-feed__reach").get_text(" ", strip=True) == (
            "Sessions that ended in the last 180 days, and every upcoming one, however far ahead."
        )


def test_make_check_shows_the_same_notices_and_passes(year: tuple[Path, BuildResult]) -> None:
    content, result = year
    site = read_content(content=content, today=TODAY)
    assert site.problems == []
    assert [str(n) for n in site.notices] == [str(n) for n in result.notices]
    text = report(site, warnings(site))
    assert "3 notices (what the build does on its own):" in text
    for notice in result.notices:
        assert f"  {notice}" in text
