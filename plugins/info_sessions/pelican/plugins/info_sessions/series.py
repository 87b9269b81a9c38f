"""Series: one session file for many dates, expanded at build time into ordinary sessions.

A file with a ``Repeat`` line is a series. It is validated as a single session would be
(validation.py), which gives the session of its first date (``Start``); ``expand`` then
reads ``Repeat`` into a ``Rule``, lists the dates the rule gives up to ``Until`` or
``Count``, applies ``Skip``, ``Cancel`` and ``Move``, and returns one Session per date,
each with its own page, .ics and UID (``<file name>-YYYYMMDD@<domain>``, from the date the
rule gave, so a moved date keeps it), or every problem found. Nothing after this module
knows a session came from a series, except the link from its page to the series page.

Every date keeps the wall-clock time of ``Start`` in the series' zone: noon stays noon
across clock changes. A date whose time the zone skips or repeats that night is refused,
as for a single session, unless it is skipped or moved. ``monthly on day 29``, ``30`` or
``31`` has no session in a month without that day: the month is skipped, as calendar apps
do with such a rule (RFC 5545), and ``make check`` names the months.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from . import bounded
from .display import MONTHS, WEEKDAYS
from .headers import Header
from .model import Series, Session, Status
from .problems import Problem
from .settings import SessionSettings, save_as
from .wallclock import local_time_problem

# The fields only a series has; Repeat makes a file a series.
SERIES_FIELDS = ("Repeat", "Until", "Count", "Skip", "Cancel", "Move")
# Fields of a single session that make no sense for a series, and what to write instead.
NOT_FOR_SERIES: Mapping[str, str] = {
    "End": "a series gives its length with Duration (End names one date); write "
    "'Duration: 1h' (or 90m, 1h30m) instead",
    "Status": "a series has no single status; list cancelled dates in 'Cancel:' and dates "
    "that never take place in 'Skip:'",
}
# Most dates one file may give (Skip included): a weekly series for about two years. A
# longer series is almost always a typo in Until or Count, and would fill every list.
MAX_OCCURRENCES = 100
REPEAT_FORMS = (
    "weekly",
    "every N weeks",
    "monthly on the first|second|third|fourth|last <weekday>",
    "monthly on day N",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_WEEKLY = re.compile(r"^(?:weekly|every (\d{1,2}) weeks?)$")
_MONTHLY_WEEKDAY = re.compile(rf"^monthly on the ({'|'.join(_ORDINALS)}) ({'|'.join(_WEEKDAYS)})$")
_MONTHLY_DAY = re.compile(r"^monthly on day (\d{1,2})$")
_MOVE = re.compile(r"^(\S+)\s+to\s+(.+)$")


@dataclass(frozen=True)
class Rule:
    """How a series repeats: every ``weeks`` weeks, on the ``nth`` ``weekday`` of each
    month (-1: the last), or on ``day`` of each month; exactly one of the three is set."""

    weeks: int = 0
    nth: int = 0
    weekday: int = 0
    day: int = 0

    def gives(self, day: date) -> bool:
        """Whether ``day`` is a date of this rule's kind (the series' first date must be)."""
        if self.weeks:
            return True
        if self.day:
            return day.day == self.day
        return day.weekday() == self.weekday and day == _nth_weekday(
            day.year, day.month, self.nth, self.weekday
        )

    def dates(self, first: date) -> Iterator[date]:
        """Every date of the rule from ``first`` on (without end)."""
        if self.weeks:
            step = timedelta(weeks=self.weeks)
            current = first
            while current <= date.max - step:  # the last date Python can hold
                yield current
                current += step
            yield current
            return
        year, month = first.year, first.month
        while year <= date.max.year:
            if self.day:
                if self.day <= calendar.monthrange(year, month)[1]:
                    yield date(year, month, self.day)
            else:
                yield _nth_weekday(year, month, self.nth, self.weekday)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def schedule(self) -> str:
        """When the series meets, for pages: 'every week', 'every 2 weeks', 'on the first
        Tuesday of each month', 'on day 31 of each month that has one'."""
        if self.weeks:
            return "every week" if self.weeks == 1 else f"every {self.weeks} weeks"
        if self.day:
            return f"on day {self.day} of each month" + (" that has one" if self.day > 28 else "")
        return f"on {self.describe().removesuffix(' of its month')} of each month"

    def describe(self) -> str:
        """What a date of the rule is, for problems: 'the first Tuesday of its month'."""
        if self.weeks:
            return "any day"
        if self.day:
            return f"day {self.day} of its month"
        ordinal = next(name for name, number in _ORDINALS.items() if number == self.nth)
        return f"the {ordinal} {_WEEKDAYS[self.weekday].capitalize()} of its month"


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    """The ``nth`` ``weekday`` of a month (-1: the last one)."""
    days = calendar.monthrange(year, month)[1]
    if nth == -1:
        last = date(year, month, days)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def parse_repeat(raw: str) -> Rule | None:
    """A Repeat value (any case, any spacing) as a Rule; None when it is not one of
    REPEAT_FORMS."""
    text = " ".join(raw.lower().split())
    weekly = _WEEKLY.match(text)
    if weekly:
        weeks = _at_most(weekly.group(1) or "1", 52)
        return Rule(weeks=weeks) if weeks else None
    monthly = _MONTHLY_WEEKDAY.match(text)
    if monthly:
        return Rule(nth=_ORDINALS[monthly.group(1)], weekday=_WEEKDAYS.index(monthly.group(2)))
    by_day = _MONTHLY_DAY.match(text)
    day = _at_most(by_day.group(1), 31) if by_day else None
    return Rule(day=day) if day else None


