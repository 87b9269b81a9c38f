"""Wall-clock times a session's zone skips or repeats (``bounded.wall_clock`` reads them).

A session's times are written as wall-clock times ("2027-03-09 18:00") of its zone. Where
clocks go forward an hour is skipped, and where they go back one happens twice: such a time
names no instant, or two, and is refused with a message saying which and what to choose.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .vtimezone import wall_clock_is_unique


def hhmm(delta: timedelta) -> str:
    """'1 hour', '2 hours', '30 minutes', '1 h 30 min'."""
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} hour{'s' if hours != 1 else ''}" if hours else f"{minutes} minutes"


def local_time_problem(naive: datetime, zone: ZoneInfo) -> str | None:
    """Why a wall-clock time cannot be used in ``zone`` (DST gap or fold), or None."""
    early = naive.replace(tzinfo=zone, fold=0)
    if wall_clock_is_unique(early):
        return None
    offset_early, offset_late = early.utcoffset(), early.replace(fold=1).utcoffset()
    shift = hhmm(offset_early - offset_late)
    round_trip = early.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        return (
            f"does not exist in {zone.key}: clocks go forward {shift} that night and skip "
            f"this time; choose a time at least {shift} earlier or later"
        )
    return (
        f"is ambiguous in {zone.key}: clocks go back {shift} that night, so it happens "
        f"twice; choose a time at least {shift} earlier or later"
    )
