"""Build the site atomically: into a fresh folder beside the target, swapped in on success.

A failed build (the plugins' content problems, an exception, any warning or error Pelican or
a plugin logs, or a write that fails because the disk is full) leaves the target folder
exactly as it was and raises :class:`BuildError` listing every problem.

Under every fault: one build of a folder at a time (a lock file beside it, ``fcntl.flock``;
a second build waits and says so); the new site replaces the old one by one atomic exchange
of the two folders (Linux ``renameat2(RENAME_EXCHANGE)``), or, where the system cannot
exchange, by two renames whose interruption the next build repairs by restoring the previous
site; folders that killed builds left behind (``.output.building-*``, ``.output.old-*``,
``.output.sync-*``) are removed by the next build.

Test seam: with the environment variable ``HQ_BUILD_TEST_PAUSE`` set to ``before-swap``,
``after-swap`` or ``between-renames`` (which also forces the two-rename swap), a build stops
at that point for ``HQ_BUILD_TEST_PAUSE_SECONDS`` (default 60) and says so on stderr, so
that tests can kill it there.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from pelican import Pelican
from pelican.plugins.info_sessions.cache import RebuildCache
from pelican.plugins.info_sessions.problems import NOTICE_ATTRIBUTE, ContentError, Problem
from pelican.settings import read_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What builds leave beside the output folder while they run (and killed ones leave behind).
STAGING_MARK, RETIRED_MARK, SYNC_MARK = "building-", "old-", "sync-"
_PAUSE = "HQ_BUILD_TEST_PAUSE"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100
# The message Pelican logs when a reader raised; dropped when that file's problem is known.
_COULD_NOT_PROCESS = "Could not process %s"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LoggedMessage:
    """A warning or error that Pelican or a plugin logged (each one fails a build), or a
    file operation of the build itself that failed."""

    level: str  # "warning", "error", "critical"
    logger: str
    text: str
    args: tuple[object, ...] = ()  # the message's arguments, as the logger was given them

    def __str__(self) -> str:
        """``level: text``, as Pelican prints it."""
        return f"{self.level}: {self.text}"


class BuildError(Exception):
    """The build failed; ``problems`` holds every problem and logged message that made it
    fail, ``notices`` what the plugins noted that alone would not have (see ``notices``)."""

    def __init__(
        self, problems: Sequence[Problem | LoggedMessage], notices: Sequence[Problem] = ()
    ):
        """Keep the problems; the message lists them, one a line."""
        self.problems: tuple[Problem | LoggedMessage, ...] = tuple(problems)
        self.notices: tuple[Problem, ...] = tuple(notices)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class LoggedProblems:
    """The warnings and errors logged while a build ran, as the build reports them."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        """Collect for a build with ``settings`` (its LOG_FILTER is honoured)."""
        self.ignored = {tuple(entry) for entry in settings.get("LOG_FILTER", ())}
        self.records: list[logging.LogRecord] = []

    @property
    def notices(self) -> list[Problem]:
        """The notices logged (warnings with a ``Problem`` attached as NOTICE_ATTRIBUTE):
        things the build did on its own, which do not fail it."""
        attached = (getattr(record, NOTICE_ATTRIBUTE, None) for record in self.records)
        return [problem for problem in attached if isinstance(problem, Problem)]

    def keep(self, record: logging.LogRecord) -> None:
        """Keep ``record`` unless the site's LOG_FILTER ignores it."""
        text = record.getMessage()
        if not {(record.levelno, str(record.msg)), (record.levelno, text)} & self.ignored:
            self.records.append(record)

    @property
    def problems(self) -> list[Problem | LoggedMessage]:
        """Each record as a problem: the ``Problem`` a plugin attached to it (as
        ``content_problem``, the way content_guard logs), else the message. Pelican's "Could
        not process <file>" after a reader refused the file is left out when that file's
        problem is known. Read once the block is over: a record's extra attributes are set
        after the record is made."""
        records = [r for r in self.records if getattr(r, NOTICE_ATTRIBUTE, None) is None]
        attached = [getattr(record, "content_problem", None) for record in records]
        files = {problem.path for problem in attached if isinstance(problem, Problem)}
        found: list[Problem | LoggedMessage] = []
        for record, problem in zip(records, attached, strict=True):
            if isinstance(problem, Problem):
                found.append(problem)
                continue
            if record.msg == _COULD_NOT_PROCESS and record.args and _refused(record, files):
                continue
            arguments = record.args if isinstance(record.args, tuple) else ()
            text = record.getMessage()
            found.append(LoggedMessage(record.levelname.lower(), record.name, text, arguments))
        return found


