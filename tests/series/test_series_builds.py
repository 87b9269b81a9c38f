"""Series on real builds (tests/data/sessions/series/): each date a session like any other,
in its pages and in every feed, as two independent calendar readers (Home Assistant's
``ical`` and calcurse) read them; instants checked against zoneinfo, not the plugin."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.feeds.checks import assert_sound_feeds
from tests.feeds.readers import calcurse_events, ical_events
from tests.sessions.conftest import SCENARIOS, TODAY
from tests.sessions.helpers import page, text
from tools.build import build_site, site_today

DOMAIN = "127.0.0.1"
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
FEEDS = (
    "all",
    "online",
    "in-person",
    "program-alpha",
    "program-beta",
)


def instant(day: str, clock: str, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time, by zoneinfo alone."""
    naive = datetime.fromisoformat(f"{day} {clock}")
    return naive.replace(tzinfo=zone).astimezone(UTC)


# What each series should give, worked out by hand from its file: UID date -> (start date,
# wall clock, zone, status).
MONTHLY = {  # monthly on the first Tuesday, Until 2027-06-30; Skip Apr 6, Cancel Mar 2, Move
    "20270105": ("2027-01-05", "12:00", NEW_YORK, "CONFIRMED"),
    "20270202": ("2027-02-02", "12:00", NEW_YORK, "CONFIRMED"),
    "20270302": ("2027-03-02", "12:00", NEW_YORK, "CANCELLED"),
    "20270504": ("2027-05-11", "13:00", NEW_YORK, "CONFIRMED"),  # moved from May 4
    "20270601": ("2027-06-01", "12:00", NEW_YORK, "CONFIRMED"),
}
# every 4 weeks from Monday 8 February 2027 to 15 November 2027, at noon in New York: across
# the spring change (14 March) and the autumn one (7 November).
FOUR_WEEKLY = {
    f"{day:%Y%m%d}": (day.isoformat(), "12:00", NEW_YORK, "CONFIRMED")
    for day in (date(2027, 2, 8) + timedelta(weeks=4 * n) for n in range(11))
}
DAY_31 = {  # monthly on day 31, Count 4: months without a 31st have none
    "20270131": ("2027-01-31", "09:00", LONDON, "CONFIRMED"),
    "20270331": ("2027-03-31", "09:00", LONDON, "CONFIRMED"),
    "20270531": ("2027-05-31", "09:00", LONDON, "CONFIRMED"),
    "20270731": ("2027-07-31", "09:00", LONDON, "CONFIRMED"),
}
LAST_FRIDAY = {  # monthly on the last Friday, Count 3
    "20270129": ("2027-01-29", "16:00", NEW_YORK, "CONFIRMED"),
    "20270226": ("2027-02-26", "16:00", NEW_YORK, "CONFIRMED"),
    "20270326": ("2027-03-26", "16:00", NEW_YORK, "CONFIRMED"),
}
SERIES = {
    "alpha-monthly": MONTHLY,
    "beta-four-weekly": FOUR_WEEKLY,
    "beta-day-31": DAY_31,
    "alpha-last-friday": LAST_FRIDAY,
}
# Which feeds each series is in: by format and program.
IN_FEEDS = {
    "alpha-monthly": {"all", "online", "program-alpha"},
    "beta-four-weekly": {"all", "in-person", "program-beta"},
    "beta-day-31": {"all", "online", "program-beta"},
    "alpha-last-friday": {"all", "online", "in-person", "program-alpha"},
}


def uid(slug: str, day: str) -> str:
    return f"{slug}-{day}@{DOMAIN}"


def expected_starts(slug: str) -> dict[str, datetime]:
    return {uid(slug, key): instant(d, c, z) for key, (d, c, z, _) in SERIES[slug].items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("series")
    content = root / "content"
    shutil.copytree(SCENARIOS / "series", content)
    output = root / "output"
    build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    assert_sound_feeds(output)
    return output


def feed(site: Path, key: str) -> bytes:
    return (site / "calendar" / f"{key}.ics").read_bytes()


@pytest.mark.parametrize("own_rules", [False, True])
@pytest.mark.parametrize("slug", sorted(SERIES))
def test_each_date_is_an_event_at_its_wall_clock_time_in_every_feed(
    site: Path, slug: str, own_rules: bool
) -> None:
    expected = expected_starts(slug)
    for key in FEEDS:
        events = ical_events(feed(site, key), own_rules=own_rules)
        found = {u: e.start for u, e in events.items() if u.startswith(f"{slug}-")}
        if key in IN_FEEDS[slug]:
            assert found == expected, (key, found)
        else:
            assert found == {}, key
    # The series' own .ics and each date's .ics say the same.
    own_file = site / "calendar" / "sessions" / f"{slug}.ics"
    own = ical_events(own_file.read_bytes(), own_rules=own_rules)
    assert {u: e.start for u, e in own.items()} == expected
    for key, (_, _, _, status) in SERIES[slug].items():
        original = f"{key[:4]}-{key[4:6]}-{key[6:]}"
        single = ical_events(
            (site / "calendar" / "sessions" / f"{slug}-{original}.ics").read_bytes(),
            own_rules=own_rules,
        )
        assert list(single) == [uid(slug, key)]
        assert single[uid(slug, key)].start == expected[uid(slug, key)]
        assert single[uid(slug, key)].status == status


def test_noon_stays_noon_across_both_clock_changes(site: Path) -> None:
    events = ical_events(feed(site, "in-person"), own_rules=True)
    starts = sorted(e.start for u, e in events.items() if u.startswith("beta-four-weekly-"))
    offsets = {start.astimezone(NEW_YORK).utcoffset() for start in starts}
    assert {start.astimezone(NEW_YORK).strftime("%H:%M") for start in starts} == {"12:00"}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}  # both sides of both changes
    assert starts[0].hour == 17 and starts[2].hour == 16 and starts[-1].hour == 17  # UTC


