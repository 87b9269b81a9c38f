"""The session content type: its field table and the typed, validated Session."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import cached_property

from .headers import HeaderField

# What may follow a join link inside text and still be part of its address.
URL_TAIL = r"[^\s<>\"'()\[\]]*"
# What stands in a text where a withdrawn join link was.
WITHDRAWN_LINK = "(join link withdrawn)"

# Longest session accepted: a calendar entry longer than this is almost always a typo.
MAX_DURATION = timedelta(hours=12)


# Every header field a session file may have, in the order the README documents them.
# Which ones a session needs depends on its format and on the site (validation.py).
FIELDS: tuple[HeaderField, ...] = (
    HeaderField("Title", required=True),
    HeaderField("Program"),
    HeaderField("Format", required=True),
    HeaderField("Start", required=True),
    HeaderField("End"),
    HeaderField("Duration"),
    HeaderField("Timezone"),
    HeaderField("Location"),
    HeaderField("Map-URL"),
    HeaderField("Join-URL"),
    HeaderField("Registration-URL"),
    HeaderField("Status"),
    HeaderField("UID"),
    HeaderField("Sequence"),
    HeaderField("Modified"),
    # A series (series.py): one file, one session per date.
    HeaderField("Repeat"),
    HeaderField("Until"),
    HeaderField("Count"),
    HeaderField("Skip"),
    HeaderField("Cancel"),
    HeaderField("Move"),
)


class Format(Enum):
    """How a session is attended."""

    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        """Human label: "In person", "Online", "Hybrid"."""
        return {"in-person": "In person", "online": "Online", "hybrid": "Hybrid"}[self.value]

    @property
    def in_person(self) -> bool:
        """True when people can attend at a venue (in-person and hybrid)."""
        return self is not Format.ONLINE

    @property
    def online(self) -> bool:
        """True when people can join online (online and hybrid)."""
        return self is not Format.IN_PERSON


class Status(Enum):
    """Where a session stands."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    FULL = "full"

    @property
    def label(self) -> str:
        """Human label shown on pages."""
        return {
            "scheduled": "Scheduled",
            "cancelled": "Cancelled",
            "postponed": "Postponed",
            "full": "Full: registration closed",
        }[self.value]

    @property
    def ical(self) -> str:
        """The iCalendar STATUS value."""
        return {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}.get(self.value, "CONFIRMED")

    @property
    def schema_org(self) -> str:
        """The schema.org eventStatus."""
        return {
            "cancelled": "https://schema.org/EventCancelled",
            "postponed": "https://schema.org/EventPostponed",
        }.get(self.value, "https://schema.org/EventScheduled")

    @property
    def happening(self) -> bool:
        """False when the session will not take place at its time."""
        return self in (Status.SCHEDULED, Status.FULL)


@dataclass(frozen=True)
class Session:
    """One information session, read from content/sessions/<slug>.md and validated."""

    slug: str
    source_path: str  # absolute path of the file
    relative_source_path: str  # relative to the content folder, e.g. "sessions/x.md"
    title: str
    program_slug: str
    format: Format
    start: datetime  # aware, in the session's zone
    end: datetime  # aware, in the session's zone
    timezone: str  # IANA name
    location: str
    map_url: str  # the Map-URL field: a map of the venue; "" for the default map search
    join_url: str
    registration_url: str
    status: Status
    uid: str
    sequence: int
    modified: datetime | None  # aware; from the Modified field
    body_html: str
    url: str
    save_as: str
    feed_path: str
    # An occurrence of a series (series.py): the series page's URL ("" for a single session)
    # and, for a moved occurrence, the start it was moved from.
    series_url: str = ""
    moved_from: datetime | None = None

    @cached_property
    def _identity(self) -> tuple:
        """Every field, with each datetime as its UTC instant and offset: Python compares two
        datetimes of one zone by wall clock alone, so 01:30 EDT and 01:30 EST (the hour
        repeated when clocks go back) would be equal, and a rebuild's cache would hand back
        the feed entry of the other one. Worked out once per session (the session is frozen):
        sessions key the values a rebuild reuses, thousands of lookups a build."""
        return tuple(
            (value.astimezone(UTC), value.utcoffset()) if isinstance(value, datetime) else value
            for value in (getattr(self, f.name) for f in fields(self))
        )

    @cached_property
    def _hash(self) -> int:
        return hash(self._identity)

    def __eq__(self, other: object) -> bool:
        """Equal when every field is, datetimes as instants (see ``_identity``)."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self is other or self._identity == other._identity

    def __hash__(self) -> int:
        """The hash of every field, datetimes as instants (see ``_identity``)."""
        return self._hash

    def get_relative_source_path(self) -> str:
        """Where the file is under the content folder (what Pelican's source map uses)."""
        return self.relative_source_path

    @property
    def join_link(self) -> str:
        """The join link while the session is to take place at its time; "" when it is
        cancelled or postponed, so that no page, feed or calendar link offers a meeting
        that will not happen (every writer of a join link reads it from here)."""
        return self.join_url if self.status.happening else ""

    def without_join_link(self, text: str) -> str:
        """``text`` with every mention of the join link (with the rest of the address it
        starts) replaced by WITHDRAWN_LINK while the session is cancelled or postponed; the
        text as it is otherwise. For text written by staff, such as the description."""
        if self.join_link or not self.join_url or self.join_url not in text:
            return text
        link = re.escape(self.join_url) + URL_TAIL
        # "(address)", as plain text made from a Markdown link has it, is replaced whole.
        return re.sub(rf"\({link}\)|{link}", WITHDRAWN_LINK, text)

    @property
    def duration(self) -> timedelta:
        """How long the session lasts, in real time (datetimes of one zone subtract as wall
        clocks: 00:30 EDT to 01:30 EST would be 1 hour, not 2)."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True)
class Series:
    """A series file expanded (series.py): its occurrences, each an ordinary Session, and
    the dates its rule gives that were skipped (they appear nowhere)."""

    slug: str  # the file's name: the series page's address
    source_path: str
    relative_source_path: str
    title: str
    repeat: str  # the Repeat value, as written
    schedule: str  # when it meets, for pages: "on the first Tuesday of each month"
    url: str
    save_as: str
    feed_path: str  # one .ics holding every occurrence
    occurrences: tuple[Session, ...]  # in date order, moved ones where they now are
    skipped: tuple[date, ...] = ()

    def get_relative_source_path(self) -> str:
        """Where the file is under the content folder (what Pelican's source map uses)."""
        return self.relative_source_path
