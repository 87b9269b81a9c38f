"""Settings of the info-sessions plugin: defaults, checks, and one frozen settings object.

Every setting of the plugin starts with INFO_SESSIONS_; besides them it reads only Pelican's
own SITENAME, SITEURL and TIMEZONE. Values not given in pelicanconf.py come from DEFAULTS;
the few whose default is another setting are worked out in ``SessionSettings.from_settings``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .problems import ContentError, Problem
from .zones import UnknownZoneError, pinned_zone

PREFIX = "INFO_SESSIONS_"

DEFAULTS: dict[str, Any] = {
    # Folder under the content path holding one Markdown file per session.
    "INFO_SESSIONS_PATH": "sessions",
    # "Today", YYYY-MM-DD: what counts as upcoming or past; "" means the date in TIMEZONE.
    "INFO_SESSIONS_TODAY": "",
    # Absolute address of the site, for feeds and calendar links; "" means SITEURL.
    "INFO_SESSIONS_SITE_URL": "",
    # Whether every session must name a program (one the site provides, see programs.py).
    "INFO_SESSIONS_REQUIRE_PROGRAM": False,
    # Zone of a session file without a Timezone line; "" means TIMEZONE.
    "INFO_SESSIONS_DEFAULT_TIMEZONE": "",
    # How long a session stays in the feeds after it took place.
    "INFO_SESSIONS_PAST_DAYS": 180,
    # How far ahead the aggregate feeds (all, in-person, online) reach; program feeds hold
    # every session.
    "INFO_SESSIONS_FUTURE_DAYS": 365,
    # How often calendar apps are asked to re-read a feed (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    "INFO_SESSIONS_REFRESH_HOURS": 6,
    # Organizer in JSON-LD and feed descriptions; "" means SITENAME.
    "INFO_SESSIONS_ORGANIZER": "",
    # Domain after the @ of every UID; "" means the host of the site's address.
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
}


@dataclass(frozen=True)
class SessionSettings:
    """Everything the plugin reads from the site's settings, checked once."""

    path: str
    default_timezone: str
    past_days: int
    future_days: int
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
    require_program: bool

    @property
    def prodid(self) -> str:
        """PRODID of every feed: this site and this plugin."""
        return f"-//{self.site_name}//info_sessions plugin//EN"

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SessionSettings:
        """Read and check the plugin's settings; raise ContentError listing every problem."""
        problems: list[Problem] = []
        for name in sorted(key for key in settings if key.startswith(PREFIX)):
            if name not in DEFAULTS:
                guess = difflib.get_close_matches(name, sorted(DEFAULTS), n=1)
                hint = f"did you mean {guess[0]}?" if guess else "remove it"
                problems.append(_problem(name, settings[name], f"unknown; {hint}"))
        value = {name: settings.get(name, default) for name, default in DEFAULTS.items()}

        def zone(name: str, raw: object) -> ZoneInfo:
            try:
                return pinned_zone(str(raw))  # from the pinned tzdata only
            except UnknownZoneError as error:
                problems.append(_problem(name, raw, str(error)))
                return pinned_zone("UTC")

        site_timezone = zone("TIMEZONE", settings.get("TIMEZONE") or "UTC")
        default_timezone = value["INFO_SESSIONS_DEFAULT_TIMEZONE"] or site_timezone.key
        zone("INFO_SESSIONS_DEFAULT_TIMEZONE", default_timezone)
        for name in (
            "INFO_SESSIONS_PAST_DAYS",
            "INFO_SESSIONS_FUTURE_DAYS",
            "INFO_SESSIONS_REFRESH_HOURS",
        ):
            if not isinstance(value[name], int) or value[name] < 0:
                problems.append(_problem(name, value[name], "must be a whole number"))
        site_url, host = _site_url(value["INFO_SESSIONS_SITE_URL"], settings, problems)
        today = _today(value["INFO_SESSIONS_TODAY"], site_timezone, problems)
        if problems:
            raise ContentError(problems)
        site_name = str(settings.get("SITENAME", ""))
        return cls(
            path=value["INFO_SESSIONS_PATH"],
            default_timezone=default_timezone,
            past_days=value["INFO_SESSIONS_PAST_DAYS"],
            future_days=value["INFO_SESSIONS_FUTURE_DAYS"],
            refresh_hours=value["INFO_SESSIONS_REFRESH_HOURS"],
            organizer=value["INFO_SESSIONS_ORGANIZER"] or site_name,
            uid_domain=value["INFO_SESSIONS_UID_DOMAIN"] or host,
            home_count=value["INFO_SESSIONS_HOME_COUNT"],
            site_name=site_name,
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
            require_program=bool(value["INFO_SESSIONS_REQUIRE_PROGRAM"]),
        )

    @property
    def today_start(self) -> datetime:
        """Midnight at the start of "today" in the site's time zone."""
        return datetime(
            self.today.year, self.today.month, self.today.day, tzinfo=self.site_timezone
        )


def _problem(name: str, value: object, fix: str) -> Problem:
    return Problem("pelicanconf.py", name, value, fix)


def _site_url(raw: object, settings: Mapping[str, Any], problems: list[Problem]) -> tuple[str, str]:
    """The site's absolute address (INFO_SESSIONS_SITE_URL, else SITEURL) and its host."""
    name = "INFO_SESSIONS_SITE_URL" if raw else "SITEURL"
    site_url = str(raw or settings.get("SITEURL") or "").rstrip("/")
    host = urlsplit(site_url).hostname or ""
    if not host:
        problems.append(
            _problem(
                name,
                site_url,
                "feeds need the site's absolute http(s) address, e.g. https://example.org; "
                "set SITEURL, or INFO_SESSIONS_SITE_URL when SITEURL is relative",
            )
        )
    return site_url, host


def _today(raw: object, zone: ZoneInfo, problems: list[Problem]) -> date:
    """INFO_SESSIONS_TODAY as a date; the current date in the site's zone when it is not set."""
    if not raw:
        return datetime.now(zone).date()
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(_problem("INFO_SESSIONS_TODAY", raw, "not a date; write it as YYYY-MM-DD"))
        return date(1970, 1, 1)


def save_as(url: str) -> str:
    """The file a directory-style URL is saved to ("sessions/" -> "sessions/index.html")."""
    return f"{url}index.html" if url.endswith("/") or not url else url
