"""Nothing outside content/ is read, and nothing outside the output folder is written.

Each kind of escape is a real build of a small site (programs with a curriculum, a quote,
news, a page and a session) with a secret beside it, outside content/. Every build must
fail with an error naming the file and the field (or the link), leave no output folder,
change nothing outside it (the whole folder around the site is compared before and after),
and never show the secret, nor anything of /proc/self/environ. ``make check`` (read_content)
gives the same verdict on the same content.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pelican.plugins.info_sessions.problems import Problem

from tests.fresh import build_in_a_new_process
from tests.realsite import TEST_TODAY
from tools.build import PROJECT_ROOT, BuildError, KeptBetweenBuilds, build_site, load_settings
from tools.staff.content import read_content

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "programs" / "valid"
SESSION = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal" / "sessions"
CANARY = "CANARY-4f1c9e-OUTSIDE-CONTENT"
SECRET_ARTICLE = f"Title: Leaked {CANARY}\nDate: 2026-01-01\n\n{CANARY} body\n"
SECRET_SESSION = (
    (SESSION / "alpha-online.md").read_text(encoding="utf-8").replace("Meet the faculty.", CANARY)
)
SECRET_TOML = f'[[courses]]\nid = "x"\ntitle = "{CANARY}"\ncredits = 1\n'
BUILD_TIMEOUT = 120  # seconds; a build that opens a FIFO would wait for ever


def environ_secrets() -> list[str]:
    """Long values of this process's /proc/self/environ: none may reach a message."""
    data = Path("/proc/self/environ").read_bytes()
    values = [entry.partition(b"=")[2].decode("utf-8", "replace") for entry in data.split(b"\0")]
    return [value for value in values if len(value) >= 16]


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (links and FIFOs not followed): kind, size and digest."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        relative = path.relative_to(folder).as_posix()
        if stat.S_ISREG(info.st_mode):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            found[relative] = f"link to {os.readlink(path)}"
        else:
            found[relative] = f"mode {stat.S_IFMT(info.st_mode):o}"
    return found


# -- the escapes -----------------------------------------------------------------------------
# Each makes one escape in ``content`` (beside it: ``outside`` with the secrets) and returns
# the file and field the error must name.

Escape = Callable[[Path, Path], tuple[str, str]]


def link_file_outside(content: Path, outside: Path) -> tuple[str, str]:
    (content / "news" / "leak.md").symlink_to(outside / "secret.md")
    return "content/news/leak.md", "(file)"


def link_session_outside(content: Path, outside: Path) -> tuple[str, str]:
    (content / "sessions" / "leak.md").symlink_to(outside / "secret-session.md")
    return "content/sessions/leak.md", "(file)"


def link_to_proc_environ_as_news(content: Path, outside: Path) -> tuple[str, str]:
    (content / "news" / "environ.md").symlink_to("/proc/self/environ")
    return "content/news/environ.md", "(file)"


def link_to_proc_environ_as_session(content: Path, outside: Path) -> tuple[str, str]:
    (content / "sessions" / "environ.md").symlink_to("/proc/self/environ")
    return "content/sessions/environ.md", "(file)"


def link_to_proc_environ_as_program(content: Path, outside: Path) -> tuple[str, str]:
    (content / "programs" / "environ.md").symlink_to("/proc/self/environ")
    return "content/programs/environ.md", "(file)"


def linked_folder(content: Path, outside: Path) -> tuple[str, str]:
    (content / "news" / "archive").symlink_to(outside, target_is_directory=True)
    return "content/news/archive", "(file)"


def linked_curriculum(content: Path, outside: Path) -> tuple[str, str]:
    (content / "programs" / "alpha.toml").unlink()
    (content / "programs" / "alpha.toml").symlink_to(outside / "secret.toml")
    return "content/programs/alpha.toml", "(file)"


def linked_figures(content: Path, outside: Path) -> tuple[str, str]:
    (content / "figures.toml").symlink_to(outside / "secret.toml")
    return "content/figures.toml", "(file)"


def absolute_curriculum(content: Path, outside: Path) -> tuple[str, str]:
    program = content / "programs" / "alpha.md"
    text = program.read_text().replace(
        "Curriculum: alpha.toml", f"Curriculum: {outside}/secret.toml"
    )
    program.write_text(text)
    return "content/programs/alpha.md", "Curriculum"


def parent_curriculum(content: Path, outside: Path) -> tuple[str, str]:
    program = content / "programs" / "alpha.md"
    text = program.read_text().replace(
        "Curriculum: alpha.toml", "Curriculum: ../../outside/secret.toml"
    )
    program.write_text(text)
    return "content/programs/alpha.md", "Curriculum"


def static_climbing_out(content: Path, outside: Path) -> tuple[str, str]:
    news = content / "news" / "launch.md"
    news.write_text(news.read_text() + "\n[Secret]({static}/../outside/secret.md)\n")
    return "content/news/launch.md", "(body)"


