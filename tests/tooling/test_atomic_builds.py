"""Builds stay atomic under every fault: a build killed at each delicate point, two builds at
once, and writes that fail (a full disk) in `make build` and in `make serve`'s rebuilds.

Real build processes are killed with SIGKILL at the points the build's test seam
(``HQ_BUILD_TEST_PAUSE``) stops them at; the full disk is a failing writer in-process and,
in a real `make serve` process, a file-size limit (RLIMIT_FSIZE) set on it while it runs.
"""

from __future__ import annotations

import errno
import os
import queue
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import tools.build
from tests.realsite import TEST_TODAY
from tests.trees import tree_digest
from tools.build import PROJECT_ROOT, build_site
from tools.devserver import SHARED_MEMORY, Rebuilder, has_room_for_builds

BUILD = """\
import sys
from pathlib import Path
from tools.build import BuildError, build_site
try:
    build_site(Path(sys.argv[1]), overrides={"PATH": sys.argv[2], "SITE_TODAY": sys.argv[3]})
except BuildError as error:
    print(f"failed: {error}")
    sys.exit(1)
print("built")
"""
MARK = "Sample marker text of the new build."


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HQ_BUILD_TEST_PAUSE")}
    return {**env, **extra}


def _start(output: Path, content: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", BUILD, str(output), str(content), TEST_TODAY],
        cwd=PROJECT_ROOT,
        env=_environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(stream, pattern: str, timeout: float = 120) -> str:
    """Read lines from ``stream`` until one matches ``pattern``; return it."""
    found: list[str] = []
    seen: list[str] = []

    def read() -> None:
        for line in stream:
            if re.search(pattern, line):
                found.append(line)
                return
            seen.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    assert found, f"no line matching {pattern!r} within {timeout} s; read: {''.join(seen)}"
    return found[0]


def _leftovers(output: Path) -> list[str]:
    """What builds left beside ``output``, other than the lock and the source map."""
    keep = {f".{output.name}.lock", f"{output.name}.sources.json", output.name}
    return sorted(
        p.name for p in output.parent.iterdir() if p.name not in keep and output.name in p.name
    )


@pytest.fixture
def two_versions(tmp_path: Path, content_copy: Path) -> tuple[Path, Path, dict, Path]:
    """(output built from the content, the content changed since, that build's digest,
    a second copy of the content with an error in it)."""
    output = tmp_path / "out"
    build_site(output, overrides={"PATH": str(content_copy), "SITE_TODAY": TEST_TODAY})
    before = tree_digest(output)
    about = content_copy / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + f"\n{MARK}\n", "utf-8")
    broken = tmp_path / "broken-content"
    shutil.copytree(content_copy, broken)
    program = next((broken / "programs").glob("*.md"))
    program.write_text(program.read_text("utf-8").replace("Institution:", "Instituton:", 1))
    return output, content_copy, before, broken


@pytest.mark.parametrize("step", ["before-swap", "after-swap", "between-renames"])
def test_a_build_killed_at_any_step_leaves_a_whole_site_or_one_the_next_build_restores(
    two_versions: tuple[Path, Path, dict, Path], step: str
) -> None:
    output, content, before, broken = two_versions
    build = _start(output, content, HQ_BUILD_TEST_PAUSE=step)
    _wait_for(build.stderr, f"paused at {step}")
    build.send_signal(signal.SIGKILL)
    build.wait(30)
    if step == "before-swap":
        assert tree_digest(output) == before  # the old site, whole
    elif step == "after-swap":
        assert MARK in (output / "about" / "index.html").read_text("utf-8")  # the new, whole
    else:  # the two-rename swap, where the system cannot exchange: only a rename away
        assert not output.exists()
        assert [n for n in _leftovers(output) if n.startswith(".out.old-")]
    assert _leftovers(output), "the killed build left its folders behind"

    # The next build, even a failing one, repairs: the previous site is back, nothing left.
    failed = _start(output, broken)
    _, errors = failed.communicate(timeout=120)
    assert failed.returncode == 1
    if step == "between-renames":
        assert "was missing after a build that was stopped; restored the previous site" in errors
        assert tree_digest(output) == before
    assert _leftovers(output) == []

    rebuilt = _start(output, content)
    printed, errors = rebuilt.communicate(timeout=120)
    assert rebuilt.returncode == 0, printed + errors
    assert MARK in (output / "about" / "index.html").read_text("utf-8")
    assert _leftovers(output) == []


