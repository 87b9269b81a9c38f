"""Plugin settings: defaults, derived values, and every bad setting reported at once."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.info_sessions.problems import ContentError
from pelican.plugins.info_sessions.settings import SessionSettings, save_as

SITE = {
    "SITENAME": "Our Site",
    "SITEURL": "https://sessions.example.org/",
    "TIMEZONE": "America/New_York",
    "INFO_SESSIONS_TODAY": "2026-11-23",
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


def test_only_pelican_settings_and_its_own_are_read() -> None:
    """SITEURL gives the absolute address unless INFO_SESSIONS_SITE_URL says otherwise (a
    site with root-relative links); the default time zone is TIMEZONE."""
    config = SessionSettings.from_settings(
        {
            **SITE,
            "SITEURL": "",
            "TIMEZONE": "Europe/London",
            "INFO_SESSIONS_SITE_URL": "https://www.example.org",
            "SITE_TODAY": "1999-01-01",  # another plugin's setting: not read
            "SITE_ABSOLUTE_URL": "https://elsewhere.example",
        }
    )
    assert config.site_url == "https://www.example.org"
    assert config.uid_domain == "www.example.org"
    assert config.default_timezone == "Europe/London"
    assert config.today == date(2026, 11, 23)
    assert config.require_program is False


def test_every_bad_setting_is_reported_together() -> None:
    with pytest.raises(ContentError) as caught:
        SessionSettings.from_settings(
            {
                **SITE,
                "INFO_SESSIONS_TODAY": "23/11/2026",
                "INFO_SESSIONS_DEFAULT_TIMEZONE": "Eastern",
                "INFO_SESSIONS_PAST_DAYS": "many",
                "INFO_SESSIONS_REFRESH": 6,
                "SITEURL": "",
            }
        )
    assert [str(problem) for problem in caught.value.problems] == [
        "pelicanconf.py: INFO_SESSIONS_REFRESH: 6: unknown; did you mean "
        "INFO_SESSIONS_REFRESH_HOURS?",
        "pelicanconf.py: INFO_SESSIONS_DEFAULT_TIMEZONE: 'Eastern': unknown time zone; use an "
        "IANA name such as 'America/New_York' (did you mean 'US/Eastern'?)",
        "pelicanconf.py: INFO_SESSIONS_PAST_DAYS: 'many': must be a whole number from 0 to 36500",
        "pelicanconf.py: SITEURL: '': feeds need the site's absolute http(s) address, e.g. "
        "https://example.org; set SITEURL, or INFO_SESSIONS_SITE_URL when SITEURL is relative",
        "pelicanconf.py: INFO_SESSIONS_TODAY: '23/11/2026': not a date; write it as YYYY-MM-DD",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [("sessions/", "sessions/index.html"), ("", "index.html"), ("a.ics", "a.ics")],
)
def test_save_as(url: str, expected: str) -> None:
    assert save_as(url) == expected
