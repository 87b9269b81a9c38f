"""The steps of the subscriber-lifecycle suite, and what each session should then be.

tests/data/feeds/lifecycle/ is copied into a temporary git repository; each step edits it as
staff would (following docs/staff-guide.md), is committed with its own date, and the site is
built into a folder of its own. What a session should look like in calendars is worked out
here from its file alone, with zoneinfo, independently of the plugin.

DTSTAMP: a session's DTSTAMP is its file's last commit, or its ``Modified:`` when that is
later, so an edit raises DTSTAMP when it is committed (the site is published from commits);
a build of an edit not yet committed keeps the last commit's stamp. The steps check both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.trees import tree_digest
from tools.build import BuildError, build_site

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "feeds" / "lifecycle"
TODAY = "2026-11-23"
DEFAULT_ZONE = "America/New_York"
DOMAIN = "127.0.0.1"
SITE_URL = "http://127.0.0.1:8000"
FIRST_COMMIT = datetime(2026, 11, 10, 10, tzinfo=UTC)  # step k is committed k days later
# Feeds every session may be in, by the rule each follows.
FEEDS = ("all", "in-person", "online", "program-alpha", "program-beta")
PREFIX = {"cancelled": "Cancelled: ", "postponed": "Postponed: "}
ICAL_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?$")


def header(path: Path) -> dict[str, str]:
    """A session file's header fields, names lowercased (a plain reading of the format)."""
    fields = {}
    for line in path.read_text("utf-8").split("\n"):
        if not line.strip():
            break
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return fields


def wall_clock(value: str, zone: ZoneInfo) -> datetime:
    """``YYYY-MM-DD HH:MM`` in ``zone`` as a UTC instant; the time must name one instant."""
    naive = datetime.strptime(value, "%Y-%m-%d %H:%M")  # noqa: DTZ007 - zone added below
    early, late = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    assert early.utcoffset() == late.utcoffset(), f"{value} is not one instant in {zone.key}"
    return early.astimezone(UTC)


@dataclass(frozen=True)
class Expected:
    """What calendars should show of one session file."""

    slug: str
    uid: str
    title: str
    program: str
    format: str
    status: str
    zone: str
    start: datetime  # UTC
    end: datetime  # UTC
    sequence: int
    join_url: str
    modified: datetime | None

    @property
    def summary(self) -> str:
        """The title as calendars show it."""
        return PREFIX.get(self.status, "") + self.title

    @property
    def happening(self) -> bool:
        """False when cancelled or postponed."""
        return self.status in ("scheduled", "full")

    @property
    def feeds(self) -> set[str]:
        """The aggregate feeds this session belongs to."""
        found = {"all", f"program-{self.program}"}
        if self.format in ("in-person", "hybrid"):
            found.add("in-person")
        if self.format in ("online", "hybrid"):
            found.add("online")
        return found


def expected_session(path: Path) -> Expected:
    """What ``path`` should look like in calendars, from its header and zoneinfo."""
    fields = header(path)
    zone = ZoneInfo(fields.get("timezone", DEFAULT_ZONE))
    start = wall_clock(fields["start"], zone)
    if "end" in fields:
        end = wall_clock(fields["end"], zone)
    else:
        hours, minutes = _DURATION.match(fields["duration"]).groups()
        end = start + timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    uid = fields.get("uid", path.stem)
    modified = None
    if "modified" in fields:
        modified = wall_clock(fields["modified"], zone)
    return Expected(
        slug=path.stem,
        uid=uid if "@" in uid else f"{uid}@{DOMAIN}",
        title=fields["title"],
        program=fields["program"],
        format=fields["format"],
        status=fields.get("status", "scheduled"),
        zone=zone.key,
        start=start,
        end=end,
        sequence=int(fields.get("sequence", "0")),
        join_url=fields.get("join-url", ""),
        modified=modified,
    )


