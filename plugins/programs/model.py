"""Declared content types of the programs plugin and their metadata field tables."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from pelican.contents import Content

# Metadata Pelican itself adds or always understands; never reported as unknown.
PELICAN_FIELDS = frozenset(
    {"title", "slug", "summary", "date", "modified", "status", "lang", "reader", "template"}
)


@dataclass(frozen=True)
class Field:
    """One metadata field: its name in the file, label on the page, and whether it's required."""

    name: str
    label: str = ""
    required: bool = False


# Facts shown in a program's key-facts list, in the order they are shown.
PROGRAM_FIELDS: tuple[Field, ...] = (
    Field("title", required=True),
    Field("slug", required=True),
    Field("summary", required=True),
    Field("short-name"),
    Field("order"),
    Field("institution", "Awarding institution", required=True),
    Field("partners", "In collaboration with"),
    Field("degree", "Degree or award", required=True),
    Field("length", "Length"),
    Field("format", "Format"),
    Field("audience", "Who it is for"),
    Field("requirements", "Requirements"),
    Field("directors", "Program leadership"),
    Field("first-class", "First class"),
    Field("curriculum"),
    Field("source", required=True),
)

QUOTE_FIELDS: tuple[Field, ...] = (
    Field("person", required=True),
    Field("honorific"),
    Field("role", required=True),
    Field("organisation", required=True),
    Field("group", required=True),
    Field("programs"),
    Field("news"),
    Field("context", required=True),
    Field("source", required=True),
    Field("source-file", required=True),
    Field("order"),
)


@dataclass(frozen=True)
class PeopleGroup:
    """A heading of the People page (PROGRAMS_PEOPLE_GROUPS) and the quotes of its people."""

    id: str
    heading: str
    quotes: tuple[Any, ...]


def field_problems(path: str, metadata: dict[str, Any], fields: tuple[Field, ...]) -> list[str]:
    """Problems with a file's metadata: missing required fields, unknown (misspelt) ones."""
    known = {field.name for field in fields}
    problems = [
        f"{path}: {field.name.title()}: (missing): required; add a '{field.name.title()}:' line"
        for field in fields
        if field.required and not str(metadata.get(field.name, "")).strip()
    ]
    for name in sorted(set(metadata) - known - PELICAN_FIELDS):
        guess = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"did you mean '{guess[0].title()}'?" if guess else "remove it"
        problems.append(f"{path}: {name.title()}: {metadata[name]!r}: unknown field; {hint}")
    return problems


# Fields Pelican renders as Markdown: their indented continuation lines are joined, not listed.
FORMATTED = frozenset({"summary"})
_HEADER_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:")
# Control characters other than tab (and a byte order mark inside the text): invisible in
# editors, forbidden in iCalendar text (program names go into the session feeds), and read as
# line breaks by some parsers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")


def text_problems(path: str, text: str) -> list[str]:
    """Problems Pelican's reader does not report: a header field set twice or continued on
    an indented line (it would keep a list of values), and control characters anywhere."""
    problems = []
    seen: dict[str, int] = {}
    in_header, name = True, ""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if in_header and not line.strip():
            in_header = False
        match = _HEADER_NAME.match(line) if in_header else None
        if match:
            name = match.group(1).lower()
            if name in seen:
                value = line.split(":", 1)[1].strip()
                problems.append(
                    f"{path}: {name.title()}: {value!r}: set twice, on lines {seen[name]} and "
                    f"{number}; keep one"
                )
            seen.setdefault(name, number)
        elif in_header and name and name not in FORMATTED and line.startswith("    "):
            problems.append(
                f"{path}: {name.title()}: {line.strip()!r}: continues on the indented line "
                f"{number}; put the whole value on line {seen[name]}"
            )
        control = _CONTROL.search(line)
        if control:
            field = match.group(1).title() if match else "(header)" if in_header else "(body)"
            shown = (line.split(":", 1)[1] if match else line).strip(" \t")
            problems.append(
                f"{path}: {field}: {shown!r}: contains the invisible character "
                f"U+{ord(control.group()):04X} on line {number}; delete it (retype the text "
                "around it)"
            )
    return problems


class Program(Content):
    """A graduate program page, e.g. content/programs/clinical-service-operations.md."""

    mandatory_properties = ("title",)
    default_template = "program"

    def _expand_settings(self, key: str, klass: str | None = None) -> str:
        # Every session page asks for its program's URL: work it out once per program.
        expanded: dict[str, str] = self.__dict__.setdefault("_expanded_settings", {})
        if key not in expanded:
            setting = self.settings[f"PROGRAMS_PAGE_{key.upper()}"]
            expanded[key] = str(setting).format(**self.url_format)
        return expanded[key]


class Quote(Content):
    """A quote, shown on its programs' pages, its news item and the people page."""

    mandatory_properties = ("person",)
    default_template = "quote"

    def _expand_settings(self, key: str, klass: str | None = None) -> str:
        return ""  # quotes have no page of their own
