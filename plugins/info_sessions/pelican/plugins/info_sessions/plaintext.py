"""Plain text from a rendered Markdown fragment, for feed descriptions and calendar links."""

from __future__ import annotations

import re

from .simplehtml import Reader

_BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"})
_SPACES = re.compile(r"\s+")


class _TextExtractor(Reader):
    """Keeps paragraphs and list items apart and writes links as 'text (url)'."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def start(self, tag: str, attrs: list[tuple[str, str | None]], written: str) -> None:
        """Break before blocks and list items; remember link targets."""
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def end(self, tag: str) -> None:
        """Break after blocks; write an external link's target after its text."""
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href.startswith(("http://", "https://", "mailto:")):
                self.parts.append(f" ({href.removeprefix('mailto:')})")

    def text(self, data: str) -> None:
        """Keep text, with runs of whitespace as one space."""
        self.parts.append(_SPACES.sub(" ", data))

    def result(self) -> str:
        """The text read so far, paragraphs separated by a blank line."""
        text = "".join(self.parts)
        lines = [line.strip() for line in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """Readable plain text of ``markup``: paragraphs separated by a blank line. Markdown's
    own output is read by simplehtml; anything else by html.parser."""
    extractor = _TextExtractor()
    extractor.read(markup)
    return extractor.result()


def parsed_text(markup: str) -> str:
    """``html_to_text`` read by html.parser alone, the reading the fast one must match."""
    extractor = _TextExtractor()
    extractor.read(markup, parser_only=True)
    return extractor.result()
