"""Plain text from a rendered Markdown fragment, for feed descriptions and calendar links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"})


class _TextExtractor(HTMLParser):
    """Keeps paragraphs and list items apart and writes links as 'text (url)'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Break before blocks and list items; remember link targets."""
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        """Break after blocks; write an external link's target after its text."""
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href.startswith(("http://", "https://", "mailto:")):
                self.parts.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data: str) -> None:
        """Keep text, with runs of whitespace as one space."""
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Readable plain text of ``html``: paragraphs separated by a blank line."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
