"""Markdown content cannot inject markup or script links into pages."""

from __future__ import annotations

import logging

import markdown
import pytest

from safe_markdown import SafeMarkdownExtension, is_safe_url


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
def test_unsafe_link_schemes_are_removed_and_logged(url: str, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        html = render(f"[click]({url})")
    assert "href" not in html
    assert "only https, mailto and site-relative links are allowed" in caplog.text


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