def _at_most(raw: str, maximum: int) -> int | None:
    """``raw`` as a whole number from 0 to ``maximum``; None when it is not one (however
    many digits it has: they are counted before any conversion)."""
    try:
        return bounded.whole_number(raw, maximum)
    except bounded.OutOfBoundsError:
        return None


def is_series(header: Header) -> bool:
    """Whether the file describes a series (it has a Repeat line)."""
    return "Repeat" in header.values


def field_problems(header: Header) -> list[Problem]:
    """Fields used where they make no sense: series fields in a single session's file,
    and single-session fields (NOT_FOR_SERIES) in a series."""
    problems = []
    if is_series(header):
        for name, fix in NOT_FOR_SERIES.items():
            if name in header.values:
                problems.append(
                    Problem(header.path, name, header.values[name], fix, header.lines.get(name))
                )
        return problems
    for name in SERIES_FIELDS[1:]:
        if name in header.values:
            problems.append(
                Problem(
                    header.path,
                    name,
                    header.values[name],
                    "only a series has this field; add 'Repeat: ...' (e.g. 'Repeat: weekly') "
                    "to make the file a series, or remove the line",
                    header.lines.get(name),
                )
            )
    return problems


@dataclass(frozen=True)
class _Changes:
    """Skip, Cancel and Move as read: dates, and each move's new wall-clock start."""

    skip: dict[date, str]  # date -> as written
    cancel: dict[date, str]
    move: dict[date, tuple[datetime, str]]  # original date -> (naive new start, as written)


