"""End-to-end flows in Chromium over the built site, as a visitor clicks through it.

What the pages should show is worked out independently, from the built session pages' JSON-LD
and facts (start, end, attendance mode, status, program), then compared with what the browser
shows after each click:

- the applicant's journey at 1280 and 390 px: home -> compare -> a program -> its next info
  session -> register -> the Google Calendar, Outlook and .ics links;
- the sessions list filtered by format and by program;
- the month view's previous/next links, across every month;
- the subscribe page's webcal://, Outlook and Google links for every feed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import ShippedSite, json_ld, soup
from tests.realsite import TEST_TODAY
from tools.build import PROJECT_ROOT, load_settings

pytestmark = pytest.mark.browser

SCHEMA = "https://schema.org/"
OFFLINE, ONLINE, MIXED = (
    f"{SCHEMA}{mode}EventAttendanceMode" for mode in ("Offline", "Online", "Mixed")
)
TAKES_PLACE = {f"{SCHEMA}EventScheduled"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SESSION_LINKS = "main li h3 a[href^='/sessions/']"


@dataclass(frozen=True)
class Session:
    """One session as its built page describes it."""

    path: str
    name: str
    start: datetime
    end: datetime
    mode: str
    status: str
    program: str  # the program page's path
    canonical: str
    place: str | None
    join_url: str | None
    offer: str  # the Offer's url: the registration form, or the session's own page; "" if none
    full: bool  # the Offer is sold out: registration closed

    @property
    def open_for_registration(self) -> bool:
        """It takes place, has a registration link of its own and is not full."""
        return self.status in TAKES_PLACE and self.offer != self.canonical and not self.full


def settings() -> dict:
    """The settings the test build uses (pelicanconf.py)."""
    return load_settings(PROJECT_ROOT / "pelicanconf.py")


def start_of_today() -> datetime:
    """The start of TEST_TODAY in the site's time zone: sessions ending after it are upcoming."""
    zone = ZoneInfo(settings()["TIMEZONE"])
    return datetime.combine(date.fromisoformat(TEST_TODAY), time(), tzinfo=zone)


def read_sessions(site: ShippedSite) -> dict[str, Session]:
    """Every session page of the build (the pages with an Event JSON-LD), by path."""
    found = {}
    for path in site.pages:
        document = soup(site, path)
        events = [b for b in json_ld(document) if b.get("@type") == "Event"]
        if not events:
            continue
        event = events[0]
        program = next(
            (
                dt.find_next_sibling("dd").find("a")["href"]
                for dt in document.select("main dt")
                if dt.get_text(strip=True) == "Program"
            ),
            "",
        )
        locations = (
            event["location"] if isinstance(event["location"], list) else [event["location"]]
        )
        place = next((loc.get("address") for loc in locations if loc["@type"] == "Place"), None)
        join = next(
            (loc.get("url") for loc in locations if loc["@type"] == "VirtualLocation"), None
        )
        # Cancelled and postponed sessions offer nothing (no ``offers`` at all).
        offers = event.get("offers", {})
        found[path] = Session(
            path=path,
            name=event["name"],
            start=datetime.fromisoformat(event["startDate"]),
            end=datetime.fromisoformat(event["endDate"]),
            mode=event["eventAttendanceMode"],
            status=event["eventStatus"],
            program=program,
            canonical=event["url"],
            place=place,
            join_url=join,
            offer=offers.get("url", ""),
            full=offers.get("availability", "").endswith("SoldOut"),
        )
    return found


@pytest.fixture(scope="module")
def sessions(site: ShippedSite) -> dict[str, Session]:
    """The build's sessions; at least one upcoming, or these flows have nothing to follow."""
    found = read_sessions(site)
    today = start_of_today()
    assert any(s.end >= today for s in found.values()), "the build has no upcoming session"
    return found


def upcoming(sessions: dict[str, Session]) -> list[Session]:
    """Sessions that have not ended before today, in start order."""
    today = start_of_today()
    return sorted((s for s in sessions.values() if s.end >= today), key=lambda s: (s.start, s.path))


def listed(page: Page) -> list[str]:
    """The session pages listed in the main content, in order."""
    return [a.get_attribute("href") for a in page.locator(SESSION_LINKS).all()]


