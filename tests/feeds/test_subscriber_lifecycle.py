"""A subscriber's calendar through the life of its sessions (steps in tests/feeds/lifecycle.py).

The content starts as tests/data/feeds/lifecycle/ in a git repository; then a session is
moved, one cancelled, one postponed, a file renamed with its UID kept, sessions added in
London and Tokyo and at the 2027 clock changes (US, EU and Australia: ends in the repeated
hour, durations across a change, starts inside other viewers' repeated hours, a start in the
repeated hour refused), hostile text written into a title and a description, a session
moved with its Modified line left stale, and one marked full. Each step is committed and
built. After each one:

- every .ics file is sound line by line (no line break of any kind inside a line);
- each feed holds each of its sessions exactly once, and nothing else;
- two readers independent of ``icalendar`` agree with zoneinfo on every start and end:
  Home Assistant's ``ical`` (with the zone database, and with the feed's own VTIMEZONE
  rules only) and calcurse, run with TZ set to each of the viewers' zones;
- against the step before: every UID still there, unchanged events byte for byte the same,
  changed ones with a higher DTSTAMP (and SEQUENCE where the staff guide raises it);
- cancelled and postponed sessions carry their join link nowhere: no feed, .ics file, page,
  JSON-LD or calendar link;
- pages, JSON-LD and add-to-calendar links give the same instants as the feeds.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from tests.feeds.checks import content_line_problems
from tests.feeds.lifecycle import FEEDS, ICAL_STATUS, SITE_URL, STEPS, Built, Expected, run_steps
from tests.feeds.readers import calcurse_events, ical_events, on_clock, vevents
from tests.sessions.helpers import unfold

VIEWERS = (
    "UTC",
    "America/Los_Angeles",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Sydney",
)
STEP_IDS = [step.name for step in STEPS]
SCHEMA = "https://schema.org/"


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> list[Built]:
    """Every step done, committed and built, in order."""
    return run_steps(tmp_path_factory.mktemp("lifecycle"))


def feed_files(built: Built) -> dict[str, Path]:
    """Feed name ("all", "sessions/<slug>") -> its file in the step's build."""
    calendar = built.output / "calendar"
    files = {name: calendar / f"{name}.ics" for name in FEEDS}
    for session in built.expected.values():
        files[f"sessions/{session.slug}"] = calendar / "sessions" / f"{session.slug}.ics"
    return files


def members(built: Built, feed: str) -> dict[str, Expected]:
    """UID -> session, for the sessions ``feed`` should hold."""
    if feed.startswith("sessions/"):
        slug = feed.removeprefix("sessions/")
        return {uid: s for uid, s in built.expected.items() if s.slug == slug}
    return {uid: s for uid, s in built.expected.items() if feed in s.feeds}


def previous(steps: list[Built], index: int) -> Built:
    return steps[index - 1]


@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_every_calendar_file_is_sound_line_by_line(steps: list[Built], index: int) -> None:
    built = steps[index]
    files = sorted((built.output / "calendar").rglob("*.ics"))
    assert sorted(feed_files(built).values()) == files  # one file per session, no stale one
    problems = {
        str(f.relative_to(built.output)): content_line_problems(f.read_bytes()) for f in files
    }
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_each_feed_holds_each_of_its_sessions_once(steps: list[Built], index: int) -> None:
    built = steps[index]
    for feed, path in feed_files(built).items():
        held = vevents(path.read_bytes())  # fails on a UID written twice
        assert sorted(held) == sorted(members(built, feed)), feed
        shown = [(s.summary, s.start) for s in ical_events(path.read_bytes()).values()]
        assert len(shown) == len(set(shown)), f"{feed}: the same session twice"


@pytest.mark.parametrize("own_rules", [False, True], ids=["zone-database", "feed-vtimezone"])
@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_ical_reads_every_time_as_zoneinfo_does(
    steps: list[Built], index: int, own_rules: bool
) -> None:
    """``ical`` from PyPI, with its zone database or (TZIDs renamed) the feed's VTIMEZONE."""
    built = steps[index]
    for feed, path in feed_files(built).items():
        read = ical_events(path.read_bytes(), own_rules=own_rules)
        for uid, session in members(built, feed).items():
            event = read[uid]
            where = f"{feed}: {session.slug}"
            assert (event.start, event.end) == (session.start, session.end), where
            assert event.summary == feed_line(session.summary), where
            assert event.status == ICAL_STATUS.get(session.status, "CONFIRMED"), where
            assert event.sequence == session.sequence, where
            assert event.stamp == built.stamps[uid], where


