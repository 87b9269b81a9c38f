"""Theme helpers plugin: Jinja filters, so templates only loop and branch."""

from __future__ import annotations

from pelican import signals

from theme_helpers.filters import FILTERS

__all__ = ["register"]


def add_filters(generator: object) -> None:
    """Make our filters available in every generator's Jinja environment."""
    generator.env.filters.update(FILTERS)


def register() -> None:
    """Connect the plugin."""
    # generator_init fires for every generator once its Jinja environment exists.
    signals.generator_init.connect(add_filters)
