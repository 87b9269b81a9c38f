"""Programs plugin: program pages with curriculum tables, quotes, and the people page."""

from __future__ import annotations

from pelican import signals

from programs.generator import ProgramsGenerator
from programs.settings import apply_defaults

__all__ = ["register"]


def get_generators(pelican: object) -> type[ProgramsGenerator]:
    """Hand Pelican our generator."""
    return ProgramsGenerator


def register() -> None:
    """Connect the plugin: defaults once settings exist, then our generator."""
    # `initialized` runs before any generator is made, so settings defaults are in place;
    # `get_generators` adds a generator that reads programs after articles (news) exist.
    signals.initialized.connect(apply_defaults)
    signals.get_generators.connect(get_generators)
