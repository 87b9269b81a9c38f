"""Series files expanded independently of the plugin, with dateutil's ``rrule`` (RFC 5545
rules), into one plain session file per date: for the tests that check every session of a
content folder, which then treat a date of a series like any single session."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule

SERIES_FIELDS = ("Repeat", "Until", "Count", "Skip", "Cancel", "Move")
_DAYS = {"monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH, "friday": FR,
         "saturday": SA, "sunday": SU}  # fmt: skip
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
_WORK = Path(tempfile.gettempdir()) / f"expanded-sessions-{os.getpid()}"
_SOURCES: dict[Path, Path] = {}


def _fields(path: Path) -> tuple[dict[str, str], str]:
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


def _rule(fields: dict[str, str]) -> rrule:
    start = datetime.fromisoformat(fields["Start"])
    text = " ".join(fields["Repeat"].lower().split())
    end: dict[str, object] = {}
    if "Until" in fields:
        end["until"] = datetime.combine(date.fromisoformat(fields["Until"]), time(23, 59))
    else:
        end["count"] = int(fields["Count"])
    if text == "weekly" or text.startswith("every "):
        weeks = int(re.findall(r"\d+", text)[0]) if text != "weekly" else 1
        return rrule(WEEKLY, interval=weeks, dtstart=start, **end)
    nth = re.fullmatch(r"monthly on the (\w+) (\w+)", text)
    if nth:
        day = _DAYS[nth.group(2)](_NTH[nth.group(1)])
        return rrule(MONTHLY, byweekday=day, dtstart=start, **end)
    day = int(re.fullmatch(r"monthly on day (\d+)", text).group(1))
    return rrule(MONTHLY, bymonthday=day, dtstart=start, **end)


def _listed(fields: dict[str, str], name: str) -> list[str]:
    return [item.strip() for item in fields.get(name, "").split(",") if item.strip()]


def _expand(path: Path, work: Path) -> list[Path]:
    fields, body = _fields(path)
    skip, cancel = set(_listed(fields, "Skip")), set(_listed(fields, "Cancel"))
    moves = dict(item.split(" to ") for item in _listed(fields, "Move"))
    base = {k: v for k, v in fields.items() if k not in SERIES_FIELDS}
    uid = fields.get("UID", path.stem)
    files = []
    for when in _rule(fields):
        day = when.date().isoformat()
        if day in skip:
            continue
        one = {
            **base,
            "Start": moves.get(day, f"{day} {when:%H:%M}"),
            "UID": f"{uid}-{when:%Y%m%d}",
        }
        if day in cancel:
            one["Status"] = "cancelled"
        target = work / f"{path.stem}-{day}.md"
        target.write_text("".join(f"{k}: {v}\n" for k, v in one.items()) + "\n" + body, "utf-8")
        _SOURCES[target] = path
        files.append(target)
    return files


def session_files(folder: Path) -> list[Path]:
    """Every session of ``folder`` (a sessions folder), by page name: each single session's
    own file, and for each series file one file per date, named as its page is."""
    # One folder per sessions folder: the same page names from two folders do not mix.
    work = _WORK / hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    work.mkdir(parents=True, exist_ok=True)
    found = []
    for path in sorted(folder.glob("*.md")):
        found += _expand(path, work) if "Repeat" in _fields(path)[0] else [path]
    return sorted(found, key=lambda path: path.stem)


def series_files(folder: Path) -> list[Path]:
    """The series files of ``folder``."""
    return [path for path in sorted(folder.glob("*.md")) if "Repeat" in _fields(path)[0]]


def source_of(path: Path) -> Path:
    """The file a session of ``session_files`` comes from: its series file, or itself."""
    return _SOURCES.get(path, path)
