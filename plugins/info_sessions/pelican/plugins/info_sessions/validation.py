"""Turn a session file's header into a Session, or into problems naming field, value and fix."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from . import bounded
from . import series as series_rules
from .bounded import OutOfBoundsError
from .headers import TOO_DEEP, Header
from .model import MAX_DURATION, Format, Series, Session, Status
from .problems import ContentError, Problem
from .settings import SessionSettings, save_as
from .wallclock import hhmm, local_time_problem
from .zones import UnknownZoneError, pinned_zone

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_UID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)?$")
# SEQUENCE is an iCalendar INTEGER (RFC 5545 section 3.3.8): a signed 32-bit number.
MAX_SEQUENCE = 2**31 - 1
# How many digits of a too-long number a problem shows.
SHOWN_DIGITS = 40


@dataclass(frozen=True)
class Checked:
    """What validating one file gave: the session (None if any problem), its problems, the
    UID and program it names (checked across files later) and the line of each field."""

    session: Session | None
    problems: tuple[Problem, ...]
    uid: str
    program: str
    lines: Mapping[str, int]
    series: Series | None = None  # a series file's dates (``session`` is None then)
    values: Mapping[str, str] | None = None  # a series file's header values, as written

    @property
    def sessions(self) -> tuple[Session, ...]:
        """Every session of the file: the series' dates, or the one session, or none."""
        if self.series is not None:
            return self.series.occurrences
        return (self.session,) if self.session is not None else ()

    @property
    def uids(self) -> tuple[str, ...]:
        """Every UID the file gives: one per date of a series, else its UID (if any)."""
        if self.series is not None:
            return tuple(session.uid for session in self.series.occurrences)
        return (self.uid,) if self.uid else ()


def is_https_url(raw: str) -> bool:
    """True for an https URL with a host and no spaces."""
    try:
        parts = urlsplit(raw)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in raw)


def parse_duration(raw: str) -> timedelta | None:
    """'90m', '1h', '1h30m', '1h 30m' as a timedelta; None when it is not a duration.
    Raises ``bounded.OutOfBoundsError`` when its hours or minutes are far beyond
    MAX_DURATION (too many digits to add up)."""
    return bounded.duration(raw, MAX_DURATION)


