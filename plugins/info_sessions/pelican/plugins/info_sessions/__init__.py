"""Info sessions: session files become pages, a month calendar and iCalendar feeds.

A Pelican plugin (``PLUGINS = ["info_sessions"]`` once the package is installed). See the
package's README for its settings, templates and the programs a site may give it.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import SessionsGenerator
from .programs import provided
from .settings import DEFAULTS

__all__ = ["register"]

REUSE_EXTENSION = "pelican.plugins.info_sessions.fragments.ReuseExtension"


def leave_sessions_to_us(pelican: Any) -> None:
    """Pelican's article and page generators skip the sessions folder: its files are
    sessions, which they would read as articles without a date, or as pages."""
    folder = pelican.settings.get("INFO_SESSIONS_PATH", DEFAULTS["INFO_SESSIONS_PATH"])
    for name in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        excludes = list(pelican.settings.get(name) or [])
        if folder not in excludes:
            pelican.settings[name] = [*excludes, folder]


def add_reuse_tag(pelican: Any) -> None:
    """Every template environment of the build knows the ``reuse`` tag (``fragments``)."""
    jinja = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    extensions = list(jinja.get("extensions") or [])
    if REUSE_EXTENSION not in extensions:
        jinja["extensions"] = [*extensions, REUSE_EXTENSION]
        pelican.settings["JINJA_ENVIRONMENT"] = jinja


def get_generators(pelican: object) -> type[SessionsGenerator]:
    """Hand Pelican our generator."""
    return SessionsGenerator


def finalize_sessions(generators: list[Any]) -> None:
    """Check the sessions against the site's programs, once every context exists."""
    for generator in generators:
        if isinstance(generator, SessionsGenerator):
            generator.finalize(provided(generator.context))


def register() -> None:
    """Connect the plugin."""
    # initialized comes before any generator exists: Pelican's own then skip our folder.
    # get_generators adds our generator. Generators run in no guaranteed order, so the
    # programs a site gives are read in all_generators_finalized, when every context exists.
    signals.initialized.connect(leave_sessions_to_us)
    signals.initialized.connect(add_reuse_tag)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(finalize_sessions)
