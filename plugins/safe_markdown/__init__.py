"""Safe Markdown plugin: raw HTML in content shows as text; links may only use safe schemes.

The plugin adds its Markdown extension to MARKDOWN["extensions"] once settings are read, so
every Markdown reader of the build (Pelican's and our plugins') uses it.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from pelican import signals

logger = logging.getLogger(__name__)

SAFE_SCHEMES = frozenset({"", "https", "http", "mailto", "tel", "webcal"})
URL_ATTRIBUTES = {"a": "href", "img": "src"}


def is_safe_url(url: str) -> bool:
    """True for relative URLs and the schemes a content link may use."""
    cleaned = "".join(url.split()).lower()  # browsers ignore whitespace inside schemes
    try:
        scheme = urlsplit(cleaned).scheme
    except ValueError:
        return False
    return scheme in SAFE_SCHEMES


class UnsafeUrlRemover(Treeprocessor):
    """Drops link targets with unsafe schemes (javascript:, data:, ...) and logs each one."""

    def run(self, root: Element) -> None:
        """Check every link and image in the rendered tree."""
        for element in root.iter():
            attribute = URL_ATTRIBUTES.get(element.tag)
            url = element.get(attribute) if attribute else None
            if url is not None and not is_safe_url(url):
                del element.attrib[attribute]
                logger.warning(
                    "safe_markdown: removed the link %r (text %r): only https, mailto and "
                    "site-relative links are allowed",
                    url,
                    "".join(element.itertext()),
                )


class SafeMarkdownExtension(Extension):
    """Escape raw HTML and remove unsafe link schemes."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        """Unregister raw-HTML handling and add the URL check."""
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(UnsafeUrlRemover(md), "safe_urls", 0)


def makeExtension(**kwargs: object) -> SafeMarkdownExtension:  # noqa: N802 - Markdown's API
    """Entry point Markdown uses when the extension is named by module."""
    return SafeMarkdownExtension(**kwargs)


def add_extension(pelican: object) -> None:
    """Add the extension to this build's Markdown settings, after every other extension."""
    markdown_settings = pelican.settings.setdefault("MARKDOWN", {})
    extensions = markdown_settings.setdefault("extensions", [])
    # Order matters: "extra" (md_in_html) registers its own raw-HTML block processor, so ours
    # must run after it. Pelican appends extension_configs names after "extensions"; list them
    # first ourselves so the safe extension really is last.
    for name in markdown_settings.get("extension_configs", {}):
        if name not in extensions:
            extensions.append(name)
    if not any(isinstance(extension, SafeMarkdownExtension) for extension in extensions):
        extensions.append(SafeMarkdownExtension())


def register() -> None:
    """Connect the plugin."""
    # initialized fires before any reader exists, so every reader sees the extension.
    signals.initialized.connect(add_extension)
