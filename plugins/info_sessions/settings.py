"""Settings of the info-sessions plugin: defaults, checks, and one frozen settings object.

Every setting starts with INFO_SESSIONS_. Values not given in pelicanconf.py come from
DEFAULTS, except the few derived from other site settings (see ``SessionSettings.from_settings``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from content_guard.zones import UnknownZoneError, pinned_zone
from info_sessions.errors import SessionContentError

PREFIX = "INFO_SESSIONS_"

DEFAULTS: dict[str, Any] = {
    # Folder under the content path holding one Markdown file per session.
    "INFO_SESSIONS_PATH": "sessions",
    # Zone of a session file without a Timezone line.
    "INFO_SESSIONS_DEFAULT_TIMEZONE": "America/New_York",
    # How long a session stays in the feeds after it took place.
    "INFO_SESSIONS_PAST_DAYS": 180,
    # How often calendar apps are asked to re-read a feed (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    "INFO_SESSIONS_REFRESH_HOURS": 6,
    # Organizer in JSON-LD and feed descriptions; "" means SITENAME.
    "INFO_SESSIONS_ORGANIZER": "",
    # Domain after the @ of every UID; "" means the host of SITE_ABSOLUTE_URL.
    "INFO_SESSIONS_UID_DOMAIN": "",
    # How many upcoming sessions the home page shows.
    "INFO_SESSIONS_HOME_COUNT": 3,
    # Page URLs (directory style) and where they are saved.
    "INFO_SESSIONS_INDEX_URL": "sessions/",
    "INFO_SESSIONS_PAGE_URL": "sessions/{slug}/",
    "INFO_SESSIONS_FORMAT_URL": "sessions/{format}/",
    "INFO_SESSIONS_PROGRAM_URL": "sessions/program/{slug}/",
    "INFO_SESSIONS_PAST_URL": "sessions/past/",
    "INFO_SESSIONS_CALENDAR_URL": "sessions/calendar/",
    "INFO_SESSIONS_MONTH_URL": "sessions/calendar/{year:04d}-{month:02d}/",
    "INFO_SESSIONS_SUBSCRIBE_URL": "sessions/subscribe/",
    # Feed files, relative to the output folder.
    "INFO_SESSIONS_FEED_ALL": "calendar/all.ics",
    "INFO_SESSIONS_FEED_FORMAT": "calendar/{format}.ics",
    "INFO_SESSIONS_FEED_PROGRAM": "calendar/program-{slug}.ics",
    "INFO_SESSIONS_FEED_SESSION": "calendar/sessions/{slug}.ics",
    # A memo.SessionMemo kept between builds (`make serve` passes one); None keeps nothing.
    "INFO_SESSIONS_MEMO": None,
}


@dataclass(frozen=True)
class SessionSettings:
    """Everything the plugin reads from the site's settings, checked once."""

    path: str
    default_timezone: str
    past_days: int
    refresh_hours: int
    organizer: str
    uid_domain: str
    home_count: int
    site_name: str
    site_url: str
    site_timezone: ZoneInfo
    today: date
    index_url: str
    page_url: str
    format_url: str
    program_url: str
    past_url: str
    calendar_url: str
    month_url: str
    subscribe_url: str
    feed_all: str
    feed_format: str
    feed_program: str
    feed_session: str
    markdown: Mapping[str, Any]

    @property
    def prodid(self) -> str:
        """PRODID of every feed: this site and this plugin."""
        return f"-//{self.site_name}//info_sessions plugin//EN"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SessionSettings:
        """Read and check the INFO_SESSIONS_ settings; raise listing every problem."""
        problems: list[str] = []
        for name in sorted(key for key in settings if key.startswith(PREFIX)):
            if name not in DEFAULTS:
                guess = difflib.get_close_matches(name, sorted(DEFAULTS), n=1)
                hint = f"did you mean {guess[0]}?" if guess else "remove it"
                problems.append(f"pelicanconf.py: {name}: {settings[name]!r}: unknown; {hint}")
        value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}

        def zone(name: str, raw: object) -> ZoneInfo:
            try:
                return pinned_zone(str(raw))  # from the pinned tzdata only
            except UnknownZoneError as error:
                problems.append(f"pelicanconf.py: {name}: {raw!r}: {error}")
                return pinned_zone("UTC")

        zone("INFO_SESSIONS_DEFAULT_TIMEZONE", value["INFO_SESSIONS_DEFAULT_TIMEZONE"])
        site_timezone = zone("TIMEZONE", settings.get("TIMEZONE", "UTC"))
        for name in ("INFO_SESSIONS_PAST_DAYS", "INFO_SESSIONS_REFRESH_HOURS"):
            if not isinstance(value[name], int) or value[name] < 0:
                problems.append(f"pelicanconf.py: {name}: {value[name]!r}: must be a whole number")
        site_url = str(settings.get("SITE_ABSOLUTE_URL") or settings.get("SITEURL") or "")
        site_url = site_url.rstrip("/")
        host = urlsplit(site_url).hostname or ""
        if not host:
            problems.append(
                f"pelicanconf.py: SITE_ABSOLUTE_URL: {site_url!r}: feeds need an absolute "
                "http(s) address, e.g. https://example.org"
            )
        today = _today(settings.get("SITE_TODAY"), site_timezone, problems)
        if problems:
            raise SessionContentError(problems)
        return cls(
            path=value["INFO_SESSIONS_PATH"],
            default_timezone=value["INFO_SESSIONS_DEFAULT_TIMEZONE"],
            past_days=value["INFO_SESSIONS_PAST_DAYS"],
            refresh_hours=value["INFO_SESSIONS_REFRESH_HOURS"],
            organizer=value["INFO_SESSIONS_ORGANIZER"] or str(settings.get("SITENAME", "")),
            uid_domain=value["INFO_SESSIONS_UID_DOMAIN"] or host,
            home_count=value["INFO_SESSIONS_HOME_COUNT"],
            site_name=str(settings.get("SITENAME", "")),
            site_url=site_url,
            site_timezone=site_timezone,
            today=today,
            index_url=value["INFO_SESSIONS_INDEX_URL"],
            page_url=value["INFO_SESSIONS_PAGE_URL"],
            format_url=value["INFO_SESSIONS_FORMAT_URL"],
            program_url=value["INFO_SESSIONS_PROGRAM_URL"],
            past_url=value["INFO_SESSIONS_PAST_URL"],
            calendar_url=value["INFO_SESSIONS_CALENDAR_URL"],
            month_url=value["INFO_SESSIONS_MONTH_URL"],
            subscribe_url=value["INFO_SESSIONS_SUBSCRIBE_URL"],
            feed_all=value["INFO_SESSIONS_FEED_ALL"],
            feed_format=value["INFO_SESSIONS_FEED_FORMAT"],
            feed_program=value["INFO_SESSIONS_FEED_PROGRAM"],
            feed_session=value["INFO_SESSIONS_FEED_SESSION"],
            markdown=settings.get("MARKDOWN", {}),
        )

    @property
    def today_start(self) -> datetime:
        """Midnight at the start of "today" in the site's time zone."""
        return datetime(
            self.today.year, self.today.month, self.today.day, tzinfo=self.site_timezone
        )


def _today(raw: object, zone: ZoneInfo, problems: list[str]) -> date:
    """SITE_TODAY as a date; the current date in the site's zone when it is not set."""
    if not raw:
        return datetime.now(zone).date()
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(f"pelicanconf.py: SITE_TODAY: {raw!r}: not a date; write it as YYYY-MM-DD")
        return date(1970, 1, 1)


def save_as(url: str) -> str:
    """The file a directory-style URL is saved to ("sessions/" -> "sessions/index.html")."""
    return f"{url}index.html" if url.endswith("/") or not url else url
