"""Keyboard only, on one page of each kind: Tab reaches every link and control in document
order, each with a visible focus indicator, and the skip link moves focus to the main content.

"Every link and control" is every rendered link, button, form field, summary and element with
a tabindex of 0 or more, whatever its own tabindex: a link taken out of the tab order is a
link the keyboard cannot reach, and fails. What a closed <details> holds is reached once its
summary opens it (tests/browser/test_subscribe_control.py opens them by keyboard).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Records, before anything has focus, what Tab should reach and how each element looks.
EXPECTED_STOPS = """() => {
  const selector = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea,'
    + ' summary, iframe, [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
  const look = (el) => {
    const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow, background: s.backgroundColor, color: s.color};
  };
  const stops = [...document.querySelectorAll(selector)].filter((el) =>
    !el.disabled && !el.closest('[inert]') && el.getClientRects().length > 0
    && !el.closest('details:not([open]) > :not(summary)')
    && getComputedStyle(el).visibility !== 'hidden');
  window.__stops = stops;
  window.__looks = stops.map(look);
  return stops.map((el) => el.outerHTML.slice(0, 120));
}"""

# After a Tab: which expected stop has focus, and whether its focus can be seen.
FOCUSED = """() => {
  const el = document.activeElement;
  const index = window.__stops.indexOf(el);
  const s = getComputedStyle(el);
  const before = index >= 0 ? window.__looks[index] : null;
  const clear = (c) => c === 'transparent' || /^rgba\\(.*,\\s*0\\)$/.test(c);
  const outline = s.outlineStyle !== 'none' && !clear(s.outlineColor)
    && (s.outlineStyle === 'auto' || parseFloat(s.outlineWidth) >= 2);
  const shadow = s.boxShadow !== 'none' && (!before || s.boxShadow !== before.shadow);
  const fill = !!before && s.backgroundColor !== before.background && !clear(s.backgroundColor);
  const r = el.getBoundingClientRect();
  return {
    index,
    html: el.outerHTML.slice(0, 120),
    indicator: outline || shadow || fill,
    style: `outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}; `
      + `box-shadow ${s.boxShadow}; background ${s.backgroundColor}`,
    inView: r.width >= 1 && r.height >= 1 && r.bottom > 0 && r.right > 0
      && r.top < innerHeight && r.left < innerWidth,
  };
}"""


# Two defects the walk must catch: a link with no focus style, a link out of the tab order.
CANARY = """<!doctype html><html lang="en"><head><title>canary</title>
<style>a { outline: none !important; }</style></head><body><main>
<a href="/one/">one</a> <a href="/two/" tabindex="-1">two</a> <a href="/three/">three</a>
</main></body></html>"""


def tab_order_problems(page: Page) -> list[str]:
    """Press Tab once per expected stop; report order breaks, invisible focus, off-screen focus."""
    stops = page.evaluate(EXPECTED_STOPS)
    if not stops:
        return ["nothing on the page can take keyboard focus"]
    problems = []
    for position, expected in enumerate(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["index"] != position:
            problems.append(
                f"Tab {position + 1}: focus is on {focused['html']!r}, expected {expected!r}"
            )
            break
        if not focused["indicator"]:
            problems.append(f"no visible focus indicator on {expected!r} ({focused['style']})")
        if not focused["inView"]:
            problems.append(f"focused but not on screen: {expected!r}")
    return problems


def test_tab_walk_catches_missing_focus_style_and_unreachable_link(desktop_tab: Page) -> None:
    """On the canary, the walk reports the invisible focus and the link Tab skips."""
    desktop_tab.set_content(CANARY)
    problems = tab_order_problems(desktop_tab)
    assert any("no visible focus indicator" in p and "/one/" in p for p in problems), problems
    assert any("Tab 2" in p and "/two/" in p for p in problems), problems


def test_tab_reaches_every_control_in_order_with_visible_focus(
    desktop_tab: Page, server_url: str, sample_page: str
) -> None:
    """Pressing Tab visits every link and control once, in document order, each visibly."""
    desktop_tab.goto(server_url + sample_page)
    problems = tab_order_problems(desktop_tab)
    assert not problems, f"{sample_page}:\n  " + "\n  ".join(problems)


def test_skip_link_moves_focus_to_main_content(
    desktop_tab: Page, server_url: str, sample_page: str
) -> None:
    """The first Tab shows the skip link; Enter on it moves focus to <main>; the next Tab
    reaches the first link or control inside the main content, not the navigation."""
    page = desktop_tab
    page.goto(server_url + sample_page)
    stops = page.evaluate(EXPECTED_STOPS)
    skip = page.locator("a[href='#main-content']")
    assert skip.count() == 1, f"{sample_page}: no skip link to #main-content"
    assert not page.evaluate(
        "() => { const r = document.querySelector(\"a[href='#main-content']\")"
        ".getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }"
    ), f"{sample_page}: the skip link shows before it has focus"

    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["index"] == 0 and "#main-content" in focused["html"], (
        f"{sample_page}: the first Tab focuses {focused['html']!r}, not the skip link"
    )
    assert focused["inView"] and focused["indicator"], (
        f"{sample_page}: the focused skip link is not visible ({focused['style']})"
    )
    assert skip.is_visible()

    page.keyboard.press("Enter")
    # Read the address in the page: playwright's page.url follows a same-page navigation a
    # moment later, and a busy machine made the test read it too early.
    page.wait_for_function("() => location.hash === '#main-content'", timeout=5000)
    assert page.evaluate("() => document.activeElement.id") == "main-content", (
        f"{sample_page}: after Enter on the skip link focus is not on <main id=main-content>"
    )
    first_in_main = page.evaluate(
        "() => window.__stops.findIndex((el) => el.closest('#main-content'))"
    )
    if first_in_main < 0:
        return  # nothing focusable in main: focus on <main> itself is the end of the story
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["index"] == first_in_main, (
        f"{sample_page}: Tab after the skip link focuses {focused['html']!r}, expected "
        f"{stops[first_in_main]!r}"
    )
