"""No page shows a date the sources do not give.

Every date-looking string on every built page (its text, its meta descriptions and its
``datetime`` attributes) must be one of:

- a date, month or year that a source document gives (e.g. "April 2014", "2018-2019");
- the date of a sample info session (its start or end, in its own time zone), or the day a
  session's time zone changes its clocks (session pages say so);
- a month the sessions calendar covers: from the earliest to the latest month among the
  sessions and the build's "today", and the years of those months;
- on the month view's pages (``sessions/calendar/``) only, any day of a month the calendar
  covers: a calendar shows its days, today among them.

The build's "today" itself (23 November 2026 in tests) is not allowed as a day: a page that
showed it would be dating something the sources do not date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from tests.realsite import TEST_TODAY
from tools.build import PROJECT_ROOT
from tools.staff.content import read_content

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH = r"(?P<month>" + "|".join(m[:3] + f"(?:{m[3:]})?" if m != "May" else m for m in MONTHS)
_MONTH += r"|Sept)"

# Most specific first: a later pattern never sees text an earlier one matched.
PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(r"\b(?P<day>\d{1,2}) " + _MONTH + r",? (?P<year>\d{4})\b"),
    re.compile(r"\b" + _MONTH + r" (?P<day>\d{1,2}),? (?P<year>\d{4})\b"),
    re.compile(r"\b" + _MONTH + r",? (?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>0[1-9]|1[0-2])\b(?!-\d)"),
    re.compile(r"\b(?P<day>\d{1,2}) " + _MONTH + r"\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})\b"),
]

Found = tuple[int | None, int | None, int | None]  # (year, month, day); None: not given


def month_number(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(name[:3]))


def dates_in(text: str) -> list[tuple[str, Found]]:
    """Every date-looking string in ``text`` with its (year, month, day)."""
    found = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            year = int(parts["year"]) if parts.get("year") else None
            month = (
                int(parts["mon"])
                if parts.get("mon")
                else month_number(parts["month"])
                if parts.get("month")
                else None
            )
            day = int(parts["day"]) if parts.get("day") else None
            if month is not None and not 1 <= month <= 12:
                continue
            found.append((match.group(0), (year, month, day)))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return found


def test_the_extractor_finds_every_kind_of_date() -> None:
    text = (
        "Posted 23 November 2026, Tuesday 9 March 2027, March 9, 2027, April 2014, 2018-2019, "
        "2027-01-21T17:30, join/mhqs-online-2026-10, (7 Nov), over the past 20 years, 100,000"
    )
    assert [found for _, found in dates_in(text)] == [
        (2027, 1, 21),
        (2026, 11, 23),
        (2027, 3, 9),
        (2027, 3, 9),
        (2014, 4, None),
        (2026, 10, None),
        (None, 11, 7),
        (2018, None, None),
        (2019, None, None),
    ]


def clock_change_days(zone: str, years: set[int]) -> set[date]:
    """Days in ``years`` on which ``zone`` changes its UTC offset."""
    tz = ZoneInfo(zone)
    days = set()
    for year in years:
        day = date(year, 1, 1)
        while day.year == year:
            start = datetime(day.year, day.month, day.day, tzinfo=tz)
            end = start + timedelta(hours=23, minutes=59)
            if start.utcoffset() != end.utcoffset():
                days.add(day)
            day += timedelta(days=1)
    return days


class Allowed:
    """The dates, months and years a page may show."""

    def __init__(self) -> None:
        self.days: set[tuple[int, int, int]] = set()
        self.months: set[tuple[int, int]] = set()
        self.years: set[int] = set()
        self.calendar_months: set[tuple[int, int]] = set()
        for source in sorted((PROJECT_ROOT / "sources").glob("*.txt")):
            for _, found in dates_in(source.read_text(encoding="utf-8")):
                self.add(found)
        site = read_content(today=TEST_TODAY)
        assert site.sessions, "no sample sessions were read"
        session_days = {s.start.date() for s in site.sessions} | {
            s.end.date() for s in site.sessions
        }
        # A moved date of a series names the day it was first planned for.
        session_days |= {s.moved_from.date() for s in site.sessions if s.moved_from}
        years = {day.year for day in session_days}
        zones = {s.timezone for s in site.sessions} | {site.settings["TIMEZONE"]}
        for zone in zones:
            session_days |= clock_change_days(zone, years)
        for day in session_days:
            self.add((day.year, day.month, day.day))
        today = date.fromisoformat(TEST_TODAY)
        first = min([*session_days, today]).replace(day=1)
        last = max([*session_days, today])
        month = first
        while month <= last:
            self.add((month.year, month.month, None))
            self.calendar_months.add((month.year, month.month))
            month = (month + timedelta(days=32)).replace(day=1)

    def add(self, found: Found) -> None:
        year, month, day = found
        if year is not None and month is not None and day is not None:
            self.days.add((year, month, day))
        if year is not None and month is not None:
            self.months.add((year, month))
        if year is not None:
            self.years.add(year)

    def __contains__(self, found: Found) -> bool:
        year, month, day = found
        if year is None:  # a day and month without a year
            return any((m, d) == (month, day) for _, m, d in self.days)
        if day is not None:
            return (year, month, day) in self.days
        if month is not None:
            return (year, month) in self.months
        return year in self.years

    def on_calendar_page(self, found: Found) -> bool:
        """Whether a month-view page may show ``found``: any day of a month it covers."""
        year, month, _ = found
        return found in self or (year, month) in self.calendar_months


@pytest.fixture(scope="module")
def allowed() -> Allowed:
    return Allowed()


def shown_text(path: Path) -> str:
    """A page's text, meta descriptions and datetime attributes: what it tells readers."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    parts = [soup.get_text(" ")]
    parts += [tag["content"] for tag in soup.find_all("meta", content=True)]
    parts += [tag["datetime"] for tag in soup.find_all(attrs={"datetime": True})]
    return "\n".join(parts)


def test_allowed_dates_are_precise(allowed: Allowed) -> None:
    assert (2014, 4, None) in allowed  # "April 2014", from a source
    assert (2018, None, None) in allowed  # "2018-2019 academic year"
    assert (2027, 1, 21) in allowed  # a sample session
    assert (2027, 3, 14) in allowed  # clocks change in New York
    assert (2026, 11, 23) not in allowed  # the build's "today" is no source date
    assert (2026, 11, None) in allowed  # but its month is the calendar's
    assert (2031, None, None) not in allowed
    assert allowed.on_calendar_page((2026, 11, 23))  # a calendar shows today
    assert not allowed.on_calendar_page((2031, 1, 5))


def test_no_page_shows_a_date_the_sources_do_not_give(built_site: Path, allowed: Allowed) -> None:
    problems = []
    calendar = built_site / "sessions" / "calendar"
    for page in sorted(built_site.rglob("*.html")):
        check = allowed.on_calendar_page if calendar in page.parents else allowed.__contains__
        for text, found in dates_in(shown_text(page)):
            if not check(found):
                problems.append(f"{page.relative_to(built_site)}: {text!r}")
    assert problems == []
