"""Project tasks: `invoke --list` shows them; the Makefile calls the same ones."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from invoke import Context, task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
HOST = "127.0.0.1"
PORT = 8000
PYTHON = sys.executable


def _build(settings_file: Path = SETTINGS, output: Path = OUTPUT) -> None:
    from tools.build import BuildError, build_site

    try:
        build_site(output, settings_file=settings_file)
    except BuildError as error:
        print(f"Build failed with {len(error.problems)} problem(s); {output} is unchanged:")
        for problem in error.problems:
            print(f"  {problem}")
        raise SystemExit(1) from None
    print(f"Built the site into {output}")


@task(help={"settings": "settings file (default pelicanconf.py; publishconf.py for publishing)"})
def build(c: Context, settings: str = "pelicanconf.py") -> None:
    """Build the site into output/ (atomic: a failed build leaves output/ as it was)."""
    _build(ROOT / settings)


@task
def rebuild(c: Context) -> None:
    """Remove output/ and build from scratch."""
    clean(c)
    _build()


@task
def clean(c: Context) -> None:
    """Remove output/."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task(help={"port": f"port to serve on (default {PORT})"})
def serve(c: Context, port: int = PORT) -> None:
    """Build, serve on http://127.0.0.1:8000 and rebuild + reload browsers on every change."""
    from tools.devserver import serve_forever

    serve_forever(root=ROOT, output=OUTPUT, host=HOST, port=int(port))


@task(
    help={
        "target": "github-pages (default: the gh-pages branch, pushed) or rsync "
        "(to PUBLISH_RSYNC_TARGET)",
        "push": "push the gh-pages branch (default true)",
    }
)
def publish(c: Context, target: str = "github-pages", push: bool = True) -> None:
    """Build with publishconf.py (needs SITE_URL=https://...) and publish output/."""
    from tools.publish import PublishError, publish_to_github_pages, publish_with_rsync

    _build(PUBLISH_SETTINGS)
    try:
        if target == "github-pages":
            publish_to_github_pages(OUTPUT, ROOT, push=push)
        elif target == "rsync":
            publish_with_rsync(OUTPUT, os.environ.get("PUBLISH_RSYNC_TARGET", ""))
        else:
            raise PublishError(f"publish: unknown target {target!r}; use github-pages or rsync")
    except PublishError as error:
        raise SystemExit(str(error)) from None
    print(f"Published {OUTPUT} to {target}")


@task
def lint(c: Context) -> None:
    """Check code style with ruff (lint and format)."""
    c.run(f"{PYTHON} -m ruff check .", pty=False)
    c.run(f"{PYTHON} -m ruff format --check .", pty=False)


@task
def format(c: Context) -> None:
    """Format the code with ruff."""
    c.run(f"{PYTHON} -m ruff check --fix .")
    c.run(f"{PYTHON} -m ruff format .")


@task(help={"args": "extra arguments for pytest, e.g. -k feeds"})
def test(c: Context, args: str = "") -> None:
    """Run the linters and the whole test suite."""
    lint(c)
    env = {"PYTHONHASHSEED": "0"}
    c.run(f"{PYTHON} -m pytest {args}", env={**os.environ, **env}, pty=False)


@task(
    help={
        "build": "build output/ first (default true; --no-build checks output/ as it is)",
        "settings": "settings file the site is built with (default pelicanconf.py)",
        "offline": "skip the live check of external links",
    }
)
def linkcheck(
    c: Context, build: bool = True, settings: str = "pelicanconf.py", offline: bool = False
) -> None:
    """Build output/, check every link (external ones live, cached), report; fail if any broke."""
    from tools.linkcheck.cli import run

    if build:
        _build(ROOT / settings)
    status = run(OUTPUT, settings_file=ROOT / settings, live=not offline)
    if status:
        raise SystemExit(status)


@task(
    help={
        "full_page": "photograph whole pages, not just the first screen",
        "today": "SITE_TODAY for the build (YYYY-MM-DD; default: today)",
    }
)
def screenshots(c: Context, full_page: bool = False, today: str = "") -> None:
    """Save desktop (1280 px) and mobile (390 px) PNGs of key pages into docs/screenshots/."""
    from tools.screenshots import main

    args = (["--full-page"] if full_page else []) + (["--today", today] if today else [])
    status = main(args)
    if status:
        raise SystemExit(status)


@task(help={"args": "extra arguments for benchmarks/run.py, e.g. --runs 7"})
def bench(c: Context, args: str = "") -> None:
    """Run every benchmark (N = 100, 1,000 and 10,000); write benchmarks/RESULTS.md."""
    c.run(f"{PYTHON} {ROOT / 'benchmarks' / 'run.py'} {args}", pty=False)


@task(help={"args": "extra arguments for benchmarks/run.py"})
def bench_quick(c: Context, args: str = "") -> None:
    """Run the quick benchmarks (N = 100 and 1,000, under 5 minutes); write RESULTS.md."""
    c.run(f"{PYTHON} {ROOT / 'benchmarks' / 'run.py'} --quick {args}", pty=False)
