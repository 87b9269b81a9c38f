"""What the checker needs to know about the site, and its settings from linkcheck.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tools.linkcheck.ignore import IgnoreList

DEFAULT_CONFIG_NAME = "linkcheck.toml"
# Pages a visitor never reaches by a link on purpose: the server shows them on errors.
ERROR_PAGES = frozenset({"404.html"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ConfigError(ValueError):
    """linkcheck.toml or the site settings are not usable."""


@dataclass(frozen=True, slots=True)
class Prefix:
    """A URL the site is served at: links starting with it are internal."""

    netloc: str  # lower-cased host, with the port only when it is not the default
    path: str  # "" for the root, else "/sub" without a trailing slash

    @classmethod
    def parse(cls, url: str) -> Prefix:
        """Parse ``http(s)://host[:port][/path]``; raise ConfigError on anything else."""
        parts = urlsplit(url.strip())
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise ConfigError(f"the site URL {url!r} is not an http(s) URL with a host")
        return cls(netloc_of(parts.scheme, parts.netloc), parts.path.rstrip("/"))


def netloc_of(scheme: str, netloc: str) -> str:
    """``host[:port]`` lower-cased, without user info and without the scheme's default port."""
    host = netloc.rpartition("@")[2].lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default and host.endswith(f":{default}"):
        host = host[: -len(str(default)) - 1]
    return host


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The site's own URLs and where its sources live."""

    prefixes: tuple[Prefix, ...] = ()
    root_path: str = ""  # the path of SITEURL: where root-relative links start
    project_root: Path | None = None  # to read content sources named by the source map
    error_pages: frozenset[str] = ERROR_PAGES

    @classmethod
    def from_urls(
        cls, *urls: str, project_root: Path | None = None, root_url: str = ""
    ) -> SiteConfig:
        """A config for a site served at ``urls`` (empty ones, like a dev SITEURL, skipped)."""
        prefixes = tuple(dict.fromkeys(Prefix.parse(url) for url in urls if url))
        root_path = Prefix.parse(root_url).path if root_url else ""
        return cls(prefixes=prefixes, root_path=root_path, project_root=project_root)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], project_root: Path) -> SiteConfig:
        """The site's prefixes from Pelican settings: SITEURL and SITE_ABSOLUTE_URL."""
        site_url = str(settings.get("SITEURL") or "")
        absolute = str(settings.get("SITE_ABSOLUTE_URL") or "")
        return cls.from_urls(site_url, absolute, project_root=project_root, root_url=site_url)


@dataclass(frozen=True, slots=True)
class LiveSettings:
    """Budgets and manners of the live check; every field can be set in [external]."""

    timeout: float = 15.0  # wall-clock seconds for one request, its whole answer included
    budget: float = 300.0  # seconds for the whole run
    per_host: int = 2  # requests in flight to one host
    min_interval: float = 1.0  # seconds between two request starts to one host
    workers: int = 8  # requests in flight in all
    max_retries: int = 3  # on 429 and 503
    max_retry_wait: float = 60.0  # the longest Retry-After we honour; longer: unverified
    backoff: float = 2.0  # first wait when a 429/503 names none; doubles per retry
    cache_days: float = 7.0  # how long a success is trusted
    max_redirects: int = 10
    user_agent: str = (
        "HealthcareQualityProgramsLinkCheck/1.0 (checks links from our static site; "
        "one HEAD or GET per URL, at most weekly)"
    )


@dataclass(frozen=True, slots=True)
class CheckerConfig:
    """Everything read from linkcheck.toml."""

    live: LiveSettings = field(default_factory=LiveSettings)
    ignore: IgnoreList = field(default_factory=IgnoreList)
    path: Path | None = None


def load_config(path: Path) -> CheckerConfig:
    """Read linkcheck.toml; a missing file means defaults and an empty ignore list."""
    if not path.exists():
        return CheckerConfig(path=path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    unknown = set(data) - {"external", "ignore"}
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {sorted(unknown)}; use [external], [[ignore]]")
    return CheckerConfig(
        live=_live_settings(data.get("external", {}), path),
        ignore=IgnoreList.from_entries(data.get("ignore", []), source=path),
        path=path,
    )


# The range each number in [external] must fall in: a zero worker count, a negative timeout
# or a budget of 1e308 would hang the run or make it meaningless.
_BOUNDS: dict[str, tuple[float, float]] = {
    "timeout": (0.1, 600.0),
    "budget": (1.0, 86_400.0),
    "per_host": (1, 16),
    "min_interval": (0.0, 60.0),
    "workers": (1, 64),
    "max_retries": (0, 10),
    "max_retry_wait": (0.0, 3_600.0),
    "backoff": (0.0, 60.0),
    "cache_days": (0.0, 365.0),
    "max_redirects": (0, 30),
}
_USER_AGENT = re.compile(r"^[\x20-\x7e]{1,200}$")  # one printable line: it is a header


def _live_settings(table: Mapping[str, Any], path: Path) -> LiveSettings:
    known = {f.name: f for f in fields(LiveSettings)}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: [external] has no setting {key!r}; known: {sorted(known)}")
        wanted = type(getattr(LiveSettings(), key))
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, wanted) or isinstance(value, bool):
            kind = {float: "a number", int: "a whole number", str: "a string"}[wanted]
            raise ConfigError(f"{path}: [external] {key} must be {kind}, got {value!r}")
        low, high = _BOUNDS.get(key, (None, None))
        if low is not None and not low <= value <= high:
            raise ConfigError(
                f"{path}: [external] {key} = {value!r}: must be from {low:g} to {high:g}"
            )
        if key == "user_agent" and not _USER_AGENT.match(value):
            raise ConfigError(
                f"{path}: [external] user_agent = {value!r}: must be one line of 1 to 200 "
                "printable ASCII characters (it is sent as an HTTP header)"
            )
        values[key] = value
    return LiveSettings(**values)