def query(url: str) -> dict[str, str]:
    """A URL's query parameters, decoded (single values)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def utc(moment: datetime, pattern: str) -> str:
    """``moment`` in UTC, formatted."""
    return moment.astimezone(UTC).strftime(pattern)


def click_to(page: Page, locator: object, server_url: str, path: str) -> None:
    """Click a link and wait until the browser shows ``path``."""
    with page.expect_navigation():
        locator.click()
    assert urlsplit(page.url).path == urlsplit(server_url + path).path, (
        f"expected {path}, the browser is on {page.url}"
    )


# --- the applicant's journey: home -> compare -> program -> session -> register ----------

REGISTRATION_PAGE = "<!doctype html><title>Sample registration form</title><h1>Register</h1>"


def next_taking_place(sessions: dict[str, Session], program: str) -> Session | None:
    """The program's next session that takes place (upcoming, not cancelled or postponed)."""
    return next(
        (s for s in upcoming(sessions) if s.program == program and s.status in TAKES_PLACE), None
    )


def is_button(locator: object) -> None:
    """The link is drawn as a button: visible, at least 44 px tall, with a filled or framed box."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box and box["height"] >= 44, f"a button {box} under 44 px tall"
    style = locator.evaluate(
        "el => { const s = getComputedStyle(el); return [s.borderTopWidth, s.display]; }"
    )
    assert style[0] != "0px" and "flex" in style[1], f"not drawn as a button: {style}"


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_applicant_journey(
    request: pytest.FixtureRequest, width: str, server_url: str, sessions: dict[str, Session]
) -> None:
    """An applicant on a laptop or a phone goes from the home page to the comparison, picks a
    program, opens its next info session, registers and adds it to a calendar. Each step is
    checked against the sessions' own pages: the comparison and the program page offer the
    program's next session that takes place, with a Register button to its registration form."""
    page: Page = request.getfixturevalue(width)
    page.route(
        "https://example.org/**",
        lambda route: route.fulfill(body=REGISTRATION_PAGE, content_type="text/html"),
    )
    page.goto(server_url + "/")
    compare = page.locator("main").get_by_role("link", name="Compare programs", exact=True)
    is_button(compare)
    click_to(page, compare, server_url, "/programs/compare/")
    expect(page.locator("main h1")).to_have_text("Compare programs")

    # Every program's column names its next session that takes place (or none).
    table = page.get_by_role("region", name=re.compile("programs side by side"))
    heads = table.locator("thead th[scope=col] a")
    programs = [heads.nth(i).get_attribute("href") for i in range(heads.count())]
    assert programs, "the comparison has no programs"
    cells = table.locator("#compare-next-session td")
    for index, program in enumerate(programs):
        expected = next_taking_place(sessions, program)
        links = cells.nth(index).locator("a")
        shown = links.first.get_attribute("href") if links.count() else None
        assert shown == (expected.path if expected else None), f"{program}: next session {shown}"

    # The first program whose next session is open for registration.
    chosen = next(
        p for p in programs if (n := next_taking_place(sessions, p)) and n.open_for_registration
    )
    session = next_taking_place(sessions, chosen)
    if width == "mobile":  # the column may be off screen: the table scrolls sideways
        heads.nth(programs.index(chosen)).scroll_into_view_if_needed()
    click_to(page, heads.nth(programs.index(chosen)), server_url, chosen)

    # Near the top of the program page: its next session with a Register button.
    panel = page.get_by_role("region", name="Next info session")
    register = panel.get_by_role("link", name=re.compile("^Register"))
    is_button(register)
    assert register.get_attribute("href") == session.offer
    top = register.bounding_box()["y"]
    screen = page.viewport_size["height"]
    assert top < (1 if width == "desktop" else 1.5) * screen, f"Register is {top} px down"
    steps = page.get_by_role("region", name="Next steps")
    expect(steps.get_by_role("link", name=re.compile("^Register")).first).to_have_attribute(
        "href", session.offer
    )
    click_to(page, panel.locator(f"a[href='{session.path}']"), server_url, session.path)
    expect(page.locator("main h1")).to_have_text(session.name)

    # Register: the button opens the session's registration form.
    register = page.locator("main").get_by_role("link", name="Register for this session")
    is_button(register)
    with page.expect_navigation():
        register.click()
    assert page.url == session.offer
    expect(page.locator("h1")).to_have_text("Register")
    page.go_back()
    check_calendar_links(page, session)


