"""Safe Markdown plugin: content can link, format and show code, never run script.

Raw HTML in content shows as text. Every conversion's final HTML is checked (html_check):
elements are those Markdown makes, attributes are those Markdown sets plus ``id`` and
``class`` from attribute lists, and every URL passes the one URL check (urls.py). Anything
else raises :class:`UnsafeMarkdownError`, a ``ContentError`` of the info-sessions plugin
whose problems give the field, the value and the line (or, inside ``collecting_findings``,
is reported there). The plugin's header reader (session descriptions, programs, quotes) and
content_guard's gate for Pelican's own reader (news, pages) turn them into problems naming
the file; the build fails.

The plugin names its extension (``safe_markdown``) last in MARKDOWN once settings are read,
with the SAFE_MARKDOWN_HTTP_ALLOWED entries as its configuration, so every Markdown reader of
the build (Pelican's and our plugins') uses it.
"""

from __future__ import annotations

from typing import Any

from pelican import signals

from safe_markdown.extension import (
    SafeMarkdownExtension,
    UnsafeMarkdownError,
    collecting_findings,
    makeExtension,
)
from safe_markdown.html_check import Finding, finding_line, html_findings
from safe_markdown.urls import url_problem

__all__ = [
    "Finding",
    "SafeMarkdownExtension",
    "UnsafeMarkdownError",
    "collecting_findings",
    "finding_line",
    "html_findings",
    "makeExtension",
    "register",
    "url_problem",
]

EXTENSION = "safe_markdown"
# linkcheck.toml's [[ignore]] entries ({"url" or "pattern", "expires"}): the only http://
# URLs content may use. pelicanconf.py fills it through tools/linkcheck's config loader.
SETTING = "SAFE_MARKDOWN_HTTP_ALLOWED"


def add_extension(pelican: Any) -> None:
    """Name the extension last in this build's MARKDOWN settings, with its configuration."""
    settings = pelican.settings
    markdown_settings = settings.setdefault("MARKDOWN", {})
    configs = markdown_settings.setdefault("extension_configs", {})
    configs[EXTENSION] = {
        "http_allowed": tuple(dict(entry) for entry in settings.get(SETTING, ())),
        "today": str(settings.get("SITE_TODAY") or ""),
    }
    # Order matters: "extra" (md_in_html) registers its own raw-HTML block processor, so ours
    # must run after it. Pelican appends extension_configs names after "extensions"; list
    # them first ourselves, so that the safe extension really is last.
    extensions = [
        e
        for e in markdown_settings.get("extensions", [])
        if e != EXTENSION and not isinstance(e, SafeMarkdownExtension)
    ]
    for name in configs:
        if name not in extensions and name != EXTENSION:
            extensions.append(name)
    markdown_settings["extensions"] = [*extensions, EXTENSION]


def register() -> None:
    """Connect the plugin."""
    # initialized fires before any reader exists, so every reader sees the extension.
    signals.initialized.connect(add_extension)
