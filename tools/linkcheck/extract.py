"""Parse each built file once and collect its links (with line numbers) and its ids.

HTML and XML are parsed with lxml, which records the line of every element (BeautifulSoup's
lxml tree builder drops line numbers, and its other parsers are far too slow for our budget).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from tools.linkcheck.model import Document, Kind, Link, Problem

logger = logging.getLogger(__name__)

# Attributes holding one URL, per element (lxml lower-cases HTML tag and attribute names).
_URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "track": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "input": ("src",),
    "form": ("action",),
    "button": ("formaction",),
    "object": ("data",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "ins": ("cite",),
    "del": ("cite",),
}
_SRCSET_ATTRIBUTES: dict[str, str] = {"img": "srcset", "source": "srcset", "link": "imagesrcset"}
# <link rel> values naming an origin to warm up, not a resource.
_HINT_RELS = frozenset({"preconnect", "dns-prefetch"})
_META_URL_PROPERTIES = frozenset(
    {
        "og:url",
        "og:image",
        "og:image:url",
        "og:image:secure_url",
        "og:video",
        "og:audio",
        "twitter:image",
        "twitter:url",
    }
)
# JSON-LD keys whose string values are URLs even when relative; other strings count only
# when they look like URLs.
_JSONLD_URL_KEYS = frozenset(
    {
        "@id",
        "url",
        "image",
        "logo",
        "sameAs",
        "contentUrl",
        "embedUrl",
        "thumbnailUrl",
        "mainEntityOfPage",
        "item",
        "license",
        "downloadUrl",
        "hasMap",
        "relatedLink",
        "significantLink",
    }
)
_JSONLD_NOT_URLS = frozenset({"@context", "@type", "@vocab", "@language"})
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_REFRESH_URL = re.compile(r"""^\s*\d*\s*[;,]\s*url\s*=\s*['"]?([^'"]*)""", re.IGNORECASE)
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_ATOM_NS = "{http://www.w3.org/2005/Atom}"
_XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
_IMAGE_LOC = "{http://www.google.com/schemas/sitemap-image/1.1}loc"

_HTML_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def document_kind(path: str) -> str | None:
    """The parser a built file needs, from its name; None for files without links."""
    name = path.rpartition("/")[2].lower()
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".xml", ".atom", ".rss")):
        return "xml"
    if name.endswith(".ics"):
        return "ics"
    if name.endswith(".css"):
        return "css"
    if path == "robots.txt":
        return "robots"
    return None


def extract_file(output: Path, path: str) -> Document | None:
    """Parse the built file ``output/path`` once; None if it is a kind without links."""
    kind = document_kind(path)
    if kind is None:
        return None
    data = (output / path).read_bytes()
    if kind == "html":
        return extract_html(path, data)
    if kind == "xml":
        return extract_xml(path, data)
    if kind == "ics":
        return extract_ics(path, data)
    text = data.decode("utf-8", errors="replace")
    if kind == "css":
        return Document(path, "css", links=list(_css_links(text, 1, "CSS url()")))
    return extract_robots(path, text)


def extract_html(path: str, data: bytes) -> Document:
    """Links, ids, duplicate ids and images without alt text of one HTML page."""
    document = Document(path, "html")
    try:
        root = etree.fromstring(data, _HTML_PARSER) if data.strip() else None
    except etree.ParserError as error:
        root = None
        logger.debug("%s: %s", path, error)
    if root is None:
        document.problems.append(Problem(path, None, Kind.INVALID_FILE, "the page is empty"))
        return document
    _walk_html(root, document, line_offset=0, content_only=False)
    return document


