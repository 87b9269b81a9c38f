"""What every .ics file the site writes must be, line by line, whatever its content."""

from __future__ import annotations

import re
from pathlib import Path


def content_line_problems(data: bytes) -> list[str]:
    """Why ``data`` is not a well-formed run of iCalendar content lines, or [] when it is:
    CRLF line ends only, at most 75 octets a line, each line valid UTF-8 on its own, no
    character at which str.splitlines() would cut a line (U+2028, U+0085, \\x0b, ...), and
    BEGIN/END blocks that pair up."""
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    stack: list[str] = []
    for number, raw in enumerate(data.split(b"\r\n")[:-1], start=1):
        if len(raw) > 75:
            problems.append(f"line {number}: {len(raw)} octets")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: not UTF-8 on its own (a fold split a character)")
            continue
        if len(line.splitlines()) != 1:
            problems.append(f"line {number}: {line!r} holds a line break")
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:") and (not stack or stack.pop() != line[4:]):
            problems.append(f"line {number}: {line!r} closes nothing open")
        elif not line.startswith((" ", "\t")) and not re.match(r"^[A-Za-z0-9-]+[;:]", line):
            problems.append(f"line {number}: {line!r} is not NAME:value")
    if stack:
        problems.append(f"unclosed: {stack}")
    return problems


def feed_problems(output: Path) -> dict[str, list[str]]:
    """Every .ics file under ``output`` that has problems -> its problems."""
    found = {}
    for file in sorted(output.rglob("*.ics")):
        problems = content_line_problems(file.read_bytes())
        if problems:
            found[str(file.relative_to(output))] = problems
    return found


def assert_sound_feeds(output: Path) -> int:
    """Fail listing every .ics file under ``output`` that is not sound; returns how many
    files were checked (so a caller can tell none were missed)."""
    problems = feed_problems(output)
    assert not problems, problems
    return len(list(output.rglob("*.ics")))
