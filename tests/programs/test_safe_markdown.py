"""Markdown content cannot inject markup or script links into pages."""

from __future__ import annotations

import markdown
import pytest

from safe_markdown import SafeMarkdownExtension, is_safe_url
from tools.build import logged_messages


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["extra", SafeMarkdownExtension()])


def test_raw_html_block_and_inline_are_escaped() -> None:
    html = render('<script>alert("x")</script>\n\nText with <b onclick="x()">bold</b>.')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b onclick=" in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", " java\tscript:x", "data:text/html,x"]
)
def test_unsafe_link_schemes_are_removed_and_logged(url: str) -> None:
    # As the build collects them: Pelican's logging filter would drop a warning logged
    # before anywhere in this process (another test's build, say), pytest's caplog with it.
    with logged_messages({}) as logged:
        html = render(f"[click]({url})")
    assert "href" not in html
    assert any(
        "only https, mailto and site-relative links are allowed" in message.text
        for message in logged
    )


@pytest.mark.parametrize(
    "url", ["https://example.org/x", "/sessions/", "#quotes", "mailto:a@example.org", "../x/"]
)
def test_safe_urls_are_kept(url: str) -> None:
    assert is_safe_url(url)
    assert f'href="{url}"' in render(f"[ok]({url})")


def test_program_body_with_html_is_escaped_in_the_built_page(build, scenario) -> None:
    program = scenario / "programs" / "beta.md"
    program.write_text(program.read_text() + '\n<img src=x onerror="alert(1)">\n')
    page = (build(content=scenario) / "programs" / "beta" / "index.html").read_text()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page


def test_html_blocks_in_pages_are_escaped_through_pelicans_own_reader(build, scenario) -> None:
    """Pelican's reader with the site's MARKDOWN settings ("extra" included), block-level HTML."""
    about = scenario / "pages" / "about.md"
    about.write_text(
        about.read_text() + '\n<script>alert("x")</script>\n\n<div markdown="1">*hi*</div>\n'
    )
    page = (build(content=scenario) / "about" / "index.html").read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<div markdown" not in page


def test_links_keep_siteurl_when_published_under_a_sub_path(build, scenario) -> None:
    """Macros see SITEURL: a GitHub Pages project site lives under /repo/."""
    output = build(content=scenario, SITEURL="https://example.org/repo")
    for url in ("index.html", "programs/index.html", "people/index.html"):
        html = (output / url).read_text()
        assert 'href="/programs/' not in html, url
    assert 'href="https://example.org/repo/programs/alpha/"' in (output / "index.html").read_text()
