"""Jinja filters used by the theme."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from markupsafe import Markup
from pelican.plugins.info_sessions.display import long_date as _long_date
from pelican.plugins.info_sessions.display import month_name, weekday_name

from theme_helpers.contents import with_contents


def long_date(value: date | datetime) -> str:
    """'23 November 2026': the info-sessions plugin's long date, without the weekday."""
    return _long_date(value, weekday=False)


def iso_date(value: date | datetime) -> str:
    """'2026-11-23', for <time datetime>."""
    return value.strftime("%Y-%m-%d")


def plain_text(value: str) -> str:
    """Text of an HTML fragment, tags removed and entities decoded."""
    return Markup(value).striptags()


def taking_place(items: Iterable[Any]) -> list[Any]:
    """The sessions of ``items`` that take place (not cancelled or postponed), in order."""
    return [item for item in items if item.status.happening]


FILTERS = {
    "long_date": long_date,
    "iso_date": iso_date,
    "weekday_name": weekday_name,
    "month_name": month_name,
    "plain_text": plain_text,
    "taking_place": taking_place,
    "with_contents": with_contents,
}
