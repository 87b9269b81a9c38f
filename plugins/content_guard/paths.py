"""Content-path confinement: what the build reads is inside content/, what it writes is inside
the output folder.

Every file the build reads or copies must be a regular file whose real path (symbolic links
resolved) is inside the content folder; every file it writes must land inside the output
folder. ``audit_content`` walks the content folder once, before anything is read, and lists
every symbolic link that leads outside it (or nowhere, or back into a folder that holds it) and
every special file (FIFO, socket, device). ``read_content_bytes`` is the one way our plugins
read a content file. ``output_problem`` says whether a path to write stays in the output folder.

Nothing here ever reads a file it refuses, and no message holds any of a refused file's text.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass

FIX_LINK = "replace the link with a copy of the file inside content/, or remove it"
FIX_SPECIAL = "remove it: content/ may hold only ordinary files and folders"


class ContentPathError(ValueError):
    """A file the build must not read: ``reason`` says why and ``fix`` what to do."""

    def __init__(self, reason: str, fix: str):
        self.reason = reason
        self.fix = fix
        super().__init__(f"{reason}; {fix}")


@dataclass(frozen=True)
class Escape:
    """A path in the content folder the build refuses: ``relative`` to the folder (with
    "/"), what the symbolic link says (None when it is not a link), and why."""

    relative: str
    link: str | None
    reason: str
    fix: str


def is_within(path: str, folder: str) -> bool:
    """True when the absolute ``path`` is ``folder`` itself or anywhere inside it."""
    folder = folder.rstrip(os.sep)  # "/" becomes "": every absolute path is inside it
    return path == folder or path.startswith(folder + os.sep)


def _special_kind(mode: int) -> str | None:
    """What kind of special file ``mode`` describes; None for files and folders."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _outside_reason(path: str, root: str) -> str:
    """Why ``path`` (whose real path is outside ``root``) leaves the content folder."""
    if os.path.islink(path):
        return "is a symbolic link to a file outside content/"
    parent = os.path.dirname(os.path.abspath(path))
    while is_within(parent, root) and parent != root:
        if os.path.islink(parent):
            return "is in a symbolically linked folder that leads outside content/"
        parent = os.path.dirname(parent)
    return "is outside content/"


def confined_path(content: str, path: str) -> str:
    """The real path of ``path`` when it is a regular file inside the ``content`` folder;
    otherwise raise :class:`ContentPathError` (nothing is opened)."""
    root = os.path.realpath(content)
    real = os.path.realpath(path)
    if not is_within(real, root):
        raise ContentPathError(_outside_reason(path, root), FIX_LINK)
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError as error:
        if os.path.islink(path):
            raise ContentPathError("is a symbolic link that leads nowhere", FIX_LINK) from error
        raise ContentPathError("not found", "check the name") from error
    except OSError as error:  # a loop of links, a folder without permission...
        raise ContentPathError("cannot be opened", FIX_LINK) from error
    if stat.S_ISDIR(mode):
        raise ContentPathError("is a folder, not a file", "name a file")
    kind = _special_kind(mode)
    if kind:
        raise ContentPathError(f"is {kind}, not an ordinary file", FIX_SPECIAL)
    return real


def read_content_bytes(content: str, path: str) -> bytes:
    """The bytes of ``path``, a regular file inside the ``content`` folder; raises
    :class:`ContentPathError` for anything else (before reading a byte of it)."""
    real = confined_path(content, path)
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        descriptor = os.open(real, flags)
    except OSError as error:  # swapped for a link since it was checked
        raise ContentPathError("cannot be opened", FIX_LINK) from error
    with os.fdopen(descriptor, "rb") as handle:
        kind = _special_kind(os.fstat(handle.fileno()).st_mode)
        if kind:
            raise ContentPathError(f"is {kind}, not an ordinary file", FIX_SPECIAL)
        return handle.read()


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
    kind = _special_kind(mode)
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
                if entry.is_symlink():
                    escape = _link_escape(entry.path, relative, root)
                    if escape:
                        escapes.append(escape)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{relative}/"))
                elif not entry.is_file(follow_symlinks=False):
                    kind = _special_kind(entry.stat(follow_symlinks=False).st_mode)
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
    return None


def display_path(content: str, path: str) -> str:
    """How messages name a file: "content/news/x.md" (the content folder's own name first)."""
    folder = os.path.abspath(content)
    relative = os.path.relpath(os.path.abspath(path), folder)
    return posixpath.join(os.path.basename(folder), relative.replace(os.sep, "/"))
