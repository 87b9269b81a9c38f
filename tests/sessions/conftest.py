"""Fixtures for the info-sessions plugin: scenario sites built from tests/data/sessions/."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.feeds.checks import assert_sound_feeds
from tools.build import build_site, site_today

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "sessions"
TODAY = "2026-11-23"

ScenarioFn = Callable[..., Path]


def copy_scenario(name: str, target: Path) -> Path:
    """A writable copy of tests/data/sessions/<name> at ``target``."""
    shutil.copytree(SCENARIOS / name, target)
    return target


@pytest.fixture
def scenario(tmp_path: Path) -> ScenarioFn:
    """Copy a scenario into tmp_path: ``scenario("valid")`` returns the content folder."""

    def _copy(name: str) -> Path:
        return copy_scenario(name, tmp_path / "content")

    return _copy


@pytest.fixture(scope="session")
def valid_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/sessions/valid built once (today 2026-11-23); returns the output folder."""
    root = tmp_path_factory.mktemp("sessions-valid")
    content = copy_scenario("valid", root / "content")
    output = root / "output"
    build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    assert_sound_feeds(output)
    return output


@pytest.fixture(scope="session")
def dst_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/sessions/dst built once: sessions on both sides of clock changes."""
    root = tmp_path_factory.mktemp("sessions-dst")
    content = copy_scenario("dst", root / "content")
    output = root / "output"
    build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    assert_sound_feeds(output)
    return output
