"""Reproducible builds of small sites: the same tree and "today" give the same bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

from tests.browser.harness import require
from tests.realsite import TEST_TODAY as TODAY
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT, build_site, site_today

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "sessions" / "valid"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_site_without_news_builds_byte_identical_twice(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    assert not (content / "news").exists()
    overrides = {"PATH": str(content), **site_today("2026-11-23")}
    first = build_site(tmp_path / "first", overrides=overrides).output
    second = build_site(tmp_path / "second", overrides=overrides).output
    assert tree_digest(first) == tree_digest(second)
    feed = ElementTree.parse(first / "feeds" / "news.atom.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == []
    # Midnight at the start of SITE_TODAY in the site's zone (America/New_York, EST).
    assert feed.findtext(f"{ATOM}updated") == "2026-11-23T00:00:00-05:00"


def test_the_empty_feed_follows_site_today(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    output = build_site(
        tmp_path / "out", overrides={"PATH": str(content), **site_today("2027-07-04")}
    ).output
    feed = ElementTree.parse(output / "feeds" / "news.atom.xml").getroot()
    assert feed.findtext(f"{ATOM}updated") == "2027-07-04T00:00:00-04:00"


BUILD_IN_PROCESS = """
import sys
from pathlib import Path
from tools.build import build_site, site_today
build_site(Path(sys.argv[1]), overrides={"PATH": sys.argv[2], **site_today(sys.argv[3])})
"""


def _german_locale(folder: Path) -> dict[str, str]:
    """The environment of a machine set to German (a locale compiled into ``folder``)."""
    require(
        shutil.which("localedef") is not None and Path("/usr/share/i18n/locales/de_DE").is_file(),
        "glibc's localedef and its locale sources",
        "install them with `apt-get install locales` (.ci/run does this in CI)",
    )
    made = subprocess.run(
        ["localedef", "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr  # localedef and glibc's locale sources
    return {**os.environ, "LOCPATH": str(folder), "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"}


def test_the_machine_locale_changes_no_byte(tmp_path: Path) -> None:
    """Pelican sets the process locale from LOCALE (default: the machine's); month and day
    names, on session pages, month pages, lists and feeds alike, are English whatever it is."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    german = _german_locale(tmp_path)
    for name, environment in (("c", {**os.environ, "LC_ALL": "C.UTF-8"}), ("de", german)):
        built = subprocess.run(
            [sys.executable, "-c", BUILD_IN_PROCESS, str(tmp_path / name), str(content), TODAY],
            cwd=PROJECT_ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert built.returncode == 0, built.stderr[-3000:]
    assert "Dezember" not in (tmp_path / "de" / "sessions" / "index.html").read_text("utf-8")
    assert tree_digest(tmp_path / "de") == tree_digest(tmp_path / "c")
