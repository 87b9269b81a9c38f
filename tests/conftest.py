"""Shared fixtures: real builds of the site into temporary folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pelican.plugins.info_sessions.zones import use_pinned_tzdata

from tests.feeds.checks import assert_sound_feeds
from tests.realsite import TEST_TODAY, real_site_output
from tools.build import PROJECT_ROOT, build_site, site_today

# Zones from the pinned tzdata for the whole test session, as every build does (pelicanconf.py):
# a zone a test module makes at import is then the same object the builds make.
use_pinned_tzdata()

CONTENT = PROJECT_ROOT / "content"
SOURCES = PROJECT_ROOT / "sources"

BuildFn = Callable[..., Path]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--external``: also run the tests marked ``external`` (live checks over the network)."""
    parser.addoption(
        "--external",
        action="store_true",
        default=False,
        help="run the tests marked external, which check external links over the network",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the tests marked ``external`` unless ``--external`` is given."""
    if config.getoption("--external"):
        return
    external = [item for item in items if item.get_closest_marker("external")]
    if external:
        config.hook.pytest_deselected(items=external)
        items[:] = [item for item in items if not item.get_closest_marker("external")]


@pytest.fixture(scope="session")
def built_site(request: pytest.FixtureRequest) -> Path:
    """The real content, built once per test session; returns the output folder (read only)."""
    return real_site_output(request.config)


@pytest.fixture
def build(tmp_path: Path) -> BuildFn:
    """Build a site from a content folder (default: a copy of the real content).

    Call it as ``build(content=path, today="2026-01-01", output=path, **settings)``; it
    returns the output folder or raises ``tools.build.BuildError``. Every .ics file it
    builds is checked line by line (tests/feeds/checks.py).
    """

    def _build(
        content: Path | None = None,
        *,
        today: str = TEST_TODAY,
        output: Path | None = None,
        **settings: object,
    ) -> Path:
        output = output or tmp_path / "output"
        overrides = {**site_today(today), **settings}
        if content is not None:
            overrides["PATH"] = str(content)
        build_site(output, overrides=overrides)
        assert_sound_feeds(output)  # every feed any test builds: no line break inside a line
        return output

    return _build


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the real content folder, for tests that edit or break it."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
