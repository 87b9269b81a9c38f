"""Pelican's writer, confined: nothing is written outside the output folder.

Pelican's own guard compares path prefixes, so an output folder ``out`` lets
``../out-old/x.html`` through; content_guard's writer compares whole path parts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Template
from pelican.plugins.info_sessions.problems import ContentError, Problem
from pelican.settings import DEFAULT_CONFIG

from content_guard.writer import CHECK_ONLY, ConfinedWriter


@pytest.mark.parametrize("name", ["../x.html", "../out-old/x.html", "/tmp/x.html", "a/../../x"])
def test_a_page_outside_the_output_folder_is_refused(tmp_path: Path, name: str) -> None:
    output = tmp_path / "out"
    output.mkdir()
    (tmp_path / "out-old").mkdir()
    writer = ConfinedWriter(str(output), settings=dict(DEFAULT_CONFIG))
    with pytest.raises(ContentError) as caught:
        writer.write_file(name, Template("x"), {"localsiteurl": ""})
    assert caught.value.problems == (
        Problem(
            "(output)",
            "(file)",
            name,
            "would be written outside the output folder; check the Save_as, Slug or "
            "*_SAVE_AS setting that names it",
        ),
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out", "out-old"]


def test_a_page_inside_is_written(tmp_path: Path) -> None:
    writer = ConfinedWriter(str(tmp_path), settings=dict(DEFAULT_CONFIG))
    writer.write_file("a/b/index.html", Template("hello"), {"localsiteurl": ""})
    assert (tmp_path / "a" / "b" / "index.html").read_text() == "hello"


def test_in_check_only_mode_nothing_is_written_and_escapes_are_still_refused(
    tmp_path: Path,
) -> None:
    """make check's writer: where each page would go is checked, nothing is written."""
    writer = ConfinedWriter(str(tmp_path), settings={**DEFAULT_CONFIG, CHECK_ONLY: True})
    writer.write_file("a/b/index.html", Template("hello"), {"localsiteurl": ""})
    with pytest.raises(ContentError):
        writer.write_file("../x.html", Template("x"), {"localsiteurl": ""})
    assert list(tmp_path.iterdir()) == []
