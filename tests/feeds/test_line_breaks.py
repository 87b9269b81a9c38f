"""No content line of any .ics file holds a character that str.splitlines() ends a line at.

vdirsyncer splits a feed with str.splitlines(), so a title holding U+2028 cut its line in
two and khal could not list the calendar. The guarantee is the writer's own
(info_sessions.ical): TEXT values have every such character turned into a newline (written
``\\n``) or a space, and any other line still holding one is refused, so it holds whatever
the file readers and validators let through. Checked here on the writer directly, and on
every feed of real builds: the real site, the scenario sites, hostile text in every field
that reaches a feed (each run through the ``build`` fixture, which checks every feed it
builds), and a site name that is itself hostile.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from pelican.plugins.info_sessions.ical import (
    LINE_BREAKS,
    CalendarInfo,
    FeedLineError,
    calendar_bytes,
)
from pelican.plugins.info_sessions.jsonld import jsonld_script_text
from pelican.plugins.info_sessions.problems import Problem

from tests.feeds.checks import assert_sound_feeds, content_line_problems, feed_problems
from tests.feeds.readers import ical_events
from tests.sessions.helpers import unfold
from tests.sessions.test_ical import event, make_session
from tools.build import BuildError

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal"
SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "sessions"
NAMES = {
    "\n": "LF", "\x0b": "VT", "\x0c": "FF", "\r": "CR", "\x1c": "FS", "\x1d": "GS",
    "\x1e": "RS", "\x85": "NEL", "\u2028": "LS", "\u2029": "PS",
}  # fmt: skip


def test_line_breaks_are_every_character_splitlines_ends_a_line_at() -> None:
    found = {chr(c) for c in range(sys.maxunicode + 1) if len(f"a{chr(c)}a".splitlines()) > 1}
    assert set(LINE_BREAKS) == found == set(NAMES)


@pytest.mark.parametrize("char", LINE_BREAKS, ids=NAMES.get)
def test_the_writer_turns_line_breaks_in_text_into_newlines_or_spaces(char: str) -> None:
    session = make_session(
        title=f"Alpha{char}session", format=make_session().format.HYBRID, location=f"Hall{char}1"
    )
    info = event(session, f"First{char}second")
    info = type(info)(**{**info.__dict__, "categories": (f"Info{char}session", "ALP", "Hybrid")})
    head = CalendarInfo(f"Feed{char}name", f"About{char}it", "https://e.org/", timedelta(hours=6))
    data = calendar_bytes([info], prodid=f"-//Site{char}//EN", info=head)
    assert content_line_problems(data) == []
    (read,) = ical_events(data).values()
    assert read.summary == "Alpha session"
    assert read.location == "Hall 1"
    assert read.description == "First\nsecond"
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Feed name"
    assert str(calendar["DESCRIPTION"]) == "About\nit"
    assert str(calendar.events[0]["CATEGORIES"].cats[0]) == "Info session"


@pytest.mark.parametrize("char", ["\u2028", "\x85", "\x0c"], ids=NAMES.get)
def test_a_value_that_cannot_be_escaped_is_refused(char: str) -> None:
    """A URL is no TEXT value: one holding a line break stops the file being written."""
    info = event(make_session(join_url=f"https://example.org/join{char}x"))
    with pytest.raises(FeedLineError, match=f"CONFERENCE.*U\\+{ord(char):04X}"):
        calendar_bytes([info], prodid="-//T//T//EN", info=None)


def test_every_feed_of_the_real_site_is_sound(built_site: Path) -> None:
    assert assert_sound_feeds(built_site) > 10


@pytest.mark.parametrize("scenario", ["valid", "dst"])
def test_every_feed_of_the_scenario_sites_is_sound(build, tmp_path: Path, scenario: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / scenario, content)
    assert assert_sound_feeds(build(content=content)) >= 5


def _hostile_copy(tmp_path: Path, char: str) -> Path:
    """The one-session scenario with ``char`` in every text that reaches a feed."""
    content = tmp_path / "content"
    shutil.copytree(HOSTILE, content)
    for name, old, new in (
        ("programs/alpha.md", "Title: Alpha Program", f"Title: Alpha{char}Program"),
        ("programs/alpha.md", "Short-name: ALP", f"Short-name: A{char}LP"),
        ("sessions/alpha-online.md", "Title: Alpha online session", f"Title: Alpha{char}on"),
        ("sessions/alpha-online.md", "Format: online", "Format: hybrid\nLocation: Hall"),
        ("sessions/alpha-online.md", "Location: Hall", f"Location: Hall{char}1"),
        ("sessions/alpha-online.md", "Meet the faculty.", f"Meet{char}the{char}faculty."),
    ):
        path = content / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
    return content


@pytest.mark.parametrize("char", LINE_BREAKS.replace("\n", "").replace("\r", ""), ids=NAMES.get)
def test_hostile_line_breaks_anywhere_are_refused_or_leave_every_feed_sound(
    build, tmp_path: Path, char: str
) -> None:
    """A line break of each kind in a program's title and short name, a session's title,
    venue and description: the readers refuse the files that hold it (with the file, field
    and line), or the site builds and every feed is sound."""
    content = _hostile_copy(tmp_path, char)
    try:
        output = build(content=content)
    except BuildError as error:
        assert error.problems
        assert all(
            isinstance(p, Problem) and p.path.startswith(("content/programs/", "content/sessions/"))
            for p in error.problems
        ), error.problems
        return
    assert assert_sound_feeds(output) == 5  # all, in person, online, the program's, its own
    (read,) = ical_events((output / "calendar" / "all.ics").read_bytes()).values()
    assert "\n" not in read.summary and "\n" not in read.location


def test_a_hostile_site_name_leaves_every_feed_sound(build, tmp_path: Path) -> None:
    """The site's name (calendar names, PRODID, descriptions) comes from the settings, which
    no content check reads: the writer alone keeps the feeds sound."""
    content = tmp_path / "content"
    shutil.copytree(HOSTILE, content)
    output = build(content=content, SITENAME="Quality\u2028Programs\x85; , \\ \u2029")
    assert feed_problems(output) == {}
    data = (output / "calendar" / "all.ics").read_bytes()
    lines = unfold(data)
    assert "NAME:Info sessions (Quality Programs \\; \\, \\\\  )" in lines
    assert "PRODID:-//Quality Programs \\; \\, \\\\  //info_sessions plugin//EN" in lines
    (read,) = ical_events(data).values()
    assert read.start == datetime(2026, 12, 8, 17, tzinfo=UTC)


def test_json_ld_beside_the_feeds_escapes_line_separators() -> None:
    """Valid in JSON, but line terminators to JavaScript before ES2019: written as escapes."""
    text = str(jsonld_script_text({"name": "a\u2028b\u2029c"}))
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"name": "a\u2028b\u2029c"}
