"""Plain text from a rendered Markdown fragment, for feed descriptions and calendar links.

``html.parser`` reads any HTML, but it reads it one character class at a time, and every
session's body passes through here. Markdown's own output is far simpler: text without
``<``, and start and end tags whose attributes are all quoted. Such HTML is read with two
regular expressions instead, into the same calls the parser would make; anything else (a
comment, a script element, an unquoted attribute, a stray ``<``) goes through the parser.
Tests check that both readings agree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"})
# Separated by single spaces, as Markdown writes them (other white space takes the parser).
_ATTRIBUTE = r""" [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=(?:"[^"]*"|'[^']*'))?"""
# One piece of simple HTML: text without "<", or a start tag, or an end tag.
_PIECE = re.compile(
    rf"""([^<]+)|<([a-zA-Z][a-zA-Z0-9]*)((?:{_ATTRIBUTE})*) ?(/?)>|</([a-zA-Z][a-zA-Z0-9]*)>"""
)
_ATTRIBUTES = re.compile(r""" ([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=(?:"([^"]*)"|'([^']*)'))?""")
# Elements whose content html.parser reads as raw text: never taken by the fast path.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed"})
_RAW_TEXT |= {"noframes", "noscript", "plaintext"}
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


def _simple_pieces(markup: str) -> Iterator[re.Match[str]] | None:
    """The pieces of ``markup`` when all of it is simple HTML (see the module), else None."""
    pieces = []
    at = 0
    for piece in _PIECE.finditer(markup):
        if piece.start() != at:
            return None
        tag = piece.group(2) or piece.group(5)
        if tag and tag.lower() in _RAW_TEXT:
            return None
        pieces.append(piece)
        at = piece.end()
    return iter(pieces) if at == len(markup) else None


def _attributes(written: str) -> list[tuple[str, str | None]]:
    """A start tag's attributes as html.parser gives them: names lower-cased, values with
    character references decoded, None for an attribute without a value."""
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTES.finditer(written):
        name, double, single = match.groups()
        value = double if double is not None else single
        found.append((name.lower(), html.unescape(value) if value else value))
    return found


def _feed(extractor: _TextExtractor, markup: str) -> None:
    """Make the calls html.parser would make for ``markup``: fast when it is simple."""
    pieces = _simple_pieces(markup)
    if pieces is None:
        extractor.feed(markup)
        extractor.close()
        return
    for piece in pieces:
        text, start, attributes, closed, end = piece.groups()
        if text is not None:
            extractor.handle_data(html.unescape(text) if "&" in text else text)
        elif start is not None:
            extractor.handle_starttag(start.lower(), _attributes(attributes))
            if closed:
                extractor.handle_endtag(start.lower())
        else:
            extractor.handle_endtag(end.lower())


def is_simple(markup: str) -> bool:
    """True when ``markup`` takes the fast path (see the module)."""
    return _simple_pieces(markup) is not None


def html_to_text(markup: str) -> str:
    """Readable plain text of ``markup``: paragraphs separated by a blank line."""
    extractor = _TextExtractor()
    _feed(extractor, markup)
    return _text(extractor)


def parsed_text(markup: str) -> str:
    """``html_to_text`` read by html.parser alone, the reading the fast path must match."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return _text(extractor)


def _text(extractor: _TextExtractor) -> str:
    text = "".join(extractor.parts)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
