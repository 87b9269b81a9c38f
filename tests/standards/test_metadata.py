"""Metadata of every built page: a unique title and description, a canonical link, Open Graph.

Checked on the built HTML. Two pages may share a title and description only when one names the
other as its canonical page (a deliberate duplicate that search engines fold into one).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.browser.harness import ShippedSite, soup
from tools.build import PROJECT_ROOT, load_settings

OPEN_GRAPH = ("og:type", "og:site_name", "og:title", "og:description", "og:url")


@functools.cache
def site_absolute_url() -> str:
    """SITE_ABSOLUTE_URL as the test build uses it (pelicanconf.py, environment included)."""
    return load_settings(PROJECT_ROOT / "pelicanconf.py")["SITE_ABSOLUTE_URL"].rstrip("/")


def metadata(document: BeautifulSoup) -> dict[str, list[str]]:
    """Every title, description, canonical and Open Graph value of a page, as written."""
    found: dict[str, list[str]] = defaultdict(list)
    for title in document.find_all("title"):
        found["title"].append(title.get_text().strip())
    for meta in document.find_all("meta"):
        if meta.get("name") == "description":
            found["description"].append(meta.get("content", "").strip())
        if meta.get("property", "").startswith("og:"):
            found[meta["property"]].append(meta.get("content", "").strip())
    for link in document.find_all("link"):
        if "canonical" in link.get("rel", []):
            found["canonical"].append(link.get("href", "").strip())
    return found


def problems_of(site: ShippedSite, path: str, base: str) -> list[str]:
    """What is missing, doubled or wrong in the metadata of the page at ``path``."""
    found = metadata(soup(site, path))
    problems = []
    for key in ("title", "description", "canonical", *OPEN_GRAPH):
        values = found.get(key, [])
        if len(values) != 1:
            problems.append(f"{key}: expected exactly one, found {len(values)}: {values!r}")
        elif not values[0]:
            problems.append(f"{key}: empty")
    if problems:
        return problems
    canonical = found["canonical"][0]
    expected = base + path
    if canonical != expected:
        problems.append(f"canonical: {canonical!r}, expected this page's address {expected!r}")
    if not urlsplit(canonical).scheme:
        problems.append(f"canonical: {canonical!r} is not an absolute URL")
    if found["og:url"][0] != canonical:
        problems.append(f"og:url: {found['og:url'][0]!r} differs from canonical {canonical!r}")
    return problems


@pytest.fixture(scope="module")
def shared(site: ShippedSite) -> dict[tuple[str, str], list[str]]:
    """(field, value) -> the pages that use it, for titles and descriptions."""
    users: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in site.pages:
        found = metadata(soup(site, path))
        for key in ("title", "description"):
            for value in found.get(key, []):
                users[key, value].append(path)
    return users


def canonical_path(site: ShippedSite, path: str, base: str) -> str:
    """The page a page names as canonical, as a site path (itself when it names itself)."""
    canonical = metadata(soup(site, path)).get("canonical", [""])[0]
    return canonical.removeprefix(base) if canonical.startswith(base) else path


def test_page_metadata(site: ShippedSite, page_path: str) -> None:
    """Exactly one non-empty title, description, canonical and og: tag; canonical is this page."""
    problems = problems_of(site, page_path, site_absolute_url())
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def test_title_and_description_are_unique(
    site: ShippedSite, page_path: str, shared: dict[tuple[str, str], list[str]]
) -> None:
    """No other page has this page's title or description (canonical duplicates excepted)."""
    base = site_absolute_url()
    found = metadata(soup(site, page_path))
    mine = canonical_path(site, page_path, base)
    problems = []
    for key in ("title", "description"):
        for value in found.get(key, []):
            others = [
                other
                for other in shared[key, value]
                if other != page_path
                and mine != other
                and canonical_path(site, other, base) not in (page_path, mine)
            ]
            if others:
                problems.append(f"{key} {value!r} is also used by {', '.join(others)}")
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)
