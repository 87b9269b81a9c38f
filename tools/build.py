"""Build the site atomically: into a fresh folder beside the target, swapped in on success.

A failed build (an exception, or any warning or error Pelican or a plugin logs) leaves the
target folder exactly as it was and raises :class:`BuildError` listing every problem.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BuildError(Exception):
    """The build failed; ``problems`` holds every message that made it fail."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _ProblemCollector(logging.Handler):
    """Collects every warning and error logged during one build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


@contextmanager
def _collect_problems() -> Iterator[_ProblemCollector]:
    # Pelican de-duplicates warnings for the whole process; forget what earlier builds
    # raised, or a second build in one process would hide its problems.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    collector = _ProblemCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield collector
    finally:
        root.removeHandler(collector)


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


def load_settings(settings_file: Path, overrides: Mapping[str, Any] | None = None) -> dict:
    """Read a Pelican settings file with paths resolved against the project root."""
    cwd = Path.cwd()
    os.chdir(settings_file.parent)  # settings files use paths relative to their folder
    try:
        return read_settings(str(settings_file), override=dict(overrides or {}))
    finally:
        os.chdir(cwd)


def build_site(
    output: Path,
    *,
    settings_file: Path = PROJECT_ROOT / "pelicanconf.py",
    overrides: Mapping[str, Any] | None = None,
    templates: BytecodeCache | None = None,
) -> BuildResult:
    """Build into ``output`` atomically; raise :class:`BuildError` on any problem.
    ``templates`` keeps compiled templates for the next build (the dev server's rebuilds)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    staging_map = staging.with_name(staging.name + ".sources.json")
    try:
        settings = load_settings(
            settings_file,
            {
                **(overrides or {}),
                "OUTPUT_PATH": str(staging),
                "SITE_SOURCE_MAP": str(staging_map),
            },
        )
        if templates is not None:
            settings["JINJA_ENVIRONMENT"] = {
                **settings["JINJA_ENVIRONMENT"],
                "bytecode_cache": templates,
            }
        with _collect_problems() as collector:
            try:
                Pelican(settings).run()
            except BuildError:
                raise
            except Exception as error:
                problems = getattr(error, "problems", None)
                if problems:
                    raise BuildError([*collector.messages, *problems]) from error
                raise BuildError([*collector.messages, f"error: {error}"]) from error
        if collector.messages:
            raise BuildError(collector.messages)
        _swap_in(staging, output)
        if staging_map.exists():
            staging_map.replace(source_map_path(output))
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
