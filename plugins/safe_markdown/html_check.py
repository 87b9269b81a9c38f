"""What rendered Markdown may contain: the elements Markdown and the "extra" extensions make,
the attributes they set, ``id`` and ``class`` from attribute lists, and safe URLs.

The check reads the final HTML of a conversion, after Markdown has put back everything it
kept aside (fenced code blocks, for one, are stored as raw HTML and never pass through the
element tree), so nothing an extension emits escapes it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pelican.plugins.info_sessions.simplehtml import Reader

from safe_markdown.urls import HttpAllowed, url_problem

# Every element Markdown and markdown.extensions.extra (abbr, attr_list, def_list,
# fenced_code, footnotes, md_in_html, tables) emit; raw HTML is escaped, so nothing else.
ELEMENTS = frozenset(
    {
        *("p", "br", "hr", "em", "strong", "code", "pre", "blockquote"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("a", "img", "abbr", "sup", "div", "table", "thead", "tbody", "tr", "th", "td"),
    }
)
# Attributes any element may have: what attribute lists ({: #id .class}) may set.
EVERYWHERE = frozenset({"id", "class"})
# Attributes Markdown itself sets on a few elements.
BY_ELEMENT: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "abbr": frozenset({"title"}),
}
URL_ATTRIBUTES = frozenset({"href", "src"})
_RAW_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass(frozen=True)
class Finding:
    """One thing rendered Markdown may not contain: the element, the attribute ("" for the
    element itself), the value as written in the HTML, and why it is refused."""

    element: str
    attribute: str
    value: str
    reason: str

    @property
    def shown(self) -> str:
        """The value to show the author: the URL or attribute as written."""
        if not self.attribute:
            return f"<{self.element}>"
        if self.attribute in URL_ATTRIBUTES:
            return self.value
        return f"{self.attribute}={self.value!r}" if self.value else self.attribute


def _raw_values(start_tag: str) -> dict[str, str]:
    """The attributes of a start tag with their values as written (references undecoded)."""
    body = re.sub(r"^<[^\s/>]+", "", start_tag).rstrip(">").rstrip("/")
    values: dict[str, str] = {}
    for match in _RAW_ATTRIBUTE.finditer(body):
        name = match.group(1).lower()
        raw = next((g for g in match.groups()[1:] if g is not None), "")
        values.setdefault(name, raw)
    return values


class _Checker(Reader):
    """Collects a Finding for every element, attribute and URL that is not allowed."""

    def __init__(self, http_allowed: HttpAllowed | None) -> None:
        super().__init__()
        self.http_allowed = http_allowed
        self.findings: list[Finding] = []

    def start(self, tag: str, attrs: list[tuple[str, str | None]], written: str) -> None:
        """Check a start tag: its name, its attributes (values decoded) and ``written``, the
        tag as it stands in the HTML."""
        raw = _raw_values(written)
        if tag not in ELEMENTS:
            self.findings.append(
                Finding(tag, "", "", f"the element <{tag}> may not come from content")
            )
        allowed = EVERYWHERE | BY_ELEMENT.get(tag, frozenset())
        for name, value in attrs:
            written_value = raw.get(name, value or "")
            if name not in allowed:
                self.findings.append(
                    Finding(tag, name, written_value, _attribute_reason(tag, name))
                )
            elif name in URL_ATTRIBUTES:
                problem = url_problem(written_value, self.http_allowed)
                if problem is None and value is not None and value != written_value:
                    problem = url_problem(value, self.http_allowed)  # as the browser reads it
                if problem:
                    self.findings.append(Finding(tag, name, written_value, problem))


def _attribute_reason(tag: str, name: str) -> str:
    if name.startswith("on"):
        what = "an event handler, which runs script"
    elif name == "style":
        what = "inline style, which can cover or restyle the page"
    elif name in URL_ATTRIBUTES:
        what = f"a link target on <{tag}>"
    else:
        what = "not one Markdown sets"
    return (
        f"the attribute {name!r} on <{tag}> may not come from content ({what}); attribute "
        "lists ({: ...}) may set only id and class: remove it"
    )


def html_findings(markup: str, http_allowed: HttpAllowed | None = None) -> list[Finding]:
    """Everything in ``markup`` (rendered Markdown) that content may not contain. Markdown's
    own simple output is read by simplehtml (the same tags and attributes html.parser
    reads, faster); anything else by html.parser."""
    checker = _Checker(http_allowed)
    checker.read(markup)
    return checker.findings


def parsed_findings(markup: str, http_allowed: HttpAllowed | None = None) -> list[Finding]:
    """``html_findings`` read by html.parser alone, the reading the fast one must match."""
    checker = _Checker(http_allowed)
    checker.read(markup, parser_only=True)
    return checker.findings


def finding_line(lines: Sequence[str], finding: Finding) -> int | None:
    """The first of ``lines`` (the Markdown as written) that holds what ``finding`` refuses,
    counted from 1: the URL as written (or as Markdown escaped it), ``attribute=``, or the
    element's start tag; None when no line does. Compared without white space and case, as
    Markdown turns a tab into spaces."""
    if finding.attribute in URL_ATTRIBUTES:
        needles = [finding.value, html.unescape(finding.value)]
    elif finding.attribute:
        needles = [f"{finding.attribute}="]
    else:
        needles = [f"<{finding.element}"]
    wanted = ["".join(needle.split()).lower() for needle in needles if needle.strip()]
    for number, line in enumerate(lines, start=1):
        if any(needle in "".join(line.split()).lower() for needle in wanted):
            return number
    return None
