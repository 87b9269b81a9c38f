"""Content-path confinement: what the build reads is inside content/, what it writes is inside
the output folder.

Every file the build reads or copies must be a regular file whose real path (symbolic links
resolved) is inside the content folder; every file it writes must land inside the output
folder. ``audit_content`` walks the content folder once, before anything is read, and lists
every symbolic link that leads outside it (or nowhere, or back into a folder that holds it) and
every special file (FIFO, socket, device). Reading one file is the info-sessions plugin's
``paths.read_content_bytes``, the one way our plugins read a content file; its rules (what
is inside, what is a special file) are used here too. ``output_problem`` says whether a path
to write stays in the output folder.

Names are bounded too: a file or folder in content/ may have a name of at most
MAX_NAME_LENGTH characters (its name becomes a page's folder and a feed's file name, with
a suffix, and file systems refuse names of more than 255 bytes), and every path to write has
parts of at most MAX_OUTPUT_NAME_BYTES bytes.

Nothing here ever reads a file it refuses, and no message holds any of a refused file's text.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass

from pelican.plugins.info_sessions.paths import FIX_LINK, FIX_SPECIAL, is_within, special_kind

# The longest name of a file or folder in content/, in characters (UTF-8: up to 4 bytes each).
MAX_NAME_LENGTH = 100
# The longest part of a path the build writes, in bytes (file systems allow 255; the build
# adds suffixes such as ".ics" and its temporary folders add their own).
MAX_OUTPUT_NAME_BYTES = 240
FIX_NAME = (
    f"rename it to at most {MAX_NAME_LENGTH} characters (lowercase letters, digits and hyphens)"
)


@dataclass(frozen=True)
class Escape:
    """A path in the content folder the build refuses: ``relative`` to the folder (with
    "/"), what the symbolic link says (None when it is not a link), and why."""

    relative: str
    link: str | None
    reason: str
    fix: str


def _link_escape(path: str, relative: str, root: str) -> Escape | None:
    """Why the symbolic link at ``path`` may not stay in the content folder, or None."""
    link = os.readlink(path)
    target = os.path.realpath(path)
    if not is_within(target, root):
        return Escape(relative, link, "is a symbolic link that leads outside content/", FIX_LINK)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return Escape(relative, link, "is a symbolic link that leads nowhere", FIX_LINK)
    except OSError:
        return Escape(relative, link, "is a symbolic link that loops", FIX_LINK)
    if stat.S_ISDIR(mode) and is_within(os.path.realpath(os.path.dirname(path)), target):
        return Escape(
            relative, link, "is a symbolic link to a folder that holds it (a loop)", FIX_LINK
        )
    kind = special_kind(mode)
    if kind:
        return Escape(relative, link, f"is a symbolic link to {kind}", FIX_SPECIAL)
    return None


def audit_content(content: str) -> list[Escape]:
    """Every path in the ``content`` folder the build may not follow or read, sorted.

    Symbolic links are checked, never followed (a link to a folder inside content/ is fine:
    the folder itself is walked where it really is)."""
    root = os.path.realpath(content)
    escapes: list[Escape] = []
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = f"{prefix}{entry.name}"
                if len(entry.name) > MAX_NAME_LENGTH:
                    reason = f"has a name of {len(entry.name)} characters"
                    escapes.append(Escape(relative, None, reason, FIX_NAME))
                    continue  # nothing under a refused name is read
                if entry.is_symlink():
                    escape = _link_escape(entry.path, relative, root)
                    if escape:
                        escapes.append(escape)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{relative}/"))
                elif not entry.is_file(follow_symlinks=False):
                    kind = special_kind(entry.stat(follow_symlinks=False).st_mode)
                    escapes.append(Escape(relative, None, f"is {kind}", FIX_SPECIAL))
    return sorted(escapes, key=lambda escape: escape.relative)


def output_problem(name: str) -> str | None:
    """Why writing ``name`` (a path relative to the output folder) would land outside the
    output folder, or None when it stays inside."""
    if not name:
        return None
    if os.path.isabs(name) or posixpath.isabs(name.replace("\\", "/")):
        return "is an absolute path; pages are written inside the output folder"
    normal = posixpath.normpath(name.replace(os.sep, "/"))
    if normal == ".." or normal.startswith("../"):
        return "climbs out of the output folder with '..'"
    longest = max(normal.split("/"), key=lambda part: len(part.encode("utf-8")))
    if len(longest.encode("utf-8")) > MAX_OUTPUT_NAME_BYTES:
        return (
            f"has a part of {len(longest.encode('utf-8'))} bytes; file systems allow "
            f"{MAX_OUTPUT_NAME_BYTES} here"
        )
    return None
