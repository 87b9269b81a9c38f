"""The whole run as staff use it: offline check, live check, readable report, JSON report."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from tools.linkcheck.cache import SuccessCache
from tools.linkcheck.config import (
    DEFAULT_CONFIG_NAME,
    CheckerConfig,
    ConfigError,
    SiteConfig,
    load_config,
)
from tools.linkcheck.external import LiveChecker
from tools.linkcheck.ignore import IgnoreConfigError, local_today
from tools.linkcheck.model import ExternalResult, Outcome
from tools.linkcheck.offline import SiteCheck, check_site
from tools.linkcheck.report import (
    ProgressLine,
    format_external,
    format_ignore_notes,
    format_problems,
    json_report,
    summarise_external,
    write_json,
)

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = PROJECT_ROOT / ".linkcheck-cache"
REPORT_FILE = PROJECT_ROOT / "reports" / "linkcheck.json"


def site_config(settings_file: Path) -> SiteConfig:
    """The site's own URL prefixes, read from a Pelican settings file."""
    from tools.build import load_settings  # imports Pelican: only when really needed

    return SiteConfig.from_settings(load_settings(settings_file), settings_file.parent)


def ignore_notes(check: SiteCheck, config: CheckerConfig, today: date) -> tuple[list, list]:
    """(expired, unused) ignore-list entries for this built site."""
    written = {usage.url for usages in check.external.values() for usage in usages}
    unused = config.ignore.unused([*check.external, *written])
    return config.ignore.expired(today), unused


def run(
    output: Path,
    *,
    settings_file: Path,
    config_file: Path = PROJECT_ROOT / DEFAULT_CONFIG_NAME,
    cache_dir: Path = CACHE_DIR,
    report_file: Path = REPORT_FILE,
    live: bool = True,
    stream: TextIO = sys.stdout,
    progress_stream: TextIO = sys.stderr,
    allowed_local_endpoints: Iterable[tuple[str, int]] = (),
) -> int:
    """Check ``output``; print a report; write the JSON report; 1 if anything is broken.

    ``allowed_local_endpoints`` is for tests only (see LiveChecker): no command-line option
    or setting reaches it."""
    today = local_today()
    config = load_config(config_file)
    check = check_site(output, site_config(settings_file), ignore=config.ignore, today=today)
    out = stream.write
    if check.problems:
        out(f"{format_problems(check.problems)}\n\n")
    out(
        f"Offline check: {len(check.documents)} built files, {len(check.problems)} problems "
        f"({check.seconds:.3f} s)\n"
    )
    results: list[ExternalResult] | None = None
    if live:
        cache = SuccessCache(cache_dir, config.live.cache_days * 86400)
        checker = LiveChecker(
            config.live,
            cache=cache,
            ignore=config.ignore,
            today=today,
            progress=ProgressLine(progress_stream),
            allowed_local_endpoints=allowed_local_endpoints,
        )
        results = checker.run(check.external)
        details = format_external(results)
        if details:
            out(f"\n{details}\n\n")
        out(summarise_external(results) + "\n")
    expired, unused = ignore_notes(check, config, today)
    notes = format_ignore_notes(expired, unused)
    if notes:
        out(f"\n{config_file.name}:\n{notes}\n")
    write_json(
        report_file,
        json_report(
            output=output,
            problems=check.problems,
            offline_seconds=check.seconds,
            external=results,
            expired=expired,
            unused=unused,
        ),
    )
    out(f"JSON report: {report_file}\n")
    return exit_status(check, results)


def run_or_explain(output: Path, **options: Any) -> int:
    """:func:`run`, with a problem in linkcheck.toml or the site's URLs, or a missing build,
    printed (to stderr) as one line naming the file, setting and value, and exit status 2:
    never a traceback."""
    try:
        return run(output, **options)
    except (ConfigError, IgnoreConfigError, FileNotFoundError) as error:
        print(f"linkcheck: {error}", file=sys.stderr)
        return 2


def exit_status(check: SiteCheck, results: list[ExternalResult] | None) -> int:
    """1 if any offline problem or any broken external link, else 0 (unverified is fine)."""
    broken = any(result.outcome is Outcome.BROKEN for result in results or [])
    return 1 if check.problems or broken else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.linkcheck [--offline] [--settings FILE] [OUTPUT]``."""
    parser = argparse.ArgumentParser(prog="python -m tools.linkcheck", description=__doc__)
    parser.add_argument("output", nargs="?", type=Path, default=PROJECT_ROOT / "output")
    parser.add_argument("--settings", type=Path, default=PROJECT_ROOT / "pelicanconf.py")
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / DEFAULT_CONFIG_NAME)
    parser.add_argument("--report", type=Path, default=REPORT_FILE)
    parser.add_argument("--offline", action="store_true", help="skip the live check")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return run_or_explain(
        arguments.output.resolve(),
        settings_file=arguments.settings.resolve(),
        config_file=arguments.config,
        report_file=arguments.report,
        live=not arguments.offline,
    )
