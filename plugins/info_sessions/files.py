"""Session files checked one at a time, exactly as the build checks them.

The generator checks every file of the sessions folder with ``check_session_bytes``; the
staff tools (``make check``, ``make new-session``) call the same functions, so a file they
accept is a file the build accepts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from markdown import Markdown

from content_guard.reader import markdown_problems
from info_sessions.parsing import parse_session_text
from info_sessions.settings import SessionSettings, save_as
from info_sessions.validation import Checked, Paths, program_problems, validate
from safe_markdown import UnsafeMarkdownError

# Formats with a list page and a feed of their own; hybrid sessions are in both.
LIST_FORMATS = ("in-person", "online")

Renderer = Callable[[str], str]


def markdown_renderer(markdown_settings: Mapping[str, Any]) -> Renderer:
    """Markdown to HTML with the site's MARKDOWN settings (safe_markdown included), minus
    the meta extension: our own parser reads the header."""
    configs = dict(markdown_settings.get("extension_configs", {}))
    # Named extensions first, then extension objects such as safe_markdown's: "extra"
    # re-registers the raw-HTML block processor that safe_markdown removes, so the order
    # decides whether raw HTML is escaped.
    extensions = [*configs, *markdown_settings.get("extensions", [])]
    meta = "markdown.extensions.meta"
    unique = [e for i, e in enumerate(extensions) if e != meta and e not in extensions[:i]]
    configs.pop(meta, None)
    options = {
        key: value
        for key, value in markdown_settings.items()
        if key not in ("extension_configs", "extensions")
    }
    renderer = Markdown(extensions=unique, extension_configs=configs, **options)
    return lambda body: renderer.reset().convert(body)


def session_paths(config: SessionSettings) -> Paths:
    """Where a session's page and feed go, from the URL settings."""
    return Paths(
        url=lambda slug: config.page_url.format(slug=slug),
        save_as=lambda slug: save_as(config.page_url.format(slug=slug)),
        feed_path=lambda slug: config.feed_session.format(slug=slug),
    )


def reserved_slugs(config: SessionSettings) -> set[str]:
    """File names that would collide with the list pages under the same folder."""
    urls = [config.past_url, config.calendar_url, config.subscribe_url]
    urls += [config.format_url.format(format=f) for f in LIST_FORMATS]
    urls.append(config.program_url.format(slug="x"))
    prefix = config.page_url.split("{slug}")[0]
    return {url[len(prefix) :].split("/")[0] for url in urls if url.startswith(prefix)}


def check_session_text(
    text: str,
    *,
    relative_path: str,
    display_path: str,
    source_path: str,
    config: SessionSettings,
    render: Renderer,
) -> Checked:
    """Parse and validate one file's text; ``relative_path`` is under the content folder
    ("sessions/x.md"), ``display_path`` is how problems name the file."""
    refused: list[UnsafeMarkdownError] = []

    def safe_render(body: str) -> str:
        try:
            return render(body)
        except UnsafeMarkdownError as error:  # a script link or attribute in the description
            refused.append(error)
            return ""

    result = validate(
        parse_session_text(text, display_path),
        relative_path=relative_path,
        source_path=source_path,
        default_timezone=config.default_timezone,
        uid_domain=config.uid_domain,
        paths=session_paths(config),
        markdown=safe_render,
    )
    if refused:
        found = [
            str(problem)
            for error in refused
            for problem in markdown_problems(display_path, text, error, "(description)")
        ]
        result = Checked(None, [*result.problems, *found], result.uid, result.program)
    slug = Path(relative_path).stem
    reserved = reserved_slugs(config)
    if slug in reserved:
        result.problems.append(
            f"{display_path}: (file name): {slug!r}: taken by the sessions pages "
            f"({', '.join(sorted(reserved))}); rename the file"
        )
    return result


def not_utf8_problem(data: bytes, error: UnicodeDecodeError, display_path: str) -> str:
    """The problem for a file that is not UTF-8: the line and byte where decoding failed."""
    line = data[: error.start].count(b"\n") + 1
    start = data.rfind(b"\n", 0, error.start) + 1
    end = data.find(b"\n", error.start)
    shown = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace").strip()
    return (
        f"{display_path}: (file): {shown!r}: line {line} is not UTF-8 text (byte "
        f"0x{data[error.start]:02X}); save the file with the encoding UTF-8"
    )


def check_session_bytes(
    data: bytes, content_path: str, relative_path: str, config: SessionSettings, render: Renderer
) -> Checked:
    """Check the bytes read from ``content_path/relative_path`` as the build does."""
    display = os.path.join(os.path.basename(os.path.normpath(content_path)), relative_path)
    source = os.path.join(content_path, relative_path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Checked(None, [not_utf8_problem(data, error, display)], "", "")
    return check_session_text(
        text,
        relative_path=relative_path,
        display_path=display,
        source_path=source,
        config=config,
        render=render,
    )


def validate_session_text(
    text: str,
    path: str,
    config: SessionSettings,
    program_slugs: Iterable[str],
    render: Renderer | None = None,
) -> Checked:
    """Check the text of a session file that may not exist yet, as the build would check
    it at ``path`` ("content/sessions/x.md"), its Program included."""
    relative = Path(path).relative_to(Path(path).parts[0]).as_posix()
    result = check_session_text(
        text,
        relative_path=relative,
        display_path=path,
        source_path=str(Path(path).resolve()),
        config=config,
        render=render or markdown_renderer(config.markdown),
    )
    problems = result.problems + program_problems({path: result}, program_slugs)
    session = result.session if not problems else None
    return Checked(session, problems, result.uid, result.program)
