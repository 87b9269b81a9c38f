"""Accessibility: axe-core (bundled by axe-playwright-python) on every page, in Chromium, on a
laptop (1280 px) and on a phone (390 px, touch): layouts differ (the month view is an agenda on
a phone, the comparison a scroll region), so each width is checked.

The WCAG 2.0, 2.1 and 2.2 level A and AA rules, zero violations allowed. A canary page with
known violations, one of them from WCAG 2.2, proves that axe runs with those rules and that
violations are read back.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.harness import ShippedSite

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
AXE = Axe()
CANARY = """<!doctype html><html lang="en"><head><title>canary</title></head><body><main>
<h1>Canary</h1>
<img src="/theme/images/favicon.svg">
<p style="color:#bbb;background:#fff">Low-contrast text</p>
<p><a href="/a/" style="display:inline-block;width:10px;height:10px;overflow:hidden">a</a><a
 href="/b/" style="display:inline-block;width:10px;height:10px;overflow:hidden">b</a></p>
</main></body></html>"""


def axe_violations(page: Page) -> list[dict]:
    """Run axe with the WCAG A/AA tags on the page as loaded; return its violations."""
    page.evaluate(AXE.axe_script)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return results["violations"]


def describe(violations: list[dict]) -> str:
    """Violations, each with its rule, impact, help and every offending element."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"[{', '.join(t for t in violation['tags'] if t.startswith('wcag'))}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
    return "\n  ".join(lines)


def test_axe_finds_known_violations(desktop: Page, server_url: str) -> None:
    """On the canary, axe reports a missing alt, low contrast and (WCAG 2.2) tiny targets."""
    desktop.goto(server_url + "/")
    desktop.set_content(CANARY)
    found = {violation["id"] for violation in axe_violations(desktop)}
    assert {"image-alt", "color-contrast", "target-size"} <= found, found


def check_page(tab: Page, server_url: str, page_path: str, width: str) -> None:
    """Load the page in ``tab`` and fail with every axe violation it has."""
    response = tab.goto(server_url + page_path)
    assert response is not None and response.ok, f"{page_path}: HTTP {response and response.status}"
    violations = axe_violations(tab)
    assert not violations, (
        f"{page_path} at {width}: {len(violations)} axe rule(s) violated:\n  "
        + describe(violations)
    )


def test_page_has_no_axe_violations(
    desktop_tab: Page, server_url: str, site: ShippedSite, page_path: str
) -> None:
    """At 1280 px, axe finds no WCAG 2.0/2.1/2.2 A or AA violation on the page."""
    check_page(desktop_tab, server_url, page_path, "1280 px")


def test_page_has_no_axe_violations_on_a_phone(
    mobile_tab: Page, server_url: str, site: ShippedSite, page_path: str
) -> None:
    """At 390 px, axe finds no WCAG 2.0/2.1/2.2 A or AA violation on the page."""
    check_page(mobile_tab, server_url, page_path, "390 px")
