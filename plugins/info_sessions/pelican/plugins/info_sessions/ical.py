"""iCalendar (RFC 5545 + RFC 7986) files: a pure function from sessions to bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Component, vDuration, vText, vUri
from icalendar.parser import Contentline
from icalendar.timezone.tzid import tzid_from_dt

from .cache import BuildCache
from .model import Format, Session
from .vtimezone import ZonePlan, ZoneTransitions, plan_component, wall_clock_is_unique, zone_plan

# RFC 5545 3.1: content lines are folded before 75 octets.
FOLD_AT = 74
_END = b"END:VCALENDAR\r\n"
# Every character at which str.splitlines() ends a line. Readers that split a feed that way
# (vdirsyncer, and khal after it) would cut a content line holding one in two, so none may
# be left inside a line (tests check this list against Python's own).
LINE_BREAKS = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
# Other control characters, which RFC 5545 3.3.11 does not allow in TEXT (a tab is allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")


class FeedLineError(ValueError):
    """A property whose value would break its content line; the file is not written."""


def feed_text(value: str, *, multiline: bool = False) -> str:
    r"""``value`` fit for a TEXT property: each line break of any kind (LINE_BREAKS) becomes a
    newline, which icalendar writes as ``\n``, where the property holds lines of text
    (DESCRIPTION), else a space; other control characters are dropped."""
    value = value.replace("\r\n", "\n")
    value = _LINE_BREAK.sub("\n" if multiline else " ", value)
    return _CONTROL.sub("", value)


def _check_line(line: str) -> str:
    """The content line itself, or FeedLineError if a line break is left in it (a value
    that is not TEXT, such as a URL or a parameter, cannot be escaped: it is refused)."""
    found = _LINE_BREAK.search(line)
    if found is None:
        return line
    name = re.split("[;:]", line, maxsplit=1)[0]
    raise FeedLineError(
        f"info_sessions: {name}: {line[:80]!r}: holds U+{ord(found.group()):04X}, which "
        "calendar apps read as a line break; remove it from the setting or file it comes from"
    )


@dataclass(frozen=True)
class EventInfo:
    """A session with what its feed entry needs beyond the file: names, links, stamp."""

    session: Session
    summary: str
    description: str  # plain text
    page_url: str  # absolute URL of the session's page
    categories: tuple[str, ...]
    stamp: datetime  # aware; written in UTC


@dataclass(frozen=True)
class CalendarInfo:
    """What a subscribable feed says about itself (single-event files have none)."""

    name: str
    description: str
    url: str  # absolute URL of the page about the feed
    refresh: timedelta


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _when(value: datetime) -> datetime:
    """A DTSTART or DTEND: in the session's zone (written with its TZID) when that wall-clock
    time names one instant, else in UTC. RFC 5545 3.3.5 reads a local time in the hour
    repeated when clocks go back as its first occurrence, and one in a skipped hour with the
    offset before the gap, so an end worked out from Duration (00:30 EDT + 2 h = 01:30 EST)
    would be read an hour early; a UTC time means one instant to every client. The pages,
    JSON-LD and web calendar links carry the offset or UTC already."""
    return value if wall_clock_is_unique(value) else _utc(value)


def _location(session: Session) -> str:
    """Venue for in-person and hybrid sessions; the join link for online-only sessions, and
    "Online" once one is cancelled or postponed (so that the link a calendar showed before
    is replaced, not kept)."""
    if session.format is Format.ONLINE:
        return session.join_link or "Online"
    return session.location


def text_value(value: str) -> str:
    r"""A TEXT value escaped as RFC 5545 3.3.11 asks, exactly as icalendar escapes it (its
    first step reads a written ``\N`` as a line break)."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _datetime_line(name: str, value: datetime) -> str:
    """DTSTAMP, DTSTART or DTEND as icalendar writes an aware datetime: in UTC with a Z
    when its zone is UTC or one of UTC's other names, else its wall-clock time with TZID."""
    stamp = (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}"
    )
    tzid = tzid_from_dt(value)
    if tzid == "UTC":
        return f"{name}:{stamp}Z"
    return f"{name};TZID={tzid}:{stamp}"


def event_lines(info: EventInfo) -> list[str]:
    """The content lines of one session's VEVENT, unfolded: the lines icalendar writes for
    the same properties (tests compare the two), built directly, since every session's
    event is written and icalendar's general machinery was a tenth of a build."""
    session = info.session
    text = session.without_join_link
    lines = [
        "BEGIN:VEVENT",
        f"UID:{text_value(session.uid)}",
        _datetime_line("DTSTAMP", _utc(info.stamp)),
        f"SEQUENCE:{int(session.sequence)}",
        _datetime_line("DTSTART", _when(session.start)),
        _datetime_line("DTEND", _when(session.end)),
        f"SUMMARY:{text_value(feed_text(text(info.summary)))}",
        f"DESCRIPTION:{text_value(feed_text(text(info.description), multiline=True))}",
        f"LOCATION:{text_value(feed_text(text(_location(session))))}",
        f"URL;VALUE=URI:{info.page_url}",
        f"STATUS:{session.status.ical}",
        "CATEGORIES:" + ",".join(text_value(feed_text(c)) for c in info.categories),
        "TRANSP:OPAQUE",
    ]
    if session.join_link:
        lines.append(f"CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join online:{session.join_link}")
    lines.append("END:VEVENT")
    return lines