def _refused(record: logging.LogRecord, files: set[str]) -> bool:
    """Whether Pelican's "Could not process <file>" names a file with a known problem
    (Pelican names it under the content folder, problems under the folder's own name)."""
    relative = str(record.args[0]).replace(os.sep, "/")  # type: ignore[index]
    return any(path.split("/", 1)[-1] == relative for path in files)


@contextmanager
def logged_messages(settings: Mapping[str, Any]) -> Iterator[LoggedProblems]:
    """Every warning and error logged in this thread while the block runs.

    Records are taken as they are made (a log-record factory, the standard library's public
    hook), before any logger's filters run: Pelican's filter drops a message it has seen
    before anywhere in the process, so a second build with the same problem would otherwise
    pass. Messages the site ignores with Pelican's LOG_FILTER setting stay ignored. They are
    listed by whoever reports the build's problems, so the block gives the root logger a
    handler that prints nothing (else Python would print each warning to stderr too).
    """
    found = LoggedProblems(settings)
    thread = threading.get_ident()
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.levelno >= logging.WARNING and record.thread == thread:
            found.keep(record)
        return record

    quiet = logging.NullHandler()
    logging.setLogRecordFactory(make_record)
    logging.getLogger().addHandler(quiet)
    try:
        yield found
    finally:
        logging.getLogger().removeHandler(quiet)
        logging.setLogRecordFactory(previous)


@dataclass(frozen=True)
class BuildResult:
    """Where the site was written, and the notices of the build (nothing to fix: e.g. a feed
    that left out its farthest sessions to stay under its size limit)."""

    output: Path
    notices: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class PelicanRun:
    """What one run of Pelican found: problems (any fails the build) and notices."""

    problems: list[Problem | LoggedMessage]
    notices: list[Problem]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory between the rebuilds of one process; Jinja checks
    each template's source against its checksum, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from memory if this template was compiled before."""
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self._code[bucket.key] = bucket.bytecode_to_string()


def template_cache(settings: Mapping[str, Any]) -> BytecodeCache | None:
    """Compiled templates kept on disk from one build to the next, in the folder that
    SITE_TEMPLATE_CACHE names; None without the setting. Jinja keys each template by its file
    and checks its source's checksum, so an edited template is compiled again; compiling
    the theme was about a twentieth of a build at N = 1,000."""
    folder = settings.get("SITE_TEMPLATE_CACHE")
    if not folder:
        return None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:  # a cache only saves time: build without it, compiling every template
        return None
    return FileSystemBytecodeCache(str(folder))


def site_today(day: str) -> dict[str, str]:
    """Overrides that set "today" (YYYY-MM-DD) for a whole build: ours (SITE_TODAY) and the
    info-sessions plugin's, which pelicanconf.py sets from ours when it is read (an override
    applies after that)."""
    return {"SITE_TODAY": day, "INFO_SESSIONS_TODAY": day}


@dataclass
class KeptBetweenBuilds:
    """What `make serve` keeps from one build to the next of one process."""

    sessions: RebuildCache = field(default_factory=RebuildCache)  # the info-sessions plugin's
    templates: MemoryBytecodeCache = field(default_factory=lambda: MemoryBytecodeCache())
    scratch: Path | None = None  # a folder in memory (tmpfs) to build in, when there is room
    removal: threading.Thread | None = None  # removing the last build's folder in memory

    def remove_later(self, folder: Path) -> None:
        """Remove ``folder`` (a build in memory, already written into output/) in the
        background: the served site does not wait for it (it was a twentieth of a rebuild
        at N = 1,000). A failed build removes its folder before it raises."""
        self.wait_for_removal()
        self.removal = threading.Thread(
            target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True
        )
        self.removal.start()

    def wait_for_removal(self) -> None:
        """Return once the folder given to ``remove_later`` is gone."""
        if self.removal is not None:
            self.removal.join()
            self.removal = None


