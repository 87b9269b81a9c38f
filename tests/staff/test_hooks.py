"""`make install-hooks` (invoke install-hooks): a pre-commit hook that runs the check, tried
in a temporary git clone-alike of the project (with the project's .venv)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.staff.conftest import environment, invoke
from tools.build import PROJECT_ROOT
from tools.staff.hooks import MARKER

PROJECT_FILES = ["tasks.py", "pelicanconf.py", "Makefile", ".gitignore", "requirements-local.txt"]
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
        f"Installed the pre-commit hook {hook}: every commit now runs make check on the staged "
        "files first and is stopped if the check finds an error."
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
    assert "Commit stopped by make check (it checked the staged files)" in shown
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
        "it was left as it is. Either add the line `.venv/bin/invoke check --staged || exit 1` "
        'to it, or replace it with make install-hooks ARGS="--force" (the old hook is kept as '
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


BAD = GOOD.replace("Start: 2027-05-11 12:00", "Start: 2027-05-11 25:00")
BAD_MESSAGE = (
    "content/sessions/mhqs-online-2027-05-11.md:4: Start: '2027-05-11 25:00': not a date and "
    "time; write it as YYYY-MM-DD HH:MM, e.g. 2027-03-09 18:00"
)


def _commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return git(repo, "commit", "-m", "Add a session", *args)


def _head(repo: Path) -> str:
    return git(repo, "log", "-1", "--format=%s").stdout.strip()


@pytest.fixture
def hooked(repo: Path) -> Path:
    """The repository with our pre-commit hook installed."""
    run = invoke("install-hooks", cwd=repo)
    assert run.status == 0, run.output
    return repo


def test_a_bad_staged_file_is_refused_even_when_the_working_copy_is_clean(hooked: Path) -> None:
    session = hooked / "content" / "sessions" / "mhqs-online-2027-05-11.md"
    session.write_text(BAD)
    git(hooked, "add", str(session))
    session.write_text(GOOD)  # fixed in the working tree, not staged: the commit holds BAD
    refused = _commit(hooked)
    assert refused.returncode != 0
    assert BAD_MESSAGE in refused.stdout + refused.stderr
    assert _head(hooked) == "The site"
    assert session.read_text() == GOOD  # the working copy is not touched


def test_a_bad_unstaged_edit_over_a_good_staged_file_does_not_block(hooked: Path) -> None:
    session = hooked / "content" / "sessions" / "mhqs-online-2027-05-11.md"
    session.write_text(GOOD)
    git(hooked, "add", str(session))
    session.write_text(BAD)  # not staged: not part of the commit
    accepted = _commit(hooked)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "No problems found." in accepted.stdout + accepted.stderr
    assert _head(hooked) == "Add a session"
    assert git(hooked, "show", "HEAD:content/sessions/mhqs-online-2027-05-11.md").stdout == GOOD


@pytest.mark.parametrize("how", ["--all", "paths"])
def test_commit_all_and_commit_paths_check_what_they_commit(hooked: Path, how: str) -> None:
    """`git commit -a` and `git commit <file>` commit from a temporary index (GIT_INDEX_FILE)."""
    session = hooked / "content" / "sessions" / "mhqs-online-2027-05-11.md"
    session.write_text(GOOD)
    git(hooked, "add", str(session))
    assert _commit(hooked).returncode == 0
    session.write_text(BAD)
    refused = _commit(hooked, "--all" if how == "--all" else str(session))
    assert refused.returncode != 0
    assert BAD_MESSAGE in refused.stdout + refused.stderr
    assert _head(hooked) == "Add a session"


def test_a_staged_plugin_change_is_what_the_hook_runs(hooked: Path) -> None:
    """The exported tree's own code checks it: a staged validator change takes effect."""
    session = hooked / "content" / "sessions" / "mhqs-online-2027-05-11.md"
    session.write_text(GOOD.replace("Title: MHQS", "Title: FORBIDDEN MHQS"))
    git(hooked, "add", str(session))
    package = hooked / "plugins" / "info_sessions" / "pelican" / "plugins" / "info_sessions"
    parsing = package / "headers.py"
    original = parsing.read_text()
    parsing.write_text(
        original.replace(
            "    text = text.removeprefix(",
            '    assert "FORBIDDEN" not in text, "staged plugin code ran"\n'
            "    text = text.removeprefix(",
            1,
        )
    )
    git(hooked, "add", str(parsing))
    parsing.write_text(original)  # the working tree's plugin would accept the session
    refused = _commit(hooked)
    assert refused.returncode != 0
    assert "staged plugin code ran" in refused.stdout + refused.stderr


@pytest.mark.parametrize("target", ["outside file", "our hook", "dangling"])
def test_a_symlinked_hook_is_never_written_through(repo: Path, tmp_path: Path, target: str) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    pointed = tmp_path / "elsewhere" / "shared-hook"
    pointed.parent.mkdir()
    if target == "outside file":
        pointed.write_text("#!/bin/sh\necho shared hook\n")
    elif target == "our hook":
        pointed.write_text(f"#!/bin/sh\n{MARKER}\n")
    hook.symlink_to(pointed)
    before = pointed.read_bytes() if pointed.exists() else None
    run = invoke("install-hooks", cwd=repo)
    assert run.status == 1
    assert run.output.strip() == (
        f"install-hooks: {hook} is a symbolic link (to {pointed}), so it was left as it is. "
        'Either remove it, or replace it with make install-hooks ARGS="--force" (the link is '
        "kept as pre-commit.backup; its target is not touched)"
    )
    assert hook.is_symlink()
    assert (pointed.read_bytes() if pointed.exists() else None) == before
    forced = invoke("install-hooks", "--force", cwd=repo)
    assert forced.status == 0, forced.output
    assert not hook.is_symlink() and MARKER in hook.read_text()
    backup = hook.with_name("pre-commit.backup")
    assert backup.is_symlink() and os.readlink(backup) == str(pointed)
    assert (pointed.read_bytes() if pointed.exists() else None) == before


def test_a_folder_where_the_hook_should_be_is_refused_without_a_traceback(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.mkdir()
    run = invoke("install-hooks", cwd=repo)
    assert run.status == 1
    assert run.output.strip().startswith(
        f"install-hooks: {hook} exists and is not a regular file, so it was left as it is."
    )
    assert hook.is_dir()
