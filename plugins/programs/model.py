"""Declared content types of the programs plugin: their field tables, readers and checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pelican.contents import Content
from pelican.plugins.info_sessions.headers import Header, HeaderField, HeaderReader
from pelican.plugins.info_sessions.problems import Problem

# Metadata Pelican itself understands, allowed in every file.
PELICAN_FIELDS: tuple[HeaderField, ...] = tuple(
    HeaderField(name) for name in ("Date", "Modified", "Status", "Lang", "Template")
)

# Every field of a program file; `label` is how a fact is named on pages (programs/facts.py
# declares which facts show where).
PROGRAM_FIELDS: tuple[HeaderField, ...] = (
    HeaderField("Title", required=True),
    HeaderField("Slug", required=True),
    HeaderField("Summary", required=True),
    HeaderField("Short-name"),
    HeaderField("Label"),
    HeaderField("Order"),
    HeaderField("Institution", required=True, label="Awarding institution"),
    HeaderField("Partners", label="In collaboration with"),
    HeaderField("Degree", required=True, label="Degree or award"),
    HeaderField("Length", label="Length"),
    HeaderField("Format", label="Format"),
    HeaderField("Audience", label="Who it is for"),
    HeaderField("Requirements", label="Requirements"),
    HeaderField("Directors", label="Program leadership"),
    HeaderField("First-class", label="First class"),
    HeaderField("Curriculum"),
    HeaderField("Website"),
    HeaderField("Contact-email"),
    HeaderField("Apply-URL"),
    HeaderField("Source-mentions"),
    HeaderField("Source", required=True),
    *PELICAN_FIELDS,
)

QUOTE_FIELDS: tuple[HeaderField, ...] = (
    HeaderField("Person", required=True),
    HeaderField("Honorific"),
    HeaderField("Role", required=True),
    HeaderField("Organisation", required=True),
    HeaderField("Group", required=True),
    HeaderField("Programs"),
    HeaderField("News"),
    HeaderField("Context", required=True),
    HeaderField("Source", required=True),
    HeaderField("Source-file", required=True),
    HeaderField("Order"),
    *PELICAN_FIELDS,
)


@dataclass(frozen=True)
class PeopleGroup:
    """A heading of the People page (PROGRAMS_PEOPLE_GROUPS) and the quotes of its people."""

    id: str
    heading: str
    quotes: tuple[Any, ...]


class ProgramReader(HeaderReader):
    """Program files: the strict header with the program fields; the body is Markdown."""

    fields: ClassVar[tuple[HeaderField, ...]] = PROGRAM_FIELDS


class QuoteReader(HeaderReader):
    """Quote files: the strict header with the quote fields; the body is the quote."""

    fields: ClassVar[tuple[HeaderField, ...]] = QUOTE_FIELDS


def required_problems(header: Header, fields: Sequence[HeaderField]) -> list[Problem]:
    """Problems for required fields the header leaves out or leaves empty."""
    return [
        Problem(
            header.path,
            field.name,
            None if field.name not in header.values else "",
            f"required; add a '{field.name}:' line",
            header.lines.get(field.name),
        )
        for field in fields
        if field.required and not header.values.get(field.name, "").strip()
    ]


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
