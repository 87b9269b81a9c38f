"""At 390 px wide (a phone): no page scrolls sideways and the main navigation is usable; the
month view is an agenda that shows every session of its month.

Usable means every navigation link is on screen, at least 24 × 24 CSS pixels (WCAG 2.5.8),
not overlapped by another link or covered by anything, and a tap on it opens its page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import MOBILE, ShippedSite, json_ld, soup

pytestmark = pytest.mark.browser

MIN_TARGET_PX = 24

# Page width, and the elements that stick out to the right or left (outside any scroller).
OVERFLOW = """(width) => {
  const sticking = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || (r.right <= width + 0.5 && r.left >= -0.5)) continue;
    let scroller = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') { scroller = true; break; }
    }
    if (!scroller) sticking.push(`${el.outerHTML.slice(0, 100)} (${r.left}..${r.right})`);
  }
  return {scrollWidth: document.documentElement.scrollWidth, sticking: sticking.slice(0, 8)};
}"""

# Every main navigation link: its box, and whether its centre is really the link.
NAV_LINKS = """() => {
  const nav = document.querySelector('nav[aria-label="Main"]');
  if (!nav) return null;
  window.scrollTo(0, 0);
  return [...nav.querySelectorAll('a[href]')].map((a) => {
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {text: a.textContent.trim(), href: a.getAttribute('href'), left: r.left,
            right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
            reachable: !!hit && (hit === a || a.contains(hit))};
  });
}"""


def nav_problems(links: list[dict] | None, width: int) -> list[str]:
    """What makes the main navigation hard to use at ``width`` pixels."""
    if not links:
        return ["no main navigation (nav aria-label=Main) with links"]
    problems = []
    for link in links:
        name = repr(link["text"])
        if link["left"] < 0 or link["right"] > width:
            problems.append(f"{name} is cut off ({link['left']:.0f}..{link['right']:.0f} px)")
        if link["width"] < MIN_TARGET_PX or link["height"] < MIN_TARGET_PX:
            problems.append(
                f"{name} is {link['width']:.0f}×{link['height']:.0f} px, under "
                f"{MIN_TARGET_PX}×{MIN_TARGET_PX}"
            )
        if not link["reachable"]:
            problems.append(f"{name} is covered by another element")
    for i, a in enumerate(links):
        for b in links[i + 1 :]:
            if (
                a["left"] < b["right"]
                and b["left"] < a["right"]
                and a["top"] < b["bottom"]
                and b["top"] < a["bottom"]
            ):
                problems.append(f"{a['text']!r} and {b['text']!r} overlap")
    return problems


def test_no_sideways_scroll_and_usable_navigation(
    mobile_tab: Page, server_url: str, site: ShippedSite, page_path: str
) -> None:
    """At 390 px the page is no wider than the screen and its navigation can be tapped."""
    width = MOBILE["width"]
    mobile_tab.goto(server_url + page_path)
    overflow = mobile_tab.evaluate(OVERFLOW, width)
    problems = []
    if overflow["scrollWidth"] > width:
        problems.append(
            f"the page is {overflow['scrollWidth']} px wide, so it scrolls sideways; "
            f"sticking out: {overflow['sticking']}"
        )
    problems += nav_problems(mobile_tab.evaluate(NAV_LINKS), width)
    assert not problems, f"{page_path} at {width} px:\n  " + "\n  ".join(problems)


def test_navigation_works_by_tap_on_a_phone(mobile: Page, server_url: str) -> None:
    """From the home page, tapping each main navigation link opens that section."""
    mobile.goto(server_url + "/")
    nav = mobile.get_by_role("navigation", name="Main")
    anchors = nav.get_by_role("link").all()
    links = [(a.inner_text().strip(), a.get_attribute("href")) for a in anchors]
    assert len(links) >= 2, f"the main navigation has {len(links)} link(s)"
    for text, href in links:
        mobile.goto(server_url + "/")
        with mobile.expect_navigation():
            nav.get_by_role("link", name=text, exact=True).tap()
        assert mobile.url == server_url + href, f"tapping {text!r} opened {mobile.url}"
        expect(mobile.locator("main h1")).to_be_visible()
        current = nav.get_by_role("link", name=text, exact=True)
        expect(current).to_have_attribute("aria-current", re.compile("^(page|true)$"))


def test_checks_catch_a_wide_page_and_a_cramped_navigation(mobile_tab: Page) -> None:
    """On a canary page: a too-wide box makes the page scroll sideways and is named; tiny,
    overlapping and off-screen navigation links are each reported."""
    width = MOBILE["width"]
    mobile_tab.set_content(
        '<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>t</title><style>body { margin: 0 } a { position: absolute; font-size: 8px }"
        "</style><nav aria-label=Main><a href=/a/ style='left: 0'>A</a>"
        "<a href=/b/ style='left: 2px'>B</a><a href=/c/ style='left: 380px'>Cccccc</a></nav>"
        "<main><div id=wide style='width: 600px'>wide</div></main>"
    )
    overflow = mobile_tab.evaluate(OVERFLOW, width)
    assert overflow["scrollWidth"] > width
    assert any('id="wide"' in element for element in overflow["sticking"])
    problems = "\n".join(nav_problems(mobile_tab.evaluate(NAV_LINKS), width))
    assert "'Cccccc' is cut off" in problems
    assert "'A' is" in problems and "under 24×24" in problems
    assert "'A' and 'B' overlap" in problems


# Each session link of the month view as laid out: where it is, whether it can be seen, and the
# day it is listed under (that day's label must be on screen too, in full).
AGENDA = """() => [...document.querySelectorAll('main table li a[href]')].map((a) => {
  const r = a.getBoundingClientRect();
  const label = a.closest('td').querySelector('.hq-month__date');
  const l = label.getBoundingClientRect();
  return {href: a.getAttribute('href'), left: r.left, right: r.right, top: r.top,
          height: r.height, visible: a.checkVisibility(),
          start: a.querySelector('time').getAttribute('datetime'),
          day: label.querySelector('time').getAttribute('datetime'),
          label: label.innerText.trim(), labelShown: label.checkVisibility() && l.width > 0};
})"""
# Days shown (laid out) that have no session: only today may be one of them.
EMPTY_DAYS_SHOWN = """() => [...document.querySelectorAll('main table td')]
  .filter((td) => td.getClientRects().length && !td.querySelector('li')
          && td.getAttribute('aria-current') !== 'date')
  .map((td) => td.textContent.trim())"""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def test_month_agenda_on_a_phone_shows_every_session_of_the_month(
    mobile_tab: Page, server_url: str, site: ShippedSite
) -> None:
    """At 390 px each month page is an agenda: every session of the month (by its start date,
    from the session pages' own JSON-LD) is listed once, in time order, fully on screen, under
    a full date label (weekday, day, month); days without sessions are left out, except today;
    nothing needs sideways scrolling."""
    starts: dict[str, str] = {}
    for path in site.pages:
        for block in json_ld(soup(site, path)):
            if block.get("@type") == "Event":
                starts[path] = block["startDate"]
    months = [p for p in site.pages if re.fullmatch(r"/sessions/calendar/\d{4}-\d{2}/", p)]
    assert len(months) > 1, "the build has no month pages"
    width = MOBILE["width"]
    problems = []
    seen = 0
    for month in months:
        key = month.rstrip("/").rsplit("/", 1)[-1]
        expected = sorted((s, p) for p, s in starts.items() if s[:7] == key)
        mobile_tab.goto(server_url + month)
        entries = mobile_tab.evaluate(AGENDA)
        shown = [entry["href"] for entry in entries]
        if shown != [path for _, path in expected]:
            problems.append(f"{month} lists {shown}, expected {[p for _, p in expected]}")
        tops = [entry["top"] for entry in entries]
        if tops != sorted(tops):
            problems.append(f"{month}: sessions are not one under the other in time order")
        for entry in entries:
            name = f"{month} {entry['href']}"
            if not entry["visible"] or entry["height"] == 0:
                problems.append(f"{name} is not shown")
            if entry["left"] < 0 or entry["right"] > width:
                problems.append(f"{name} sticks out ({entry['left']:.0f}..{entry['right']:.0f})")
            if entry["day"] != entry["start"][:10] or not entry["labelShown"]:
                problems.append(f"{name}: listed under {entry['day']!r}, starts {entry['start']}")
            weekday, day, month_name = entry["label"].split()[:3]
            month_of_day = MONTHS[int(entry["day"][5:7]) - 1]
            if (
                weekday not in WEEKDAYS
                or day != str(int(entry["day"][8:]))
                or (month_name != month_of_day)
            ):
                problems.append(f"{name}: day label {entry['label']!r} is not a full date")
        empty = mobile_tab.evaluate(EMPTY_DAYS_SHOWN)
        if empty:
            problems.append(f"{month}: days without sessions are shown: {empty[:5]}")
        if mobile_tab.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{month} scrolls sideways")
        seen += len(entries)
    assert seen == len(starts), f"the month pages show {seen} of {len(starts)} sessions"
    assert not problems, "\n  ".join(problems)
