"""When content files changed, from git: every commit of one file, or the last commit of
each file of a folder (one `git log` call for the whole folder). Outside a git work tree,
or for a file not committed yet, there is no history: never the clock."""

from __future__ import annotations

import logging
import os
import subprocess
from datetime import UTC, datetime

logger = logging.getLogger(__name__)


def _git_log(folder: str, *arguments: str) -> str:
    """The output of ``git log`` run in ``folder``; "" outside a git work tree."""
    command = ["git", "-C", folder, "log", *arguments]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        logger.debug("info_sessions: no git history in %s (%s)", folder, error)
        return ""
    return result.stdout


def commit_times(path: str) -> list[datetime]:
    """Every commit time of the file at ``path``, newest first, UTC; [] outside git or for a
    file not committed yet."""
    output = _git_log(os.path.dirname(path) or ".", "--format=%ct", "--", path)
    return [datetime.fromtimestamp(int(line), tz=UTC) for line in output.split() if line.isdigit()]


def last_commit_times(folder: str) -> dict[str, datetime]:
    """{file name relative to ``folder``: its last commit time, UTC}; {} outside a git tree."""
    return parse_log(_git_log(folder, "--format=%x1e%ct", "--name-only", "--relative", "--", "."))


def parse_log(output: str) -> dict[str, datetime]:
    """Parse `git log --format=%x1e%ct --name-only` output, newest commit first."""
    times: dict[str, datetime] = {}
    for record in output.split("\x1e"):
        lines = [line.strip() for line in record.strip().splitlines() if line.strip()]
        if not lines or not lines[0].isdigit():
            continue
        when = datetime.fromtimestamp(int(lines[0]), tz=UTC)
        for name in lines[1:]:
            times.setdefault(name, when)
    return times


def feed_stamp(
    modified: datetime | None, committed: datetime | None, fallback: datetime
) -> datetime:
    """A session's DTSTAMP: its file's last commit, or its Modified field where that is later,
    so that every committed edit raises it even when Modified was left as it was; a file not
    committed yet: Modified, else ``fallback`` (the start of SITE_TODAY). Never the build's
    clock, so that a rebuild writes the same bytes."""
    if committed is None:
        return modified or fallback
    return max(committed, modified) if modified is not None else committed
