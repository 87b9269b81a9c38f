"""The staff guide's example is what `make new-session` really does, and its result builds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.sessions.helpers import page
from tests.staff.conftest import TODAY, invoke_on_terminal
from tools.build import PROJECT_ROOT, build_site, site_today

GUIDE = PROJECT_ROOT / "docs" / "staff-guide.md"
# "Prompt (hint) [default]: answer": the prompt ends with ")" or "]", then ":".
BRACKETS = r"(?:\([^)]*\)|\[[^\]]*\])"
PROMPT = re.compile(
    rf"^(?P<prompt>[A-Z](?:[^:()\[\]]|{BRACKETS})*?{BRACKETS}):(?: (?P<answer>.*))?$"
)


def transcript() -> list[str]:
    """The lines of the guide's example session of `make new-session`."""
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("   $ make new-session\n", 1)[1].split("   ```", 1)[0]
    return [line.removeprefix("   ") for line in block.rstrip("\n").split("\n")]


def test_the_readme_links_the_guide() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/staff-guide.md)" in readme


def test_the_guides_example_is_what_new_session_does(tmp_path: Path) -> None:
    lines = transcript()
    asked = [m for m in map(PROMPT.match, lines) if m]
    # program, format, zone, start twice, repeat, duration, join, register, title
    assert len(asked) == 10
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    run = invoke_on_terminal(
        "new-session",
        "--content",
        "content",
        answers=[m.group("answer") or "" for m in asked],
        cwd=tmp_path,
    )
    assert run.status == 0, run.output
    for match in asked:
        assert f"{match.group('prompt')}: " in run.output, match.group("prompt")
    for line in lines:
        if line.strip() != "..." and not PROMPT.match(line):
            assert f"{line}\n" in run.output, line
    written = tmp_path / lines[-1].removeprefix("Wrote ")
    output = tmp_path / "output"
    build_site(output, overrides={"PATH": str(tmp_path / "content"), **site_today(TODAY)})
    url = f"sessions/{written.stem}"
    assert page(output, url).h1.get_text() == "MHQS online information session"
    assert page(output, "sessions").find("a", href=f"/{url}/") is not None
