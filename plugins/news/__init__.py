"""News plugin: a news item shows only a date its source gives; feeds date it from git."""

from __future__ import annotations

from pelican import signals

from news.dates import date_news_item

__all__ = ["register"]


def register() -> None:
    """Connect the plugin."""
    # content_object_init runs at the end of every Content's __init__, before the articles
    # generator checks that an article has its mandatory date.
    signals.content_object_init.connect(date_news_item)
