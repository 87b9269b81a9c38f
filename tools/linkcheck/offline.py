"""The offline check: resolve every link of a built site in memory, without the network."""

from __future__ import annotations

import html
import json
import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from tools.linkcheck.config import SiteConfig
from tools.linkcheck.extract import extract_file
from tools.linkcheck.ignore import IgnoreList, local_today
from tools.linkcheck.model import Document, Kind, Link, Problem, Usage
from tools.linkcheck.urls import (
    HTML_WHITESPACE,
    Scheme,
    Target,
    is_absolute_http,
    mailto_problem,
    placeholder_in,
    resolve,
    tel_problem,
)

logger = logging.getLogger(__name__)

HOME_PAGE = "index.html"
# How far above the end of a start tag one of its attributes may sit.
_TAG_LINES = 30


@dataclass(slots=True)
class SiteCheck:
    """Everything the offline check learnt about one built site."""

    output: Path
    documents: dict[str, Document]
    files: frozenset[str]
    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[Usage]] = field(default_factory=dict)  # fetch URL -> usages
    sources: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def problems_on(self, page: str) -> list[Problem]:
        """Problems of one built file, orphan reports excluded, in line order."""
        return [p for p in self.problems if p.page == page and p.kind is not Kind.ORPHAN]

    def orphans(self) -> list[Problem]:
        """Pages nothing leads to."""
        return [p for p in self.problems if p.kind is Kind.ORPHAN]

    @property
    def pages(self) -> list[str]:
        """Every built file that was checked, sorted."""
        return sorted(self.documents)


def sources_file(output: Path) -> Path:
    """Where the build writes its source map: ``<output>.sources.json`` beside the output."""
    return output.with_name(f"{output.name}.sources.json")


def load_sources(output: Path) -> dict[str, str]:
    """{output-relative file: project-relative source file}; empty when there is no map."""
    path = sources_file(output)
    if not path.exists():
        logger.debug("no source map at %s", path)
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: the source map is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the source map must be a JSON object")
    return {str(key): str(value) for key, value in data.items()}


def list_files(output: Path) -> frozenset[str]:
    """Every file under ``output``, as "/"-separated output-relative paths."""
    if not output.is_dir():
        raise FileNotFoundError(f"no built site at {output}: build it first")
    found = []
    for folder, _, names in os.walk(output):
        relative = os.path.relpath(folder, output).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in names)
    return frozenset(found)


def check_site(
    output: Path,
    site: SiteConfig,
    *,
    ignore: IgnoreList | None = None,
    today: date | None = None,
) -> SiteCheck:
    """Parse every built file once and report every broken link, fragment, asset and orphan."""
    started = time.perf_counter()
    files = list_files(output)
    documents = {}
    for path in sorted(files):
        document = extract_file(output, path)
        if document is not None:
            documents[path] = document
    check = SiteCheck(output=output, documents=documents, files=files)
    checker = _Checker(check, site, ignore or IgnoreList(), today or local_today())
    for document in documents.values():
        check.problems.extend(document.problems)
        for link in document.links:
            checker.link(document, link)
    check.problems.extend(checker.orphans())
    check.sources = load_sources(output)
    check.problems = _locate(check, site)
    check.external = {
        url: [Usage(u.page, u.line, u.url, check.sources.get(u.page)) for u in usages]
        for url, usages in check.external.items()
    }
    check.seconds = time.perf_counter() - started
    logger.debug("checked %d files in %.3f s", len(documents), check.seconds)
    return check


