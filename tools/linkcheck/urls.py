"""Pure URL rules: internal or external, where an internal link leads, mailto and tel syntax."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit, urlunsplit

from tools.linkcheck.config import SiteConfig, netloc_of

# HTML strips these around URL attributes before using them.
HTML_WHITESPACE = " \t\n\r\f"
_PLACEHOLDER = re.compile(
    r"[{|](?:filename|static|attach|index|tag|category|author)[}|]"
    r"|\{\{|\{%",
    re.IGNORECASE,
)
_MAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_PHONE = re.compile(r"\+?[0-9().-]+")


class Scheme(StrEnum):
    """What kind of link a URL is, for the checker."""

    INTERNAL = "internal"
    EXTERNAL = "external"
    MAILTO = "mailto"
    TEL = "tel"
    SKIP = "skip"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class Target:
    """Where a link leads."""

    scheme: Scheme
    path: str | None = None  # internal: site-relative, decoded, no leading "/", "" = root
    folder: bool = False  # internal: the URL named a folder (ended with "/")
    same_document: bool = False  # internal: "#x" or "?q" on the page itself
    fragment: str | None = None  # decoded; None when the URL has no "#"
    fetch_url: str | None = None  # external: what to request (no fragment)
    webcal: bool = False
    insecure: bool = False  # external over plain http
    outside: str | None = None  # internal: why it leaves the output, when it does


def placeholder_in(url: str) -> str | None:
    """A leftover Pelican or Jinja placeholder in ``url`` (raw or percent-decoded), if any."""
    found = _PLACEHOLDER.search(url) or _PLACEHOLDER.search(unquote(url))
    return found.group(0) if found else None


def resolve(url: str, document_path: str, site: SiteConfig) -> Target:
    """Classify ``url`` found in the built file ``document_path`` and say where it leads."""
    text = url.strip(HTML_WHITESPACE)
    try:
        parts = urlsplit(text)
    except ValueError:
        return Target(Scheme.MALFORMED)
    scheme = parts.scheme.lower()
    fragment = unquote(parts.fragment) if "#" in text else None
    if scheme == "mailto":
        return Target(Scheme.MAILTO)
    if scheme == "tel":
        return Target(Scheme.TEL)
    webcal = scheme == "webcal"
    if webcal:
        parts = parts._replace(scheme="https")
        scheme = "https"
    if scheme in ("http", "https") or (not scheme and parts.netloc):
        if not parts.hostname:
            return Target(Scheme.MALFORMED)
        inside = _site_path(scheme or "https", parts.netloc, parts.path, site)
        if inside is None:
            fetch = urlunsplit(
                (scheme or "https", parts.netloc, parts.path or "/", parts.query, "")
            )
            return Target(
                Scheme.EXTERNAL,
                fragment=fragment,
                fetch_url=fetch,
                webcal=webcal,
                insecure=scheme == "http" and not webcal,
            )
        return _internal(inside, fragment, webcal, absolute=True)
    if scheme:
        return Target(Scheme.SKIP)
    # A relative or root-relative link: resolve it as a browser would.
    if not parts.path:
        return Target(Scheme.INTERNAL, path=document_path, same_document=True, fragment=fragment)
    if parts.path.startswith("/"):
        full = parts.path
    else:
        folder = document_path.rpartition("/")[0]
        full = "/".join(filter(None, (site.root_path, folder))) + "/" + parts.path
        full = full if full.startswith("/") else "/" + full
    segments = _normalise(full)
    root = _segments(site.root_path)
    if segments is None:
        return Target(Scheme.INTERNAL, outside="its '../' climbs above the output folder")
    if segments[: len(root)] != root:
        return Target(Scheme.INTERNAL, outside=f"it leaves the site root {site.root_path}/")
    return _internal(
        (segments[len(root) :], _names_folder(parts.path)), fragment, webcal=False, absolute=False
    )


def _internal(
    inside: tuple[list[str], bool] | str, fragment: str | None, webcal: bool, absolute: bool
) -> Target:
    if isinstance(inside, str):
        return Target(Scheme.INTERNAL, outside=inside, webcal=webcal)
    segments, folder = inside
    return Target(
        Scheme.INTERNAL,
        path="/".join(segments),
        folder=folder or not segments,
        fragment=fragment,
        webcal=webcal,
    )


def _site_path(
    scheme: str, netloc: str, path: str, site: SiteConfig
) -> tuple[list[str], bool] | str | None:
    """For an absolute URL: None if external, else its segments in the site (or why not)."""
    host = netloc_of(scheme, netloc)
    for prefix in site.prefixes:
        if host != prefix.netloc:
            continue
        if path != prefix.path and not path.startswith(prefix.path + "/"):
            continue
        rest = path[len(prefix.path) :]
        segments = _normalise(rest or "/")
        if segments is None:
            return "its '../' climbs above the output folder"
        return segments, not rest or _names_folder(rest)
    return None


def _names_folder(path: str) -> bool:
    last = path.rpartition("/")[2]
    return last in ("", ".", "..") or unquote(last) in (".", "..")


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _normalise(path: str) -> list[str] | None:
    """Decoded path segments with "." and ".." applied; None if ".." climbs above "/"."""
    out: list[str] = []
    for raw in path.split("/"):
        segment = unquote(raw)
        if segment in ("", "."):
            continue
        if segment == "..":
            if not out:
                return None
            out.pop()
        else:
            out.append(segment)
    return out


def mailto_problem(url: str) -> str | None:
    """Why a ``mailto:`` URL is malformed, or None if it is well formed."""
    rest = url.strip(HTML_WHITESPACE)[len("mailto:") :]
    recipients, _, query = rest.partition("?")
    addresses = [unquote(a).strip() for a in recipients.split(",") if a.strip()]
    for pair in filter(None, query.split("&")):
        key, _, value = pair.partition("=")
        if unquote(key).lower() in ("to", "cc", "bcc"):
            addresses += [unquote(a).strip() for a in value.split(",") if a.strip()]
    if not addresses:
        return "the mailto: link has no e-mail address"
    for address in addresses:
        if not _MAIL_ADDRESS.fullmatch(address):
            return f"{address!r} is not a valid e-mail address"
    return None


def tel_problem(url: str) -> str | None:
    """Why a ``tel:`` URL is malformed, or None if it is well formed (RFC 3966)."""
    number = unquote(url.strip(HTML_WHITESPACE)[len("tel:") :].partition(";")[0])
    if not number:
        return "the tel: link has no phone number"
    if not _PHONE.fullmatch(number):
        return (
            f"{number!r} is not a phone number: use digits, an optional leading '+', "
            "and '-', '.', '(' or ')' between groups (no spaces or letters)"
        )
    if sum(character.isdigit() for character in number) < 3:
        return f"{number!r} has too few digits to be a phone number"
    return None


def is_absolute_http(url: str) -> bool:
    """Whether ``url`` is a full http(s) URL with a host (as sitemaps require)."""
    parts = urlsplit(url.strip(HTML_WHITESPACE))
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
