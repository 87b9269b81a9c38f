"""The visitor's own time (theme/static/js/local-time.js), in Chromium with emulated zones.

Each online or hybrid session's start is marked up as ``<time data-local-time
datetime="...-05:00">``. With the script, a visitor elsewhere sees "Your time: Wed 9 Dec,
10:30 pm IST" after the session's own time, on session pages, list cards, the home page and
the month view (grid at 1280 px, agenda at 390 px). Every line shown is checked against
zoneinfo: weekday, day, month, clock and zone name, for a half-hour zone (Asia/Kolkata), one
across the date line (Australia/Sydney), one in Europe and one on the US west coast. A
visitor whose clock shows the session's own time sees nothing extra; without scripts nothing
is added; the script asks no other host for anything.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import MOBILE, ShippedSite, soup
from tools.browser import DESKTOP

pytestmark = pytest.mark.browser

# Zone, the browser's language (which names the zone: "IST" in India, "CET" in Germany).
ZONES = [
    ("Asia/Kolkata", "en-IN"),
    ("Australia/Sydney", "en-AU"),
    ("Europe/Berlin", "de-DE"),
    ("America/Los_Angeles", "en-US"),
]
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Every marked time on the page, with the lines added to its paragraph, item or definition.
SHOWN = """() => [...document.querySelectorAll('time[data-local-time]')].map((time) => {
  const host = time.closest('li, p, dd');
  const lines = [...host.querySelectorAll('.hq-local-time')];
  return {datetime: time.getAttribute('datetime'), own: time.textContent,
          lines: lines.map((line) => line.textContent),
          ownFirst: lines.every((line) => time.compareDocumentPosition(line) & 4),
          visible: lines.every((line) => line.getClientRects().length > 0)};
})"""


def expected_line(instant: str, zone: ZoneInfo, *, gmt_names: bool = False) -> str | None:
    """What the visitor in ``zone`` should read for the start ``instant``; None when their
    clock shows the session's own time."""
    start = datetime.fromisoformat(instant)
    local = start.astimezone(zone)
    if local.utcoffset() == start.utcoffset():
        return None
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"
    name = local.tzname()
    if gmt_names:  # the form a browser uses where the language has no name for the zone
        minutes = int(local.utcoffset().total_seconds() // 60)
        hours, rest = divmod(abs(minutes), 60)
        name = f"GMT{'+' if minutes >= 0 else '-'}{hours}" + (f":{rest:02d}" if rest else "")
    return (
        f"Your time: {DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}, {clock} {name}"
    )


def online_session_pages(site: ShippedSite) -> list[str]:
    """Pages of upcoming online and hybrid sessions (each has a marked start)."""
    found = []
    for path in site.pages:
        session_page = path.startswith("/sessions/") and path.count("/") == 3
        if session_page and soup(site, path).select_one("dd time[data-local-time]") is not None:
            found.append(path)
    return found


def pages_to_check(site: ShippedSite) -> list[str]:
    """Session pages, the list pages, the home page and the month views with online times."""
    months = [
        path
        for path in site.pages
        if path.startswith("/sessions/calendar/")
        and soup(site, path).select_one("table.hq-month time[data-local-time]") is not None
    ]
    return ["/", "/sessions/", "/sessions/online/", *online_session_pages(site), *months]


def open_tab(browser: Browser, zone: str, language: str, viewport: dict) -> Page:
    """A tab whose clock is in ``zone``."""
    context = browser.new_context(timezone_id=zone, locale=language, viewport=viewport)
    return context.new_page()


def check_page(page: Page, url: str, zone: ZoneInfo, *, gmt_names: bool = False) -> list[dict]:
    """Open ``url``; assert every marked time shows exactly its expected line, after the
    session's own time; return what was shown."""
    page.goto(url)
    page.wait_for_load_state("load")
    shown = page.evaluate(SHOWN)
    assert shown, f"{url}: no marked session time"
    for item in shown:
        expected = expected_line(item["datetime"], zone, gmt_names=gmt_names)
        assert item["lines"] == ([expected] if expected else []), (url, item)
        assert item["ownFirst"] and item["visible"], (url, item)
    return shown


@pytest.mark.parametrize(("zone", "language"), ZONES, ids=[z for z, _ in ZONES])
def test_every_shown_time_is_the_visitors_own(
    browser: Browser, server_url: str, site: ShippedSite, zone: str, language: str
) -> None:
    """In each zone, at 1280 px: session pages, lists, home and month grids show each online
    session's start in the visitor's zone, as zoneinfo computes it; no request leaves the
    site."""
    page = open_tab(browser, zone, language, DESKTOP)
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(server_url) else elsewhere.append(request.url)
        ),
    )
    try:
        lines = []
        for path in pages_to_check(site):
            lines += [
                line
                for item in check_page(page, server_url + path, ZoneInfo(zone))
                for line in item["lines"]
            ]
        assert lines, f"nothing shown in {zone}"
        assert not elsewhere, f"requests to other hosts: {elsewhere}"
    finally:
        page.context.close()


