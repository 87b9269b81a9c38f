"""http:// links in content only where linkcheck.toml's ignore list allows that URL.

pelicanconf.py reads linkcheck.toml with the link checker's own loader and hands the entries
to the build as SAFE_MARKDOWN_HTTP_ALLOWED; safe_markdown applies them as the link checker
does (exact URL with or without its fragment, or a pattern; expired entries stop applying).
"""

from __future__ import annotations

import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest

from safe_markdown.urls import http_allowances, http_allowed_by
from tests.problems import messages
from tests.realsite import TEST_TODAY
from tools.build import PROJECT_ROOT, BuildError, build_site, load_settings
from tools.linkcheck.ignore import IgnoreList

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "programs" / "valid"
IGNORE = """
[[ignore]]
url = "http://old.example.org/archive/"
reason = "the archive has no https; checked by hand"

[[ignore]]
pattern = "^http://legacy\\\\.example\\\\.net/"
reason = "no https on the legacy host"

[[ignore]]
url = "http://gone.example.org/"
reason = "was http only"
expires = 2026-01-01
"""
URLS = [
    "http://old.example.org/archive/",
    "http://old.example.org/archive/#part",
    "http://old.example.org/archive/other",
    "http://legacy.example.net/a/b",
    "http://evil.example/?http://legacy.example.net/",
    "http://gone.example.org/",
]


@pytest.fixture
def settings(tmp_path: Path) -> dict:
    """pelicanconf.py, loaded beside a linkcheck.toml with three [[ignore]] entries."""
    shutil.copy(PROJECT_ROOT / "pelicanconf.py", tmp_path / "pelicanconf.py")
    (tmp_path / "linkcheck.toml").write_text(IGNORE)
    overrides = {"PATH": str(SCENARIO), "THEME": str(PROJECT_ROOT / "theme")}
    return load_settings(tmp_path / "pelicanconf.py", overrides)


def test_pelicanconf_fills_the_setting_from_linkcheck_toml(settings: dict) -> None:
    assert settings["SAFE_MARKDOWN_HTTP_ALLOWED"] == [
        {"url": "http://old.example.org/archive/", "pattern": None, "expires": None},
        {"url": None, "pattern": "^http://legacy\\.example\\.net/", "expires": None},
        {"url": "http://gone.example.org/", "pattern": None, "expires": "2026-01-01"},
    ]


@pytest.mark.parametrize("url", URLS)
def test_the_build_allows_exactly_what_the_link_checker_ignores(settings: dict, url: str) -> None:
    today = date.fromisoformat(TEST_TODAY)
    ignore = IgnoreList.from_entries(tomllib.loads(IGNORE)["ignore"])
    allowed = http_allowed_by(http_allowances(settings["SAFE_MARKDOWN_HTTP_ALLOWED"]), today)
    assert allowed(url) == (ignore.match(url, today) is not None)


def test_a_real_build_takes_http_links_only_from_the_list(tmp_path: Path, settings: dict) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    news = content / "news" / "launch.md"
    text = news.read_text() + "\n[Archive](http://old.example.org/archive/)\n"
    news.write_text(text)
    overrides = {
        "PATH": str(content),
        "SITE_TODAY": TEST_TODAY,
        "SAFE_MARKDOWN_HTTP_ALLOWED": settings["SAFE_MARKDOWN_HTTP_ALLOWED"],
    }
    output = build_site(tmp_path / "output", overrides=overrides).output
    page = (output / "news" / "launch" / "index.html").read_text()
    assert 'href="http://old.example.org/archive/"' in page
    news.write_text(text + "\n[Gone](http://gone.example.org/)\n")
    with pytest.raises(BuildError) as caught:
        build_site(tmp_path / "again", overrides=overrides)
    assert messages(caught.value) == [
        "content/news/launch.md:10: (body): 'http://gone.example.org/': plain http:// is not "
        "allowed; use the https:// address (a site without https needs an [[ignore]] entry "
        "with a reason in linkcheck.toml)"
    ]
