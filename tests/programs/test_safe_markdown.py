"""Markdown content cannot inject markup or script links into pages."""

from __future__ import annotations

import markdown
import pytest
from pelican.plugins.info_sessions.problems import ContentError

from safe_markdown import SafeMarkdownExtension, UnsafeMarkdownError, url_problem


def render(text: str, **config: object) -> str:
    return markdown.markdown(text, extensions=["extra", SafeMarkdownExtension(**config)])


def refused(text: str, **config: object) -> list[tuple[str, str]]:
    """(value as shown, reason) of everything the extension refuses in ``text``."""
    with pytest.raises(UnsafeMarkdownError) as caught:
        render(text, **config)
    return [(finding.shown, finding.reason) for finding in caught.value.findings]


def test_raw_html_block_and_inline_are_escaped() -> None:
    html = render('<script>alert("x")</script>\n\nText with <b onclick="x()">bold</b>.')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b onclick=" in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", " java\tscript:x", "data:text/html,x"]
)
def test_unsafe_link_schemes_fail_with_the_url(url: str) -> None:
    ((shown, reason),) = refused(f"[click](<{url}>)")
    assert shown.split() == url.split()  # Markdown turns a tab into spaces
    assert "are not allowed (they can run script)" in reason


@pytest.mark.parametrize(
    "url", ["https://example.org/x", "/sessions/", "#quotes", "mailto:a@example.org", "../x/"]
)
def test_safe_urls_are_kept(url: str) -> None:
    assert url_problem(url) is None
    assert f'href="{url}"' in render(f"[ok]({url})")


def test_attribute_lists_may_set_id_and_class_only() -> None:
    assert render("# Fees {: #fees .hq-lead }") == '<h1 class="hq-lead" id="fees">Fees</h1>'
    assert [shown for shown, _ in refused('Para\n{: onmouseover="alert(1)" style="top:0" }')] == [
        "onmouseover='alert(1)'",
        "style='top:0'",
    ]


def test_fenced_code_attributes_are_checked_too() -> None:
    """Fenced code is stored as raw HTML and put back after the element tree is done."""
    text = '``` { .python onclick="alert(1)" }\nprint(1)\n```'
    assert [shown for shown, _ in refused(text)] == ["onclick='alert(1)'"]
    assert 'class="language-python"' in render("``` { .python #x }\nprint(1)\n```")


def test_table_alignment_becomes_a_class() -> None:
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "style=" not in html
    assert '<th class="hq-align-left">a</th>' in html
    assert '<td class="hq-align-right">2</td>' in html


def test_footnotes_abbreviations_and_definition_lists_pass() -> None:
    html = render("*[QI]: Quality improvement\n\nQI[^1]\n\n[^1]: A note.\n\nTerm\n: Meaning")
    assert '<abbr title="Quality improvement">QI</abbr>' in html
    assert 'class="footnote-backref"' in html and "<dl>" in html


def test_http_links_only_where_the_ignore_list_allows_them() -> None:
    allowed = ({"url": "http://old.example.org/", "pattern": None, "expires": "2027-01-01"},)
    assert refused("[a](http://old.example.org/)")[0][1].startswith("plain http:// is not")
    assert "http://old" in render("[a](http://old.example.org/)", http_allowed=allowed)
    late = {"http_allowed": allowed, "today": "2027-01-02"}  # the entry expired
    assert refused("[a](http://old.example.org/)", **late)


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


def test_a_refusal_is_a_content_error_with_the_field_value_and_line() -> None:
    """What the strict header reader and the session checks catch: the plugin's
    ContentError, whose problems say where in the converted text the item is written."""
    text = "First paragraph.\n\nSee [this](javascript:alert(1)) and\n\n![x](data:text/html,y)\n"
    with pytest.raises(ContentError) as caught:
        render(text)
    assert isinstance(caught.value, UnsafeMarkdownError)
    assert [(p.path, p.field, p.value, p.line) for p in caught.value.problems] == [
        ("", "(body)", "javascript:alert(1)", 3),
        ("", "(body)", "data:text/html,y", 5),
    ]
