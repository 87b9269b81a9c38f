"""The ignore list: external URLs we do not check, each with a reason and maybe an expiry."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any


class IgnoreConfigError(ValueError):
    """An [[ignore]] entry in linkcheck.toml is malformed."""


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One [[ignore]] entry: an exact ``url`` or a regular expression ``pattern``."""

    reason: str
    url: str | None = None
    pattern: str | None = None
    expires: date | None = None
    number: int = 0  # 1-based position in the file, for messages

    def matches(self, url: str) -> bool:
        """Whether ``url`` (with or without its fragment) is covered by this entry."""
        bare = url.partition("#")[0]
        if self.url is not None:
            return self.url in (url, bare)
        assert self.pattern is not None
        return re.search(self.pattern, url) is not None

    def expired(self, today: date) -> bool:
        """Whether the entry's expiry date has passed (it no longer applies)."""
        return self.expires is not None and self.expires < today

    def describe(self) -> str:
        """The entry as staff wrote it, for reports."""
        what = f"url = {self.url!r}" if self.url is not None else f"pattern = {self.pattern!r}"
        until = f", expires {self.expires.isoformat()}" if self.expires else ""
        return f"[[ignore]] #{self.number} ({what}{until}; reason: {self.reason})"


@dataclass(frozen=True, slots=True)
class IgnoreList:
    """Every [[ignore]] entry, in file order."""

    entries: tuple[IgnoreEntry, ...] = ()

    @classmethod
    def from_entries(cls, raw: Iterable[Any], source: Path | str = "linkcheck.toml") -> IgnoreList:
        """Validate the ``[[ignore]]`` tables read from ``source``."""
        if not isinstance(raw, list):
            raise IgnoreConfigError(f"{source}: 'ignore' must be an array of tables [[ignore]]")
        return cls(tuple(_entry(item, number, source) for number, item in enumerate(raw, 1)))

    def match(self, url: str, today: date) -> IgnoreEntry | None:
        """The first current (not expired) entry covering ``url``, if any."""
        for entry in self.entries:
            if not entry.expired(today) and entry.matches(url):
                return entry
        return None

    def expired(self, today: date) -> list[IgnoreEntry]:
        """Entries past their expiry date: renew them with a reason, or remove them."""
        return [entry for entry in self.entries if entry.expired(today)]

    def unused(self, urls: Iterable[str]) -> list[IgnoreEntry]:
        """Entries that match none of ``urls`` (the site no longer links there)."""
        urls = list(urls)
        return [e for e in self.entries if not any(e.matches(url) for url in urls)]


def local_today() -> date:
    """Today's date on this machine, for expiry dates."""
    return datetime.now(UTC).astimezone().date()


def _entry(item: Any, number: int, source: Path | str) -> IgnoreEntry:
    where = f"{source}: [[ignore]] entry #{number}"
    if not isinstance(item, Mapping):
        raise IgnoreConfigError(f"{where} is not a table")
    unknown = set(item) - {"url", "pattern", "reason", "expires"}
    if unknown:
        raise IgnoreConfigError(f"{where} has unknown key(s) {sorted(unknown)}")
    url, pattern = item.get("url"), item.get("pattern")
    if (url is None) == (pattern is None):
        raise IgnoreConfigError(f"{where} needs exactly one of 'url' or 'pattern'")
    for key, value in (("url", url), ("pattern", pattern)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise IgnoreConfigError(f"{where}: '{key}' must be a non-empty string")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise IgnoreConfigError(f"{where}: bad pattern {pattern!r}: {error}") from error
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise IgnoreConfigError(f"{where} needs a 'reason' saying why the URL is not checked")
    return IgnoreEntry(
        reason=reason.strip(),
        url=url,
        pattern=pattern,
        expires=_expiry(item.get("expires"), where),
        number=number,
    )


def _expiry(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise IgnoreConfigError(f"{where}: 'expires' must be a date, YYYY-MM-DD, got {value!r}")
