"""The problem for a TOML file that does not parse (curriculum files, figures.toml)."""

from __future__ import annotations

import re
import tomllib

from pelican.plugins.info_sessions.problems import Problem

# tomllib gives the place of a syntax error only inside its message (Python 3.11).
_AT = re.compile(r"\(at line (\d+), column \d+\)")


def toml_problem(text: str, path: str, error: tomllib.TOMLDecodeError) -> Problem:
    """``error`` as a Problem on its line, with that line as written."""
    found = _AT.search(str(error))
    line = int(found.group(1)) if found else None
    lines = text.splitlines()
    shown = lines[line - 1].strip() if line and line <= len(lines) else None
    return Problem(path, "(file)", shown, f"not valid TOML: {error}", line)