def feed_line(value: str) -> str:
    """A one-line value as feeds write it: each line break str.splitlines() knows a space."""
    return "".join(" " if len(f"a{c}a".splitlines()) > 1 else c for c in value)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_calcurse_shows_every_session_at_its_time_in_the_viewers_zone(
    steps: list[Built], index: int, viewer: str
) -> None:
    """Debian's calcurse, run as someone whose clock is in ``viewer``: each appointment at the
    wall-clock times a clock there shows, and at the instants zoneinfo gives. calcurse keeps
    appointments as wall-clock times of its own zone, so a time inside the viewer's own
    repeated hour comes back as its first occurrence whatever the feed said: there only
    the clock times are compared (the other viewers' readings pin those sessions down)."""
    built = steps[index]
    for feed, path in feed_files(built).items():
        shown = calcurse_events(path, viewer)
        want = {
            (on_clock(s.start, viewer), on_clock(s.end, viewer)): (s.start, s.end)
            for s in members(built, feed).values()
        }
        got = {(a.local_start, a.local_end): (a.start, a.end) for a in shown}
        assert sorted(got) == sorted(want), f"{feed} in {viewer}: {sorted(set(got) ^ set(want))}"
        for clocks, (start, end) in want.items():
            if one_instant(start, viewer) and one_instant(end, viewer):
                assert got[clocks] == (start, end), f"{feed} in {viewer}: {clocks}"


def one_instant(instant: datetime, viewer: str) -> bool:
    """True when the wall-clock time at ``instant`` in ``viewer`` names no other instant."""
    local = instant.astimezone(ZoneInfo(viewer))
    return local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset()


@pytest.mark.parametrize("index", range(1, len(STEPS)), ids=STEP_IDS[1:])
def test_changes_keep_uids_and_raise_dtstamp_and_sequence(steps: list[Built], index: int) -> None:
    built, before = steps[index], previous(steps, index)
    for feed in FEEDS:
        old = vevents((before.output / "calendar" / f"{feed}.ics").read_bytes())
        new = vevents((built.output / "calendar" / f"{feed}.ics").read_bytes())
        old_read = ical_events((before.output / "calendar" / f"{feed}.ics").read_bytes())
        new_read = ical_events((built.output / "calendar" / f"{feed}.ics").read_bytes())
        assert set(old) <= set(new), f"{feed}: {set(old) - set(new)} vanished"
        assert set(new) - set(old) == {uid for uid in built.added if uid in new}, feed
        for uid in old:
            if uid not in built.changed:
                assert new[uid] == old[uid], f"{feed}: {uid} changed though it was not edited"
                continue
            assert new_read[uid].stamp > old_read[uid].stamp, f"{feed}: {uid} DTSTAMP"
            if built.raises_sequence:
                assert new_read[uid].sequence > old_read[uid].sequence, f"{feed}: {uid}"
            else:
                assert new_read[uid].sequence == old_read[uid].sequence, f"{feed}: {uid}"
    assert built.changed | built.added, "every step changes something"


def test_a_renamed_file_with_its_uid_kept_is_the_same_event(steps: list[Built]) -> None:
    index = STEP_IDS.index("rename-uid-kept")
    built, before = steps[index], previous(steps, index)
    uid = "alpha-campus-jan@127.0.0.1"
    assert built.expected[uid].slug == "alpha-campus-2027-01"
    (event,) = [
        line
        for line in unfold((built.output / "calendar" / "all.ics").read_bytes())
        if line.startswith("URL;") and "alpha-campus" in line
    ]
    assert event == f"URL;VALUE=URI:{SITE_URL}/sessions/alpha-campus-2027-01/"
    assert not (built.output / "sessions" / "alpha-campus-jan").exists()
    assert not (built.output / "calendar" / "sessions" / "alpha-campus-jan.ics").exists()
    old = ical_events((before.output / "calendar" / "all.ics").read_bytes())[uid]
    new = ical_events((built.output / "calendar" / "all.ics").read_bytes())[uid]
    assert (new.start, new.end) == (old.start, old.end)
    assert new.location.startswith("Alpha Hall, Room 2")


def test_dtstamp_of_an_uncommitted_edit_rises_with_its_commit(steps: list[Built]) -> None:
    """The documented rule: DTSTAMP is the file's last commit (or a later Modified), so a
    local build of an edit not committed yet keeps the old stamp; the commit raises it."""
    index = STEP_IDS.index("hostile-text")
    built, before = steps[index], previous(steps, index)
    uid = "alpha-london-feb@127.0.0.1"
    uncommitted = built.notes["uncommitted_output"] / "calendar" / "all.ics"
    local = ical_events(uncommitted.read_bytes())[uid]
    old = ical_events((before.output / "calendar" / "all.ics").read_bytes())[uid]
    new = ical_events((built.output / "calendar" / "all.ics").read_bytes())[uid]
    assert local.summary == new.summary != old.summary  # the edit is in the local build
    assert local.stamp == old.stamp < new.stamp


