"""Project tasks: `invoke --list` shows them; the Makefile calls the same ones."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from invoke import Context, task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
HOST = "127.0.0.1"
PORT = 8000
PYTHON = sys.executable
# The staff tools import the site-only plugins by the names Pelican gives them (PLUGIN_PATHS);
# the info-sessions plugin is an installed package (pelican.plugins.info_sessions).
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))


def _build(settings_file: Path = SETTINGS, output: Path = OUTPUT) -> None:
    from tools.build import BuildError, build_site

    if not settings_file.is_file():
        raise SystemExit(
            f"build: --settings: {settings_file.name!r}: no such settings file in {ROOT}; use "
            "pelicanconf.py (local) or publishconf.py (published)"
        )

    try:
        result = build_site(output, settings_file=settings_file)
    except BuildError as error:
        print(f"Build failed with {len(error.problems)} problem(s); {output} is unchanged:")
        for problem in error.problems:
            print(f"  {problem}")
        _print_notices(error.notices)
        raise SystemExit(1) from None
    print(f"Built the site into {output}")
    _print_notices(result.notices)


def _print_notices(notices: Sequence[object]) -> None:
    """The build's notices: what it did on its own; they do not fail it."""
    if notices:
        print(f"{len(notices)} notice(s) (the build goes on; nothing to fix):")
        for notice in notices:
            print(f"  {notice}")


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
    from tools.publish import (
        PublishError,
        check_rsync_target,
        check_site_url,
        publish_to_github_pages,
        publish_with_rsync,
    )

    try:  # every input is checked before anything is built or sent
        check_site_url(os.environ.get("SITE_URL", ""))
        if target == "rsync":
            rsync_target = check_rsync_target(os.environ.get("PUBLISH_RSYNC_TARGET", ""))
        elif target != "github-pages":
            raise PublishError(f"publish: unknown target {target!r}; use github-pages or rsync")
        _build(PUBLISH_SETTINGS)
        if target == "github-pages":
            publish_to_github_pages(OUTPUT, ROOT, push=push)
        else:
            publish_with_rsync(OUTPUT, rsync_target)
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
    from tools.linkcheck.cli import run_or_explain

    if build:
        _build(ROOT / settings)
    status = run_or_explain(OUTPUT, settings_file=ROOT / settings, live=not offline)
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
    """Run the quick benchmarks (N = 100 and 1,000); write RESULTS-quick.md, compared with
    the full run's RESULTS.md."""
    c.run(f"{PYTHON} {ROOT / 'benchmarks' / 'run.py'} --quick {args}", pty=False)


@task(
    help={
        "content": "content folder to check (default: content/)",
        "staged": "check the files staged for commit (git's index), as the pre-commit hook does",
    }
)
def check(c: Context, content: str = "", staged: bool = False) -> None:
    """Check all content without building: every error and warning, with file and line."""
    if staged:
        from tools.staff.hooks import HookError, check_staged

        try:
            status = check_staged(ROOT)
        except HookError as error:
            raise SystemExit(f"check: {error}") from None
    else:
        from tools.staff.check import run_check

        if content and not Path(content).is_dir():
            raise SystemExit(
                f"check: --content: {content!r}: no such folder; give the site's content "
                "folder, e.g. --content content (or leave it out)"
            )
        status = run_check(SETTINGS, Path(content) if content else None)
    if status:
        raise SystemExit(status)


