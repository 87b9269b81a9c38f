"""Bounded parsers: every whole number, duration and wall-clock time that content gives.

Each parser refuses a value outside its bounds before doing arithmetic with it, so no input
reaches Python's own limits (the 4,300-digit limit of ``int(str)``, the C ints of
``timedelta``, the years 1 to 9999 of ``datetime``) and fails there without a file or a
field. Each returns None (or raises :class:`OutOfBounds` with a message that says which
bound) and leaves the wording of the problem to its caller, which knows the file and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_DIGITS = re.compile(r"^[0-9]+$", re.ASCII)
_DURATION = re.compile(r"^(?:([0-9]+)\s*h)?\s*(?:([0-9]+)\s*m(?:in)?)?$", re.ASCII)
_DATETIME = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{1,2}):([0-9]{2})$", re.ASCII)
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$", re.ASCII)
# Years any date may have before a window around today is applied: well inside datetime's
# 1 to 9999, so that converting a time to any zone (up to a day either way) cannot overflow.
MIN_YEAR, MAX_YEAR = 1900, 2999


class OutOfBoundsError(ValueError):
    """A value that is well formed but outside its bounds; the message says which."""


def whole_number(raw: str, maximum: int) -> int | None:
    """``raw`` (ASCII digits only) as an int from 0 to ``maximum``; None when it is not a
    whole number. Raises :class:`OutOfBoundsError` when it is larger than ``maximum``,
    judged by its digits before any conversion."""
    text = raw.strip()
    if not _DIGITS.match(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise OutOfBoundsError(f"more than {maximum}")
    return int(digits)


def duration(raw: str, maximum: timedelta) -> timedelta | None:
    """'90m', '1h', '1h30m', '1h 30m' as a timedelta; None when it is not a duration. Raises
    :class:`OutOfBoundsError` when its hours or minutes alone pass ``maximum`` (judged by
    their digits first); a total just over it is returned, for the caller to say by how
    much."""
    match = _DURATION.match(raw.strip().lower())
    if not match or not any(match.groups()):
        return None
    limit_minutes = int(maximum.total_seconds() // 60)
    try:
        hours = whole_number(match.group(1) or "0", max(limit_minutes // 60, 1) * 100)
        minutes = whole_number(match.group(2) or "0", max(limit_minutes, 1) * 100)
    except OutOfBoundsError:
        raise OutOfBoundsError(f"longer than {maximum}") from None
    return timedelta(hours=hours or 0, minutes=minutes or 0)


def wall_clock(raw: str) -> datetime | None:
    """'YYYY-MM-DD HH:MM' as a naive datetime; None when it is not one (or not a real
    date). Raises :class:`OutOfBoundsError` for a year outside MIN_YEAR to MAX_YEAR."""
    match = _DATETIME.match(raw.strip())
    if not match:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise OutOfBoundsError(f"the year {year} is not between {MIN_YEAR} and {MAX_YEAR}")
    try:
        return datetime(year, month, day, hour, minute)  # noqa: DTZ001 - zone added by caller
    except ValueError:
        return None


def calendar_date(raw: str) -> date | None:
    """'YYYY-MM-DD' as a date; None when it is not one. Raises :class:`OutOfBoundsError`
    for a year outside MIN_YEAR to MAX_YEAR."""
    if not _DATE.match(raw.strip()):
        return None
    found = wall_clock(f"{raw.strip()} 00:00")
    return found.date() if found is not None else None


@dataclass(frozen=True)
class DateWindow:
    """The days a session may start on: from ``earliest`` to ``latest`` (both included),
    set around "today" by INFO_SESSIONS_START_PAST_DAYS and INFO_SESSIONS_START_FUTURE_DAYS."""

    earliest: date
    latest: date

    @classmethod
    def around(cls, today: date, past_days: int, future_days: int) -> DateWindow:
        """The window from ``past_days`` before ``today`` to ``future_days`` after it."""
        return cls(today - timedelta(days=past_days), today + timedelta(days=future_days))

    def holds(self, day: date) -> bool:
        """Whether ``day`` is inside the window."""
        return self.earliest <= day <= self.latest