def test_a_stale_modified_line_does_not_hold_dtstamp_back(steps: list[Built]) -> None:
    first, index = steps[0], STEP_IDS.index("modified-left-stale")
    uid = "beta-online-apr@127.0.0.1"
    modified = datetime(2026, 11, 15, 17, tzinfo=UTC)  # Modified: 2026-11-15 12:00, New York
    assert first.stamps[uid] == modified  # later than the first commit: Modified counts
    stamp = ical_events((steps[index].output / "calendar" / "all.ics").read_bytes())[uid].stamp
    assert stamp == steps[index].stamps[uid] > modified  # the commit, left unmodified


def test_a_start_in_the_repeated_hour_is_refused_and_the_site_stays_as_it_was(
    steps: list[Built],
) -> None:
    notes = steps[STEP_IDS.index("clock-changes")].notes
    ((path, field, value, fix),) = [(p.path, p.field, p.value, p.fix) for p in notes["problems"]]
    assert (path, field, value) == (
        "content/sessions/ny-start-after-repeated.md",
        "Start",
        "2027-11-07 01:30",
    )
    assert fix == (
        "is ambiguous in America/New_York: clocks go back 1 hour that night, so it happens "
        "twice; choose a time at least 1 hour earlier or later"
    )
    assert notes["untouched"] is True


def test_an_end_in_the_repeated_hour_is_written_as_one_instant(steps: list[Built]) -> None:
    """The issue's example: Start 2027-11-07 00:30, Duration 2h, New York. RFC 5545 reads
    TZID=America/New_York:20271107T013000 as the first 01:30 (EDT): the end is in UTC."""
    built = steps[STEP_IDS.index("clock-changes")]
    for name in ("all", "sessions/ny-autumn-end-repeated"):
        lines = unfold((built.output / "calendar" / f"{name}.ics").read_bytes())
        event = lines[lines.index("UID:ny-autumn-end-repeated@127.0.0.1") :]
        assert event[3] == "DTSTART;TZID=America/New_York:20271107T003000"
        assert event[4] == "DTEND:20271107T063000Z"  # 01:30 EST
    times = {
        line
        for line in unfold((built.output / "calendar" / "all.ics").read_bytes())
        if line.startswith(("DTSTART", "DTEND"))
    }
    # Only the ends inside a repeated hour are in UTC; every other time keeps its zone.
    assert {t for t in times if t.endswith("Z") and not t.startswith("DTSTART:")} == {
        "DTEND:20271107T063000Z",  # New York, the second 01:30
        "DTEND:20271107T051500Z",  # New York, the first 01:15
        "DTEND:20271031T010000Z",  # London, the second 01:00
        "DTEND:20270403T160000Z",  # Sydney, the second 02:00
    }


@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_withdrawn_join_links_are_nowhere(steps: list[Built], index: int) -> None:
    """A cancelled or postponed session's join link is in no file of the site: not in a
    feed or its own .ics (unfolded, so a fold cannot hide it), page, JSON-LD, or calendar
    link (where it would be percent-encoded); a session still happening has it."""
    built = steps[index]
    texts = {}
    for file in built.output.rglob("*"):
        if file.suffix == ".ics":
            texts[file] = "\n".join(unfold(file.read_bytes()))
        elif file.suffix in (".html", ".xml", ".json", ".txt"):
            texts[file] = file.read_text("utf-8")
    for session in built.expected.values():
        if not session.join_url:
            continue
        forms = (session.join_url, quote(session.join_url, safe=""))
        found = sorted(
            str(file.relative_to(built.output))
            for file, text in texts.items()
            if any(form in text for form in forms)
        )
        if session.happening:
            assert f"calendar/sessions/{session.slug}.ics" in found, session.slug
        else:
            assert found == [], f"{session.slug} ({session.status}): join link in {found}"


@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_cancelled_sessions_stay_in_their_feeds_marked_cancelled(
    steps: list[Built], index: int
) -> None:
    built = steps[index]
    for feed, path in feed_files(built).items():
        read = ical_events(path.read_bytes())
        for uid, session in members(built, feed).items():
            if session.status == "cancelled":
                assert read[uid].status == "CANCELLED", feed
                assert read[uid].summary.startswith("Cancelled: "), feed
                if session.format == "online":
                    assert read[uid].location == "Online", feed
    statuses = {s.status for s in built.expected.values()}
    assert ("cancelled" in statuses) == (index >= STEP_IDS.index("cancel"))


def page_of(built: Built, session: Expected) -> BeautifulSoup:
    html = (built.output / "sessions" / session.slug / "index.html").read_text("utf-8")
    return BeautifulSoup(html, "lxml")


def utc(value: str, pattern: str) -> datetime:
    return datetime.strptime(value, pattern).replace(tzinfo=UTC)