def load_settings(settings_file: Path, overrides: Mapping[str, Any] | None = None) -> dict:
    """Read a Pelican settings file; Pelican resolves its relative paths (PATH, THEME,
    PLUGIN_PATHS...) against the file's folder."""
    return read_settings(str(settings_file), override=dict(overrides or {}))


def build_site(
    output: Path,
    *,
    settings_file: Path = PROJECT_ROOT / "pelicanconf.py",
    overrides: Mapping[str, Any] | None = None,
    kept: KeptBetweenBuilds | None = None,
    say: Callable[[str], None] = _say,
) -> BuildResult:
    """Build into ``output`` atomically; raise :class:`BuildError` on any problem.

    The site is built into a new folder beside ``output`` and swapped in (see the module's
    docstring). The dev server's rebuilds pass ``kept``: what the info-sessions plugin keeps
    between builds (emptied when the settings change), compiled templates, and a folder in
    memory (tmpfs) to build in: on success only the files whose bytes changed are written
    into ``output`` (each replaced by a rename) and files the build no longer makes are
    removed, since writing thousands of unchanged files to disk was most of a rebuild.
    ``say`` tells the user when the build waits for another one.
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(output, say):
        recover_and_clean(output, say)
        return _build_locked(output, settings_file, overrides, kept)


def _build_locked(
    output: Path,
    settings_file: Path,
    overrides: Mapping[str, Any] | None,
    kept: KeptBetweenBuilds | None,
) -> BuildResult:
    """build_site's work, with the lock held."""
    scratch = kept.scratch if kept is not None else None
    if kept is not None:
        kept.wait_for_removal()  # the last build's folder in memory, before making another
    staging = Path(
        tempfile.mkdtemp(prefix=f".{output.name}.{STAGING_MARK}", dir=scratch or output.parent)
    )
    staging_map = staging.with_name(staging.name + ".sources.json")
    synced = False
    try:
        notices = _run_pelican(settings_file, overrides, kept, staging, staging_map)
        try:
            if scratch is None:
                _swap_in(staging, output)
            else:
                sync_tree(staging, output)
            if staging_map.exists():
                temporary = output.with_name(f".{output.name}.{SYNC_MARK}map-{os.getpid()}")
                _place_file(staging_map, source_map_path(output), temporary)
        except OSError as error:
            raise BuildError([write_problem(error)]) from error
        synced = True
    finally:
        if kept is not None and scratch is not None and synced:
            kept.remove_later(staging)  # the served site is complete: it need not wait
        else:
            shutil.rmtree(staging, ignore_errors=True)
        staging_map.unlink(missing_ok=True)
    return BuildResult(output=output, notices=tuple(notices))


def _run_pelican(
    settings_file: Path,
    overrides: Mapping[str, Any] | None,
    kept: KeptBetweenBuilds | None,
    staging: Path,
    staging_map: Path,
) -> list[Problem]:
    """Run Pelican once into ``staging``; its notices, or raise BuildError with every
    problem."""
    settings = load_settings(settings_file, overrides)
    sessions = kept.sessions if kept is not None else None
    if sessions is not None:
        sessions.start(settings)  # as read, before plugins add to them or we do
    settings.update(OUTPUT_PATH=str(staging), SITE_SOURCE_MAP=str(staging_map))
    templates = kept.templates if kept is not None else template_cache(settings)
    if templates is not None:
        settings["JINJA_ENVIRONMENT"] = {
            **settings["JINJA_ENVIRONMENT"],
            "bytecode_cache": templates,
        }
    installed = sessions.installed() if sessions is not None else contextlib.nullcontext()
    with installed:
        run = run_pelican(settings)
    if run.problems:
        raise BuildError(run.problems, run.notices)
    return run.notices


