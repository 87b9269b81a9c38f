"""Time zones come from the pinned tzdata only.

zoneinfo looks in the system's zone folder before the tzdata package; the build empties that
search path and accepts only names tzdata provides: in session files, in news and page
headers, and in every zone setting (TIMEZONE, INFO_SESSIONS_DEFAULT_TIMEZONE). Two machines
whose system zone data differ build the same bytes.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
import sys
import zoneinfo
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pelican.plugins.info_sessions.zones import use_pinned_tzdata, zone_names, zone_problem

from tests.problems import without_lines
from tests.realsite import TEST_TODAY
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT, BuildError, build_site
from tools.staff.content import read_content

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal"
NEWS = Path(__file__).resolve().parents[1] / "data" / "programs" / "valid" / "news"
SESSION = "content/sessions/alpha-online.md"
MACHINE = (
    "means this computer's own time zone, so two machines would build different times; name "
    "the zone instead, e.g. 'America/New_York'"
)
PATH_LIKE = "is a file path, not a time zone name; use an IANA name such as 'America/New_York'"

BAD_NAMES = {
    "localtime": MACHINE,
    "posixrules": MACHINE,
    "Factory": MACHINE,
    "/etc/localtime": MACHINE,
    "../../etc/passwd": PATH_LIKE,
    "/usr/share/zoneinfo/Europe/London": PATH_LIKE,
    "Europe/../../../etc/passwd": PATH_LIKE,
    "Europe//London": PATH_LIKE,
    "Mars/Olympus": "unknown time zone; use an IANA name such as 'America/New_York' (the build "
    "knows only the zones of the pinned tzdata",
    "Europe/Londn": "unknown time zone; use an IANA name such as 'America/New_York' (did you "
    "mean 'Europe/London'?)",
}


def tzdata_file(name: str) -> bytes:
    return importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/")).read_bytes()


@pytest.fixture
def system_zone_folder(tmp_path: Path) -> Iterator[Path]:
    """A system zone folder with names tzdata lacks, set as zoneinfo's search path, as on a
    machine whose system data has them; the build must not use it."""
    folder = tmp_path / "zoneinfo"
    (folder / "Mars").mkdir(parents=True)
    (folder / "Mars" / "Olympus").write_bytes(tzdata_file("Asia/Tokyo"))
    (folder / "localtime").write_bytes(tzdata_file("Asia/Tokyo"))
    (folder / "posixrules").write_bytes(tzdata_file("Asia/Tokyo"))
    zoneinfo.reset_tzpath(to=[str(folder)])
    zoneinfo.ZoneInfo.clear_cache()
    assert zoneinfo.ZoneInfo("Mars/Olympus").key == "Mars/Olympus"  # the machine has it
    try:
        yield folder
    finally:
        use_pinned_tzdata()


def copy_site(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(SCENARIO, content)
    return content


def set_session_zone(content: Path, zone: str) -> None:
    file = content / "sessions" / "alpha-online.md"
    text = file.read_text().replace("Duration: 1h", f"Duration: 1h\nTimezone: {zone}")
    file.write_text(text)


def build(content: Path, **settings: object) -> Path:
    overrides = {"PATH": str(content), "SITE_TODAY": TEST_TODAY, **settings}
    return build_site(content.parent / "output", overrides=overrides).output


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_names_tzdata_does_not_provide_are_refused_with_the_reason(name: str) -> None:
    assert zone_problem(name).startswith(BAD_NAMES[name])


def test_every_tzdata_zone_is_accepted_but_factory() -> None:
    assert "Factory" not in zone_names() and len(zone_names()) > 500
    assert all(zone_problem(name) is None for name in zone_names())


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_a_session_timezone_tzdata_lacks_fails_the_build_and_make_check(
    tmp_path: Path, name: str, system_zone_folder: Path
) -> None:
    content = copy_site(tmp_path)
    set_session_zone(content, name)
    with pytest.raises(BuildError) as caught:
        build(content)
    expected = f"{SESSION}: Timezone: {name!r}: {BAD_NAMES[name]}"
    found = without_lines(caught.value)
    assert [p for p in found if p.startswith(expected)], found
    assert zoneinfo.TZPATH == ()  # the build pinned tzdata
    checked = read_content(content=content, today=TEST_TODAY)
    texts = [str(replace(problem, line=None)) for problem in checked.problems]
    assert [text for text in texts if text.startswith(expected)], texts


@pytest.mark.parametrize("setting", ["TIMEZONE", "INFO_SESSIONS_DEFAULT_TIMEZONE"])
@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "Mars/Olympus"])
def test_a_zone_setting_tzdata_lacks_fails_the_build(
    tmp_path: Path, setting: str, name: str, system_zone_folder: Path
) -> None:
    content = copy_site(tmp_path)
    with pytest.raises(BuildError) as caught:
        build(content, **{setting: name})
    expected = f"pelicanconf.py: {setting}: {name!r}: {BAD_NAMES[name]}"
    found = without_lines(caught.value)
    assert [p for p in found if p.startswith(expected)], found


@pytest.mark.parametrize("name", ["localtime", "Factory", "../../etc/passwd", "Mars/Olympus"])
def test_a_news_timezone_header_tzdata_lacks_fails_the_build(
    tmp_path: Path, name: str, system_zone_folder: Path
) -> None:
    """Pelican reads a Timezone header of news and pages as the zone of their dates."""
    content = copy_site(tmp_path)
    shutil.copytree(NEWS, content / "news")
    news = content / "news" / "launch.md"
    news.write_text(news.read_text().replace("Slug: launch", f"Slug: launch\nTimezone: {name}"))
    with pytest.raises(BuildError) as caught:
        build(content)
    expected = f"content/news/launch.md: Timezone: {name!r}: {BAD_NAMES[name]}"
    found = without_lines(caught.value)
    assert [p for p in found if p.startswith(expected)], found


BUILD_AND_REPORT = """
import json, sys, zoneinfo
from datetime import datetime
from pathlib import Path
before = datetime(2027, 1, 15, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York")).utcoffset()
from tools.build import build_site
build_site(Path(sys.argv[1]), overrides={"PATH": sys.argv[2], "SITE_TODAY": sys.argv[3]})
print(json.dumps({"offset_before_build": before.total_seconds()}))
"""


def build_in_a_process(output: Path, content: Path, tzpath: str | None) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONTZPATH"}
    if tzpath is not None:
        env["PYTHONTZPATH"] = tzpath
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "plugins")])
    result = subprocess.run(
        [sys.executable, "-c", BUILD_AND_REPORT, str(output), str(content), TEST_TODAY],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_machine_with_other_zone_data_builds_the_same_bytes(tmp_path: Path) -> None:
    """This machine's zone folder says New York is Tokyo: the build must not notice."""
    content = copy_site(tmp_path)
    wrong = tmp_path / "wrong-zoneinfo"
    (wrong / "America").mkdir(parents=True)
    (wrong / "America" / "New_York").write_bytes(tzdata_file("Asia/Tokyo"))
    (wrong / "UTC").write_bytes(tzdata_file("Asia/Tokyo"))
    plain = build_in_a_process(tmp_path / "plain", content, None)
    odd = build_in_a_process(tmp_path / "odd", content, str(wrong))
    assert plain["offset_before_build"] == -5 * 3600
    assert odd["offset_before_build"] == 9 * 3600  # the wrong data is really there
    assert tree_digest(tmp_path / "odd") == tree_digest(tmp_path / "plain")
