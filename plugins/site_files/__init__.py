"""Site files plugin: sitemap.xml, robots.txt, the build's source map, stable empty feeds."""

from __future__ import annotations

from pelican import signals

from site_files.writer import pin_empty_feed_date, write_robots_and_sitemap, write_source_map

__all__ = ["register"]


def register() -> None:
    """Connect the plugin."""
    # The source map needs every content object, which exist once all contexts are built;
    # the sitemap lists the files actually written, so it runs once the build is finished.
    signals.all_generators_finalized.connect(write_source_map)
    signals.finalized.connect(write_robots_and_sitemap)
    # feed_generated hands over each feed before it is written: an empty one gets a fixed date.
    signals.feed_generated.connect(pin_empty_feed_date)
