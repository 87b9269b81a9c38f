"""TOML content files (curriculum files, figures.toml): parsed in one place, their values read
by one typed reader, and the problem for one that does not parse."""

from __future__ import annotations

import re
import tomllib
from typing import Any

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


class TypedValues:
    """The one typed reader of a TOML content file's values (curriculum files,
    figures.toml): each method reads one key of one table as the type it must have (a
    string, a list of tables, a list of strings) and records a problem in ``found``, naming
    the key (``where`` names its table, e.g. "courses[1]") and the value, for any other
    type."""

    def __init__(self, path: str) -> None:
        """A reader of the file shown as ``path``."""
        self.path = path
        self.found: list[Problem] = []

    def add(self, where: str, key: str, value: object, fix: str) -> None:
        """Record the problem of ``key`` in table ``where``."""
        self.found.append(Problem(self.path, f"{where}.{key}" if where else key, value, fix))

    def text(self, where: str, data: dict[str, Any], key: str, default: str | None = None) -> str:
        """The string ``key`` ("" and a problem when it is missing without a default, or is
        not a string)."""
        value = data.get(key, default)
        if value is None:
            self.add(where, key, None, f'required; add `{key} = "..."`')
            return ""
        if not isinstance(value, str):
            self.add(where, key, value, "must be a string")
            return ""
        return value

    def tables(self, where: str, data: dict[str, Any], key: str) -> list[tuple[str, dict]]:
        """The tables of the array ``key`` (``[[key]]``), each with its place, e.g.
        ("courses[1]", {...}); a value of another type, or an item that is not a table, is
        a problem."""
        value = data.get(key, [])
        name = f"{where}.{key}" if where else key
        header = re.sub(r"\[[0-9]+\]", "", name)  # how TOML writes the table: [[a.b]]
        if not isinstance(value, list):
            self.add(where, key, value, f"must be a list of tables, written as [[{header}]]")
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{name}[{index}]", item))
            else:
                self.add(where, f"{key}[{index}]", item, f"must be a table ([[{header}]])")
        return found

    def strings(self, where: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
        """The list of strings ``key`` (empty when it is left out)."""
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.add(where, key, value, 'must be a list of strings, e.g. ["...", "..."]')
            return ()
        return tuple(value)
