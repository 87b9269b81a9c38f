"""Build the site atomically: into a fresh folder beside the target, swapped in on success.

A failed build (the plugins' content problems, an exception, or any warning or error Pelican
or a plugin logs) leaves the target folder exactly as it was and raises :class:`BuildError`
listing every problem.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from pelican import Pelican
from pelican.plugins.info_sessions.cache import RebuildCache
from pelican.plugins.info_sessions.problems import ContentError, Problem
from pelican.settings import read_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LoggedMessage:
    """A warning or error that Pelican or a plugin logged (each one fails a build)."""

    level: str  # "warning", "error", "critical"
    logger: str
    text: str
    args: tuple[object, ...] = ()  # the message's arguments, as the logger was given them

    def __str__(self) -> str:
        """``level: text``, as Pelican prints it."""
        return f"{self.level}: {self.text}"


class BuildError(Exception):
    """The build failed; ``problems`` holds every problem and logged message that made it
    fail."""

    def __init__(self, problems: Sequence[Problem | LoggedMessage]):
        """Keep the problems; the message lists them, one a line."""
        self.problems: tuple[Problem | LoggedMessage, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@contextmanager
def logged_messages(settings: Mapping[str, Any]) -> Iterator[list[LoggedMessage]]:
    """Every warning and error logged in this thread while the block runs.

    Records are taken as they are made (a log-record factory, the standard library's public
    hook), before any logger's filters run: Pelican's filter drops a message it has seen
    before anywhere in the process, so a second build with the same problem would otherwise
    pass. Messages the site ignores with Pelican's LOG_FILTER setting stay ignored. They are
    listed by whoever reports the build's problems, so the block gives the root logger a
    handler that prints nothing (else Python would print each warning to stderr too).
    """
    found: list[LoggedMessage] = []
    ignored = {tuple(entry) for entry in settings.get("LOG_FILTER", ())}
    thread = threading.get_ident()
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.levelno >= logging.WARNING and record.thread == thread:
            text = record.getMessage()
            if not {(record.levelno, str(record.msg)), (record.levelno, text)} & ignored:
                arguments = record.args if isinstance(record.args, tuple) else ()
                found.append(LoggedMessage(record.levelname.lower(), record.name, text, arguments))
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
    """Where the site was written."""

    output: Path


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
) -> BuildResult:
    """Build into ``output`` atomically; raise :class:`BuildError` on any problem.

    The site is built into a new folder beside ``output`` and swapped in by renames. The dev
    server's rebuilds pass ``kept``: what the info-sessions plugin keeps between builds
    (emptied when the settings change), compiled templates, and a folder in memory (tmpfs)
    to build in: on success only the files whose bytes changed are written into ``output``
    (each replaced by a rename) and files the build no longer makes are removed, since
    writing thousands of unchanged files to disk was most of a rebuild.
    """
    sessions = kept.sessions if kept is not None else None
    templates = kept.templates if kept is not None else None
    scratch = kept.scratch if kept is not None else None
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=scratch or output.parent)
    )
    staging_map = staging.with_name(staging.name + ".sources.json")
    try:
        settings = load_settings(settings_file, overrides)
        if sessions is not None:
            sessions.start(settings)  # as read, before plugins add to them or we do
        settings.update(OUTPUT_PATH=str(staging), SITE_SOURCE_MAP=str(staging_map))
        if templates is not None:
            settings["JINJA_ENVIRONMENT"] = {
                **settings["JINJA_ENVIRONMENT"],
                "bytecode_cache": templates,
            }
        installed = sessions.installed() if sessions is not None else contextlib.nullcontext()
        with logged_messages(settings) as logged, installed:
            try:
                Pelican(settings).run()
            except ContentError as error:
                raise BuildError([*logged, *error.problems]) from error
            except Exception as error:
                unexpected = LoggedMessage("error", type(error).__module__, str(error))
                raise BuildError([*logged, unexpected]) from error
        if logged:
            raise BuildError(logged)
        if scratch is None:
            _swap_in(staging, output)
        else:
            sync_tree(staging, output)
        if staging_map.exists():
            shutil.move(staging_map, source_map_path(output))  # may cross file systems
    finally:
        if staging.exists():
            shutil.rmtree(staging)
        staging_map.unlink(missing_ok=True)
    return BuildResult(output=output)


def source_map_path(output: Path) -> Path:
    """Where a build's {output file: source file} map is written (beside the output)."""
    return output.with_name(output.name + ".sources.json")


def _swap_in(staging: Path, output: Path) -> None:
    """Replace ``output`` with ``staging`` using renames, so readers never see a half site."""
    staging.chmod(0o755)
    if not output.exists():
        staging.rename(output)
        return
    retired = output.with_name(f".{output.name}.old-{os.getpid()}")
    output.rename(retired)
    staging.rename(output)
    shutil.rmtree(retired)


def sync_tree(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly the files of ``source``, writing only those whose bytes
    differ (each through a temporary file and a rename, so no reader sees half a file)."""
    # Plain strings and os functions: pathlib's parsing was most of the time at N = 1,000.
    source_root, target_root = str(source), str(target)
    os.makedirs(target_root, exist_ok=True)
    wanted: set[str] = set()
    for folder, _, names in os.walk(source_root):
        relative = os.path.relpath(folder, source_root)
        target_folder = target_root if relative == "." else os.path.join(target_root, relative)
        for name in names:
            wanted.add(os.path.normpath(os.path.join(relative, name)))
            with open(os.path.join(folder, name), "rb") as handle:
                new = handle.read()
            destination = os.path.join(target_folder, name)
            try:
                with open(destination, "rb") as handle:
                    if handle.read() == new:
                        continue
            except IsADirectoryError:
                shutil.rmtree(destination)  # a folder became a file
            except (FileNotFoundError, NotADirectoryError):
                pass
            _make_folder(target_root, relative)
            temporary = os.path.join(target_folder, f".{name}.sync-{os.getpid()}")
            with open(temporary, "wb") as handle:
                handle.write(new)
            os.replace(temporary, destination)
    for folder, folders, names in os.walk(target_root, topdown=False):
        relative = os.path.relpath(folder, target_root)
        for name in names:
            if os.path.normpath(os.path.join(relative, name)) not in wanted:
                os.unlink(os.path.join(folder, name))
        for name in folders:
            place = os.path.join(folder, name)
            if not os.path.islink(place) and not os.listdir(place):
                os.rmdir(place)


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
