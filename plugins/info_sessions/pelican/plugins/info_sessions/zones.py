"""Time zones from the installed tzdata package only, never from the build machine's zone files.

zoneinfo looks in the system's zone folder (``zoneinfo.TZPATH``) before the tzdata package,
so one name can mean different rules on two machines, and names such as ``localtime`` (the
machine's own zone) or ``posixrules`` exist only there. ``use_pinned_tzdata`` empties that
search path for the process, so every ZoneInfo the build makes (the plugin's, Pelican's and
icalendar's) comes from the tzdata version the site pins; ``zone_problem`` accepts only the
names that tzdata provides. The plugin takes every zone it reads (TIMEZONE, its settings,
a session's Timezone) through ``pinned_zone``; a site may use the same functions for its own.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import zoneinfo

import tzdata

TZDATA_VERSION: str = tzdata.IANA_VERSION
# In tzdata, but the time of no place: the zone of a machine whose zone was never set.
NOT_PLACES = frozenset({"Factory"})
# Names that mean "whatever this computer is set to".
MACHINE_ZONES = frozenset({"localtime", "posixrules", "factory", "posix", "right"})


class UnknownZoneError(ValueError):
    """A time zone name the build does not accept; the message says why and what to use."""


def use_pinned_tzdata() -> None:
    """Make every ZoneInfo of this process come from the tzdata package (safe to repeat)."""
    if zoneinfo.TZPATH:
        zoneinfo.reset_tzpath(to=())
        zoneinfo.ZoneInfo.clear_cache()  # forget zones already loaded from the system


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every zone name the pinned tzdata provides, sorted (Factory left out)."""
    text = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip()}
    return tuple(sorted(names - NOT_PLACES))


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zone_names())


def _is_path(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", ".", "~")) or "\\" in name or ".." in parts or "" in parts


def zone_problem(name: str, example: str = "America/New_York") -> str | None:
    """Why ``name`` cannot be used as a time zone (text for "field: value: <this>"), or None
    when the pinned tzdata provides it."""
    if name in _known():
        return None
    last = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower()
    if name.lower() in MACHINE_ZONES or last in ("localtime", "posixrules") or name in NOT_PLACES:
        return (
            "means this computer's own time zone, so two machines would build different "
            f"times; name the zone instead, e.g. '{example}'"
        )
    if _is_path(name):
        return f"is a file path, not a time zone name; use an IANA name such as '{example}'"
    guess = difflib.get_close_matches(name, zone_names(), n=1)
    hint = (
        f" (did you mean '{guess[0]}'?)"
        if guess
        else f" (the build knows only the zones of the pinned tzdata {TZDATA_VERSION})"
    )
    return f"unknown time zone; use an IANA name such as '{example}'{hint}"


def pinned_zone(name: str, example: str = "America/New_York") -> zoneinfo.ZoneInfo:
    """The zone ``name`` from the pinned tzdata; raises :class:`UnknownZoneError` with the
    reason when tzdata does not provide it."""
    problem = zone_problem(name, example)
    if problem is not None:
        raise UnknownZoneError(problem)
    use_pinned_tzdata()
    return zoneinfo.ZoneInfo(name)
