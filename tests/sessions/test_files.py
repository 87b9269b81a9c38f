"""The plugin's public entry point for tools: one session file's text, checked as the build
checks it (used by `make new-session` before it writes a file)."""

from __future__ import annotations

import copy
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.info_sessions.files import SessionReader, validate_session_text
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.settings import DEFAULT_CONFIG

from safe_markdown import SafeMarkdownExtension

SETTINGS = {
    **copy.deepcopy(DEFAULT_CONFIG),
    "SITENAME": "Site",
    "SITEURL": "https://example.org",
    "TIMEZONE": "America/New_York",
    "INFO_SESSIONS_TODAY": "2026-11-23",
    "MARKDOWN": {"extensions": [SafeMarkdownExtension()]},
}
CONFIG = SessionSettings.from_settings(SETTINGS)
READER = SessionReader(SETTINGS)
TEXT = """\
Title: Alpha online session
Program: alpha
Format: online
Start: 2027-05-11 12:00
Duration: 1h
Join-URL: https://example.org/join
UID: 2027-05-11-alpha-online

Meet <b>us</b>.
"""


def test_a_valid_text_gives_the_session_the_build_would_make() -> None:
    result = validate_session_text(
        TEXT, "content/sessions/2027-05-11-alpha-online.md", CONFIG, ["alpha"], READER
    )
    assert result.problems == ()
    session = result.session
    assert session.slug == "2027-05-11-alpha-online"
    assert session.uid == "2027-05-11-alpha-online@example.org"
    assert session.start == datetime(2027, 5, 11, 12, tzinfo=ZoneInfo("America/New_York"))
    assert session.url == "sessions/2027-05-11-alpha-online/"
    assert session.body_html == "<p>Meet &lt;b&gt;us&lt;/b&gt;.</p>"  # the site's safe Markdown


def test_the_program_is_checked_against_the_given_slugs() -> None:
    result = validate_session_text(TEXT, "content/sessions/x.md", CONFIG, ["beta", "gamma"], READER)
    assert result.session is None
    assert [str(problem) for problem in result.problems] == [
        "content/sessions/x.md:2: Program: 'alpha': no such program; use one of: beta, gamma"
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "past",
            "content/sessions/past.md: (file name): 'past': taken by the sessions pages "
            "(calendar, in-person, online, past, program, subscribe); rename the file",
        ),
        (
            "Bad Name",
            "content/sessions/Bad Name.md: (file name): 'Bad Name': use lowercase letters, "
            "digits and single hyphens, e.g. 2027-03-mhqs-online.md; the name becomes the page "
            "URL and UID",
        ),
    ],
)
def test_the_file_name_is_checked_too(name: str, problem: str) -> None:
    result = validate_session_text(TEXT, f"content/sessions/{name}.md", CONFIG, ["alpha"], READER)
    assert [str(found) for found in result.problems] == [problem]
