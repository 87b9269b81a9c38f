"""`make check` (invoke check): every problem in the content at once, without building,
errors apart from warnings; through the real CLI on copies of tests/data/staff/site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.problems import messages
from tests.staff.conftest import environment, invoke
from tools.build import BuildError, build_site, site_today

HEADER = "Checked content/: 4 session files, 2 programs, 2 quotes."


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, (file, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(content: Path) -> tuple[int, list[str]]:
    run = invoke("check", "--content", str(content))
    return run.status, run.output.rstrip("\n").split("\n")


def session(name: str, start: str, *, program: str = "alpha", status: str = "") -> str:
    lines = [
        f"Title: {name}",
        f"Program: {program}",
        "Format: online",
        f"Start: {start}",
        "Duration: 1h",
        "Join-URL: https://example.org/join",
    ]
    lines += [f"Status: {status}"] if status else []
    return "\n".join(lines) + "\n\nBody.\n"


def test_clean_content_passes(site: Path) -> None:
    assert check(site) == (0, [HEADER, "No problems found."])


def test_every_error_in_every_kind_of_file_at_once_with_file_and_line(site: Path) -> None:
    edit(
        site / "sessions" / "alpha-online-dec.md",
        "Start: 2026-12-08 12:00",
        "Start: 2027-03-14 02:30",
    )
    edit(site / "sessions" / "beta-hybrid-mar.md", "Program: beta", "Program: gamma")
    edit(site / "sessions" / "alpha-cancelled.md", "Duration:", "Duraton:")
    edit(site / "programs" / "alpha.md", "Institution:", "Instituton:")
    edit(site / "programs" / "alpha.toml", "credits = 2", 'credits = "two"')
    edit(site / "quotes" / "ann.md", "Programs: alpha, beta", "Programs: alpha, gamma")
    edit(site / "figures.toml", 'value = "one in ten"', 'value = "one in ten')
    with (site / "news" / "launch.md").open("a") as news:
        news.write("\nRead [the plan](javascript:alert(1)).\n")
    # A warning too, in its own section: a second alpha session at the same time.
    (site / "sessions" / "alpha-clash.md").write_text(session("Clash", "2027-01-14 18:30"))
    status, lines = check(site)
    assert status == 1
    assert lines == [
        "Checked content/: 5 session files, 2 programs, 2 quotes.",
        "",
        "10 errors (the build refuses these):",
        "  content/figures.toml:7: (file): 'value = \"one in ten': not valid TOML: Illegal "
        "character '\\n' (at line 7, column 20)",
        "  content/news/launch.md:8: (body): 'javascript:alert(1)': links with the scheme "
        "'javascript:' are not allowed (they can run script); use an https://, mailto: or tel: "
        "link, or a site-relative one such as /programs/",
        "  content/programs/alpha.md:5: Instituton: 'Alpha School': unknown field; did you mean "
        "'Institution'?",
        "  content/programs/alpha.md: Institution: (missing): required; add a 'Institution:' line",
        "  content/programs/alpha.toml: courses[1].credits: 'two': must be a positive whole number",
        "  content/quotes/ann.md:4: Programs: 'gamma': no such program; use one of: alpha, beta",
        "  content/sessions/alpha-cancelled.md:5: Duraton: '45m': unknown field; did you mean "
        "'Duration'?",
        "  content/sessions/alpha-cancelled.md: End: (missing): required; add 'End: YYYY-MM-DD "
        "HH:MM' or 'Duration: 90m' (or 1h30m)",
        "  content/sessions/alpha-online-dec.md:4: Start: '2027-03-14 02:30': does not exist in "
        "America/New_York: clocks go forward 1 hour that night and skip this time; choose a "
        "time at least 1 hour earlier or later",
        "  content/sessions/beta-hybrid-mar.md:2: Program: 'gamma': no such program; use one of: "
        "alpha, beta",
        "",
        "1 warning (the build accepts these; check each):",
        "  content/sessions/alpha-clash.md:4: Start: '2027-01-14 18:30': overlaps "
        "content/sessions/alpha-campus-jan.md ('Alpha campus open evening', 2027-01-14 18:00 "
        "to 19:30), a session of the same program; if one replaces the other, set 'Status: "
        "cancelled' in the old one, otherwise correct the time",
        "",
        "Fix every error, then run `make check` again.",
    ]


def test_the_build_and_the_check_both_report_every_plugins_problems(
    site: Path, tmp_path: Path
) -> None:
    """Programs and sessions record their problems; the build stops with all of them."""
    edit(site / "programs" / "alpha.md", "Institution:", "Instituton:")
    edit(site / "sessions" / "beta-hybrid-mar.md", "Program: beta", "Program: gamma")
    with pytest.raises(BuildError) as caught:
        build_site(tmp_path / "out", overrides={"PATH": str(site), **site_today("2026-11-23")})
    built = messages(caught.value)
    assert any("beta-hybrid-mar.md:2: Program: 'gamma'" in line for line in built)
    assert any("alpha.md:5: Instituton" in line for line in built)
    status, lines = check(site)
    assert status == 1
    assert any("beta-hybrid-mar.md:2: Program: 'gamma'" in line for line in lines)
    assert any("alpha.md:5: Instituton" in line for line in lines)


def test_warnings_alone_are_printed_and_pass(site: Path) -> None:
    sessions = site / "sessions"
    (sessions / "alpha-typo.md").write_text(session("Typo in the year", "2025-12-08 12:00"))
    (sessions / "alpha-was-cancelled.md").write_text(
        session("Cancelled long ago", "2025-12-09 12:00", status="cancelled")
    )
    (sessions / "beta-same-time.md").write_text(
        session("Beta at the same time", "2026-12-08 12:30", program="beta")
    )
    (sessions / "alpha-same-time.md").write_text(session("Alpha twice", "2026-12-08 12:30"))
    status, lines = check(site)
    assert status == 0
    assert lines == [
        "Checked content/: 8 session files, 2 programs, 2 quotes.",
        "",
        "2 warnings (the build accepts these; check each):",
        "  content/sessions/alpha-typo.md:4: Start: '2025-12-08 12:00': ended before today "
        "(2026-11-23) but is still scheduled; if the date is wrong, correct it; if the session "
        "did not take place, set 'Status: cancelled' and raise Sequence by one",
        "  content/sessions/alpha-same-time.md:4: Start: '2026-12-08 12:30': overlaps "
        "content/sessions/alpha-online-dec.md ('Alpha online info session', 2026-12-08 12:00 "
        "to 13:00), a session of the same program; if one replaces the other, set 'Status: "
        "cancelled' in the old one, otherwise correct the time",
    ]


def git(content: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=content, env=environment(), check=True, capture_output=True)


def test_with_git_changes_since_the_last_commit_are_checked(site: Path) -> None:
    sessions = site / "sessions"
    (sessions / "alpha-autumn.md").write_text(session("Took place", "2026-10-20 12:00"))
    git(site, "init", "-q")
    git(site, "add", ".")
    git(site, "commit", "-q", "-m", "Published sessions")
    # Moved without raising Sequence; a retitled one (no time change) needs nothing.
    edit(sessions / "alpha-campus-jan.md", "2027-01-14 18:00", "2027-01-21 18:00")
    edit(sessions / "alpha-campus-jan.md", "2027-01-14 19:30", "2027-01-21 19:30")
    edit(sessions / "alpha-online-dec.md", "Title: Alpha online", "Title: Alpha's online")
    # Cancelled with Sequence raised: fine.
    edit(sessions / "beta-hybrid-mar.md", "Sequence: 2", "Status: cancelled\nSequence: 3")
    # Deleted instead of cancelled; renamed keeping its UID is fine.
    (sessions / "alpha-cancelled.md").unlink()
    shutil.copy(sessions / "alpha-online-dec.md", sessions / "alpha-online-december.md")
    edit(sessions / "alpha-online-december.md", "Modified:", "UID: alpha-online-dec\nModified:")
    (sessions / "alpha-online-dec.md").unlink()
    status, lines = check(site)
    assert status == 0
    assert lines == [
        "Checked content/: 4 session files, 2 programs, 2 quotes.",
        "",
        "2 warnings (the build accepts these; check each):",
        "  content/sessions/alpha-campus-jan.md:1: Sequence: '0': Start, End changed since the "
        "last commit but Sequence did not go up; set 'Sequence: 1' so calendars that have the "
        "event update it",
        "  content/sessions/alpha-cancelled.md: (file): (missing): deleted, but a published "
        "session must stay so that subscribers' calendars drop it; restore it (git checkout "
        "HEAD -- "
        "content/sessions/alpha-cancelled.md) and set 'Status: cancelled'; to rename a file, "
        "keep 'UID: <old name>' in it",
    ]
    # The past session was committed before and did not change: it took place, no warning.
    assert not any("alpha-autumn" in line for line in lines)


def test_the_check_writes_nothing(site: Path, tmp_path: Path) -> None:
    def snapshot() -> dict[str, tuple[int, int]]:
        return {
            str(path.relative_to(tmp_path)): (path.stat().st_mtime_ns, path.stat().st_size)
            for path in sorted(tmp_path.rglob("*"))
        }

    before = snapshot()
    assert check(site)[0] == 0
    assert snapshot() == before
    assert not (tmp_path / "output").exists()


def test_the_real_content_passes_the_check() -> None:
    run = invoke("check")
    assert run.status == 0, run.output
    assert run.output.startswith("Checked content/: ")
    assert "error" not in run.output
