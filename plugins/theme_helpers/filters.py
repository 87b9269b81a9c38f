"""Jinja filters used by the theme."""

from __future__ import annotations

from datetime import date, datetime

from markupsafe import Markup


def long_date(value: date | datetime) -> str:
    """'23 November 2026' (no leading zero, locale-independent)."""
    return f"{value.day} {value:%B %Y}"


def iso_date(value: date | datetime) -> str:
    """'2026-11-23', for <time datetime>."""
    return value.strftime("%Y-%m-%d")


def plain_text(value: str) -> str:
    """Text of an HTML fragment, tags removed and entities decoded."""
    return Markup(value).striptags()


FILTERS = {"long_date": long_date, "iso_date": iso_date, "plain_text": plain_text}
