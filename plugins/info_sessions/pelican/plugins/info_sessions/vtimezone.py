"""VTIMEZONE components written with yearly RRULEs, covering only a given span of time.

icalendar's ``Timezone.from_tzid`` lists every change as an RDATE and starts with a
placeholder observance; some clients misread such lists by an hour around DST changes. Here
the zone's changes are found with zoneinfo, grouped into yearly rules ("second Sunday of
March at 02:00"), and each rule is written once with an RRULE.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How far before the span to look for the change that set the offset in force at its start.
LOOKBACK = timedelta(days=366)


@dataclass(frozen=True)
class Transition:
    """A change of UTC offset (or of zone abbreviation) at one instant."""

    at: datetime  # UTC
    offset_from: timedelta
    offset_to: timedelta
    name: str
    dst: bool

    @property
    def onset(self) -> datetime:
        """Local wall-clock time of the change, in the offset before it (RFC 5545 DTSTART)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def rule(self) -> tuple[int, int, int, time]:
        """(month, nth weekday of the month or -1 for the last, weekday, local time)."""
        onset = self.onset
        days = calendar.monthrange(onset.year, onset.month)[1]
        nth = -1 if onset.day + 7 > days else (onset.day - 1) // 7 + 1
        return onset.month, nth, onset.weekday(), onset.time()


def wall_clock_is_unique(value: datetime) -> bool:
    """True when the wall-clock time of ``value`` names exactly one instant in its zone;
    False in the hour repeated when clocks go back (a fold) and in the hour skipped when
    they go forward (a gap): there the offset depends on ``fold``, which a written
    ``TZID=...:20271107T013000`` cannot carry."""
    return value.replace(fold=0).utcoffset() == value.replace(fold=1).utcoffset()


def _state(zone: ZoneInfo, seconds: int) -> tuple[timedelta, str, bool]:
    local = datetime.fromtimestamp(seconds, tz=UTC).astimezone(zone)
    return local.utcoffset(), local.tzname() or "", bool(local.dst())


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[Transition]:
    """Every change of offset or abbreviation in ``zone`` between two aware instants."""
    found = []
    low, high = int(start.timestamp()), int(end.timestamp())
    day = 86400
    current = _state(zone, low)
    at = low
    while at < high:
        following = min(at + day, high)
        state = _state(zone, following)
        if state != current:
            before, after = at, following  # _state(before) == current != _state(after)
            while after - before > 1:
                middle = (before + after) // 2
                if _state(zone, middle) == current:
                    before = middle
                else:
                    after = middle
            found.append(
                Transition(
                    at=datetime.fromtimestamp(after, tz=UTC),
                    offset_from=current[0],
                    offset_to=state[0],
                    name=state[1],
                    dst=state[2],
                )
            )
            current = state
        at = following
    return found


class ZoneTransitions:
    """Changes of each zone found once per calendar year and kept for one build.

    A build writes a VTIMEZONE into every .ics file, and the files' spans overlap: scanning
    each span again was a tenth of the build. A year's changes never depend on the span that
    asked for them, so the files built from this cache are the same bytes.
    """

    def __init__(self) -> None:
        self._years: dict[tuple[str, int], tuple[Transition, ...]] = {}

    def between(self, tzid: str, start: datetime, end: datetime) -> list[Transition]:
        """What ``transitions`` returns for the zone, read from whole years."""
        zone = ZoneInfo(tzid)
        found: list[Transition] = []
        for year in range(start.astimezone(UTC).year, end.astimezone(UTC).year + 1):
            found += [change for change in self._year(tzid, zone, year) if start < change.at <= end]
        return found

    def _year(self, tzid: str, zone: ZoneInfo, year: int) -> tuple[Transition, ...]:
        key = (tzid, year)
        if key not in self._years:
            low = datetime(year, 1, 1, tzinfo=UTC)
            self._years[key] = tuple(transitions(zone, low, low.replace(year=year + 1)))
        return self._years[key]


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    """The nth (or with -1 the last) given weekday of a month, or None if there is none."""
    days = calendar.monthrange(year, month)[1]
    if nth < 0:
        last = date(year, month, days)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    return date(year, month, day) if day <= days else None


