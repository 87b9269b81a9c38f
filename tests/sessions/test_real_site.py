"""The real content, built once (built_site): every sessions page and every feed it writes."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.conftest import CONTENT, TEST_TODAY
from tests.series.expected import series_files, session_files, source_of
from tests.sessions.helpers import icalendar_starts, ics_starts, page, text, unfold
from tools.build import source_map_path
from tools.devserver import ReloadBroadcaster, make_server

# Every session, a series' dates each as a file of its own (tests/series/expected.py).
SESSION_FILES = session_files(CONTENT / "sessions")
SERIES_FILES = series_files(CONTENT / "sessions")
PROGRAMS = sorted(path.stem for path in (CONTENT / "programs").glob("*.md"))
TODAY_START = datetime.fromisoformat(TEST_TODAY).replace(tzinfo=ZoneInfo("America/New_York"))
FEED_NAMES = ["all", "in-person", "online", *(f"program-{slug}" for slug in PROGRAMS)]
MAX_FEED_BYTES = 1_000_000


def header(path: Path) -> dict[str, str]:
    """A session file's header, read naively (independently of the plugin)."""
    head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def expected_start(fields: dict[str, str]) -> datetime:
    zone = ZoneInfo(fields.get("Timezone", "America/New_York"))
    return datetime.fromisoformat(fields["Start"]).replace(tzinfo=zone).astimezone(UTC)


def expected_end(fields: dict[str, str]) -> datetime:
    if "End" in fields:
        return expected_start({**fields, "Start": fields["End"]})
    hours, _, minutes = fields["Duration"].removesuffix("m").partition("h")
    if not minutes and "h" not in fields["Duration"]:
        hours, minutes = "0", hours
    return expected_start(fields) + timedelta(hours=int(hours or 0), minutes=int(minutes or 0))


def uid_of(path: Path, fields: dict[str, str]) -> str:
    uid = fields.get("UID", path.stem)
    return uid if "@" in uid else f"{uid}@127.0.0.1"


def ics_files(site: Path) -> list[Path]:
    return sorted((site / "calendar").rglob("*.ics"))


def components(lines: list[str], name: str) -> list[list[str]]:
    """The content lines of every ``name`` component (nested ones included)."""
    found, current = [], None
    for line in lines:
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}" and current is not None:
            found.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return found


def prop(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if re.split("[;:]", line, maxsplit=1)[0] == name]


# -- the sample content ------------------------------------------------------------------


def test_sample_sessions_cover_the_issue() -> None:
    sessions = [header(path) for path in SESSION_FILES]
    assert {fields["Program"] for fields in sessions} == set(PROGRAMS)
    assert {fields["Format"] for fields in sessions} == {"in-person", "online", "hybrid"}
    statuses = [fields.get("Status", "scheduled") for fields in sessions]
    assert {"cancelled", "postponed", "full"} <= set(statuses)
    starts = [expected_start(fields) for fields in sessions]
    assert sum(start < TODAY_START for start in starts) >= 2
    assert sum(start > TODAY_START for start in starts) > len(starts) / 2
    offsets = {
        expected_start(f).astimezone(ZoneInfo(f.get("Timezone", "America/New_York"))).utcoffset()
        for f in sessions
    }
    assert {timedelta(hours=-5), timedelta(hours=-4), timedelta(0), timedelta(hours=1)} <= offsets
    for path, fields in zip(SESSION_FILES, sessions, strict=True):
        body = path.read_text(encoding="utf-8")
        assert "Sample" in fields["Title"] and "Sample data" in body, path.name
        for url in re.findall(r"https?://\S+", body):
            assert url.startswith("https://example.org/"), (path.name, url)


# -- pages -----------------------------------------------------------------------------


def test_every_sessions_page_exists(built_site: Path) -> None:
    urls = [
        "sessions",
        "sessions/in-person",
        "sessions/online",
        "sessions/past",
        "sessions/calendar",
        "sessions/subscribe",
        *(f"sessions/program/{slug}" for slug in PROGRAMS),
        *(f"sessions/{path.stem}" for path in SESSION_FILES),
    ]
    missing = [url for url in urls if not (built_site / url / "index.html").is_file()]
    assert missing == []
    months = sorted(
        p.parent.name for p in (built_site / "sessions" / "calendar").glob("*/index.html")
    )
    assert months[0] == "2026-04" and months[-1] == "2027-11"
    assert len(months) == 20  # every month from the first session to the last


