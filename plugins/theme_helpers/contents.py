"""A page's contents list, made from its rendered section headings.

A template captures the part of the page that holds its sections and passes it through the
``with_contents`` filter: every ``<h2>`` becomes an entry (its id and text), and a heading
without an id gets one from its text. That id is unique on the page: it differs from every id
in the fragment, in the other rendered parts the template passes along (``*others``) and in
``SHELL_IDS``. The template then places the list and the (possibly updated) HTML; it never
builds the list itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

# Our own rendered HTML: Markdown output (raw HTML in content is escaped) and templates.
_HEADING = re.compile(r"<h2(?P<attrs>(?:\s[^>]*)?)>(?P<inner>.*?)</h2>", re.DOTALL)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_ANY_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Ids of the page shell (base.html: the skip link's target) and of the contents list itself
# (macros/components.html: contents_nav), which are never part of the fragment.
SHELL_IDS = frozenset({"main-content", "toc-title"})


@dataclass(frozen=True)
class Entry:
    """One section of the page: the id of its heading and the heading's text."""

    id: str
    text: str


@dataclass(frozen=True)
class Contents:
    """The sections of a fragment and the fragment with an id on every section heading."""

    entries: tuple[Entry, ...]
    html: Markup


def slug(text: str) -> str:
    """'Who it is for?' -> 'who-it-is-for' (ASCII letters, digits and hyphens only)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


def _ids(html: str) -> set[str]:
    return {next(v for v in m.groups() if v is not None) for m in _ANY_ID.finditer(html)}


def with_contents(fragment: str, *others: str) -> Contents:
    """The fragment's ``<h2>`` sections as contents entries, ids added where missing (unique
    against the fragment, ``others`` and ``SHELL_IDS``)."""
    taken = _ids(fragment) | set(SHELL_IDS)
    for other in others:
        taken |= _ids(other)
    entries: list[Entry] = []

    def visit(match: re.Match[str]) -> str:
        attrs, inner = match.group("attrs"), match.group("inner")
        text = Markup(inner).striptags()  # tags removed, entities decoded, spaces squashed
        found = _ID.search(attrs)
        if found:
            heading_id = next(v for v in found.groups() if v is not None)
            entries.append(Entry(heading_id, text))
            return match.group(0)
        base = heading_id = slug(text)
        number = 2
        while heading_id in taken:
            heading_id, number = f"{base}-{number}", number + 1
        taken.add(heading_id)
        entries.append(Entry(heading_id, text))
        return f'<h2 id="{heading_id}"{attrs}>{inner}</h2>'

    updated = _HEADING.sub(visit, str(fragment))
    return Contents(entries=tuple(entries), html=Markup(updated))
