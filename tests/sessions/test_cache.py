"""Which session-page templates let `make serve` reuse pages: only those that read nothing
made from other session files (info_sessions.cache)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader
from pelican.plugins.info_sessions.cache import (
    content_digest,
    page_inputs,
    reads_other_sessions,
    template_family,
)
from pelican.plugins.info_sessions.fragments import ReuseExtension
from pelican.plugins.info_sessions.generator import TEMPLATES

from tools.build import PROJECT_ROOT

ENV = Environment()


@pytest.mark.parametrize(
    "source",
    [
        "{{ item.title }} {{ SITEURL }}/{{ info_sessions.index_url }}",
        "{% if info_sessions is defined %}{{ info_sessions.subscribe_url }}{% endif %}",
        "{{ info_sessions.format_urls['online'] }}",
        "{% for list in info_sessions.program_lists %}{{ list.url }}{% endfor %}",
        "{% for p in programs %}{{ p.title }}{% endfor %}",
    ],
)
def test_templates_reading_settings_and_their_own_session_allow_reuse(source: str) -> None:
    assert not reads_other_sessions(ENV.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "{{ info_sessions.upcoming | length }}",
        "{% for item in info_sessions.by_program[x] %}{% endfor %}",
        "{{ info_sessions.feed_all.url }}",
        "{% for entry in info_sessions.programs %}{{ entry.upcoming }}{% endfor %}",
        "{% set shared = info_sessions %}{{ shared.index_url }}",
        "{{ macro(info_sessions) }}",
        "{{ info_sessions['upcoming'] }}",
        "{{ generated_content | length }}",
    ],
)
def test_templates_reading_other_sessions_forbid_reuse(source: str) -> None:
    assert reads_other_sessions(ENV.parse(source))


def test_the_family_follows_extends_includes_and_imports() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "page": '{% extends "base" %}{% import "macros" as m %}{{ m.x() }}',
                "base": '{% include "nav" %}{{ info_sessions.index_url }}',
                "nav": "{{ SITEURL }}",
                "macros": "{% macro x() %}{{ info_sessions.subscribe_url }}{% endmacro %}",
                "greedy": '{% include "nav" %}{% include "lists" %}',
                "lists": "{{ info_sessions.next }}",
                "dynamic": "{% include name %}",
                "optional": '{% include "nav" %}{% include "later" ignore missing %}',
            }
        )
    )
    missing = template_family(env, "optional")
    assert missing is not None and missing["later"] == "\0missing"
    assert set(template_family(env, "page") or {}) == {"page", "base", "nav", "macros"}
    assert template_family(env, "greedy") is None  # an included template reads sessions
    assert template_family(env, "dynamic") is None  # known only at render time


def test_the_real_session_template_allows_reuse() -> None:
    env = Environment(
        loader=FileSystemLoader(str(PROJECT_ROOT / "theme" / "templates")),
        extensions=[ReuseExtension],
    )
    family = template_family(env, "sessions/session.html")
    assert family is not None
    assert {"sessions/session.html", "base.html", "partials/nav.html"} <= set(family)
    # The calendar pages' templates too; the subscribe page reads every feed.
    for name in ("list", "past", "month", "series"):
        assert template_family(env, f"sessions/{name}.html") is not None, name
    assert template_family(env, "sessions/subscribe.html") is None


def test_the_plugins_default_session_template_allows_reuse() -> None:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)))
    family = template_family(env, "sessions/session.html")
    assert family is not None
    assert "sessions/components.html" in family


def test_page_inputs_change_with_templates_and_other_content(tmp_path: Path) -> None:
    templates = {"session": "{{ item.title }}{{ SITENAME }}"}
    env = Environment(loader=DictLoader(templates))
    content = tmp_path / "content"
    (content / "sessions").mkdir(parents=True)
    (content / "programs").mkdir()
    (content / "sessions" / "a.md").write_text("a")
    (content / "programs" / "p.md").write_text("p")

    def inputs() -> str | None:
        digest = content_digest(str(content), str(content / "sessions"))
        return page_inputs(env, "session", digest)

    first = inputs()
    assert first is not None
    (content / "sessions" / "a.md").write_text("a, edited")  # the session's own: in its view
    assert inputs() == first
    (content / "programs" / "p.md").write_text("p, edited")
    second = inputs()
    assert second != first
    templates["session"] = "{{ item.title }}!"
    assert inputs() != second


def test_page_inputs_never_open_a_fifo_or_follow_a_link_out_of_content(tmp_path: Path) -> None:
    """A FIFO would block the dev server for ever; a link out of content/ would be read.
    Either turns page reuse off (the build refuses the file itself)."""
    content = tmp_path / "content"
    (content / "sessions").mkdir(parents=True)
    (content / "pages").mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    (content / "pages" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    assert content_digest(str(content), str(content / "sessions")) is None
    (content / "pages" / "leak.txt").unlink()
    os.mkfifo(content / "pages" / "pipe.txt")
    assert content_digest(str(content), str(content / "sessions")) is None
