"""The plugin as another site uses it: installed with pip from its folder into a new virtual
environment with Pelican, then a brand-new site with Pelican's default theme, only standard
settings plus INFO_SESSIONS_TODAY, and one session file without a Program."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
from pathlib import Path

from icalendar import Calendar

from tests.sessions.helpers import page
from tools.build import PROJECT_ROOT

PLUGIN = PROJECT_ROOT / "plugins" / "info_sessions"
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


def pinned_versions() -> str:
    """The site's pins (``name==version`` lines of requirements.txt), as pip constraints, so
    the new environment gets the Pelican, icalendar and Markdown the site is tested with."""
    text = (PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8")
    return "".join(
        f"{name}=={version}\n"
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.M)
    )


def test_a_new_site_builds_its_sessions_with_the_installed_plugin(tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)  # nothing in it yet
    python = environment / "bin" / "python"
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(pinned_versions(), encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    install = subprocess.run(
        [*pip, "install", "--quiet", "--constraint", str(constraints), "pelican", str(PLUGIN)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]
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