def static_climbing_far(content: Path, outside: Path) -> tuple[str, str]:
    """{static}/../../x: out of content/, and (for make serve) out of its build folder."""
    news = content / "news" / "launch.md"
    far = f"../../{content.parent.name}/outside/secret.md"
    news.write_text(news.read_text() + f"\n![Secret]({{static}}/{far})\n")
    return "content/news/launch.md", "(body)"


def filename_climbing_out(content: Path, outside: Path) -> tuple[str, str]:
    news = content / "news" / "launch.md"
    news.write_text(news.read_text() + "\n[Up]({filename}/../..)\n")
    return "content/news/launch.md", "(body)"


def fifo_as_news(content: Path, outside: Path) -> tuple[str, str]:
    os.mkfifo(content / "news" / "pipe.md")
    return "content/news/pipe.md", "(file)"


def fifo_as_curriculum(content: Path, outside: Path) -> tuple[str, str]:
    (content / "programs" / "alpha.toml").unlink()
    os.mkfifo(content / "programs" / "alpha.toml")
    return "content/programs/alpha.toml", "(file)"


def dangling_link(content: Path, outside: Path) -> tuple[str, str]:
    (content / "news" / "gone.md").symlink_to(outside / "no-such-file.md")
    return "content/news/gone.md", "(file)"


def folder_loop(content: Path, outside: Path) -> tuple[str, str]:
    (content / "news" / "loop").symlink_to("..", target_is_directory=True)
    return "content/news/loop", "(file)"


def save_as_climbing_out(content: Path, outside: Path) -> tuple[str, str]:
    news = content / "news" / "launch.md"
    news.write_text(news.read_text().replace("Slug: launch", "Save_as: ../outside/escaped.html"))
    return "content/news/launch.md", "Save_as"


def slug_climbing_out(content: Path, outside: Path) -> tuple[str, str]:
    news = content / "news" / "launch.md"
    news.write_text(news.read_text().replace("Slug: launch", "Slug: ../../outside"))
    return "content/news/launch.md", "Slug"


ESCAPES: list[Escape] = [
    link_file_outside,
    link_session_outside,
    link_to_proc_environ_as_news,
    link_to_proc_environ_as_session,
    link_to_proc_environ_as_program,
    linked_folder,
    linked_curriculum,
    linked_figures,
    absolute_curriculum,
    parent_curriculum,
    static_climbing_out,
    static_climbing_far,
    filename_climbing_out,
    fifo_as_news,
    fifo_as_curriculum,
    dangling_link,
    folder_loop,
    save_as_climbing_out,
    slug_climbing_out,
]


def make_site(root: Path) -> tuple[Path, Path]:
    """The scenario (with a session) at ``root/content``, secrets at ``root/outside``."""
    content = root / "content"
    shutil.copytree(SCENARIO, content)
    (content / "sessions").mkdir()
    shutil.copy(SESSION / "alpha-online.md", content / "sessions")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET_ARTICLE)
    (outside / "secret-session.md").write_text(SECRET_SESSION)
    (outside / "secret.toml").write_text(SECRET_TOML)
    return content, outside