@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_pages_json_ld_and_calendar_links_give_the_feeds_instants(
    steps: list[Built], index: int
) -> None:
    built = steps[index]
    for session in built.expected.values():
        page = page_of(built, session)
        data = json.loads(page.find("script", type="application/ld+json").string)
        where = session.slug
        start, end = (datetime.fromisoformat(data[k]) for k in ("startDate", "endDate"))
        assert (start, end) == (session.start, session.end), where
        # The offset written is the one in force at that instant in the session's zone.
        assert start.utcoffset() == session.start.astimezone(start.tzinfo).utcoffset(), where
        time = page.select_one(".hq-facts time")["datetime"]
        assert datetime.fromisoformat(time) == session.start, where
        links = {a.get_text(strip=True): a["href"] for a in page.select(".hq-actions a")}
        if session.status == "cancelled":
            assert links == {}, where  # nothing that would add it
            continue
        google = parse_qs(urlsplit(links["Google Calendar"]).query)
        first, last = google["dates"][0].split("/")
        assert utc(first, "%Y%m%dT%H%M%SZ") == session.start, where
        assert utc(last, "%Y%m%dT%H%M%SZ") == session.end, where
        for name in ("Outlook.com", "Office 365"):
            outlook = parse_qs(urlsplit(links[name]).query)
            assert utc(outlook["startdt"][0], "%Y-%m-%dT%H:%M:%SZ") == session.start, where
            assert utc(outlook["enddt"][0], "%Y-%m-%dT%H:%M:%SZ") == session.end, where


@pytest.mark.parametrize("index", range(len(STEPS)), ids=STEP_IDS)
def test_json_ld_offers_only_what_can_be_taken(steps: list[Built], index: int) -> None:
    """Scheduled: InStock; full: SoldOut (registration closed, the session goes ahead);
    cancelled and postponed: no offer at all, as there is nothing to register for."""
    built = steps[index]
    for session in built.expected.values():
        data = json.loads(page_of(built, session).find("script", type="application/ld+json").string)
        offer = data.get("offers")
        if session.status in ("cancelled", "postponed"):
            assert offer is None, session.slug
            assert "InStock" not in json.dumps(data), session.slug
        else:
            availability = {"scheduled": "InStock", "full": "SoldOut"}[session.status]
            assert offer["availability"] == f"{SCHEMA}{availability}", session.slug
            if session.status == "full":  # the closed form is no longer linked
                assert offer["url"] == f"{SITE_URL}/sessions/{session.slug}/"
    assert any(s.status == "full" for s in built.expected.values()) == (built.name == "full")


def test_hostile_text_is_text_in_every_reader(steps: list[Built]) -> None:
    built = steps[STEP_IDS.index("hostile-text")]
    uid = "alpha-london-feb@127.0.0.1"
    data = (built.output / "calendar" / "all.ics").read_bytes()
    event = ical_events(data)[uid]
    assert event.summary == 'Alpha "evening"; London, <b>UK</b> \\ END:VEVENT'
    # The description is plain text made from the Markdown: its line separators are spaces.
    assert (
        "First line second line new paragraph. END:VEVENT BEGIN:VEVENT "
        'UID:injected@example.org <script>alert("x")</script> ; , \\ done.'
    ) in event.description
    assert len(vevents(data)) == len(built.expected)  # nothing injected
    for viewer in ("UTC", "Asia/Kolkata"):
        summaries = {
            a.summary for a in calcurse_events(built.output / "calendar" / "all.ics", viewer)
        }
        assert 'Alpha "evening"; London, <b>UK</b> \\ END:VEVENT' in summaries
    assert re.search(r"(?m)^UID:injected", "\n".join(unfold(data))) is None


def test_a_join_link_in_the_description_is_withdrawn_with_the_session(steps: list[Built]) -> None:
    """The cancelled session's description gives its join link twice, as an address and as
    a Markdown link: feeds say "(join link withdrawn)", the page keeps the link's words."""
    uid = "alpha-online-dec@127.0.0.1"
    before, after = steps[STEP_IDS.index("cancel") - 1], steps[STEP_IDS.index("cancel")]
    said = {}
    for built in (before, after):
        (event,) = ical_events(
            (built.output / "calendar" / "sessions" / "alpha-online-dec.ics").read_bytes()
        ).values()
        prose = page_of(built, built.expected[uid]).select_one(".hq-prose")
        said[built.name] = (event.description, " ".join(prose.get_text().split()), prose)
    description, text, prose = said["cancel"]
    assert description.endswith(
        "On the day, join at (join link withdrawn) or through this link (join link withdrawn)."
    )
    assert (
        text
        == "Meet the alpha faculty. On the day, join at (join link withdrawn) or through this link."
    )
    assert prose.find("a") is None
    description, text, prose = said[before.name]  # while it was scheduled
    assert "join at https://example.org/join/alpha-dec?pwd=1 or" in description
    assert prose.find("a")["href"] == "https://example.org/join/alpha-dec"
