"""``pytest --external`` opts in to the tests marked ``external``; without it they never run."""

from __future__ import annotations

import subprocess
import sys

from tools.build import PROJECT_ROOT

LIVE_TEST = "tests/site/test_external_links.py::test_external_links_are_alive"


def _collect(*options: str) -> str:
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    command += [*options, "tests/site/test_external_links.py"]
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    return done.stdout + done.stderr


def test_external_tests_are_deselected_by_default() -> None:
    output = _collect()
    assert LIVE_TEST not in output
    assert "deselected" in output


def test_external_tests_are_collected_with_the_option() -> None:
    output = _collect("--external")
    assert f"{LIVE_TEST}\n" in output
