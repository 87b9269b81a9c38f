"""The ``reuse`` tag (info_sessions.fragments): a body is kept between `make serve`'s builds
only by what it reads, and a body that reads beyond its key is refused when compiled."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, TemplateSyntaxError, pass_context
from pelican.plugins.info_sessions.cache import RebuildCache
from pelican.plugins.info_sessions.fragments import ReuseExtension

CARD = """\
{% from "parts.html" import badge %}
{% macro label(text) %}<b>{{ text }}</b>{% endmacro %}
{% macro card(item) %}{% reuse item %}[{{ SITEURL }}/{{ item | counted }} {{ label(item) }} \
{{- " " }}{{ badge() }}]{% endreuse %}{% endmacro %}
{{ card(first) }}{{ card(second) }}{{ card(first) }}"""


def _env(templates: dict[str, str], rendered: list[str]) -> Environment:
    env = Environment(loader=DictLoader(templates), extensions=[ReuseExtension])

    def counted(value: str) -> str:
        rendered.append(value)
        return value

    env.filters["counted"] = counted
    env.filters["with_context"] = pass_context(lambda context, value: value)
    return env


def test_a_body_is_rendered_once_per_key_and_kept_for_the_next_build() -> None:
    templates = {"page.html": CARD, "parts.html": "{% macro badge() %}*{% endmacro %}"}
    rendered: list[str] = []
    cache = RebuildCache()
    page = {"first": "a", "second": "b", "SITEURL": "https://x"}

    def build(**changed: str) -> str:
        cache.start({})
        with cache.installed():
            return _env(templates, rendered).get_template("page.html").render(page | changed)

    first = build()
    assert (
        first.strip() == "[https://x/a <b>a</b> *][https://x/b <b>b</b> *][https://x/a <b>a</b> *]"
    )
    assert rendered == ["a", "b"]  # the third card is the first one's
    assert build() == first  # a new build, the same templates and values: nothing rendered
    assert rendered == ["a", "b"]
    assert "https://y/a" in build(SITEURL="https://y")  # a setting the body reads is its key
    assert rendered == ["a", "b", "a", "b"]
    templates["parts.html"] = "{% macro badge() %}+{% endmacro %}"  # an imported template
    assert "<b>a</b> +]" in build(SITEURL="https://y")
    assert rendered[4:] == ["a", "b"]
    # A plain build (no cache installed) renders every body.
    rendered.clear()
    _env(templates, rendered).get_template("page.html").render(page)
    assert rendered == ["a", "b", "a"]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("{{ item }}{{ other }}", "reads 'other'"),
        ("{% set x = item %}{{ x }}", "may not set"),
        ("{% for x in item %}{{ x }}{% endfor %}", "may not set"),
        ('{% include "parts.html" %}', "no include"),
        ("{{ item | with_context }}", "reads the context"),
        ("{{ peek() }}", "reads 'secret'"),
        ("{{ item.title }}", None),
        ("{{ item }}{{ SITEURL }}{{ badge() }}{{ plain(item) }}", None),
    ],
)
def test_a_body_that_reads_beyond_its_key_is_refused(body: str, why: str | None) -> None:
    source = (
        '{% from "parts.html" import badge %}'
        "{% macro peek() %}{{ secret }}{% endmacro %}"
        "{% macro plain(x) %}{% for y in x %}{{ y }}{% endfor %}{% endmacro %}"
        f"{{% reuse item %}}{body}{{% endreuse %}}"
    )
    templates = {"page.html": source, "parts.html": "{% macro badge() %}*{% endmacro %}"}
    env = _env(templates, [])
    if why is None:
        env.get_template("page.html")
        return
    with pytest.raises(TemplateSyntaxError, match=why):
        env.get_template("page.html")


def test_a_macro_imported_with_context_is_refused() -> None:
    templates = {
        "page.html": '{% from "parts.html" import badge with context %}'
        "{% reuse item %}{{ badge() }}{% endreuse %}",
        "parts.html": "{% macro badge() %}{{ info_sessions.upcoming }}{% endmacro %}",
    }
    with pytest.raises(TemplateSyntaxError, match="reads 'badge'"):
        _env(templates, []).get_template("page.html")