class _Expansion:
    """The problems of one series file while its dates are worked out."""

    def __init__(
        self,
        header: Header,
        base: Session | None,
        config: SessionSettings,
        first: date | None = None,
    ) -> None:
        """``base``: the first date's session; None when the file's other fields have
        problems (then only Repeat, Until and Count are checked, against the ``first``
        date when Start could be read)."""
        self.header = header
        self.base = base
        self.first = base.start.date() if base is not None else first
        self.config = config
        self.problems: list[Problem] = []

    def problem(self, name: str, value: str | None, fix: str) -> None:
        line = self.header.lines.get(name)
        self.problems.append(Problem(self.header.path, name, value, fix, line))

    def rule(self) -> Rule | None:
        raw = self.header.values["Repeat"]
        rule = parse_repeat(raw)
        if rule is None:
            forms = "; ".join(f"'{form}'" for form in REPEAT_FORMS)
            self.problem(
                "Repeat",
                raw,
                f"not a repeat rule; write one of: {forms} (e.g. 'monthly on the first "
                "Tuesday'; N weeks from 1 to 52, day N from 1 to 31)",
            )
            return None
        first = self.first
        if first is not None and not rule.gives(first):
            self.problem(
                "Start",
                self.header.values["Start"],
                f"is a {WEEKDAYS[first.weekday()]} ({first.isoformat()}), not "
                f"{rule.describe()}, as "
                f"'Repeat: {raw}' needs; Start is the series' first date: move it to the "
                "first date the rule gives",
            )
            return None
        return rule

    def end(self) -> tuple[date | None, int | None]:
        """Until (a date) or Count (a number): exactly one of them."""
        values = self.header.values
        if ("Until" in values) == ("Count" in values):
            both = "Until" in values
            self.problem(
                "Count" if both else "Until",
                values["Count"] if both else None,
                "give Until or Count, not both; remove one of the two lines"
                if both
                else "a series needs its end: add 'Until: YYYY-MM-DD' (its last date) or "
                "'Count: N' (how many dates)",
            )
            return None, None
        if "Until" in values:
            until = self.read_date("Until", values["Until"], "not a date; write it as YYYY-MM-DD")
            if until is not None and self.first is not None and until < self.first:
                self.problem(
                    "Until",
                    values["Until"],
                    f"is before Start ({self.first.isoformat()}); give the series' last date",
                )
                until = None
            return until, None
        raw = values["Count"]
        count = _at_most(raw, MAX_OCCURRENCES)
        if not count:
            self.problem(
                "Count",
                raw,
                f"must be a whole number from 1 to {MAX_OCCURRENCES}: how many dates the "
                "series has (skipped dates count)",
            )
            return None, None
        return None, count

    def dates(self, rule: Rule, until: date | None, count: int | None) -> list[date]:
        """The rule's dates from Start to Until (or Count of them); [] with a problem when
        there are more than MAX_OCCURRENCES."""
        found: list[date] = []
        for day in rule.dates(self.base.start.date()):
            if (until is not None and day > until) or len(found) == count:
                break
            if len(found) == MAX_OCCURRENCES:
                self.problem(
                    "Until",
                    self.header.values.get("Until"),
                    f"the series would have more than {MAX_OCCURRENCES} dates (the last of "
                    f"the first {MAX_OCCURRENCES} is {found[-1].isoformat()}); end it sooner, "
                    "or split it into two files",
                )
                return []
            found.append(day)
        return found

    def listed(self, name: str) -> list[str]:
        """The comma-separated items of a Skip, Cancel or Move line (none, with a problem,
        when there are more of them than a series may have dates)."""
        raw = self.header.values.get(name, "")
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if len(items) > MAX_OCCURRENCES:
            self.problem(
                name,
                raw[:60] + "...",
                f"lists {len(items)} dates; a series has {MAX_OCCURRENCES} dates at most",
            )
            return []
        return items

    def read_date(self, name: str, raw: str, fix: str) -> date | None:
        """``raw`` as a date through the shared bounded parser; None with a problem (``fix``
        when it is not a date, the bound when its year is out of range)."""
        try:
            day = bounded.calendar_date(raw)
        except bounded.OutOfBoundsError as error:
            self.problem(name, raw, f"{error}; check the year")
            return None
        if day is None:
            self.problem(name, raw, fix)
        return day

    def occurrence_date(self, name: str, raw: str, dates: list[date]) -> date | None:
        """A date of ``name``'s list that must be one of the series' ``dates``."""
        day = self.read_date(name, raw, "not a date; write each as YYYY-MM-DD, separated by commas")
        if day is None:
            return None
        if day not in dates:
            self.problem(name, raw, f"not a date of this series; {_nearest(day, dates)}")
            return None
        return day

    def changes(self, dates: list[date]) -> _Changes:
        """Skip, Cancel and Move, each date checked against the series' dates and the
        others' (a date may be in one of them only)."""
        changes = _Changes({}, {}, {})
        seen: dict[date, str] = {}
        for name, target in (("Skip", changes.skip), ("Cancel", changes.cancel)):
            for raw in self.listed(name):
                day = self.occurrence_date(name, raw, dates)
                if day is not None and self._once(name, raw, day, seen):
                    target[day] = raw
        for raw in self.listed("Move"):
            match = _MOVE.match(raw)
            try:
                new_start = bounded.wall_clock(match.group(2).strip()) if match else None
            except bounded.OutOfBoundsError as error:
                ahead = int(match.group(2).strip()[:4]) > bounded.MAX_YEAR
                self.problem(
                    "Move",
                    raw,
                    f"the new start is too far {'ahead' if ahead else 'back'} ({error}); "
                    "give a date within a year",
                )
                continue
            if match is None or new_start is None:
                self.problem(
                    "Move",
                    raw,
                    "write each move as '<date> to <new start>', e.g. '2027-05-04 to "
                    "2027-05-11 13:00' (YYYY-MM-DD to YYYY-MM-DD HH:MM), separated by commas",
                )
                continue
            day = self.occurrence_date("Move", match.group(1), dates)
            if day is not None and self._once("Move", raw, day, seen):
                changes.move[day] = (new_start, raw)
        return changes

    def _once(self, name: str, raw: str, day: date, seen: dict[date, str]) -> bool:
        if day in seen:
            self.problem(
                name,
                raw,
                f"{day.isoformat()} is also in {seen[day]}; a date may be in one of Skip, "
                "Cancel and Move only (or once in one of them)",
            )
            return False
        seen[day] = name
        return True

    def start_at(self, day: date) -> datetime | None:
        """Start's wall-clock time on ``day``, or None with a problem when the zone skips or
        repeats that time that night."""
        naive = datetime.combine(day, self.base.start.time())
        trouble = local_time_problem(naive, self.base.start.tzinfo)
        if trouble:
            self.problem(
                "Start",
                naive.strftime("%Y-%m-%d %H:%M"),
                f"the series' date {day.isoformat()} at this time {trouble}; or add "
                f"'Skip: {day.isoformat()}', or move that date ('Move: {day.isoformat()} to "
                "YYYY-MM-DD HH:MM')",
            )
            return None
        return naive.replace(tzinfo=self.base.start.tzinfo)

    def moved_to(
        self, day: date, new_start: datetime, raw: str, taken: set[date]
    ) -> datetime | None:
        """The new start of a moved date, checked: a time the zone has, on a day that is
        not another date of the series."""
        trouble = local_time_problem(new_start, self.base.start.tzinfo)
        if trouble:
            self.problem("Move", raw, f"the new start {trouble}")
            return None
        if new_start.date() in taken:
            self.problem(
                "Move",
                raw,
                f"moves {day.isoformat()} onto {new_start.date().isoformat()}, which is "
                "already a date of this series; choose another day, or skip that date "
                "first",
            )
            return None
        taken.add(new_start.date())
        return new_start.replace(tzinfo=self.base.start.tzinfo)

    def occurrence(
        self, original: date, start: datetime, status: Status, moved_from: datetime | None
    ) -> Session:
        """The session of one date: the series' fields, its own time, address and UID."""
        base = self.base
        slug = f"{base.slug}-{original.isoformat()}"
        url = self.config.page_url.format(slug=slug)
        return replace(
            base,
            slug=slug,
            start=start,
            end=(start.astimezone(UTC) + base.duration).astimezone(start.tzinfo),
            status=status,
            uid=occurrence_uid(base.uid, original),
            url=url,
            save_as=save_as(url),
            feed_path=self.config.feed_session.format(slug=slug),
            series_url=base.url,
            moved_from=moved_from,
        )


