"""The subscribe control, in Chromium with and without scripts: choose a feed, then an app.

On the subscribe page every feed the build wrote has one closed disclosure; opening it (a
click on its name, or the keyboard) shows a link per app whose every part is checked: the
scheme, the host, the path and the feed's address, percent-encoded where it goes in a query.
Apple Calendar gets webcal://, Google Calendar its own subscribe prompt (cid: the webcal
address), Outlook.com and Office 365 their add-from-web pages; then the .ics file (which is
a calendar) and the address to copy. Each program page has the same control for its feed
alone, open.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import icalendar
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import ShippedSite
from tools.build import PROJECT_ROOT, load_settings

pytestmark = pytest.mark.browser


def site_address() -> str:
    """The absolute address the feeds are published at (SITE_ABSOLUTE_URL)."""
    return load_settings(PROJECT_ROOT / "pelicanconf.py")["SITE_ABSOLUTE_URL"].rstrip("/")


def parts(locator: Locator) -> tuple[str, str, str, dict[str, list[str]], str]:
    """Scheme, host, path, decoded query and raw query of a link."""
    href = locator.get_attribute("href")
    assert href, "a link without an address"
    split = urlsplit(href)
    return split.scheme, split.netloc, split.path, parse_qs(split.query), split.query


def check_feed_control(page: Page, control: Locator, feed: str, server_url: str) -> None:
    """Every app's link of one feed's control, for the feed at site path ``feed``."""
    address = site_address() + feed
    webcal = "webcal://" + address.split("://", 1)[1]
    title = control.locator(".hq-feed__name").inner_text().strip()
    apps = control.locator(".hq-feed__apps")
    expect(apps).to_be_visible()

    apple = apps.get_by_role("link", name=f"Apple Calendar for {title}")
    assert apple.get_attribute("href") == webcal

    google = apps.get_by_role("link", name=f"Google Calendar for {title}")
    scheme, host, path, query, raw = parts(google)
    assert (scheme, host, path) == ("https", "calendar.google.com", "/calendar/r")
    assert query == {"cid": [webcal]}
    assert raw == "cid=" + quote(webcal, safe="")  # the whole address encoded, / and : too
    expect(control).to_contain_text("also on Android phones")
    fallback = apps.get_by_role("link", name=f"From URL page for {title}")
    assert parts(fallback)[:3] == (
        "https",
        "calendar.google.com",
        "/calendar/u/0/r/settings/addbyurl",
    )

    for app, expected_host in (
        ("Outlook.com", "outlook.live.com"),
        ("Office 365", "outlook.office.com"),
    ):
        scheme, host, path, query, raw = parts(apps.get_by_role("link", name=f"{app} for {title}"))
        assert (scheme, host, path) == ("https", expected_host, "/calendar/0/addfromweb"), app
        assert query["url"] == [address], app
        assert query["name"][0].strip(), app
        assert f"url={quote(address, safe='')}" in raw, app

    download = apps.get_by_role("link", name=f"Download the .ics file for {title}")
    assert download.get_attribute("href") == feed
    assert download.get_attribute("download") is not None
    response = page.request.get(server_url + feed)
    assert response.ok, f"{feed}: HTTP {response.status}"
    calendar = icalendar.Calendar.from_ical(response.body())
    assert str(calendar.get("X-WR-CALNAME", "")).strip(), f"{feed} has no calendar name"

    copy = apps.get_by_role("textbox", name="Copy the address into any other app")
    expect(copy).to_have_value(address)
    expect(copy).to_have_attribute("readonly", "")


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_every_feed_and_app_on_the_subscribe_page(
    request: pytest.FixtureRequest, server_url: str, site: ShippedSite, scripts: bool
) -> None:
    """Every feed written has one closed disclosure that opens to every app's link."""
    page: Page = request.getfixturevalue("desktop" if scripts else "no_js_tab")
    page.goto(server_url + "/sessions/subscribe/")
    feeds = sorted(f"/calendar/{p.name}" for p in (site.output / "calendar").glob("*.ics"))
    controls = page.locator("details.hq-feed")
    assert controls.count() == len(feeds) >= 4
    for index, feed in enumerate(feeds):
        control = page.locator("details.hq-feed", has=page.locator(f"a[href='{feed}']"))
        expect(control).to_have_count(1)
        expect(control).not_to_have_attribute("open", "")
        expect(control.locator(".hq-feed__apps")).to_be_hidden()
        summary = control.locator("summary")
        if index % 2:  # by keyboard, or by a click
            summary.focus()
            page.keyboard.press("Enter")
        else:
            summary.click()
        check_feed_control(page, control, feed, server_url)
        expect(control.locator(".hq-feed__reach")).to_contain_text("ended in the last 180 days")
    expect(page.locator("main")).to_contain_text("The feeds ask apps to check every 6 hours")


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_each_program_page_has_the_control_of_its_feed(
    request: pytest.FixtureRequest, server_url: str, site: ShippedSite, scripts: bool
) -> None:
    """A program page: one control, open, for that program's feed, reaching every upcoming
    session; its Subscribe button (when no session is coming) leads to it."""
    page: Page = request.getfixturevalue("desktop" if scripts else "no_js_tab")
    programs = sorted(
        p.stem.removeprefix("program-") for p in (site.output / "calendar").glob("program-*.ics")
    )
    assert programs
    for slug in programs:
        page.goto(server_url + f"/programs/{slug}/")
        controls = page.locator("main details.hq-feed")
        expect(controls).to_have_count(1)
        control = controls.first
        expect(control).to_have_attribute("open", "")
        expect(control).to_have_attribute("id", f"feed-program-{slug}")
        check_feed_control(page, control, f"/calendar/program-{slug}.ics", server_url)
        expect(control.locator(".hq-feed__reach")).to_contain_text("however far ahead")
        for button in page.locator(f"main a.hq-button[href='#feed-program-{slug}']").all():
            button.click()
            assert urlsplit(page.url).fragment == f"feed-program-{slug}"
