"""Our fast iCalendar serialisation gives icalendar's own bytes, and the build cache
changes nothing but speed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar import Event, vText, vUri
from icalendar.parser import Contentline
from pelican.plugins.info_sessions.cache import BuildCache, RebuildCache
from pelican.plugins.info_sessions.ical import (
    LINE_BREAKS,
    EventInfo,
    IcalCache,
    _location,
    _utc,
    _when,
    calendar_bytes,
    component_bytes,
    event_lines,
    feed_text,
    fold,
    lines_bytes,
    text_value,
)
from pelican.plugins.info_sessions.model import Format, Status

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


def icalendar_event(info: EventInfo) -> bytes:
    """The VEVENT of ``info`` as icalendar writes it: the reference for event_lines."""
    session = info.session
    text = session.without_join_link
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", _utc(info.stamp))
    event.add("sequence", session.sequence)
    event.add("dtstart", _when(session.start))
    event.add("dtend", _when(session.end))
    event.add("summary", feed_text(text(info.summary)))
    event.add("description", feed_text(text(info.description), multiline=True))
    event.add("location", feed_text(text(_location(session))))
    event.add("url", vUri(info.page_url), parameters={"VALUE": "URI"})
    event.add("status", session.status.ical)
    event.add("categories", [feed_text(category) for category in info.categories])
    event.add("transp", "OPAQUE")
    if session.join_link:
        event.add(
            "conference",
            vUri(session.join_link),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"},
        )
    return event.to_ical(sorted=False)


# Any text at all, line breaks included (feed_text turns them into \n or spaces).
TEXTS = st.text(st.characters(blacklist_categories=["Cs"]), max_size=120)
ZONES = sorted(available_timezones())
# Wall-clock times, given a zone below (hypothesis takes naive bounds).
WALL_CLOCK = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2060, 12, 31),  # noqa: DTZ001
)


@settings(max_examples=300)
@given(
    texts=st.tuples(TEXTS, TEXTS, TEXTS, TEXTS),
    uid=st.from_regex(r"[A-Za-z0-9.,;\\@_-]{1,40}", fullmatch=True),
    zone=st.sampled_from(ZONES),
    start=WALL_CLOCK,
    fold=st.sampled_from([0, 1]),
    minutes=st.integers(1, 60 * 30),
    format_=st.sampled_from(list(Format)),
    status=st.sampled_from(list(Status)),
    join=st.sampled_from(["", "https://meet.example.org/j/1?a=b;c,d", "https://e.org/x"]),
    categories=st.lists(TEXTS, max_size=3),
    sequence=st.integers(0, 10_000),
)
def test_event_lines_are_icalendars_bytes(
    texts: tuple[str, str, str, str],
    uid: str,
    zone: str,
    start: datetime,
    fold: int,
    minutes: int,
    format_: Format,
    status: Status,
    join: str,
    categories: list[str],
    sequence: int,
) -> None:
    summary, description, location, body = texts
    begins = start.replace(tzinfo=ZoneInfo(zone), fold=fold)
    session = make_session(
        "a",
        title=summary,
        uid=uid,
        timezone=zone,
        start=begins,
        end=begins + timedelta(minutes=minutes),
        format=format_,
        status=status,
        join_url=join,
        location=location,
        sequence=sequence,
    )
    info = EventInfo(
        session=session,
        summary=summary,
        description=description + (f" {join} " if join else "") + body,
        page_url="https://e.org/sessions/a/",
        categories=tuple(categories),
        stamp=datetime(2026, 11, 1, 12, tzinfo=UTC),
    )
    assert lines_bytes(event_lines(info)) == icalendar_event(info)


def test_every_zone_is_written_as_icalendar_writes_it() -> None:
    for zone in ZONES:  # UTC's other names (Etc/UTC, Zulu, ...) take a Z, not a TZID
        start = datetime(2027, 7, 1, 9, 30, tzinfo=ZoneInfo(zone))
        info = event(make_session("a", timezone=zone, start=start, end=start + timedelta(hours=1)))
        assert lines_bytes(event_lines(info)) == icalendar_event(info), zone


@given(TEXTS)
@example("a \\N b, c; d \\\\N\r\n e\r f")  # a written \N is read as a line break first
def test_text_values_are_escaped_as_icalendar_escapes_them(value: str) -> None:
    assert text_value(value) == vText(value).to_ical().decode("utf-8")


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
