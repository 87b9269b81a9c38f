"""Settings of the programs plugin: every name starts with PROGRAMS_."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "PROGRAMS_PATH": "programs",
    "PROGRAMS_QUOTES_PATH": "quotes",
    "PROGRAMS_FIGURES_FILE": "figures.toml",
    "PROGRAMS_PAGE_URL": "programs/{slug}/",
    "PROGRAMS_PAGE_SAVE_AS": "programs/{slug}/index.html",
    "PROGRAMS_INDEX_URL": "programs/",
    "PROGRAMS_INDEX_SAVE_AS": "programs/index.html",
    # A program with a curriculum file gets a page of its courses' aims and its schedules.
    "PROGRAMS_CURRICULUM_URL": "programs/{slug}/curriculum/",
    "PROGRAMS_CURRICULUM_SAVE_AS": "programs/{slug}/curriculum/index.html",
    "PROGRAMS_COMPARE_URL": "programs/compare/",
    "PROGRAMS_COMPARE_SAVE_AS": "programs/compare/index.html",
    "PROGRAMS_PEOPLE_URL": "people/",
    "PROGRAMS_PEOPLE_SAVE_AS": "people/index.html",
    # The People page's groups, in the order shown: {id: heading}. Every quote's `Group:`
    # names one id; the site's own groups are declared in pelicanconf.py.
    "PROGRAMS_PEOPLE_GROUPS": {},
}


def apply_defaults(pelican: Any) -> None:
    """Fill in every PROGRAMS_ setting the site's settings file leaves out."""
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
