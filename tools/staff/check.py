"""`make check`: every problem in the content, without building.

Errors are what the build refuses (the plugins' own validators find them). Warnings are
what the build accepts but is probably a mistake:

- a session that ended before "today" (SITE_TODAY) yet is still scheduled, in a file added
  or changed since the last commit (an old session that took place needs nothing);
- two sessions of one program at overlapping times (neither cancelled nor postponed);
- a session whose time, place, format or status changed since the last commit while its
  Sequence did not go up (calendars that already have the event may ignore the change); for
  a series, each date is compared with the same date in the last commit;
- a session file deleted since the last commit whose UID no other file keeps (subscribers
  keep a stale event; cancel a session instead), and dates of a series that were in the
  last commit but are no longer dates of it (Skip, Until or Count changed);
- a series "monthly on day 29", "30" or "31": the months without that day, which have no
  session.

The warnings that compare with the last commit need git; outside a git work tree every
session file counts as changed. Dates of a series that have passed are not warned about:
they took place as the series planned them. Before the errors and warnings, the report lists
the dates of every series, as the build expands them.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.plugins.info_sessions.display import clock, long_date, moved_text, zone_abbreviation
from pelican.plugins.info_sessions.files import SessionFile, SessionReader, check_session_text
from pelican.plugins.info_sessions.model import Series, Session, Status
from pelican.plugins.info_sessions.problems import Problem
from pelican.plugins.info_sessions.series import missing_months
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.plugins.info_sessions.validation import Checked

from tools.build import PROJECT_ROOT
from tools.staff.content import SiteContent, read_content

UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class GitState:
    """Session files added, changed or deleted since the last commit (absolute paths)."""

    root: Path
    changed: frozenset[Path]
    deleted: frozenset[Path]

    def committed_text(self, file: Path) -> str | None:
        """The file as the last commit has it; None when it is not in that commit."""
        relative = file.relative_to(self.root).as_posix()
        try:
            result = subprocess.run(
                ["git", "-C", str(self.root), "show", f"HEAD:{relative}"],
                capture_output=True,
                check=False,
            )
        except OSError:
            return None
        if result.returncode != 0:
            return None
        return result.stdout.decode("utf-8", errors="replace")


def git_state(folder: Path) -> GitState | None:
    """What git says changed in ``folder`` since the last commit; None outside a work tree
    (or before the first commit)."""

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)

    try:
        top = git("rev-parse", "--show-toplevel")
    except OSError:  # git is not installed
        return None
    if top.returncode != 0 or git("rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        return None
    root = Path(top.stdout.decode().strip()).resolve()
    status = git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".")
    changed, deleted = set(), set()
    entries = iter(status.stdout.decode("utf-8", errors="replace").split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], root / entry[3:]
        if "R" in code or "C" in code:
            original = next(entries, "")  # the path the file was renamed or copied from
            if "R" in code:
                deleted.add(root / original)
        if "D" in code:
            deleted.add(path)
        else:
            changed.add(path)
    return GitState(root, frozenset(changed), frozenset(deleted))


def _wall(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def _path(site: SiteContent, session: Session) -> str:
    return f"{site.folder.name}/{session.relative_source_path}"


def _line(site: SiteContent, session: Session, *names: str) -> int | None:
    """The line of the first of ``names`` the session's file sets (the reader kept them)."""
    lines = site.checked[_path(site, session)].lines
    return next((lines[name] for name in names if name in lines), None)


def past_scheduled_warnings(
    site: SiteContent, config: SessionSettings, git: GitState | None
) -> list[Problem]:
    """Sessions that ended before today, still scheduled, in files added or changed."""
    problems = []
    for session in site.sessions:
        if session.status is not Status.SCHEDULED or session.end > config.today_start:
            continue
        if session.series_url:
            continue  # a past date of a series took place as the series planned it
        if git is not None and Path(session.source_path).resolve() not in git.changed:
            continue
        problems.append(
            Problem(
                _path(site, session),
                "Start",
                _wall(session.start),
                f"ended before today ({config.today}) but is still scheduled; if the date is "
                "wrong, correct it; if the session did not take place, set 'Status: "
                "cancelled' and raise Sequence by one",
                _line(site, session, "Start"),
            )
        )
    return problems


