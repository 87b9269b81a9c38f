"""The Markdown extension: raw HTML shows as text, and a conversion that would emit anything
html_check refuses raises :class:`UnsafeMarkdownError` listing every refused item.

The error is the info-sessions plugin's ``ContentError``: its problems name the field
"(body)", the value as written, why it is refused and the line of the converted text that
holds it, so a reader that knows the file (the plugin's header reader, for session
descriptions, programs and quotes) reports them as problems of that file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pelican.plugins.info_sessions.problems import ContentError, Problem

from safe_markdown.html_check import Finding, finding_line, html_findings
from safe_markdown.nesting import nesting_problems
from safe_markdown.urls import HttpAllowed, http_allowances, http_allowed_by

# Table cells aligned with ":--" get a class (theme/static/css/site.css) instead of the
# inline style the tables extension writes: no style attribute ever comes from content.
ALIGN_CLASS = "hq-align-{}"
_ALIGN_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")


# Where conversions report findings instead of raising, while a reader collects them.
_SINK: ContextVar[list[Finding] | None] = ContextVar("safe_markdown_findings", default=None)


@contextmanager
def collecting_findings() -> Iterator[list[Finding]]:
    """While inside, conversions add their findings to the list given and return their HTML
    escaped (shown as text, never published: a finding fails the build) instead of raising,
    so that a reader converting a body and then its Summary reports both, and still returns
    the file's metadata."""
    findings: list[Finding] = []
    token = _SINK.set(findings)
    try:
        yield findings
    finally:
        _SINK.reset(token)


class UnsafeMarkdownError(ContentError):
    """Rendered Markdown held something content may not contain; ``findings`` lists all,
    and ``problems`` has one Problem for each: field "(body)", the value as written, the
    reason, and the line of ``source`` (the converted text) that holds it. The path is left
    empty: whoever converted the text knows the file."""

    def __init__(self, findings: Sequence[Finding], source: Sequence[str] = ()) -> None:
        """Keep the findings; ``source`` is the converted text, one string a line."""
        self.findings = tuple(findings)
        super().__init__(
            Problem("", "(body)", finding.shown, finding.reason, finding_line(source, finding))
            for finding in self.findings
        )


class KeepSource(Preprocessor):
    """Runs first and keeps the lines being converted, for the lines of a refusal."""

    def __init__(self, md: Markdown, check: RefuseUnsafeHtml) -> None:
        """Keep the lines for ``check``."""
        super().__init__(md)
        self.check = check

    def run(self, lines: list[str]) -> list[str]:
        """Keep ``lines`` (the text as given to ``convert``) and pass them on unchanged."""
        self.check.source = tuple(lines)
        return lines


class RefuseDeepNesting(Preprocessor):
    """Runs before Markdown parses the text: a line nested deeper than nesting.MAX_NESTING
    raises ContentError (Markdown would recurse that deep, and fail without a file)."""

    def run(self, lines: list[str]) -> list[str]:
        """Return ``lines`` unchanged, or raise ContentError naming the line."""
        problems = nesting_problems(lines)
        if problems:
            raise ContentError(problems)
        return lines


class AlignmentClasses(Treeprocessor):
    """Turns the tables extension's ``style="text-align: ..."`` into a class."""

    def run(self, root: Element) -> None:
        """Rewrite every aligned table cell."""
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            match = _ALIGN_STYLE.match(cell.get("style", ""))
            if match:
                del cell.attrib["style"]
                classes = [*cell.get("class", "").split(), ALIGN_CLASS.format(match.group(1))]
                cell.set("class", " ".join(classes))


class RefuseUnsafeHtml(Postprocessor):
    """Checks the final HTML of every conversion (html_check)."""

    def __init__(self, md: Markdown, http_allowed: HttpAllowed) -> None:
        """Check with ``http_allowed`` deciding which http:// URLs pass."""
        super().__init__(md)
        self.http_allowed = http_allowed
        self.source: tuple[str, ...] = ()  # the lines being converted (KeepSource)

    def run(self, text: str) -> str:
        """Return ``text`` unchanged when it is safe; otherwise raise
        :class:`UnsafeMarkdownError` (or, while findings are collected, add them and return
        the HTML escaped)."""
        findings = html_findings(text, self.http_allowed)
        if not findings:
            return text
        sink = _SINK.get()
        if sink is None:
            raise UnsafeMarkdownError(findings, self.source)
        sink.extend(findings)
        return html.escape(text)


class SafeMarkdownExtension(Extension):
    """Escape raw HTML, and refuse unsafe URLs, attributes and elements."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {
            "http_allowed": [
                (),
                "linkcheck.toml [[ignore]] entries (dicts: url or pattern, expires) whose "
                "http:// URLs content may link to",
            ],
            "today": ["", "YYYY-MM-DD; entries that expired before this day no longer apply"],
        }
        super().__init__(**kwargs)

    def http_allowed(self) -> HttpAllowed:
        """The configured test for http:// URLs."""
        today = self.getConfig("today")
        # The build passes SITE_TODAY; used on its own, the extension takes the UTC date.
        day = date.fromisoformat(today) if today else datetime.now(UTC).date()
        return http_allowed_by(http_allowances(self.getConfig("http_allowed")), day)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API name
        """Unregister raw-HTML handling and add the alignment rewrite and the final check."""
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)
        md.treeprocessors.register(AlignmentClasses(md), "safe_markdown_alignment", 1)
        # Lowest priority: runs after raw HTML (fenced code) and footnotes are put back.
        check = RefuseUnsafeHtml(md, self.http_allowed())
        md.postprocessors.register(check, "safe_markdown", 0)
        # Highest priority: sees the text before any preprocessor changes it.
        md.preprocessors.register(KeepSource(md, check), "safe_markdown_source", 1000)
        md.preprocessors.register(RefuseDeepNesting(md), "safe_markdown_nesting", 999)


def makeExtension(**kwargs: object) -> SafeMarkdownExtension:  # noqa: N802 - Markdown's API
    """Entry point Markdown uses when the extension is named by module ("safe_markdown")."""
    return SafeMarkdownExtension(**kwargs)