def _walk_html(root: Any, document: Document, *, line_offset: int, content_only: bool) -> None:
    """Collect links (and, for whole pages, ids and markup problems) under ``root``."""
    links, problems = document.links, document.problems
    first_line: dict[str, int | None] = {}
    for element in root.iter():
        attributes = element.attrib
        tag = element.tag
        line = element.sourceline
        if line is not None:
            line += line_offset
        if not content_only:
            if tag == "script" and attributes.get("type", "").lower() == "application/ld+json":
                _jsonld_links(element.text or "", line, document)
                continue
            if tag == "style" and element.text:
                links.extend(_css_links(element.text, line or 1, "<style> url()"))
            if tag == "img" and "alt" not in attributes:
                src = attributes.get("src", "")
                problems.append(
                    Problem(
                        document.path,
                        line,
                        Kind.MISSING_ALT,
                        'the image has no alt attribute (use alt="" if it is decorative)',
                        url=src,
                        where="<img src>",
                    )
                )
        if not attributes:
            continue
        if not content_only:
            element_id = attributes.get("id")
            if element_id is not None:
                _record_id(element_id, line, document, first_line)
            if tag == "a" and "name" in attributes:
                document.ids.add(attributes["name"])
            if "style" in attributes:
                links.extend(_css_links(attributes["style"], line or 1, f"<{tag} style> url()"))
        for attribute in _URL_ATTRIBUTES.get(tag, ()):
            value = attributes.get(attribute)
            if value is None:
                continue
            if tag == "link" and _HINT_RELS & set(attributes.get("rel", "").lower().split()):
                continue
            links.append(
                Link(value, line, f"<{tag} {attribute}>", navigational=tag in ("a", "area"))
            )
        srcset_attribute = _SRCSET_ATTRIBUTES.get(tag)
        if srcset_attribute and srcset_attribute in attributes:
            where = f"<{tag} {srcset_attribute}>"
            links.extend(
                Link(url, line, where) for url in srcset_urls(attributes[srcset_attribute])
            )
        if tag == "meta":
            _meta_link(attributes, line, links)


def _record_id(
    element_id: str, line: int | None, document: Document, first_line: dict[str, int | None]
) -> None:
    if element_id in first_line:
        where = f" (first used on line {first_line[element_id]})" if first_line[element_id] else ""
        document.problems.append(
            Problem(
                document.path,
                line,
                Kind.DUPLICATE_ID,
                f"the id {element_id!r} is used more than once on the page{where}",
                url=f"#{element_id}",
                where="id",
            )
        )
        return
    first_line[element_id] = line
    document.ids.add(element_id)


def _meta_link(attributes: Any, line: int | None, links: list[Link]) -> None:
    name = (attributes.get("property") or attributes.get("name") or "").lower()
    content = attributes.get("content")
    if content is None:
        return
    if name in _META_URL_PROPERTIES:
        links.append(Link(content, line, f'<meta property="{name}">'))
    elif attributes.get("http-equiv", "").lower() == "refresh":
        found = _REFRESH_URL.match(content)
        if found:
            links.append(Link(found.group(1), line, '<meta http-equiv="refresh">'))


def srcset_urls(srcset: str) -> list[str]:
    """The URL of every candidate in a ``srcset`` value (HTML's parsing rules, simplified)."""
    urls: list[str] = []
    position, length = 0, len(srcset)
    while position < length:
        while position < length and (srcset[position] in " \t\n\r\f,"):
            position += 1
        start = position
        while position < length and srcset[position] not in " \t\n\r\f":
            position += 1
        url = srcset[start:position]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            # Skip the descriptors, up to the comma that ends this candidate.
            depth = 0
            while position < length:
                character = srcset[position]
                if character == "(":
                    depth += 1
                elif character == ")":
                    depth = max(0, depth - 1)
                elif character == "," and depth == 0:
                    break
                position += 1
        if url:
            urls.append(url)
    return urls


def _jsonld_links(text: str, line: int | None, document: Document) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        document.problems.append(
            Problem(
                document.path,
                line + error.lineno - 1 if line else None,
                Kind.INVALID_FILE,
                f"the JSON-LD block is not valid JSON: {error.msg}",
                where="JSON-LD",
            )
        )
        return
    searched_from: dict[str, int] = {}
    for key, value in _jsonld_strings(data):
        if not (key in _JSONLD_URL_KEYS or value.startswith(("http://", "https://", "/"))):
            continue
        written = json.dumps(value)
        at = text.find(written, searched_from.get(value, 0))
        if at < 0:
            at = text.find(value, searched_from.get(value, 0))
        searched_from[value] = at + 1 if at >= 0 else 0
        value_line = line + text.count("\n", 0, at) if line and at >= 0 else line
        document.links.append(
            Link(value, value_line, f"JSON-LD {key!r}", check_fragment=key != "@id")
        )


