"""`make check`: every problem in the content, without building.

Errors are what the build refuses (the plugins' own validators find them). Warnings are
what the build accepts but is probably a mistake:

- a session that ended before "today" (SITE_TODAY) yet is still scheduled, in a file added
  or changed since the last commit (an old session that took place needs nothing);
- two sessions of one program at overlapping times (neither cancelled nor postponed);
- a session whose time, place, format or status changed since the last commit while its
  Sequence did not go up (calendars that already have the event may ignore the change);
- a session file deleted since the last commit whose UID no other file keeps (subscribers
  keep a stale event; cancel a session instead).

The last two need git; outside a git work tree every session file counts as changed.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.plugins.info_sessions.files import SessionFile, SessionReader, check_session_text
from pelican.plugins.info_sessions.model import Session, Status
from pelican.plugins.info_sessions.problems import Problem
from pelican.plugins.info_sessions.settings import SessionSettings

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


def sequence_warnings(
    site: SiteContent, config: SessionSettings, git: GitState | None
) -> list[Problem]:
    """Sessions whose time, place, format or status changed since the last commit while
    Sequence stayed where it was."""
    if git is None:
        return []
    reader = SessionReader(site.settings)
    problems = []
    for session in site.sessions:
        file = Path(session.source_path).resolve()
        if file not in git.changed:
            continue
        text = git.committed_text(file)
        if text is None:
            continue  # a new file
        path = f"{site.folder.name}/{session.relative_source_path}"
        before = check_session_text(
            text, SessionFile(session.relative_source_path, path, str(file)), config, reader
        ).session
        if before is None or session.sequence > before.sequence:
            continue
        changed = _changes(before, session)
        if changed:
            problems.append(
                Problem(
                    path,
                    "Sequence",
                    str(session.sequence),
                    f"{', '.join(changed)} changed since the last commit but Sequence did not "
                    f"go up; set 'Sequence: {before.sequence + 1}' so calendars that have the "
                    "event update it",
                    _line(site, session, "Sequence", "Title"),
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
        uid = check_session_text(text, SessionFile(relative, path, str(file)), config, reader).uid
        if uid and uid in kept:
            continue  # renamed, and the new file keeps its UID
        problems.append(
            Problem(
                path,
                "(file)",
                None,
                "deleted, but a published session must stay so that subscribers' calendars "
                f"drop it; restore it (git checkout HEAD -- {path}) and set 'Status: "
                "cancelled'; to rename a file, keep 'UID: <old name>' in it",
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
    ]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report(site: SiteContent, found: list[Problem]) -> str:
    """The text `make check` prints: what was read, then errors, then warnings."""
    session_files = len(site.checked)
    lines = [
        f"Checked {site.folder.name}/: {_plural(session_files, 'session file')}, "
        f"{_plural(len(site.programs), 'program')}, {_plural(len(site.quotes), 'quote')}."
    ]
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
