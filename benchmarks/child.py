"""What the runner measures of our own site, each run as a separate process.

``python benchmarks/child.py build --site DIR --output DIR [--timings FILE]``
    one full build with ``tools.build.build_site`` (what ``make build`` runs); ``--timings``
    also records the time spent generating and writing .ics feeds (see ``FeedTimer``).
``python benchmarks/child.py profile --site DIR --output DIR --stats FILE``
    the same build under cProfile.
``python benchmarks/child.py serve --site DIR --output DIR``
    ``make serve`` itself (``tools.devserver.serve_forever``) on an ephemeral port.

``--site`` is a folder made by ``generate.py`` (its pelicanconf.py links to the real one).
Like the test suite (pyproject's ``pythonpath``), this puts the project root and plugins/ on
``sys.path``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
for _entry in (PROJECT_ROOT / "plugins", PROJECT_ROOT):
    if str(_entry) not in sys.path:
        sys.path.insert(0, str(_entry))


class FeedTimer:
    """Times the plugin's feed functions in place, without a profiler's overhead.

    Wraps ``calendar_bytes`` (sessions in, iCalendar bytes out) as the plugin's generator module
    (``pelican.plugins.info_sessions.generator``) calls it, and ``SessionsGenerator._write_bytes``
    (writes one .ics). A missing name is reported, not fatal, since the plugin is still changing.
    """

    def __init__(self) -> None:
        self.totals: dict[str, float] = {
            "feeds_s": 0.0,  # calendar_bytes for the subscribable feeds
            "single_event_files_s": 0.0,  # calendar_bytes for one-session .ics files
            "write_s": 0.0,  # _write_bytes for every .ics
        }
        self.counts: dict[str, int] = {"feeds": 0, "single_event_files": 0}
        self.missing: list[str] = []

    def install(self) -> None:
        """Wrap the functions (the plugin is imported here, once, under its Pelican name)."""
        try:
            import pelican.plugins.info_sessions.generator as module
        except ImportError as error:
            self.missing.append(f"info_sessions.generator ({error})")
            return
        original: Callable[..., bytes] | None = getattr(module, "calendar_bytes", None)
        if original is None:
            self.missing.append("info_sessions.generator.calendar_bytes")
        else:

            def calendar_bytes(*args: Any, **kwargs: Any) -> bytes:
                started = time.perf_counter()
                data = original(*args, **kwargs)
                kind = "feeds" if kwargs.get("info") is not None else "single_event_files"
                self.totals[f"{kind}_s"] += time.perf_counter() - started
                self.counts[kind] += 1
                return data

            module.calendar_bytes = calendar_bytes
        generator_class = getattr(module, "SessionsGenerator", None)
        write = getattr(generator_class, "_write_bytes", None)
        if write is None:
            self.missing.append("SessionsGenerator._write_bytes")
            return

        def write_bytes(generator: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return write(generator, *args, **kwargs)
            finally:
                self.totals["write_s"] += time.perf_counter() - started

        generator_class._write_bytes = write_bytes

    def as_dict(self, build_s: float) -> dict[str, Any]:
        """The totals, the build's own time, and what could not be wrapped."""
        return {**self.totals, **self.counts, "build_s": build_s, "missing": self.missing}


def _build(site: Path, output: Path) -> float:
    from tools.build import BuildError, build_site

    started = time.perf_counter()
    try:
        result = build_site(output, settings_file=site / "pelicanconf.py")
    except BuildError as error:
        print(f"build failed with {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(1) from None
    seconds = time.perf_counter() - started
    for notice in result.notices:  # what the build did on its own (run.py's year-ahead case)
        print(f"notice: {notice}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Dispatch one of the three commands."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "profile", "serve"))
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--timings", type=Path, default=None)
    parser.add_argument("--stats", type=Path, default=None)
    args = parser.parse_args(argv)
    site, output = args.site.resolve(), args.output.resolve()
    if args.command == "build":
        timer = FeedTimer()
        if args.timings:
            timer.install()
        seconds = _build(site, output)
        if args.timings:
            args.timings.write_text(json.dumps(timer.as_dict(seconds)) + "\n", encoding="utf-8")
    elif args.command == "profile":
        if args.stats is None:
            parser.error("profile needs --stats")
        profiler = cProfile.Profile()
        profiler.enable()
        try:
            _build(site, output)
        finally:
            profiler.disable()
            profiler.dump_stats(str(args.stats))
    else:
        from tools.devserver import serve_forever

        serve_forever(root=site, output=output, host="127.0.0.1", port=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