@task(
    help={
        "program": "program slug (as in content/programs/<slug>.md)",
        "format": "in-person, online or hybrid",
        "start": "start, YYYY-MM-DD HH:MM in the time zone",
        "duration": "how long, e.g. 1h, 90m, 1h30m (or give --end)",
        "end": "end, HH:MM or YYYY-MM-DD HH:MM (or give --duration)",
        "timezone": "IANA time zone (default: the site's, America/New_York)",
        "location": "venue and address (in-person and hybrid)",
        "map_url": "https link of a map of the venue (optional; default: an OpenStreetMap "
        "search for the location)",
        "join_url": "https link of the meeting (online and hybrid)",
        "registration_url": "https link of the registration form (optional)",
        "title": "title (default: '<program short name> <format> information session')",
        "status": "scheduled (default), cancelled, postponed or full",
        "repeat": "make a series: weekly, 'every N weeks', 'monthly on the first Tuesday', "
        "'monthly on the last Friday', 'monthly on day N'",
        "until": "a series' last date, YYYY-MM-DD (or give --count)",
        "count": "how many dates a series has (or give --until)",
        "content": "content folder to write into (default: content/)",
    }
)
def new_session(
    c: Context,
    program: str | None = None,
    format: str | None = None,
    start: str | None = None,
    duration: str | None = None,
    end: str | None = None,
    timezone: str | None = None,
    location: str | None = None,
    map_url: str | None = None,
    join_url: str | None = None,
    registration_url: str | None = None,
    title: str | None = None,
    status: str | None = None,
    repeat: str | None = None,
    until: str | None = None,
    count: str | None = None,
    content: str = "",
) -> None:
    """Write a new session file: asks for what the flags do not give, checks every answer."""
    from tools.staff.new_session import NewSessionError, run

    answers = {
        "program": program,
        "format": format,
        "start": start,
        "duration": duration,
        "end": end,
        "timezone": timezone,
        "location": location,
        "map-url": map_url,
        "join-url": join_url,
        "registration-url": registration_url,
        "title": title,
        "status": status,
        "repeat": repeat,
        "until": until,
        "count": count,
    }
    try:
        run(answers, content=Path(content) if content else None, settings_file=SETTINGS)
    except NewSessionError as error:
        raise SystemExit(f"new-session: {error}") from None
    except KeyboardInterrupt:
        raise SystemExit("\nnew-session: stopped; no file written") from None


LOCKS = {
    "requirements.in": "requirements.txt",
    "requirements-bootstrap.in": "requirements-bootstrap.txt",
    "benchmarks/requirements.in": "benchmarks/requirements.txt",  # the peers' own venv
}


@task(
    help={
        "upgrade": "move every package to its newest release (default: keep the locked versions)",
        "upgrade_package": "move one package (and what it needs) to its newest release",
    }
)
def lock(c: Context, upgrade: bool = False, upgrade_package: str = "") -> None:
    """Remake the hashed lock files (requirements*.txt, benchmarks/) from the .in files."""
    # PyPI only, whatever pip is configured with on this machine: the hashes must be PyPI's.
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_FIND_LINKS": "", "PIP_CONSTRAINT": ""}
    env["CUSTOM_COMPILE_COMMAND"] = "make lock"
    options = ["--upgrade"] if upgrade else []
    options += ["--upgrade-package", upgrade_package] if upgrade_package else []
    for source, target in LOCKS.items():
        unsafe = ["--allow-unsafe"] if "bootstrap" in source else []  # pip and setuptools
        command = [
            PYTHON, "-m", "piptools", "compile", "--quiet", "--generate-hashes", "--strip-extras",
            "--no-emit-index-url", "--no-emit-find-links", "--index-url", "https://pypi.org/simple",
            *unsafe, *options, "--output-file", target, source,
        ]  # fmt: skip
        c.run(" ".join(map(shlex.quote, command)), env=env, pty=False)
    print("Locked; run make setup to install, and commit the .in and .txt files together.")


@task(help={"force": "replace a pre-commit hook we did not install (kept as a backup)"})
def install_hooks(c: Context, force: bool = False) -> None:
    """Install a git pre-commit hook that runs `make check` before every commit."""
    from tools.staff.hooks import HookError, install_pre_commit_hook

    try:
        print(install_pre_commit_hook(ROOT, force=force))
    except HookError as error:
        raise SystemExit(f"install-hooks: {error}") from None
