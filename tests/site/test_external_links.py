"""The live check of the real site's external links: network, so only with ``--external``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tools.build import PROJECT_ROOT
from tools.linkcheck.cache import SuccessCache
from tools.linkcheck.cli import CACHE_DIR, site_config
from tools.linkcheck.config import load_config
from tools.linkcheck.external import LiveChecker
from tools.linkcheck.model import Outcome
from tools.linkcheck.offline import check_site
from tools.linkcheck.report import ProgressLine, format_external, summarise_external


@pytest.mark.external
def test_external_links_are_alive(built_site: Path) -> None:
    """Every external URL answers; unverified ones (bot walls, rate limits) do not fail."""
    config = load_config(PROJECT_ROOT / "linkcheck.toml")
    site = site_config(PROJECT_ROOT / "pelicanconf.py")
    check = check_site(built_site, site, ignore=config.ignore)
    checker = LiveChecker(
        config.live,
        cache=SuccessCache(CACHE_DIR, config.live.cache_days * 86400),
        ignore=config.ignore,
        progress=ProgressLine(sys.__stderr__ or sys.stderr),  # shown live, past pytest's capture
    )
    results = checker.run(check.external)
    broken = [result for result in results if result.outcome is Outcome.BROKEN]
    if broken:
        pytest.fail(f"{format_external(broken)}\n\n{summarise_external(results)}", pytrace=False)
