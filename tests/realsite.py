"""The real site, built once per test session and shared by every test that reads it.

Some tests need the list of built pages while pytest collects them (one test per page), so
the build can happen during collection; it is kept in the session's config stash.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tools.build import build_site, site_today

# The fixed "today" for tests, so upcoming/past splits never depend on the calendar.
TEST_TODAY = "2026-11-23"

_REAL_SITE = pytest.StashKey["Path | Exception"]()


def real_site_output(config: pytest.Config) -> Path:
    """Build the real content once per session (on first use) and return its output folder.

    Raises the build's exception on every call if the build failed.
    """
    if _REAL_SITE not in config.stash:
        folder = Path(tempfile.mkdtemp(prefix="real-site-"))
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
        output = folder / "output"
        try:
            build_site(output, overrides=site_today(TEST_TODAY))
        except Exception as error:  # re-raised to each caller, who reports it its own way
            config.stash[_REAL_SITE] = error
        else:
            config.stash[_REAL_SITE] = output
    result = config.stash[_REAL_SITE]
    if isinstance(result, Exception):
        raise result
    return result
