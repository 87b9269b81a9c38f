"""The one URL check for content: every URL that Markdown emits goes through ``url_problem``.

A browser decodes character references in an attribute (named, decimal, hexadecimal, with or
without the ";"), removes tabs and newlines anywhere in a URL and control characters and
spaces at its ends, and then reads the scheme. To see at least what a browser sees, the
check decodes references until none is left, removes every control, format (zero-width,
bidi) and space character anywhere, folds compatibility characters (NFKC) and case, and only
then compares the scheme with an allow-list: https, mailto and tel; http only for URLs the
link check's ignore list allows; site-relative links; and Pelican's {filename}, {static} and
{attach} placeholders followed by a path inside content/.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from markdown.util import AMP_SUBSTITUTE

ALLOWED_SCHEMES = frozenset({"https", "mailto", "tel"})
PLACEHOLDERS = ("filename", "static", "attach")
FIX = "use an https://, mailto: or tel: link, or a site-relative one such as /programs/"

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Pelican's INTRASITE_LINK_REGEX: {what} or |what| at the start of the URL.
_PLACEHOLDER = re.compile(r"^[{|]([^|}]*)[|}]")
_TWO_SLASHES = re.compile(r"^[/\\]{2}")
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# The ASCII characters of those categories, for the common all-ASCII URL (NFKC keeps ASCII).
_ASCII_INVISIBLE = {i: None for i in range(128) if unicodedata.category(chr(i)) in _INVISIBLE}
_MAX_DECODES = 16

HttpAllowed = Callable[[str], bool]


def decoded(url: str) -> str:
    """``url`` with character references decoded until none is left (a browser decodes
    once; decoding again only finds more)."""
    text = url.replace(AMP_SUBSTITUTE, "&")  # Markdown's stand-in for "&" in its tree
    for _ in range(_MAX_DECODES):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def compact(text: str) -> str:
    """``text`` as a scheme is compared: NFKC-folded, lower-cased, with every control,
    format and space character removed."""
    if text.isascii():
        return text.translate(_ASCII_INVISIBLE).lower()
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c) not in _INVISIBLE).lower()


def _placeholder_problem(what: str, rest: str) -> str | None:
    if what not in PLACEHOLDERS:
        return (
            f"the placeholder {{{what}}} is not used for links here; use {{filename}}, "
            "{static} or {attach} followed by a file in content/, or a site-relative link"
        )
    if _SCHEME.match(rest) or _TWO_SLASHES.match(rest):
        return (
            f"{{{what}}} must be followed by the path of a file in content/, not by an "
            f"address; use a path such as {{{what}}}/images/chart.png"
        )
    path = unquote(re.split(r"[?#]", rest, maxsplit=1)[0])  # Pelican also tries it unquoted
    if ".." in re.split(r"[/\\]", path):
        return (
            f"a {{{what}}} link may not use '..' (it could reach outside content/); name "
            f"the file from the content folder, e.g. {{{what}}}/images/chart.png"
        )
    return None


def _scheme_problem(name: str, text: str, http_allowed: HttpAllowed | None) -> str | None:
    """Why a URL with the scheme ``name`` (``text``, decoded) may not appear; None when it
    may."""
    if name in ALLOWED_SCHEMES:
        return None
    if name == "http":
        if http_allowed is not None and http_allowed(text.strip()):
            return None
        return (
            "plain http:// is not allowed; use the https:// address (a site without https "
            "needs an [[ignore]] entry with a reason in linkcheck.toml)"
        )
    return f"links with the scheme '{name}:' are not allowed (they can run script); {FIX}"


def url_problem(url: str, http_allowed: HttpAllowed | None = None) -> str | None:
    """Why ``url`` (an attribute value as Markdown emits it) may not appear on a page, with
    what to do instead; None when it may. ``http_allowed`` says which http:// URLs may."""
    text = decoded(url)
    folded = compact(text)
    placeholder = _PLACEHOLDER.match(folded)
    if placeholder:
        return _placeholder_problem(placeholder.group(1), folded[placeholder.end() :])
    scheme = _SCHEME.match(folded)
    if scheme:
        return _scheme_problem(scheme.group(1), text, http_allowed)
    if _TWO_SLASHES.match(folded):
        return (
            "a link starting with '//' leaves the site without saying how; write the full "
            "https:// address"
        )
    return None


@dataclass(frozen=True)
class HttpAllowance:
    """One [[ignore]] entry of linkcheck.toml, as the build sees it: an exact ``url`` (with
    or without its fragment) or a regular expression ``pattern``, until ``expires``."""

    url: str | None = None
    pattern: str | None = None
    expires: date | None = None

    def allows(self, url: str, today: date) -> bool:
        """Whether this entry covers ``url`` on ``today`` (linkcheck's own matching rule)."""
        if self.expires is not None and self.expires < today:
            return False
        if self.url is not None:
            return self.url in (url, url.partition("#")[0])
        return self.pattern is not None and re.search(self.pattern, url) is not None


def http_allowances(entries: Iterable[Mapping[str, object]]) -> tuple[HttpAllowance, ...]:
    """The SAFE_MARKDOWN_HTTP_ALLOWED setting (plain dicts with url/pattern/expires) as
    allowances; pelicanconf.py fills it from linkcheck.toml's ignore list."""
    allowances = []
    for entry in entries:
        expires = entry.get("expires")
        allowances.append(
            HttpAllowance(
                url=str(entry["url"]) if entry.get("url") else None,
                pattern=str(entry["pattern"]) if entry.get("pattern") else None,
                expires=date.fromisoformat(str(expires)) if expires else None,
            )
        )
    return tuple(allowances)


def http_allowed_by(allowances: Iterable[HttpAllowance], today: date) -> HttpAllowed:
    """A test for http:// URLs: allowed when an allowance covers them on ``today``."""
    kept = tuple(allowances)
    return lambda url: any(allowance.allows(url, today) for allowance in kept)
