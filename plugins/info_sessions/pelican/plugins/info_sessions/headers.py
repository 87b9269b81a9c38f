"""The strict header reader: a "Field: value" header, a blank line, then the body.

One grammar for every content type that has a declared field table (info sessions here;
programs and quotes in the site's own plugin). Unlike Python-Markdown's meta extension it
keeps line numbers, refuses unknown and repeated fields, and never guesses. Every problem is
a ``Problem`` with the line it is on.

- ``read_header`` splits a file's text; ``decode`` turns its bytes into text or a problem.
- ``HeaderReader`` is the same reader as a Pelican reader (a ``MarkdownReader`` whose header
  is read here): Pelican's ``Readers.read_file`` makes content objects with it, so metadata
  processing, formatted fields and link handling stay Pelican's own. It reads a file only
  through ``paths.read_content_bytes`` (a regular file inside the content folder), and a
  Markdown extension that refuses part of a conversion by raising ``ContentError`` (the
  site's safe_markdown does) becomes a problem of the file, on the line where it is written.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from markdown import Markdown
from pelican.readers import MarkdownReader

from .paths import ContentPathError, read_content_bytes, shown_path
from .problems import ContentError, Problem
from .settings import max_file_bytes

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)$")
# Control characters other than tab: invisible in editors, forbidden in iCalendar text, and
# read as line breaks by some calendar parsers (so they could start a new property). Also a
# byte order mark inside the text, which icalendar drops from the start of a value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
# Refused in header fields besides: every other C0 control character (a field is one line:
# a tab or a line feed in a value can only come from a tool that writes files, such as
# make new-session, and would hide or add a header line), invisible line breaks (U+2028 line
# and U+2029 paragraph separators; U+0085 is a control character above), zero-width
# characters (U+200B to U+200F, the last two being direction marks) and bidirectional
# embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069). A field's value
# goes into page titles, calendar entries and feed names, where such a character can break a
# line for one parser and not another, or make a title read differently from what it is. The
# zero-width non-joiner and joiner (U+200C, U+200D) are part of correct text between two
# letters of scripts that use them (Persian, the Indic scripts) and inside emoji sequences,
# so they are refused only where they join nothing of that kind: next to ASCII, a space, or
# the start or end. This is the one rule for header values: tools that write them use it.
_INVISIBLE_IN_FIELDS = re.compile(
    "[\x00-\x1f\x7f-\x9f\ufeff\u2028\u2029\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    "|(?<![^\x00-\x7f\\s])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f\\s])"
)


TOO_DEEP = (
    "nested too deeply for the Markdown parser (lists, block quotes or emphasis inside each "
    "other); flatten the structure"
)


@dataclass(frozen=True)
class HeaderField:
    """One header field of a content type: its name as documented, whether the type needs
    it, its label where pages list it, and whether Pelican renders it as Markdown."""

    name: str  # as documented and shown in problems, e.g. "Join-URL"
    required: bool = False
    label: str = ""

    @property
    def key(self) -> str:
        """The metadata key Pelican uses: the name in lowercase."""
        return self.name.lower()


@dataclass(frozen=True)
class Header:
    """A file split into header values (by field name as documented) and its body."""

    path: str  # the file as problems name it
    values: dict[str, str]
    lines: dict[str, int]  # field name -> the line it is set on
    body: str
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    decoded: bool = True  # False: not read (refused, or not UTF-8 text); nothing else checked
    body_name: str = "(body)"  # how problems name the body, e.g. "(description)"
    body_line: int = 1  # the line of the file on which the body starts

    def in_body(self, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        """Problems found while rendering the body (their lines counted from its first line)
        as problems of this file: its path, the body's name, lines of the file."""
        return tuple(
            replace(
                problem,
                path=self.path,
                field=self.body_name,
                line=self.body_line + problem.line - 1 if problem.line else None,
            )
            for problem in problems
        )

    def in_field(self, name: str, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        """Problems found while rendering the value of field ``name`` as problems of this
        file: its path, the field, the line the field is set on."""
        line = self.lines.get(name)
        return tuple(replace(p, path=self.path, field=name, line=line) for p in problems)


def refused_character(text: str, *, field: bool = False) -> re.Match[str] | None:
    """Where ``text`` holds the first invisible character it may not hold, or None: control
    characters anywhere; in a header ``field`` value also tab and line feed, invisible line
    breaks, zero-width characters and bidirectional controls."""
    return (_INVISIBLE_IN_FIELDS if field else _CONTROL).search(text)


def is_line_break(character: str) -> bool:
    """Whether ``character`` breaks a line for readers that split lines as Python's
    ``str.splitlines()`` does (LF, CR, VT, FF, FS, GS, RS, U+0085, U+2028, U+2029)."""
    return len(f"a{character}a".splitlines()) > 1


def control_character(text: str, *, field: bool = False) -> str | None:
    """The first character of ``text`` that ``refused_character`` finds, or None."""
    found = refused_character(text, field=field)
    return found.group() if found else None


def control_problem(
    path: str, name: str, value: str, line: int, *, field: bool = False
) -> Problem | None:
    """The problem for an invisible character in ``value`` on ``line`` (a header field's
    value when ``field``), or None."""
    found = control_character(value, field=field)
    if found is None:
        return None
    return Problem(
        path,
        name,
        value,
        f"contains the invisible character U+{ord(found):04X}; delete it (retype the text "
        "around it)",
        line,
    )


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """The text of a UTF-8 file, or None and the problem naming the line and byte."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        start = data.rfind(b"\n", 0, error.start) + 1
        end = data.find(b"\n", error.start)
        shown = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace").strip()
        fix = (
            f"not UTF-8 text (byte 0x{data[error.start]:02X}); save the file with the "
            "encoding UTF-8"
        )
        return None, Problem(path, "(file)", shown, fix, line)


def _unknown(path: str, name: str, value: str, line: int, known: Sequence[HeaderField]) -> Problem:
    by_key = {item.key: item for item in known}
    guess = difflib.get_close_matches(name.lower(), list(by_key), n=1, cutoff=0.6)
    hint = (
        f"did you mean '{by_key[guess[0]].name}'?"
        if guess
        else "remove it; known fields: " + ", ".join(item.name for item in known)
    )
    return Problem(path, name, value, f"unknown field; {hint}", line)


class _Reading:
    """The state of one header being read, line by line."""

    def __init__(self, path: str, fields: Sequence[HeaderField]) -> None:
        self.path = path
        self.fields = fields
        self.by_key = {item.key: item for item in fields}
        self.values: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.current: str | None = None  # the field a continuation line adds to; "" none

    def control(self, name: str, value: str, number: int, *, field: bool = True) -> None:
        problem = control_problem(self.path, name, value, number, field=field)
        if problem is not None:
            self.problems.append(problem)

    def continuation(self, line: str, number: int) -> None:
        text = line.strip()
        if self.current == "":
            return  # continues a line already reported
        if self.current is None:
            self.problems.append(
                Problem(
                    self.path,
                    "(header)",
                    text,
                    "indented but continues no field; start the file with 'Title: ...'",
                    number,
                )
            )
            return
        self.values[self.current] = f"{self.values[self.current]} {text}".strip()
        self.control(self.current, text, number)

    def field_line(self, line: str, number: int) -> None:
        match = _HEADER_LINE.match(line)
        if match is None:
            self.problems.append(
                Problem(
                    self.path,
                    "(header)",
                    line,
                    "not 'Field: value'; put a blank line between the header and the description",
                    number,
                )
            )
            self.current = ""
            return
        name, value = match.group(1), match.group(2).strip()
        known = self.by_key.get(name.lower())
        if known is None:
            self.problems.append(_unknown(self.path, name, value, number, self.fields))
            self.current = ""
            return
        if known.name in self.values:
            first = self.lines[known.name]
            self.problems.append(
                Problem(
                    self.path,
                    known.name,
                    value,
                    f"set twice, on lines {first} and {number}; keep one",
                    number,
                )
            )
            self.current = ""
            return
        self.values[known.name] = value
        self.lines[known.name] = number
        self.current = known.name
        self.control(known.name, value, number)


def read_header(
    text: str, path: str, fields: Sequence[HeaderField], body_name: str = "(description)"
) -> Header:
    """Split ``text`` into header values and body with every problem of its header and
    every control character in the file; ``body_name`` names the body in problems."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    reading = _Reading(path, fields)
    body_start = len(lines)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            body_start = number
            break
        if line[0] in " \t":
            reading.continuation(line, number)
        elif control_character(line, field=True) and _HEADER_LINE.match(line) is None:
            reading.control("(header)", line, number)
            reading.current = ""
        else:
            reading.field_line(line, number)
    if not reading.values and not reading.problems:
        first = fields[0].name if fields else "Title"
        reading.problems.append(
            Problem(
                path,
                "(header)",
                None,
                f"the file has no header; start it with '{first}: ...' lines, then a blank "
                "line, then the description",
            )
        )
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        reading.control(body_name, line.strip(" \t"), number, field=False)
    body_lines = lines[body_start:]
    leading = next((n for n, line in enumerate(body_lines) if line), len(body_lines))
    return Header(
        path=path,
        values=reading.values,
        lines=reading.lines,
        body="\n".join(body_lines).strip("\n"),
        problems=tuple(reading.problems),
        body_name=body_name,
        body_line=body_start + 1 + leading,
    )


class HeaderReader(MarkdownReader):
    """Pelican's Markdown reader with the strict header: a subclass declares ``fields``.

    ``read`` gives Pelican the body as HTML and the header as metadata (formatted fields,
    such as ``summary``, rendered as Markdown, as Pelican's own reader does). The header it
    read, with its problems and lines, is kept in ``headers`` by source path for the
    generator that asked, since a Pelican reader returns only content and metadata.
    """

    fields: ClassVar[tuple[HeaderField, ...]] = ()
    body_name: ClassVar[str] = "(body)"

    def __init__(self, settings: dict[str, Any]) -> None:
        """A reader for one build's settings."""
        super().__init__(settings)
        self.headers: dict[str, Header] = {}
        self._markdown: Markdown | None = None

    def render(self, text: str) -> str:
        """Markdown to HTML with the site's MARKDOWN settings (the header already read). A
        Markdown extension may refuse part of ``text`` by raising ``ContentError``, its
        problems' lines counted from the first line of ``text``."""
        if self._markdown is None:
            self._markdown = Markdown(**self.settings["MARKDOWN"])
            self._markdown.preprocessors.deregister("meta")
        return self._markdown.reset().convert(text)

    @classmethod
    def parse(cls, text: str, path: str) -> Header:
        """The header of ``text`` by this reader's fields; ``path`` as problems name it."""
        return read_header(text, path, cls.fields, cls.body_name)

    def _rendered(self, text: str, found: list[Problem], where: Any) -> str:
        """``render(text)``; what an extension refuses is added to ``found`` through
        ``where`` (``Header.in_body`` or ``in_field``), and nothing is shown."""
        try:
            return self.render(text)
        except ContentError as error:
            found.extend(where(error.problems))
            return ""
        except RecursionError:  # nesting that no extension measured, e.g. emphasis
            found.extend(where([Problem("", "(body)", None, TOO_DEEP)]))
            return ""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Pelican's entry point: the body as HTML and the header values as metadata."""
        content = self.settings["PATH"]
        path = shown_path(content, source_path)
        try:
            limit = max_file_bytes(self.settings)
            data = read_content_bytes(content, source_path, max_bytes=limit)
            text, problem = decode(data, path)
        except ContentPathError as error:
            name = os.path.basename(source_path)
            text, problem = None, Problem(path, "(file)", name, str(error))
        if text is None:
            self.headers[source_path] = Header(path, {}, {}, "", (problem,), decoded=False)
            return "", {}
        header = self.parse(text, path)
        formatted = set(self.settings["FORMATTED_FIELDS"])
        metadata: dict[str, Any] = {}
        refused: list[Problem] = []
        for name, value in header.values.items():
            key = name.lower()
            shown = value
            if key in formatted:
                shown = self._rendered(value, refused, lambda p, n=name: header.in_field(n, p))
            metadata[key] = self.process_metadata(key, shown)
        body = self._rendered(header.body, refused, header.in_body)
        self.headers[source_path] = replace(header, problems=(*header.problems, *refused))
        return body, metadata
