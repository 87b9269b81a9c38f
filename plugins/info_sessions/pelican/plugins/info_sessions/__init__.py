"""Info sessions plugin: session files, calendar pages and iCalendar feeds."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import SessionsGenerator

__all__ = ["register"]


def get_generators(pelican: object) -> type[SessionsGenerator]:
    """Hand Pelican our generator."""
    return SessionsGenerator


def finalize_sessions(generators: list[Any]) -> None:
    """Check sessions against the programs and share them, once every context exists."""
    programs: dict[str, Any] = {}
    for generator in generators:
        programs = generator.context.get("programs_by_slug", programs)
    for generator in generators:
        if isinstance(generator, SessionsGenerator):
            generator.finalize(programs)


def register() -> None:
    """Connect the plugin."""
    # get_generators adds our generator; generators run in no guaranteed order, so program
    # slugs are checked in all_generators_finalized, when the programs context exists.
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(finalize_sessions)
