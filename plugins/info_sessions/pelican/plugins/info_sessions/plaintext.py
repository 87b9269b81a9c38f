"""Plain text from a rendered Markdown fragment, for feed descriptions and calendar links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .simplehtml import simple_pieces

_BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"})
_SPACES = re.compile(r"\s+")


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
        self.parts.append(_SPACES.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Readable plain text of ``markup``: paragraphs separated by a blank line. Markdown's
    own output is read by simplehtml; anything else by html.parser."""
    extractor = _TextExtractor()
    pieces = simple_pieces(markup)
    if pieces is None:
        extractor.feed(markup)
        extractor.close()
    for piece in pieces or ():
        if isinstance(piece, str):
            extractor.handle_data(piece)
        elif piece.end:
            extractor.handle_endtag(piece.name)
        else:
            extractor.handle_starttag(piece.name, piece.attrs)
            if piece.closed:
                extractor.handle_endtag(piece.name)
    return _text(extractor)


def parsed_text(markup: str) -> str:
    """``html_to_text`` read by html.parser alone, the reading the fast one must match."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return _text(extractor)


def _text(extractor: _TextExtractor) -> str:
    text = "".join(extractor.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
