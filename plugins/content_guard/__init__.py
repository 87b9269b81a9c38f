"""Content guard plugin: the build reads only content/ and writes only the output folder.

- ``initialized``: zones come from the pinned tzdata only (the info-sessions plugin's
  zones.py) and TIMEZONE must be one of them; the content folder is audited before anything
  is read (paths.audit_content): every symbolic link that leads outside content/ (or
  nowhere, or into a loop) and every special file (FIFO, socket, device) is an error, so
  Pelican's file discovery (which follows links) and its readers never open anything
  outside.
- ``readers_init``: every Markdown reader goes behind the gate of reader.py; readers of HTML
  and reStructuredText are refused. The info-sessions plugin's strict header reader (its
  sessions, our programs and quotes) reads through the confined read itself and is left
  as it is.
- ``all_generators_finalized`` (everything read, nothing written yet): every page must be
  saved inside the output folder and every static file copied must be a regular file inside
  content/ (``{static}`` links can name any path); a refusal lists, with its own problems,
  every problem the plugins recorded while reading.
- ``get_writer``: Pelican's writer, refusing files outside the output folder (writer.py);
  with ``CONTENT_GUARD_CHECK_ONLY`` true (``make check``) it writes nothing.

Our plugins read their own files through the info-sessions plugin's
``paths.read_content_bytes`` and their zones through its ``zones.pinned_zone``; every
problem is that plugin's ``Problem``, raised in its ``ContentError``.
"""

from __future__ import annotations

import os
from typing import Any

from pelican import signals
from pelican.plugins.info_sessions.headers import HeaderReader
from pelican.plugins.info_sessions.paths import ContentPathError, confined_path, shown_path
from pelican.plugins.info_sessions.problems import ContentError, Problem, by_file, recorded
from pelican.plugins.info_sessions.zones import use_pinned_tzdata, zone_problem
from pelican.readers import MarkdownReader

from content_guard.paths import audit_content, output_problem
from content_guard.reader import (
    PLACEMENT_FIELDS,
    ContentRefusedError,
    guarded_reader,
    refusing_reader,
)
from content_guard.writer import CHECK_ONLY, ConfinedWriter

__all__ = [
    "CHECK_ONLY",
    "ContentRefusedError",
    "output_problems",
    "register",
]


def site_problems(settings: dict[str, Any]) -> list[Problem]:
    """What stops a build before anything is read: TIMEZONE, and every escape in content/."""
    problems = []
    zone = str(settings.get("TIMEZONE") or "")
    trouble = zone_problem(zone)
    if trouble:
        problems.append(Problem("pelicanconf.py", "TIMEZONE", zone, trouble))
    content = settings["PATH"]
    if not os.path.isdir(content):
        return problems  # Pelican reports a missing content folder itself
    for escape in audit_content(content):
        shown = shown_path(content, os.path.join(content, escape.relative))
        value = escape.link if escape.link is not None else escape.relative.rsplit("/", 1)[-1]
        problems.append(Problem(shown, "(file)", value, f"{escape.reason}; {escape.fix}"))
    return problems


def check_before_reading(pelican: Any) -> None:
    """Pin tzdata, then refuse the build when TIMEZONE or the content folder is unsafe."""
    use_pinned_tzdata()
    problems = site_problems(pelican.settings)
    if problems:
        raise ContentError(problems)


def guard_readers(readers: Any) -> None:
    """Put every reader Pelican would use behind the gate (reader.py)."""
    for extension, reader in list(readers.reader_classes.items()):
        if reader is None or extension == "static":  # static files are not read, only copied
            continue
        if issubclass(reader, HeaderReader):  # confined and checked by construction
            continue
        if issubclass(reader, MarkdownReader):
            readers.reader_classes[extension] = guarded_reader(reader)
        else:
            readers.reader_classes[extension] = refusing_reader(reader)


def _linking_files(context: dict[str, Any], relative: str, content: str) -> list[str]:
    """The content files whose {static}/{attach} links name ``relative``."""
    found = []
    for item in context.get("generated_content", {}).values():
        links = getattr(item, "get_static_links", None)
        if callable(links) and relative in links():
            found.append(shown_path(content, item.source_path))
    return sorted(found)


def output_problems(generators: list[Any]) -> list[Problem]:
    """Pages that would be saved outside the output folder, and static files to copy that
    are not regular files inside content/ (all read, nothing written yet)."""
    if not generators:
        return []
    context, settings = generators[0].context, generators[0].settings
    content = settings["PATH"]
    problems = []
    for item in context.get("generated_content", {}).values():
        save_as = str(getattr(item, "save_as", "") or "")
        reason = output_problem(save_as)
        if reason:
            metadata = getattr(item, "metadata", {}) or {}
            field = next((f for f in PLACEMENT_FIELDS if f in metadata), "slug")
            problems.append(
                Problem(
                    shown_path(content, item.source_path),
                    PLACEMENT_FIELDS[field],
                    str(metadata.get(field, save_as)),
                    f"the page would be saved as {save_as!r}, which {reason}; use a plain "
                    "slug of lowercase letters, digits and hyphens",
                )
            )
    for static in context.get("staticfiles", []):
        relative = static.get_relative_source_path()
        trouble = output_problem(static.save_as)
        try:
            confined_path(content, static.source_path, max_bytes=None)  # copied, not read
        except ContentPathError as error:
            trouble = f"{error.reason}; {error.fix}"
        if trouble:
            for shown in _linking_files(context, relative, content) or ["(static files)"]:
                problems.append(Problem(shown, "(link)", relative, trouble))
    return problems


def check_outputs(generators: list[Any]) -> None:
    """Refuse the build before anything is written when a file would leave its folder,
    with every problem the plugins recorded while reading."""
    problems = output_problems(generators)
    if problems:
        raise ContentError(by_file([*recorded(generators[0].context), *problems]))


def confined_writer(pelican: Any) -> type[ConfinedWriter]:
    """Hand Pelican our writer."""
    return ConfinedWriter


def register() -> None:
    """Connect the plugin."""
    # initialized runs before any generator reads a file; readers_init when each generator
    # makes its readers; all_generators_finalized once everything is read and before
    # anything is written; get_writer when Pelican makes its writer.
    signals.initialized.connect(check_before_reading)
    signals.readers_init.connect(guard_readers)
    signals.all_generators_finalized.connect(check_outputs)
    signals.get_writer.connect(confined_writer)