class _Checker:
    """Collects the problems of one file while reading its values."""

    def __init__(self, raw: Header, config: SessionSettings | None = None):
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)
        self.window = config.start_window if config is not None else None
        self.today = config.today if config is not None else None

    def value(self, name: str) -> str:
        return self.raw.values.get(name, "")

    def problem(self, name: str, what: str, value: str | None = None) -> None:
        line = self.raw.lines.get(name) if value is not None else None
        self.problems.append(Problem(self.raw.path, name, value, what, line))

    def required(self, name: str, fix: str) -> str:
        value = self.value(name)
        if not value:
            self.problem(name, f"required; {fix}", None if name not in self.raw.values else "")
        return value

    def choice(self, name: str, enum: type[Format] | type[Status], default: str = "") -> object:
        raw = self.value(name) or default
        options = [member.value for member in enum]
        try:
            return enum(raw.lower())
        except ValueError:
            guess = difflib.get_close_matches(raw.lower(), options, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            self.problem(name, f"must be one of {', '.join(options)}{hint}", raw)
            return None

    def zone(self, default: str) -> ZoneInfo | None:
        raw = self.value("Timezone") or default
        try:
            return pinned_zone(raw, default)  # from the pinned tzdata only
        except UnknownZoneError as error:
            self.problem("Timezone", str(error), raw)
            return None

    def naive_time(self, name: str, *, date_only: bool = False) -> datetime | None:
        """Field ``name`` as a naive date and time (YYYY-MM-DD HH:MM, or a date alone when
        ``date_only`` is allowed), its year within the bounds of ``bounded``."""
        raw = self.value(name)
        try:
            naive = bounded.wall_clock(raw)
            if naive is None and date_only:
                day = bounded.calendar_date(raw)
                naive = datetime(day.year, day.month, day.day) if day else None  # noqa: DTZ001
        except OutOfBoundsError as error:
            self.problem(name, f"{error}; check the year", raw)
            return None
        if naive is None and date_only:
            self.problem(name, "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM", raw)
        elif naive is None:
            self.problem(
                name,
                "not a date and time; write it as YYYY-MM-DD HH:MM, e.g. 2027-03-09 18:00",
                raw,
            )
        return naive

    def in_window(self, name: str, naive: datetime | None) -> datetime | None:
        """``naive`` when its day is inside the window around today that sessions may be
        dated in (INFO_SESSIONS_START_PAST_DAYS, INFO_SESSIONS_START_FUTURE_DAYS)."""
        window = self.window
        if naive is None or window is None or window.holds(naive.date()):
            return naive
        side = "before" if naive.date() < window.earliest else "after"
        setting = "PAST" if side == "before" else "FUTURE"
        self.problem(
            name,
            f"is {abs((naive.date() - self.today).days)} days {side} today ({self.today}); "
            f"sessions are dated from {window.earliest} to {window.latest}: check the year "
            f"(or raise INFO_SESSIONS_START_{setting}_DAYS in pelicanconf.py)",
            self.value(name),
        )
        return None

    def wall_clock(self, name: str, zone: ZoneInfo | None) -> datetime | None:
        naive = self.naive_time(name)
        if name == "Start":
            naive = self.in_window(name, naive)
        if naive is None or zone is None:
            return None
        trouble = local_time_problem(naive, zone)
        if trouble:
            self.problem(name, trouble, self.value(name))
            return None
        return naive.replace(tzinfo=zone)

    def https(self, name: str, required_because: str | None) -> str:
        raw = self.value(name)
        if not raw:
            if required_because:
                self.problem(
                    name,
                    f"required for {required_because} sessions; add '{name}: https://...'",
                    None if name not in self.raw.values else "",
                )
            return ""
        if not is_https_url(raw):
            self.problem(name, "must be an https:// URL with a host and no spaces", raw)
            return ""
        return raw


def validate(
    raw: Header,
    *,
    relative_path: str,
    source_path: str,
    config: SessionSettings,
    render: Callable[[str], str],
) -> Checked:
    """Check every field of ``raw``: the Session, or None and every problem found."""
    check = _Checker(raw, config)
    is_series = series_rules.is_series(raw)
    check.problems.extend(series_rules.field_problems(raw))
    slug = relative_path.rsplit("/", 1)[-1].removesuffix(".md")
    if not _SLUG.match(slug):
        check.problems.append(
            Problem(
                raw.path,
                "(file name)",
                slug,
                "use lowercase letters, digits and single hyphens, e.g. "
                "2027-03-mhqs-online.md; the name becomes the page URL and UID",
            )
        )
    title = check.required("Title", "add a 'Title:' line")
    program = check.value("Program")
    if config.require_program:
        program = check.required("Program", "add 'Program: <program slug>'")
    session_format = _format(check)
    zone = check.zone(config.default_timezone)
    start = None
    if check.required("Start", "add 'Start: YYYY-MM-DD HH:MM'"):
        start = check.wall_clock("Start", zone)
    end = _series_end(check, start) if is_series else _end(check, start, zone)
    location, join_url = _place(check, session_format)
    map_url = _map_url(check, session_format)
    registration_url = check.https("Registration-URL", None)
    status = Status.SCHEDULED if is_series else check.choice("Status", Status, "scheduled")
    uid = _uid(check, slug, config.uid_domain)
    sequence = _sequence(check)
    modified = _modified(check, zone)
    body_html = _body(check, render)
    if check.problems:
        if is_series:
            first = start.date() if start is not None else None
            check.problems.extend(series_rules.rule_problems(raw, first, config))
        return Checked(None, tuple(check.problems), uid, program, raw.lines)
    url = config.page_url.format(slug=slug)
    session = Session(
        slug=slug,
        source_path=source_path,
        relative_source_path=relative_path,
        title=title,
        program_slug=program,
        format=session_format,
        start=start,
        end=end,
        timezone=zone.key,
        location=location,
        map_url=map_url,
        join_url=join_url,
        registration_url=registration_url,
        status=status,
        uid=uid,
        sequence=sequence,
        modified=modified,
        body_html=body_html,
        url=url,
        save_as=save_as(url),
        feed_path=config.feed_session.format(slug=slug),
    )
    if is_series:
        return _series(session, raw, config)
    return Checked(session, (), uid, program, raw.lines)


def _series(first: Session, raw: Header, config: SessionSettings) -> Checked:
    """A series file, whose first date is ``first``: its dates, or its problems."""
    series, problems = series_rules.expand(first, raw, config)
    if series is None:
        return Checked(None, tuple(problems), "", first.program_slug, raw.lines)
    return Checked(
        None, (), first.uid, first.program_slug, raw.lines, series=series, values=raw.values
    )


def _body(check: _Checker, render: Callable[[str], str]) -> str:
    """The description as HTML; what a Markdown extension refuses in it (by raising
    ContentError, as the site's safe_markdown does) is a problem of the file."""
    try:
        return render(check.raw.body)
    except ContentError as error:
        check.problems.extend(check.raw.in_body(error.problems))
        return ""
    except RecursionError:  # nesting that no extension measured, e.g. emphasis
        check.problems.extend(check.raw.in_body([Problem("", "(body)", None, TOO_DEEP)]))
        return ""


def _format(check: _Checker) -> Format | None:
    if not check.value("Format"):
        check.required("Format", "add 'Format: in-person', 'online' or 'hybrid'")
        return None
    return check.choice("Format", Format)


def _place(check: _Checker, session_format: Format | None) -> tuple[str, str]:
    """Location and Join-URL, each required, allowed or refused by the format."""
    location = check.value("Location")
    if session_format is not None:
        if session_format.in_person and not location:
            check.problem(
                "Location",
                f"required for {session_format.value} sessions; add 'Location: venue, address'",
                None if "Location" not in check.raw.values else "",
            )
        if not session_format.in_person and location:
            check.problem(
                "Location",
                "online sessions have no venue; remove the line or set 'Format: hybrid'",
                location,
            )
    online = session_format is not None and session_format.online
    join_url = check.https("Join-URL", session_format.value if online else None)
    if session_format is Format.IN_PERSON and check.value("Join-URL"):
        check.problem(
            "Join-URL",
            "in-person sessions have no join link; remove the line or set 'Format: hybrid'",
            check.value("Join-URL"),
        )
    return location, join_url


def _series_end(check: _Checker, start: datetime | None) -> datetime | None:
    """The first date's end, from Duration: a series has no End (series.field_problems)."""
    if "End" in check.raw.values:
        return None
    if "Duration" not in check.raw.values:
        check.problem("Duration", "required for a series; add 'Duration: 1h' (or 90m, 1h30m)")
        return None
    end = _end_after(check, start)
    if end is not None and start is not None and end <= start:
        check.problem("Duration", "must be longer than 0 minutes", check.value("Duration"))
        return None
    return end


def _map_url(check: _Checker, session_format: Format | None) -> str:
    """Map-URL: an https map of the venue, for sessions that have one (in-person, hybrid)."""
    map_url = check.https("Map-URL", None)
    if session_format is Format.ONLINE and check.value("Map-URL"):
        check.problem(
            "Map-URL",
            "online sessions have no venue to map; remove the line or set 'Format: hybrid'",
            check.value("Map-URL"),
        )
        return ""
    return map_url


def _end(check: _Checker, start: datetime | None, zone: ZoneInfo | None) -> datetime | None:
    """The end, from End or from Duration (exactly one of them), checked against Start."""
    has_end, has_duration = "End" in check.raw.values, "Duration" in check.raw.values
    if has_end and has_duration:
        check.problem(
            "Duration",
            "give End or Duration, not both; remove one of the two lines",
            check.value("Duration"),
        )
        return None
    if not has_end and not has_duration:
        check.problem("End", "required; add 'End: YYYY-MM-DD HH:MM' or 'Duration: 90m' (or 1h30m)")
        return None
    name = "Duration" if has_duration else "End"
    end = _end_after(check, start) if has_duration else check.wall_clock("End", zone)
    if end is None or start is None:
        return None
    if end <= start:
        check.problem(name, f"must end after Start ({check.value('Start')})", check.value(name))
        return None
    # In UTC: datetimes of one zone subtract as wall clocks, blind to a clock change between.
    length = end.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC"))
    if length > MAX_DURATION:
        check.problem(
            name, f"the session would last {hhmm(length)}; 12 hours at most", check.value(name)
        )
        return None
    return end


def _end_after(check: _Checker, start: datetime | None) -> datetime | None:
    """Start plus Duration (elapsed time: a clock change in between does not count)."""
    raw = check.value("Duration")
    try:
        duration = parse_duration(raw)
    except OutOfBoundsError:
        check.problem(
            "Duration",
            f"the session would last more than {hhmm(MAX_DURATION)}; 12 hours at "
            "most (write it like 90m, 1h or 1h30m)",
            raw,
        )
        return None
    if duration is None:
        check.problem("Duration", "not a duration; write it like 90m, 1h or 1h30m", raw)
        return None
    if duration > MAX_DURATION:
        check.problem("Duration", f"the session would last {hhmm(duration)}; 12 hours at most", raw)
        return None
    if start is None:
        return None
    return (start.astimezone(ZoneInfo("UTC")) + duration).astimezone(start.tzinfo)


def _uid(check: _Checker, slug: str, domain: str) -> str:
    raw = check.value("UID")
    if not raw:
        return f"{slug}@{domain}"
    if not _UID.match(raw):
        check.problem(
            "UID",
            "use letters, digits, '.', '_' and '-', optionally '@domain', e.g. "
            f"'{slug}-2027' ; or remove the line to use the file name",
            raw,
        )
        return ""
    return raw if "@" in raw else f"{raw}@{domain}"


def _sequence(check: _Checker) -> int:
    raw = check.value("Sequence")
    if not raw:
        return 0
    try:
        sequence = bounded.whole_number(raw, MAX_SEQUENCE)
    except OutOfBoundsError:
        check.problem(
            "Sequence",
            f"must be a whole number from 0 to {MAX_SEQUENCE}; raise it by one for each change "
            "to the time, place or status",
            raw if len(raw) <= SHOWN_DIGITS else f"{raw[:SHOWN_DIGITS]}... ({len(raw)} digits)",
        )
        return 0
    if sequence is None:
        check.problem(
            "Sequence",
            "must be a whole number, 0 or more; raise it by one for each change to the time, "
            "place or status",
            raw,
        )
        return 0
    return sequence


def _modified(check: _Checker, zone: ZoneInfo | None) -> datetime | None:
    raw = check.value("Modified")
    if not raw:
        return None
    # A date alone is the start of that day (its first instant even where clocks skip
    # midnight); a time in a repeated or skipped hour would make DTSTAMP a guess.
    naive = check.in_window("Modified", check.naive_time("Modified", date_only=True))
    if naive is None:
        return None
    has_time = " " in raw.strip()
    trouble = local_time_problem(naive, zone) if has_time and zone is not None else None
    if trouble:
        check.problem("Modified", trouble, raw)
        return None
    return naive.replace(tzinfo=zone) if zone is not None else None


def duplicate_uid_problems(checked: Mapping[str, Checked]) -> list[Problem]:
    """Problems for UIDs used by more than one session file (``checked``: path -> result),
    a series' dates included."""
    seen: dict[str, str] = {}
    problems = []
    for path, result in checked.items():
        for uid in result.uids:
            if uid in seen and seen[uid] != path:
                problems.append(
                    Problem(
                        path,
                        "UID",
                        uid,
                        f"also used by {seen[uid]}; every session needs its own UID "
                        "(remove the UID line or make it unique)",
                        result.lines.get("UID"),
                    )
                )
                break
            seen.setdefault(uid, path)
    return problems


def horizon_problems(checked: Mapping[str, Checked], config: SessionSettings) -> list[Problem]:
    """Problems for series that reach beyond the feeds' horizon (INFO_SESSIONS_FUTURE_DAYS
    from today). Checked on every build, apart from the files: "today" moves on."""
    problems = []
    for path, result in checked.items():
        if result.series is not None:
            found = series_rules.beyond_horizon(
                result.series, path, result.lines, result.values or {}, config
            )
            if found is not None:
                problems.append(found)
    return problems


def program_problems(checked: Mapping[str, Checked], known: Iterable[str]) -> list[Problem]:
    """Problems for files whose Program is not the slug of a program the site provides."""
    known = sorted(known)
    listed = ", ".join(known) if known else "(no programs are defined)"
    problems = []
    for path, result in checked.items():
        if result.program and result.program not in known:
            guess = difflib.get_close_matches(result.program, known, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else ""
            problems.append(
                Problem(
                    path,
                    "Program",
                    result.program,
                    f"no such program{hint}; use one of: {listed}",
                    result.lines.get("Program"),
                )
            )
    return problems
