"""Atomic builds: a failed build leaves the previous output byte for byte as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.problems import messages
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT, BuildError, build_site, source_map_path


def test_failed_build_leaves_previous_output_untouched(build, content_copy: Path) -> None:
    output = build(content=content_copy)
    before = tree_digest(output)
    program = next((content_copy / "programs").glob("*.md"))
    program.write_text(program.read_text().replace("Institution:", "Instituton:", 1))
    with pytest.raises(BuildError) as caught:
        build(content=content_copy, output=output)
    assert any("Instituton" in problem for problem in messages(caught.value))
    assert tree_digest(output) == before
    leftovers = [p.name for p in output.parent.iterdir() if "building" in p.name]
    assert leftovers == []


def test_rebuild_of_same_tree_is_byte_identical(built_site: Path, build) -> None:
    second = build()
    assert tree_digest(second) == tree_digest(built_site)


def test_source_map_names_markdown_sources(built_site: Path) -> None:
    import json

    mapping = json.loads(source_map_path(built_site).read_text())
    assert mapping["about/index.html"] == "content/pages/about.md"
    assert mapping["programs/clinical-service-operations/index.html"] == (
        "content/programs/clinical-service-operations.md"
    )


def test_logged_warnings_fail_the_build(tmp_path: Path, content_copy: Path) -> None:
    page = content_copy / "pages" / "about.md"
    page.write_text(page.read_text() + "\n[broken]({filename}/no-such-file.md)\n")
    with pytest.raises(BuildError) as caught:
        build_site(tmp_path / "out", overrides={"PATH": str(content_copy)})
    assert any("no-such-file.md" in problem for problem in messages(caught.value))
    assert not (tmp_path / "out").exists()


def test_a_warning_fails_every_build_of_one_process(tmp_path: Path, content_copy: Path) -> None:
    """Pelican drops a warning it has logged before anywhere in the process; `make serve`
    rebuilds in one process, so the same broken link must fail the second build too."""
    page = content_copy / "pages" / "about.md"
    page.write_text(page.read_text() + "\n[broken]({filename}/still-no-such-file.md)\n")
    for attempt in ("first", "second"):
        with pytest.raises(BuildError) as caught:
            build_site(tmp_path / attempt, overrides={"PATH": str(content_copy)})
        assert any("still-no-such-file.md" in problem for problem in messages(caught.value))


def test_build_works_in_a_plain_process_like_make_build(tmp_path: Path) -> None:
    """Outside pytest's pythonpath, as `make build` runs: every plugin must still import."""
    import os
    import subprocess
    import sys

    from tools.build import PROJECT_ROOT

    script = (
        "import sys; from pathlib import Path; from tools.build import build_site, site_today; "
        "build_site(Path(sys.argv[1]), overrides=site_today('2026-11-23'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "out")],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out" / "programs" / "index.html").is_file()


def test_kept_templates_never_outlive_an_edit(build, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    cache = tmp_path / "templates-cache"
    settings = {"THEME": str(theme), "SITE_TEMPLATE_CACHE": str(cache)}
    first = build(output=tmp_path / "first", **settings)
    assert any(cache.iterdir())  # the compiled templates are kept
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- edited --></body>"))
    second = build(output=tmp_path / "second", **settings)
    page = "sessions/index.html"
    assert "<!-- edited -->" not in (first / page).read_text("utf-8")
    assert "<!-- edited -->" in (second / page).read_text("utf-8")
    third = build(output=tmp_path / "third", **{**settings, "SITE_TEMPLATE_CACHE": ""})
    assert tree_digest(third) == tree_digest(second)  # kept or compiled afresh: same bytes
