"""Link checks of the real site: one test per built file, plus site-wide checks.

The site is built once, when this module is collected (the per-page tests need the list of
built files), and checked once; each test reports its own page's problems. The live check of
external links is in test_external_links.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.realsite import TEST_TODAY, real_site_output
from tools.build import PROJECT_ROOT, build_site, load_settings, site_today
from tools.linkcheck.cli import ignore_notes, site_config
from tools.linkcheck.config import SiteConfig, load_config
from tools.linkcheck.ignore import local_today
from tools.linkcheck.model import Kind
from tools.linkcheck.offline import SiteCheck, check_site
from tools.linkcheck.report import format_ignore_notes, format_problems

SETTINGS = PROJECT_ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = PROJECT_ROOT / "publishconf.py"
CONFIG = load_config(PROJECT_ROOT / "linkcheck.toml")
NOT_BUILT = "(the site did not build)"
# The target for the whole offline check of the shipped site.
OFFLINE_BUDGET_SECONDS = 0.5


@dataclass
class Shipped:
    """The real site as built for these tests, and what the offline check found."""

    output: Path
    site: SiteConfig
    check: SiteCheck | None
    build_error: str | None = None


_SHIPPED = pytest.StashKey[Shipped]()


def _shipped(config: pytest.Config) -> Shipped:
    """Build the real site once per session (at collection) and check it once."""
    if _SHIPPED not in config.stash:
        site = site_config(SETTINGS)
        try:
            output = real_site_output(config)
        except Exception as error:  # reported by every test below, not as a collection error
            output = Path(NOT_BUILT)
            config.stash[_SHIPPED] = Shipped(output, site, None, f"{type(error).__name__}: {error}")
        else:
            check = check_site(output, site, ignore=CONFIG.ignore, today=local_today())
            config.stash[_SHIPPED] = Shipped(output, site, check)
    return config.stash[_SHIPPED]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One ``test_links_on_page`` per built file that can hold links."""
    if "page" in metafunc.fixturenames:
        shipped = _shipped(metafunc.config)
        pages = shipped.check.pages if shipped.check else [NOT_BUILT]
        metafunc.parametrize("page", pages)


@pytest.fixture
def shipped(request: pytest.FixtureRequest) -> Shipped:
    """The built and checked real site; fails the test when the site did not build."""
    result = _shipped(request.config)
    if result.check is None:
        pytest.fail(f"the site did not build, so its links were not checked:\n{result.build_error}")
    return result


def test_links_on_page(shipped: Shipped, page: str) -> None:
    """Every link, fragment and asset of one built file resolves; its markup rules hold."""
    assert shipped.check is not None
    problems = shipped.check.problems_on(page)
    if problems:
        pytest.fail(format_problems(problems), pytrace=False)


def test_every_page_is_reachable_from_the_home_page_or_the_sitemap(shipped: Shipped) -> None:
    assert shipped.check is not None
    orphans = shipped.check.orphans()
    if orphans:
        pytest.fail(format_problems(orphans), pytrace=False)


def test_the_check_covers_every_kind_of_built_file(shipped: Shipped) -> None:
    assert shipped.check is not None
    documents = shipped.check.documents
    assert documents["index.html"].links, "the home page has no links at all"
    assert documents["sitemap.xml"].kind == "sitemap"
    assert documents["robots.txt"].kind == "robots"
    assert any(d.kind == "atom" for d in documents.values()), "no Atom feed was checked"
    built = {path for path in shipped.check.files if path.endswith((".html", ".ics", ".css"))}
    assert built <= set(documents)
    assert all(documents[path].kind == "ics" for path in built if path.endswith(".ics"))


def test_the_offline_check_of_the_site_takes_under_half_a_second(shipped: Shipped) -> None:
    """The whole offline check (listing, parsing, resolving, orphans): best of three runs."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        check_site(shipped.output, shipped.site, ignore=CONFIG.ignore)
        timings.append(time.perf_counter() - started)
    assert min(timings) < OFFLINE_BUDGET_SECONDS, f"offline check took {min(timings):.3f} s"


def test_the_ignore_list_has_no_expired_or_unused_entries(shipped: Shipped) -> None:
    assert shipped.check is not None
    expired, unused = ignore_notes(shipped.check, CONFIG, local_today())
    if expired or unused:
        pytest.fail(
            "linkcheck.toml: renew (with a new reason and date) or remove:\n"
            + format_ignore_notes(expired, unused),
            pytrace=False,
        )


def test_the_publish_build_links_resolve_under_its_https_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A publish build (absolute https links everywhere) passes the same offline check."""
    monkeypatch.setenv("SITE_URL", "https://quality-programs.example.org")
    output = tmp_path / "output"
    build_site(output, settings_file=PUBLISH_SETTINGS, overrides=site_today(TEST_TODAY))
    settings = load_settings(PUBLISH_SETTINGS)
    site = SiteConfig.from_settings(settings, PROJECT_ROOT)
    assert [prefix.netloc for prefix in site.prefixes] == ["quality-programs.example.org"]
    check = check_site(output, site, ignore=CONFIG.ignore, today=local_today())
    if check.problems:
        pytest.fail(format_problems(check.problems), pytrace=False)
    assert check.documents["index.html"].links


def test_a_broken_link_in_content_is_reported_with_page_line_and_source(
    content_copy: Path, build
) -> None:
    """End to end: a real build with one bad fragment fails, naming the page, line and source."""
    program = content_copy / "programs" / "medical-education.md"
    text = program.read_text("utf-8").rstrip("\n") + "\n"
    broken = "/programs/health-professions-education/#no-such-part"
    program.write_text(f"{text}\nCompare [the fees]({broken}).\n", "utf-8")
    source_line = len(text.splitlines()) + 2
    output = build(content=content_copy)
    site = SiteConfig.from_settings(load_settings(SETTINGS), project_root=content_copy.parent)
    check = check_site(output, site, ignore=CONFIG.ignore, today=local_today())
    (problem,) = [p for p in check.problems if p.url == broken]  # other pages: their own tests
    page = "programs/medical-education/index.html"
    assert (problem.page, problem.kind, problem.url) == (page, Kind.MISSING_FRAGMENT, broken)
    assert (problem.source, problem.source_line) == (
        "content/programs/medical-education.md",
        source_line,
    )
    built_lines = (output / page).read_text("utf-8").splitlines()
    assert problem.line is not None and broken in built_lines[problem.line - 1]
