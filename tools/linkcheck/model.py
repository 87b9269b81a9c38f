"""The link checker's data: links found in built files, problems, live-check outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What is wrong with a link or a page; the value is the stable name used in reports."""

    MISSING_FILE = "missing-file"
    FOLDER_WITHOUT_SLASH = "folder-without-slash"
    MISSING_FRAGMENT = "missing-fragment"
    DUPLICATE_ID = "duplicate-id"
    OUTSIDE_OUTPUT = "outside-output"
    EMPTY_LINK = "empty-link"
    PLACEHOLDER = "placeholder"
    BAD_MAILTO = "bad-mailto"
    BAD_TEL = "bad-tel"
    MISSING_FEED = "missing-feed"
    MISSING_ALT = "missing-alt"
    INSECURE_LINK = "insecure-link"
    NOT_ABSOLUTE = "not-absolute"
    NOT_INTERNAL = "not-internal"
    RELATIVE_ON_ERROR_PAGE = "relative-on-error-page"
    MALFORMED_URL = "malformed-url"
    INVALID_FILE = "invalid-file"
    ORPHAN = "orphan"


class Outcome(StrEnum):
    """The result of checking one external URL live."""

    OK = "ok"
    BROKEN = "broken"
    UNVERIFIED = "unverified"
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class Link:
    """One URL as written in a built file, with where it was found."""

    url: str
    line: int | None
    where: str  # how it was written, e.g. "<a href>", "sitemap <loc>", "event URL"
    navigational: bool = False  # followed when looking for orphan pages
    check_fragment: bool = True
    absolute_required: bool = False  # sitemap entries and robots.txt lines
    internal_required: bool = False  # sitemap entries must be pages of this site


@dataclass(slots=True)
class Document:
    """One built file, parsed once: its links, its ids and what is wrong inside it."""

    path: str  # output-relative, "/"-separated
    kind: str  # "html", "sitemap", "atom", "rss", "ics", "robots", "css"
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix, with everything a staff member needs to find it."""

    page: str
    line: int | None
    kind: Kind
    reason: str
    url: str = ""
    where: str = ""
    source: str | None = None
    source_line: int | None = None

    def located(self, source: str | None, source_line: int | None) -> Problem:
        """This problem with the content source file (and line) it came from."""
        return Problem(
            self.page,
            self.line,
            self.kind,
            self.reason,
            self.url,
            self.where,
            source,
            source_line,
        )

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "page": self.page,
            "line": self.line,
            "kind": str(self.kind),
            "reason": self.reason,
            "url": self.url,
            "where": self.where,
            "source": self.source,
            "source_line": self.source_line,
        }


@dataclass(frozen=True, slots=True)
class Usage:
    """Where an external URL is used: a built page and line, and its source file."""

    page: str
    line: int | None
    url: str  # as written, fragment included
    source: str | None = None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {"page": self.page, "line": self.line, "url": self.url, "source": self.source}


@dataclass(slots=True)
class ExternalResult:
    """The live-check verdict for one unique external URL."""

    url: str
    outcome: Outcome
    reason: str
    status: int | None = None
    final_url: str | None = None
    permanent_redirect: str | None = None  # where a 301/308 sent us: update the link
    cached: bool = False
    usages: list[Usage] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping."""
        return {
            "url": self.url,
            "outcome": str(self.outcome),
            "reason": self.reason,
            "status": self.status,
            "final_url": self.final_url,
            "permanent_redirect": self.permanent_redirect,
            "cached": self.cached,
            "usages": [usage.as_dict() for usage in self.usages],
        }