def test_upcoming_list_shows_every_upcoming_session_once(built_site: Path) -> None:
    soup = page(built_site, "sessions")
    shown = [a["href"] for a in soup.select("li.hq-session h3 a")]
    upcoming = [
        path for path in SESSION_FILES if expected_end(header(path)) > TODAY_START.astimezone(UTC)
    ]
    upcoming.sort(key=lambda path: expected_start(header(path)))
    assert shown == [f"/sessions/{path.stem}/" for path in upcoming]
    cancelled = soup.find("a", href="/sessions/mscso-online-2026-12/").find_parent("li")
    assert cancelled.select_one(".hq-status").get_text() == "Cancelled"
    assert "hq-session--cancelled" in cancelled["class"]
    for card in soup.select("li.hq-session"):
        assert card.select_one(".hq-badge").get_text() in {"In person", "Online", "Hybrid"}
        assert re.search(r"\d:\d\d [ap]m (EST|EDT|GMT|BST)", card.time.get_text()), card.time
        assert card.select_one(".hq-session__where").get_text(strip=True)
    past = [a["href"] for a in page(built_site, "sessions/past").select("li.hq-session h3 a")]
    assert past == [
        "/sessions/mhqs-online-2026-10/",
        "/sessions/mshpe-boston-2026-09/",
        "/sessions/mscso-online-2026-04/",
    ]


@pytest.mark.parametrize("slug", PROGRAMS)
def test_program_page_lists_its_upcoming_sessions_and_feed(built_site: Path, slug: str) -> None:
    soup = page(built_site, f"programs/{slug}")
    section = soup.find(id="info-sessions").find_parent("section")
    shown = [a["href"] for a in section.select("li .hq-session__title a")]
    expected = sorted(
        (
            path
            for path in SESSION_FILES
            if header(path)["Program"] == slug
            and expected_end(header(path)) > TODAY_START.astimezone(UTC)
        ),
        key=lambda path: expected_start(header(path)),
    )
    assert shown == [f"/sessions/{path.stem}/" for path in expected]
    control = section.select_one(f"details.hq-feed#feed-program-{slug}")  # its feed alone
    assert control is not None and control.has_attr("open")
    assert len(section.select("details.hq-feed")) == 1
    assert control.find("a", href=f"/calendar/program-{slug}.ics") is not None
    listing = page(built_site, f"sessions/program/{slug}")
    assert [a["href"] for a in listing.select("li.hq-session h3 a")] == shown


def test_home_shows_the_next_three_sessions(built_site: Path) -> None:
    section = page(built_site, "").find(id="next-sessions").find_parent("section")
    assert [a["href"] for a in section.select("li h3 a")] == [
        "/sessions/mhqs-online-2026-12/",
        "/sessions/mshpe-online-2026-12/",
        "/sessions/mshpe-online-monthly-2027-01-06/",  # the first date of the sample series
    ]


@pytest.mark.parametrize("path", SESSION_FILES, ids=lambda p: p.stem)
def test_session_page_and_its_jsonld(built_site: Path, path: Path) -> None:
    fields = header(path)
    soup = page(built_site, f"sessions/{path.stem}")
    assert soup.h1.get_text(strip=True) == fields["Title"]
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert datetime.fromisoformat(data["startDate"]) == expected_start(fields)
    assert datetime.fromisoformat(data["endDate"]) == expected_end(fields)
    assert re.search(r"[+-]\d\d:\d\d$", data["startDate"])
    assert data["organizer"]["@type"] == "Organization"
    if fields.get("Status") in ("cancelled", "postponed"):  # nothing to register for
        assert "offers" not in data
    else:
        assert data["offers"]["price"] == "0"
    section = soup.find(id="add-to-calendar").find_parent("section")
    links = [a["href"] for a in section.select("a[download]")]
    assert links == [f"/calendar/sessions/{path.stem}.ics"]
    assert (built_site / links[0].lstrip("/")).is_file()
    if fields.get("Status") == "cancelled":  # no links that would add a cancelled session
        assert section.select(".hq-actions") == []
        assert "Delete it in your calendar" in text(section)
        return
    links = [a["href"] for a in section.select(".hq-actions a")]
    assert links[0] == f"/calendar/sessions/{path.stem}.ics"
    assert links[1].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert links[2].startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert links[3].startswith("https://outlook.office.com/calendar/0/deeplink/compose?")


def test_pages_with_their_css_stay_small(built_site: Path) -> None:
    css = sum(len(p.read_bytes()) for p in (built_site / "theme" / "css").glob("site.css"))
    pages = [*(built_site / "sessions").rglob("index.html"), built_site / "index.html"]
    pages += list((built_site / "programs").rglob("index.html"))
    too_big = {
        str(p.relative_to(built_site)): p.stat().st_size + css
        for p in pages
        if p.stat().st_size + css >= 50_000
    }
    assert too_big == {}


