"""Valid HTML: the current Nu HTML checker (vnu.jar from the npm package vnu-jar) over every page.

vnu runs once per session over every built page (one JVM start), with a canary page that has
known errors in the same run, so a checker that silently reports nothing cannot pass. Each page
then gets its own test listing its errors with line and column. vnu.jar is fetched by
tools/fetch_vnu.py (pinned version, sha512-verified) into .cache/vnu/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.harness import ShippedSite, require
from tools.fetch_vnu import FetchError, ensure_vnu

# A page with two errors every HTML checker knows: an unclosed element and a stray end tag.
CANARY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head>
<body><p>Unclosed <span>element</p></div></body></html>
"""
VNU_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class VnuRun:
    """vnu's error messages for each checked file (absent: no errors)."""

    version: str
    errors: dict[Path, list[dict]]
    canary: Path


def run_vnu(java: str, jar: Path, files: list[Path]) -> tuple[str, dict[Path, list[dict]]]:
    """Check ``files`` in one vnu run; return its version and the error messages per file."""
    command = [java, "-jar", str(jar), "--format", "json", "--errors-only", "--stdout"]
    result = subprocess.run(
        [*command, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT_SECONDS,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(
            f"vnu exited {result.returncode} without a JSON report:\n{result.stdout}\n"
            f"{result.stderr}"
        ) from error
    errors: dict[Path, list[dict]] = {}
    for message in report.get("messages", []):
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else Path("?")
        errors.setdefault(path.resolve(), []).append(message)
    return report.get("version", "?"), errors


@pytest.fixture(scope="module")
def vnu(site: ShippedSite, tmp_path_factory: pytest.TempPathFactory) -> VnuRun:
    """One vnu run over every built page and the canary."""
    java = shutil.which("java")
    require(
        java is not None,
        "Java (needed by the Nu HTML checker)",
        "install it with `apt-get install default-jre-headless` (.ci/run does this in CI)",
    )
    try:
        jar = ensure_vnu()
    except FetchError as error:
        pytest.fail(f"{error}\nFetch it once with: python tools/fetch_vnu.py", pytrace=False)
    canary = tmp_path_factory.mktemp("vnu-canary") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    files = [site.file(path) for path in site.pages]
    version, errors = run_vnu(java, jar, [*files, canary])
    return VnuRun(version, errors, canary.resolve())


def test_vnu_reports_errors_it_finds(vnu: VnuRun) -> None:
    """The canary's errors come back attributed to it: the checker really ran and we read it."""
    found = vnu.errors.get(vnu.canary, [])
    assert len(found) >= 2, f"vnu {vnu.version} reported {found!r} for a page with two errors"
    assert all(message.get("type") == "error" for message in found)


def test_page_is_valid_html(vnu: VnuRun, site: ShippedSite, page_path: str) -> None:
    """The Nu HTML checker finds no error on the page."""
    file = site.file(page_path).resolve()
    messages = vnu.errors.get(file, [])
    lines = [
        f"line {m.get('lastLine', '?')}, column {m.get('firstColumn', '?')}: {m.get('message')}"
        f"\n      {m.get('extract', '').strip()!r}"
        for m in messages
    ]
    assert not messages, f"{page_path}: vnu {vnu.version} found {len(messages)} error(s):\n  " + (
        "\n  ".join(lines)
    )


def test_no_error_outside_the_pages(vnu: VnuRun, site: ShippedSite) -> None:
    """Every vnu message belongs to a page we checked or the canary (nothing unattributed)."""
    known = {site.file(path).resolve() for path in site.pages} | {vnu.canary}
    stray = {str(path): messages for path, messages in vnu.errors.items() if path not in known}
    assert not stray, f"vnu messages not attributed to a checked page: {stray}"
