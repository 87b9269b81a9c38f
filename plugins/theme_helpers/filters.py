"""Jinja filters used by the theme."""

from __future__ import annotations

from datetime import date, datetime

from markupsafe import Markup
from pelican.plugins.info_sessions.display import long_date as _long_date


def long_date(value: date | datetime) -> str:
    """'23 November 2026': the info-sessions plugin's long date, without the weekday."""
    return _long_date(value, weekday=False)


def iso_date(value: date | datetime) -> str:
    """'2026-11-23', for <time datetime>."""
    return value.strftime("%Y-%m-%d")


def plain_text(value: str) -> str:
    """Text of an HTML fragment, tags removed and entities decoded."""
    return Markup(value).striptags()


FILTERS = {"long_date": long_date, "iso_date": iso_date, "plain_text": plain_text}
