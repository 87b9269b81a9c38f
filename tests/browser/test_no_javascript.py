"""With JavaScript disabled every page shows its content.

With scripts off the page is exactly its built HTML, so the question is whether the browser
renders all of it: the heading is on screen, and every piece of text in <main> is rendered
(its rendered text, ``innerText``, holds all of its ``textContent``), except what HTML itself
hides until asked (the body of a closed <details>, ``hidden`` elements). Content that a stylesheet
hides until a script reveals it would fail here.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.harness import ShippedSite, soup

pytestmark = pytest.mark.browser

# The text of <main> as rendered and as written (minus what HTML hides on purpose), compared
# without whitespace or case: block layout adds line breaks, text-transform changes case.
MAIN_TEXT = """() => {
  const main = document.querySelector('main');
  const squash = (text) => text.replace(/\\s+/g, '').toLowerCase();
  const copy = main.cloneNode(true);
  copy.querySelectorAll('details:not([open]) > :not(summary), [hidden], template')
    .forEach((el) => el.remove());
  const hidden = [...main.querySelectorAll('*')].filter((el) =>
    el.children.length === 0 && el.textContent.trim() && !el.closest('details:not([open])')
    && !el.closest('[hidden]') && el.getClientRects().length === 0);
  return {rendered: squash(main.innerText), written: squash(copy.textContent),
          hidden: hidden.slice(0, 5).map((el) => el.outerHTML.slice(0, 120))};
}"""


def test_page_shows_its_content_without_javascript(
    no_js_tab: Page, server_url: str, site: ShippedSite, page_path: str
) -> None:
    """JS off: the page's h1 is visible and all the text of its main content is rendered."""
    heading = soup(site, page_path).find("h1")
    assert heading is not None, f"{page_path} has no <h1>"
    no_js_tab.goto(server_url + page_path)
    h1 = no_js_tab.locator("main h1").first
    assert h1.is_visible(), f"{page_path}: without JavaScript the heading is not visible"
    text = no_js_tab.evaluate(MAIN_TEXT)
    assert len(text["rendered"]) > len(heading.get_text(strip=True)), (
        f"{page_path}: without JavaScript the main content shows only its heading"
    )
    assert text["rendered"] == text["written"], (
        f"{page_path}: without JavaScript part of the main content is not rendered, e.g. "
        f"{text['hidden']}\n  rendered: {text['rendered'][:200]!r}\n"
        f"  written:  {text['written'][:200]!r}"
    )


def test_scripts_are_off_and_hidden_text_is_caught(no_js_tab: Page, server_url: str) -> None:
    """The tab runs no page script, and text a stylesheet hides is reported as not shown."""
    no_js_tab.goto(server_url + "/")
    no_js_tab.set_content(
        "<!doctype html><title>t</title><main><h1>Title</h1><p id=p>static</p>"
        "<p class=later>revealed by a script</p></main>"
        "<style>.later { display: none }</style>"
        "<script>document.getElementById('p').textContent = 'scripted'</script>"
    )
    assert no_js_tab.locator("#p").inner_text() == "static"
    text = no_js_tab.evaluate(MAIN_TEXT)
    assert text["rendered"] != text["written"]
    assert any("revealed by a script" in element for element in text["hidden"])