def test_across_the_date_line_the_day_changes(browser: Browser, server_url: str) -> None:
    """Noon in New York on 9 December is 4 am on Thursday 10 December in Sydney."""
    page = open_tab(browser, "Australia/Sydney", "en-AU", DESKTOP)
    try:
        page.goto(server_url + "/sessions/mhqs-online-2026-12/")
        assert page.locator(".hq-local-time").all_text_contents() == [
            "Your time: Thu 10 Dec, 4:00 am AEDT"
        ]
    finally:
        page.context.close()


def test_the_month_agenda_on_a_phone_shows_local_times(
    browser: Browser, server_url: str, site: ShippedSite
) -> None:
    """At 390 px (the agenda), in Kolkata: every online session of the month gets its line,
    visible, without sideways scrolling."""
    page = open_tab(browser, "Asia/Kolkata", "en-IN", MOBILE)
    try:
        shown = check_page(
            page, server_url + "/sessions/calendar/2026-12/", ZoneInfo("Asia/Kolkata")
        )
        assert all(item["lines"] for item in shown)
        assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    finally:
        page.context.close()


def test_a_language_without_zone_names_gets_the_offset(browser: Browser, server_url: str) -> None:
    """American English has no name for India's zone: the line says GMT+5:30."""
    page = open_tab(browser, "Asia/Kolkata", "en-US", DESKTOP)
    try:
        check_page(page, server_url + "/sessions/", ZoneInfo("Asia/Kolkata"), gmt_names=True)
    finally:
        page.context.close()


def test_in_the_sessions_own_zone_nothing_is_added(browser: Browser, server_url: str) -> None:
    """A visitor in New York sees the New York sessions as they are, and the London one in
    their own time; a visitor in London sees nothing extra on the London session."""
    page = open_tab(browser, "America/New_York", "en-US", DESKTOP)
    try:
        shown = check_page(page, server_url + "/sessions/online/", ZoneInfo("America/New_York"))
        by_offset = {item["datetime"][-6:]: bool(item["lines"]) for item in shown}
        assert by_offset.get("-05:00") is False and by_offset.get("-04:00") is False
        assert by_offset.get("+01:00") or by_offset.get("+00:00")  # London: a line
    finally:
        page.context.close()
    page = open_tab(browser, "Europe/London", "en-GB", DESKTOP)
    try:
        page.goto(server_url + "/sessions/qif-online-2027-04/")
        assert page.locator(".hq-local-time").count() == 0
    finally:
        page.context.close()


def test_without_scripts_nothing_is_added(no_js_tab: Page, server_url: str) -> None:
    """JavaScript off: the session's own time, and no added line."""
    no_js_tab.goto(server_url + "/sessions/mhqs-online-2026-12/")
    assert no_js_tab.locator(".hq-local-time").count() == 0
    assert "12:00 pm – 1:00 pm EST" in no_js_tab.locator("main").inner_text()
