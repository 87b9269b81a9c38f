"""A series edited as staff edit it, committed and built again: what subscribers' calendars
then hold (read by ``ical`` and calcurse), and what `make serve`'s rebuilds write."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.feeds.checks import assert_sound_feeds
from tests.feeds.lifecycle import Repo
from tests.feeds.readers import ReadEvent, calcurse_events, ical_events
from tests.sessions.conftest import SCENARIOS, TODAY
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT, build_site, site_today
from tools.devserver import Rebuilder

NEW_YORK = ZoneInfo("America/New_York")
FIRST = datetime(2026, 11, 10, 10, tzinfo=UTC)
SECOND = FIRST + timedelta(days=2)
THIRD = FIRST + timedelta(days=4)


def events(output: Path, feed: str = "all") -> dict[str, ReadEvent]:
    return ical_events((output / "calendar" / f"{feed}.ics").read_bytes(), own_rules=True)


def of(found: dict[str, ReadEvent], slug: str) -> dict[str, ReadEvent]:
    return {uid: event for uid, event in found.items() if uid.startswith(f"{slug}-")}


def build(content: Path, output: Path) -> Path:
    build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    assert_sound_feeds(output)
    return output


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The series scenario committed, then its title edited, then one date moved: each
    committed on its own day and built."""
    root = tmp_path_factory.mktemp("series-steps")
    content = root / "content"
    shutil.copytree(SCENARIOS / "series", content)
    repo = Repo(content)
    repo.commit("Series", FIRST)
    built = {"first": build(content, root / "first")}
    repo.set("alpha-monthly", Title="Alpha monthly online session, new title")
    repo.commit("New title", SECOND)
    built["title"] = build(content, root / "title")
    repo.set("alpha-monthly", Move="2027-05-04 to 2027-05-11 13:00, 2027-06-01 to 2027-06-08 18:00")
    built["moved-without-sequence"] = build(content, root / "moved-without-sequence")
    repo.set("alpha-monthly", Sequence="1")
    repo.commit("Move 1 June to 8 June", THIRD)
    built["moved"] = build(content, root / "moved")
    return built


def test_a_title_edit_updates_every_date_in_place(steps: dict[str, Path]) -> None:
    before, after = (
        of(events(steps["first"]), "alpha-monthly"),
        of(events(steps["title"]), "alpha-monthly"),
    )
    assert set(before) == set(after) and len(after) == 5  # the same UIDs
    for uid, event in after.items():
        assert event.summary.endswith("Alpha monthly online session, new title")
        assert event.start == before[uid].start
        assert event.sequence == before[uid].sequence == 0  # a text edit needs no SEQUENCE
        assert before[uid].stamp == FIRST and event.stamp == SECOND  # DTSTAMP: the commit
    others = of(events(steps["title"]), "beta-four-weekly")
    assert {event.stamp for event in others.values()} == {FIRST}  # other files untouched


def test_calcurse_shows_the_new_title_at_the_same_times(steps: dict[str, Path]) -> None:
    listed = calcurse_events(steps["title"] / "calendar" / "online.ics", "America/New_York")
    titled = sorted(item.local_start for item in listed if item.summary.endswith("new title"))
    assert titled == [
        "2027-01-05 12:00",
        "2027-02-02 12:00",
        "2027-03-02 12:00",
        "2027-05-11 13:00",
        "2027-06-01 12:00",
    ]


def test_a_moved_date_is_updated_in_place_with_a_higher_sequence(steps: dict[str, Path]) -> None:
    before, after = (
        of(events(steps["title"]), "alpha-monthly"),
        of(events(steps["moved"]), "alpha-monthly"),
    )
    assert set(before) == set(after)
    uid = "alpha-monthly-20270601@127.0.0.1"
    new_start = datetime(2027, 6, 8, 18, tzinfo=NEW_YORK).astimezone(UTC)
    assert before[uid].start == datetime(2027, 6, 1, 12, tzinfo=NEW_YORK).astimezone(UTC)
    assert after[uid].start == new_start
    assert after[uid].end == new_start + timedelta(hours=1)
    assert after[uid].sequence == 1 > before[uid].sequence
    assert after[uid].stamp == THIRD
    listed = calcurse_events(steps["moved"] / "calendar" / "program-alpha.ics", "Europe/London")
    moved = [item for item in listed if item.start == new_start]
    assert len(moved) == 1 and moved[0].local_start == "2027-06-08 23:00"
    assert "first planned for Tuesday 1 June 2027, 12:00 pm EDT" in after[uid].description


def test_before_its_commit_a_moved_date_keeps_the_last_commits_stamp(
    steps: dict[str, Path],
) -> None:
    preview = of(events(steps["moved-without-sequence"]), "alpha-monthly")
    assert {event.stamp for event in preview.values()} == {SECOND}


def test_rebuilds_of_an_edited_series_write_what_a_fresh_build_writes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / "series", content)
    overrides = {"PATH": str(content), **site_today(TODAY)}
    rebuild = Rebuilder(tmp_path / "served", PROJECT_ROOT / "pelicanconf.py", overrides, None)
    request.addfinalizer(rebuild.close)
    assert rebuild()
    series = content / "sessions" / "alpha-monthly.md"
    text = series.read_text("utf-8")
    series.write_text(
        text.replace("Until: 2027-06-30", "Until: 2027-07-31")
        .replace("Skip: 2027-04-06", "Skip: 2027-04-06, 2027-06-01")
        .replace("Title: Alpha monthly online session", "Title: Alpha monthly, retitled"),
        "utf-8",
    )
    assert rebuild()
    fresh = tmp_path / "fresh"
    build_site(fresh, overrides=overrides)
    served = tree_digest(tmp_path / "served")
    assert served == tree_digest(fresh)
    assert "sessions/alpha-monthly-2027-07-06/index.html" in served
    assert "sessions/alpha-monthly-2027-06-01/index.html" not in served
