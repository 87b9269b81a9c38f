"""The checker reads iCalendar files as RFC 5545 content lines: split at CRLF and nowhere else.

Python's ``str.splitlines()`` also breaks at U+2028, U+2029, U+0085, vertical tab, form feed
and the file/group/record separators. A value holding one of them would then look like a
new property to the checker (an injected URL, an early END), while calendar clients that
follow the RFC see one line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools.build import PROJECT_ROOT
from tools.linkcheck.extract import extract_ics
from tools.linkcheck.model import Kind

# Every character str.splitlines() breaks at, other than CR and LF.
NOT_LINE_BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


def calendar(summary: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260102T100000Z\r\n"
        f"SUMMARY:{summary}\r\n"
        "URL:http://127.0.0.1:8000/\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.mark.parametrize("character", NOT_LINE_BREAKS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    "injected", ["URL:http://127.0.0.1:8000/injected/", "END:VEVENT", "no colon"]
)
def test_a_unicode_line_break_inside_a_value_is_part_of_the_value(
    character: str, injected: str
) -> None:
    document = extract_ics("calendar/all.ics", calendar(f"Talk{character}{injected}").encode())
    assert document.problems == []
    assert [(link.url, link.line) for link in document.links] == [("http://127.0.0.1:8000/", 9)]


@pytest.mark.parametrize(
    ("stray", "what"), [("\n", "a line feed (LF)"), ("\r", "a carriage return (CR)")]
)
def test_a_bare_lf_or_cr_is_a_problem_at_its_line(stray: str, what: str) -> None:
    (problem,) = extract_ics("calendar/all.ics", calendar(f"Talk{stray}x").encode()).problems
    assert (problem.kind, problem.line) == (Kind.INVALID_FILE, 8)
    assert problem.reason == (
        f"not a valid iCalendar file: {what} that is not part of a CRLF line ending"
    )


def test_the_checker_run_sees_no_injected_link_and_numbers_lines_at_crlf(tmp_path: Path) -> None:
    """``python -m tools.linkcheck --offline`` on a built folder whose feed has U+2028 in a
    value: the "URL" after it is not a link (else it would be a missing-file problem)."""
    output = tmp_path / "output"
    (output / "calendar").mkdir(parents=True)
    (output / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<a href="/calendar/all.ics">feed</a></body></html>\n'
    )
    feed = calendar("Talk\u2028URL:http://127.0.0.1:8000/injected/\u2028STATUS:CANCELLED")
    (output / "calendar" / "all.ics").write_bytes(feed.encode())
    report = tmp_path / "linkcheck.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.linkcheck",
            "--offline",
            str(output),
            "--report",
            str(report),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "injected" not in result.stdout
    assert "Offline check: 2 built files, 0 problems" in result.stdout
