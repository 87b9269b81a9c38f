"""`make serve` rebuilds in one process and keeps work between rebuilds: what it writes is
always what a fresh build of the same tree writes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from hashlib import sha256
from pathlib import Path

import pytest

from tests.realsite import TEST_TODAY
from tests.series.expected import session_files
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT, build_site, site_today, sync_tree
from tools.devserver import Rebuilder


@pytest.fixture
def site(tmp_path: Path, content_copy: Path) -> Iterator[dict[str, Path]]:
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    yield {"content": content_copy, "theme": theme, "output": tmp_path / "serve-output"}


def _overrides(site: dict[str, Path]) -> dict[str, object]:
    return {"PATH": str(site["content"]), "THEME": str(site["theme"]), **site_today(TEST_TODAY)}


def _fresh(site: dict[str, Path], tmp_path: Path, name: str) -> dict[str, bytes]:
    output = tmp_path / name
    build_site(output, overrides=_overrides(site))
    return tree_digest(output)


def _rebuilder(site: dict[str, Path], request: pytest.FixtureRequest) -> Rebuilder:
    """`make serve`'s rebuilds of the test site, closed when the test ends."""
    rebuild = Rebuilder(site["output"], PROJECT_ROOT / "pelicanconf.py", _overrides(site))
    request.addfinalizer(rebuild.close)
    return rebuild


def _set_field(path: Path, field: str, value: str) -> None:
    """Set a header field of a session file, adding it after the title if it is missing."""
    lines = path.read_text("utf-8").splitlines()
    if any(line.startswith(f"{field}:") for line in lines):
        lines = [f"{field}: {value}" if line.startswith(f"{field}:") else line for line in lines]
    else:
        lines.insert(1, f"{field}: {value}")
    path.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.mark.parametrize("through_scratch", [True, False], ids=["changed-files", "swap"])
