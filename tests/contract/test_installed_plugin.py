"""The plugin as another site uses it: installed with pip from its folder into a new virtual
environment with Pelican, then a brand-new site with Pelican's default theme, only standard
settings plus INFO_SESSIONS_TODAY, and one session file without a Program.

The new environment is made as ours is, hash-checked: pip and setuptools from
requirements-bootstrap.txt, then the plugin's dependencies (Pelican, icalendar, Markdown,
tzdata and everything they need) at the versions and SHA-256 hashes of our lock,
requirements.txt, with ``--require-hashes``; then the plugin's folder with ``--no-deps``, and
``pip check`` proves that its declared dependency ranges accept the locked versions.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from icalendar import Calendar
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.sessions.helpers import page
from tools.build import PROJECT_ROOT

PLUGIN = PROJECT_ROOT / "plugins" / "info_sessions"
LOCK = PROJECT_ROOT / "requirements.txt"
BOOTSTRAP = PROJECT_ROOT / "requirements-bootstrap.txt"
SETTINGS = """\
SITENAME = "Open Days"
SITEURL = "https://open-days.example.org"
TIMEZONE = "Europe/London"
PATH = "content"
PLUGINS = ["info_sessions"]
INFO_SESSIONS_TODAY = "2026-11-23"
"""
SESSION = """\
Title: Sample open evening
Format: hybrid
Start: 2027-01-14 18:00
Duration: 90m
Location: Sample Hall, 1 Example Street, London
Join-URL: https://example.org/join/open-evening

A sample session: meet the faculty and ask questions.
"""
_ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==\S+", re.M)


def locked_entries(text: str) -> dict[str, str]:
    """Each package of a pip-compile lock, by its canonical name: its ``name==version``
    line with its ``--hash`` lines (comments left out)."""
    starts = [(match.start(), match.group(1)) for match in _ENTRY.finditer(text)]
    entries = {}
    for (start, name), (end, _) in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        lines = [line for line in text[start:end].splitlines() if not line.strip().startswith("#")]
        entries[canonicalize_name(name)] = "\n".join(lines).rstrip(" \\\n") + "\n"
    return entries


def dependency_closure(requirements: list[str]) -> set[str]:
    """The canonical names of ``requirements`` and of everything they need, read from the
    metadata of the packages installed here (the same versions as the lock)."""
    environment = {**default_environment(), "extra": ""}
    wanted, found = [Requirement(text) for text in requirements], set()
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        if name in found or (requirement.marker and not requirement.marker.evaluate(environment)):
            continue
        found.add(name)
        wanted += [Requirement(text) for text in importlib.metadata.requires(name) or ()]
    return found


def plugin_lock(folder: Path) -> str:
    """The lock entries of the plugin's dependency closure, as a requirements file."""
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    entries = locked_entries(LOCK.read_text(encoding="utf-8"))
    names = dependency_closure(project["dependencies"])
    missing = names - set(entries)
    assert not missing, f"not in requirements.txt: {sorted(missing)}"
    path = folder / "plugin-lock.txt"
    path.write_text("".join(entries[name] for name in sorted(names)), encoding="utf-8")
    return str(path)


def test_lock_entries_are_read_whole() -> None:
    text = "# head\na==1.0 \\\n    --hash=sha256:x \\\n    --hash=sha256:y\n    # via b\nB_c==2\n"
    assert locked_entries(text) == {
        "a": "a==1.0 \\\n    --hash=sha256:x \\\n    --hash=sha256:y\n",
        "b-c": "B_c==2\n",
    }


def test_a_new_site_builds_its_sessions_with_the_installed_plugin(tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)  # nothing in it yet
    python = environment / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    for arguments in (
        ["--require-hashes", "--requirement", str(BOOTSTRAP)],
        ["--require-hashes", "--requirement", plugin_lock(tmp_path)],
        ["--no-deps", "--no-build-isolation", str(PLUGIN)],
    ):
        install = subprocess.run(
            [*pip, "install", "--quiet", *arguments], capture_output=True, text=True
        )
        assert install.returncode == 0, install.stderr[-3000:]
    check = subprocess.run([*pip, "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr  # the ranges take the lock
    site = tmp_path / "site"
    (site / "content" / "sessions").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    (site / "content" / "sessions" / "open-evening.md").write_text(SESSION, encoding="utf-8")
    pelican = str(environment / "bin" / "pelican")
    built = subprocess.run(
        [pelican, "content", "-s", "pelicanconf.py", "-o", "output", "--fatal", "warnings"],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    output = site / "output"

    # The session's page, from the plugin's own template in Pelican's default theme.
    soup = page(output, "sessions/open-evening")
    assert soup.select_one("article.info-session h1").get_text() == "Sample open evening"
    default_theme = "https://open-days.example.org/theme/css/main.css"
    assert soup.find("link", href=default_theme) is not None
    assert "Thursday 14 January 2027" in soup.get_text()
    assert soup.find("script", type="application/ld+json") is not None
    for link in ("calendar/sessions/open-evening.ics", "calendar.google.com"):
        assert any(link in a.get("href", "") for a in soup.find_all("a")), link

    # The feed of every session and the session's own .ics.
    feed = Calendar.from_ical((output / "calendar" / "all.ics").read_bytes())
    (event,) = feed.events
    assert str(event["UID"]) == "open-evening@open-days.example.org"
    assert str(event["SUMMARY"]) == "Sample open evening"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Info session", "Hybrid"]
    assert str(feed["X-WR-CALNAME"]) == "Info sessions (Open Days)"
    own = Calendar.from_ical((output / "calendar" / "sessions" / "open-evening.ics").read_bytes())
    assert [str(e["UID"]) for e in own.events] == ["open-evening@open-days.example.org"]
    assert "X-WR-CALNAME" not in own

    # The list, month, subscribe and past pages render with the default templates too.
    for url, heading in (
        ("sessions", "Info sessions"),
        ("sessions/calendar/2027-01", "Info sessions: January 2027"),
        ("sessions/subscribe", "Subscribe to info sessions"),
        ("sessions/past", "Past info sessions"),
    ):
        headings = [h1.get_text() for h1 in page(output, url).find_all("h1")]
        assert headings[-1] == heading, url
    listed = page(output, "sessions").find(
        "a", href="https://open-days.example.org/sessions/open-evening/"
    )
    assert listed is not None
