"""News plugin: a news item shows only a date its source gives; feeds date it from git."""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.plugins.info_sessions.problems import ContentError

from news.dates import date_news_item, settings_problems

__all__ = ["register"]


def check_settings(pelican: Any) -> None:
    """Refuse the build when SITE_TODAY or TIMEZONE cannot date an item."""
    problems = settings_problems(pelican.settings)
    if problems:
        raise ContentError(problems)


def register() -> None:
    """Connect the plugin."""
    # initialized comes before anything is read; content_object_init runs at the end of every
    # Content's __init__, before the articles generator checks that an article has its
    # mandatory date.
    signals.initialized.connect(check_settings)
    signals.content_object_init.connect(date_news_item)