def test_a_second_build_waits_for_the_first_and_says_so(
    two_versions: tuple[Path, Path, dict, Path], tmp_path: Path
) -> None:
    output, content, _, _ = two_versions
    first = _start(
        output, content, HQ_BUILD_TEST_PAUSE="before-swap", HQ_BUILD_TEST_PAUSE_SECONDS="3"
    )
    _wait_for(first.stderr, "paused at before-swap")
    second = _start(output, content)
    line = _wait_for(second.stderr, "another build")
    assert line.strip() == (
        f"build: another build of {output} is running (process {first.pid}); waiting for it "
        "to finish"
    )
    assert second.poll() is None  # still waiting
    assert first.wait(120) == 0
    printed, _ = second.communicate(timeout=120)
    assert second.returncode == 0 and printed.strip().endswith("built")
    assert _leftovers(output) == []
    fresh = tmp_path / "fresh"
    build_site(fresh, overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY})
    assert tree_digest(output) == tree_digest(fresh)


def test_a_waiting_build_takes_over_when_the_first_is_killed(
    two_versions: tuple[Path, Path, dict, Path],
) -> None:
    output, content, _, _ = two_versions
    first = _start(output, content, HQ_BUILD_TEST_PAUSE="between-renames")
    _wait_for(first.stderr, "paused at between-renames")
    second = _start(output, content)
    _wait_for(second.stderr, "another build")
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    printed, errors = second.communicate(timeout=120)
    assert second.returncode == 0, printed + errors
    assert "restored the previous site" in errors
    assert MARK in (output / "about" / "index.html").read_text("utf-8")
    assert _leftovers(output) == []


@pytest.mark.parametrize(
    "name", [".out.building-x1/index.html", ".out.old-1-x2/a", ".out.sync-1-x3/0", ".out.lock"]
)
def test_what_builds_leave_beside_output_is_ignored_by_git(name: str) -> None:
    """The project's .gitignore covers these names beside its output/ folder."""
    if subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "rev-parse"], capture_output=True
    ).returncode:
        pytest.skip("the project is not a git work tree")
    path = name.replace(".out.", ".output.", 1)
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "check-ignore", "--no-index", "-q", path],
        capture_output=True,
    )
    assert result.returncode == 0, f"{path} is not ignored by .gitignore"


# -- a full disk ------------------------------------------------------------------------------


@pytest.fixture
def served_site(tmp_path: Path, content_copy: Path) -> dict[str, Path]:
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT_ROOT / "theme", theme)
    return {"content": content_copy, "theme": theme, "output": tmp_path / "serve-output"}