def run_pelican(settings: dict[str, Any]) -> PelicanRun:
    """Run Pelican once with ``settings``: every problem it found (logged, raised by a
    plugin, a file operation that failed, or any other error) and every notice. The one way
    both the build and ``make check`` run Pelican, so that they give the same verdict on
    every input."""
    found: list[Problem | LoggedMessage] = []
    with logged_messages(settings) as logged:
        try:
            Pelican(settings).run()
        except ContentError as error:
            found = list(error.problems)
        except OSError as error:  # the disk is full, a folder is not writable...
            found = [write_problem(error)]
        except Exception as error:  # a defect of the build: still a report, not a traceback
            found = [LoggedMessage("error", type(error).__module__, str(error))]
    return PelicanRun([*logged.problems, *found], logged.notices)


def write_problem(error: OSError) -> LoggedMessage:
    """The build problem for a file operation that failed: what, where, and what to do."""
    where = f" ({error.filename})" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        text = (
            f"the disk is full{where}: {error.strerror}; free some space and build again (the "
            "previous site is unchanged)"
        )
    elif error.errno in (errno.EFBIG, errno.EROFS):
        text = (
            f"could not write the site{where}: {error.strerror}; check the folder's file "
            "system and limits, then build again (the previous site is unchanged)"
        )
    else:
        text = (
            f"a file could not be read or written{where}: {error.strerror or error}; check "
            "its permissions, then build again (the previous site is unchanged)"
        )
    return LoggedMessage("error", __name__, text)


def _place_file(source: Path, target: Path, temporary: Path) -> None:
    """Put ``source`` at ``target`` in one rename: copied to ``temporary`` (beside
    ``target``) first when the two are on different file systems, so no reader ever sees
    half of it."""
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)


