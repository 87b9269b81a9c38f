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


def https_problem(path: str, field: str, value: str) -> str | None:
    """The problem with an address that must be https, or None when it is fine."""
    parts = urlsplit(value)
    if parts.scheme.lower() != "https":
        return (
            f"{path}: {field}: {value!r}: must start with https:// (e.g. '{field}: "
            "https://www.example.edu/program'); leave the field out when the source gives no "
            "address"
        )
    if not _URL_CHARACTERS.fullmatch(value) or not parts.hostname or "." not in parts.hostname:
        return (
            f"{path}: {field}: {value!r}: is not a web address (a host name such as "
            "www.example.edu, no spaces, quotes or angle brackets); copy the address from the "
            "browser's address bar"
        )
    if parts.username or parts.password:
        return (
            f"{path}: {field}: {value!r}: holds a user name or password before '@'; remove it "
            "and link to the public page"
        )
    return None


def email_problem(path: str, field: str, value: str) -> str | None:
    """The problem with an email address, or None when it is fine."""
    if value.lower().startswith("mailto:"):
        return f"{path}: {field}: {value!r}: write the address alone, without 'mailto:'"
    if not _EMAIL.fullmatch(value):
        return (
            f"{path}: {field}: {value!r}: is not an email address; write one address such as "
            "'admissions@example.edu'"
        )
    return None


def read_contacts(path: str, metadata: dict[str, Any]) -> tuple[Contacts, list[str]]:
    """The program's contacts and every problem with them."""
    problems: list[str] = []

    def value(name: str) -> str:
        return str(metadata.get(name, "") or "").strip()

    website, email, apply_url = value("website"), value("contact-email"), value("apply-url")
    for field, text in (("Website", website), ("Apply-URL", apply_url)):
        problem = https_problem(path, field, text) if text else None
        if problem:
            problems.append(problem)
    problem = email_problem(path, "Contact-email", email) if email else None
    if problem:
        problems.append(problem)

    raw = value("source-mentions")
    named = [item.strip().lower() for item in raw.split(",") if item.strip()]
    for item in named:
        if item not in MENTIONABLE:
            problems.append(
                f"{path}: Source-mentions: {item!r}: not one of "
                f"{', '.join(MENTIONABLE)}; list what the source refers to without giving "
                "its address, e.g. 'Source-mentions: website, email'"
            )
        elif value(MENTIONABLE[item]):
            field = MENTIONABLE[item].title().replace("Url", "URL")
            problems.append(
                f"{path}: Source-mentions: {item!r}: {field} is set, so the address is known; "
                f"remove {item!r} from Source-mentions"
            )
    mentioned = tuple(item for item in MENTIONABLE if item in named)
    contacts = Contacts(website=website, email=email, apply_url=apply_url, mentioned=mentioned)
    return contacts, problems
