"""Strict reader for session files: a "Field: value" header, a blank line, a Markdown body.

Unlike Pelican's Markdown reader it keeps line numbers, notices repeated fields and unknown
fields, and never guesses: every problem is returned as ``path: field: value: what to do``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .model import FIELDS_BY_KEY

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$")
# Control characters other than tab: invisible in editors, forbidden in iCalendar text, and
# read as line breaks by some calendar parsers (so they could start a new property). Also a
# byte order mark inside the text, which icalendar drops from the start of a value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")


def control_character_problem(text: str, number: int) -> str | None:
    """What to say when line ``number`` holds a control character; None when it holds none."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (
        f"contains the invisible character U+{ord(found.group()):04X} on line "
        f"{number}; delete it (retype the text around it)"
    )


@dataclass(frozen=True)
class RawSession:
    """A session file split into header values (by canonical field name) and body text."""

    path: str
    values: dict[str, str]
    lines: dict[str, int]
    body: str
    problems: list[str] = field(default_factory=list)


def parse_session_text(text: str, path: str) -> RawSession:
    """Split ``text`` into header fields and body, collecting problems with the header and
    any control character in the file."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    values: dict[str, str] = {}
    where: dict[str, int] = {}
    problems: list[str] = []
    current: str | None = None
    body_start = len(lines)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            body_start = number
            break
        control = control_character_problem(line, number)
        if line[0] in " \t":
            if current == "":
                continue  # continues a line already reported
            if current is None:
                problems.append(
                    f"{path}: (header): {line.strip()!r}: line {number} is indented but "
                    "continues no field; start the file with 'Title: ...'"
                )
            else:
                values[current] = f"{values[current]} {line.strip()}".strip()
                if control:
                    problems.append(f"{path}: {current}: {line.strip()!r}: {control}")
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            problems.append(
                f"{path}: (header): {line!r}: line {number} is not 'Field: value'; "
                "put a blank line between the header and the description"
            )
            current = ""
            continue
        name, value = match.group(1), match.group(2).strip()
        known = FIELDS_BY_KEY.get(name.lower())
        if known is None:
            guess = difflib.get_close_matches(name.lower(), list(FIELDS_BY_KEY), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{FIELDS_BY_KEY[guess[0]].name}'?"
                if guess
                else "remove it; known fields: " + ", ".join(f.name for f in FIELDS_BY_KEY.values())
            )
            problems.append(f"{path}: {name}: {value!r}: unknown field (line {number}); {hint}")
            current = ""
            continue
        canonical = known.name
        if canonical in values:
            problems.append(
                f"{path}: {canonical}: {value!r}: set twice, on lines {where[canonical]} and "
                f"{number}; keep one"
            )
            current = ""
            continue
        values[canonical] = value
        where[canonical] = number
        current = canonical
        if control:
            problems.append(f"{path}: {canonical}: {value!r}: {control}")
    if not values and not problems:
        problems.append(
            f"{path}: (header): (missing): the file has no header; start it with "
            "'Title: ...' lines, then a blank line, then the description"
        )
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        control = control_character_problem(line, number)
        if control:
            shown = line.strip(" \t")
            problems.append(f"{path}: (description): {shown!r}: {control}")
    body = "\n".join(lines[body_start:]).strip("\n")
    return RawSession(path=path, values=values, lines=where, body=body, problems=problems)
