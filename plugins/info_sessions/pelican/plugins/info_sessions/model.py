"""The session content type: its field table and the typed, validated Session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from .headers import HeaderField

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
    HeaderField("Join-URL"),
    HeaderField("Registration-URL"),
    HeaderField("Status"),
    HeaderField("UID"),
    HeaderField("Sequence"),
    HeaderField("Modified"),
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

    def get_relative_source_path(self) -> str:
        """Where the file is under the content folder (what Pelican's source map uses)."""
        return self.relative_source_path

    @property
    def duration(self) -> timedelta:
        """How long the session lasts."""
        return self.end - self.start
