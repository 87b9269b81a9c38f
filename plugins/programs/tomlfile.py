"""TOML content files (curriculum files, figures.toml): parsed in one place, and the problem
for one that does not parse."""

from __future__ import annotations

import re
import tomllib

from pelican.plugins.info_sessions.problems import ContentError, Problem

# tomllib gives the place of a syntax error only inside its message (Python 3.11).
_AT = re.compile(r"\(at line (\d+), column \d+\)")


def toml_problem(text: str, path: str, error: tomllib.TOMLDecodeError) -> Problem:
    """``error`` as a Problem on its line, with that line as written."""
    found = _AT.search(str(error))
    line = int(found.group(1)) if found else None
    lines = text.splitlines()
    shown = lines[line - 1].strip() if line and line <= len(lines) else None
    return Problem(path, "(file)", shown, f"not valid TOML: {error}", line)


def load_toml(text: str, path: str) -> dict:
    """``text`` parsed as TOML; raise ContentError with the problem when it does not parse,
    holds an integer too long for Python to read (over 4,300 digits) or is nested too deeply
    for the parser."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ContentError([toml_problem(text, path, error)]) from error
    except ValueError as error:  # int() refuses a number of over 4,300 digits
        fix = "holds a number of more than 4,300 digits; write numbers of a few digits"
        raise ContentError([Problem(path, "(file)", None, fix)]) from error
    except RecursionError as error:
        fix = "not valid TOML here: arrays or tables nested too deeply; nest them a few levels"
        raise ContentError([Problem(path, "(file)", None, fix)]) from error
