"""Shared harness of the browser and standards suites (tests/browser/, tests/standards/).

- The pages under test are the session's one build of the real content (tests/realsite.py,
  the same build as the ``built_site`` fixture), made while the first of these modules is
  collected: the per-page tests are parametrised over every HTML page of that build.
- The build is served as it is, by a plain static server on 127.0.0.1 (ephemeral port), not
  by the dev server (which injects a live-reload script).
- One Debian Chromium per test session, driven by playwright; never ``playwright install``.

The server, the build and the browser are kept in ``config.stash``, so the fixtures that
tests/browser/conftest.py and tests/standards/conftest.py both import still share one of
each. A missing Chromium or Java skips locally with the reason, and fails when ``CI`` is set.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.realsite import real_site_output
from tools.browser import CHROMIUM, DESKTOP, MOBILE, StaticServer, launch_chromium

NOT_BUILT = "(the site did not build)"


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set to anything but empty/0/false/no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(found: bool, what: str, how_to_install: str) -> None:
    """Skip (locally) or fail (under CI) the current test when a needed program is missing."""
    if found:
        return
    if in_ci():
        pytest.fail(f"{what} is missing and CI is set, so this is a failure: {how_to_install}")
    pytest.skip(f"{what} is missing ({how_to_install}); with CI=true this is a failure")


def url_path(relative: str) -> str:
    """The address a built file is served at: ``a/index.html`` -> ``/a/``."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative


@dataclass(frozen=True)
class ShippedSite:
    """The real content, built for these suites: its folder and every HTML page's address."""

    output: Path
    pages: tuple[str, ...]
    build_error: str | None = None

    def file(self, path: str) -> Path:
        """The built file served at ``path`` (``/a/`` -> ``a/index.html``)."""
        relative = path.lstrip("/")
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        return self.output / relative


_SITE = pytest.StashKey[ShippedSite]()
_SERVER = pytest.StashKey[str]()
_BROWSER = pytest.StashKey[Browser]()


def shipped_site(config: pytest.Config) -> ShippedSite:
    """The session's one build of the real content (``built_site``) and its HTML pages."""
    if _SITE not in config.stash:
        try:
            output = real_site_output(config)
        except Exception as error:  # the build's own error, reported by every test here
            config.stash[_SITE] = ShippedSite(
                Path(), (), f"the site did not build:\n{type(error).__name__}: {error}"
            )
        else:
            files = output.rglob("*.html")
            pages = sorted(url_path(file.relative_to(output).as_posix()) for file in files)
            config.stash[_SITE] = ShippedSite(output, tuple(pages))
    return config.stash[_SITE]


# Page kinds with many pages (the addresses README documents); a page that matches none is a
# kind of its own. Slow checks (keyboard) run on one page of each kind.
PAGE_KINDS = (
    ("program", re.compile(r"/programs/(?!compare/)[^/]+/")),
    ("sessions by format", re.compile(r"/sessions/(in-person|online)/")),
    ("sessions by program", re.compile(r"/sessions/program/[^/]+/")),
    ("month view", re.compile(r"/sessions/calendar/([0-9]{4}-[0-9]{2}/)?")),
    ("session", re.compile(r"/sessions/(?!past/|subscribe/|calendar/|program/)[^/]+/")),
    ("news item", re.compile(r"/news/[^/]+/")),
)


def page_kind(path: str) -> str:
    """The kind of page at ``path``: one of PAGE_KINDS, or the path itself."""
    return next((kind for kind, pattern in PAGE_KINDS if pattern.fullmatch(path)), path)


def sample_pages(site: ShippedSite) -> list[str]:
    """One page of each kind: the biggest, which has the most links and controls."""
    chosen: dict[str, str] = {}
    for path in site.pages:
        kind = page_kind(path)
        size = site.file(path).stat().st_size
        if kind not in chosen or size > site.file(chosen[kind]).stat().st_size:
            chosen[kind] = path
    return sorted(chosen.values())