def overlap_warnings(site: SiteContent) -> list[Problem]:
    """Pairs of sessions of one program whose times overlap (both taking place)."""
    happening = [s for s in site.sessions if s.status.happening]
    problems = []
    for first, second in combinations(happening, 2):
        if first.program_slug != second.program_slug:
            continue
        if not (first.start < second.end and second.start < first.end):
            continue
        problems.append(
            Problem(
                _path(site, second),
                "Start",
                _wall(second.start),
                f"overlaps {_path(site, first)} ({first.title!r}, {_wall(first.start)} to "
                f"{first.end:%H:%M}), a session of the same program; if one replaces the "
                "other, set 'Status: cancelled' in the old one, otherwise correct the time",
                _line(site, second, "Start"),
            )
        )
    return problems


def _changes(old: Session, new: Session) -> list[str]:
    """Fields whose change calendars must be told about (SEQUENCE), by name."""
    names = []
    if old.start.astimezone(UTC) != new.start.astimezone(UTC):
        names.append("Start")
    if old.end.astimezone(UTC) != new.end.astimezone(UTC):
        names.append("End")
    for name, attribute in (
        ("Format", "format"),
        ("Location", "location"),
        ("Join-URL", "join_url"),
        ("Status", "status"),
    ):
        if getattr(old, attribute) != getattr(new, attribute):
            names.append(name)
    return names


def _committed(
    site: SiteContent, config: SessionSettings, git: GitState, path: str
) -> Checked | None:
    """The session file ``path`` ("content/sessions/x.md") as the last commit has it,
    checked as the build checks it; None for a file not committed yet."""
    file = site.file(path).resolve()
    text = git.committed_text(file)
    if text is None:
        return None
    relative = file.relative_to(site.folder.resolve()).as_posix()
    reader = SessionReader(site.settings)
    return check_session_text(text, SessionFile(relative, path, str(file)), config, reader)


def _date_of(session: Session, series: Series) -> str:
    """The date a session of ``series`` has its UID and address from ("2027-05-04")."""
    return session.slug.removeprefix(f"{series.slug}-")


def _changed_files(site: SiteContent, git: GitState) -> list[tuple[str, Checked]]:
    """Session files without problems changed since the last commit, by display path."""
    kept = {_path(site, session) for session in site.sessions}
    return [
        (path, result)
        for path, result in site.checked.items()
        if path in kept and site.file(path).resolve() in git.changed
    ]


def sequence_warnings(
    site: SiteContent, config: SessionSettings, git: GitState | None
) -> list[Problem]:
    """Sessions whose time, place, format or status changed since the last commit while
    Sequence stayed where it was (for a series: any of its dates, by UID)."""
    if git is None:
        return []
    problems = []
    for path, result in _changed_files(site, git):
        committed = _committed(site, config, git, path)
        if committed is None:
            continue  # a new file
        before = {session.uid: session for session in committed.sessions}
        changes = {
            session.uid: (session, _changes(before[session.uid], session))
            for session in result.sessions
            if session.uid in before and session.sequence <= before[session.uid].sequence
        }
        changes = {uid: found for uid, found in changes.items() if found[1]}
        if not changes:
            continue
        sequence = max(before[uid].sequence for uid in changes)
        now = next(iter(changes.values()))[0]
        if result.series is None:
            what = ", ".join(next(iter(changes.values()))[1])
        else:
            what = "; ".join(
                f"{_date_of(session, result.series)}: {', '.join(names)}"
                for session, names in changes.values()
            )
        problems.append(
            Problem(
                path,
                "Sequence",
                str(now.sequence),
                f"{what} changed since the last commit but Sequence did not go up; set "
                f"'Sequence: {sequence + 1}' so calendars that have the event update it",
                _line(site, now, "Sequence", "Title"),
            )
        )
    return problems


def dropped_date_warnings(
    site: SiteContent, config: SessionSettings, git: GitState | None
) -> list[Problem]:
    """Dates a series had in the last commit and no longer has, whose UID no file keeps."""
    if git is None:
        return []
    kept = {uid for result in site.checked.values() for uid in result.uids}
    problems = []
    for path, result in _changed_files(site, git):
        committed = _committed(site, config, git, path)
        if result.series is None or committed is None or committed.series is None:
            continue
        gone = [s for s in committed.series.occurrences if s.uid not in kept]
        if not gone:
            continue
        dates = ", ".join(_date_of(session, committed.series) for session in gone)
        problems.append(
            Problem(
                path,
                "(dates)",
                dates,
                "in the last commit, but no longer dates of the series (Skip, Until or Count "
                "changed): subscribers' calendars keep them as stale events; if they were "
                "announced, make them dates of the series again and list them in 'Cancel:'",
                result.lines.get("Repeat"),
            )
        )
    return problems


