"""Real builds of small scenario sites (tests/data/sessions/<scenario>/)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.problems import messages
from tests.sessions.conftest import TODAY, ScenarioFn
from tests.sessions.helpers import icalendar_starts, ics_starts, page, text, unfold
from tools.build import BuildError, build_site, site_today


def uids(data: bytes) -> list[str]:
    return sorted(str(event["UID"]) for event in Calendar.from_ical(data).events)


def event_line(data: bytes, uid: str, name: str) -> str:
    """The ``name`` property line of the event ``uid``, unfolded."""
    lines = unfold(data)
    start = lines.index(f"UID:{uid}")
    begin = max(i for i in range(start) if lines[i] == "BEGIN:VEVENT")
    end = lines.index("END:VEVENT", start)
    found = [line for line in lines[begin:end] if line.split(":")[0].split(";")[0] == name]
    assert len(found) == 1, (uid, name, found)
    return found[0]


def digest(folder: Path) -> dict[str, str]:
    return {
        file.relative_to(folder).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }


# -- pages -----------------------------------------------------------------------------


def test_upcoming_list_is_grouped_by_month_with_all_details(valid_site: Path) -> None:
    soup = page(valid_site, "sessions")
    months = [h2.get_text(strip=True) for h2 in soup.main.select("section > h2")]
    assert months == ["December 2026", "January 2027", "February 2027", "March 2027"]
    cards = {card.h3.get_text(strip=True): card for card in soup.select("li.hq-session")}
    assert list(cards) == [
        "Alpha online info session",
        "Alpha lunchtime session",
        "Alpha campus open evening",
        "Beta evening session",
        "Alpha small-group session",
        "Beta session in London",
        "Beta hybrid session",
    ]
    online = cards["Alpha online info session"]
    assert online.select_one(".hq-badge").get_text() == "Online"
    assert online.time["datetime"] == "2026-12-08T12:00:00-05:00"
    assert "Tuesday 8 December 2026, 12:00 pm – 1:00 pm EST" in text(online)
    assert online.select_one(".hq-session__where").get_text() == "Online"
    assert online.find("a", href="https://example.org/register/alpha-dec") is not None
    assert "Program: Alpha Program" in text(online)
    campus = cards["Alpha campus open evening"]
    assert campus.select_one(".hq-badge").get_text() == "In person"
    assert "Room 101, 1 Example Street, Boston, MA" in text(campus)
    assert "hq-session--cancelled" in cards["Alpha lunchtime session"]["class"]
    assert cards["Alpha lunchtime session"].select_one(".hq-status").get_text() == "Cancelled"
    assert cards["Beta evening session"].select_one(".hq-status").get_text() == "Postponed"
    full = cards["Alpha small-group session"]
    assert full.select_one(".hq-status").get_text() == "Full: registration closed"
    assert full.find("a", href="https://example.org/register/alpha-small") is None
    london = cards["Beta session in London"]
    assert "2:00 pm – 3:00 pm GMT" in text(london)
    assert "That is 9:00 am – 10:00 am EST in New York." in text(london)
    hybrid = cards["Beta hybrid session"]
    assert "12:00 pm – 1:30 pm EDT" in text(hybrid)
    assert "Beta Hall, 2 Example Road, Boston, MA, and online" in text(hybrid)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "sessions/in-person",
            ["Alpha campus open evening", "Alpha small-group session", "Beta session in London",
             "Beta hybrid session"],
        ),
        (
            "sessions/online",
            ["Alpha online info session", "Alpha lunchtime session", "Beta evening session",
             "Beta hybrid session"],
        ),
        (
            "sessions/program/alpha",
            ["Alpha online info session", "Alpha lunchtime session", "Alpha campus open evening",
             "Alpha small-group session"],
        ),
        (
            "sessions/program/beta",
            ["Beta evening session", "Beta session in London", "Beta hybrid session"],
        ),
        ("sessions/past", ["Alpha autumn session", "Beta spring session"]),
    ],
)  # fmt: skip
def test_filtered_and_past_lists(valid_site: Path, url: str, expected: list[str]) -> None:
    soup = page(valid_site, url)
    assert [h3.get_text(strip=True) for h3 in soup.select("li.hq-session h3")] == expected
    current = soup.select_one(".hq-filters a[aria-current=page]")
    assert current["href"] == f"/{url}/"


def test_month_grid_is_an_accessible_table_with_previous_and_next(valid_site: Path) -> None:
    soup = page(valid_site, "sessions/calendar/2027-02")
    table = soup.select_one("table.hq-month")
    assert table.caption.get_text(strip=True) == "February 2027: 2 sessions"
    headers = table.select("thead th")
    assert [th["scope"] for th in headers] == ["col"] * 7
    assert headers[0].abbr["title"] == "Sunday"
    cells = {
        int(td.select_one(".hq-month__day").get_text()): td
        for td in table.select("td")
        if td.select_one(".hq-month__day")
    }
    assert len(cells) == 28
    assert cells[10].a["href"] == "/sessions/beta-london-feb/"
    assert cells[10].time["datetime"] == "2027-02-10"  # the day, then each session's start
    assert cells[10].li.time["datetime"] == "2027-02-10T14:00:00+00:00"
    assert "Full: registration closed" in text(cells[3])
    assert soup.find("a", rel="prev")["href"] == "/sessions/calendar/2027-01/"
    assert soup.find("a", rel="next")["href"] == "/sessions/calendar/2027-03/"
    current = page(valid_site, "sessions/calendar")
    assert current.select_one("table.hq-month caption").get_text().startswith("November 2026")
    today = current.select_one("td[aria-current=date]")
    assert today.select_one(".hq-month__day").get_text() == "23"
    for link in soup.select(".hq-pager a") + current.select(".hq-pager a"):
        assert (valid_site / link["href"].strip("/") / "index.html").is_file()


def test_session_page_details_calendar_links_and_jsonld(valid_site: Path) -> None:
    soup = page(valid_site, "sessions/beta-hybrid-mar")
    facts = {
        dt.get_text(strip=True): dt.find_next("dd").get_text(" ", strip=True)
        for dt in soup.select(".hq-facts dt")
    }
    assert facts == {
        "Program": "Beta Program",
        "Date": "Tuesday 16 March 2027",
        "Time": "12:00 pm – 1:30 pm EDT",
        "Format": "Hybrid",
        "Where": "Beta Hall, 2 Example Road, Boston, MA Map and directions to the venue",
        "Join online": "https://example.org/join/beta-mar",
        "How to take part": "This session has no registration link. Come to the venue, or "
        "join online with the link above, at the time shown.",
    }
    # An OpenStreetMap search for the venue's address (the file gives no Map-URL).
    assert soup.select_one("a.hq-map")["href"] == (
        "https://www.openstreetmap.org/search?query=Beta%20Hall%2C%202%20Example%20Road%2C"
        "%20Boston%2C%20MA"
    )
    links = {a.get_text(" ", strip=True): a["href"] for a in soup.select(".hq-actions a")}
    assert links["Download .ics for Beta hybrid session"] == (
        "/calendar/sessions/beta-hybrid-mar.ics"
    )
    assert "dates=20270316T160000Z%2F20270316T173000Z" in links["Google Calendar"]
    assert links["Outlook.com"].startswith("https://outlook.live.com/calendar/0/deeplink/")
    assert "startdt=2027-03-16T16%3A00%3A00Z" in links["Office 365"]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Event"
    assert data["name"] == "Beta hybrid session"
    assert data["startDate"] == "2027-03-16T12:00:00-04:00"
    assert data["endDate"] == "2027-03-16T13:30:00-04:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert data["location"][1]["url"] == "https://example.org/join/beta-mar"
    assert data["organizer"]["name"] == "Healthcare Quality Graduate Programs"
    assert data["offers"]["price"] == "0"
    assert data["url"] == "http://127.0.0.1:8000/sessions/beta-hybrid-mar/"


@pytest.mark.parametrize(
    ("slug", "status", "mode", "notice"),
    [
        ("alpha-cancelled", "EventCancelled", "OnlineEventAttendanceMode", "has been cancelled"),
        ("beta-postponed", "EventPostponed", "OnlineEventAttendanceMode", "has been postponed"),
        ("alpha-full", "EventScheduled", "OfflineEventAttendanceMode", "registration is closed"),
    ],
)
def test_status_shows_on_the_session_page_and_in_jsonld(
    valid_site: Path, slug: str, status: str, mode: str, notice: str
) -> None:
    soup = page(valid_site, f"sessions/{slug}")
    assert notice in soup.select_one(".hq-notice").get_text()
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["eventStatus"] == f"https://schema.org/{status}"
    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}"
    if slug == "alpha-full":
        assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_program_page_and_home_list_sessions(valid_site: Path) -> None:
    program = page(valid_site, "programs/beta")
    section = program.find(id="info-sessions").find_parent("section")
    titles = section.select("li .hq-session__title")
    assert [title.get_text(strip=True) for title in titles] == [
        "Beta evening session",
        "Beta session in London",
        "Beta hybrid session",
    ]
    (control,) = section.select("details.hq-feed")  # the program's own feed, open
    assert control["id"] == "feed-program-beta" and control.has_attr("open")
    assert control.find("a", href="/calendar/program-beta.ics") is not None
    home = page(valid_site, "")
    section = home.find(id="next-sessions").find_parent("section")
    # The next three that take place: cancelled and postponed sessions are left out here.
    assert [h3.get_text(strip=True) for h3 in section.select("li h3")] == [
        "Alpha online info session",
        "Alpha campus open evening",
        "Alpha small-group session",
    ]


def test_subscribe_page_offers_every_control_for_every_feed(valid_site: Path) -> None:
    """One disclosure per feed, closed; in each: every app's link for that feed, the
    download, the address to copy, and how far the feed reaches in time."""
    soup = page(valid_site, "sessions/subscribe")
    feeds = soup.select("details.hq-feed")
    keys = [feed["id"] for feed in feeds]
    assert keys == [
        "feed-all", "feed-in-person", "feed-online", "feed-program-alpha", "feed-program-beta",
    ]  # fmt: skip
    for feed in feeds:
        assert not feed.has_attr("open")
        name = feed["id"].removeprefix("feed-")
        path = f"calendar/{name}.ics"
        url = f"http://127.0.0.1:8000/{path}"
        title = text(feed.select_one(".hq-feed__name"))
        hrefs = {a.get_text(" ", strip=True): a["href"] for a in feed.select("a")}
        assert hrefs[f"Apple Calendar for {title}"] == f"webcal://127.0.0.1:8000/{path}"
        assert hrefs[f"Google Calendar for {title}"] == (
            "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A8000%2F"
            + path.replace("/", "%2F")
        )
        assert hrefs[f"From URL page for {title}"] == (
            "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
        )
        assert hrefs[f"Outlook.com for {title}"].startswith(
            "https://outlook.live.com/calendar/0/addfromweb?"
        )
        assert hrefs[f"Office 365 for {title}"].startswith(
            "https://outlook.office.com/calendar/0/addfromweb?"
        )
        assert hrefs[f"Download the .ics file for {title}"] == f"/{path}"
        address = feed.select_one("input[readonly]")
        assert address["value"] == url
        assert feed.find("label", attrs={"for": address["id"]}) is not None
        reach = text(feed.select_one(".hq-feed__reach"))
        if name.startswith("program-"):  # program feeds: every upcoming session
            assert reach == (
                "Sessions that ended in the last 180 days, and every upcoming one, however "
                "far ahead."
            )
        else:
            assert reach == (
                "Sessions that ended in the last 180 days, and those starting in the next 365 days."
            )
        assert (valid_site / path).is_file()
    assert "The feeds ask apps to check every 6 hours" in text(soup.main)
    footer = page(valid_site, "programs").select_one("footer")
    assert footer.find("a", href="/sessions/subscribe/") is not None


# -- feeds -----------------------------------------------------------------------------

WINDOW = [  # everything but beta-old, which ended more than 180 days before today
    "alpha-campus-jan@127.0.0.1",
    "alpha-cancelled@127.0.0.1",
    "alpha-full@127.0.0.1",
    "alpha-online-dec@127.0.0.1",
    "alpha-past@127.0.0.1",
    "beta-hybrid-2027@example.org",
    "beta-london-feb@127.0.0.1",
    "beta-postponed@127.0.0.1",
]


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        ("all", WINDOW),
        ("in-person", [u for u in WINDOW if u.split("@")[0].split("-")[1] in
                       ("campus", "full", "hybrid", "london")]),
        ("online", [u for u in WINDOW if u.split("@")[0].split("-")[1] in
                    ("cancelled", "online", "past", "hybrid", "postponed")]),
        ("program-alpha", [u for u in WINDOW if u.startswith("alpha")]),
        ("program-beta", [u for u in WINDOW if u.startswith("beta")]),
    ],
)  # fmt: skip
def test_feed_membership(valid_site: Path, feed: str, expected: list[str]) -> None:
    data = (valid_site / "calendar" / f"{feed}.ics").read_bytes()
    assert uids(data) == sorted(expected)
    assert icalendar_starts(data) == ics_starts(data)


def test_cancelled_session_stays_in_feeds_as_cancelled(valid_site: Path) -> None:
    data = (valid_site / "calendar" / "all.ics").read_bytes()
    uid = "alpha-cancelled@127.0.0.1"
    assert event_line(data, uid, "STATUS") == "STATUS:CANCELLED"
    assert event_line(data, uid, "SUMMARY") == "SUMMARY:Cancelled: Alpha lunchtime session"
    assert event_line(data, uid, "SEQUENCE") == "SEQUENCE:1"
    assert event_line(data, "beta-postponed@127.0.0.1", "STATUS") == "STATUS:TENTATIVE"
    assert event_line(data, "alpha-full@127.0.0.1", "STATUS") == "STATUS:CONFIRMED"


def test_dtstamp_comes_from_modified_else_the_documented_fallback(valid_site: Path) -> None:
    data = (valid_site / "calendar" / "all.ics").read_bytes()
    # Modified: 2026-11-01 09:30 in New York (EST that day, clocks went back at 02:00).
    assert event_line(data, "alpha-online-dec@127.0.0.1", "DTSTAMP") == "DTSTAMP:20261101T143000Z"
    # Not in git (a copy in a temp folder), no Modified: the start of SITE_TODAY, site zone.
    assert event_line(data, "alpha-past@127.0.0.1", "DTSTAMP") == "DTSTAMP:20261123T050000Z"


def test_online_join_link_in_location_conference_and_description(valid_site: Path) -> None:
    data = (valid_site / "calendar" / "sessions" / "alpha-online-dec.ics").read_bytes()
    uid = "alpha-online-dec@127.0.0.1"
    assert event_line(data, uid, "LOCATION") == "LOCATION:https://example.org/join/alpha-dec"
    assert event_line(data, uid, "CONFERENCE").endswith(":https://example.org/join/alpha-dec")
    description = str(Calendar.from_ical(data).events[0]["DESCRIPTION"])
    assert "Join online: https://example.org/join/alpha-dec" in description
    assert "Meet the alpha faculty. See the program (https://example.org/alpha)." in description
    assert "<" not in description and "**" not in description
    hybrid = (valid_site / "calendar" / "sessions" / "beta-hybrid-mar.ics").read_bytes()
    assert event_line(hybrid, "beta-hybrid-2027@example.org", "LOCATION") == (
        "LOCATION:Beta Hall\\, 2 Example Road\\, Boston\\, MA"
    )


def test_dst_sessions_have_the_right_utc_start_in_both_parsers(dst_site: Path) -> None:
    data = (dst_site / "calendar" / "all.ics").read_bytes()
    expected = {
        "ny-before-march@127.0.0.1": datetime(2027, 3, 9, 17, tzinfo=UTC),
        "ny-after-march@127.0.0.1": datetime(2027, 3, 16, 16, tzinfo=UTC),
        "ny-before-november@127.0.0.1": datetime(2027, 10, 26, 16, tzinfo=UTC),
        "ny-after-november@127.0.0.1": datetime(2027, 11, 9, 17, tzinfo=UTC),
        "london-before-march@127.0.0.1": datetime(2027, 3, 23, 14, tzinfo=UTC),
        "london-after-march@127.0.0.1": datetime(2027, 3, 30, 13, tzinfo=UTC),
        "london-in-the-gap-week@127.0.0.1": datetime(2027, 11, 2, 14, tzinfo=UTC),
    }
    assert icalendar_starts(data) == expected
    assert ics_starts(data) == expected
    lines = unfold(data)
    assert lines.count("BEGIN:VTIMEZONE") == 2
    assert not [line for line in lines if line.startswith("RDATE")]
    rules = [line for line in lines if line.startswith("RRULE:")]
    assert sorted(rules) == [
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
        "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
    ]
    # The pages show each time with its own abbreviation.
    assert "12:00 pm – 1:00 pm EST" in text(page(dst_site, "sessions/ny-after-november"))
    assert "12:00 pm – 1:00 pm EDT" in text(page(dst_site, "sessions/ny-before-november"))
    assert "2:00 pm – 3:00 pm GMT" in text(page(dst_site, "sessions/london-in-the-gap-week"))
    assert "(that is 10:00 am – 11:00 am EDT in New York)" in text(
        page(dst_site, "sessions/london-in-the-gap-week")
    )


def test_empty_sessions_folder_gives_valid_empty_feeds_and_pages(
    scenario: ScenarioFn, build
) -> None:
    output = build(content=scenario("empty"))
    for feed in ("all", "in-person", "online", "program-alpha", "program-beta"):
        data = (output / "calendar" / f"{feed}.ics").read_bytes()
        assert Calendar.from_ical(data).events == []
        assert "X-WR-CALNAME:" in data.decode()
    assert "No sessions are scheduled at the moment." in text(page(output, "sessions"))
    assert (output / "sessions" / "calendar" / "index.html").is_file()


# -- changes over time -------------------------------------------------------------------


def test_today_decides_upcoming_past_and_the_feed_window(scenario: ScenarioFn, build) -> None:
    content = scenario("valid")
    output = build(content=content, today="2027-03-01", INFO_SESSIONS_PAST_DAYS=30)
    upcoming = [h3.get_text(strip=True) for h3 in page(output, "sessions").select("li h3")]
    assert upcoming == ["Beta hybrid session"]
    past = [h3.get_text(strip=True) for h3 in page(output, "sessions/past").select("li h3")]
    assert past[:2] == ["Beta session in London", "Alpha small-group session"]
    feed = (output / "calendar" / "all.ics").read_bytes()
    assert uids(feed) == [
        "alpha-full@127.0.0.1",
        "beta-hybrid-2027@example.org",
        "beta-london-feb@127.0.0.1",
    ]


def test_retitled_and_moved_session_keeps_its_uid_and_shows_its_sequence(
    scenario: ScenarioFn, build, tmp_path: Path
) -> None:
    content = scenario("valid")
    before = (build(content=content) / "calendar" / "all.ics").read_bytes()
    file = content / "sessions" / "alpha-campus-jan.md"
    text_before = file.read_text()
    file.write_text(
        text_before.replace("Alpha campus open evening", "Alpha campus evening (new time)")
        .replace("2027-01-14 18:00", "2027-01-21 17:00")
        .replace("2027-01-14 19:30", "2027-01-21 18:30")
        .replace("Location:", "Sequence: 1\nLocation:")
    )
    after = build(content=content, output=tmp_path / "second") / "calendar" / "all.ics"
    after_bytes = after.read_bytes()
    uid = "alpha-campus-jan@127.0.0.1"
    assert uids(after_bytes) == uids(before)
    assert event_line(after_bytes, uid, "SUMMARY") == "SUMMARY:Alpha campus evening (new time)"
    assert event_line(after_bytes, uid, "DTSTART") == (
        "DTSTART;TZID=America/New_York:20270121T170000"
    )
    assert event_line(before, uid, "SEQUENCE") == "SEQUENCE:0"
    assert event_line(after_bytes, uid, "SEQUENCE") == "SEQUENCE:1"


def test_dtstamp_is_the_files_last_commit_and_rebuilds_are_identical(
    scenario: ScenarioFn, build, tmp_path: Path
) -> None:
    content = scenario("valid")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }

    def git(*args: str, date: str = "") -> None:
        dated = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
        subprocess.run(["git", *args], cwd=content, env={**env, **dated}, check=True,
                       capture_output=True)  # fmt: skip

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first", date="2026-10-01T12:00:00+00:00")
    (content / "sessions" / "alpha-full.md").write_text(
        (content / "sessions" / "alpha-full.md").read_text().replace("Only", "Just")
    )
    git("commit", "-q", "-am", "second", date="2026-11-05T08:15:00+00:00")
    first = build(content=content)
    data = (first / "calendar" / "all.ics").read_bytes()
    assert event_line(data, "alpha-full@127.0.0.1", "DTSTAMP") == "DTSTAMP:20261105T081500Z"
    assert event_line(data, "alpha-campus-jan@127.0.0.1", "DTSTAMP") == "DTSTAMP:20261001T120000Z"
    # Modified in the file wins over git.
    assert event_line(data, "alpha-online-dec@127.0.0.1", "DTSTAMP") == "DTSTAMP:20261101T143000Z"
    second = build(content=content, output=tmp_path / "again")
    for folder in ("calendar", "sessions"):
        assert digest(second / folder) == digest(first / folder)


# -- errors ----------------------------------------------------------------------------

BAD_FIELDS_PROBLEMS = [
    "content/sessions/ambiguous.md:4: Start: '2027-11-07 01:30': is ambiguous in "
    "America/New_York: clocks go back 1 hour that night, so it happens twice; choose a time at "
    "least 1 hour earlier or later",
    "content/sessions/ambiguous.md: Location: (missing): required for in-person sessions; add "
    "'Location: venue, address'",
    "content/sessions/ambiguous.md:2: Program: 'gamma': no such program; use one of: alpha, beta",
    "content/sessions/many-problems.md:3: Format: 'onsite': must be one of in-person, online, "
    "hybrid (did you mean 'online'?)",
    "content/sessions/many-problems.md:4: Start: '2027-03-14 02:30': does not exist in "
    "America/New_York: clocks go forward 1 hour that night and skip this time; choose a time "
    "at least 1 hour earlier or later",
    "content/sessions/many-problems.md:5: Duration: '13h': the session would last 13 hours; 12 "
    "hours at most",
    "content/sessions/many-problems.md:6: Registration-URL: 'http://example.org/register': must "
    "be an https:// URL with a host and no spaces",
    "content/sessions/many-problems.md:7: Status: 'canceled': must be one of scheduled, "
    "cancelled, postponed, full (did you mean 'cancelled'?)",
    "content/sessions/many-problems.md:8: Sequence: 'first': must be a whole number, 0 or more; "
    "raise it by one for each change to the time, place or status",
    "content/sessions/many-problems.md:2: Program: 'alpah': no such program (did you mean "
    "'alpha'?); use one of: alpha, beta",
    "content/sessions/misspelt.md:6: Duraton: '1h': unknown field; did you mean 'Duration'?",
    "content/sessions/misspelt.md:5: Timezone: 'Europe/Londn': unknown time zone; use an IANA "
    "name such as 'America/New_York' (did you mean 'Europe/London'?)",
    "content/sessions/misspelt.md: End: (missing): required; add 'End: YYYY-MM-DD HH:MM' or "
    "'Duration: 90m' (or 1h30m)",
    "content/sessions/same-uid-two.md:7: UID: 'shared@127.0.0.1': also used by "
    "content/sessions/same-uid-one.md; every session needs its own UID (remove the UID line or "
    "make it unique)",
]


def test_bad_files_fail_the_build_listing_every_problem_and_keep_output(
    scenario: ScenarioFn, build, tmp_path: Path
) -> None:
    output = build(content=scenario("valid"))
    before = digest(output)
    broken = tmp_path / "broken"
    (tmp_path / "content").rename(broken)
    bad = scenario("bad_fields")
    with pytest.raises(BuildError) as caught:
        build(content=bad, output=output)
    assert messages(caught.value) == BAD_FIELDS_PROBLEMS
    assert digest(output) == before
    assert [p.name for p in output.parent.iterdir() if "building" in p.name] == []


def test_unknown_setting_is_reported(scenario: ScenarioFn, tmp_path: Path) -> None:
    with pytest.raises(BuildError) as caught:
        build_site(
            tmp_path / "out",
            overrides={"PATH": str(scenario("empty")), **site_today(TODAY),
                       "INFO_SESSIONS_PAST_DAY": 30},
        )  # fmt: skip
    assert messages(caught.value) == [
        "pelicanconf.py: INFO_SESSIONS_PAST_DAY: 30: unknown; did you mean INFO_SESSIONS_PAST_DAYS?"
    ]


def test_file_name_that_collides_with_a_list_page_is_refused(scenario: ScenarioFn, build) -> None:
    content = scenario("valid")
    (content / "sessions" / "alpha-past.md").rename(content / "sessions" / "past.md")
    with pytest.raises(BuildError) as caught:
        build(content=content)
    assert messages(caught.value) == [
        "content/sessions/past.md: (file name): 'past': taken by the sessions pages (calendar, "
        "in-person, online, past, program, subscribe); rename the file"
    ]


def test_the_readme_example_added_to_the_real_content_appears_everywhere(
    content_copy: Path, build
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("### A session file\n\n```\n", 1)[1].split("```", 1)[0]
    (content_copy / "sessions" / "mhqs-online-2027-05-11.md").write_text(example)
    output = build(content=content_copy)
    url = "/sessions/mhqs-online-2027-05-11/"
    for listing in (
        "sessions",
        "sessions/online",
        "sessions/program/healthcare-quality-and-safety",
        "programs/healthcare-quality-and-safety",
        "sessions/calendar/2027-05",
    ):
        assert page(output, listing).find("a", href=url) is not None, listing
    assert page(output, "sessions/in-person").find("a", href=url) is None
    assert page(output, url.strip("/")).h1.get_text() == "MHQS online information session"
    uid = "mhqs-online-2027-05-11@127.0.0.1"
    for feed in ("all", "online", "program-healthcare-quality-and-safety"):
        assert uid in uids((output / "calendar" / f"{feed}.ics").read_bytes()), feed
    assert uid not in uids((output / "calendar" / "in-person.ics").read_bytes())
    assert icalendar_starts((output / "calendar" / "all.ics").read_bytes())[uid] == datetime(
        2027, 5, 11, 16, tzinfo=UTC
    )


def test_session_descriptions_are_safe_markdown(scenario: ScenarioFn, build) -> None:
    content = scenario("valid")
    file = content / "sessions" / "alpha-campus-jan.md"
    file.write_text(file.read_text() + "\n<script>alert(1)</script> and <b>bold</b>\n")
    output = build(content=content)
    soup = page(output, "sessions/alpha-campus-jan")
    assert [tag["type"] for tag in soup.find_all("script")] == ["application/ld+json"]
    prose = soup.select_one(".hq-prose")
    assert prose.find("b") is None
    assert "<script>alert(1)</script> and <b>bold</b>" in prose.get_text()
    file.write_text(file.read_text() + "\n[click](javascript:alert(1))\n")
    with pytest.raises(BuildError) as caught:
        build(content=content, output=output.with_name("unsafe"))
    assert any("javascript:alert(1)" in problem for problem in messages(caught.value))


def test_a_content_file_over_the_size_limit_is_refused_before_it_is_read(
    scenario: ScenarioFn, build
) -> None:
    content = scenario("valid")
    file = content / "sessions" / "alpha-campus-jan.md"
    file.write_text(file.read_text() + "\n" + "All about the campus. " * 42_000 + "\n")
    size = file.stat().st_size
    with pytest.raises(BuildError) as caught:
        build(content=content)
    assert messages(caught.value) == [
        f"content/sessions/alpha-campus-jan.md: (file): 'alpha-campus-jan.md': is {size:,} "
        "bytes, more than the 524,288 a content file may have; shorten it or split it into "
        "several files (the limit is INFO_SESSIONS_MAX_FILE_BYTES in pelicanconf.py)"
    ]


def test_a_program_feed_over_one_megabyte_is_an_error_naming_its_longest_session(
    scenario: ScenarioFn, build
) -> None:
    """A program's own feed keeps every session of the program: nothing can be left out of
    it, so passing the size limit is an error (with the limit on files raised to let it)."""
    content = scenario("valid")
    file = content / "sessions" / "alpha-campus-jan.md"
    file.write_text(file.read_text() + "\n" + "All about the campus. " * 42_000 + "\n")
    with pytest.raises(BuildError) as caught:
        build(content=content, INFO_SESSIONS_MAX_FILE_BYTES=2_000_000)
    found = [m for m in messages(caught.value) if "(feed)" in m]
    assert len(found) == 1, messages(caught.value)
    assert found[0].startswith(
        "content/sessions/alpha-campus-jan.md: (feed): 'calendar/program-alpha.ics': the "
        "feed would be "
    )
    assert (
        "a program's feed holds every session of the program, or shorten the descriptions "
        "(this file's is the longest)"
    ) in found[0]


def test_sessions_without_a_program_are_never_left_out_of_the_aggregate_feeds(
    scenario: ScenarioFn, build
) -> None:
    """They are in no program's feed, so leaving them out would leave them in no feed: an
    aggregate feed they alone push over the limit is an error, not a notice."""
    content = scenario("valid")
    for name in ("alpha-campus-jan", "alpha-online-dec"):
        file = content / "sessions" / f"{name}.md"
        text = re.sub(r"^Program: .*\n", "", file.read_text(), flags=re.M)
        file.write_text(text + "\n" + "All about the campus. " * 21_000 + "\n")
    with pytest.raises(BuildError) as caught:
        build(
            content=content,
            INFO_SESSIONS_MAX_FILE_BYTES=2_000_000,
            INFO_SESSIONS_REQUIRE_PROGRAM=False,
        )
    found = [m for m in messages(caught.value) if "(feed)" in m]
    assert found and all("'calendar/program-" not in m for m in found), found
    assert any(
        "'calendar/all.ics': the feed would be " in m
        and "sessions that name no program are in no other feed, so they are never left out; "
        "give them a Program"
        in m
        for m in found
    ), found
