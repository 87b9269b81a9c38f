"""Smoke tests of the benchmarks: the generator's output and one tiny run of the runner.

No timings are asserted here: benchmarks are measured by `make bench`, not by the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import generate, run
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT

REQUIRED_BY_FORMAT = {
    "online": ("Join-URL",),
    "hybrid": ("Join-URL", "Location"),
    "in-person": ("Location",),
}


def _header(text: str) -> dict[str, str]:
    head = text.split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = generate.generate(tmp_path / "a", sessions=40, seed=7)
    generate.generate(tmp_path / "b", sessions=40, seed=7)
    generate.generate(tmp_path / "c", sessions=40, seed=8)
    a, b, c = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b"), tree_digest(tmp_path / "c")
    assert a == b
    assert a != c
    assert len([name for name in a if name.startswith("site/content/sessions/")]) == 40
    assert first.sessions == 40


def test_every_format_and_status_with_its_required_fields(tmp_path: Path) -> None:
    manifest = generate.generate(tmp_path, sessions=300)
    assert set(manifest.formats) == {"online", "in-person", "hybrid"}
    assert set(manifest.statuses) == {"scheduled", "cancelled", "postponed", "full"}
    assert sum(manifest.formats.values()) == 300
    programs = {path.stem for path in (tmp_path / "site/content/programs").glob("*.md")}
    for path in (tmp_path / "site/content/sessions").glob("*.md"):
        header = _header(path.read_text("utf-8"))
        assert header["Program"] in programs, path.name
        for field in REQUIRED_BY_FORMAT[header["Format"]]:
            assert header.get(field), f"{path.name}: {header['Format']} without {field}"
        for field in ("Join-URL", "Registration-URL"):
            assert header.get(field, "https://").startswith("https://"), path.name


def test_peers_get_the_same_sessions(tmp_path: Path) -> None:
    generate.generate(tmp_path, sessions=25)
    ours = {p.name for p in (tmp_path / "site/content/sessions").glob("*.md")}
    plain = {p.name for p in (tmp_path / "plain/content/sessions").glob("*.md")}
    events = {p.name for p in (tmp_path / "events/content/sessions").glob("*.md")}
    assert ours == plain == events
    for path in (tmp_path / "events/content/sessions").glob("*.md"):
        header = _header(path.read_text("utf-8"))
        assert header["Event-start"] < header["Event-end"], path.name
        assert "Event-start" not in (tmp_path / "plain/content/sessions" / path.name).read_text()


def test_generated_sessions_build_with_our_plugin(tmp_path: Path, build) -> None:
    manifest = generate.generate(tmp_path / "gen", sessions=10)
    output = build(content=tmp_path / "gen" / "site" / "content", today=manifest.today)
    for path in (tmp_path / "gen/site/content/sessions").glob("*.md"):
        assert (output / "sessions" / path.stem / "index.html").is_file(), path.name
        assert (output / "calendar" / "sessions" / f"{path.stem}.ics").is_file(), path.name
    feed = (output / "calendar" / "all.ics").read_text("utf-8")
    assert feed.startswith("BEGIN:VCALENDAR")
    assert feed.count("BEGIN:VEVENT") >= 1


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One run of the runner at N = 10, one measured run per figure (peers venv as needed)."""
    folder = tmp_path_factory.mktemp("bench")
    command = [sys.executable, str(PROJECT_ROOT / "benchmarks" / "run.py")]
    command += ["--sizes", "10", "--runs", "1", "--skip", "year-ahead"]
    command += ["--work", str(folder / "work"), "--results-dir", str(folder)]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (folder / "RESULTS-custom.md").is_file()  # a custom run: the full run's files stay
    assert not (folder / "RESULTS.md").exists()
    return json.loads((folder / "results-custom.json").read_text("utf-8"))


def test_tiny_run_writes_every_key(tiny_run: dict) -> None:
    for key in (
        "build_s",
        "build_ratio_vs_plain_pelican",
        "incremental_s",
        "linkcheck_ratio_vs_linkchecker",
        "peak_mb",
    ):
        assert key in tiny_run, key
    assert set(tiny_run["build_s"]) == {"10"}
    assert set(tiny_run["peak_mb"]) == {"10"}
    assert tiny_run["build_s"]["10"]["runs"] and tiny_run["peak_mb"]["10"]["median"] > 0


def test_tiny_run_both_link_checkers_find_the_seeded_breaks(tiny_run: dict) -> None:
    link = tiny_run["linkcheck"]
    assert link["seeded"]
    assert link["found_by_ours"] == link["seeded"]
    assert link["other_findings_ours"] == []
    # LinkChecker's AnchorCheck misses a missing #fragment now and then: its threads read a
    # page's anchors while another thread is still parsing it (linkchecker/linkchecker#555,
    # #568). Missing files it always finds; what it finds is always a seeded break.
    theirs = {tuple(item) for item in link["found_by_linkchecker"]}
    files_only = {tuple(item) for item in link["seeded"] if "#" not in item[1]}
    assert files_only <= theirs <= {tuple(item) for item in link["seeded"]}
    assert link["same_findings"] is (theirs == {tuple(item) for item in link["seeded"]})


def _figure(median: float) -> dict[str, float]:
    return {"median": median, "min": median, "max": median}


def test_a_quick_run_is_compared_with_the_full_runs_figures() -> None:
    full = {
        "build_ratio_vs_plain_pelican": {"1000": _figure(0.63)},
        "incremental_s": _figure(1.23),
        "incremental_rebuild_s": _figure(1.18),
    }
    quick = {
        "build_ratio_vs_plain_pelican": {"1000": _figure(0.70)},  # 11 % above: outside
        "build_user_ratio_vs_plain_pelican": {"1000": _figure(0.6)},  # not in the full run
        "incremental_s": _figure(1.30),  # 6 % above: within
        "incremental_rebuild_s": _figure(0.90),  # faster: within
    }
    rows = {row["figure"]: row for row in run.compared_with_full(quick, full)}
    assert set(rows) == {
        "Build at N = 1,000, ours / plain Pelican",
        "Rebuild after one edit, from save to reload",
        "Rebuild after one edit, the rebuild alone",
    }
    ratio = rows["Build at N = 1,000, ours / plain Pelican"]
    assert (ratio["quick"], ratio["full"], ratio["change"], ratio["within"]) == (
        "0.70",
        "0.63",
        "+11%",
        False,
    )
    assert rows["Rebuild after one edit, from save to reload"]["within"] is True
    assert rows["Rebuild after one edit, the rebuild alone"]["change"] == "-24%"
