"""Reports for people (plain text, grouped per page) and for machines (JSON)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from tools.linkcheck.ignore import IgnoreEntry
from tools.linkcheck.model import ExternalResult, Kind, Outcome, Problem


def describe_problem(problem: Problem) -> str:
    """One problem as a short block: where in the built file, what, why, where to fix it."""
    parts = [f"line {problem.line}" if problem.line else "whole page"]
    if problem.url or problem.kind is Kind.EMPTY_LINK:
        parts.append(f'{problem.where} "{problem.url}"')
    elif problem.where:
        parts.append(problem.where)
    lines = [f"  {': '.join(parts)}: {problem.reason} [{problem.kind}]"]
    if problem.source and problem.source_line:
        lines.append(f"      source: {problem.source}, line {problem.source_line} has this link")
    elif problem.source and problem.kind is not Kind.ORPHAN:
        lines.append(
            f"      source: not in {problem.source}, so it comes from the theme or a plugin"
        )
    return "\n".join(lines)


def page_heading(page: str, problems: list[Problem]) -> str:
    """The heading of one page's group: the page, its source, how many problems."""
    source = next((p.source for p in problems if p.source), None)
    built_from = f" (built from {source})" if source else ""
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return f"{page}{built_from}: {count}"


def format_problems(problems: Iterable[Problem]) -> str:
    """Every problem, grouped per built file, files in order."""
    by_page: dict[str, list[Problem]] = {}
    for problem in problems:
        by_page.setdefault(problem.page, []).append(problem)
    blocks = []
    for page in sorted(by_page):
        group = by_page[page]
        blocks.append("\n".join([page_heading(page, group), *map(describe_problem, group)]))
    return "\n\n".join(blocks)


def format_external(results: Iterable[ExternalResult]) -> str:
    """Broken, unverified and permanently redirected URLs, each with every place it is used."""
    blocks = []
    order = {Outcome.BROKEN: 0, Outcome.UNVERIFIED: 1, Outcome.OK: 2}
    for result in sorted(results, key=lambda r: (order.get(r.outcome, 3), r.url)):
        if result.outcome is Outcome.OK and not result.permanent_redirect:
            continue
        if result.outcome is Outcome.IGNORED:
            continue
        label = "MOVED" if result.outcome is Outcome.OK else result.outcome.upper()
        lines = [f"{label} {result.url}: {result.reason}"]
        lines += [
            f"  used on {usage.page}"
            + (f" line {usage.line}" if usage.line else "")
            + (f" ({usage.source})" if usage.source else "")
            for usage in result.usages
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def summarise_external(results: list[ExternalResult]) -> str:
    """One line: how many URLs, how many from the cache, and each outcome's count."""
    counts = Counter(result.outcome for result in results)
    cached = sum(result.cached for result in results)
    moved = sum(bool(result.permanent_redirect) for result in results)
    parts = ", ".join(f"{counts[outcome]} {outcome}" for outcome in Outcome)
    return (
        f"External links: {len(results)} unique URLs ({cached} from the cache): {parts}; "
        f"{moved} permanent redirect{'s' if moved != 1 else ''} to update"
    )


def format_ignore_notes(expired: list[IgnoreEntry], unused: list[IgnoreEntry]) -> str:
    """Ignore-list entries staff should renew or remove."""
    lines = [f"expired: {entry.describe()}" for entry in expired]
    lines += [f"unused (the site no longer links there): {entry.describe()}" for entry in unused]
    return "\n".join(lines)


class ProgressLine:
    """A one-line progress display on a terminal; a line every few seconds elsewhere."""

    def __init__(self, stream: TextIO, every: float = 5.0) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.every = every
        self._last: float | None = None

    def __call__(self, done: int, total: int, counts: Counter[Outcome]) -> None:
        """Show how far the live check is."""
        text = (
            f"checking external links: {done}/{total} done, {counts[Outcome.BROKEN]} broken, "
            f"{counts[Outcome.UNVERIFIED]} unverified"
        )
        if self.tty:
            self.stream.write(f"\r{text}\x1b[K")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
            return
        now = time.monotonic()
        if done == total or self._last is None or now - self._last >= self.every:
            self._last = now
            self.stream.write(text + "\n")
            self.stream.flush()


def json_report(
    *,
    output: Path,
    problems: list[Problem],
    offline_seconds: float,
    external: list[ExternalResult] | None,
    expired: list[IgnoreEntry],
    unused: list[IgnoreEntry],
) -> dict[str, object]:
    """The whole run as one JSON-ready mapping."""
    counts = Counter(str(result.outcome) for result in external or [])
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "output": str(output),
        "summary": {
            "offline_problems": len(problems),
            "offline_seconds": round(offline_seconds, 4),
            "external": dict(sorted(counts.items())) if external is not None else None,
        },
        "offline": [problem.as_dict() for problem in problems],
        "external": [result.as_dict() for result in external or []],
        "ignore": {
            "expired": [entry.describe() for entry in expired],
            "unused": [entry.describe() for entry in unused],
        },
    }


def write_json(path: Path, report: dict[str, object]) -> None:
    """Write ``report`` to ``path`` atomically, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(report, file, indent=1)
            file.write("\n")
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
