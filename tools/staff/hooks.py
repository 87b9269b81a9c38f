"""`make install-hooks`: a git pre-commit hook that runs the content check before every commit.

The hook checks what is staged, the files the commit will hold, not the working tree: the
index is exported into a temporary folder and `invoke check` runs there (its tasks, plugins
and content all as staged), so a bad file that is staged while its working copy is clean is
refused, and an unstaged edit cannot block a good commit.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.bootstrap_venv import local_packages

# The first lines of our hook; a pre-commit file without them was written by someone else.
MARKER = "# Installed by `make install-hooks` (tools/staff/hooks.py)."
HOOK = f"""#!/bin/sh
{MARKER}
# Runs the content check on the staged files before each commit, with the project's .venv,
# so that a commit with a broken session, program or quote file is stopped with the check's
# message.
root="$(git rev-parse --show-toplevel)" || exit 1
cd "$root" || exit 1
if [ ! -x .venv/bin/invoke ]; then
    make setup || exit 1  # creates .venv
fi
.venv/bin/invoke check --staged
status=$?
if [ "$status" -ne 0 ]; then
    echo
    echo "Commit stopped by make check (it checked the staged files): fix the errors above,"
    echo "stage the fixes (git add), then commit again."
fi
exit "$status"
"""


class HookError(Exception):
    """The hook was not installed, or the staged files could not be checked; the message
    says why and what to do."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)


def _work_tree(root: Path) -> None:
    """Raise HookError unless ``root`` is inside a git work tree."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except OSError as error:
        raise HookError(f"git cannot be run ({error}); install git first") from error
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise HookError(
            f"{root} is not a git work tree, so there is nothing to install a hook into; "
            "clone the repository with git (git clone ...) and run make install-hooks there"
        )


def _ours(hook: Path) -> bool:
    """Whether the regular file ``hook`` is a hook we installed."""
    with hook.open("rb") as file:
        return MARKER.encode() in file.read(4096)


def _backup(hook: Path) -> Path:
    """Move ``hook`` (the directory entry itself: a link stays a link) to a free backup name."""
    backup, number = hook.with_name("pre-commit.backup"), 1
    while os.path.lexists(backup):
        number += 1
        backup = hook.with_name(f"pre-commit.backup.{number}")
    os.rename(hook, backup)
    return backup


def _write_hook(hooks: Path, hook: Path) -> None:
    """Write HOOK as ``hook`` through a new file renamed over it: rename replaces the entry,
    so even a link that appeared meanwhile is replaced, never written through."""
    descriptor, temporary = tempfile.mkstemp(prefix=".pre-commit.", dir=hooks)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(HOOK)
        os.chmod(temporary, 0o755)
        os.replace(temporary, hook)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def install_pre_commit_hook(root: Path, *, force: bool = False) -> str:
    """Install the hook into the git work tree at ``root``; return what was done.

    A hook that is not a regular file we wrote (someone else's hook, a symbolic link, a
    folder) is left alone unless ``force``; then it is moved aside as pre-commit.backup (a
    link is moved as a link: its target is never read or written).
    """
    _work_tree(root)
    hooks = Path(_git(root, "rev-parse", "--git-path", "hooks").stdout.strip())
    hooks = hooks if hooks.is_absolute() else root / hooks
    hook = hooks / "pre-commit"
    action = "Installed"
    try:
        found = hook.lstat()
    except FileNotFoundError:
        found = None
    if found is not None:
        regular = stat.S_ISREG(found.st_mode)
        if regular and _ours(hook):
            action = "Updated"
        elif not force:
            if stat.S_ISLNK(found.st_mode):
                what = f"is a symbolic link (to {os.readlink(hook)})"
                after = "the link is kept as pre-commit.backup; its target is not touched"
            elif regular:
                what = "already exists and was not installed by make install-hooks"
                after = "the old hook is kept as pre-commit.backup"
            else:
                what = "exists and is not a regular file"
                after = "it is kept as pre-commit.backup"
            fix = (
                "Either add the line `.venv/bin/invoke check --staged || exit 1` to it, "
                if regular
                else "Either remove it, "
            )
            raise HookError(
                f"{hook} {what}, so it was left as it is. {fix}or replace it with "
                f'make install-hooks ARGS="--force" ({after})'
            )
        else:
            backup = _backup(hook)
            action = f"Replaced the old hook (kept as {backup}); installed"
    hooks.mkdir(parents=True, exist_ok=True)
    _write_hook(hooks, hook)
    return (
        f"{action} the pre-commit hook {hook}: every commit now runs make check on the staged "
        "files first and is stopped if the check finds an error."
    )


def local_package_folders(tree: Path) -> list[str]:
    """The folders of the local packages ``tree`` installs in editable mode (the ``-e ./path``
    lines of its requirements-local.txt), as absolute paths."""
    folders = []
    for line in local_packages(tree / "requirements-local.txt"):
        path = line.removeprefix("--editable").removeprefix("-e").strip()
        folders.append(str((tree / path).resolve()))
    return folders


def check_staged(root: Path) -> int:
    """Run `invoke check` on the files staged for commit (the index) in the work tree at
    ``root``; return its exit status.

    The index is exported into a temporary folder (``git checkout-index``, which follows
    ``GIT_INDEX_FILE`` when git sets it for ``git commit -a`` or ``git commit <paths>``), and
    the exported tree's own tasks run there with this interpreter, and its own copies of the
    local packages (requirements-local.txt: the info-sessions plugin) come first on the
    import path, ahead of the editable installs of the working tree. Git commands inside see
    the repository with that folder as its work tree, so the warnings that compare with the
    last commit compare the staged files.
    """
    _work_tree(root)
    git_dir = _git(root, "rev-parse", "--absolute-git-dir").stdout.strip()
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip())
    environment = dict(os.environ)
    index = environment.get("GIT_INDEX_FILE")
    if index and not os.path.isabs(index):
        environment["GIT_INDEX_FILE"] = str(top / index)  # git gives it relative to the top
    with tempfile.TemporaryDirectory(prefix="staged-") as folder:
        exported = subprocess.run(
            ["git", "-C", str(top), "checkout-index", "--all", f"--prefix={folder}/"],
            env=environment,
            capture_output=True,
            text=True,
        )
        if exported.returncode != 0:
            raise HookError(
                f"the staged files could not be exported for checking: {exported.stderr.strip()}"
            )
        environment.update(
            GIT_DIR=git_dir,
            GIT_WORK_TREE=folder,
            GIT_OPTIONAL_LOCKS="0",  # git status must not refresh the real index from here
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=os.pathsep.join(
                [*local_package_folders(Path(folder)), environment.get("PYTHONPATH", "")]
            ).rstrip(os.pathsep),
        )
        command = [sys.executable, "-m", "invoke", "--search-root", folder, "check"]
        return subprocess.run(command, cwd=folder, env=environment).returncode