def test_session_pages_are_in_the_source_map_and_sitemap(built_site: Path) -> None:
    mapping = json.loads(source_map_path(built_site).read_text())
    sitemap = (built_site / "sitemap.xml").read_text()
    for path in SESSION_FILES:
        if source_of(path) == path:  # a series' file maps to the series page (below)
            assert mapping[f"sessions/{path.stem}/index.html"] == f"content/sessions/{path.name}"
        assert f"<loc>http://127.0.0.1:8000/sessions/{path.stem}/</loc>" in sitemap
    for path in SERIES_FILES:
        assert mapping[f"sessions/{path.stem}/index.html"] == f"content/sessions/{path.name}"
        assert f"<loc>http://127.0.0.1:8000/sessions/{path.stem}/</loc>" in sitemap


# -- feeds -----------------------------------------------------------------------------


def test_every_feed_exists_with_the_sessions_it_should_hold(built_site: Path) -> None:
    cutoff = (TODAY_START - timedelta(days=180)).astimezone(UTC)
    window = [path for path in SESSION_FILES if expected_end(header(path)) > cutoff]
    assert len(window) == len(SESSION_FILES) - 1  # the April 2026 session is too old

    def members(test: object) -> list[str]:
        return sorted(uid_of(p, header(p)) for p in window if test(header(p)))

    expected = {
        "all": members(lambda f: True),
        "in-person": members(lambda f: f["Format"] in ("in-person", "hybrid")),
        "online": members(lambda f: f["Format"] in ("online", "hybrid")),
    }
    for slug in PROGRAMS:
        expected[f"program-{slug}"] = members(lambda f, slug=slug: f["Program"] == slug)
    for name in FEED_NAMES:
        data = (built_site / "calendar" / f"{name}.ics").read_bytes()
        got = sorted(str(e["UID"]) for e in Calendar.from_ical(data).events)
        assert got == expected[name], name


@pytest.mark.parametrize("name", FEED_NAMES)
def test_both_parsers_read_the_same_utc_start_for_every_event(built_site: Path, name: str) -> None:
    data = (built_site / "calendar" / f"{name}.ics").read_bytes()
    starts = icalendar_starts(data)
    assert starts == ics_starts(data)
    by_uid = {uid_of(p, header(p)): expected_start(header(p)) for p in SESSION_FILES}
    assert starts == {uid: by_uid[uid] for uid in starts}


def test_per_session_files_are_single_events_without_calendar_name(built_site: Path) -> None:
    for path in SESSION_FILES:
        data = (built_site / "calendar" / "sessions" / f"{path.stem}.ics").read_bytes()
        lines = unfold(data)
        assert not prop(lines, "NAME") and not prop(lines, "X-WR-CALNAME")
        assert icalendar_starts(data) == ics_starts(data)
        assert list(icalendar_starts(data).values()) == [expected_start(header(path))]


def test_every_ics_file_follows_rfc_5545_and_7986(built_site: Path) -> None:
    files = ics_files(built_site)
    assert len(files) == len(FEED_NAMES) + len(SESSION_FILES) + len(SERIES_FILES)
    for file in files:
        data = file.read_bytes()
        where = file.relative_to(built_site).as_posix()
        assert len(data) < MAX_FEED_BYTES, where
        assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
        assert b"\n" not in data.replace(b"\r\n", b""), f"{where}: bare LF"
        assert max(len(line) for line in data.split(b"\r\n")) <= 75, f"{where}: line > 75 octets"
        lines = unfold(data)
        calendar_lines = lines[: lines.index("BEGIN:VEVENT")] if "BEGIN:VEVENT" in lines else lines
        assert "VERSION:2.0" in calendar_lines
        assert "PRODID:-//Healthcare Quality Graduate Programs//info_sessions plugin//EN" in lines
        assert "CALSCALE:GREGORIAN" in calendar_lines
        assert "METHOD:PUBLISH" in calendar_lines
        is_feed = file.parent.name == "calendar"
        for name in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            top = [line for line in prop(calendar_lines, name)]
            assert len(top) == (1 if is_feed else 0), f"{where}: {name}"
        if is_feed:
            assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in calendar_lines
            assert "X-PUBLISHED-TTL:PT6H" in calendar_lines
        events = components(lines, "VEVENT")
        tzids_used = set()
        for event in events:
            for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION",
                         "LOCATION", "URL", "STATUS", "SEQUENCE", "CATEGORIES"):  # fmt: skip
                assert len(prop(event, name)) == 1, f"{where}: {name} in {event[0]}"
            assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", prop(event, "DTSTAMP")[0])
            assert prop(event, "STATUS")[0] in (
                "STATUS:CONFIRMED", "STATUS:CANCELLED", "STATUS:TENTATIVE",
            )  # fmt: skip
            assert re.fullmatch(r"SEQUENCE:\d+", prop(event, "SEQUENCE")[0])
            assert prop(event, "URL")[0].startswith("URL;VALUE=URI:http://127.0.0.1:8000/sessions/")
            for name in ("DTSTART", "DTEND"):
                match = re.fullmatch(
                    rf"{name};TZID=([\w/+-]+):\d{{8}}T\d{{6}}", prop(event, name)[0]
                )
                assert match, f"{where}: {prop(event, name)}"
                tzids_used.add(match.group(1))
        zones = components(lines, "VTIMEZONE")
        assert sorted(prop(z, "TZID")[0].removeprefix("TZID:") for z in zones) == sorted(tzids_used)
        check_vtimezone_span(where, data, zones)