def _nearest(day: date, dates: list[date]) -> str:
    """'the nearest dates are 2027-04-06 and 2027-05-04' (or the one nearest)."""
    at = bisect.bisect_left(dates, day)
    near = [d.isoformat() for d in dates[max(at - 1, 0) : at + 1]]
    if len(near) == 1:
        return f"the nearest date is {near[0]}"
    return f"the nearest dates are {near[0]} and {near[1]}"


def occurrence_uid(base_uid: str, original: date) -> str:
    """``<name>-YYYYMMDD@<domain>`` from the series' UID (``<name>@<domain>``)."""
    name, _, domain = base_uid.partition("@")
    return f"{name}-{original:%Y%m%d}@{domain}"


def rule_problems(header: Header, first: date | None, config: SessionSettings) -> list[Problem]:
    """The problems of Repeat, Until and Count alone, for a series file whose other fields
    have problems (its dates cannot be worked out yet, but these can be checked; ``first``:
    Start's date, when it could be read)."""
    work = _Expansion(header, None, config, first)
    work.rule()
    work.end()
    return work.problems


def expand(
    base: Session, header: Header, config: SessionSettings
) -> tuple[Series | None, list[Problem]]:
    """The series of ``header`` (a file with Repeat), whose first date is ``base``: its
    sessions, or None and every problem found."""
    work = _Expansion(header, base, config)
    rule = work.rule()
    until, count = work.end()
    if rule is None or (until is None and count is None):
        return None, work.problems
    dates = work.dates(rule, until, count)
    changes = work.changes(dates)
    taken = {day for day in dates if day not in changes.skip and day not in changes.move}
    occurrences = []
    for day in dates:
        if day in changes.skip:
            continue
        planned = work.start_at(day) if day not in changes.move else None
        if day in changes.move:
            new_start, raw = changes.move[day]
            start = work.moved_to(day, new_start, raw, taken)
            moved_from = datetime.combine(day, base.start.time(), tzinfo=base.start.tzinfo)
        else:
            start, moved_from = planned, None
        if start is None:
            continue
        status = Status.CANCELLED if day in changes.cancel else Status.SCHEDULED
        occurrences.append(work.occurrence(day, start, status, moved_from))
    if work.problems:
        return None, work.problems
    if not occurrences:
        work.problem("Skip", header.values.get("Skip"), "skips every date of the series")
        return None, work.problems
    occurrences.sort(key=lambda s: (s.start.astimezone(UTC), s.uid))
    series = Series(
        slug=base.slug,
        source_path=base.source_path,
        relative_source_path=base.relative_source_path,
        title=base.title,
        repeat=header.values["Repeat"],
        schedule=rule.schedule(),
        url=base.url,
        save_as=base.save_as,
        feed_path=base.feed_path,
        occurrences=tuple(occurrences),
        skipped=tuple(sorted(changes.skip)),
    )
    return series, []