def test_home_program_next_session_and_its_calendar_links(
    desktop: Page, server_url: str, sessions: dict[str, Session]
) -> None:
    """A visitor goes from a program card on the home page to the program, to its next info
    session, and adds it to a calendar: the Google and Outlook links and the .ics file
    describe that session."""
    page = desktop
    page.goto(server_url + "/")
    cards = page.get_by_role("region", name="Programs").locator(".hq-card__title a")
    programs = [cards.nth(i).get_attribute("href") for i in range(cards.count())]
    coming = upcoming(sessions)
    with_sessions = [p for p in programs if any(s.program == p for s in coming)]
    assert with_sessions, f"no program linked from the home page has upcoming sessions: {programs}"
    program = with_sessions[0]
    link = cards.nth(programs.index(program))
    program_name = link.inner_text().strip()
    click_to(page, link, server_url, program)
    expect(page.locator("main h1")).to_contain_text(program_name)

    # The program page lists the program's upcoming sessions in time order.
    expected = [s for s in coming if s.program == program]
    region = page.get_by_role("region", name="Come to an info session")
    shown = [a.get_attribute("href") for a in region.locator("li .hq-session__title a").all()]
    assert shown == [s.path for s in expected], f"{program} lists {shown}"

    # Its next info session: the first one that takes place.
    next_session = next(s for s in expected if s.status in TAKES_PLACE)
    click_to(
        page,
        region.locator(f".hq-session__title a[href='{next_session.path}']"),
        server_url,
        next_session.path,
    )
    expect(page.locator("main h1")).to_contain_text(next_session.name)
    expect(page.locator(f"main a[href='{program}']").first).to_be_visible()
    check_calendar_links(page, next_session)


def check_calendar_links(page: Page, session: Session) -> None:
    """The session page's Google, Outlook.com, Office 365 and .ics links carry its details."""
    actions = page.get_by_role("region", name="Add to your calendar")
    where = session.place if session.mode == OFFLINE else session.join_url

    google = query(actions.get_by_role("link", name="Google Calendar").get_attribute("href"))
    google_url = actions.get_by_role("link", name="Google Calendar").get_attribute("href")
    assert urlsplit(google_url)[:3] == ("https", "calendar.google.com", "/calendar/render")
    assert google["action"] == "TEMPLATE"
    assert google["text"] == session.name
    fmt = "%Y%m%dT%H%M%SZ"
    assert google["dates"] == f"{utc(session.start, fmt)}/{utc(session.end, fmt)}"
    assert session.canonical in google["details"]
    assert where and where in google["location"]

    for label, host in (("Outlook.com", "outlook.live.com"), ("Office 365", "outlook.office.com")):
        url = actions.get_by_role("link", name=label).get_attribute("href")
        assert urlsplit(url)[:3] == ("https", host, "/calendar/0/deeplink/compose"), url
        outlook = query(url)
        assert outlook["rru"] == "addevent"
        assert outlook["subject"] == session.name
        assert outlook["startdt"] == utc(session.start, "%Y-%m-%dT%H:%M:%SZ")
        assert outlook["enddt"] == utc(session.end, "%Y-%m-%dT%H:%M:%SZ")
        assert session.canonical in outlook["body"]
        assert where in outlook["location"]

    # The .ics download: one event, the same session.
    ics_link = actions.get_by_role("link", name=re.compile(r"Download \.ics"))
    with page.expect_download() as download_info:
        ics_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 1, f"the .ics holds {len(events)} events"
    event = events[0]
    assert str(event["SUMMARY"]) == session.name
    assert event.decoded("DTSTART") == session.start
    assert event.decoded("DTEND") == session.end
    assert str(event["URL"]) == session.canonical
    assert str(event.get("UID", "")).strip()
    assert str(event.get("STATUS", "CONFIRMED")) == "CONFIRMED"
    assert "X-WR-CALNAME" not in calendar, "a one-event file must not name a calendar"


# --- sessions list filters ----------------------------------------------------------------