def _runs(changes: list[Transition]) -> list[list[Transition]]:
    """Split changes into runs that one yearly rule describes (same rule, consecutive years)."""

    def key(change: Transition) -> tuple:
        return (change.dst, change.offset_from, change.offset_to, change.name, change.rule)

    runs: list[list[Transition]] = []
    for _, group in groupby(sorted(changes, key=lambda c: (key(c), c.at)), key=key):
        for change in group:
            if (
                runs
                and key(runs[-1][-1]) == key(change)
                and (runs[-1][-1].onset.year + 1 == change.onset.year)
            ):
                runs[-1].append(change)
            else:
                runs.append([change])
    return sorted(runs, key=lambda run: run[0].at)


def _observance(first: Transition, rrule: vRecur | None) -> TimezoneStandard | TimezoneDaylight:
    component = TimezoneDaylight() if first.dst else TimezoneStandard()
    component.add("tzname", first.name)
    component.add("tzoffsetfrom", first.offset_from)
    component.add("tzoffsetto", first.offset_to)
    component.add("dtstart", first.onset)
    if rrule is not None:
        component.add("rrule", rrule)
    else:
        # The same onset again: RFC 5545 counts DTSTART as the first onset anyway, but
        # Home Assistant's reader (ical) takes onsets only from RRULE and RDATE, and would
        # read an observance with neither as UTC.
        component.add("rdate", first.onset)
    return component


@dataclass(frozen=True)
class Rule:
    """One yearly rule of a VTIMEZONE: its first change, when it recurs, and its last
    onset when the rule stops inside the span (the zone's rules change), else None."""

    first: Transition
    month: int
    nth: int  # the nth weekday of the month, -1 for the last
    weekday: int  # 0 for Monday
    until: datetime | None


@dataclass(frozen=True)
class ZonePlan:
    """Everything a VTIMEZONE's bytes depend on: files whose spans hold the same changes of
    a zone share one plan, so a build serialises each distinct VTIMEZONE once."""

    tzid: str
    initial: Transition | None  # the offset in force at the start, when no change set it
    rules: tuple[Rule, ...]


def zone_plan(
    tzid: str, start: datetime, end: datetime, known: ZoneTransitions | None = None
) -> ZonePlan:
    """The plan of a VTIMEZONE for ``tzid`` valid from ``start`` to ``end`` (aware
    datetimes); pass ``known`` to reuse the changes found for earlier files of the build."""
    zone = ZoneInfo(tzid)
    if known is None:
        changes = transitions(zone, start - LOOKBACK, end)
    else:
        changes = known.between(tzid, start - LOOKBACK, end)
    before = [change for change in changes if change.at <= start]
    changes = before[-1:] + [change for change in changes if change.at > start]
    initial = None
    if not changes or changes[0].at > start:
        offset, name, dst = _state(zone, int(start.timestamp()))
        midnight = datetime.combine(start.astimezone(zone).date(), time())
        initial = Transition(midnight.replace(tzinfo=UTC) - offset, offset, offset, name, dst)
    rules = []
    for run in _runs(changes):
        first, last = run[0], run[-1]
        month, nth, weekday, _ = first.rule
        following = nth_weekday(last.onset.year + 1, month, nth, weekday)
        stops = following is None or datetime.combine(following, last.onset.time()) <= (
            end + last.offset_from
        ).replace(tzinfo=None)
        rules.append(Rule(first, month, nth, weekday, last.at if stops else None))
    return ZonePlan(tzid, initial, tuple(rules))


def plan_component(plan: ZonePlan) -> Timezone:
    """The VTIMEZONE component that ``plan`` describes."""
    result = Timezone()
    result.add("tzid", plan.tzid)
    if plan.initial is not None:
        result.add_component(_observance(plan.initial, None))
    for rule in plan.rules:
        day = f"{rule.nth}{_WEEKDAYS[rule.weekday]}"
        recur = vRecur({"FREQ": "YEARLY", "BYMONTH": rule.month, "BYDAY": day})
        if rule.until is not None:
            recur["UNTIL"] = rule.until
        result.add_component(_observance(rule.first, recur))
    return result


def vtimezone(
    tzid: str, start: datetime, end: datetime, known: ZoneTransitions | None = None
) -> Timezone:
    """A VTIMEZONE for ``tzid`` valid from ``start`` to ``end`` (aware datetimes); pass
    ``known`` to reuse the changes found for earlier files of the same build."""
    return plan_component(zone_plan(tzid, start, end, known))
