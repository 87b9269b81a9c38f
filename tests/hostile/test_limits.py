"""Bad input of every kind is a named problem, never a crash, and `make check` and the build
give the same verdict on it.

Each case writes one hostile or absurd file into a copy of tests/data/hostile/minimal/ (one
program, one quote, one session). The build (tools.build, as `make build` runs it) must
refuse it with a problem naming the file and field, leave the previous output/ exactly as it
was and print no traceback; `make check --content` (the real command, in a subprocess) must
refuse it too, listing the same problems, without a traceback.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.problems import messages
from tools.build import PROJECT_ROOT, BuildError, build_site, site_today

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal"
TODAY = "2026-11-23"
INVOKE = Path(sys.executable).with_name("invoke")
SESSION = "sessions/alpha-online.md"
FIELDS = {
    "Title": "Alpha online session",
    "Program": "alpha",
    "Format": "online",
    "Start": "2026-12-08 12:00",
    "Duration": "1h",
    "Join-URL": "https://example.org/join/alpha",
}

Edit = Callable[[Path], None]


def session(**changed: str) -> Edit:
    """Rewrite the session with some fields changed (an empty value leaves it out)."""

    def edit(content: Path, body: str = "Meet the faculty.\n") -> None:
        fields = {**FIELDS, **changed}
        header = "".join(f"{name}: {value}\n" for name, value in fields.items() if value)
        (content / SESSION).write_text(f"{header}\n{body}", encoding="utf-8")

    return edit


def session_body(body: str) -> Edit:
    """The session with ``body`` as its description."""
    return lambda content: session()(content, body)  # type: ignore[call-arg]


def program_body(text: str) -> Edit:
    """The program with ``text`` added to its body."""

    def edit(content: Path) -> None:
        file = content / "programs" / "alpha.md"
        file.write_text(file.read_text() + "\n" + text + "\n", encoding="utf-8")

    return edit


def quote_body(text: str) -> Edit:
    """The quote with ``text`` as its body."""

    def edit(content: Path) -> None:
        file = content / "quotes" / "ann.md"
        file.write_text(file.read_text().replace("Quality is everyone's job.", text))

    return edit


def news(body: str) -> Edit:
    """A news item with ``body``."""

    def edit(content: Path) -> None:
        (content / "news").mkdir(exist_ok=True)
        (content / "news" / "update.md").write_text(
            f"Title: An update\nDate: 2026-11-01\n\n{body}\n", encoding="utf-8"
        )

    return edit


def curriculum(toml: str) -> Edit:
    """The program with a curriculum file holding ``toml``."""

    def edit(content: Path) -> None:
        file = content / "programs" / "alpha.md"
        file.write_text(
            file.read_text().replace(
                "Source: alpha.txt", "Source: alpha.txt\nCurriculum: alpha.toml"
            )
        )
        (content / "programs" / "alpha.toml").write_text(toml, encoding="utf-8")

    return edit


def program_order(value: str) -> Edit:
    """The program with ``Order: value``."""

    def edit(content: Path) -> None:
        file = content / "programs" / "alpha.md"
        file.write_text(file.read_text().replace("Order: 1", f"Order: {value}"))

    return edit


def figures(toml: str) -> Edit:
    """A home-page figures file holding ``toml``."""
    return lambda content: (content / "figures.toml").write_text(toml, encoding="utf-8")


def renamed(name: str) -> Edit:
    """The session file under another name."""
    return lambda content: (content / SESSION).rename(content / "sessions" / name)


def nested_list(levels: int) -> str:
    return "".join("    " * level + "- item\n" for level in range(levels))


BIG = ("A long paragraph about the program and its sessions. " * 20 + "\n\n") * 20_000

# (id, edit, what the one problem about the file says: (path, field, part of the text))
CASES: list[tuple[str, Edit, tuple[str, str, str]]] = [
    ("huge-duration", session(Duration="9" * 30 + "h"),
     (SESSION, "Duration", "would last more than 12 hours")),
    ("huge-duration-minutes", session(Duration="9" * 5000 + "m"),
     (SESSION, "Duration", "would last more than 12 hours")),
    ("5000-digit-sequence", session(Sequence="9" * 5000),
     (SESSION, "Sequence", "(5000 digits)': must be a whole number from 0 to 2147483647")),
    ("year-1", session(Start="0001-01-01 00:30"),
     (SESSION, "Start", "the year 1 is not between 1900 and 2999")),
    ("year-9999", session(Start="9999-12-31 23:00"),
     (SESSION, "Start", "the year 9999 is not between 1900 and 2999")),
    ("typo-year-2999", session(Start="2999-12-08 12:00"),
     (SESSION, "Start", "days after today (2026-11-23); sessions are dated from 2021-11-19 to "
      "2028-11-22: check the year")),
    ("start-years-ago", session(Start="2016-12-08 12:00"),
     (SESSION, "Start", "days before today (2026-11-23)")),
    ("end-year-9999", session(Duration="", End="9999-12-31 23:59"),
     (SESSION, "End", "the year 9999 is not between 1900 and 2999")),
    ("modified-year-9999", session(Modified="9999-12-31"),
     (SESSION, "Modified", "the year 9999 is not between 1900 and 2999")),
    ("curriculum-string-for-tables", curriculum('courses = "all of them"\n'),
     ("programs/alpha.toml", "courses", "must be a list of tables, written as [[courses]]")),
    ("curriculum-list-of-numbers", curriculum("courses = [1, 2]\n"),
     ("programs/alpha.toml", "courses[0]", "must be a table ([[courses]])")),
    ("curriculum-number-for-string",
     curriculum('[[courses]]\nid = 7\ntitle = "T"\ncredits = 3\nobjectives = "x"\n'),
     ("programs/alpha.toml", "courses[0].id", "must be a string")),
    ("curriculum-table-for-list",
     curriculum('[[courses]]\nid = "a"\ntitle = "T"\ncredits = 3\n[[schedules]]\nid = "s"\n'
                'title = "S"\nterms = { name = "x" }\n'),
     ("programs/alpha.toml", "schedules[0].terms", "must be a list of tables")),
    ("curriculum-5000-digit-number", curriculum("required_credits = " + "9" * 5000 + "\n"),
     ("programs/alpha.toml", "(file)", "holds a number of more than 4,300 digits")),
    ("curriculum-nested-arrays", curriculum("x = " + "[" * 3000 + "]" * 3000 + "\n"),
     ("programs/alpha.toml", "(file)", "nested too deeply")),
    ("figures-number-for-tables", figures('heading = "Why"\nsource = "S"\nfigures = 5\n'),
     ("figures.toml", "figures", "must be a list of tables, written as [[figures]]")),
    ("figures-list-for-string", figures('heading = ["Why"]\nsource = "S"\n'),
     ("figures.toml", "heading", "must be a string")),
    ("program-5000-digit-order", program_order("9" * 5000),
     ("programs/alpha.md", "Order", "(5000 digits)': must be a whole number from 0 to 9999")),
    ("session-list-300-deep", session_body(nested_list(300)),
     (SESSION, "(description)", "nested 21 levels deep")),
    ("program-quotes-1000-deep", program_body(">" * 1000 + " deep"),
     ("programs/alpha.md", "(body)", "nested 1000 levels deep")),
    ("quote-brackets-1000-deep", quote_body("[" * 1000 + "x" + "]" * 1000),
     ("quotes/ann.md", "(body)", "nested 1000 levels deep")),
    ("news-list-300-deep", news(nested_list(300)),
     ("news/update.md", "(body)", "nested 21 levels deep")),
    ("news-quotes-and-lists", news("".join("> " * n + "- x\n" for n in range(40))),
     ("news/update.md", "(body)", "levels deep")),
    ("file-name-252", renamed("a" * 249 + ".md"),
     ("sessions/" + "a" * 249 + ".md", "(file)", "has a name of 252 characters")),
    ("file-name-255", renamed("b" * 252 + ".md"),
     ("sessions/" + "b" * 252 + ".md", "(file)", "has a name of 255 characters")),
    ("session-20-mb", session_body(BIG),
     (SESSION, "(file)", "more than the 524,288 a content file may have")),
    ("news-20-mb", news(BIG),
     ("news/update.md", "(file)", "more than the 524,288 a content file may have")),
]  # fmt: skip


def digest(folder: Path) -> dict[str, str]:
    return {
        file.relative_to(folder).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for file in sorted(folder.rglob("*"))
        if file.is_file()
    }


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario built as it is: the output a hostile build must leave alone."""
    root = tmp_path_factory.mktemp("previous")
    content = root / "content"
    shutil.copytree(SCENARIO, content)
    build_site(root / "output", overrides={"PATH": str(content), **site_today(TODAY)})
    return root / "output"


