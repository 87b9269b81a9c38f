"""The safety check reads Markdown's simple output with simplehtml instead of html.parser:
on every evasion of the corpus, in every place Markdown puts a URL, and on any mix of
hostile pieces, both readings find exactly the same things."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from pelican.plugins.info_sessions.simplehtml import simple_pieces

from safe_markdown.html_check import html_findings, parsed_findings
from tests.html_mix import html_mix
from tests.security.corpus import HARMLESS_URLS, REFUSED_URLS, SNIPPETS, URL_FORMS, url_in


def rendered(text: str) -> str:
    """Markdown with "extra" and raw HTML left in: richer markup than the site lets through."""
    return markdown.markdown(text, extensions=["markdown.extensions.extra"], output_format="html5")


MARKUP = sorted(
    {
        rendered(url_in(form, entry.text))
        for entry in REFUSED_URLS + HARMLESS_URLS
        for form in URL_FORMS
    }
    | {rendered(entry.text) for entry in SNIPPETS}
)


def test_the_corpus_holds_markup_of_both_kinds() -> None:
    simple = [markup for markup in MARKUP if simple_pieces(markup) is not None]
    assert len(simple) > len(MARKUP) // 3  # most of it takes the fast reading ...
    assert len(simple) < len(MARKUP)  # ... and some goes to html.parser
    assert any(html_findings(markup) for markup in simple)  # and is refused by it


@pytest.mark.parametrize("markup", MARKUP)
def test_both_readings_find_the_same_in_the_corpus(markup: str) -> None:
    assert html_findings(markup) == parsed_findings(markup)


@settings(max_examples=1000)
@given(html_mix(25))
def test_both_readings_find_the_same_in_any_mix(markup: str) -> None:
    assert html_findings(markup) == parsed_findings(markup)