class Repo:
    """The content folder, a git repository whose commits carry the dates we give them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sessions = path / "sessions"
        self.committed: dict[str, datetime] = {}  # file name -> its last commit
        self.env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Staff",
            "GIT_AUTHOR_EMAIL": "staff@example.org",
            "GIT_COMMITTER_NAME": "Staff",
            "GIT_COMMITTER_EMAIL": "staff@example.org",
        }
        self.git("init", "-q")

    def git(self, *args: str, when: datetime | None = None) -> None:
        """Run git in the repository (dated, for a commit)."""
        env = dict(self.env)
        if when is not None:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
        subprocess.run(["git", *args], cwd=self.path, env=env, check=True, capture_output=True)

    def commit(self, message: str, when: datetime) -> None:
        """Commit everything, noting which session files the commit touched."""
        self.git("add", "-A")
        changed = subprocess.run(
            ["git", "diff", "--cached", "--name-only", "--", "sessions"],
            cwd=self.path, env=self.env, check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        self.git("commit", "-q", "-m", message, when=when)
        for name in changed:
            self.committed[Path(name).name] = when

    def file(self, slug: str) -> Path:
        """The session file of ``slug``."""
        return self.sessions / f"{slug}.md"

    def set(self, slug: str, **fields: str) -> None:
        """Set header fields (``Join_URL`` for ``Join-URL``), adding missing ones at the end
        of the header."""
        path = self.file(slug)
        head, _, body = path.read_text("utf-8").partition("\n\n")
        lines = head.split("\n")
        for name, value in fields.items():
            name = name.replace("_", "-")
            found = [
                i for i, line in enumerate(lines) if line.lower().startswith(f"{name.lower()}:")
            ]
            if found:
                lines[found[0]] = f"{name}: {value}"
            else:
                lines.append(f"{name}: {value}")
        path.write_text("\n".join(lines) + "\n\n" + body, "utf-8")

    def write(self, slug: str, body: str = "A sample session.", **fields: str) -> None:
        """A new session file."""
        head = "".join(f"{name.replace('_', '-')}: {value}\n" for name, value in fields.items())
        self.file(slug).write_text(f"{head}\n{body}\n", "utf-8")

    def expected(self) -> dict[str, Expected]:
        """UID -> what calendars should show, for every session file now in the folder."""
        found = [expected_session(path) for path in sorted(self.sessions.glob("*.md"))]
        return {session.uid: session for session in found}

    def stamp(self, session: Expected) -> datetime:
        """The DTSTAMP the session should carry: its file's last commit, or Modified when
        that is later (see the module's docstring)."""
        committed = self.committed[f"{session.slug}.md"]
        return max(committed, session.modified) if session.modified else committed


@dataclass
class Built:
    """One step done and built."""

    name: str
    output: Path
    expected: dict[str, Expected]  # UID -> session
    stamps: dict[str, datetime]  # UID -> DTSTAMP it should carry
    changed: frozenset[str]  # UIDs this step changed
    added: frozenset[str]  # UIDs this step added
    raises_sequence: bool  # the change is one the staff guide says raises Sequence
    notes: dict[str, object] = field(default_factory=dict)  # what a step saw on the way


@dataclass(frozen=True)
class Step:
    """An edit staff make, then commit."""

    name: str
    edit: Callable[[Repo, dict[str, object]], None]
    changed: tuple[str, ...] = ()  # UIDs (without the domain) the edit changes
    added: tuple[str, ...] = ()
    raises_sequence: bool = True


def _move(repo: Repo, notes: dict[str, object]) -> None:
    repo.set("alpha-campus-jan", Start="2027-01-21 17:00", End="2027-01-21 18:30", Sequence="1")


def _cancel(repo: Repo, notes: dict[str, object]) -> None:
    repo.set("alpha-online-dec", Status="cancelled", Sequence="1")


def _postpone(repo: Repo, notes: dict[str, object]) -> None:
    repo.set("beta-hybrid-feb", Status="postponed", Sequence="3")


def _rename(repo: Repo, notes: dict[str, object]) -> None:
    # As the staff guide says: add the old name as UID, then rename (with a new room here).
    repo.set(
        "alpha-campus-jan",
        UID="alpha-campus-jan",
        Location="Alpha Hall, Room 2, 1 Example Street, Boston, MA",
        Sequence="2",
    )
    repo.git("mv", "sessions/alpha-campus-jan.md", "sessions/alpha-campus-2027-01.md")


def _other_zones(repo: Repo, notes: dict[str, object]) -> None:
    repo.write(
        "alpha-london-feb",
        Title="Alpha evening in London",
        Program="alpha",
        Format="hybrid",
        Start="2027-02-16 18:00",
        Duration="1h",
        Timezone="Europe/London",
        Location="Alpha London Centre, 5 Example Square, London",
        Join_URL="https://example.org/join/alpha-london",
    )
    repo.write(
        "beta-tokyo-mar",
        Title="Beta session from Tokyo",
        Program="beta",
        Format="online",
        Start="2027-03-10 10:00",  # 01:00 UTC: the evening before in the Americas
        Duration="1h30m",
        Timezone="Asia/Tokyo",
        Join_URL="https://example.org/join/beta-tokyo",
        Registration_URL="https://example.org/register/beta-tokyo",
    )


# Sessions at the clock changes of 2027: US (14 March, 7 November), EU (28 March,
# 31 October), Australia (4 April); "repeated" is the hour clocks go back over.
DST_SESSIONS: dict[str, dict[str, str]] = {
    # The example: 00:30 EDT + 2 h ends at 01:30 EST, the second 01:30.
    "ny-autumn-end-repeated": {"Start": "2027-11-07 00:30", "Duration": "2h"},
    # 00:15 EDT + 1 h ends at 01:15 EDT, the first 01:15.
    "ny-autumn-end-first-pass": {"Start": "2027-11-07 00:15", "Duration": "1h"},
    # Both ends given, across the change: 5 hours.
    "ny-autumn-across": {"Start": "2027-11-06 23:00", "End": "2027-11-07 03:00"},
    # 01:30 EST + 1 h is 03:30 EDT: 02:30 does not exist that night.
    "ny-spring-across": {"Start": "2027-03-14 01:30", "Duration": "1h"},
    # 00:30 BST + 1 h 30 min ends at 01:00 GMT, the second 01:00.
    "london-autumn-end-repeated": {
        "Start": "2027-10-31 00:30", "Duration": "1h30m", "Timezone": "Europe/London",
    },
    # 00:30 GMT + 1 h is 02:30 BST.
    "london-spring-across": {
        "Start": "2027-03-28 00:30", "Duration": "1h", "Timezone": "Europe/London",
    },
    # 01:30 AEDT + 1 h 30 min ends at 02:00 AEST, the second 02:00.
    "sydney-autumn-end-repeated": {
        "Start": "2027-04-04 01:30", "Duration": "1h30m", "Timezone": "Australia/Sydney",
    },
    # Plain times in Tokyo that start inside the repeated hour of viewers elsewhere:
    # 06:30 UTC is the second 01:30 in New York, 01:30 UTC the second 02:30 in Berlin.
    "tokyo-in-new-york-repeated": {
        "Start": "2027-11-07 15:30", "Duration": "1h", "Timezone": "Asia/Tokyo",
    },
    "tokyo-in-berlin-repeated": {
        "Start": "2027-10-31 10:30", "Duration": "30m", "Timezone": "Asia/Tokyo",
    },
}  # fmt: skip


def _dst_edges(repo: Repo, notes: dict[str, object]) -> None:
    for number, (slug, times) in enumerate(DST_SESSIONS.items()):
        program = ("alpha", "beta")[number % 2]
        session_format = ("online", "in-person", "hybrid")[number % 3]
        fields = {"Title": f"Clock change: {slug}", "Program": program, "Format": session_format}
        if session_format != "online":
            fields["Location"] = "Example Hall, 3 Example Lane"
        if session_format != "in-person":
            fields["Join_URL"] = f"https://example.org/join/{slug}"
        repo.write(slug, **fields, **times)
    # Staff first gave this one a start inside the repeated hour: the build refused it (and
    # left the site as it was; run_steps tries that), so they chose 03:00.
    repo.write(
        "ny-start-after-repeated",
        Title="Starts after the repeated hour",
        Program="alpha",
        Format="online",
        Start="2027-11-07 03:00",
        Duration="1h",
        Join_URL="https://example.org/join/ny-start-after-repeated",
    )
    notes["refused"] = ("ny-start-after-repeated", "2027-11-07 01:30")


def _text_only(repo: Repo, notes: dict[str, object]) -> None:
    # Title and description only: the staff guide leaves Sequence as it is. Hostile text,
    # and line separators in the description (the feed writes them as \n).
    repo.set("alpha-london-feb", Title='Alpha "evening"; London, <b>UK</b> \\ END:VEVENT')
    path = repo.file("alpha-london-feb")
    head, _, _ = path.read_text("utf-8").partition("\n\n")
    body = (
        "First line\u2028second line\u2029new paragraph.\n"
        "END:VEVENT\nBEGIN:VEVENT\nUID:injected@example.org\n"
        '<script>alert("x")</script> ; , \\ done.'
    )
    path.write_text(f"{head}\n\n{body}\n", "utf-8")
    notes["uncommitted"] = True


def _stale_modified(repo: Repo, notes: dict[str, object]) -> None:
    # Moved a week, Sequence raised, and the Modified line forgotten: DTSTAMP still rises.
    repo.set("beta-online-apr", Start="2027-04-13 09:00", Sequence="1")


def _full(repo: Repo, notes: dict[str, object]) -> None:
    repo.set("beta-tokyo-mar", Status="full", Sequence="1")


STEPS: tuple[Step, ...] = (
    Step("initial", lambda repo, notes: None),
    Step("move", _move, changed=("alpha-campus-jan",)),
    Step("cancel", _cancel, changed=("alpha-online-dec",)),
    Step("postpone", _postpone, changed=("beta-hybrid-2027",)),
    Step("rename-uid-kept", _rename, changed=("alpha-campus-jan",)),
    Step("london-and-tokyo", _other_zones, added=("alpha-london-feb", "beta-tokyo-mar")),
    Step("clock-changes", _dst_edges, added=(*DST_SESSIONS, "ny-start-after-repeated")),
    Step("hostile-text", _text_only, changed=("alpha-london-feb",), raises_sequence=False),
    Step("modified-left-stale", _stale_modified, changed=("beta-online-apr",)),
    Step("full", _full, changed=("beta-tokyo-mar",)),
)


def _build(content: Path, output: Path) -> Path:
    build_site(output, overrides={"PATH": str(content), "SITE_TODAY": TODAY})
    return output


def run_steps(root: Path) -> list[Built]:
    """Copy the scenario into ``root``, then do, commit and build every step in turn."""
    content = root / "content"
    shutil.copytree(SCENARIO, content)
    repo = Repo(content)
    done: list[Built] = []
    for number, step in enumerate(STEPS):
        notes: dict[str, object] = {}
        when = FIRST_COMMIT + timedelta(days=number)
        step.edit(repo, notes)
        output = root / f"{number}-{step.name}"
        if notes.get("uncommitted"):
            # Built before the commit (a local preview): the last commit's stamps.
            notes["uncommitted_output"] = _build(content, root / f"{number}-uncommitted")
        if "refused" in notes:
            # The file as first written, built over the last step's site.
            slug, start = notes["refused"]
            good = repo.file(slug).read_text("utf-8")
            repo.set(slug, Start=start)
            previous = root / "refused"
            shutil.copytree(done[-1].output, previous)
            before = tree_digest(previous)
            try:
                _build(content, previous)
            except BuildError as error:
                notes["problems"] = error.problems
            notes["untouched"] = tree_digest(previous) == before
            repo.file(slug).write_text(good, "utf-8")
        repo.commit(step.name, when)
        expected = repo.expected()
        done.append(
            Built(
                name=step.name,
                output=_build(content, output),
                expected=expected,
                stamps={uid: repo.stamp(session) for uid, session in expected.items()},
                changed=frozenset(f"{uid}@{DOMAIN}" for uid in step.changed),
                added=frozenset(f"{uid}@{DOMAIN}" for uid in step.added),
                raises_sequence=step.raises_sequence,
                notes=notes,
            )
        )
    return done