def test_a_full_disk_while_serve_writes_changed_files_leaves_the_served_site_whole(
    served_site: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The rebuild through memory writes changed files into output/: the disk fills after
    three of them. Nothing of the new build may be in output/ then."""
    memory = tmp_path / "memory"
    memory.mkdir()
    overrides = {
        "PATH": str(served_site["content"]),
        "THEME": str(served_site["theme"]),
        "SITE_TODAY": TEST_TODAY,
    }
    output = served_site["output"]
    with Rebuilder(output, PROJECT_ROOT / "pelicanconf.py", overrides, memory) as rebuild:
        assert rebuild.scratch is not None
        assert rebuild()
        before = tree_digest(output)
        base = served_site["theme"] / "templates" / "base.html"
        base.write_text(base.read_text("utf-8").replace("</footer>", "<p>Edited.</p></footer>"))
        written: list[str] = []
        real_write = tools.build._write_bytes

        def fill_up(path: str, data: bytes) -> None:
            if len(written) == 3:
                raise OSError(errno.ENOSPC, "No space left on device", path)
            written.append(path)
            real_write(path, data)

        monkeypatch.setattr(tools.build, "_write_bytes", fill_up)
        capsys.readouterr()
        assert rebuild() is False
        shown = capsys.readouterr().out
        assert "serve: build failed, still serving the previous site (1 problem(s)):" in shown
        assert "error: the disk is full (" in shown and "No space left on device" in shown
        assert tree_digest(output) == before  # whole, and old
        assert _leftovers(output) == []
        monkeypatch.setattr(tools.build, "_write_bytes", real_write)
        assert rebuild()  # the same process goes on once there is room again
        assert b"<p>Edited.</p>" in (output / "index.html").read_bytes()


class Lines:
    """Every line a process prints, read by one thread, waited for by pattern."""

    def __init__(self, stream) -> None:
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self._lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 120) -> str | None:
        """The next line matching ``pattern`` within ``timeout`` s, else None."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        return None


def _edit_until_seen(lines: Lines, path: Path, text: str) -> None:
    """Replace ``path`` until the server says it saw the change (its watcher starts just
    after it prints its address, so a change made at once can come too early)."""
    for _ in range(30):
        _replace(path, text)
        if lines.wait_for(rf"^serve: changed .*{re.escape(path.name)}", timeout=1.0):
            return
    pytest.fail(f"the server never saw the change; it printed: {''.join(lines.seen)}")


def _replace(path: Path, text: str) -> None:
    """Change ``path`` in one step (as editors save), so the watcher never sees half of it."""
    temporary = path.parents[2] / f".{path.name}.new"  # outside the watched folders
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.read()


@pytest.fixture
def serve_process(
    request: pytest.FixtureRequest, tmp_path: Path, content_copy: Path
) -> Iterator[tuple[subprocess.Popen[str], Path, Path, str]]:
    """A real `make serve` (serve_forever) on a copy of the project, in memory or swapping."""
    in_memory = request.param == "memory"
    if in_memory and not has_room_for_builds(SHARED_MEMORY):
        pytest.skip(f"{SHARED_MEMORY} has less than 512 MB free, so serve swaps folders")
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pelicanconf.py",):
        shutil.copy2(PROJECT_ROOT / name, root / name)
    for name in ("theme", "plugins"):
        shutil.copytree(
            PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copytree(content_copy, root / "content")
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/plugins']\n"
        "from pathlib import Path\n"
        "from tools.devserver import SHARED_MEMORY, serve_forever\n"
        "scratch = SHARED_MEMORY if sys.argv[3] == 'memory' else None\n"
        "serve_forever(Path(sys.argv[2]), Path(sys.argv[2]) / 'output', '127.0.0.1', 0, scratch)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", script, str(PROJECT_ROOT), str(root), request.param],
        cwd=root,
        env={**os.environ, "SITE_TODAY": TEST_TODAY},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = Lines(process.stdout)
    line = lines.wait_for(r"^serve: http://")
    assert line, "".join(lines.seen)
    base = line.split()[1].rstrip("/")
    yield process, lines, root, base
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.parametrize("serve_process", ["memory", "swap"], indirect=True)
def test_serve_survives_a_write_that_fails_and_keeps_serving_the_whole_old_site(
    serve_process: tuple[subprocess.Popen[str], Lines, Path, str],
) -> None:
    """A file-size limit set on the running server makes its next rebuild's big write fail
    (EFBIG; Python ignores SIGXFSZ), as a full disk would: the rebuild fails, the old site is
    still served whole, and the server goes on to the next rebuild."""
    process, lines, root, base = serve_process
    output = root / "output"
    before = tree_digest(output)
    largest = max(p.stat().st_size for p in output.rglob("*") if p.is_file())
    limit = largest * 2 + 65536
    resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    about = root / "content" / "pages" / "about.md"
    original = about.read_text("utf-8")
    _edit_until_seen(lines, about, original + "\n" + ("A long paragraph of text. " * 20) * 1000)
    failed = lines.wait_for(r"^serve: (build failed, still serving the previous site|rebuilt)")
    assert failed and "build failed" in failed, "".join(lines.seen)
    problem = lines.wait_for(r"^  error: ")
    assert problem and "could not write the site" in problem and "File too large" in problem
    assert process.poll() is None  # still running
    assert tree_digest(output) == before
    assert b"A long paragraph" not in _fetch(f"{base}/about/")
    _edit_until_seen(lines, about, original + f"\n{MARK}\n")
    assert lines.wait_for(r"^serve: rebuilt in "), "".join(lines.seen)
    assert MARK.encode() in _fetch(f"{base}/about/")
    assert _leftovers(output) == []


def test_serve_removes_memory_folders_that_killed_servers_left(tmp_path: Path) -> None:
    memory = tmp_path / "memory"
    memory.mkdir()
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead = memory / f"hq-serve-{ended.stdout.strip()}-abc"
    alive = memory / f"hq-serve-{os.getpid()}-def"
    for folder in (dead, alive):
        (folder / ".output.building-x").mkdir(parents=True)
    with Rebuilder(tmp_path / "out", PROJECT_ROOT / "pelicanconf.py", {}, memory) as rebuild:
        assert rebuild.scratch is not None and rebuild.scratch.parent == memory
        assert not dead.exists()
        assert alive.exists()
