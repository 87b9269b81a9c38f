"""Plugin settings: defaults, derived values, and every bad setting reported at once."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from info_sessions.errors import SessionContentError
from info_sessions.settings import SessionSettings, save_as

SITE = {
    "SITENAME": "Our Site",
    "SITE_ABSOLUTE_URL": "https://sessions.example.org/",
    "TIMEZONE": "America/New_York",
    "SITE_TODAY": "2026-11-23",
}


def test_defaults_and_derived_values() -> None:
    config = SessionSettings.from_settings(SITE)
    assert config.path == "sessions"
    assert config.default_timezone == "America/New_York"
    assert config.past_days == 180
    assert config.uid_domain == "sessions.example.org"
    assert config.site_url == "https://sessions.example.org"
    assert config.organizer == "Our Site"
    assert config.prodid == "-//Our Site//info_sessions plugin//EN"
    assert config.today == date(2026, 11, 23)
    assert config.today_start == datetime(2026, 11, 23, tzinfo=ZoneInfo("America/New_York"))
    assert config.feed_all == "calendar/all.ics"


def test_settings_override_defaults() -> None:
    config = SessionSettings.from_settings(
        {**SITE, "INFO_SESSIONS_UID_DOMAIN": "example.org", "INFO_SESSIONS_PAST_DAYS": 30}
    )
    assert (config.uid_domain, config.past_days) == ("example.org", 30)


def test_every_bad_setting_is_reported_together() -> None:
    with pytest.raises(SessionContentError) as caught:
        SessionSettings.from_settings(
            {
                **SITE,
                "SITE_TODAY": "23/11/2026",
                "INFO_SESSIONS_DEFAULT_TIMEZONE": "Eastern",
                "INFO_SESSIONS_PAST_DAYS": "many",
                "INFO_SESSIONS_REFRESH": 6,
                "SITE_ABSOLUTE_URL": "",
            }
        )
    assert caught.value.problems == [
        "pelicanconf.py: INFO_SESSIONS_REFRESH: 6: unknown; did you mean "
        "INFO_SESSIONS_REFRESH_HOURS?",
        "pelicanconf.py: INFO_SESSIONS_DEFAULT_TIMEZONE: 'Eastern': unknown time zone; use an "
        "IANA name such as 'America/New_York' (did you mean 'US/Eastern'?)",
        "pelicanconf.py: INFO_SESSIONS_PAST_DAYS: 'many': must be a whole number",
        "pelicanconf.py: SITE_ABSOLUTE_URL: '': feeds need an absolute http(s) address, e.g. "
        "https://example.org",
        "pelicanconf.py: SITE_TODAY: '23/11/2026': not a date; write it as YYYY-MM-DD",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [("sessions/", "sessions/index.html"), ("", "index.html"), ("a.ics", "a.ics")],
)
def test_save_as(url: str, expected: str) -> None:
    assert save_as(url) == expected
