"""`make install-hooks`: a git pre-commit hook that runs `make check` before every commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

# The first lines of our hook; a pre-commit file without them was written by someone else.
MARKER = "# Installed by `make install-hooks` (tools/staff/hooks.py)."
HOOK = f"""#!/bin/sh
{MARKER}
# Runs the content check before each commit, with the project's .venv, so that a commit with
# a broken session, program or quote file is stopped with the check's message.
root="$(git rev-parse --show-toplevel)" || exit 1
cd "$root" || exit 1
if [ -x .venv/bin/invoke ]; then
    .venv/bin/invoke check
else
    make check  # creates .venv first
fi
status=$?
if [ "$status" -ne 0 ]; then
    echo
    echo "Commit stopped by make check: fix the errors above, then commit again."
fi
exit "$status"
"""


class HookError(Exception):
    """The hook was not installed; the message says why and what to do."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def install_pre_commit_hook(root: Path, *, force: bool = False) -> str:
    """Install the hook into the git work tree at ``root``; return what was done."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except OSError as error:
        raise HookError(f"git cannot be run ({error}); install git first") from error
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise HookError(
            f"{root} is not a git work tree, so there is nothing to install a hook into; "
            "clone the repository with git (git clone ...) and run make install-hooks there"
        )
    hooks = Path(_git(root, "rev-parse", "--git-path", "hooks").stdout.strip())
    hooks = hooks if hooks.is_absolute() else root / hooks
    hook = hooks / "pre-commit"
    action = "Installed"
    if hook.exists():
        if MARKER in hook.read_text(encoding="utf-8", errors="replace"):
            action = "Updated"
        elif not force:
            raise HookError(
                f"{hook} already exists and was not installed by make install-hooks, so it was "
                "left as it is. Either add the line `.venv/bin/invoke check || exit 1` to it, "
                'or replace it with make install-hooks ARGS="--force" (the old hook is kept '
                "as pre-commit.backup)"
            )
        else:
            backup, number = hook.with_name("pre-commit.backup"), 1
            while backup.exists():
                number += 1
                backup = hook.with_name(f"pre-commit.backup.{number}")
            hook.replace(backup)
            action = f"Replaced the old hook (kept as {backup}); installed"
    hooks.mkdir(parents=True, exist_ok=True)
    hook.write_text(HOOK, encoding="utf-8")
    hook.chmod(0o755)
    return (
        f"{action} the pre-commit hook {hook}: every commit now runs make check first and is "
        "stopped if the check finds an error."
    )