def missing_day_warnings(site: SiteContent) -> list[Problem]:
    """Series 'monthly on day 29/30/31': the months that have no session, named."""
    problems = []
    for path, result in site.checked.items():
        if result.series is None:
            continue
        months = missing_months(result.series, result.series.repeat)
        if months:
            problems.append(
                Problem(
                    path,
                    "Repeat",
                    result.series.repeat,
                    f"months without that day have no session: {', '.join(months)}; to meet "
                    "every month, use 'monthly on the last <weekday>', or add a single "
                    "session for those months",
                    result.lines.get("Repeat"),
                )
            )
    return problems


def deleted_warnings(
    site: SiteContent, config: SessionSettings, git: GitState | None
) -> list[Problem]:
    """Session files deleted since the last commit whose UID no remaining file keeps."""
    if git is None:
        return []
    sessions_folder = (site.folder / config.path).resolve()
    kept = {result.uid for result in site.checked.values() if result.uid}
    reader = SessionReader(site.settings)
    problems = []
    for file in sorted(git.deleted):
        if file.suffix != ".md" or sessions_folder not in file.parents:
            continue
        text = git.committed_text(file)
        if text is None:
            continue  # never committed
        relative = file.relative_to(site.folder.resolve()).as_posix()
        path = f"{site.folder.name}/{relative}"
        before = check_session_text(text, SessionFile(relative, path, str(file)), config, reader)
        if before.uid and before.uid in kept:
            continue  # renamed, and the new file keeps its UID
        cancel = (
            "list its dates still to come in 'Cancel:'"
            if before.series is not None
            else "set 'Status: cancelled'"
        )
        problems.append(
            Problem(
                path,
                "(file)",
                None,
                "deleted, but a published session must stay so that subscribers' calendars "
                f"drop it; restore it (git checkout HEAD -- {path}) and {cancel}; to rename a "
                "file, keep 'UID: <old name>' in it",
            )
        )
    return problems


def warnings(site: SiteContent) -> list[Problem]:
    """Every warning about the sessions of ``site``."""
    config = site.session_config
    if config is None:
        return []
    git = git_state(site.folder)
    return [
        *past_scheduled_warnings(site, config, git),
        *overlap_warnings(site),
        *sequence_warnings(site, config, git),
        *deleted_warnings(site, config, git),
        *dropped_date_warnings(site, config, git),
        *missing_day_warnings(site),
    ]


def _when(session: Session) -> str:
    start = session.start
    return f"{long_date(start)}, {clock(start)} {zone_abbreviation(start)}"


def series_dates(site: SiteContent) -> list[str]:
    """The dates of every series, as the build expands them, for the report."""
    lines = []
    for path, result in site.checked.items():
        series = result.series
        if series is None:
            continue
        count = _plural(len(series.occurrences), "date")
        lines += ["", f"Series {path}, {series.schedule} ({count}):"]
        for session in series.occurrences:
            note = ""
            if session.status is Status.CANCELLED:
                note = ": cancelled"
            if session.moved_from is not None:
                note = f": moved, first planned for {moved_text(session)}"
            lines.append(f"  {_date_of(session, series)}  {_when(session)}{note}")
        lines += [f"  {day.isoformat()}  skipped" for day in series.skipped]
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report(site: SiteContent, found: list[Problem]) -> str:
    """The text `make check` prints: what was read, then errors, then warnings."""
    session_files = len(site.checked)
    lines = [
        f"Checked {site.folder.name}/: {_plural(session_files, 'session file')}, "
        f"{_plural(len(site.programs), 'program')}, {_plural(len(site.quotes), 'quote')}."
    ]
    lines += series_dates(site)
    if site.problems:
        lines += ["", f"{_plural(len(site.problems), 'error')} (the build refuses these):"]
        lines += [f"  {problem}" for problem in site.problems]
    if found:
        lines += ["", f"{_plural(len(found), 'warning')} (the build accepts these; check each):"]
        lines += [f"  {problem}" for problem in found]
    if site.notices:
        lines += ["", f"{_plural(len(site.notices), 'notice')} (what the build does on its own):"]
        lines += [f"  {notice}" for notice in site.notices]
    if site.problems:
        lines += ["", "Fix every error, then run `make check` again."]
    elif not found:
        lines.append("No problems found.")
    return "\n".join(lines)


def run_check(
    settings_file: Path = PROJECT_ROOT / "pelicanconf.py", content: Path | None = None
) -> int:
    """Print every error and warning; 1 when there is an error, else 0."""
    site = read_content(settings_file, content)
    print(report(site, warnings(site)))
    return 1 if site.problems else 0