def horizon(config: SessionSettings) -> datetime:
    """The last instant the aggregate feeds reach: INFO_SESSIONS_FUTURE_DAYS from today."""
    return config.today_start + timedelta(days=config.future_days)


def beyond_horizon(
    series: Series,
    path: str,
    lines: Mapping[str, int],
    values: Mapping[str, str],
    config: SessionSettings,
) -> Problem | None:
    """The problem when a date of ``series`` starts after the feeds' horizon, or None."""
    last = max(series.occurrences, key=lambda s: s.start.astimezone(UTC))
    limit = horizon(config)
    if last.start <= limit:
        return None
    name = "Move" if last.moved_from is not None else ("Until" if "Until" in values else "Count")
    return Problem(
        path,
        name,
        values.get(name),
        f"the series reaches {last.start.date().isoformat()}, beyond the feeds' horizon "
        f"(INFO_SESSIONS_FUTURE_DAYS: {config.future_days} days after today, "
        f"{config.today.isoformat()}, that is {limit.date().isoformat()}); end the series "
        "by then and extend it later, as the date comes closer",
        lines.get(name),
    )


def missing_months(series: Series, rule_text: str) -> list[str]:
    """For 'monthly on day N': the months between the series' first and last dates that
    have no such day ('February 2027'), so have no session; [] for any other rule."""
    rule = parse_repeat(rule_text)
    if rule is None or not rule.day or rule.day <= 28:
        return []
    dates = [s.moved_from or s.start for s in series.occurrences]
    first, last = min(dates).date(), max(dates).date()
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if calendar.monthrange(year, month)[1] < rule.day:
            months.append(f"{MONTHS[month - 1]} {year}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
