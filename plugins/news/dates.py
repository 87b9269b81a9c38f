"""Dates of news items.

A news file's ``Date:`` is the date its source gives, and pages show it. When the source gives
none, the file has no ``Date:``; Pelican still needs one to order items and to write the Atom
feed, so the item is dated by the site's own publication record: the commit that added the
file (``date``) and its last commit (``modified``). A file not committed yet gets the start of
``SITE_TODAY`` in the site's time zone. Never the build's clock, so builds are deterministic.
Templates tell the two apart by ``article.date_from_source``.

``settings_problems`` checks the two settings this reads, SITE_TODAY and TIMEZONE, before
anything is read (a Problem each, raised in the info-sessions plugin's ContentError).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pelican.contents import Article
from pelican.plugins.info_sessions.history import commit_times
from pelican.plugins.info_sessions.problems import Problem
from pelican.plugins.info_sessions.zones import pinned_zone, zone_problem


def settings_problems(settings: dict[str, Any]) -> list[Problem]:
    """What is wrong with SITE_TODAY (a date, YYYY-MM-DD) and TIMEZONE (a zone of the
    pinned tzdata)."""
    problems = []
    today = settings.get("SITE_TODAY")
    try:
        date.fromisoformat(str(today))
    except ValueError:
        problems.append(
            Problem(
                "pelicanconf.py", "SITE_TODAY", today, "write it as YYYY-MM-DD, e.g. 2026-11-23"
            )
        )
    zone = str(settings.get("TIMEZONE") or "UTC")
    trouble = zone_problem(zone)
    if trouble:
        problems.append(Problem("pelicanconf.py", "TIMEZONE", zone, trouble))
    return problems


def start_of_today(settings: dict[str, Any]) -> datetime:
    """Midnight at the start of SITE_TODAY in the site's time zone."""
    day = date.fromisoformat(str(settings["SITE_TODAY"]))
    zone = pinned_zone(settings.get("TIMEZONE") or "UTC")
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def date_news_item(content: Any) -> None:
    """Give a news item without ``Date:`` its publication dates from git (see the module)."""
    if not isinstance(content, Article):
        return
    content.date_from_source = hasattr(content, "date")
    if content.date_from_source:
        return
    times = commit_times(content.source_path)
    zone = pinned_zone(content.settings.get("TIMEZONE") or "UTC")
    if times:
        content.date = times[-1].astimezone(zone)
        content.modified = times[0].astimezone(zone)
    else:
        content.date = start_of_today(content.settings)