def parametrize_pages(metafunc: pytest.Metafunc) -> None:
    """One run per built HTML page for tests taking ``page_path``; one per kind of page for
    tests taking ``sample_page``."""
    if "page_path" in metafunc.fixturenames:
        site = shipped_site(metafunc.config)
        metafunc.parametrize("page_path", list(site.pages) or [NOT_BUILT])
    if "sample_page" in metafunc.fixturenames:
        site = shipped_site(metafunc.config)
        metafunc.parametrize("sample_page", sample_pages(site) if site.pages else [NOT_BUILT])


def _serve(config: pytest.Config, root: Path) -> str:
    server = StaticServer(root)
    config.add_cleanup(server.stop)
    return server.start()


def _launch(config: pytest.Config) -> Browser:
    playwright = sync_playwright().start()
    config.add_cleanup(playwright.stop)
    browser = launch_chromium(playwright)
    config.add_cleanup(browser.close)
    return browser


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> ShippedSite:
    """The shipped site built for these suites; fails the test when it did not build."""
    result = shipped_site(request.config)
    if result.build_error:
        pytest.fail(result.build_error, pytrace=False)
    return result


@pytest.fixture(scope="session")
def server_url(request: pytest.FixtureRequest, site: ShippedSite) -> str:
    """``http://127.0.0.1:<port>`` serving the built site exactly as built."""
    config = request.config
    if _SERVER not in config.stash:
        config.stash[_SERVER] = _serve(config, site.output)
    return config.stash[_SERVER]


@pytest.fixture(scope="session")
def browser(request: pytest.FixtureRequest) -> Browser:
    """Debian's headless Chromium, launched once per test session."""
    require(
        CHROMIUM.is_file(),
        f"Chromium ({CHROMIUM})",
        "install it with `apt-get install chromium` (.ci/run does this in CI)",
    )
    config = request.config
    if _BROWSER not in config.stash:
        config.stash[_BROWSER] = _launch(config)
    return config.stash[_BROWSER]


_TABS = pytest.StashKey[dict[str, Page]]()
TAB_OPTIONS: dict[str, dict] = {
    "desktop": {"viewport": DESKTOP},
    "mobile": {"viewport": MOBILE, "has_touch": True, "is_mobile": True},
    "no_js": {"viewport": DESKTOP, "java_script_enabled": False},
}


def _fresh_tab(browser: Browser, kind: str) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(**TAB_OPTIONS[kind])
    try:
        yield context.new_page()
    finally:
        context.close()


def _shared_tab(config: pytest.Config, browser: Browser, kind: str) -> Page:
    """One long-lived tab per kind: a new context costs about half a second, a goto far less."""
    tabs = config.stash.setdefault(_TABS, {})
    if kind not in tabs or tabs[kind].is_closed():
        context = browser.new_context(**TAB_OPTIONS[kind])
        config.add_cleanup(context.close)
        tabs[kind] = context.new_page()
    return tabs[kind]


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    """A fresh tab (its own context), 1280 px wide, JavaScript on."""
    yield from _fresh_tab(browser, "desktop")


@pytest.fixture
def mobile(browser: Browser) -> Iterator[Page]:
    """A fresh tab (its own context), 390 px wide (a phone), with touch."""
    yield from _fresh_tab(browser, "mobile")


@pytest.fixture
def desktop_tab(request: pytest.FixtureRequest, browser: Browser) -> Page:
    """The session's shared 1280 px tab, for per-page checks that start with a goto."""
    return _shared_tab(request.config, browser, "desktop")


@pytest.fixture
def mobile_tab(request: pytest.FixtureRequest, browser: Browser) -> Page:
    """The session's shared 390 px tab, for per-page checks that start with a goto."""
    return _shared_tab(request.config, browser, "mobile")


@pytest.fixture
def no_js_tab(request: pytest.FixtureRequest, browser: Browser) -> Page:
    """The session's shared 1280 px tab with JavaScript disabled."""
    return _shared_tab(request.config, browser, "no_js")


@functools.cache
def _parse(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_bytes(), "lxml")


def soup(site: ShippedSite, path: str) -> BeautifulSoup:
    """The built page at ``path``, parsed once per session (treat it as read-only)."""
    return _parse(site.file(path))


def json_ld(document: BeautifulSoup) -> list[dict]:
    """Every JSON-LD block of a page, parsed (a JSON error propagates)."""
    blocks = document.find_all("script", type="application/ld+json")
    return [json.loads(block.string or "") for block in blocks]
