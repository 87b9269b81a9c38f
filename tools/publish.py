"""Publish a built site: to the gh-pages branch (GitHub Pages) or to an rsync target.

Both inputs that come from the environment are checked here, in one place, before anything
is built or sent: ``SITE_URL`` (publishconf.py calls :func:`check_site_url` too) and
``PUBLISH_RSYNC_TARGET``.
"""

from __future__ import annotations

import ipaddress
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import idna

EXAMPLE_SITE_URL = "SITE_URL=https://example.org make publish"
EXAMPLE_RSYNC_TARGET = "PUBLISH_RSYNC_TARGET=user@host:/var/www/site/"
# Whitespace and control characters anywhere: urlsplit silently drops tab, CR and LF, so
# "https://exa<TAB>mple.org" would pass as another address than the one written.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# A path may hold only what RFC 3986 allows unescaped (percent escapes included): the value
# goes into every page, feed and calendar link.
_PATH = re.compile(r"^(?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*$")


class PublishError(Exception):
    """Publishing could not start or failed; the message says how to fix it."""


def _shown(value: str) -> str:
    """``value`` for an error message, with any password in it masked (CI logs show it)."""
    head, at, rest = value.partition("@")
    if not at or "://" not in head:
        return repr(value)
    scheme, _, userinfo = head.partition("://")
    user, colon, _ = userinfo.partition(":")
    return repr(f"{scheme}://{user}{':***' if colon else ''}@{rest}")


def _ascii_host(host: str) -> str:
    """``host`` (lower-cased, IPv6 without brackets) in the form written into pages: IDNA
    2008 A-labels for a domain name; raise ValueError saying what is wrong with it."""
    if not host:
        raise ValueError("has no host name")
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise ValueError(f"has a host {host!r} that is not a valid IPv6 address") from None
    try:
        ascii_host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except idna.IDNAError as error:
        raise ValueError(
            f"has a host name {host!r} that is not a valid domain name ({error}; IDNA 2008: "
            "letters, digits and hyphens in dot-separated labels of 1 to 63 characters)"
        ) from None
    if ascii_host.removesuffix(".").rpartition(".")[2].isdigit():
        try:
            return str(ipaddress.IPv4Address(ascii_host))
        except ValueError:
            raise ValueError(
                f"has a host {host!r} that is neither a domain name nor an IPv4 address"
            ) from None
    return ascii_host


def _form_problem(value: str, parts: SplitResult) -> tuple[str, str] | None:
    """What is wrong with the form of the site URL ``value`` (split into ``parts``) and how
    to fix it ("" for the usual fix); None when its scheme, user info, query, fragment and
    port separator are fine."""
    if parts.scheme != "https" or not value.lower().startswith("https://"):
        return "must start with https://", ""
    if "@" in parts.netloc:
        return (
            "has a user name or password (user:password@), which would be written into every page",
            "give the address without it, e.g. " + EXAMPLE_SITE_URL,
        )
    if "?" in value:
        return "has a query (?...), which would be added to every link", "remove it"
    if "#" in value:
        return "has a fragment (#...), which would break every link", "remove it"
    if parts.netloc.endswith(":"):
        return "has an empty port after the ':'", "remove the ':' or give the port"
    return None


def check_site_url(value: str, name: str = "SITE_URL") -> str:
    """``value`` as the site's public base URL (``https://host[:port][/path]``, no trailing
    slash, host in IDNA form); raise PublishError naming ``name``, the value and the fix.

    Refused: any scheme but https, user info (``user:password@``), a query, a fragment, a
    missing or invalid host, a port out of range, spaces or control characters anywhere,
    and characters a URL path may not hold unescaped.
    """

    def refuse(what: str, fix: str = "") -> PublishError:
        fix = fix or ("give the https address the site is published at, e.g. " + EXAMPLE_SITE_URL)
        return PublishError(f"publish: {name}: {_shown(value)}: {what}; {fix}")

    if not value:
        raise refuse("is not set")
    control = _SPACE_OR_CONTROL.search(value)
    if control:
        raise refuse(
            f"contains the character U+{ord(control.group()):04X} (a space or control character)",
            "remove it (a URL has no spaces; write %20 in a path)",
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:  # a bad port, or brackets that do not close
        raise refuse(
            f"is not a valid URL ({error})", "check the port (1 to 65535) and the host"
        ) from None
    form = _form_problem(value, parts)
    if form is not None:
        raise refuse(*form)
    try:
        ascii_host = _ascii_host((parts.hostname or "").lower())
    except ValueError as error:
        raise refuse(str(error)) from None
    if port is not None and not 1 <= port <= 65535:
        raise refuse(f"has the port {port}, outside 1 to 65535", "use a port from 1 to 65535")
    if not _PATH.match(parts.path):
        raise refuse(
            f"has a path {parts.path!r} with characters a URL may not hold unescaped",
            "percent-encode them (e.g. %C3%A9 for é) or choose a plain path",
        )
    netloc = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    if port is not None and port != 443:
        netloc += f":{port}"
    return f"https://{netloc}{parts.path}".rstrip("/")


def check_rsync_target(value: str, name: str = "PUBLISH_RSYNC_TARGET") -> str:
    """``value`` as rsync's destination; raise PublishError when it is empty, could be read
    as an option (it, or its host, starts with '-'), or holds a control character."""
    if not value:
        raise PublishError(f"publish: set {name}, e.g. {EXAMPLE_RSYNC_TARGET}")
    fix = f"give a destination such as {EXAMPLE_RSYNC_TARGET} (or a local folder path)"
    if value.startswith("-"):
        raise PublishError(
            f"publish: {name}: {value!r}: starts with '-', so rsync would read it as an option "
            f"instead of a destination; {fix}"
        )
    control = re.search(r"[\x00-\x1f\x7f-\x9f]", value)
    if control:
        raise PublishError(
            f"publish: {name}: {value!r}: contains the control character "
            f"U+{ord(control.group()):04X}; {fix}"
        )
    before_colon = value.split(":", 1)[0] if ":" in value.split("/", 1)[0] else ""
    host = before_colon.rpartition("@")[2]
    if host.startswith("-"):
        raise PublishError(
            f"publish: {name}: {value!r}: the host {host!r} starts with '-', so ssh would read "
            f"it as an option; {fix}"
        )
    return value


def publish_to_github_pages(
    output: Path, repo: Path, *, push: bool, remote: str = "origin", branch: str = "gh-pages"
) -> None:
    """Commit ``output`` as the whole of ``branch`` (with .nojekyll) and optionally push it."""
    if not (output / "index.html").is_file():
        raise PublishError(f"publish: {output} has no index.html; build the site first")
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        "--no-jekyll",
        "--force",
        "--branch",
        branch,
        "--remote",
        remote,
        "--message",
        "Publish the site",
    ]
    if push:
        command.append("--push")
    result = subprocess.run([*command, str(output)], cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"publish: ghp-import failed: {result.stderr.strip()}")


def publish_with_rsync(output: Path, target: str) -> None:
    """Mirror ``output`` to ``target`` (e.g. user@host:/var/www/site/) with rsync --delete."""
    target = check_rsync_target(target)
    if shutil.which("rsync") is None:
        raise PublishError("publish: rsync is not installed; on Debian: apt-get install rsync")
    result = subprocess.run(
        # "--": whatever follows is a path, never an option.
        ["rsync", "--recursive", "--checksum", "--delete", "--times", "--", f"{output}/", target],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise PublishError(f"publish: rsync to {target} failed: {result.stderr.strip()}")
