"""The evasion corpus through the one URL check and through Markdown itself (unit level).

Every [[refused_url]] is refused by ``url_problem`` and, put in each place Markdown emits a
URL, makes the conversion fail (or never becomes a link at all); every [[harmless_url]] is
accepted; every [[markdown]] snippet gets its verdict. The same corpus is built into a real
site and opened in Chromium by test_script_in_chromium.py.
"""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from safe_markdown import SafeMarkdownExtension, UnsafeMarkdownError, url_problem
from safe_markdown.urls import compact, decoded
from tests.security.corpus import (
    HARMLESS_URLS,
    REFUSED_URLS,
    SNIPPETS,
    URL_FORMS,
    Entry,
    url_in,
)

# What the forms themselves link to, besides the corpus URL.
FORM_TARGETS = {"/ok/", "/ok.png", "#fn:1", "#fnref:1"}


def render(text: str) -> str:
    return markdown.markdown(
        text, extensions=["extra", SafeMarkdownExtension()], output_format="html5"
    )


class _Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value or "" for name, value in attrs if name in ("href", "src")]
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def parsed(html: str) -> _Targets:
    parser = _Targets()
    parser.feed(html)
    return parser


def link_targets(html: str) -> list[str]:
    return parsed(html).found


def ids(entries: list[Entry]) -> list[str]:
    return [entry.name for entry in entries]


@pytest.mark.parametrize("entry", REFUSED_URLS, ids=ids(REFUSED_URLS))
def test_the_url_check_refuses_every_evasion(entry: Entry) -> None:
    problem = url_problem(entry.text)
    assert problem, f"{entry.text!r} ({entry.source}) was accepted"
    assert "; " in problem or "use" in problem  # says what to do instead


@pytest.mark.parametrize("form", list(URL_FORMS))
@pytest.mark.parametrize("entry", REFUSED_URLS, ids=ids(REFUSED_URLS))
def test_no_evasion_reaches_a_page_from_any_place_markdown_puts_a_url(
    entry: Entry, form: str
) -> None:
    text = url_in(form, entry.text)
    try:
        html = render(text)
    except UnsafeMarkdownError as error:
        assert error.findings, text
        return
    # Markdown did not make a link of it (a reference definition with spaces, say): then no
    # attribute holds it, and the text shows as written.
    assert set(link_targets(html)) <= FORM_TARGETS, html


@pytest.mark.parametrize("entry", HARMLESS_URLS, ids=ids(HARMLESS_URLS))
def test_urls_that_only_look_like_script_are_accepted(entry: Entry) -> None:
    assert url_problem(entry.text) is None
    assert link_targets(render(url_in("link", entry.text)))


@pytest.mark.parametrize("entry", SNIPPETS, ids=ids(SNIPPETS))
def test_every_snippet_gets_its_verdict(entry: Entry) -> None:
    if entry.verdict == "refused":
        with pytest.raises(UnsafeMarkdownError):
            render(entry.text)
    else:
        page = parsed(render(entry.text))  # raw HTML became text: no element, no attribute
        assert not {"script", "svg", "iframe", "style", "base", "meta", "object"} & set(page.tags)
        assert not [a for a in page.attributes if a.startswith("on") or a == "style"]
        assert not [target for target in page.found if url_problem(target)]


@pytest.mark.parametrize(
    ("written", "browser_reads"),
    [
        ("javascript&colon;alert(1)", "javascript:alert(1)"),
        ("&#0000106avascript:", "javascript:"),
        ("&#x6A&#x61vascript:", "javascript:"),
        ("&amp;#106;avascript:", "javascript:"),  # decoded until nothing is left
        ("\x02amp\x03#106;avascript:", "javascript:"),  # Markdown's stand-in for "&"
    ],
)
def test_references_are_decoded_as_a_browser_would_and_further(
    written: str, browser_reads: str
) -> None:
    assert decoded(written) == browser_reads


def test_invisible_and_compatibility_characters_are_folded_before_the_scheme() -> None:
    assert compact(" J\tA\u200bV\u00adA\u2028ＳＣＲＩＰＴ\x00:") == "javascript:"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=1&amp;c=2#d",
        "mailto:admissions@example.org",
        "tel:+16175551234",
        "/programs/",
        "programs/x/",
        "../x/",
        "#fees",
        "?q=1",
        "{filename}/news/launch.md",
        "{static}images/chart.png",
        "{attach}/files/brochure.pdf#page=2",
    ],
)
def test_allowed_urls_pass(url: str) -> None:
    assert url_problem(url) is None


def test_autolinks_pass_the_check_markdown_obfuscation_included() -> None:
    """Markdown writes an e-mail autolink as character references; decoded, it is mailto:."""
    html = render("<admissions@example.org> and <https://example.org/x>")
    assert link_targets(html)[1] == "https://example.org/x"
    assert decoded(link_targets(html)[0]) == "mailto:admissions@example.org"


@pytest.mark.parametrize(
    "url",
    ["{index}", "{tag}quality", "|author|x", "{static}https://example.org/x.png", "{static}//x"],
)
def test_placeholders_other_than_files_or_with_addresses_are_refused(url: str) -> None:
    assert url_problem(url)
