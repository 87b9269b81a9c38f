"""Reading the simple HTML that Markdown writes, with html.parser's results, faster.

``html.parser`` reads any HTML, one character class at a time, and every session's body is
read twice: for its plain text and (on our site) for the safety check. Markdown's own
output is far simpler: text without ``<``, and start and end tags whose attributes are
quoted and separated by single spaces. Such HTML is read here with regular expressions into
the same tags, attributes and text; anything else (a comment, a script element, an unquoted
attribute, a stray ``<``) is read by html.parser. ``Reader`` gives its subclasses either
reading through the same three methods. Tests check that both readings agree on any input.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

# One attribute, after a single space, as Markdown writes it.
_ATTRIBUTE = r""" [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=(?:"[^"]*"|'[^']*'))?"""
# One piece of simple HTML: text without "<", or a start tag, or an end tag.
_PIECE = re.compile(
    rf"""([^<]+)|<([a-zA-Z][a-zA-Z0-9]*)((?:{_ATTRIBUTE})*) ?(/?)>|</([a-zA-Z][a-zA-Z0-9]*)>"""
)
_ATTRIBUTES = re.compile(r""" ([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=(?:"([^"]*)"|'([^']*)'))?""")
# Elements whose content html.parser (or a browser) reads as raw text: never simple.
RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
    | {"noscript", "plaintext"}
)


@dataclass(frozen=True)
class Tag:
    """A start or end tag as html.parser reports it: the name and attribute names
    lower-cased, values with character references decoded (None for an attribute without
    a value), and the tag as written."""

    name: str
    attrs: list[tuple[str, str | None]]
    written: str
    end: bool = False  # an end tag, </name>
    closed: bool = False  # a start tag written as <name ... />


def simple_pieces(markup: str) -> list[str | Tag] | None:
    """``markup`` as text (character references decoded) and tags, in order, when all of it
    is simple HTML; None otherwise."""
    pieces: list[str | Tag] = []
    at = 0
    for piece in _PIECE.finditer(markup):
        if piece.start() != at:
            return None
        text, start, attributes, closed, end = piece.groups()
        if text is not None:
            pieces.append(html.unescape(text))
        elif start is not None:
            name = start.lower()
            if name in RAW_TEXT:
                return None
            pieces.append(Tag(name, _attributes(attributes), piece.group(), closed=bool(closed)))
        else:
            pieces.append(Tag(end.lower(), [], piece.group(), end=True))
        at = piece.end()
    return pieces if at == len(markup) else None


def _attributes(written: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for match in _ATTRIBUTES.finditer(written):
        name, double, single = match.groups()
        value = double if double is not None else single
        found.append((name.lower(), html.unescape(value) if value else value))
    return found


class Reader(HTMLParser):
    """A reader of HTML for subclasses that handle start tags (with the tag as written),
    end tags and text. ``read`` takes simple HTML through ``simple_pieces`` and anything
    else through html.parser itself; either way the same calls are made."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def start(self, tag: str, attrs: list[tuple[str, str | None]], written: str) -> None:
        """A start tag: name and attributes as html.parser gives them, and the tag as written."""

    def end(self, tag: str) -> None:
        """An end tag (also after a start tag written as ``<name ... />``)."""

    def text(self, data: str) -> None:
        """Text between tags, character references decoded."""

    def read(self, markup: str, *, parser_only: bool = False) -> None:
        """Make the calls for ``markup``; ``parser_only`` reads it with html.parser even when
        it is simple (the reading the fast one is tested against)."""
        pieces = None if parser_only else simple_pieces(markup)
        if pieces is None:
            self.feed(markup)
            self.close()
            return
        for piece in pieces:
            if isinstance(piece, str):
                self.text(piece)
            elif piece.end:
                self.end(piece.name)
            else:
                self.start(piece.name, piece.attrs, piece.written)
                if piece.closed:
                    self.end(piece.name)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """html.parser's start tag, passed on with the tag as written."""
        self.start(tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """html.parser's ``<name ... />``: a start tag, then its end."""
        self.handle_starttag(tag, attrs)
        self.end(tag)

    def handle_endtag(self, tag: str) -> None:
        """html.parser's end tag, passed on."""
        self.end(tag)

    def handle_data(self, data: str) -> None:
        """html.parser's text, passed on."""
        self.text(data)
