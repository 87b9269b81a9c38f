"""Feeds as calendar clients read them: Home Assistant's ``ical`` and Debian's calcurse, both
independent of the ``icalendar`` library the site writes with, and a plain line scan.

- ``ical_events`` reads a feed with ``ical``, as published (it then takes each zone from its
  own database, by TZID) or with every TZID renamed, so that only the feed's VTIMEZONE
  rules can give the offsets.
- ``calcurse_events`` imports a feed into a fresh calcurse folder and lists it back, in a
  process whose ``TZ`` is the viewer's zone, as someone in that zone would see it (calcurse
  keeps wall-clock times of the zone it imported in and reads TZIDs from the system's zone
  database).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ical.calendar_stream import IcsCalendarStream

from tests.browser.harness import require
from tests.sessions.helpers import unfold

CALCURSE = shutil.which("calcurse")
# calcurse lists what it imported between two dates (mm/dd/yyyy): the span of every feed here.
LIST_FROM, LIST_TO = "01/01/2026", "12/31/2028"
_LISTED = re.compile(
    r"^(-?\d+) (-?\d+) (\d{4}-\d\d-\d\d \d\d:\d\d) (\d{4}-\d\d-\d\d \d\d:\d\d) (.*)$"
)


@dataclass(frozen=True)
class ReadEvent:
    """One VEVENT as a reader gave it back; times are aware, in UTC."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    status: str
    sequence: int
    stamp: datetime
    location: str
    description: str


def renamed_zones(data: bytes) -> bytes:
    """The feed with every TZID renamed (``Test/America-New_York``), so a reader cannot
    look the zone up and must use the feed's own VTIMEZONE."""
    text = data.decode("utf-8")
    text = re.sub(
        r"TZID([=:])([^:;\r\n]+)", lambda m: f"TZID{m[1]}Test/{m[2].replace('/', '-')}", text
    )
    return text.encode("utf-8")


def ical_events(data: bytes, *, own_rules: bool = False) -> dict[str, ReadEvent]:
    """UID -> event, as ``ical`` reads the feed (``own_rules``: with TZIDs renamed, see
    renamed_zones). Fails on a UID that is there twice."""
    if own_rules:
        data = renamed_zones(data)
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    events: dict[str, ReadEvent] = {}
    for event in calendar.events:
        assert event.uid not in events, f"UID {event.uid} twice"
        events[event.uid] = ReadEvent(
            uid=event.uid,
            start=event.dtstart.astimezone(UTC),
            end=event.end.astimezone(UTC),
            summary=event.summary or "",
            status=event.status.value if event.status else "",
            sequence=event.sequence or 0,
            stamp=event.dtstamp.astimezone(UTC),
            location=event.location or "",
            description=event.description or "",
        )
    return events


@dataclass(frozen=True)
class Listed:
    """One appointment as calcurse lists it in a viewer's zone."""

    start: datetime  # UTC, from calcurse's own conversion (%s)
    end: datetime
    local_start: str  # "YYYY-MM-DD HH:MM" on the viewer's clock
    local_end: str
    summary: str


def need_calcurse() -> str:
    """calcurse's path; skips locally or fails under CI when it, or the system's zone
    database it reads TZIDs from, is not installed."""
    require(
        CALCURSE is not None,
        "calcurse",
        "install it with `apt-get install calcurse` (.ci/run does this in CI)",
    )
    require(
        Path("/usr/share/zoneinfo/America/New_York").is_file(),
        "the system's zone database (calcurse reads TZIDs from it)",
        "install it with `apt-get install tzdata` (.ci/run does this in CI)",
    )
    return CALCURSE or ""


def calcurse_events(feed: Path, viewer: str) -> set[Listed]:
    """Every appointment calcurse makes of ``feed`` for someone whose clock is in ``viewer``
    (an IANA zone, given to calcurse as TZ for the import and the listing)."""
    calcurse = need_calcurse()
    env = {"TZ": viewer, "HOME": tempfile.gettempdir(), "PATH": "/usr/bin:/bin"}
    with tempfile.TemporaryDirectory(prefix="calcurse-") as folder:
        imported = subprocess.run(
            [calcurse, "-D", folder, "-i", str(feed)],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert imported.returncode == 0, imported.stderr
        report = re.search(
            r"(\d+) apps? / (\d+) events? / (\d+) todos? / (\d+) skipped", imported.stdout
        )
        assert report, imported.stdout
        assert report[4] == "0", f"calcurse skipped part of {feed}: {imported.stdout}"
        listed = subprocess.run(
            [
                calcurse, "-D", folder, "-Q", "--filter-type", "apt",
                "--from", LIST_FROM, "--to", LIST_TO,
                "--format-apt",
                "%(start:%s) %(end:%s) %(start:%Y-%m-%d %H:%M) %(end:%Y-%m-%d %H:%M) %m\\n",
            ],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
    found = set()
    for line in listed.stdout.splitlines():
        match = _LISTED.match(line)
        if match:  # the other lines are calcurse's day headings
            found.add(
                Listed(
                    start=datetime.fromtimestamp(int(match[1]), tz=UTC),
                    end=datetime.fromtimestamp(int(match[2]), tz=UTC),
                    local_start=match[3],
                    local_end=match[4],
                    summary=match[5],
                )
            )
    assert len(found) == int(report[1]), (found, imported.stdout)  # every one listed
    return found


def on_clock(instant: datetime, viewer: str) -> str:
    """What a clock in ``viewer`` shows at ``instant``, as calcurse prints it."""
    return f"{instant.astimezone(ZoneInfo(viewer)):%Y-%m-%d %H:%M}"


def vevents(data: bytes) -> dict[str, str]:
    """UID -> the VEVENT's unfolded lines as one text, from a plain scan of the file."""
    found: dict[str, str] = {}
    current: list[str] | None = None
    for line in unfold(data):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT" and current is not None:
            uid = next(part[4:] for part in current if part.startswith("UID:"))
            assert uid not in found, f"UID {uid} twice"
            found[uid] = "\n".join(current)
            current = None
        elif current is not None:
            current.append(line)
    return found
