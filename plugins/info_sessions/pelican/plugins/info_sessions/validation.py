"""Turn a session file's header into a Session, or into problems naming field, value and fix."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .headers import Header
from .model import MAX_DURATION, Format, Session, Status
from .problems import ContentError, Problem
from .settings import SessionSettings, save_as
from .vtimezone import wall_clock_is_unique
from .zones import UnknownZoneError, pinned_zone

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DURATION = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$")
_UID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)?$")
_SEQUENCE = re.compile(r"^\d+$")
# SEQUENCE is an iCalendar INTEGER (RFC 5545 section 3.3.8): a signed 32-bit number.
MAX_SEQUENCE = 2**31 - 1


@dataclass(frozen=True)
class Checked:
    """What validating one file gave: the session (None if any problem), its problems, the
    UID and program it names (checked across files later) and the line of each field."""

    session: Session | None
    problems: tuple[Problem, ...]
    uid: str
    program: str
    lines: Mapping[str, int]


def _hhmm(delta: timedelta) -> str:
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
    shift = _hhmm(offset_early - offset_late)
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


def _parse_wall_clock(raw: str) -> datetime | None:
    match = _DATETIME.match(raw)
    if not match:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute)  # noqa: DTZ001 - zone added by caller
    except ValueError:
        return None


def is_https_url(raw: str) -> bool:
    """True for an https URL with a host and no spaces."""
    try:
        parts = urlsplit(raw)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in raw)


def parse_duration(raw: str) -> timedelta | None:
    """'90m', '1h', '1h30m', '1h 30m' as a timedelta; None when it is not a duration."""
    match = _DURATION.match(raw.strip().lower())
    if not match or not any(match.groups()):
        return None
    hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(hours=hours, minutes=minutes)


class _Checker:
    """Collects the problems of one file while reading its values."""

    def __init__(self, raw: Header):
        self.raw = raw
        self.problems: list[Problem] = list(raw.problems)

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

    def wall_clock(self, name: str, zone: ZoneInfo | None) -> datetime | None:
        raw = self.value(name)
        naive = _parse_wall_clock(raw)
        if naive is None:
            self.problem(
                name,
                "not a date and time; write it as YYYY-MM-DD HH:MM, e.g. 2027-03-09 18:00",
                raw,
            )
            return None
        if zone is None:
            return None
        trouble = local_time_problem(naive, zone)
        if trouble:
            self.problem(name, trouble, raw)
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
    check = _Checker(raw)
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
    end = _end(check, start, zone)
    location, join_url = _place(check, session_format)
    map_url = _map_url(check, session_format)
    registration_url = check.https("Registration-URL", None)
    status = check.choice("Status", Status, default="scheduled")
    uid = _uid(check, slug, config.uid_domain)
    sequence = _sequence(check)
    modified = _modified(check, zone)
    body_html = _body(check, render)
    if check.problems:
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
    return Checked(session, (), uid, program, raw.lines)


def _body(check: _Checker, render: Callable[[str], str]) -> str:
    """The description as HTML; what a Markdown extension refuses in it (by raising
    ContentError, as the site's safe_markdown does) is a problem of the file."""
    try:
        return render(check.raw.body)
    except ContentError as error:
        check.problems.extend(check.raw.in_body(error.problems))
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
            name, f"the session would last {_hhmm(length)}; 12 hours at most", check.value(name)
        )
        return None
    return end


def _end_after(check: _Checker, start: datetime | None) -> datetime | None:
    """Start plus Duration (elapsed time: a clock change in between does not count)."""
    raw = check.value("Duration")
    duration = parse_duration(raw)
    if duration is None:
        check.problem("Duration", "not a duration; write it like 90m, 1h or 1h30m", raw)
        return None
    if duration > MAX_DURATION:
        check.problem(
            "Duration", f"the session would last {_hhmm(duration)}; 12 hours at most", raw
        )
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
    if not _SEQUENCE.match(raw):
        check.problem(
            "Sequence",
            "must be a whole number, 0 or more; raise it by one for each change to the time, "
            "place or status",
            raw,
        )
        return 0
    if int(raw) > MAX_SEQUENCE:
        check.problem(
            "Sequence",
            f"must be a whole number from 0 to {MAX_SEQUENCE}; raise it by one for each change "
            "to the time, place or status",
            raw,
        )
        return 0
    return int(raw)


def _modified(check: _Checker, zone: ZoneInfo | None) -> datetime | None:
    raw = check.value("Modified")
    if not raw:
        return None
    naive = _parse_wall_clock(raw)
    if naive is not None and zone is not None:
        # A time in a repeated or skipped hour would make DTSTAMP a guess.
        trouble = local_time_problem(naive, zone)
        if trouble:
            check.problem("Modified", trouble, raw)
            return None
    if naive is None and _DATE.match(raw):
        # The start of that day: its first instant even where clocks skip midnight.
        naive = _parse_wall_clock(f"{raw} 00:00")
    if naive is None:
        check.problem("Modified", "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM", raw)
        return None
    return naive.replace(tzinfo=zone) if zone is not None else None


def duplicate_uid_problems(checked: Mapping[str, Checked]) -> list[Problem]:
    """Problems for UIDs used by more than one session file (``checked``: path -> result)."""
    seen: dict[str, str] = {}
    problems = []
    for path, result in checked.items():
        if not result.uid:
            continue
        if result.uid in seen:
            problems.append(
                Problem(
                    path,
                    "UID",
                    result.uid,
                    f"also used by {seen[result.uid]}; every session needs its own UID "
                    "(remove the UID line or make it unique)",
                    result.lines.get("UID"),
                )
            )
        else:
            seen[result.uid] = path
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
