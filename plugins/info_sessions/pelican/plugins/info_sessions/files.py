"""Session files checked one at a time, exactly as the build checks them.

The generator checks every file of the sessions folder with ``check_session_bytes``; the
staff tools (``make check``, ``make new-session``) call the same functions, so a file they
accept is a file the build accepts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from .headers import HeaderField, HeaderReader, decode
from .model import FIELDS
from .paths import shown_path
from .problems import Problem
from .settings import SessionSettings
from .validation import Checked, program_problems, validate

# Formats with a list page and a feed of their own; hybrid sessions are in both.
LIST_FORMATS = ("in-person", "online")

Renderer = Callable[[str], str]


class SessionReader(HeaderReader):
    """The strict header reader with the session fields; its ``render`` is the site's
    Markdown (MARKDOWN settings, safe_markdown included) for session descriptions."""

    fields: ClassVar[tuple[HeaderField, ...]] = FIELDS
    body_name: ClassVar[str] = "(description)"


def reserved_slugs(config: SessionSettings) -> set[str]:
    """File names that would collide with the list pages under the same folder."""
    urls = [config.past_url, config.calendar_url, config.subscribe_url]
    urls += [config.format_url.format(format=f) for f in LIST_FORMATS]
    urls.append(config.program_url.format(slug="x"))
    prefix = config.page_url.split("{slug}")[0]
    return {url[len(prefix) :].split("/")[0] for url in urls if url.startswith(prefix)}


@dataclass(frozen=True)
class SessionFile:
    """Where a session file is: under the content folder ("sessions/x.md"), as problems name
    it ("content/sessions/x.md") and on disk (absolute)."""

    relative_path: str
    display_path: str
    source_path: str


def check_session_text(
    text: str, file: SessionFile, config: SessionSettings, reader: SessionReader
) -> Checked:
    """Parse and validate the text of one session ``file``."""
    result = validate(
        reader.parse(text, file.display_path),
        relative_path=file.relative_path,
        source_path=file.source_path,
        config=config,
        render=reader.render,
    )
    display_path = file.display_path
    slug = Path(file.relative_path).stem
    reserved = reserved_slugs(config)
    if slug not in reserved:
        return result
    taken = Problem(
        display_path,
        "(file name)",
        slug,
        f"taken by the sessions pages ({', '.join(sorted(reserved))}); rename the file",
    )
    return Checked(None, (*result.problems, taken), result.uid, result.program, result.lines)


def check_session_bytes(
    data: bytes,
    content_path: str,
    relative_path: str,
    config: SessionSettings,
    reader: SessionReader,
) -> Checked:
    """Check the bytes read from ``content_path/relative_path`` as the build does."""
    source = os.path.join(content_path, relative_path)
    display = shown_path(content_path, source)
    text, problem = decode(data, display)
    if text is None:
        return Checked(None, (problem,), "", "", {})
    return check_session_text(text, SessionFile(relative_path, display, source), config, reader)


def validate_session_text(
    text: str,
    path: str,
    config: SessionSettings,
    program_slugs: Iterable[str],
    reader: SessionReader,
) -> Checked:
    """Check the text of a session file that may not exist yet, as the build would check
    it at ``path`` ("content/sessions/x.md"), its Program included."""
    relative = Path(path).relative_to(Path(path).parts[0]).as_posix()
    file = SessionFile(relative, path, str(Path(path).resolve()))
    result = check_session_text(text, file, config, reader)
    problems = (*result.problems, *program_problems({path: result}, program_slugs))
    session = result.session if not problems else None
    return Checked(session, problems, result.uid, result.program, result.lines)
