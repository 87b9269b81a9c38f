"""Read the site's content as the build does, without writing anything.

Pelican's own pipeline runs (``Pelican.run()``) with a writer that writes nothing: the site's
writer (content_guard's, handed to Pelican through its ``get_writer`` signal) in its
check-only mode (``CONTENT_GUARD_CHECK_ONLY``), which checks where each page would go and
writes none. News, pages, programs, quotes, figures and sessions are read and checked by the
plugins' own validators, every problem is collected (the plugins record them and raise them
all at once, or log them with the problem attached), and no page is written.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.plugins.info_sessions.generator import SessionsGenerator
from pelican.plugins.info_sessions.model import Session
from pelican.plugins.info_sessions.problems import Problem, by_file
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.plugins.info_sessions.validation import Checked

from content_guard import CHECK_ONLY
from programs.generator import ProgramsGenerator
from tools.build import PROJECT_ROOT, LoggedMessage, load_settings, run_pelican, site_today


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
    notices: list[Problem] = field(default_factory=list)  # the build's own (see build.py)

    def file(self, display_path: str) -> Path:
        """The file a display path ("content/sessions/x.md") names."""
        return self.folder.parent / display_path


class _Generators:
    """Keeps the generators of one run, each as it is made (Pelican's generator_init signal:
    a plugin may stop the run before all_generators_finalized reaches every receiver)."""

    def __init__(self) -> None:
        self.all: list[Any] = []

    def __call__(self, generator: Any) -> None:
        self.all.append(generator)

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
    overrides[CHECK_ONLY] = True
    generators = _Generators()
    with tempfile.TemporaryDirectory(prefix="check-") as unused_output:
        settings = load_settings(settings_file, {**overrides, "OUTPUT_PATH": unused_output})
        with (
            signals.generator_init.connected_to(generators),
            contextlib.redirect_stdout(io.StringIO()),  # Pelican's "Done: ..." line
        ):
            run = run_pelican(settings)  # the build's own way of running Pelican
    site = _site(Path(settings["PATH"]), settings, generators, run.problems)
    site.notices = list(run.notices)
    return site


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
