"""Read the site's content as the build does, without writing anything.

Pelican's own pipeline runs (``Pelican.run()``) with a writer that writes nothing, installed
through Pelican's ``get_writer`` signal: news, pages, programs, quotes, figures and sessions
are read and checked by the plugins' own validators, every problem is collected (the
plugins record them and raise them all at once), and no page is written.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.plugins.info_sessions.generator import SessionsGenerator
from pelican.plugins.info_sessions.headers import shown_path
from pelican.plugins.info_sessions.hooks import session_read
from pelican.plugins.info_sessions.model import Session
from pelican.plugins.info_sessions.problems import ContentError, Problem, by_file
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.plugins.info_sessions.validation import Checked
from pelican.writers import Writer

from programs.generator import ProgramsGenerator
from tools.build import PROJECT_ROOT, LoggedMessage, load_settings, logged_messages, site_today


class NullWriter(Writer):
    """Pelican's writer, writing nothing: pages and feeds are neither rendered nor saved."""

    def write_file(self, *args: Any, **kwargs: Any) -> None:
        """Write no page."""

    def write_feed(self, *args: Any, **kwargs: Any) -> None:
        """Write no feed."""


def null_writer(pelican: Pelican) -> type[Writer]:
    """Pelican's get_writer signal: hand it the writer that writes nothing."""
    return NullWriter


@dataclass
class SiteContent:
    """Everything read from one content folder, and every problem found in it."""

    folder: Path
    settings: dict[str, Any]
    session_config: SessionSettings | None
    session_generator: SessionsGenerator | None = None
    programs: list[Any] = field(default_factory=list)  # programs plugin's Program objects
    quotes: list[Any] = field(default_factory=list)
    checked: dict[str, Checked] = field(default_factory=dict)  # session display path -> result
    sessions: list[Session] = field(default_factory=list)  # sessions without any problem
    problems: list[Problem | LoggedMessage] = field(default_factory=list)

    def file(self, display_path: str) -> Path:
        """The file a display path ("content/sessions/x.md") names."""
        return self.folder.parent / display_path


class _FileOfMessages:
    """Which file was being read when each message was logged: Pelican announces every
    content object it has read (``content_object_init``), the sessions plugin every session
    file (``session_read``); what was logged since the previous one came from that file."""

    def __init__(self, logged: list[LoggedMessage], content_path: str) -> None:
        self.logged = logged
        self.content_path = content_path
        self.files: dict[int, str] = {}  # index in ``logged`` -> file as problems name it
        self._done = 0

    def _read(self, path: str) -> None:
        for index in range(self._done, len(self.logged)):
            self.files[index] = path
        self._done = len(self.logged)

    def content(self, content: Any) -> None:
        """Pelican's content_object_init: a news item, page, program or quote was read."""
        self._read(shown_path(self.content_path, content.source_path))

    def session(self, path: str, **_: Any) -> None:
        """The sessions plugin's session_read: a session file was read."""
        self._read(path)

    def problems(self) -> list[Problem | LoggedMessage]:
        """The logged messages; a link removed by safe_markdown as a problem of its file."""
        found: list[Problem | LoggedMessage] = []
        for index, message in enumerate(self.logged):
            file = self.files.get(index)
            if message.logger == "safe_markdown" and message.args and file:
                found.append(
                    Problem(
                        file,
                        "(link)",
                        str(message.args[0]),
                        "not allowed: only https, mailto and site-relative links (such as "
                        "/programs/) may be used; change or remove the link",
                    )
                )
            else:
                found.append(message)
        return found


class _Generators:
    """Keeps the generators of one run (Pelican's all_generators_finalized signal)."""

    def __init__(self) -> None:
        self.all: list[Any] = []

    def __call__(self, generators: list[Any]) -> None:
        self.all = list(generators)

    def first(self, kind: type) -> Any:
        return next((g for g in self.all if isinstance(g, kind)), None)


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
        overrides.update(site_today(today))
    generators = _Generators()
    with tempfile.TemporaryDirectory(prefix="check-") as unused_output:
        settings = load_settings(settings_file, {**overrides, "OUTPUT_PATH": unused_output})
        found: list[Problem | LoggedMessage] = []
        with logged_messages(settings) as logged:
            files = _FileOfMessages(logged, settings["PATH"])
            with (
                signals.get_writer.connected_to(null_writer),
                signals.all_generators_finalized.connected_to(generators),
                signals.content_object_init.connected_to(files.content),
                session_read.connected_to(files.session),
                contextlib.redirect_stdout(io.StringIO()),  # Pelican's "Done: ..." line
            ):
                try:
                    Pelican(settings).run()
                except ContentError as error:
                    found += error.problems
        found += files.problems()
    return _site(Path(settings["PATH"]), settings, generators, found)


def _site(
    folder: Path, settings: dict[str, Any], generators: _Generators, found: list[Any]
) -> SiteContent:
    programs_generator: ProgramsGenerator | None = generators.first(ProgramsGenerator)
    sessions: SessionsGenerator | None = generators.first(SessionsGenerator)
    site = SiteContent(
        folder=folder,
        settings=settings,
        session_config=sessions.config if sessions is not None else None,
        session_generator=sessions,
        problems=by_file(p for p in found if isinstance(p, Problem)),
    )
    site.problems += [p for p in found if not isinstance(p, Problem)]
    if programs_generator is not None:
        site.programs = [p for p in programs_generator.programs if getattr(p, "slug", "")]
        site.quotes = programs_generator.quotes
    if sessions is not None:
        site.checked = dict(sessions.checked)
        troubled = {p.path for p in site.problems if isinstance(p, Problem)}
        site.sessions = [
            s
            for s in sessions.sessions
            if f"{folder.name}/{s.relative_source_path}" not in troubled
        ]
    return site
