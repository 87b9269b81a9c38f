"""A build in a new Python process, for tests that need the plugins a settings file names
and no others.

Pelican's plugins connect module-level functions to process-wide signals, so a plugin that
one build of a pytest session registered stays connected for every later build of that
session, whatever its PLUGINS. A test about a site without some plugin builds here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.build import PROJECT_ROOT

BUILD = """
import json, sys
from pathlib import Path
from pelican.plugins.info_sessions.problems import Problem
from tools.build import BuildError, build_site
settings_file, output, overrides = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
try:
    build_site(output, settings_file=settings_file, overrides=overrides)
except BuildError as error:
    print(json.dumps([
        [p.path, p.field, str(p)] if isinstance(p, Problem) else [None, None, str(p)]
        for p in error.problems
    ]))
    sys.exit(1)
print("[]")
"""


@dataclass(frozen=True)
class Built:
    """What a build in a new process did: whether it succeeded, and every problem as
    (path, field, text); path and field are None for a logged message."""

    ok: bool
    problems: list[tuple[str | None, str | None, str]]


def build_in_a_new_process(
    output: Path,
    *,
    settings_file: Path = PROJECT_ROOT / "pelicanconf.py",
    overrides: dict[str, object] | None = None,
    timeout: float = 300,
) -> Built:
    """Build with ``settings_file`` and ``overrides`` into ``output`` in a new process."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            BUILD,
            str(settings_file),
            str(output),
            json.dumps(overrides or {}),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode in (0, 1) and lines, result.stderr[-3000:]
    found = [(path, field, text) for path, field, text in json.loads(lines[-1])]
    return Built(ok=result.returncode == 0, problems=found)