def test_edits_between_rebuilds_give_what_a_fresh_build_gives(
    through_scratch: bool,
    site: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    scratch_parent = tmp_path / "memory" if through_scratch else None
    if scratch_parent is not None:
        scratch_parent.mkdir()
    rebuild = Rebuilder(
        site["output"], PROJECT_ROOT / "pelicanconf.py", _overrides(site), scratch_parent
    )
    request.addfinalizer(rebuild.close)
    assert (rebuild.scratch is not None) is through_scratch
    assert rebuild()
    if rebuild.scratch is not None:
        rebuild.kept.wait_for_removal()  # the build's folder in memory goes in the background
        assert list(rebuild.scratch.iterdir()) == []  # nothing left behind
    sessions = sorted((site["content"] / "sessions").glob("*.md"))
    moved, renamed, dropped = sessions[0], sessions[1], sessions[2]

    # Move and retitle one session, rename the file of another, delete a third, edit a template.
    _set_field(moved, "Title", "Sample: moved and retitled session")
    _set_field(moved, "Sequence", "3")
    for field in ("Start", "End"):  # one day later
        for line in moved.read_text("utf-8").splitlines():
            if line.startswith(f"{field}: "):
                when = datetime.strptime(line.split(": ", 1)[1], "%Y-%m-%d %H:%M")  # noqa: DTZ007
                _set_field(moved, field, f"{when + timedelta(days=1):%Y-%m-%d %H:%M}")
    renamed.rename(renamed.with_name("renamed-" + renamed.name))
    dropped.unlink()
    base = site["theme"] / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<p>Edited.</p></footer>"))
    assert rebuild()
    served = tree_digest(site["output"])
    assert served == _fresh(site, tmp_path, "fresh-1")
    page = (site["output"] / "sessions" / moved.stem / "index.html").read_text("utf-8")
    assert "Sample: moved and retitled session" in page
    feed = (site["output"] / "calendar" / "sessions" / f"{moved.stem}.ics").read_bytes()
    assert b"SEQUENCE:3" in feed
    assert f"sessions/{dropped.stem}/index.html" not in served
    assert "<p>Edited.</p>" in (site["output"] / "index.html").read_text("utf-8")

    # A broken file fails the rebuild and leaves the served site as it was; fixing it works.
    _set_field(moved, "Format", "in persn")
    assert not rebuild()
    assert "Format" in capsys.readouterr().out
    assert tree_digest(site["output"]) == served
    _set_field(moved, "Format", "in-person")
    assert rebuild()
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh-2")


def test_a_changed_plugin_setting_is_not_served_from_the_memo(
    site: dict[str, Path], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = PROJECT_ROOT / "pelicanconf.py"
    rebuild = Rebuilder(site["output"], settings, _overrides(site))
    request.addfinalizer(rebuild.close)
    assert rebuild()
    before = tree_digest(site["output"])
    rebuild.overrides["INFO_SESSIONS_UID_DOMAIN"] = "calendar.example.org"
    assert rebuild()
    after = tree_digest(site["output"])
    output = tmp_path / "fresh"
    build_site(
        output, overrides={**_overrides(site), "INFO_SESSIONS_UID_DOMAIN": "calendar.example.org"}
    )
    assert after == tree_digest(output)
    assert after != before
    assert b"@calendar.example.org" in (site["output"] / "calendar" / "all.ics").read_bytes()


def test_sync_writes_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    files = {
        "same.html": b"same",
        "changed.html": b"new",
        "a/new.ics": b"new file",
        "was-a-file/index.html": b"file became a folder",
        "was-a-folder": b"folder became a file",
    }
    for name, data in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    old = {
        "same.html": b"same",
        "changed.html": b"old",
        "gone.html": b"gone",
        "empty/gone.ics": b"gone",
        "was-a-file": b"x",
        "was-a-folder/index.html": b"x",
    }
    for name, data in old.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    untouched = (target / "same.html").stat().st_ino, (target / "same.html").stat().st_mtime_ns
    sync_tree(source, target)
    assert tree_digest(target) == {name: sha256(data).hexdigest() for name, data in files.items()}
    assert not (target / "empty").exists()
    same = (target / "same.html").stat()
    assert (same.st_ino, same.st_mtime_ns) == untouched
    assert not [p for p in target.rglob(".*")]  # no temporary files left


def _session_page(site: dict[str, Path], session: Path) -> str:
    return (site["output"] / "sessions" / session.stem / "index.html").read_text("utf-8")


def test_one_edit_renders_one_session_page_and_program_edits_render_them_all(
    site: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    rebuild = _rebuilder(site, request)
    assert rebuild()
    sessions = sorted((site["content"] / "sessions").glob("*.md"))
    count = len(session_files(site["content"] / "sessions"))  # a series' dates each
    assert f"session pages: {count} rendered, 0 unchanged" in capsys.readouterr().out

    _set_field(sessions[0], "Title", "Sample: a new title")
    assert rebuild()
    assert f"session pages: 1 rendered, {count - 1} unchanged" in capsys.readouterr().out
    assert "Sample: a new title" in _session_page(site, sessions[0])
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh-1")

    # A program's title shows on its sessions' pages: content outside the sessions folder
    # is an input of every session page.
    program_file = site["content"] / "programs" / "healthcare-quality-and-safety.md"
    text = program_file.read_text("utf-8")
    title = text.splitlines()[0].removeprefix("Title: ")
    program_file.write_text(text.replace(title, f"{title} (renamed)", 1), "utf-8")
    assert rebuild()
    assert f"session pages: {count} rendered, 0 unchanged" in capsys.readouterr().out
    pages = [_session_page(site, s) for s in session_files(site["content"] / "sessions")]
    assert any(f"{title} (renamed)" in page for page in pages)
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh-2")

    # Nothing changed: nothing is rendered again.
    assert rebuild()
    assert f"session pages: 0 rendered, {count} unchanged" in capsys.readouterr().out


def test_a_session_template_that_reads_other_sessions_renders_every_page(
    site: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    template = site["theme"] / "templates" / "sessions" / "session.html"
    template.write_text(
        template.read_text("utf-8").replace(
            "<h1>{{ item.title }}</h1>",
            "<h1>{{ item.title }}</h1><p>{{ info_sessions.upcoming | length }} upcoming</p>",
        ),
        "utf-8",
    )
    rebuild = _rebuilder(site, request)
    assert rebuild()
    sessions = sorted((site["content"] / "sessions").glob("*.md"))
    upcoming = [
        s
        for s in sessions
        if f"{s.stem}/" in (site["output"] / "sessions" / "index.html").read_text("utf-8")
    ]
    assert upcoming
    upcoming[0].unlink()  # every other page's count changes
    assert rebuild()
    count = len(session_files(site["content"] / "sessions"))  # a series' dates each
    assert f"session pages: {count} rendered, 0 unchanged" in capsys.readouterr().out
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh")


def _calendar_pages(out: str) -> tuple[int, int]:
    """(rendered, unchanged) calendar pages (lists, past, months...) of the last rebuild."""
    found = re.findall(r"calendar pages: (\d+) rendered, (\d+) unchanged", out)
    assert found, out
    rendered, unchanged = found[-1]
    return int(rendered), int(unchanged)


def test_calendar_pages_are_rendered_again_only_when_what_they_show_changes(
    site: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    rebuild = _rebuilder(site, request)
    assert rebuild()
    rendered, unchanged = _calendar_pages(capsys.readouterr().out)
    assert unchanged == 0
    total = rendered

    # Nothing changed: only pages whose templates read every session (the subscribe page's
    # feeds) are rendered again.
    assert rebuild()
    always, unchanged = _calendar_pages(capsys.readouterr().out)
    assert always + unchanged == total
    assert always < 3

    # One session edited: the lists and months that hold it, not the others.
    listed = (site["output"] / "sessions" / "index.html").read_text("utf-8")
    sessions = sorted((site["content"] / "sessions").glob("*.md"))
    edited = next(s for s in sessions if f"/sessions/{s.stem}/" in listed)
    _set_field(edited, "Title", "Sample: a retitled session")
    assert rebuild()
    rendered, unchanged = _calendar_pages(capsys.readouterr().out)
    assert always < rendered < total / 2
    assert "Sample: a retitled session" in (site["output"] / "sessions" / "index.html").read_text(
        "utf-8"
    )
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh-1")

    # A list template edited: every list page is rendered with it.
    template = site["theme"] / "templates" / "sessions" / "list.html"
    template.write_text(
        template.read_text("utf-8").replace(
            "<h1>{{ page_title }}</h1>", "<h1>{{ page_title }}!</h1>"
        )
    )
    assert rebuild()
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh-2")
    for listing in ("sessions/index.html", "sessions/online/index.html"):
        assert "!</h1>" in (site["output"] / listing).read_text("utf-8")

    # A month template that reads every session: its pages are rendered every time, so a
    # session gone changes every one of them.
    month = site["theme"] / "templates" / "sessions" / "month.html"
    month.write_text(
        month.read_text("utf-8").replace(
            "<h1>Info sessions: {{ grid.label }}</h1>",
            "<h1>Info sessions: {{ grid.label }}</h1><p>{{ info_sessions.upcoming | length }}</p>",
        )
    )
    assert rebuild()
    capsys.readouterr()
    edited.unlink()
    assert rebuild()
    rendered, _ = _calendar_pages(capsys.readouterr().out)
    months = len(list((site["output"] / "sessions" / "calendar").rglob("index.html")))
    assert rendered >= months > 1
    assert tree_digest(site["output"]) == _fresh(site, tmp_path, "fresh-3")
