"""Dates of news items.

A news file's ``Date:`` is the date its source gives, and pages show it. When the source gives
none, the file has no ``Date:``; Pelican still needs one to order items and to write the Atom
feed, so the item is dated by the site's own publication record: the commit that added the
file (``date``) and its last commit (``modified``). A file not committed yet gets the start of
``SITE_TODAY`` in the site's time zone. Never the build's clock, so builds are deterministic.
Templates tell the two apart by ``article.date_from_source``.
"""

from __future__ import annotations

import logging
import os
import subprocess
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pelican.contents import Article

logger = logging.getLogger(__name__)


def commit_times(path: str) -> list[datetime]:
    """Commit times of the file at ``path``, newest first; [] outside git or uncommitted."""
    command = ["git", "-C", os.path.dirname(path) or ".", "log", "--format=%ct", "--", path]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        logger.debug("news: no git history for %s (%s)", path, error)
        return []
    return [
        datetime.fromtimestamp(int(line), tz=UTC)
        for line in result.stdout.split()
        if line.isdigit()
    ]


def start_of_today(settings: dict[str, Any]) -> datetime:
    """Midnight at the start of SITE_TODAY in the site's time zone."""
    day = date.fromisoformat(str(settings["SITE_TODAY"]))
    zone = ZoneInfo(settings.get("TIMEZONE") or "UTC")
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def date_news_item(content: Any) -> None:
    """Give a news item without ``Date:`` its publication dates from git (see the module)."""
    if not isinstance(content, Article):
        return
    content.date_from_source = hasattr(content, "date")
    if content.date_from_source:
        return
    times = commit_times(content.source_path)
    zone = ZoneInfo(content.settings.get("TIMEZONE") or "UTC")
    if times:
        content.date = times[-1].astimezone(zone)
        content.modified = times[0].astimezone(zone)
    else:
        content.date = start_of_today(content.settings)
