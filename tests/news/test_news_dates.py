"""News dates: pages show only a date the source gives; feeds date an undated item by git."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from pelican.plugins.info_sessions.history import commit_times
from pelican.plugins.info_sessions.problems import Problem

from tools.build import PROJECT_ROOT, BuildError

ATOM = "{http://www.w3.org/2005/Atom}"
BMJ = "news/bmj-quality-improvement-series"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def entries(output: Path) -> dict[str, ElementTree.Element]:
    feed = ElementTree.parse(output / "feeds" / "news.atom.xml").getroot()
    return {entry.find(f"{ATOM}title").text: entry for entry in feed.iter(f"{ATOM}entry")}


def write_news(content: Path, name: str, header: str) -> None:
    (content / "news" / f"{name}.md").write_text(
        f"Title: {name.title()}\nSlug: {name}\n{header}Summary: S.\n\nBody.\n", encoding="utf-8"
    )


def test_a_date_the_source_gives_is_shown_and_a_missing_one_is_said_to_be_missing(
    build, content_copy: Path
) -> None:
    write_news(content_copy, "dated", "Date: 2026-10-05\n")
    write_news(content_copy, "undated", "")
    output = build(content=content_copy)
    dated = soup(output / "news" / "dated" / "index.html").select_one("main .hq-meta")
    assert dated.get_text(" ", strip=True) == "Dated 5 October 2026"
    assert dated.time["datetime"] == "2026-10-05"
    undated = soup(output / "news" / "undated" / "index.html").select_one("main .hq-meta")
    assert undated.get_text(strip=True) == "Undated: the source of this item gives no date."
    assert undated.find("time") is None
    # Lists show the source's date beside a dated item and nothing beside an undated one.
    news_list = soup(output / "news" / "index.html").main
    home_news = soup(output / "index.html").find(id="news-heading").parent
    for listing in (news_list, home_news):
        assert [t.get_text(strip=True) for t in listing.find_all("time")] == ["5 October 2026"]


def test_an_undated_item_outside_git_is_dated_in_the_feed_by_the_start_of_today(
    build, content_copy: Path
) -> None:
    write_news(content_copy, "undated", "")
    output = build(content=content_copy, today="2027-02-10")
    entry = entries(output)["Undated"]
    assert entry.find(f"{ATOM}published").text == "2027-02-10T00:00:00-05:00"
    # A later "today" is not "the future": the item is still published (WITH_FUTURE_DATES).
    assert (output / "news" / "undated" / "index.html").is_file()


def test_the_real_news_item_is_dated_in_the_feed_by_the_commit_that_added_it(
    built_site: Path,
) -> None:
    source = PROJECT_ROOT / "content" / f"{BMJ}.md"
    assert "\nDate:" not in source.read_text(encoding="utf-8")  # the source gives no date
    times = commit_times(str(source))
    entry = next(iter(entries(built_site).values()))
    published = datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    if times:
        assert (published, updated) == (times[-1], times[0])
    page = soup(built_site / BMJ / "index.html")
    assert page.main.find("time") is None
    assert "gives no date" in page.select_one("main .hq-meta").get_text()


def test_commit_times_are_the_files_commits_newest_first(tmp_path: Path) -> None:
    def commit(when: str, text: str) -> None:
        (tmp_path / "item.md").write_text(text)
        environment = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        for command in (["add", "item.md"], ["commit", "-q", "-m", text]):
            subprocess.run(["git", "-C", str(tmp_path), *command], check=True, env=environment)

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "config", "user.email", "t@example.org"], check=True
    )
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.name", "T"], check=True)
    commit("2026-01-02T03:04:05+00:00", "first")
    commit("2026-03-04T05:06:07+00:00", "second")
    assert commit_times(str(tmp_path / "item.md")) == [
        datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    ]
    assert commit_times(str(tmp_path / "not-committed.md")) == []
    assert commit_times(str(tmp_path.parent / "no-git-here" / "x.md")) == []


def test_a_site_today_that_is_not_a_date_is_one_problem_naming_the_setting(
    build, content_copy: Path
) -> None:
    with pytest.raises(BuildError) as caught:
        build(content=content_copy, today="2027-02-30")
    found = [
        (problem.path, problem.field, problem.value)
        for problem in caught.value.problems
        if isinstance(problem, Problem)
    ]
    assert ("pelicanconf.py", "SITE_TODAY", "2027-02-30") in found
    assert not [p for p in caught.value.problems if "Traceback" in str(p)]