class _Checker:
    """Checks links one by one against the site's files and ids."""

    def __init__(self, check: SiteCheck, site: SiteConfig, ignore: IgnoreList, today: date):
        self.check, self.site, self.ignore, self.today = check, site, ignore, today
        self.edges: dict[str, set[str]] = {}
        self.listed: set[str] = set()  # pages the sitemap lists

    def problem(self, document: Document, link: Link, kind: Kind, reason: str) -> None:
        self.check.problems.append(
            Problem(document.path, link.line, kind, reason, url=link.url, where=link.where)
        )

    def link(self, document: Document, link: Link) -> None:
        text = link.url.strip(HTML_WHITESPACE)
        if not text:
            self.problem(document, link, Kind.EMPTY_LINK, "the link is empty: it goes nowhere")
            return
        if text == "#":
            reason = "the link is only '#': it goes nowhere (link to a real page or use a button)"
            self.problem(document, link, Kind.EMPTY_LINK, reason)
            return
        placeholder = placeholder_in(text)
        if placeholder:
            reason = (
                f"a leftover placeholder {placeholder}: Pelican could not find what it names "
                "(check the path in the source)"
            )
            self.problem(document, link, Kind.PLACEHOLDER, reason)
            return
        if link.absolute_required and not is_absolute_http(text):
            reason = f"{link.where} needs a full URL starting with https:// (or http://)"
            self.problem(document, link, Kind.NOT_ABSOLUTE, reason)
            return
        target = resolve(text, document.path, self.site)
        if target.scheme is Scheme.INTERNAL:
            self.internal(document, link, text, target)
        elif target.scheme is Scheme.EXTERNAL:
            self.external(document, link, text, target)
        elif target.scheme is Scheme.MAILTO:
            reason = mailto_problem(text)
            if reason:
                self.problem(document, link, Kind.BAD_MAILTO, reason)
        elif target.scheme is Scheme.TEL:
            reason = tel_problem(text)
            if reason:
                self.problem(document, link, Kind.BAD_TEL, reason)
        elif target.scheme is Scheme.MALFORMED:
            self.problem(document, link, Kind.MALFORMED_URL, "the URL is malformed (no host?)")

    def external(self, document: Document, link: Link, text: str, target: Target) -> None:
        if link.internal_required:
            reason = "the sitemap lists a URL outside this site (its SITEURL)"
            self.problem(document, link, Kind.NOT_INTERNAL, reason)
            return
        assert target.fetch_url is not None
        self.check.external.setdefault(target.fetch_url, []).append(
            Usage(document.path, link.line, link.url)
        )
        if target.insecure and self.ignore.match(text, self.today) is None:
            reason = "an external link over plain http://: use https:// (or add an [[ignore]] "
            reason += "entry with the reason to linkcheck.toml if the site has no https)"
            self.problem(document, link, Kind.INSECURE_LINK, reason)

    def internal(self, document: Document, link: Link, text: str, target: Target) -> None:
        if target.outside:
            self.problem(
                document,
                link,
                Kind.OUTSIDE_OUTPUT,
                f"it points outside the output: {target.outside}",
            )
            return
        if (
            document.path in self.site.error_pages
            and not target.same_document
            and not text.startswith("/")
            and ":" not in text.partition("/")[0]
        ):
            reason = (
                "a relative link on the error page breaks when the server shows the page "
                "at any other address: use a root-relative link (starting with /)"
            )
            self.problem(document, link, Kind.RELATIVE_ON_ERROR_PAGE, reason)
            return
        assert target.path is not None
        file = self._file(target)
        files = self.check.files
        if file not in files:
            folder_index = f"{target.path}/index.html"
            if not target.folder and folder_index in files:
                reason = (
                    f"'{target.path}' is a folder: end the link with '/' so it leads to "
                    f"{folder_index} without a redirect"
                )
                self.problem(document, link, Kind.FOLDER_WITHOUT_SLASH, reason)
            elif target.webcal:
                reason = f"the calendar subscription's feed {file} is not in the output"
                self.problem(document, link, Kind.MISSING_FEED, reason)
            else:
                self.problem(document, link, Kind.MISSING_FILE, f"no file {file} in the output")
            return
        if target.webcal and not file.endswith(".ics"):
            reason = f"the calendar subscription points at {file}, not an iCalendar (.ics) feed"
            self.problem(document, link, Kind.MISSING_FEED, reason)
            return
        if target.fragment and link.check_fragment:
            self._fragment(document, link, file, target)
        if link.navigational and file.endswith(".html"):
            self.edges.setdefault(document.path, set()).add(file)
        if link.internal_required:
            self.listed.add(file)

    def _file(self, target: Target) -> str:
        assert target.path is not None
        if target.same_document:
            return target.path
        if target.folder:
            return f"{target.path}/index.html" if target.path else "index.html"
        return target.path

    def _fragment(self, document: Document, link: Link, file: str, target: Target) -> None:
        fragment = target.fragment or ""
        destination = self.check.documents.get(file)
        if destination is None or destination.kind != "html":
            return  # fragments of feeds, images and PDFs are not element ids
        if fragment in destination.ids or fragment.lower() == "top":
            return
        if fragment.startswith(":~:"):
            return  # a text fragment, matched by the browser against the words
        where = "on this page" if file == document.path else f"on {file}"
        self.problem(document, link, Kind.MISSING_FRAGMENT, f"no id {fragment!r} {where}")

    def orphans(self) -> list[Problem]:
        """Pages neither reachable from the home page nor listed in the sitemap."""
        pages = {p for p, d in self.check.documents.items() if d.kind == "html"}
        reached: set[str] = set()
        queue = deque([HOME_PAGE] if HOME_PAGE in pages else [])
        while queue:
            page = queue.popleft()
            if page in reached:
                continue
            reached.add(page)
            queue.extend(self.edges.get(page, ()))
        lonely = sorted(pages - reached - self.listed - self.site.error_pages)
        reason = "no chain of links from the home page leads here, and sitemap.xml does not list it"
        return [Problem(page, None, Kind.ORPHAN, reason) for page in lonely]