def test_sessions_list_filtered_by_format(
    desktop: Page, server_url: str, sessions: dict[str, Session]
) -> None:
    """The In person and Online filters show exactly the upcoming sessions of that format
    (hybrid in both), in order, mark themselves current and offer that format's feed."""
    page = desktop
    page.goto(server_url + "/sessions/")
    everything = listed(page)
    assert everything == [s.path for s in upcoming(sessions)], "/sessions/ lists the wrong sessions"
    filters = page.get_by_role("navigation", name="Info sessions")
    sizes = []
    for label, modes, feed in (
        ("In person", {OFFLINE, MIXED}, "/calendar/in-person.ics"),
        ("Online", {ONLINE, MIXED}, "/calendar/online.ics"),
    ):
        page.goto(server_url + "/sessions/")
        link = filters.get_by_role("link", name=label, exact=True)
        click_to(page, link, server_url, link.get_attribute("href"))
        expected = [path for path in everything if sessions[path].mode in modes]
        assert listed(page) == expected, f"the {label} filter lists the wrong sessions"
        expect(filters.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        check_subscribe_line(page, server_url, feed)
        sizes.append(len(expected))
    assert all(sizes) and sum(sizes) >= len(everything), (
        f"format filters show {sizes} of {len(everything)} sessions"
    )


def test_sessions_list_filtered_by_program(
    desktop: Page, server_url: str, sessions: dict[str, Session]
) -> None:
    """Each program filter shows exactly that program's upcoming sessions and its feed."""
    page = desktop
    page.goto(server_url + "/sessions/")
    everything = listed(page)
    filters = page.get_by_role("navigation", name="Info sessions")
    targets = [
        (a.inner_text().strip(), a.get_attribute("href"))
        for a in filters.locator("a[href^='/sessions/program/']").all()
    ]
    programs = {s.program for s in sessions.values()}
    assert len(targets) >= len(programs), f"program filters {targets} for programs {programs}"
    for label, href in targets:
        slug = href.rstrip("/").rsplit("/", 1)[-1]
        page.goto(server_url + "/sessions/")
        click_to(page, filters.get_by_role("link", name=label, exact=True), server_url, href)
        expected = [p for p in everything if sessions[p].program == f"/programs/{slug}/"]
        assert listed(page) == expected, f"the {label} filter lists the wrong sessions"
        check_subscribe_line(page, server_url, f"/calendar/program-{slug}.ics")


def check_subscribe_line(page: Page, server_url: str, feed: str) -> None:
    """The list's "subscribe to these sessions" link leads to the controls of ``feed``."""
    link = page.get_by_role("link", name="subscribe to these sessions")
    click_to(page, link, server_url, "/sessions/subscribe/")
    fragment = urlsplit(page.url).fragment
    assert fragment, "the subscribe link names no feed on the subscribe page"
    control = page.locator(f"details#{fragment}")
    expect(control.locator(f"a[href='{feed}']")).to_have_count(1)


# --- month view ---------------------------------------------------------------------------

MONTH_IN_HEADING = re.compile(r"(" + "|".join(MONTHS) + r") (\d{4})")


def shown_month(page: Page) -> tuple[int, int]:
    """(year, month) the month view's heading names."""
    match = MONTH_IN_HEADING.search(page.locator("main h1").inner_text())
    assert match, f"no month in the heading of {page.url}"
    return int(match.group(2)), MONTHS.index(match.group(1)) + 1


def step(year: int, month: int, by: int) -> tuple[int, int]:
    """The month ``by`` months after (year, month)."""
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


GRID_SESSIONS = """() => [...document.querySelectorAll('main table li a[href]')].map((a) => ({
  href: a.getAttribute('href'),
  datetime: a.querySelector('time') ? a.querySelector('time').getAttribute('datetime') : null,
  day: a.closest('td').querySelector('.hq-month__date time').getAttribute('datetime'),
}))"""


def check_grid(page: Page, year: int, month: int, sessions: dict[str, Session]) -> set[str]:
    """Every session in the grid is on its own day of this month; return their paths."""
    entries = page.evaluate(GRID_SESSIONS)
    for entry in entries:
        session = sessions.get(entry["href"])
        assert session, f"{year}-{month:02}: the grid links {entry['href']}, not a session"
        start = datetime.fromisoformat(entry["datetime"])
        assert start == session.start, f"{entry['href']}: grid time {start} != {session.start}"
        assert (start.year, start.month) == (year, month), f"{entry['href']} in the wrong month"
        assert entry["day"] == start.date().isoformat(), f"{entry['href']} is on {entry['day']}"
    return {entry["href"] for entry in entries}


def test_month_view_previous_and_next(
    desktop: Page, server_url: str, sessions: dict[str, Session]
) -> None:
    """The month view opens on this month; Next and Previous step one month at a time to the
    last and first months, and across all months the grid shows every session on its day."""
    page = desktop
    page.goto(server_url + "/sessions/calendar/")
    today = date.fromisoformat(TEST_TODAY)
    assert shown_month(page) == (today.year, today.month)
    seen = check_grid(page, today.year, today.month, sessions)
    visited = 1
    for direction, rel in ((1, "next"), (-1, "prev")):
        while True:
            link = page.locator(f"main a[rel~='{rel}']")
            if link.count() == 0:
                break
            year, month = step(*shown_month(page), direction)
            target = f"/sessions/calendar/{year}-{month:02}/"
            expect(link).to_have_accessible_name(re.compile(f"{MONTHS[month - 1]} {year}"))
            click_to(page, link, server_url, target)
            assert shown_month(page) == (year, month)
            seen |= check_grid(page, year, month, sessions)
            visited += 1
            assert visited < 240, "the month links never end"
    assert seen == set(sessions), (
        f"sessions never shown in any month: {sorted(set(sessions) - seen)}"
    )
