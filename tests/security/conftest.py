"""Fixtures of this suite: Chromium from the browser harness (tests/browser/harness.py)."""

from __future__ import annotations

from tests.browser.harness import browser

__all__ = ["browser"]