def _jsonld_strings(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for child_key, child in data.items():
            if child_key not in _JSONLD_NOT_URLS:
                yield from _jsonld_strings(child, child_key)
    elif isinstance(data, list):
        for child in data:
            yield from _jsonld_strings(child, key)
    elif isinstance(data, str) and key:
        yield key, data


def _css_links(text: str, first_line: int, where: str) -> Iterator[Link]:
    # Blank out comments, keeping their newlines so line numbers stay right.
    text = _CSS_COMMENT.sub(lambda found: "\n" * found.group(0).count("\n"), text)
    line, position = first_line, 0
    for found in _CSS_URL.finditer(text):
        url = next(group for group in found.groups() if group is not None)
        line += text.count("\n", position, found.start())
        position = found.start()
        if url.startswith(("data:", "#")) or not url:
            continue
        yield Link(url, line, where)


def extract_xml(path: str, data: bytes) -> Document:
    """Sitemap entries or Atom/RSS feed links of one XML file."""
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as error:
        document = Document(path, "xml")
        document.problems.append(
            Problem(path, error.lineno, Kind.INVALID_FILE, f"not well-formed XML: {error.msg}")
        )
        return document
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag in (f"{_SITEMAP_NS}urlset", f"{_SITEMAP_NS}sitemapindex"):
        return _sitemap(path, root)
    if tag == f"{_ATOM_NS}feed":
        return _atom(path, root)
    if tag == "rss":
        return _rss(path, root)
    return Document(path, "xml")


def _sitemap(path: str, root: Any) -> Document:
    document = Document(path, "sitemap")
    for loc in root.iter(f"{_SITEMAP_NS}loc"):
        document.links.append(
            Link(
                (loc.text or "").strip(),
                loc.sourceline,
                "sitemap <loc>",
                check_fragment=False,
                absolute_required=True,
                internal_required=True,
            )
        )
    for element in root.iter(_XHTML_LINK, _IMAGE_LOC):
        url = element.get("href") if element.tag == _XHTML_LINK else (element.text or "").strip()
        where = "sitemap <xhtml:link href>" if element.tag == _XHTML_LINK else "sitemap <image:loc>"
        document.links.append(Link(url or "", element.sourceline, where, absolute_required=True))
    return document


def _atom(path: str, root: Any) -> Document:
    document = Document(path, "atom")
    for element in root.iter(f"{_ATOM_NS}link", f"{_ATOM_NS}icon", f"{_ATOM_NS}logo"):
        if element.tag == f"{_ATOM_NS}link":
            document.links.append(Link(element.get("href", ""), element.sourceline, "Atom <link>"))
        else:
            url = (element.text or "").strip()
            name = element.tag.removeprefix(_ATOM_NS)
            document.links.append(Link(url, element.sourceline, f"Atom <{name}>"))
    for element in root.iter(f"{_ATOM_NS}content", f"{_ATOM_NS}summary"):
        if element.get("type") == "html" and element.text:
            name = element.tag.removeprefix(_ATOM_NS)
            _embedded_html(element.text, element.sourceline, document, f"Atom <{name}>")
    return document


def _rss(path: str, root: Any) -> Document:
    document = Document(path, "rss")
    for element in root.iter("link", "enclosure", "description"):
        if element.tag == "link":
            url = (element.text or "").strip()
            document.links.append(Link(url, element.sourceline, "RSS <link>"))
        elif element.tag == "enclosure":
            url = element.get("url", "")
            document.links.append(Link(url, element.sourceline, "RSS <enclosure url>"))
        elif element.text:
            _embedded_html(element.text, element.sourceline, document, "RSS <description>")
    return document


def _embedded_html(html: str, line: int | None, document: Document, within: str) -> None:
    """Links inside HTML carried as text (feed entries), with lines in the outer file."""
    root = etree.fromstring(f"<html><body>{html}</body></html>", _HTML_PARSER)
    if root is None:
        return
    inner = Document(document.path, document.kind)
    _walk_html(root, inner, line_offset=(line or 1) - 1, content_only=True)
    document.links.extend(
        Link(link.url, link.line if line else None, f"{within} {link.where}")
        for link in inner.links
    )


_ICS_NAME = re.compile(r"[A-Za-z0-9-]+")


def extract_ics(path: str, data: bytes) -> Document:
    """The URL of every component (each event, and the calendar) in one iCalendar file.

    A plain scan of the content lines, with the structure checked on the way (one VCALENDAR,
    BEGIN and END paired, every line a NAME[;params]:value): parsing each file with
    icalendar was most of the check's time, and the feed tests parse every feed anyway.
    """
    document = Document(path, "ics")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        document.problems.append(
            Problem(path, None, Kind.INVALID_FILE, f"not a valid iCalendar file: {error}")
        )
        return document
    located, problem = _ics_url_lines(text)
    if problem is not None:
        line, why = problem
        document.problems.append(
            Problem(path, line, Kind.INVALID_FILE, f"not a valid iCalendar file: {why}")
        )
        return document
    for name, url, line in located:
        what = "event URL" if name == "VEVENT" else f"{name} URL"
        document.links.append(Link(url, line, what))
    return document


def _ics_url_lines(text: str) -> tuple[list[tuple[str, str, int]], tuple[int, str] | None]:
    """(component, raw value, line) of every URL property, unfolding continuation lines,
    and the first structural problem as (line, what is wrong), or None."""
    found: list[tuple[str, str, int]] = []
    stack: list[str] = []
    logical: list[tuple[str, int]] = []
    # RFC 5545 content lines end with CRLF and nothing else does: str.splitlines() would also
    # break at U+2028, U+0085, form feeds... inside a value, and so see lines no client sees.
    for number, raw in enumerate(text.split("\r\n"), 1):
        stray = next((c for c in raw if c in "\r\n"), None)
        if stray is not None:
            what = "a line feed (LF)" if stray == "\n" else "a carriage return (CR)"
            return found, (number, f"{what} that is not part of a CRLF line ending")
        if raw[:1] in (" ", "\t") and logical:
            content, start = logical[-1]
            logical[-1] = (content + raw[1:], start)
        elif raw:
            logical.append((raw, number))
    if not logical or logical[0][0].upper() != "BEGIN:VCALENDAR":
        return found, (1, "it does not start with BEGIN:VCALENDAR")
    for index, (content, start) in enumerate(logical):
        head, colon, value = content.partition(":")
        name = head.partition(";")[0].upper()
        if not colon or not _ICS_NAME.fullmatch(name):
            return found, (start, f"{content[:40]!r} is not a NAME:value content line")
        if name == "BEGIN":
            if index and not stack:
                return found, (start, "content after END:VCALENDAR")
            stack.append(value.strip().upper())
        elif name == "END":
            if not stack or stack[-1] != value.strip().upper():
                expected = f"END:{stack[-1]}" if stack else "nothing"
                return found, (start, f"{content!r} where {expected} was expected")
            stack.pop()
        elif not stack:
            return found, (start, "content after END:VCALENDAR")
        elif name == "URL":
            found.append((stack[-1], value, start))
    if stack:
        return found, (logical[-1][1], f"END:{stack[-1]} is missing")
    return found, None


def extract_robots(path: str, text: str) -> Document:
    """The Sitemap lines of robots.txt."""
    document = Document(path, "robots")
    for number, line in enumerate(text.splitlines(), 1):
        field, _, value = line.partition("#")[0].partition(":")
        if field.strip().lower() == "sitemap":
            document.links.append(
                Link(value.strip(), number, "robots.txt Sitemap:", absolute_required=True)
            )
    return document
