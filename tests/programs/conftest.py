"""Fixtures for the programs plugin: a small scenario site, copied so tests may break it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "programs"


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """A writable copy of tests/data/programs/valid."""
    target = tmp_path / "content"
    shutil.copytree(SCENARIOS / "valid", target)
    return target
