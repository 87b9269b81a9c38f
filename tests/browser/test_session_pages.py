"""Session pages help people take part, in Chromium: the Register button, the map of the
venue, what to do without a registration link, and where a cancelled or postponed session
sends its visitors. What each page should show is worked out from the session files and the
pages' JSON-LD (tests/browser/test_flows.py reads it), not from the plugin."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import ShippedSite
from tests.browser.test_flows import TAKES_PLACE, Session, read_sessions, upcoming
from tools.build import PROJECT_ROOT

pytestmark = pytest.mark.browser

SESSION_FILES = PROJECT_ROOT / "content" / "sessions"
MIN_TARGET_PX = 24


def header(path: str) -> dict[str, str]:
    """The header fields of the session file behind the page at ``path``: a date of a
    series (``<series>-YYYY-MM-DD``) has its series file's."""
    name = Path(path.rstrip("/")).name
    source = SESSION_FILES / (name + ".md")
    if not source.exists() and re.search(r"-\d{4}-\d{2}-\d{2}$", name):
        source = SESSION_FILES / (name[: -len("-YYYY-MM-DD")] + ".md")
    fields = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


@pytest.fixture(scope="module")
def sessions(site: ShippedSite) -> dict[str, Session]:
    """The build's sessions, by page path."""
    return read_sessions(site)


def test_register_is_a_button(desktop: Page, server_url: str, sessions: dict[str, Session]) -> None:
    """Where registration is open: a link drawn as a button, named "Register for this
    session", at least 24 × 24 px, to the file's Registration-URL, with a visible focus when
    reached by keyboard."""
    page = desktop
    open_ones = [s for s in upcoming(sessions) if s.open_for_registration]
    assert open_ones
    for session in open_ones:
        page.goto(server_url + session.path)
        register = page.locator("main").get_by_role("link", name="Register for this session")
        expect(register).to_have_count(1)
        assert register.get_attribute("href") == header(session.path)["Registration-URL"]
        box = register.bounding_box()
        assert box["width"] >= MIN_TARGET_PX and box["height"] >= MIN_TARGET_PX, box
        style = "el => [getComputedStyle(el).display, getComputedStyle(el).backgroundColor]"
        display, resting = register.evaluate(style)
        assert "flex" in display, display
        for _ in range(60):  # Tab until the button has the focus
            page.keyboard.press("Tab")
            if register.evaluate("el => el === document.activeElement"):
                break
        assert register.evaluate("el => el.matches(':focus-visible')")
        assert register.evaluate(style)[1] != resting, "focus does not show on the button"


def test_venues_have_a_map(desktop: Page, server_url: str, sessions: dict[str, Session]) -> None:
    """In-person and hybrid sessions link to a map: the file's Map-URL, else an OpenStreetMap
    search for its Location; online sessions have none."""
    page = desktop
    overridden = 0
    for session in sessions.values():
        page.goto(server_url + session.path)
        maps = page.locator("main a.hq-map")
        fields = header(session.path)
        if fields["Format"] == "online":
            expect(maps).to_have_count(0)
            continue
        expect(maps).to_have_count(1)
        expect(maps).to_have_accessible_name("Map and directions to the venue")
        expected = fields.get("Map-URL") or (
            "https://www.openstreetmap.org/search?query=" + quote(fields["Location"], safe="")
        )
        overridden += "Map-URL" in fields
        assert maps.get_attribute("href") == expected, session.path
        box = maps.bounding_box()
        assert box["height"] >= MIN_TARGET_PX, box
    assert overridden, "no session of the build has a Map-URL"


def test_without_registration_the_page_says_how_to_take_part(
    desktop: Page, server_url: str, sessions: dict[str, Session]
) -> None:
    """A scheduled session without Registration-URL: what to do, from its own fields."""
    page = desktop
    checked = 0
    for session in upcoming(sessions):
        fields = header(session.path)
        if "Registration-URL" in fields or fields.get("Status", "scheduled") != "scheduled":
            continue
        page.goto(server_url + session.path)
        how = page.locator("main dt:text-is('How to take part') + dd")
        expect(how).to_contain_text("This session has no registration link.")
        if fields["Format"] == "online":
            expect(how).to_contain_text("Join online with the link above")
            expect(page.locator("main dd a", has_text=fields["Join-URL"])).to_have_count(1)
        else:
            expect(how).to_contain_text("Come to the venue")
        expect(
            page.locator("main").get_by_role("link", name="Register for this session")
        ).to_have_count(0)
        checked += 1
    assert checked >= 2, "fewer than two upcoming sessions without a registration link"


def test_cancelled_and_postponed_sessions_point_to_the_next(
    desktop: Page, server_url: str, sessions: dict[str, Session]
) -> None:
    """Each page of a cancelled or postponed session links to the next session of its program
    that takes place; following the link opens that session's page."""
    page = desktop
    stopped = [s for s in sessions.values() if s.status not in TAKES_PLACE]
    assert stopped, "the build has no cancelled or postponed session"
    for session in stopped:
        following = next(
            (
                s
                for s in upcoming(sessions)
                if s.program == session.program and s.status in TAKES_PLACE and s is not session
            ),
            None,
        )
        page.goto(server_url + session.path)
        pointer = page.locator("main .hq-instead")
        if following is None:
            expect(pointer).to_contain_text("No other session")
            continue
        link = pointer.get_by_role("link")
        expect(link).to_have_attribute("href", following.path)
        link.click()
        page.wait_for_url(server_url + following.path)
        expect(page.locator("main h1")).to_have_text(following.name)
