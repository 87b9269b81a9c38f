"""The plain text of a session's body (feeds, calendar links): the fast reading of simple
HTML gives exactly what html.parser gives, and real bodies take it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import Markdown
from pelican.plugins.info_sessions.plaintext import html_to_text, parsed_text
from pelican.plugins.info_sessions.simplehtml import simple_pieces

from tests.html_mix import html_mix

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@settings(max_examples=600)
@given(html_mix(30))
def test_the_fast_reading_gives_what_html_parser_gives(markup: str) -> None:
    assert html_to_text(markup) == parsed_text(markup)


@given(st.text(st.sampled_from("<>/=\"' a&;#p\n"), max_size=60))
def test_any_markup_gives_what_html_parser_gives(markup: str) -> None:
    assert html_to_text(markup) == parsed_text(markup)


def test_every_real_session_body_takes_the_fast_reading() -> None:
    markdown = Markdown(extensions=["markdown.extensions.extra"], output_format="html5")
    bodies = sorted((PROJECT_ROOT / "content" / "sessions").glob("*.md"))
    assert bodies
    for path in bodies:
        body = Path(path).read_text("utf-8").split("\n\n", 1)[1]
        rendered = markdown.reset().convert(body)
        assert simple_pieces(rendered) is not None, path.name
        assert html_to_text(rendered) == parsed_text(rendered), path.name