def _locate(check: SiteCheck, site: SiteConfig) -> list[Problem]:
    """Sort problems, pin each to the exact line, and name its content source (and line)."""
    by_page: dict[str, list[Problem]] = {}
    for problem in check.problems:
        by_page.setdefault(problem.page, []).append(problem)
    located: list[Problem] = []
    for page, problems in sorted(by_page.items()):
        page_lines = _lines(check.output / page)
        source = check.sources.get(page)
        source_lines = _lines(site.project_root / source) if source and site.project_root else []
        for problem in problems:
            line = _exact_line(page_lines, problem.line, problem.url)
            if line != problem.line:
                problem = Problem(
                    problem.page,
                    line,
                    problem.kind,
                    problem.reason,
                    problem.url,
                    problem.where,
                )
            source_line = _find(source_lines, problem.url) if source else None
            located.append(problem.located(source, source_line))
    located.sort(key=lambda p: (p.page, p.line or 0, p.kind, p.url))
    return located


def _lines(path: Path) -> list[str]:
    """The file's lines as parsers number them: split at LF (CRLF counts once), never at
    U+2028 and the other breaks str.splitlines() knows."""
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return []
    return [line.removesuffix("\r") for line in text.split("\n")]


def _variants(url: str) -> list[str]:
    variants = [url, html.escape(url, quote=True), html.escape(url, quote=False), unquote(url)]
    return [v for v in dict.fromkeys(variants) if v]


def _exact_line(lines: list[str], line: int | None, url: str) -> int | None:
    """The line holding ``url`` nearest above ``line``: lxml gives the line where a start tag
    ends, and a multi-line tag may carry the attribute a few lines higher."""
    if line is None or not url or not lines or line > len(lines):
        return line
    variants = _variants(url)
    for number in range(line, max(0, line - _TAG_LINES), -1):
        if any(variant in lines[number - 1] for variant in variants):
            return number
    return line


def _find(lines: list[str], url: str) -> int | None:
    """The first line of a source file containing ``url`` as written (or decoded)."""
    if not url or not lines:
        return None
    variants = _variants(url)
    for number, text in enumerate(lines, 1):
        if any(variant in text for variant in variants):
            return number
    return None
