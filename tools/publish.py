"""Publish a built site: to the gh-pages branch (GitHub Pages) or to an rsync target."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


class PublishError(Exception):
    """Publishing could not start or failed; the message says how to fix it."""


def publish_to_github_pages(
    output: Path, repo: Path, *, push: bool, remote: str = "origin", branch: str = "gh-pages"
) -> None:
    """Commit ``output`` as the whole of ``branch`` (with .nojekyll) and optionally push it."""
    if not (output / "index.html").is_file():
        raise PublishError(f"publish: {output} has no index.html; build the site first")
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        "--no-jekyll",
        "--force",
        "--branch",
        branch,
        "--remote",
        remote,
        "--message",
        "Publish the site",
    ]
    if push:
        command.append("--push")
    result = subprocess.run([*command, str(output)], cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"publish: ghp-import failed: {result.stderr.strip()}")


def publish_with_rsync(output: Path, target: str) -> None:
    """Mirror ``output`` to ``target`` (e.g. user@host:/var/www/site/) with rsync --delete."""
    if not target:
        raise PublishError(
            "publish: set PUBLISH_RSYNC_TARGET, e.g. PUBLISH_RSYNC_TARGET=user@host:/var/www/site/"
        )
    if shutil.which("rsync") is None:
        raise PublishError("publish: rsync is not installed; on Debian: apt-get install rsync")
    result = subprocess.run(
        ["rsync", "--recursive", "--checksum", "--delete", "--times", f"{output}/", target],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise PublishError(f"publish: rsync to {target} failed: {result.stderr.strip()}")
