"""The gate in front of Pelican's readers, installed through the ``readers_init`` signal.

- A Markdown file is read only when it is a regular file inside content/ (paths.py).
- A conversion safe_markdown refuses becomes one problem per refused item, naming the file,
  the header field or "(body)", the line and the value as written.
- A ``Timezone`` header must name a zone of the pinned tzdata (zones.py).
- Every other reader (HTML, reStructuredText) is refused: raw HTML, and reStructuredText's
  ``raw`` directive, put markup and script straight onto the page.

Each problem is a ``Problem`` of the info-sessions plugin, logged as an error with the
problem itself attached to the record as ``content_problem`` (the build and ``make check``
collect the problems, not the text). A file that may not be read at all is skipped
(:class:`ContentRefusedError`); a file with unsafe Markdown or a bad zone is read on (its
HTML escaped, its zone the site's), so that every problem is reported at once and nothing
that depends on it (a quote naming a news item) fails in its turn.

The plugin's own strict readers (sessions, and the programs plugin's programs and quotes) do
not pass through this gate: they read through the plugin's confined read, refuse every field
their table does not declare (Save_as, Slug and Timezone among them, where not declared) and
report what safe_markdown refuses themselves.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from typing import Any, NoReturn

from pelican.plugins.info_sessions.headers import TOO_DEEP
from pelican.plugins.info_sessions.paths import (
    ContentPathError,
    confined_path,
    read_content_bytes,
    shown_path,
)
from pelican.plugins.info_sessions.problems import ContentError, Problem
from pelican.plugins.info_sessions.settings import max_file_bytes
from pelican.plugins.info_sessions.zones import zone_problem

from safe_markdown import Finding, collecting_findings, finding_line

logger = logging.getLogger(__name__)

ONLY_MARKDOWN = (
    "only Markdown files (.md) may hold content: HTML and reStructuredText files can put "
    "script on the page; write it in Markdown in a .md file"
)


class ContentRefusedError(ContentError):
    """A content file the gate refused to read; its problems have been logged."""


def report(problems: list[Problem]) -> None:
    """Log every problem as an error (each fails the build)."""
    for problem in problems:
        logger.error("%s", problem, extra={"content_problem": problem})


def refuse(problems: list[Problem]) -> NoReturn:
    """Log every problem as an error and skip the file."""
    report(problems)
    raise ContentRefusedError(problems)


def _where(text: str, finding: Finding, body: str) -> tuple[str, int | None]:
    """The header field (or ``body``) and the line where ``finding`` is written in ``text``,
    a file of Pelican's Markdown format (a header of "Field: value" lines, a blank line)."""
    lines = text.removeprefix("\ufeff").splitlines()
    header_end = next((n for n, line in enumerate(lines, 1) if not line.strip()), len(lines))
    number = finding_line(lines, finding)
    if number is None:
        return body, None
    line = lines[number - 1]
    if number < header_end and ":" in line:
        return line.split(":", 1)[0].strip().title(), number
    return body, number


# Header fields that decide where a page is saved, by Pelican's metadata name.
PLACEMENT_FIELDS = {"save_as": "Save_as", "url": "URL", "slug": "Slug"}


def placement_problem(value: str) -> str | None:
    """Why a Save_as, URL or Slug value could put a page outside the output folder."""
    parts = value.replace("\\", "/").split("/")
    if ".." in parts or value.startswith(("/", "\\")) or os.path.isabs(value):
        return (
            "pages are saved inside the output folder: no '..' and no leading '/'; use a "
            "plain slug of lowercase letters, digits and hyphens"
        )
    return None


def markdown_problems(shown: str, text: str, findings: list[Finding]) -> list[Problem]:
    """One problem per refused item, found in ``text`` (the file as written)."""
    problems = []
    for finding in findings:
        field, line = _where(text, finding, "(body)")
        problems.append(Problem(shown, field, finding.shown, finding.reason, line))
    return problems


def guarded_reader(base: type) -> type:
    """``base`` (a Markdown reader class) behind the gate."""

    class GuardedReader(base):  # type: ignore[misc, valid-type]
        def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
            """Read a confined file; refuse unsafe Markdown and machine time zones."""
            content = self.settings["PATH"]
            shown = shown_path(content, source_path)
            try:
                confined_path(content, source_path, max_bytes=max_file_bytes(self.settings))
            except ContentPathError as error:
                refuse([Problem(shown, "(file)", os.path.basename(source_path), str(error))])
            try:
                with collecting_findings() as findings:
                    body, metadata = super().read(source_path)
            except ContentError as error:  # safe_markdown refused the text's nesting
                refuse([replace(p, path=shown) for p in error.problems])
            except RecursionError:
                refuse([Problem(shown, "(body)", None, TOO_DEEP)])
            problems = []
            if findings:
                data = read_content_bytes(content, source_path, max_bytes=None)  # checked above
                text = data.decode("utf-8", "replace")
                problems += markdown_problems(shown, text, findings)
            for name, field in PLACEMENT_FIELDS.items():
                value = metadata.get(name)
                trouble = placement_problem(str(value)) if value is not None else None
                if trouble:
                    problems.append(Problem(shown, field, str(value), trouble))
                    del metadata[name]  # read on with Pelican's default; the build fails
            zone = metadata.get("timezone")
            if zone is not None:
                trouble = zone_problem(str(zone), str(self.settings.get("TIMEZONE") or "UTC"))
                if trouble:
                    problems.append(Problem(shown, "Timezone", str(zone), trouble))
                    del metadata["timezone"]  # read on in the site's zone; the build fails
            report(problems)
            return body, metadata

    # Pelican names each content's "reader" metadata after the class: keep the original's.
    GuardedReader.__name__ = base.__name__
    GuardedReader.__qualname__ = base.__qualname__
    return GuardedReader


def refusing_reader(base: type) -> type:
    """A stand-in for ``base`` (a reader of HTML or reStructuredText) that refuses its files."""

    class RefusingReader(base):  # type: ignore[misc, valid-type]
        def read(self, source_path: str) -> NoReturn:
            """Refuse the file: content is Markdown only."""
            shown = shown_path(self.settings["PATH"], source_path)
            name = os.path.basename(source_path)
            refuse([Problem(shown, "(file)", name, ONLY_MARKDOWN)])

    RefusingReader.__name__ = base.__name__
    RefusingReader.__qualname__ = base.__qualname__
    return RefusingReader
