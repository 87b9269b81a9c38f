"""The offline check on the fixture sites: every seeded defect found at its page and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.linkcheck.config import SiteConfig
from tools.linkcheck.ignore import IgnoreList
from tools.linkcheck.model import Kind
from tools.linkcheck.offline import SiteCheck, check_site

# tests/data/linkcheck/broken/output: one defect per file -> (page, line, kind, link as written)
EXPECTED = [
    ("404.html", 11, Kind.RELATIVE_ON_ERROR_PAGE, "programs/"),
    ("bad-mailto.html", 11, Kind.BAD_MAILTO, "mailto:admissions-at-example.org"),
    ("bad-tel.html", 11, Kind.BAD_TEL, "tel:call-us"),
    ("calendar/sessions.ics", 16, Kind.MISSING_FILE, "http://127.0.0.1:8000/sessions/cancelled/"),
    ("canonical.html", 6, Kind.MISSING_FILE, "http://127.0.0.1:8000/canonical-typo/"),
    ("duplicate-id.html", 12, Kind.DUPLICATE_ID, "#fees"),
    ("empty-link.html", 11, Kind.EMPTY_LINK, ""),
    ("feeds/content.atom.xml", 13, Kind.MISSING_FRAGMENT, "/programs/#deadlines"),
    ("feeds/news.atom.xml", 9, Kind.MISSING_FILE, "http://127.0.0.1:8000/news/retired-post/"),
    ("folder-without-slash.html", 11, Kind.FOLDER_WITHOUT_SLASH, "/programs"),
    ("form-action.html", 11, Kind.MISSING_FILE, "/search/"),
    ("hash-only-link.html", 11, Kind.EMPTY_LINK, "#"),
    ("icon.html", 6, Kind.MISSING_FILE, "/theme/images/favicon.ico"),
    ("insecure-link.html", 11, Kind.INSECURE_LINK, "http://www.example.com/announcement"),
    ("invalid-jsonld.html", 7, Kind.INVALID_FILE, ""),
    ("jsonld.html", 10, Kind.MISSING_FILE, "http://127.0.0.1:8000/programs/ghost/"),
    ("malformed-url.html", 11, Kind.MALFORMED_URL, "http://[::1/"),
    ("missing-alt.html", 11, Kind.MISSING_ALT, "/images/logo.png"),
    ("missing-feed.html", 11, Kind.MISSING_FEED, "webcal://127.0.0.1:8000/calendar/retired.ics"),
    ("missing-file.html", 11, Kind.MISSING_FILE, "/programs/missing/"),
    ("missing-fragment-encoded.html", 11, Kind.MISSING_FRAGMENT, "/programs/#caf%C3%A9"),
    ("missing-fragment-here.html", 11, Kind.MISSING_FRAGMENT, "#schedule"),
    ("missing-fragment.html", 11, Kind.MISSING_FRAGMENT, "/programs/#fees"),
    ("multiline-tag.html", 14, Kind.MISSING_FILE, "/programs/moved/"),
    ("nested/outside-output.html", 11, Kind.OUTSIDE_OUTPUT, "../../secrets.txt"),
    ("og-image.html", 6, Kind.MISSING_FILE, "http://127.0.0.1:8000/images/social.png"),
    ("orphan.html", None, Kind.ORPHAN, ""),
    ("percent-decoding.html", 11, Kind.MISSING_FILE, "/files/annual%20reports.pdf"),
    ("placeholder.html", 11, Kind.PLACEHOLDER, "{filename}/programs/retired.md"),
    ("publish-prefix.html", 11, Kind.MISSING_FILE, "https://hq.example.org/programs/retired/"),
    ("robots.txt", 4, Kind.MISSING_FILE, "http://127.0.0.1:8000/sitemap-index.xml"),
    ("sitemap-external.xml", 4, Kind.NOT_INTERNAL, "https://www.example.org/programs/"),
    ("sitemap-relative.xml", 4, Kind.NOT_ABSOLUTE, "/programs/"),
    ("sitemap.xml", 4, Kind.MISSING_FILE, "http://127.0.0.1:8000/programs/retired/"),
    ("srcset.html", 11, Kind.MISSING_FILE, "/images/logo@3x.png"),
    ("stylesheet.html", 6, Kind.MISSING_FILE, "/theme/css/missing.css"),
    ("theme/css/site.css", 4, Kind.MISSING_FILE, "../fonts/body.woff2"),
    ("webcal-not-a-feed.html", 11, Kind.MISSING_FEED, "webcal://127.0.0.1:8000/programs/"),
]


@pytest.fixture(scope="module")
def broken() -> SiteCheck:
    """The offline check of the broken fixture site."""
    root = Path(__file__).resolve().parent.parent / "data" / "linkcheck" / "broken"
    config = SiteConfig.from_urls(
        "https://hq.example.org",
        "http://127.0.0.1:8000",
        project_root=root,
        root_url="https://hq.example.org",
    )
    return check_site(root / "output", config)


def _found(check: SiteCheck) -> list[tuple[str, int | None, Kind, str]]:
    return [(p.page, p.line, p.kind, p.url) for p in check.problems]


@pytest.mark.parametrize(
    ("page", "line", "kind", "url"), EXPECTED, ids=[f"{e[2]}:{e[0]}" for e in EXPECTED]
)
def test_each_seeded_defect_is_found_at_its_page_and_line(
    broken: SiteCheck, page: str, line: int | None, kind: Kind, url: str
) -> None:
    found = [(p.line, p.kind, p.url) for p in broken.problems if p.page == page]
    assert found == [(line, kind, url)]


def test_the_broken_site_reports_exactly_the_seeded_defects(broken: SiteCheck) -> None:
    assert sorted(_found(broken), key=str) == sorted(EXPECTED, key=str)


def test_every_kind_of_problem_is_seeded() -> None:
    assert {kind for _, _, kind, _ in EXPECTED} == set(Kind)


def test_every_built_file_with_links_is_checked(broken: SiteCheck) -> None:
    checked = set(broken.documents)
    assert {page for page, *_ in EXPECTED} <= checked
    assert "images/logo.png" not in checked  # no links in images
    assert "images/logo.png" in broken.files


def test_the_clean_site_reports_nothing(fixture_site) -> None:
    output, config = fixture_site("clean")
    check = check_site(output, config)
    assert check.problems == []
    # ...and it really looked: every kind of built file was parsed and its links followed.
    kinds = {document.kind for document in check.documents.values()}
    assert kinds == {"html", "sitemap", "atom", "ics", "robots", "css"}
    assert sum(len(document.links) for document in check.documents.values()) == 64


def test_the_clean_site_collects_each_external_url_once_with_every_use(fixture_site) -> None:
    output, config = fixture_site("clean")
    check = check_site(output, config)
    assert sorted(check.external) == [
        "https://www.example.org/healthcare-quality",
        "https://www.example.org/quality",
        "https://www.example.org/quality?ref=site",
    ]
    uses = check.external["https://www.example.org/quality?ref=site"]
    assert [(u.page, u.line, u.url) for u in uses] == [
        ("index.html", 45, "https://www.example.org/quality?ref=site#intro")
    ]
    assert check.external["https://www.example.org/quality"][0].source == "content/pages/about.md"


def test_a_problem_names_the_markdown_source_and_its_line(broken: SiteCheck) -> None:
    (problem,) = broken.problems_on("missing-file.html")
    assert (problem.source, problem.source_line) == ("content/missing-file.md", 5)
    (placeholder,) = broken.problems_on("placeholder.html")
    assert (placeholder.source, placeholder.source_line) == ("content/placeholder.md", 4)


def test_a_link_from_the_templates_names_the_source_without_a_line(broken: SiteCheck) -> None:
    (problem,) = broken.problems_on("stylesheet.html")
    assert (problem.source, problem.source_line) == ("content/stylesheet.md", None)


def test_pages_without_a_source_name_none(broken: SiteCheck) -> None:
    (problem,) = broken.problems_on("icon.html")
    assert problem.source is None


def test_a_missing_source_map_is_tolerated(tmp_path: Path, fixture_site) -> None:
    output, config = fixture_site("broken")
    copy = tmp_path / "output"
    shutil.copytree(output, copy)
    assert not (tmp_path / "output.sources.json").exists()
    check = check_site(copy, config)
    assert sorted(_found(check), key=str) == sorted(EXPECTED, key=str)
    assert all(problem.source is None for problem in check.problems)


def test_an_ignore_entry_allows_a_plain_http_link(fixture_site) -> None:
    output, config = fixture_site("broken")
    ignore = IgnoreList.from_entries(
        [{"url": "http://www.example.com/announcement", "reason": "the site has no https"}]
    )
    check = check_site(output, config, ignore=ignore)
    assert check.problems_on("insecure-link.html") == []
    assert "http://www.example.com/announcement" in check.external


def test_the_dev_prefix_alone_makes_published_links_external(fixture_site) -> None:
    output, _ = fixture_site("broken")
    dev_only = SiteConfig.from_urls("http://127.0.0.1:8000")
    check = check_site(output, dev_only)
    assert check.problems_on("publish-prefix.html") == []
    assert "https://hq.example.org/programs/retired/" in check.external


def test_without_a_home_page_every_unlisted_page_is_an_orphan(tmp_path: Path) -> None:
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "a" / "index.html").write_text('<a href="/b.html">b</a>', "utf-8")
    (output / "b.html").write_text('<a href="/a/">a</a>', "utf-8")
    check = check_site(output, SiteConfig())
    assert [(p.page, p.kind) for p in check.problems] == [
        ("a/index.html", Kind.ORPHAN),
        ("b.html", Kind.ORPHAN),
    ]


def test_a_missing_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="build it first"):
        check_site(tmp_path / "nothing-here", SiteConfig())
