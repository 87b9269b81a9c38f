"""``paths.confined_path`` with ``folders`` (each folder resolved once in a pass over many
files) gives, for every kind of path, exactly what it gives without."""

from __future__ import annotations

import os
from pathlib import Path

from pelican.plugins.info_sessions.paths import ContentPathError, confined_path


def _verdict(content: Path, path: Path, folders: dict[str, str] | None) -> str:
    try:
        return "ok " + confined_path(str(content), str(path), max_bytes=100, folders=folders)
    except ContentPathError as error:
        return "refused " + str(error)


def test_folders_change_no_verdict(tmp_path: Path) -> None:
    content, outside = tmp_path / "content", tmp_path / "outside"
    (content / "sessions" / "nested").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text("secret")
    (content / "shared.md").write_text("inside")
    sessions = content / "sessions"
    (sessions / "plain.md").write_text("plain")
    (sessions / "nested" / "deep.md").write_text("deep")
    (sessions / "large.md").write_text("x" * 101)
    (sessions / "link-in.md").symlink_to("../shared.md")
    (sessions / "link-out.md").symlink_to(outside / "secret.md")
    (sessions / "dangling.md").symlink_to(outside / "gone.md")
    (sessions / "folder-out").symlink_to(outside, target_is_directory=True)
    (sessions / "folder-in").symlink_to("nested", target_is_directory=True)
    (sessions / "loop").symlink_to("loop")
    os.mkfifo(sessions / "pipe.md")
    paths = [
        sessions / "plain.md",
        sessions / "nested" / "deep.md",
        sessions / "large.md",
        sessions / "link-in.md",
        sessions / "link-out.md",
        sessions / "dangling.md",
        sessions / "folder-out" / "secret.md",
        sessions / "folder-in" / "deep.md",
        sessions / "loop",
        sessions / "pipe.md",
        sessions / "missing.md",
        sessions / "nested",
        content / "shared.md",
    ]
    without = [_verdict(content, path, None) for path in paths]
    folders: dict[str, str] = {}
    with_folders = [_verdict(content, path, folders) for path in paths]
    assert with_folders == without
    assert [v.split()[0] for v in without] == [
        "ok", "ok", "refused", "ok", "refused", "refused", "refused", "ok", "refused",
        "refused", "refused", "refused", "ok",
    ]  # fmt: skip
    # The same pass again, every folder already resolved: still the same.
    assert [_verdict(content, path, folders) for path in paths] == without
