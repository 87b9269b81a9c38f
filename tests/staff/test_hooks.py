"""`make install-hooks` (invoke install-hooks): a pre-commit hook that runs the check, tried
in a temporary git clone-alike of the project (with the project's .venv)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.staff.conftest import environment, invoke
from tools.build import PROJECT_ROOT
from tools.staff.hooks import MARKER

PROJECT_FILES = ["tasks.py", "pelicanconf.py", "Makefile", ".gitignore"]
PROJECT_FOLDERS = ["tools", "plugins", "theme", "content"]
GOOD = """\
Title: MHQS online information session
Program: healthcare-quality-and-safety
Format: online
Start: 2027-05-11 12:00
Duration: 1h
Join-URL: https://example.org/join/mhqs-2027-05-11

What the session covers.
"""


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, env=environment(), capture_output=True, text=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The project's code and content, committed in a fresh git repository."""
    root = tmp_path / "site"
    root.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(PROJECT_ROOT / name, root / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(
            PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    (root / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    assert git(root, "init", "-q").returncode == 0
    assert git(root, "add", ".").returncode == 0
    assert git(root, "commit", "-q", "-m", "The site").returncode == 0
    return root


def test_a_bad_session_is_refused_with_the_checks_message_and_a_good_one_commits(
    repo: Path,
) -> None:
    run = invoke("install-hooks", cwd=repo)
    assert run.status == 0, run.output
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert run.output.strip() == (
        f"Installed the pre-commit hook {hook}: every commit now runs make check first and is "
        "stopped if the check finds an error."
    )
    bad = repo / "content" / "sessions" / "mhqs-online-2027-05-11.md"
    bad.write_text(GOOD.replace("Start: 2027-05-11 12:00", "Start: 2027-05-11 25:00"))
    git(repo, "add", str(bad))
    refused = git(repo, "commit", "-m", "Add a session")
    assert refused.returncode != 0
    shown = refused.stdout + refused.stderr  # git shows a hook's output on stderr
    assert (
        "  content/sessions/mhqs-online-2027-05-11.md:4: Start: '2027-05-11 25:00': not a date "
        "and time; write it as YYYY-MM-DD HH:MM, e.g. 2027-03-09 18:00"
    ) in shown
    assert "Commit stopped by make check: fix the errors above, then commit again." in shown
    assert git(repo, "log", "--format=%s").stdout.split("\n")[0] == "The site"
    bad.write_text(GOOD)
    git(repo, "add", str(bad))
    accepted = git(repo, "commit", "-m", "Add a session")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "No problems found." in accepted.stdout + accepted.stderr
    assert git(repo, "log", "--format=%s").stdout.split("\n")[0] == "Add a session"


def test_outside_a_git_work_tree_it_refuses_politely(repo: Path) -> None:
    shutil.rmtree(repo / ".git")
    run = invoke("install-hooks", cwd=repo)
    assert run.status == 1
    assert run.output.strip() == (
        f"install-hooks: {repo} is not a git work tree, so there is nothing to install a hook "
        "into; clone the repository with git (git clone ...) and run make install-hooks there"
    )


def test_a_foreign_hook_is_kept_unless_forced_and_then_backed_up(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho someone else's hook\n")
    run = invoke("install-hooks", cwd=repo)
    assert run.status == 1
    assert run.output.strip() == (
        f"install-hooks: {hook} already exists and was not installed by make install-hooks, so "
        "it was left as it is. Either add the line `.venv/bin/invoke check || exit 1` to it, "
        'or replace it with make install-hooks ARGS="--force" (the old hook is kept as '
        "pre-commit.backup)"
    )
    assert hook.read_text() == "#!/bin/sh\necho someone else's hook\n"
    forced = invoke("install-hooks", "--force", cwd=repo)
    assert forced.status == 0, forced.output
    assert forced.output.startswith(f"Replaced the old hook (kept as {hook}.backup); installed")
    assert (repo / ".git" / "hooks" / "pre-commit.backup").read_text() == (
        "#!/bin/sh\necho someone else's hook\n"
    )
    assert MARKER in hook.read_text()
    again = invoke("install-hooks", cwd=repo)
    assert again.status == 0
    assert again.output.startswith(f"Updated the pre-commit hook {hook}")
