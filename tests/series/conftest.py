"""Fixtures for the series tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.staff.conftest import SCENARIO


@pytest.fixture
def staff_site(tmp_path: Path) -> Path:
    """A writable copy of tests/data/staff/site as ``tmp_path/content``."""
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    return content
