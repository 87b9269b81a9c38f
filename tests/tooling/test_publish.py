"""Publishing: absolute URLs from SITE_URL, and the gh-pages branch made from output/."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools.build import PROJECT_ROOT, build_site, load_settings, site_today
from tools.publish import PublishError, publish_to_github_pages, publish_with_rsync

PUBLISHCONF = PROJECT_ROOT / "publishconf.py"


def test_publish_settings_need_an_https_site_url(monkeypatch) -> None:
    monkeypatch.setenv("SITE_URL", "http://example.org")
    with pytest.raises(SystemExit, match=r"SITE_URL: 'http://example\.org': must start with https"):
        load_settings(PUBLISHCONF)


@pytest.fixture(scope="module")
def published_build(tmp_path_factory) -> Path:
    """The real content built with publishconf.py for https://example.org/site."""
    output = tmp_path_factory.mktemp("publish") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", "https://example.org/site/")
        build_site(output, settings_file=PUBLISHCONF, overrides=site_today("2026-11-23"))
    return output


def test_publish_build_links_are_absolute_under_site_url(published_build: Path) -> None:
    soup = BeautifulSoup((published_build / "about" / "index.html").read_text(), "lxml")
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/site/about/"
    assert soup.find("link", rel="stylesheet")["href"].startswith("https://example.org/site/")
    for link in soup.select("nav a"):
        assert link["href"].startswith("https://example.org/site/")
    robots = (published_build / "robots.txt").read_text()
    assert "Sitemap: https://example.org/site/sitemap.xml" in robots


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_github_pages_branch_holds_exactly_the_output(published_build: Path, tmp_path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    git(
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "start",
        cwd=repo,
    )
    publish_to_github_pages(published_build, repo, push=False)
    files = set(git("ls-tree", "-r", "--name-only", "gh-pages", cwd=repo).split())
    built = {
        p.relative_to(published_build).as_posix() for p in published_build.rglob("*") if p.is_file()
    }
    assert files == built | {".nojekyll"}


def test_publish_refuses_an_unbuilt_folder(tmp_path) -> None:
    with pytest.raises(PublishError, match=r"has no index\.html"):
        publish_to_github_pages(tmp_path, tmp_path, push=False)


def test_rsync_needs_a_target(published_build: Path) -> None:
    with pytest.raises(PublishError, match="set PUBLISH_RSYNC_TARGET"):
        publish_with_rsync(published_build, "")


@pytest.mark.parametrize("target", ["--dry-run", "-n", "-e sh -c 'touch /tmp/x' x:"])
def test_rsync_refuses_a_target_that_is_an_option(published_build: Path, target: str) -> None:
    with pytest.raises(PublishError, match="starts with '-', so rsync would read it as an option"):
        publish_with_rsync(published_build, target)


def test_rsync_mirrors_the_output_and_deletes_stale_files(published_build: Path, tmp_path):
    import os
    import shutil

    if shutil.which("rsync") is None:
        message = "rsync is not installed (apt-get install rsync)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("old")
    publish_with_rsync(published_build, f"{target}/")
    assert not (target / "stale.html").exists()
    assert (target / "index.html").read_bytes() == (published_build / "index.html").read_bytes()
