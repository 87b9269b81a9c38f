"""Fixtures of this suite: the shared harness in tests/browser/harness.py (one build, one
static server and one Chromium for both tests/browser/ and tests/standards/)."""

from __future__ import annotations

import pytest

from tests.browser.harness import (
    browser,
    desktop,
    desktop_tab,
    mobile,
    mobile_tab,
    no_js_tab,
    parametrize_pages,
    server_url,
    site,
)

__all__ = [
    "browser",
    "desktop",
    "desktop_tab",
    "mobile",
    "mobile_tab",
    "no_js_tab",
    "server_url",
    "site",
]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One run per built HTML page for every test that takes ``page_path``."""
    parametrize_pages(metafunc)
