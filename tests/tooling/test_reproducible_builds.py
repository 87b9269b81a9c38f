"""Reproducible builds of small sites: the same tree and "today" give the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

from tests.trees import tree_digest
from tools.build import build_site, site_today

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "sessions" / "valid"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_site_without_news_builds_byte_identical_twice(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    assert not (content / "news").exists()
    overrides = {"PATH": str(content), **site_today("2026-11-23")}
    first = build_site(tmp_path / "first", overrides=overrides).output
    second = build_site(tmp_path / "second", overrides=overrides).output
    assert tree_digest(first) == tree_digest(second)
    feed = ElementTree.parse(first / "feeds" / "news.atom.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == []
    # Midnight at the start of SITE_TODAY in the site's zone (America/New_York, EST).
    assert feed.findtext(f"{ATOM}updated") == "2026-11-23T00:00:00-05:00"


def test_the_empty_feed_follows_site_today(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    output = build_site(
        tmp_path / "out", overrides={"PATH": str(content), **site_today("2027-07-04")}
    ).output
    feed = ElementTree.parse(output / "feeds" / "news.atom.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2027-07-04T00:00:00-04:00"
