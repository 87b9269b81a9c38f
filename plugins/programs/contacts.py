"""A program's ways to get in touch: `Website`, `Contact-email`, `Apply-URL` and
`Source-mentions` (what the source refers to without giving its address).

Each is optional. A value that is set must be an address a browser can follow safely: an
``https://`` URL of plain URL characters, or a bare email address. Every problem names the
file, the field, the value and the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pelican.plugins.info_sessions.headers import Header
from pelican.plugins.info_sessions.problems import Problem

# Source-mentions values -> the field that would hold the address.
MENTIONABLE: dict[str, str] = {"website": "website", "email": "contact-email", "apply": "apply-url"}

# Characters RFC 3986 allows in a URL (percent-escapes included); anything else, such as
# spaces, quotes or angle brackets, means the value is not a plain address.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
# A bare address: local part (no characters a mailto: URL reads as syntax, such as ? # % &),
# "@", and a domain ending in a top-level domain of letters.
_EMAIL = re.compile(
    r"[A-Za-z0-9!$'*+=^_`{|}~-]+(?:\.[A-Za-z0-9!$'*+=^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


@dataclass(frozen=True)
class Contacts:
    """Where an applicant can go next, as the program file gives it."""

    website: str = ""
    email: str = ""
    apply_url: str = ""
    mentioned: tuple[str, ...] = ()  # "website", "email", "apply", in that order

    @property
    def has_links(self) -> bool:
        """True when at least one address is set."""
        return bool(self.website or self.email or self.apply_url)


def https_problem(field: str, value: str) -> str | None:
    """What is wrong with an address that must be https, and how to fix it; None when it is
    fine."""
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        return (
            f"must start with https:// (e.g. '{field}: https://www.example.edu/program'); "
            "leave the field out when the source gives no address"
        )
    if not _URL_CHARACTERS.fullmatch(value) or not parts.hostname or "." not in parts.hostname:
        return (
            "is not a web address (a host name such as www.example.edu, no spaces, quotes or "
            "angle brackets); copy the address from the browser's address bar"
        )
    if parts.username or parts.password:
        return "holds a user name or password before '@'; remove it and link to the public page"
    return None


def email_problem(value: str) -> str | None:
    """What is wrong with an email address, and how to fix it; None when it is fine."""
    if value.lower().startswith("mailto:"):
        return "write the address alone, without 'mailto:'"
    if not _EMAIL.fullmatch(value):
        return "is not an email address; write one address such as 'admissions@example.edu'"
    return None


def _mention_problem(item: str, metadata: dict[str, Any]) -> str | None:
    """What is wrong with one item of Source-mentions; None when it is fine."""
    if item not in MENTIONABLE:
        return (
            f"not one of {', '.join(MENTIONABLE)}; list what the source refers to without "
            "giving its address, e.g. 'Source-mentions: website, email'"
        )
    if _value(metadata, MENTIONABLE[item]):
        field = MENTIONABLE[item].title().replace("Url", "URL")
        return f"{field} is set, so the address is known; remove {item!r} from Source-mentions"
    return None


def _value(metadata: dict[str, Any], name: str) -> str:
    return str(metadata.get(name, "") or "").strip()


def read_contacts(header: Header, metadata: dict[str, Any]) -> tuple[Contacts, list[Problem]]:
    """The program's contacts (from its ``metadata``) and every problem with them, on the
    lines of ``header``."""
    problems: list[Problem] = []

    def problem(field: str, value: str, fix: str | None) -> None:
        if fix:
            problems.append(Problem(header.path, field, value, fix, header.lines.get(field)))

    website, apply_url = _value(metadata, "website"), _value(metadata, "apply-url")
    email = _value(metadata, "contact-email")
    for field, text in (("Website", website), ("Apply-URL", apply_url)):
        problem(field, text, https_problem(field, text) if text else None)
    problem("Contact-email", email, email_problem(email) if email else None)
    raw = _value(metadata, "source-mentions")
    named = [item.strip().lower() for item in raw.split(",") if item.strip()]
    for item in named:
        problem("Source-mentions", item, _mention_problem(item, metadata))
    mentioned = tuple(item for item in MENTIONABLE if item in named)
    contacts = Contacts(website=website, email=email, apply_url=apply_url, mentioned=mentioned)
    return contacts, problems