class IcalCache:
    """Work shared by the .ics files of one build: each event is serialised once (a session
    is in its own file and in up to three feeds), each calendar head and each zone's changes
    are worked out once. ``cache`` may keep events and heads from one build to the next
    (`make serve`, see cache.RebuildCache)."""

    def __init__(self, cache: BuildCache | None = None) -> None:
        """Work for one build; ``cache``: what earlier builds kept (default: nothing)."""
        self.cache = cache or BuildCache()
        self.zones = ZoneTransitions()
        self._done: dict[tuple, bytes] = {}

    def get(self, key: tuple, make: Callable[[], bytes]) -> bytes:
        """The bytes for ``key``: made once in this build, or kept from an earlier one."""
        done = self._done.get(key)
        if done is None:
            done = self._done[key] = self.cache.value(key, make)
        return done

    def plans(
        self, tzids: tuple[str, ...], first: datetime, last: datetime
    ) -> tuple[ZonePlan, ...]:
        """The VTIMEZONE plans of a file spanning ``first`` to ``last``. Heads are keyed by
        these plans, not by the span, so that the one-session files of sessions between the
        same two clock changes share theirs; the plans of a span may be kept between builds."""
        return self.cache.value(
            ("zones", tzids, first, last),
            lambda: tuple(zone_plan(tzid, first, last, self.zones) for tzid in tzids),
        )

    def event_bytes(self, info: EventInfo) -> bytes:
        """The VEVENT of one session, serialised."""
        return self.get(("vevent", info), lambda: lines_bytes(event_lines(info)))


def fold(line: str) -> str:
    """Fold one content line exactly as icalendar does: at most 74 characters before each
    fold, never right after a backslash or a caret (an escape would be cut in two)."""
    if len(line) <= FOLD_AT:
        return line
    pieces = []
    start = 0
    while len(line) - start > FOLD_AT:
        end = start + FOLD_AT
        if line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def component_bytes(component: Component) -> bytes:
    """``component.to_ical(sorted=False)``, the same bytes about ten times faster: icalendar
    folds long lines one character at a time; ASCII lines, nearly all of ours, are cut by
    index here (other lines still go through icalendar). Raises FeedLineError rather than
    write a line holding a line break (LINE_BREAKS): every .ics file goes through here."""
    return lines_bytes(component.content_lines(sorted=False))


def lines_bytes(lines: Iterable[str]) -> bytes:
    """Unfolded content lines as they are written: each folded and ended with CRLF. Raises
    FeedLineError rather than write a line holding a line break (LINE_BREAKS)."""
    lines = [_check_line(line) for line in lines if line]
    return b"".join(
        (fold(line).encode("ascii") if line.isascii() else Contentline(line).to_ical()) + b"\r\n"
        for line in lines
    )


def _head(prodid: str, info: CalendarInfo | None, zones: tuple[ZonePlan, ...]) -> bytes:
    """The calendar's own properties and its VTIMEZONEs, without END:VCALENDAR."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", feed_text(prodid))
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if info is not None:
        # vText explicitly: icalendar writes NAME and X- properties it does not know as raw
        # text, so a program called "A; B, C" would leave ; , and \ unescaped.
        name, description = feed_text(info.name), feed_text(info.description, multiline=True)
        calendar.add("name", vText(name))
        calendar.add("x-wr-calname", vText(name))
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", vText(description))
        calendar.add("url", vUri(info.url), parameters={"VALUE": "URI"})
        calendar.add("refresh-interval", info.refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(info.refresh))
    for plan in zones:
        calendar.add_component(plan_component(plan))
    head = component_bytes(calendar)
    if not head.endswith(_END):  # icalendar always ends a component with its END line
        raise RuntimeError(f"unexpected calendar serialisation: {head[-40:]!r}")
    return head[: -len(_END)]


def calendar_bytes(
    events: Sequence[EventInfo],
    *,
    prodid: str,
    info: CalendarInfo | None,
    cache: IcalCache | None = None,
) -> bytes:
    """A VCALENDAR with one VEVENT per session; ``info`` None makes a single-event file
    without a calendar name (Outlook would otherwise open it as a new calendar). Files of
    one build share a ``cache``; the bytes are the same with or without one."""
    cache = cache or IcalCache()
    ordered = sorted(events, key=lambda e: (_utc(e.session.start), e.session.uid))
    zones: tuple[ZonePlan, ...] = ()
    if ordered:
        first = min(_utc(e.session.start) for e in ordered)
        last = max(_utc(e.session.end) for e in ordered)
        tzids = tuple(sorted({e.session.timezone for e in ordered}))
        zones = cache.plans(tzids, first, last)
    head = cache.get(("head", prodid, info, zones), lambda: _head(prodid, info, zones))
    return head + b"".join(cache.event_bytes(event) for event in ordered) + _END
