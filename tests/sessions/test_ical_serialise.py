"""Our fast iCalendar serialisation gives icalendar's own bytes, and the build cache
changes nothing but speed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from icalendar import Event
from icalendar.parser import Contentline
from pelican.plugins.info_sessions.cache import BuildCache, RebuildCache
from pelican.plugins.info_sessions.ical import (
    LINE_BREAKS,
    IcalCache,
    calendar_bytes,
    component_bytes,
    fold,
)

from tests.sessions.test_ical import INFO, event, make_session

# Text as our writer hands it to icalendar: no line breaks of any kind (feed_text turns them
# into \n or spaces first), no lone surrogates (files are read as strict UTF-8).
LINES = st.text(
    st.characters(blacklist_characters=LINE_BREAKS, blacklist_categories=["Cs"]), max_size=400
)


@given(LINES.filter(str.isascii))
def test_fold_matches_icalendar_for_every_ascii_line(line: str) -> None:
    assert fold(line).encode("ascii") == Contentline(line).to_ical()


def test_fold_never_cuts_right_after_a_backslash() -> None:
    line = "DESCRIPTION:" + "x" * 61 + "\\n" + "y" * 100  # the \ is the 74th character
    folded = fold(line)
    assert folded == Contentline(line).to_ical().decode()
    assert all(not part.endswith("\\") for part in folded.split("\r\n "))


@given(summary=LINES, description=LINES, location=LINES)
def test_component_bytes_are_icalendars_bytes(
    summary: str, description: str, location: str
) -> None:
    component = Event()
    component.add("uid", "a@example.org")
    component.add("summary", summary)
    component.add("description", description)
    component.add("location", location)
    component.add("dtstart", datetime(2027, 1, 1, 12, tzinfo=UTC))
    assert component_bytes(component) == component.to_ical(sorted=False)


def test_a_cache_shared_across_files_and_builds_gives_the_same_bytes() -> None:
    first = make_session("a")
    later = make_session(
        "b",
        start=first.start + timedelta(days=200),
        end=first.end + timedelta(days=200),
        timezone="Europe/London",
    )
    events = [event(first), event(later, "Café ☕ — تجربة " * 20)]
    alone = calendar_bytes(events, prodid="-//T//T//EN", info=INFO)
    kept = RebuildCache()
    for _ in range(3):  # three "builds" of the same feed with one cache
        kept.start({"SITENAME": "T"})
        cache = IcalCache(kept)
        assert calendar_bytes(events, prodid="-//T//T//EN", info=INFO, cache=cache) == alone
        single = calendar_bytes(events[:1], prodid="-//T//T//EN", info=None, cache=cache)
        assert single == calendar_bytes(events[:1], prodid="-//T//T//EN", info=None)


def test_the_rebuild_cache_keeps_only_what_the_last_build_used() -> None:
    cache = RebuildCache()
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    settings = {"SITENAME": "x"}
    cache.start(settings)
    assert cache.value("a", lambda: compute("a")) == "A"
    cache.value("b", lambda: compute("b"))
    cache.start(settings)
    cache.value("a", lambda: compute("a"))  # kept from the last build
    cache.start(settings)
    cache.value("a", lambda: compute("a"))
    cache.value("b", lambda: compute("b"))  # unused by the last build: computed again
    cache.start({"SITENAME": "y"})
    cache.value("a", lambda: compute("a"))  # the settings changed: everything is forgotten
    assert calls == ["a", "b", "b", "a"]


def test_a_plain_build_keeps_nothing() -> None:
    cache = BuildCache()
    calls: list[str] = []
    for _ in range(2):
        cache.value("a", lambda: calls.append("a"))
    assert calls == ["a", "a"]
