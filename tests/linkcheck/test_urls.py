"""URL rules: internal or external, where internal links lead, mailto and tel syntax."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.linkcheck.config import ConfigError, Prefix, SiteConfig
from tools.linkcheck.extract import srcset_urls
from tools.linkcheck.urls import (
    Scheme,
    mailto_problem,
    placeholder_in,
    resolve,
    tel_problem,
)

DEV_AND_PUBLISHED = SiteConfig.from_urls(
    "https://hq.example.org", "http://127.0.0.1:8000", root_url="https://hq.example.org"
)


@pytest.mark.parametrize(
    ("url", "page", "path", "folder", "fragment"),
    [
        ("/programs/", "index.html", "programs", True, None),
        ("programs/", "about/index.html", "about/programs", True, None),
        ("../programs/#fees", "about/index.html", "programs", True, "fees"),
        ("./", "about/index.html", "about", True, None),
        ("..", "about/team/index.html", "about", True, None),
        ("/", "about/index.html", "", True, None),
        ("/files/annual%20report.pdf", "index.html", "files/annual report.pdf", False, None),
        ("/programs/#caf%C3%A9", "index.html", "programs", True, "café"),
        ("http://127.0.0.1:8000/news/", "index.html", "news", True, None),
        ("http://127.0.0.1:8000", "index.html", "", True, None),
        (
            "https://hq.example.org/news/x/index.html",
            "index.html",
            "news/x/index.html",
            False,
            None,
        ),
        ("HTTPS://HQ.example.org:443/a/", "index.html", "a", True, None),
        ("//hq.example.org/a/", "index.html", "a", True, None),
        ("/a//b/./c.css?v=2", "index.html", "a/b/c.css", False, None),
        ("  /padded/  ", "index.html", "padded", True, None),
    ],
)
def test_internal_links_resolve_to_site_paths(
    url: str, page: str, path: str, folder: bool, fragment: str | None
) -> None:
    target = resolve(url, page, DEV_AND_PUBLISHED)
    assert target.scheme is Scheme.INTERNAL
    assert (target.path, target.folder, target.fragment, target.outside) == (
        path,
        folder,
        fragment,
        None,
    )


@pytest.mark.parametrize("url", ["#main", "?sort=name", "?q=1#x"])
def test_query_and_fragment_only_links_stay_on_the_page(url: str) -> None:
    target = resolve(url, "programs/index.html", DEV_AND_PUBLISHED)
    assert (target.scheme, target.path, target.same_document) == (
        Scheme.INTERNAL,
        "programs/index.html",
        True,
    )


@pytest.mark.parametrize(
    "url",
    ["../secret", "../../x/", "/../x", "%2e%2e/x", "http://127.0.0.1:8000/../x"],
)
def test_climbing_above_the_output_is_reported(url: str) -> None:
    target = resolve(url, "index.html", DEV_AND_PUBLISHED)
    assert target.scheme is Scheme.INTERNAL
    assert target.outside is not None


def test_a_site_under_a_subpath_keeps_root_relative_links_inside_it() -> None:
    site = SiteConfig.from_urls("https://example.org/hq", root_url="https://example.org/hq")
    inside = resolve("/hq/programs/", "index.html", site)
    assert (inside.path, inside.outside) == ("programs", None)
    outside = resolve("/elsewhere/", "index.html", site)
    assert outside.outside is not None and "site root /hq/" in outside.outside
    relative = resolve("../programs/", "about/index.html", site)
    assert relative.path == "programs"
    assert resolve("https://example.org/hqx/", "index.html", site).scheme is Scheme.EXTERNAL


@pytest.mark.parametrize(
    ("url", "fetch", "insecure"),
    [
        ("https://www.example.org/a#b", "https://www.example.org/a", False),
        ("https://www.example.org", "https://www.example.org/", False),
        ("http://www.example.org/q?x=1", "http://www.example.org/q?x=1", True),
        ("http://127.0.0.1:9999/", "http://127.0.0.1:9999/", True),
        ("//cdn.example.net/a.js", "https://cdn.example.net/a.js", False),
        ("webcal://calendar.example.net/feed.ics", "https://calendar.example.net/feed.ics", False),
    ],
)
def test_external_links_are_fetched_without_their_fragment(
    url: str, fetch: str, insecure: bool
) -> None:
    target = resolve(url, "index.html", DEV_AND_PUBLISHED)
    assert (target.scheme, target.fetch_url, target.insecure) == (Scheme.EXTERNAL, fetch, insecure)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("mailto:a@example.org", Scheme.MAILTO),
        ("MAILTO:a@example.org", Scheme.MAILTO),
        ("tel:+1-617-432-1000", Scheme.TEL),
        ("data:image/png;base64,AAAA", Scheme.SKIP),
        ("javascript:void(0)", Scheme.SKIP),
        ("http://[::1/", Scheme.MALFORMED),
        ("https:///no-host", Scheme.MALFORMED),
    ],
)
def test_other_schemes_are_classified(url: str, scheme: Scheme) -> None:
    assert resolve(url, "index.html", DEV_AND_PUBLISHED).scheme is scheme


def test_webcal_to_the_site_is_internal() -> None:
    target = resolve("webcal://127.0.0.1:8000/calendar/all.ics", "index.html", DEV_AND_PUBLISHED)
    assert (target.scheme, target.path, target.webcal) == (
        Scheme.INTERNAL,
        "calendar/all.ics",
        True,
    )


@pytest.mark.parametrize(
    "url",
    [
        "mailto:admissions@example.org",
        "mailto:a.b+c@mail.example.co.uk?subject=Hello%20there&body=Hi",
        "mailto:a@example.org,b@example.org",
        "mailto:?to=a@example.org",
        "mailto:a%40example.org",
    ],
)
def test_well_formed_mailto_links(url: str) -> None:
    assert mailto_problem(url) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mailto:", "no e-mail address"),
        ("mailto:?subject=hi", "no e-mail address"),
        ("mailto:admissions-at-example.org", "not a valid e-mail address"),
        ("mailto:a@example", "not a valid e-mail address"),
        ("mailto:a@@example.org", "not a valid e-mail address"),
        ("mailto:a b@example.org", "not a valid e-mail address"),
        ("mailto:a@example.org?cc=nobody", "'nobody' is not a valid e-mail address"),
    ],
)
def test_malformed_mailto_links(url: str, why: str) -> None:
    problem = mailto_problem(url)
    assert problem is not None and why in problem


@pytest.mark.parametrize(
    "url", ["tel:+1-617-432-1000", "tel:+44(0)20.7946.0000", "tel:6174321000", "tel:+1-617;ext=2"]
)
def test_well_formed_tel_links(url: str) -> None:
    assert tel_problem(url) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("tel:", "no phone number"),
        ("tel:call-us", "not a phone number"),
        ("tel:+1 617 432 1000", "not a phone number"),
        ("tel:+1%20617", "not a phone number"),
        ("tel:12", "too few digits"),
    ],
)
def test_malformed_tel_links(url: str, why: str) -> None:
    problem = tel_problem(url)
    assert problem is not None and why in problem


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("{filename}/programs/x.md", "{filename}"),
        ("{static}/images/a.png", "{static}"),
        ("%7Battach%7Dfile.pdf", "{attach}"),
        ("|filename|/x.md", "|filename|"),
        ("/{{ SITEURL }}/x", "{{"),
        ("/programs/{% raw %}", "{%"),
    ],
)
def test_leftover_placeholders_are_found(url: str, found: str) -> None:
    assert placeholder_in(url) == found


def test_ordinary_braces_are_not_placeholders() -> None:
    assert placeholder_in("/search/?q={term}") is None


def test_srcset_candidates() -> None:
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png 1x,b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png,b.png 2x") == ["a.png,b.png"]  # HTML: a URL may hold commas
    assert srcset_urls(" /img/a,b.png 100w , /c.png 200w") == ["/img/a,b.png", "/c.png"]
    assert srcset_urls("") == []


_URL_CHARACTERS = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N"), whitelist_characters="/._-%?="),
    min_size=1,
    max_size=20,
)
_DESCRIPTORS = st.sampled_from(["", " 1x", " 2x", " 480w", " 1.5x"])


@given(st.lists(st.tuples(_URL_CHARACTERS, _DESCRIPTORS), min_size=1, max_size=6))
def test_srcset_parsing_recovers_every_candidate_url(candidates: list[tuple[str, str]]) -> None:
    srcset = ", ".join(url + descriptor for url, descriptor in candidates)
    assert srcset_urls(srcset) == [url for url, _ in candidates]


def test_prefixes_need_an_http_url_with_a_host() -> None:
    assert Prefix.parse("https://HQ.example.org:443/sub/") == Prefix("hq.example.org", "/sub")
    assert Prefix.parse("http://127.0.0.1:8000") == Prefix("127.0.0.1:8000", "")
    with pytest.raises(ConfigError, match="not an http"):
        Prefix.parse("ftp://example.org")
