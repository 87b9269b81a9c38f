"""Staff tools run as staff run them: the real `invoke` in a subprocess, on scenario copies."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.build import PROJECT_ROOT

SCENARIO = PROJECT_ROOT / "tests" / "data" / "staff" / "site"
TODAY = "2026-11-23"
INVOKE = Path(sys.executable).with_name("invoke")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Staff Member",
    "GIT_AUTHOR_EMAIL": "staff@example.org",
    "GIT_COMMITTER_NAME": "Staff Member",
    "GIT_COMMITTER_EMAIL": "staff@example.org",
}


def environment(**extra: str) -> dict[str, str]:
    """The environment `make` gives a task: no PYTHONPATH, a pinned SITE_TODAY."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SITE_TODAY")}
    return {**env, "SITE_TODAY": TODAY, **GIT_IDENTITY, **extra}


@dataclass(frozen=True)
class Run:
    """What a command printed (stdout and stderr together) and how it exited."""

    output: str
    status: int


def invoke(*args: str, cwd: Path = PROJECT_ROOT) -> Run:
    """Run `invoke <args>` with no terminal (stdin is /dev/null), as a script would."""
    result = subprocess.run(
        [str(INVOKE), *args],
        cwd=cwd,
        env=environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    return Run(result.stdout, result.returncode)


def invoke_on_terminal(*args: str, answers: list[str], cwd: Path = PROJECT_ROOT) -> Run:
    """Run `invoke <args>` on a pseudo-terminal, in ``cwd`` with the project's tasks, and
    type ``answers``, one per line."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(INVOKE), "--search-root", str(PROJECT_ROOT), *args],
        cwd=cwd,
        env=environment(TERM="dumb"),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    os.write(controller, "".join(f"{answer}\n" for answer in answers).encode())
    output = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    status = process.wait(timeout=120)
    return Run(output.decode("utf-8", errors="replace").replace("\r\n", "\n"), status)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of tests/data/staff/site as ``tmp_path/content``."""
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    return content
