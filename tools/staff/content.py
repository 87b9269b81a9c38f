"""Read the site's content as the build does, without writing anything.

The build's generators run their reading phase only (``generate_context``): news, pages,
programs, quotes, figures and sessions are read and checked by the plugins' own validators,
every problem is collected (none stops the others), and nothing is written.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import LimitFilter

from content_guard import ContentGuardError, ContentProblem, output_problems
from info_sessions.errors import SessionContentError
from info_sessions.generator import SessionsGenerator
from info_sessions.model import Session
from info_sessions.settings import SessionSettings
from info_sessions.validation import Checked
from programs.errors import ProgramsContentError
from programs.generator import ProgramsGenerator
from tools.build import PROJECT_ROOT, load_settings

_LINE = re.compile(r"\blines? (\d+)\b")


@dataclass(frozen=True)
class Problem:
    """One problem: the file as the build names it, the line when known, and the rest of
    the message ("field: value: what is wrong and how to fix it")."""

    path: str
    line: int | None
    text: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.text}"


@dataclass
class SiteContent:
    """Everything read from one content folder, and every problem found in it."""

    folder: Path
    settings: dict[str, Any]
    session_config: SessionSettings | None
    programs: list[Any] = field(default_factory=list)  # programs plugin's Program objects
    quotes: list[Any] = field(default_factory=list)
    checked: dict[str, Checked] = field(default_factory=dict)  # session display path -> result
    sessions: list[Session] = field(default_factory=list)  # sessions without any problem
    problems: list[Problem] = field(default_factory=list)

    def file(self, display_path: str) -> Path:
        """The file a display path ("content/sessions/x.md") names."""
        return self.folder.parent / display_path


def header_line(file: Path, name: str) -> int | None:
    """The line of the last ``name:`` header line in ``file`` (None when there is none)."""
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    found = None
    pattern = re.compile(rf"^{re.escape(name)}[ \t]*:", re.IGNORECASE)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        if pattern.match(line.removeprefix("\ufeff")):
            found = number
    return found


def locate(message: str, folder: Path) -> Problem:
    """A plugin's "path: field: value: fix" message as a Problem with its line."""
    path, _, rest = message.partition(": ")
    if not rest:
        return Problem(folder.name, None, message)
    field_name = rest.split(": ", 1)[0]
    line = None
    stated = _LINE.search(rest)
    if not field_name.startswith("("):
        line = header_line(folder.parent / path, field_name)
    if line is None and stated and "lines " not in stated.group(0):
        line = int(stated.group(1))
    return Problem(path, line, rest)


class _Records(logging.Handler):
    """Keeps every warning and error logged while content is read (each fails a build)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _logged() -> Iterator[_Records]:
    # Pelican drops a warning it has logged before in this process; forget them all.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _guard_problem(problem: ContentProblem) -> Problem:
    text = f"{problem.field}: {problem.value!r}: {problem.message}"
    return Problem(problem.path, problem.line, text)


def _record_problems(records: list[logging.LogRecord], folder: Path) -> list[Problem]:
    """Logged messages as Problems. content_guard attaches its problem to the record; Pelican's
    own "Could not process <file>" that follows is left out when the file's problem is known."""
    problems = []
    refused = set()
    for record in records:
        problem = getattr(record, "content_problem", None)
        if isinstance(problem, ContentProblem):
            problems.append(_guard_problem(problem))
            refused.add(problem.path)
    for record in records:
        if isinstance(getattr(record, "content_problem", None), ContentProblem):
            continue
        pelicans_own = record.msg == "Could not process %s" and bool(record.args)
        if pelicans_own and f"{folder.name}/{record.args[0]}" in refused:
            continue
        problems.append(Problem(folder.name, None, record.getMessage()))
    return problems


def read_content(
    settings_file: Path = PROJECT_ROOT / "pelicanconf.py",
    content: Path | None = None,
    today: str | None = None,
) -> SiteContent:
    """Read ``content`` (default: the settings' PATH) and check it with every validator."""
    overrides: dict[str, Any] = {}
    if content is not None:
        overrides["PATH"] = str(content.resolve())
    if today:
        overrides["SITE_TODAY"] = today
    with tempfile.TemporaryDirectory(prefix="check-") as unused_output, _logged() as logged:
        overrides["OUTPUT_PATH"] = unused_output
        settings = load_settings(settings_file, overrides)
        folder = Path(settings["PATH"])
        try:
            pelican = Pelican(settings)  # loads the plugins and runs their `initialized` hooks
        except ContentGuardError as error:  # an escape from content/: nothing may be read
            site = SiteContent(folder=folder, settings=settings, session_config=None)
            site.problems = [_guard_problem(problem) for problem in error.content_problems]
            return site
        messages: list[str] = []
        context = settings.copy()
        context.update(generated_content={}, static_links=set(), static_content={})
        context["localsiteurl"] = settings["SITEURL"]
        arguments = {
            "context": context,
            "settings": settings,
            "path": pelican.path,
            "theme": pelican.theme,
            "output_path": unused_output,
        }
        generators: list[Any] = [
            ArticlesGenerator(**arguments),  # quotes may name a news item
            PagesGenerator(**arguments),
            ProgramsGenerator(**arguments),
        ]
        try:
            sessions = SessionsGenerator(**arguments)
        except SessionContentError as error:  # the INFO_SESSIONS_ settings themselves
            messages += error.problems
            sessions = None
        for generator in [*generators, sessions]:
            if generator is None:
                continue
            try:
                generator.generate_context()
            except (ProgramsContentError, SessionContentError) as error:
                messages += error.problems
        messages += [str(problem) for problem in output_problems(generators)]
        programs_generator = generators[2]
        slugs = [p.slug for p in programs_generator.programs if getattr(p, "slug", "")]
        site = SiteContent(
            folder=folder,
            settings=settings,
            session_config=sessions.config if sessions else None,
            programs=[p for p in programs_generator.programs if getattr(p, "slug", "")],
            quotes=programs_generator.quotes,
        )
        if sessions is not None:
            session_problems = sessions.problems(slugs)
            messages += session_problems
            site.checked = dict(sessions.checked)
            troubled = {message.split(": ", 1)[0] for message in session_problems}
            site.sessions = [
                s
                for s in sessions.sessions
                if f"{folder.name}/{s.relative_source_path}" not in troubled
            ]
        found = [locate(message, folder) for message in messages]
        found += _record_problems(logged.records, folder)
        # Grouped by file; a stable sort keeps each file's problems in their own order.
        site.problems = sorted(found, key=lambda problem: problem.path)
    return site
