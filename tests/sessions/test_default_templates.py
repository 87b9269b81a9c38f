"""The plugin's own templates, in Pelican's default theme, follow the rules ours do: a
session that will not take place at its time offers no join link and no registration.
Built in a new process, with the info-sessions plugin alone (tests/fresh.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fresh import build_in_a_new_process
from tests.sessions.helpers import page

SETTINGS = """\
SITENAME = "Open Days"
SITEURL = "https://open-days.example.org"
TIMEZONE = "Europe/London"
PATH = "content"
PLUGINS = ["info_sessions"]
INFO_SESSIONS_TODAY = "2026-11-23"
"""
JOIN = "https://example.org/join/open-evening"
SESSION = f"""\
Title: Sample open evening
Format: hybrid
Start: 2027-01-14 18:00
Duration: 90m
Location: Sample Hall, 1 Example Street, London
Join-URL: {JOIN}
Registration-URL: https://example.org/register/open-evening
Status: {{status}}

A sample session: meet the faculty and ask questions.
"""


@pytest.mark.parametrize(
    ("status", "offered"), [("scheduled", True), ("postponed", False), ("cancelled", False)]
)
def test_a_session_that_will_not_take_place_offers_no_join_link(
    tmp_path: Path, status: str, offered: bool
) -> None:
    site = tmp_path / "site"
    (site / "content" / "sessions").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    (site / "content" / "sessions" / "open-evening.md").write_text(
        SESSION.format(status=status), encoding="utf-8"
    )
    output = tmp_path / "output"
    built = build_in_a_new_process(output, settings_file=site / "pelicanconf.py")
    assert built.ok, built.problems
    soup = page(output, "sessions/open-evening")
    assert soup.select_one("article.info-session") is not None  # the plugin's own template
    links = [a.get("href", "") for a in soup.find_all("a")]
    assert (JOIN in links) is offered
    assert ("https://example.org/register/open-evening" in links) is offered