def check_vtimezone_span(where: str, data: bytes, zones: list[list[str]]) -> None:
    """Every VTIMEZONE uses rules, not date lists, and covers the feed's span and no more."""
    calendar = Calendar.from_ical(data)
    if not calendar.events:
        assert zones == []
        return
    first = min(e.decoded("DTSTART").astimezone(UTC) for e in calendar.events)
    last = max(e.decoded("DTEND").astimezone(UTC) for e in calendar.events)
    for zone in zones:
        # No lists of dates; only a fixed observance repeats its onset (for Home Assistant).
        for observance in components(zone, "STANDARD") + components(zone, "DAYLIGHT"):
            rdates = [line.split(":", 1)[1] for line in prop(observance, "RDATE")]
            starts = [line.split(":", 1)[1] for line in prop(observance, "DTSTART")]
            assert rdates in ([], starts), f"{where}: RDATE in VTIMEZONE"
            assert not (rdates and prop(observance, "RRULE")), f"{where}: RDATE and RRULE"
        onsets = [
            datetime.strptime(line.split(":")[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            for line in prop(zone, "DTSTART")
        ]
        assert min(onsets) <= first + timedelta(days=1), f"{where}: span start not covered"
        assert min(onsets) >= first - timedelta(days=367), f"{where}: starts long before span"
        assert max(onsets) <= last + timedelta(days=1), f"{where}: observance after the span"
        tzid = prop(zone, "TZID")[0].removeprefix("TZID:")
        if len(onsets) > 1:  # zones with clock changes in the span
            assert len(prop(zone, "RRULE")) == len(onsets), f"{where}: {tzid} without RRULE"


def test_rebuilt_feeds_are_byte_identical(built_site: Path, build) -> None:
    second = build()
    for file in ics_files(built_site):
        relative = file.relative_to(built_site)
        assert (second / relative).read_bytes() == file.read_bytes(), relative


def test_dtstamp_is_each_files_last_commit(built_site: Path) -> None:
    """Without Modified, DTSTAMP is the file's last commit time (asked here file by file);
    a file not committed yet gets the start of SITE_TODAY. Never the build's clock."""
    data = (built_site / "calendar" / "all.ics").read_bytes()
    for path in SESSION_FILES:
        if "Modified" in header(path) or path.stem == "mscso-online-2026-04":
            continue
        log = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", source_of(path).name],
            cwd=source_of(path).parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        stamp = datetime.fromtimestamp(int(log), tz=UTC) if log else TODAY_START
        uid = uid_of(path, header(path))
        lines = unfold(data)
        event = lines[lines.index(f"UID:{uid}") :]
        assert event[1] == f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}", path.name


# -- serving -----------------------------------------------------------------------------


@pytest.fixture
def served_site(built_site: Path) -> Iterator[str]:
    server = make_server(built_site, "127.0.0.1", 0, ReloadBroadcaster())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("url", ["/calendar/all.ics", "/calendar/sessions/mhqs-online-2026-12.ics"])
def test_make_serve_serves_feeds_as_text_calendar(served_site: str, url: str) -> None:
    with urllib.request.urlopen(f"{served_site}{url}", timeout=5) as reply:
        assert reply.status == 200
        assert reply.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert reply.read().startswith(b"BEGIN:VCALENDAR\r\n")
