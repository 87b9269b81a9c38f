"""Content files as the plugin reads them: only regular files inside the content folder.

A content folder may hold symbolic links and special files put there by whoever wrote its
content. ``read_content_bytes`` is the one way the plugin (and a site's own plugins) read a
content file: the file's real path (symbolic links resolved) must be inside the content
folder, and it must be a regular file, not a FIFO, socket or device, which could block the
build or read from somewhere else. Nothing is read from a file it refuses, and no message
holds any of a refused file's text. A content file larger than the build's limit
(INFO_SESSIONS_MAX_FILE_BYTES, ``max_bytes`` here) is refused before it is read, by its size
on disk: the one size limit for every content type, in the build and in ``make check``
alike. ``shown_path`` is how problems name a file.
"""

from __future__ import annotations

import os
import posixpath
import stat

FIX_LINK = "replace the link with a copy of the file inside content/, or remove it"
FIX_SPECIAL = "remove it: content/ may hold only ordinary files and folders"
MAX_BYTES_SETTING = "INFO_SESSIONS_MAX_FILE_BYTES"


class ContentPathError(ValueError):
    """A file the build must not read: ``reason`` says why and ``fix`` what to do."""

    def __init__(self, reason: str, fix: str) -> None:
        """Keep why and what to do; the message joins them."""
        self.reason = reason
        self.fix = fix
        super().__init__(f"{reason}; {fix}")


def is_within(path: str, folder: str) -> bool:
    """True when the absolute ``path`` is ``folder`` itself or anywhere inside it."""
    folder = folder.rstrip(os.sep)  # "/" becomes "": every absolute path is inside it
    return path == folder or path.startswith(folder + os.sep)


def special_kind(mode: int) -> str | None:
    """What kind of special file ``mode`` (``st_mode``) describes; None for regular files
    and folders."""
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


def size_problem(size: int, max_bytes: int | None) -> ContentPathError | None:
    """The error for a content file of ``size`` bytes when it passes ``max_bytes``."""
    if max_bytes is None or size <= max_bytes:
        return None
    return ContentPathError(
        f"is {size:,} bytes, more than the {max_bytes:,} a content file may have",
        f"shorten it or split it into several files (the limit is {MAX_BYTES_SETTING} in "
        "pelicanconf.py)",
    )


def _real_folder(folder: str, folders: dict[str, str] | None) -> str:
    """``os.path.realpath(folder)``, kept in ``folders`` when it is given."""
    if folders is None:
        return os.path.realpath(folder)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    return real


def _status(real: str, path: str) -> os.stat_result:
    """The status of ``real``, the real path of ``path``, or why it cannot be read."""
    try:
        return os.stat(real)
    except FileNotFoundError as error:
        if os.path.islink(path):
            raise ContentPathError("is a symbolic link that leads nowhere", FIX_LINK) from error
        raise ContentPathError("not found", "check the name") from error
    except OSError as error:  # a loop of links, a folder without permission...
        raise ContentPathError("cannot be opened", FIX_LINK) from error


def _real_path(path: str, folders: dict[str, str] | None) -> tuple[str, os.stat_result | None]:
    """``os.path.realpath(path)``, and the file's status when it was read on the way.
    ``folders`` (real paths of folders, by path) spares resolving the same folder again:
    the file itself is then looked at once, and resolved in full only when it is a link."""
    if folders is None:
        return os.path.realpath(path), None
    folder, name = os.path.split(path)
    real_folder = _real_folder(folder, folders)
    try:
        status = os.lstat(path)
    except OSError:  # the full resolution below says what is wrong
        return os.path.realpath(path), None
    if stat.S_ISLNK(status.st_mode) or name in ("", ".", ".."):
        return os.path.realpath(path), None
    return os.path.join(real_folder, name), status


def confined_path(
    content: str, path: str, *, max_bytes: int | None, folders: dict[str, str] | None = None
) -> str:
    """The real path of ``path`` when it is a regular file inside the ``content`` folder,
    of at most ``max_bytes`` bytes (None: any size, for static files that are only copied);
    otherwise raise :class:`ContentPathError` (nothing is opened). ``folders``: a dict the
    caller keeps for one pass over many files, so that each folder is resolved once."""
    root = _real_folder(content, folders)
    real, status = _real_path(path, folders)
    if not is_within(real, root):
        raise ContentPathError(_outside_reason(path, root), FIX_LINK)
    if status is None:
        status = _status(real, path)
    mode = status.st_mode
    if stat.S_ISDIR(mode):
        raise ContentPathError("is a folder, not a file", "name a file")
    kind = special_kind(mode)
    if kind:
        raise ContentPathError(f"is {kind}, not an ordinary file", FIX_SPECIAL)
    too_large = size_problem(status.st_size, max_bytes)
    if too_large is not None:
        raise too_large
    return real


def read_content_bytes(
    content: str, path: str, *, max_bytes: int | None, folders: dict[str, str] | None = None
) -> bytes:
    """The bytes of ``path``, a regular file inside the ``content`` folder of at most
    ``max_bytes`` bytes; raises :class:`ContentPathError` for anything else (before reading
    a byte of it). ``folders`` as for :func:`confined_path`."""
    real = confined_path(content, path, max_bytes=max_bytes, folders=folders)
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        descriptor = os.open(real, flags)
    except OSError as error:  # swapped for a link since it was checked
        raise ContentPathError("cannot be opened", FIX_LINK) from error
    with os.fdopen(descriptor, "rb") as handle:
        kind = special_kind(os.fstat(handle.fileno()).st_mode)
        if kind:
            raise ContentPathError(f"is {kind}, not an ordinary file", FIX_SPECIAL)
        data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
        too_large = size_problem(len(data), max_bytes)  # it grew since it was checked
        if too_large is not None:
            raise too_large
        return data


def shown_path(content: str, path: str) -> str:
    """How problems name a file: under the content folder's own name ("content/news/x.md")."""
    folder = os.path.abspath(content)
    relative = os.path.relpath(os.path.abspath(path), folder)
    return posixpath.join(os.path.basename(folder), relative.replace(os.sep, "/"))