@pytest.mark.parametrize("viewer", ["America/New_York", "Europe/London", "Asia/Tokyo"])
def test_calcurse_lists_every_date_at_its_instant(site: Path, viewer: str) -> None:
    listed = calcurse_events(site / "calendar" / "all.ics", viewer)
    for slug in SERIES:
        title = {
            "alpha-monthly": "Alpha monthly online session",
            "beta-four-weekly": "Beta four-weekly campus session",
            "beta-day-31": "Beta end-of-month session",
            "alpha-last-friday": "Alpha last-Friday session",
        }[slug]
        starts = sorted(item.start for item in listed if item.summary.endswith(title))
        assert starts == sorted(expected_starts(slug).values()), (slug, viewer)
        for item in listed:
            if item.summary.endswith(title):
                clock = f"{item.start.astimezone(ZoneInfo(viewer)):%Y-%m-%d %H:%M}"
                assert item.local_start == clock


def test_skip_leaves_no_trace_cancel_stays_listed_as_cancelled(site: Path) -> None:
    everything = b"".join(f.read_bytes() for f in site.rglob("*.ics"))
    assert b"20270406" not in everything
    assert not (site / "sessions" / "alpha-monthly-2027-04-06").exists()
    html = "".join(p.read_text("utf-8") for p in site.rglob("*.html"))
    assert "alpha-monthly-2027-04-06" not in html and "6 April 2027" not in html
    cancelled = ical_events(feed(site, "all"))[uid("alpha-monthly", "20270302")]
    assert cancelled.status == "CANCELLED"
    assert cancelled.summary == "Cancelled: Alpha monthly online session"
    assert "https://example.org/join/alpha-monthly" not in cancelled.description
    soup = page(site, "sessions/alpha-monthly-2027-03-02")
    assert "This session has been cancelled" in text(soup)
    assert "https://example.org/join/alpha-monthly" not in str(soup.main)
    listed = text(page(site, "sessions"))
    assert "Cancelled Tuesday 2 March 2027" in listed


def test_a_moved_date_keeps_its_uid_and_address_and_says_it_moved(site: Path) -> None:
    moved = ical_events(feed(site, "online"))[uid("alpha-monthly", "20270504")]
    assert moved.start == instant("2027-05-11", "13:00", NEW_YORK)
    assert moved.end == instant("2027-05-11", "14:00", NEW_YORK)
    assert "first planned for Tuesday 4 May 2027, 12:00 pm EDT" in moved.description
    soup = page(site, "sessions/alpha-monthly-2027-05-04")
    assert "This date has moved: it was first planned for Tuesday 4 May 2027" in text(soup)
    assert "Tuesday 11 May 2027" in text(soup)


def test_every_date_has_its_page_event_jsonld_and_link_to_the_series(site: Path) -> None:
    for slug, dates in SERIES.items():
        for key, (day, clock, zone, _) in dates.items():
            original = f"{key[:4]}-{key[4:6]}-{key[6:]}"
            soup = page(site, f"sessions/{slug}-{original}")
            link = soup.main.find("a", string=lambda s: s and s.startswith("every date of"))
            assert link is not None and link["href"].endswith(f"/sessions/{slug}/")
            (script,) = soup.select('script[type="application/ld+json"]')
            event = json.loads(script.string)
            assert event["@type"] == "Event"
            start = datetime.fromisoformat(event["startDate"])
            assert start.astimezone(UTC) == instant(day, clock, zone)


def test_the_series_page_lists_its_dates(site: Path) -> None:
    soup = page(site, "sessions/alpha-monthly")
    listed = [a["href"] for a in soup.select("li.hq-session h3 a")]
    assert [h.rsplit("/sessions/", 1)[1] for h in listed] == [
        "alpha-monthly-2027-01-05/",
        "alpha-monthly-2027-02-02/",
        "alpha-monthly-2027-03-02/",
        "alpha-monthly-2027-05-04/",
        "alpha-monthly-2027-06-01/",
    ]
    shown = text(soup)
    assert "on the first Tuesday of each month, at 12:00 pm New York time" in shown
    assert "Tuesday 11 May 2027 : first planned for Tuesday 4 May 2027, 12:00 pm EDT" in shown
    assert soup.find("a", href=lambda h: h and h.endswith("calendar/sessions/alpha-monthly.ics"))
    day31 = text(page(site, "sessions/beta-day-31"))
    assert "on day 31 of each month that has one" in day31
    assert "February" not in day31 and "April" not in day31


def test_dates_are_in_lists_month_view_program_and_home_pages(site: Path) -> None:
    index = text(page(site, "sessions"))
    for day in ("Tuesday 5 January 2027", "Friday 29 January 2027", "Sunday 31 January 2027"):
        assert day in index
    may = page(site, "sessions/calendar/2027-05")
    hrefs = {a["href"] for a in may.select("a")}
    assert any(h.endswith("/sessions/alpha-monthly-2027-05-04/") for h in hrefs)
    assert any(h.endswith("/sessions/beta-four-weekly-2027-05-03/") for h in hrefs)
    program = text(page(site, "sessions/program/beta"))
    assert "Beta four-weekly campus session" in program and "Beta end-of-month session" in program
    home = (site / "index.html").read_text("utf-8")
    assert "/sessions/alpha-single/" in home  # the next one, a single session
    assert "/sessions/alpha-monthly-2027-01-05/" in home  # then dates of series
