"""With JavaScript disabled every page shows its content: the same visible main content as
with JavaScript on, its heading on screen, nothing hidden until a script runs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.harness import ShippedSite, soup

pytestmark = pytest.mark.browser

MAIN_TEXT = "() => document.querySelector('main').innerText"


def normalised(text: str) -> str:
    """Text with runs of whitespace made single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def test_page_shows_its_content_without_javascript(
    no_js_tab: Page, desktop_tab: Page, server_url: str, site: ShippedSite, page_path: str
) -> None:
    """JS off: the page's h1 is visible and the main content reads as it does with JS on."""
    heading = soup(site, page_path).find("h1")
    assert heading is not None, f"{page_path} has no <h1>"
    no_js_tab.goto(server_url + page_path)
    assert no_js_tab.evaluate("() => typeof window.eval") == "function"  # evaluate still works
    h1 = no_js_tab.locator("main h1").first
    assert h1.is_visible(), f"{page_path}: without JavaScript the heading is not visible"
    assert normalised(h1.inner_text()) == normalised(heading.get_text())
    without = normalised(no_js_tab.evaluate(MAIN_TEXT))
    desktop_tab.goto(server_url + page_path)
    with_js = normalised(desktop_tab.evaluate(MAIN_TEXT))
    assert len(without) > len(normalised(heading.get_text())), (
        f"{page_path}: without JavaScript the main content shows only its heading"
    )
    assert without == with_js, (
        f"{page_path}: the visible main content differs without JavaScript\n"
        f"  without: {without[:300]!r}\n  with:    {with_js[:300]!r}"
    )


def test_scripts_really_are_off(no_js_tab: Page, server_url: str) -> None:
    """The no-JavaScript tab does not run page scripts (else the test above proves nothing)."""
    no_js_tab.goto(server_url + "/")
    no_js_tab.set_content(
        "<!doctype html><title>t</title><p id=p>static</p>"
        "<script>document.getElementById('p').textContent = 'scripted'</script>"
    )
    assert no_js_tab.locator("#p").inner_text() == "static"