def run_bounded(action: Callable[[], object], content: Path) -> object:
    """``action()``, failing (not hanging) when it blocks on a FIFO in ``content``."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = action()
        except BaseException as error:  # handed to the test below
            result["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(BUILD_TIMEOUT)
    if worker.is_alive():
        for fifo in (p for p in content.rglob("*") if stat.S_ISFIFO(p.lstat().st_mode)):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the reader go
        pytest.fail(f"the build hung for {BUILD_TIMEOUT} s: it opened a FIFO in content/")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result.get("value")


def named(problem: object, shown: str, field: str) -> bool:
    """Whether ``problem`` is a content problem of the file ``shown`` and ``field``."""
    return isinstance(problem, Problem) and (problem.path, problem.field) == (shown, field)


def assert_nothing_leaked(text: str) -> None:
    assert CANARY not in text
    for secret in environ_secrets():
        assert secret not in text, "a value of /proc/self/environ reached a message"


@pytest.mark.parametrize("escape", ESCAPES, ids=[e.__name__ for e in ESCAPES])
@pytest.mark.parametrize("mode", ["make build", "make serve"])
def test_every_escape_fails_the_build_naming_the_file(
    tmp_path: Path, escape: Escape, mode: str
) -> None:
    root = tmp_path / "site"
    content, outside = make_site(root)
    shown, field = escape(content, outside)
    # make serve builds in a scratch folder (memory) and syncs into output/.
    scratch = tmp_path / "scratch" / "build"
    scratch.mkdir(parents=True)
    before, scratch_before = snapshot(tmp_path), snapshot(scratch)
    output = root / "output"
    with pytest.raises(BuildError) as caught:
        run_bounded(
            lambda: build_site(
                output,
                overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY},
                kept=KeptBetweenBuilds(scratch=scratch) if mode == "make serve" else None,
            ),
            content,
        )
    problems = caught.value.problems
    assert any(named(problem, shown, field) for problem in problems), problems
    assert_nothing_leaked(str(caught.value))
    assert not output.exists()
    # Nothing written anywhere around the site, but for the build's own lock file beside the
    # output folder (tools/build.py: one build of a folder at a time), which holds its PID.
    after = snapshot(tmp_path)
    if after.pop("site/.output.lock", None) is not None:
        assert (root / ".output.lock").read_bytes().isdigit()
    assert after == before
    assert snapshot(scratch) == scratch_before


@pytest.mark.parametrize("escape", ESCAPES, ids=[e.__name__ for e in ESCAPES])
def test_make_check_gives_the_same_verdict(tmp_path: Path, escape: Escape) -> None:
    content, outside = make_site(tmp_path)
    shown, field = escape(content, outside)
    site = run_bounded(lambda: read_content(content=content, today=TEST_TODAY), content)
    problems = site.problems  # type: ignore[attr-defined]
    assert any(named(problem, shown, field) for problem in problems), problems
    assert_nothing_leaked("\n".join(str(problem) for problem in problems))


def test_the_scenario_builds_without_an_escape(tmp_path: Path) -> None:
    """The escapes above fail for their escape, not for the site."""
    content, _ = make_site(tmp_path)
    build_site(tmp_path / "output", overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY})


def test_links_that_stay_inside_content_are_followed(tmp_path: Path) -> None:
    content, _ = make_site(tmp_path)
    shared = content / "shared"
    shared.mkdir()
    (content / "news" / "launch.md").rename(shared / "launch.md")
    (content / "news" / "launch.md").symlink_to("../shared/launch.md")
    (content / "archive").mkdir()
    (content / "pages").rename(content / "archive" / "pages")
    (content / "pages").symlink_to("archive/pages", target_is_directory=True)
    output = build_site(
        tmp_path / "output", overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY}
    ).output
    assert "Launch body." in (output / "news" / "launch" / "index.html").read_text()
    assert "About body." in (output / "about" / "index.html").read_text()


@pytest.mark.parametrize("extension", ["html", "htm", "rst"])
def test_content_in_html_or_restructuredtext_is_refused(tmp_path: Path, extension: str) -> None:
    """Pelican reads news/x.html and news/x.rst as articles, raw HTML included."""
    content, _ = make_site(tmp_path)
    (content / "news" / f"raw.{extension}").write_text(
        "<html><head><title>Raw</title></head><body><script>alert(1)</script></body></html>"
        if extension != "rst"
        else "Raw\n###\n\n:date: 2026-01-01\n\n.. raw:: html\n\n   <script>alert(1)</script>\n"
    )
    with pytest.raises(BuildError) as caught:
        build_site(tmp_path / "output", overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY})
    refused = Problem(
        f"content/news/raw.{extension}",
        "(file)",
        f"raw.{extension}",
        "only Markdown files (.md) may hold content: HTML and reStructuredText files can put "
        "script on the page; write it in Markdown in a .md file",
    )
    # Pelican's own "Could not process" that follows is left out: the file's problem says it.
    assert caught.value.problems == (refused,)
    assert not (tmp_path / "output").exists()
    checked = read_content(content=content, today=TEST_TODAY)
    assert checked.problems == [refused]


def test_the_strict_header_reader_is_confined_without_content_guard(tmp_path: Path) -> None:
    """Programs and quotes are read by the info-sessions plugin's strict header reader, on
    the programs generator's own readers (not behind content_guard's gate): it reads only
    through the plugin's confined read, so even a site without content_guard (built in a new
    process, where content_guard was never registered) refuses a program that is a link out
    of content/ and a quote that is a FIFO, naming each, without hanging or showing the
    secret."""
    content, outside = make_site(tmp_path)
    (outside / "secret-program.md").write_text(f"Title: {CANARY}\nSlug: leak\n\n{CANARY}\n")
    (content / "programs" / "leak.md").symlink_to(outside / "secret-program.md")
    os.mkfifo(content / "quotes" / "pipe.md")
    settings = load_settings(PROJECT_ROOT / "pelicanconf.py")
    plugins = [name for name in settings["PLUGINS"] if name != "content_guard"]
    overrides = {"PATH": str(content), "SITE_TODAY": TEST_TODAY, "PLUGINS": plugins}
    try:
        built = build_in_a_new_process(
            tmp_path / "output", overrides=overrides, timeout=BUILD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        os.close(os.open(content / "quotes" / "pipe.md", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"the build hung for {BUILD_TIMEOUT} s: it opened a FIFO in content/")
    assert not built.ok
    where = {(path, field) for path, field, _ in built.problems}
    assert ("content/programs/leak.md", "(file)") in where, built.problems
    assert ("content/quotes/pipe.md", "(file)") in where, built.problems
    assert_nothing_leaked("\n".join(text for _, _, text in built.problems))