@contextmanager
def build_lock(output: Path, say: Callable[[str], None] = _say) -> Iterator[None]:
    """Hold the lock of ``output`` (a file ``.<name>.lock`` beside it) for one build; when
    another build holds it, say so and wait for it."""
    path = output.with_name(f".{output.name}.lock")
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
            by = f" (process {holder})" if holder.isdigit() else ""
            say(f"build: another build of {output} is running{by}; waiting for it to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            say("build: the other build finished; building now")
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(descriptor)  # releases the lock (so does the death of the process)


def recover_and_clean(output: Path, say: Callable[[str], None] = _say) -> None:
    """Repair what an interrupted build left beside ``output`` (call with the lock held).

    When ``output`` is missing because a build was stopped between the two renames of a
    swap, the previous site is moved back from its ``.old-`` folder. Every other staging,
    retired or sync folder (and staged source map) is left over from a stopped build, and
    removed.
    """
    prefix = f".{output.name}."
    leftovers = sorted(
        (p for p in output.parent.iterdir() if p.name.startswith(prefix)),
        key=lambda p: p.lstat().st_mtime,
    )
    retired = [p for p in leftovers if p.name.startswith(prefix + RETIRED_MARK) and p.is_dir()]
    if not os.path.lexists(output) and retired:
        previous = retired.pop()  # the newest
        previous.rename(output)
        say(
            f"build: {output} was missing after a build that was stopped; restored the "
            f"previous site from {previous.name}"
        )
    for path in leftovers:
        if path == output or not path.name.startswith(
            tuple(prefix + mark for mark in (STAGING_MARK, RETIRED_MARK, SYNC_MARK))
        ):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.lexists(path):
            path.unlink(missing_ok=True)


def _test_pause(step: str) -> None:
    """The test seam of the module docstring: stop at ``step`` when asked to."""
    if os.environ.get(_PAUSE) == step:
        _say(f"build: paused at {step} ({_PAUSE})")
        time.sleep(float(os.environ.get(f"{_PAUSE}_SECONDS", "60")))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """Libc's renameat2, or None where there is none (not Linux, or glibc before 2.28)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system or file system cannot
    (then nothing changed)."""
    function = _renameat2()
    if function is None:
        return False
    done = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def source_map_path(output: Path) -> Path:
    """Where a build's {output file: source file} map is written (beside the output)."""
    return output.with_name(output.name + ".sources.json")


def _swap_in(staging: Path, output: Path) -> None:
    """Replace ``output`` with ``staging`` so that readers never see a half site, and a kill
    at any point leaves a whole site at ``output`` (or one the next build restores)."""
    staging.chmod(0o755)
    _test_pause("before-swap")
    if not os.path.lexists(output):
        staging.rename(output)
        return
    two_renames = os.environ.get(_PAUSE) == "between-renames"
    if not two_renames and exchange(staging, output):
        _test_pause("after-swap")
        shutil.rmtree(staging, ignore_errors=True)  # it holds the previous site now
        return
    retired = Path(
        tempfile.mkdtemp(prefix=f".{output.name}.{RETIRED_MARK}{os.getpid()}-", dir=output.parent)
    )
    os.replace(output, retired)  # replaces the empty folder just made
    _test_pause("between-renames")
    staging.rename(output)
    shutil.rmtree(retired, ignore_errors=True)


def _write_bytes(path: str, data: bytes) -> None:
    """Write one file for :func:`sync_tree`. Test seam: tests replace it to fail as a full
    disk does (``OSError(errno.ENOSPC, ...)``)."""
    with open(path, "wb") as handle:
        handle.write(data)


def sync_tree(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly the files of ``source``, writing only those whose bytes
    differ, in two phases so that a failed write (a full disk) leaves ``target`` untouched:
    every changed file is first written into a folder beside ``target`` (same file system);
    only when all are written are they renamed into place (no reader sees half a file) and
    the files no longer made removed."""
    # Plain strings and os functions: pathlib's parsing was most of the time at N = 1,000.
    source_root, target_root = str(source), str(target)
    os.makedirs(target_root, exist_ok=True)
    pending = tempfile.mkdtemp(
        prefix=f".{target.name}.{SYNC_MARK}{os.getpid()}-", dir=str(target.parent)
    )
    try:
        wanted: set[str] = set()
        changed: list[tuple[str, str]] = []  # (relative path, pending file)
        for relative, path in _files(source_root):
            wanted.add(relative)
            with open(path, "rb") as handle:
                new = handle.read()
            try:
                with open(os.path.join(target_root, relative), "rb") as handle:
                    if handle.read() == new:
                        continue
            except (IsADirectoryError, FileNotFoundError, NotADirectoryError):
                pass
            written = os.path.join(pending, str(len(changed)))
            _write_bytes(written, new)
            changed.append((relative, written))
        for relative, written in changed:
            destination = os.path.join(target_root, relative)
            if os.path.isdir(destination) and not os.path.islink(destination):
                shutil.rmtree(destination)  # a folder became a file
            _make_folder(target_root, os.path.dirname(relative))
            os.replace(written, destination)
    finally:
        shutil.rmtree(pending, ignore_errors=True)
    for folder, folders, names in os.walk(target_root, topdown=False):
        relative = os.path.relpath(folder, target_root)
        prefix = "" if relative == "." else relative + os.sep
        for name in names:
            if prefix + name not in wanted:
                os.unlink(os.path.join(folder, name))
        for name in folders:
            place = os.path.join(folder, name)
            if not os.path.islink(place) and not os.listdir(place):
                os.rmdir(place)


def _files(root: str, relative: str = "") -> Iterator[tuple[str, str]]:
    """(path relative to ``root``, path) of every file under ``root``, as ``os.walk`` finds
    them (links to folders are not entered); faster than os.walk with relpath."""
    with os.scandir(os.path.join(root, relative) if relative else root) as entries:
        for entry in entries:
            inner = relative + os.sep + entry.name if relative else entry.name
            if not entry.is_dir():
                yield inner, entry.path
            elif not entry.is_symlink():
                yield from _files(root, inner)


def _make_folder(root: str, relative: str) -> None:
    """Create ``root/relative``, removing files that stand where a folder must be."""
    try:
        os.makedirs(os.path.join(root, relative), exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    place = root
    for part in Path(relative).parts:
        place = os.path.join(place, part)
        if os.path.lexists(place) and not os.path.isdir(place):
            os.unlink(place)  # a file became a folder
    os.makedirs(os.path.join(root, relative), exist_ok=True)