def make_check(content: Path) -> subprocess.CompletedProcess[str]:
    """`make check` on ``content``: the real task, with no terminal."""
    return subprocess.run(
        [str(INVOKE), "check", "--content", str(content)],
        cwd=PROJECT_ROOT,
        env={"PATH": "/usr/bin:/bin", "SITE_TODAY": TODAY, "HOME": str(content.parent)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("edit", "expected"), [pytest.param(edit, want, id=name) for name, edit, want in CASES]
)
def test_build_and_check_refuse_it_alike_naming_file_and_field(
    tmp_path: Path,
    previous_site: Path,
    capfd: pytest.CaptureFixture[str],
    edit: Edit,
    expected: tuple[str, str, str],
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    edit(content)
    output = tmp_path / "output"
    shutil.copytree(previous_site, output)
    before = digest(output)
    with pytest.raises(BuildError) as caught:
        build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    printed = capfd.readouterr()
    assert "Traceback" not in printed.out + printed.err
    assert digest(output) == before  # the previous site, untouched
    path, field, text = expected
    found = messages(caught.value)
    named = [m for m in found if m.startswith(f"content/{path}") and f": {field}: " in m]
    assert named and any(text in m for m in named), found
    check = make_check(content)
    shown = check.stdout + check.stderr
    assert check.returncode == 1, shown
    assert "Traceback" not in shown
    assert "(the build refuses these)" in shown
    for message in found:  # the same verdict, problem for problem
        assert f"  {message}" in shown, (message, shown)


def test_nesting_a_person_writes_is_accepted_by_both(tmp_path: Path) -> None:
    """The limits leave real content alone: lists four deep, a quote in a list, links in
    brackets, a two-hour session tomorrow with a large Sequence."""
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    body = (
        nested_list(4)
        + "\n- a list item\n\n    > quoted in it\n\n[a [bracketed] link](/programs/)\n"
    )
    session(Duration="2h", Start="2026-11-24 12:00", Sequence="2147483647")(content, body)  # type: ignore[call-arg]
    build_site(tmp_path / "output", overrides={"PATH": str(content), **site_today(TODAY)})
    check = make_check(content)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No problems found." in check.stdout


def test_more_month_pages_than_the_limit_is_an_error_naming_the_farthest_session(
    tmp_path: Path,
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    session(Start="2028-10-08 12:00")(content)
    overrides = {"PATH": str(content), **site_today(TODAY), "INFO_SESSIONS_MAX_MONTH_PAGES": 12}
    with pytest.raises(BuildError) as caught:
        build_site(tmp_path / "output", overrides=overrides)
    assert messages(caught.value) == [
        f"content/{SESSION}:4: Start: '2028-10-08 12:00': the calendar would have 24 month "
        "pages (November 2026 to October 2028); at most 12: check the year (or raise "
        "INFO_SESSIONS_MAX_MONTH_PAGES)"
    ]
    assert not (tmp_path / "output").exists()
