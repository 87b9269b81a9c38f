"""Hostile and broken content, on real builds of a one-program, one-session scenario.

tests/data/hostile/minimal/ holds one program, one quote and one session; each test copies
it, writes the hostile or broken file, builds with tools.build (the atomic build `make build`
uses) and reads the built pages and feeds back with BeautifulSoup, icalendar and ics.

Covered elsewhere, not repeated here: every bad session field's exact message
(tests/sessions/test_validation.py), a session file repeating a field (same file,
"repeated-field"), two sessions with one UID and every problem listed at once
(tests/sessions/test_scenario_builds.py), two programs with one slug
(tests/programs/test_programs_build.py, "duplicate-slug"), raw HTML and javascript: links in
Markdown bodies (tests/programs/test_safe_markdown.py, test_scenario_builds.py).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote as percent_encoded
from zoneinfo import ZoneInfo

import ics
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pelican.plugins.info_sessions.files import SessionReader
from pelican.plugins.info_sessions.problems import Problem

from programs.model import ProgramReader, QuoteReader
from tests.feeds.checks import assert_sound_feeds
from tests.problems import messages
from tests.sessions.helpers import unfold
from tests.standards.test_weight import LOCAL_TIME_SCRIPT
from tools.build import BuildError, build_site, site_today

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal"
TODAY = "2026-11-23"
SESSION_PATH = "content/sessions/alpha-online.md"
SITE = "Healthcare Quality Graduate Programs"
DEFAULT_UID = "alpha-online@127.0.0.1"
# Every problem the build reports about a file, as staff read it:
# "path:line: field: value: what to do" (":line" when the problem is on one line).
PROBLEM = re.compile(
    r"^content/[a-z]+/[^:]+\.(md|toml)(:[1-9][0-9]*)?: "
    r"(\([a-z ]+\)|[A-Z][A-Za-z-]*): "
    r"('.*'|\".*\"|\(missing\)): \S.*$",
    re.DOTALL,
)
# Properties of one session's VEVENT, in the order the plugin writes them.
EVENT_PROPERTIES = [
    "UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION",
    "URL", "STATUS", "CATEGORIES", "TRANSP", "CONFERENCE",
]  # fmt: skip
CALENDAR_PROPERTIES = [
    "VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "DESCRIPTION",
    "X-WR-CALDESC", "URL", "REFRESH-INTERVAL", "X-PUBLISHED-TTL",
]  # fmt: skip


# -- helpers ---------------------------------------------------------------------------


def copy_minimal(root: Path) -> Path:
    """A writable copy of the scenario at ``root/content``."""
    content = root / "content"
    shutil.copytree(SCENARIO, content)
    return content


def build(content: Path) -> Path:
    """Build ``content`` beside it; returns the output folder (raises BuildError)."""
    output = content.parent / "output"
    build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    assert_sound_feeds(output)
    return output


def session_file(fields: dict[str, str | None], body: str = "Meet the faculty.\n") -> str:
    """A session file with the given header fields (None leaves a field out)."""
    header = "".join(f"{name}: {value}\n" for name, value in fields.items() if value is not None)
    return f"{header}\n{body}"


def soup(output: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((output / url / "index.html").read_bytes(), "lxml")


def block_names(data: bytes, component: str) -> list[list[str]]:
    """Property names directly inside each ``component`` (VEVENT, VCALENDAR), in order."""
    blocks: list[list[str]] = []
    stack: list[str] = []
    for line in unfold(data):
        if not line:
            continue
        name = re.split(r"[;:]", line, maxsplit=1)[0]
        if name == "BEGIN":
            stack.append(line.split(":", 1)[1])
            if stack[-1] == component:
                blocks.append([])
        elif name == "END":
            stack.pop()
        elif stack and stack[-1] == component:
            blocks[-1].append(name)
    assert stack == []
    return blocks


def assert_folded_per_rfc(data: bytes) -> None:
    """Lines of at most 75 octets, each valid UTF-8 on its own (no split character), none
    holding a character that str.splitlines() would split it at."""
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        assert len(line.decode("utf-8").splitlines()) == 1, line  # decode: no split character


def assert_pages_have_no_injected_markup(output: Path) -> None:
    """Every page: scripts are only our JSON-LD, with no "<" inside, and the theme's
    local-time.js by address; no event handler
    attributes; none of the tags the hostile text tries to add (the theme uses none)."""
    for file in output.rglob("*.html"):
        page = BeautifulSoup(file.read_bytes(), "lxml")
        for script in page.find_all("script"):
            if script.attrs == {"src": LOCAL_TIME_SCRIPT, "defer": ""}:  # the theme's one file
                assert not script.string, file
                continue
            assert script.get("type") == "application/ld+json", file
            assert "<" not in script.string, file
            json.loads(script.string)
        assert page.find(["b", "i", "img", "iframe", "svg", "object"]) is None, file
        for tag in page.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (file, tag.name)


def ical_text(value: str) -> str:
    """``value`` escaped as an iCalendar TEXT value (RFC 5545 section 3.3.11)."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\n", "\\n")


def jsonld(page: BeautifulSoup) -> dict:
    return json.loads(page.find("script", type="application/ld+json").string)


# -- escaping: markup, quotes, &, CR/LF and ; , \ ---------------------------------------

HOSTILE = '<script>alert("x")</script><!--<script> & "q" \'s\' ; , \\ END:VEVENT'
PROGRAM_TITLE = 'Alpha <i>Program</i> & "Co" ; , \\'
SHORT_NAME = "A,L;P\\"
TITLE = f"Alpha {HOSTILE}"
LOCATION = 'Room <b>1</b>; Hall, "A" & B \\ C'
JOIN = "https://example.org/join?a=1&b='2';c,d"
REGISTER = "https://example.org/register?x=<y>&z"
# Written with CRLF line ends, like every line of the session file.
BODY = (
    'Body <script>alert(1)</script> & "x" ; , \\\n'
    "END:VEVENT\nBEGIN:VEVENT\nUID:injected@example.org\n\n"
    "<img src=x onerror=alert(2)>\n"
)
QUOTE = '<script>alert(4)</script> "Quality" & safety; always, \\ done.\r\nEND:VEVENT'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario with hostile text in the session, the program and the quote, built."""
    content = copy_minimal(tmp_path_factory.mktemp("hostile"))
    program = content / "programs" / "alpha.md"
    program.write_text(
        program.read_text()
        .replace("Title: Alpha Program", f"Title: {PROGRAM_TITLE}")
        .replace("Short-name: ALP", f"Short-name: {SHORT_NAME}")
        .replace("Summary: The alpha program.", "Summary: <script>alert(3)</script> & more")
        .replace("Alpha body.", '<img src=x onerror="alert(5)"> body & <b>more</b>'),
        encoding="utf-8",
    )
    quote = content / "quotes" / "ann.md"
    quote.write_bytes(
        quote.read_bytes()
        .replace(b"Ann Example", b"Ann <b>Example</b> & Co")
        .replace(b"Quality is everyone's job.", QUOTE.encode())
    )
    (content / "sessions" / "alpha-online.md").write_bytes(
        session_file(
            {
                "Title": TITLE,
                "Program": "alpha",
                "Format": "hybrid",
                "Start": "2026-12-08 12:00",
                "Duration": "1h",
                "Location": LOCATION,
                "Join-URL": JOIN,
                "Registration-URL": REGISTER,
            },
            BODY,
        )
        .replace("\n", "\r\n")
        .encode()
    )
    return build(content)


def test_hostile_text_shows_as_text_on_every_page(hostile_site: Path) -> None:
    assert_pages_have_no_injected_markup(hostile_site)
    page = soup(hostile_site, "sessions/alpha-online")
    assert page.h1.get_text() == TITLE
    assert page.title.get_text() == f"{TITLE} | {SITE}"
    data = jsonld(page)
    assert data["name"] == TITLE
    assert data["location"][0]["address"] == LOCATION
    assert data["offers"]["url"] == REGISTER
    facts = {dt.get_text(strip=True): dt.find_next("dd") for dt in page.select(".hq-facts dt")}
    where = facts["Where"]
    assert where.contents[0] == LOCATION  # as text, before the map link
    # The map link searches for the same text, percent-encoded: no markup gets through.
    assert where.select_one("a.hq-map")["href"] == (
        "https://www.openstreetmap.org/search?query=" + percent_encoded(LOCATION, safe="")
    )
    assert facts["Join online"].a["href"] == JOIN
    assert page.find("a", href=REGISTER) is not None
    prose = page.select_one(".hq-prose").get_text()
    assert 'Body <script>alert(1)</script> & "x" ; , \\' in prose
    assert "<img src=x onerror=alert(2)>" in prose
    program = soup(hostile_site, "programs/alpha")
    assert program.h1.get_text(" ", strip=True) == f"{PROGRAM_TITLE} ({SHORT_NAME})"
    assert jsonld(program)["name"] == PROGRAM_TITLE.strip()
    assert "<script>alert(3)</script> & more" in program.select_one(".hq-lead").get_text()
    assert '<img src=x onerror="alert(5)"> body & <b>more</b>' in program.get_text()
    quote = program.select_one(".hq-quote")
    assert " ".join(QUOTE.split()) == quote.blockquote.get_text(strip=True)
    assert "Ann <b>Example</b> & Co" in quote.figcaption.get_text()
    listed = soup(hostile_site, "sessions").select_one("li.hq-session h3").get_text(strip=True)
    assert listed == TITLE


def test_the_json_ld_cannot_swallow_the_page(hostile_site: Path) -> None:
    """A title such as '<!--<script>' inside JSON-LD puts browsers' HTML tokenizer in its
    'script data double escaped' state: the script then runs on to the next </script>, or to
    the end of the document, and the page body disappears (Chromium shows nothing). JSON
    escapes for '<', '>' and '&' keep every such sequence out of the script element."""
    for url, escaped in (
        ("sessions/alpha-online", "\\u003c!--\\u003cscript\\u003e \\u0026"),
        ("programs/alpha", "Alpha \\u003ci\\u003eProgram\\u003c/i\\u003e \\u0026"),
    ):
        html = (hostile_site / url / "index.html").read_text(encoding="utf-8")
        script = html.split('<script type="application/ld+json">', 1)[1].split("</script>")[0]
        assert not {"<", ">", "&"} & set(script)
        assert escaped in script


@pytest.mark.parametrize(
    "feed",
    ["all", "in-person", "online", "program-alpha", "sessions/alpha-online"],
)
def test_hostile_text_cannot_add_calendar_properties_or_events(
    hostile_site: Path, feed: str
) -> None:
    data = (hostile_site / "calendar" / f"{feed}.ics").read_bytes()
    assert_folded_per_rfc(data)
    assert block_names(data, "VEVENT") == [EVENT_PROPERTIES]
    single = feed == "sessions/alpha-online"  # one event to add: no calendar name
    assert block_names(data, "VCALENDAR") == [CALENDAR_PROPERTIES[: 4 if single else None]]
    (event,) = Calendar.from_ical(data).events
    assert str(event["UID"]) == DEFAULT_UID
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == LOCATION
    assert str(event["CONFERENCE"]) == JOIN
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Info session", SHORT_NAME, "Hybrid"]
    description = str(event["DESCRIPTION"])
    assert description.splitlines()[:5] == [
        f"Information session: {PROGRAM_TITLE} (hybrid).",
        f"Where: {LOCATION}",
        f"Join online: {JOIN}",
        f"Register: {REGISTER}",
        "Details: http://127.0.0.1:8000/sessions/alpha-online/",
    ]
    assert 'Body <script>alert(1)</script> & "x" ; , \\ END:VEVENT BEGIN:VEVENT' in description
    (other,) = ics.Calendar(data.decode("utf-8")).events
    assert (other.uid, other.name, other.location) == (DEFAULT_UID, TITLE, LOCATION)


def test_feed_names_escape_calendar_specials(hostile_site: Path) -> None:
    """NAME, X-WR-CALNAME and X-WR-CALDESC are TEXT: a program named 'A,L;P\\' must not
    leave ';', ',' or '\\' raw in them (icalendar writes unknown properties unescaped)."""
    data = (hostile_site / "calendar" / "program-alpha.ics").read_bytes()
    lines = {line.split(":", 1)[0]: line.split(":", 1)[1] for line in unfold(data)[:12]}
    name = ical_text(f"{SHORT_NAME} info sessions ({SITE})")
    assert name == "A\\,L\\;P\\\\ info sessions (Healthcare Quality Graduate Programs)"
    assert lines["NAME"] == lines["X-WR-CALNAME"] == name
    description = ical_text(f"Information sessions of the {PROGRAM_TITLE}.")
    assert lines["X-WR-CALDESC"] == lines["DESCRIPTION"] == description


# -- URLs where https is required ------------------------------------------------------


@pytest.mark.parametrize("field", ["Join-URL", "Registration-URL"])
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "http://example.org/register",
        "https:///no-host",
    ],
)
def test_urls_that_are_not_https_are_refused(tmp_path: Path, field: str, url: str) -> None:
    content = copy_minimal(tmp_path)
    file = content / "sessions" / "alpha-online.md"
    text = re.sub(rf"^{field}: .*$", f"{field}: {url}", file.read_text(), flags=re.M)
    file.write_text(text)
    with pytest.raises(BuildError) as caught:
        build(content)
    line = 6 if field == "Join-URL" else 7
    assert messages(caught.value) == [
        f"{SESSION_PATH}:{line}: {field}: {url!r}: must be an https:// URL with a host and no "
        "spaces"
    ]
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4="])
@pytest.mark.parametrize("file", ["programs/alpha.md", "quotes/ann.md", "sessions/alpha-online.md"])
def test_script_links_in_descriptions_fail_the_build(tmp_path: Path, file: str, url: str) -> None:
    content = copy_minimal(tmp_path)
    path = content / file
    path.write_text(path.read_text() + f"\n[Register here]({url})\n")
    with pytest.raises(BuildError) as caught:
        build(content)
    scheme = url.split(":")[0]
    body = "(description)" if file.startswith("sessions") else "(body)"
    line = len((content / file).read_text().splitlines())
    assert messages(caught.value) == [
        f"content/{file}:{line}: {body}: {url!r}: links with the scheme '{scheme}:' are not "
        "allowed (they can run script); use an https://, mailto: or tel: link, or a "
        "site-relative one such as /programs/"
    ]


# -- non-ASCII text and folding ----------------------------------------------------------

WORLD = "Séance d’information · 研究生课程说明会 · 🎓👩🏽‍⚕️ · שיעור פתוח · لقاء تعريفي · Ωμέγα"


def test_non_ascii_text_round_trips_into_pages_and_feeds(tmp_path: Path) -> None:
    content = copy_minimal(tmp_path)
    title = f"{WORLD} — " + "长标题🎓é" * 30  # long: many folds, in the middle of characters
    location = "Salle Émile-Dürer, 東京都 1-2-3, תל אביב 🏥"
    program = content / "programs" / "alpha.md"
    program.write_text(
        program.read_text().replace("Short-name: ALP", "Short-name: ÉCOLE 学院 🎓"),
        encoding="utf-8",
    )
    quote = content / "quotes" / "ann.md"
    quote.write_text(
        quote.read_text().replace("Quality is everyone's job.", f"«{WORLD}»"), encoding="utf-8"
    )
    (content / "sessions" / "alpha-online.md").write_text(
        session_file(
            {
                "Title": title,
                "Program": "alpha",
                "Format": "hybrid",
                "Start": "2026-12-08 12:00",
                "Duration": "1h",
                "Timezone": "Asia/Tokyo",
                "Location": location,
                "Join-URL": "https://example.org/join/%E6%97%A5",
            },
            f"{WORLD}\n",
        ),
        encoding="utf-8",
    )
    output = build(content)
    page = soup(output, "sessions/alpha-online")
    assert page.h1.get_text() == title
    assert jsonld(page)["name"] == title
    assert WORLD in page.select_one(".hq-prose").get_text()
    assert f"«{WORLD}»" in soup(output, "programs/alpha").blockquote.get_text()
    for feed in ("all", "program-alpha", "sessions/alpha-online"):
        data = (output / "calendar" / f"{feed}.ics").read_bytes()
        assert_folded_per_rfc(data)
        assert max(len(line) for line in data.split(b"\r\n")) > 70  # the title did fold
        (event,) = Calendar.from_ical(data).events
        assert str(event["SUMMARY"]) == title
        assert str(event["LOCATION"]) == location
        assert WORLD in str(event["DESCRIPTION"])
        assert [str(c) for c in event["CATEGORIES"].cats][1] == "ÉCOLE 学院 🎓"
        assert event.decoded("DTSTART") == datetime(2026, 12, 8, 3, tzinfo=UTC)
        (other,) = ics.Calendar(data.decode("utf-8")).events
        assert other.name == title
    lines = unfold((output / "calendar" / "program-alpha.ics").read_bytes())
    name = next(line for line in lines if line.startswith("NAME:"))
    assert name == f"NAME:ÉCOLE 学院 🎓 info sessions ({SITE})"


# -- broken files --------------------------------------------------------------------------

LATIN_1 = "Title: Séance\n".encode("latin-1")


def write(content: Path, name: str, data: bytes) -> None:
    (content / name).parent.mkdir(parents=True, exist_ok=True)
    (content / name).write_bytes(data)


def edited(content: Path, name: str, old: str, new: str) -> bytes:
    text = (content / name).read_text(encoding="utf-8")
    assert old in text, (name, old)
    return text.replace(old, new, 1).encode()


BROKEN = [
    pytest.param(
        lambda c: write(c, "sessions/alpha-online.md", LATIN_1 + b"Program: alpha\n"),
        [
            f"{SESSION_PATH}:1: (file): 'Title: S\ufffdance': not UTF-8 text (byte 0xE9); save "
            "the file with the encoding UTF-8"
        ],
        id="session-not-utf8",
    ),
    pytest.param(
        lambda c: write(c, "programs/alpha.md", b"Slug: alpha\n" + LATIN_1),
        [
            "content/programs/alpha.md:2: (file): 'Title: S\ufffdance': not UTF-8 text (byte "
            "0xE9); save the file with the encoding UTF-8",
            "content/quotes/ann.md:4: Programs: 'alpha': no such program; use one of: (no "
            "programs are defined)",
            f"{SESSION_PATH}:2: Program: 'alpha': no such program; use one of: (no programs are "
            "defined)",
        ],
        id="program-not-utf8",
    ),
    pytest.param(
        lambda c: write(c, "quotes/ann.md", b"Person: Ann\n" + LATIN_1),
        [
            "content/quotes/ann.md:2: (file): 'Title: S\ufffdance': not UTF-8 text (byte 0xE9); "
            "save the file with the encoding UTF-8"
        ],
        id="quote-not-utf8",
    ),
    pytest.param(
        lambda c: write(c, "sessions/alpha-online.md", b""),
        [
            f"{SESSION_PATH}: (header): (missing): the file has no header; start it with "
            "'Title: ...' lines, then a blank line, then the description",
            f"{SESSION_PATH}: Title: (missing): required; add a 'Title:' line",
            f"{SESSION_PATH}: Program: (missing): required; add 'Program: <program slug>'",
            f"{SESSION_PATH}: Format: (missing): required; add 'Format: in-person', 'online' "
            "or 'hybrid'",
            f"{SESSION_PATH}: Start: (missing): required; add 'Start: YYYY-MM-DD HH:MM'",
            f"{SESSION_PATH}: End: (missing): required; add 'End: YYYY-MM-DD HH:MM' or "
            "'Duration: 90m' (or 1h30m)",
        ],
        id="session-empty",
    ),
    pytest.param(
        lambda c: write(c, "programs/alpha.md", b""),
        [
            "content/programs/alpha.md: (header): (missing): the file has no header; start it "
            "with 'Title: ...' lines, then a blank line, then the description",
            "content/programs/alpha.md: Title: (missing): required; add a 'Title:' line",
            "content/programs/alpha.md: Slug: (missing): required; add a 'Slug:' line",
            "content/programs/alpha.md: Summary: (missing): required; add a 'Summary:' line",
            "content/programs/alpha.md: Institution: (missing): required; add a "
            "'Institution:' line",
            "content/programs/alpha.md: Degree: (missing): required; add a 'Degree:' line",
            "content/programs/alpha.md: Source: (missing): required; add a 'Source:' line",
            "content/quotes/ann.md:4: Programs: 'alpha': no such program; use one of: (no "
            "programs are defined)",
            f"{SESSION_PATH}:2: Program: 'alpha': no such program; use one of: (no programs are "
            "defined)",
        ],
        id="program-empty",
    ),
    pytest.param(
        lambda c: write(c, "quotes/ann.md", b"\n"),
        [
            "content/quotes/ann.md: (header): (missing): the file has no header; start it with "
            "'Person: ...' lines, then a blank line, then the description",
            "content/quotes/ann.md: Person: (missing): required; add a 'Person:' line",
            "content/quotes/ann.md: Role: (missing): required; add a 'Role:' line",
            "content/quotes/ann.md: Organisation: (missing): required; add a 'Organisation:' "
            "line",
            "content/quotes/ann.md: Group: (missing): required; add a 'Group:' line",
            "content/quotes/ann.md: Context: (missing): required; add a 'Context:' line",
            "content/quotes/ann.md: Source: (missing): required; add a 'Source:' line",
            "content/quotes/ann.md: Source-file: (missing): required; add a 'Source-file:' line",
            "content/quotes/ann.md: (body): (missing): add the quote's text after the header",
        ],
        id="quote-empty",
    ),
    pytest.param(
        lambda c: write(
            c,
            "programs/alpha.md",
            edited(c, "programs/alpha.md", "Degree: MSc Alpha", "Degree: MSc\nDegree: MA"),
        ),
        ["content/programs/alpha.md:7: Degree: 'MA': set twice, on lines 6 and 7; keep one"],
        id="program-repeated-field",
    ),
    pytest.param(
        lambda c: write(
            c,
            "quotes/ann.md",
            edited(c, "quotes/ann.md", "Programs: alpha", "Role: x\nPrograms: alpha"),
        ),
        ["content/quotes/ann.md:4: Role: 'x': set twice, on lines 2 and 4; keep one"],
        id="quote-repeated-field",
    ),
    pytest.param(
        lambda c: write(
            c,
            "sessions/other/alpha-online.md",
            edited(c, "sessions/alpha-online.md", "Duration", "UID: x\nDuration"),
        ),
        [
            "content/sessions/other/alpha-online.md: (file name): 'alpha-online': also used by "
            "content/sessions/alpha-online.md; every session file needs its own name"
        ],
        id="two-sessions-one-slug",
    ),
    pytest.param(
        lambda c: write(
            c,
            "sessions/alpha-online.md",
            edited(c, "sessions/alpha-online.md", "Alpha online", "Alpha\x0bonline"),
        ),
        [
            f"{SESSION_PATH}:1: Title: 'Alpha\\x0bonline session': contains the invisible "
            "character U+000B; delete it (retype the text around it)"
        ],
        id="session-control-character",
    ),
    pytest.param(
        lambda c: write(
            c, "sessions/alpha-online.md", edited(c, "sessions/alpha-online.md", "Meet", "\x1eMeet")
        ),
        [
            f"{SESSION_PATH}:9: (description): '\\x1eMeet the faculty.': contains the invisible "
            "character U+001E; delete it (retype the text around it)"
        ],
        id="session-body-control-character",
    ),
    pytest.param(
        lambda c: write(
            c,
            "programs/alpha.md",
            edited(c, "programs/alpha.md", "Short-name: ALP", "Short-name: A\x00P"),
        ),
        [
            "content/programs/alpha.md:3: Short-name: 'A\\x00P': contains the invisible "
            "character U+0000; delete it (retype the text around it)"
        ],
        id="program-control-character",
    ),
    pytest.param(
        lambda c: write(
            c,
            "sessions/alpha-online.md",
            edited(c, "sessions/alpha-online.md", "Duration", "Sequence: 2147483648\nDuration"),
        ),
        [
            f"{SESSION_PATH}:5: Sequence: '2147483648': must be a whole number from 0 to "
            "2147483647; raise it by one for each change to the time, place or status"
        ],
        id="sequence-beyond-icalendar-integer",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("breaks", "expected"), BROKEN)
def test_broken_files_are_clear_errors_naming_the_file(
    tmp_path: Path, breaks, expected: list[str]
) -> None:
    content = copy_minimal(tmp_path)
    breaks(content)
    with pytest.raises(BuildError) as caught:
        build(content)
    assert messages(caught.value) == expected
    assert not (tmp_path / "output").exists()


# Invisible line breaks and format characters: refused in every header field of every
# content type (they are allowed in a Markdown body, where they reach no calendar field).
INVISIBLE = [
    "\t",  # tab: a field is one line, and a tab in it hides what calendars show
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u0085",  # next line
    *(chr(code) for code in range(0x200B, 0x2010)),  # zero-width space ... right-to-left mark
    *(chr(code) for code in range(0x202A, 0x202F)),  # bidirectional embeddings, overrides
    *(chr(code) for code in range(0x2066, 0x206A)),  # bidirectional isolates
]
READERS = {"session": SessionReader, "program": ProgramReader, "quote": QuoteReader}


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("kind", READERS)
def test_invisible_characters_are_refused_in_every_header_field(kind: str, character: str) -> None:
    reader = READERS[kind]
    for field in reader.fields:
        text = f"{field.name}: before{character}after\n\nBody.\n"
        (problem,) = reader.parse(text, "content/x.md").problems
        assert (problem.field, problem.value, problem.line) == (
            field.name,
            f"before{character}after",
            1,
        )
        assert problem.fix.startswith(f"contains the invisible character U+{ord(character):04X}")
        # On a continuation line too.
        continued = f"{field.name}: before\n  more{character}after\n\nBody.\n"
        (problem,) = reader.parse(continued, "content/x.md").problems
        assert (problem.field, problem.line) == (field.name, 2)


@pytest.mark.parametrize(
    ("file", "old"),
    [
        ("sessions/alpha-online.md", "Alpha online session"),
        ("programs/alpha.md", "Alpha Program"),
        ("quotes/ann.md", "Ann Example"),
    ],
)
def test_the_build_refuses_a_bidirectional_override_in_a_title(
    tmp_path: Path, file: str, old: str
) -> None:
    content = copy_minimal(tmp_path)
    write(content, file, edited(content, file, old, old.replace(" ", " \u202e", 1)))
    with pytest.raises(BuildError) as caught:
        build(content)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == (f"content/{file}", 1)
    assert "U+202E" in problem.fix


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f469\U0001f3fd\u200d\u2695\ufe0f health worker",  # an emoji sequence (ZWJ)
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a ZWNJ
        "\u0915\u094d\u200d\u0937",  # Devanagari, a half form (ZWJ)
    ],
)
def test_joiners_between_letters_that_need_them_are_accepted(text: str) -> None:
    assert SessionReader.parse(f"Title: {text}\n\nBody.\n", "content/x.md").problems == ()


def test_invisible_format_characters_in_a_body_are_kept(tmp_path: Path) -> None:
    content = copy_minimal(tmp_path)
    file = "sessions/alpha-online.md"
    write(content, file, edited(content, file, "Meet the faculty.", "Meet the\u200bfaculty."))
    page = (build(content) / "sessions" / "alpha-online" / "index.html").read_text("utf-8")
    assert "Meet the\u200bfaculty." in page


def test_a_program_field_may_continue_on_an_indented_line(tmp_path: Path) -> None:
    """Programs, quotes and sessions share one header grammar: an indented line continues
    the field above it, joined with a space."""
    content = copy_minimal(tmp_path)
    write(
        content,
        "programs/alpha.md",
        edited(content, "programs/alpha.md", "Degree: MSc Alpha", "Degree: MSc\n    Alpha"),
    )
    page = (build(content) / "programs" / "alpha" / "index.html").read_text("utf-8")
    assert "<dd>MSc Alpha</dd>" in page


# -- property-based: any session metadata ------------------------------------------------

PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<!--<script>", "</script>", "&amp;", "&", '"', "'", ";",
    ",", "\\", "\\n", ":", "END:VEVENT", "BEGIN:VEVENT", "UID:evil", "\t", " ", "\x0c",
    "\x00", "\x1e", "\x85", "\u2028", "\u202e", "\ufeff", "é", "中文", "🎓", "👩🏽‍⚕️",
    "עברית", "ℌ", "x" * 80,
])  # fmt: skip
# Control characters come from PIECES only, so that most generated text is accepted.
ANY_CHARS = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=30)
TEXT = st.lists(st.one_of(PIECES, ANY_CHARS), max_size=5).map("".join)
WALL_CLOCK = st.datetimes(datetime(2026, 12, 1), datetime(2028, 12, 31)).map(  # noqa: DTZ001
    lambda d: d.strftime("%Y-%m-%d %H:%M")
)
HTTPS_URL = st.text(st.characters(codec="ascii", categories=["L", "N", "P", "S"]), max_size=25).map(
    lambda path: f"https://example.org/{path}"
)
ZONES = [
    "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
    "Pacific/Chatham", "America/St_Johns", "UTC", "Etc/GMT+12",
]  # fmt: skip
# Values that are wrong for one field or another.
BAD_VALUES = [
    "", "beta", "ALPHA", "onsite", "2027-02-30 12:00", "2027-03-14 02:30", "2027-11-07 01:30",
    "13h", "0m", "1.5h", "../etc/passwd", "Europe/Londn", "javascript:alert(1)",
    "data:text/html,x", "http://example.org/", "https://", "2147483648", "-1", "my uid",
]  # fmt: skip


@st.composite
def session_fields(draw: st.DrawFn) -> dict[str, str | None]:
    """A valid session's fields with hostile text in its title and venue, then up to three
    fields replaced by arbitrary text or a value that is wrong somewhere."""
    session_format = draw(st.sampled_from(["online", "in-person", "hybrid", "Hybrid"]))
    minutes = draw(st.integers(1, 12 * 60))
    fields: dict[str, str | None] = {
        "Title": "Info " + draw(TEXT),
        "Program": "alpha",
        "Format": session_format,
        "Start": draw(WALL_CLOCK),
        "Duration": draw(st.sampled_from([f"{minutes}m", f"{minutes // 60}h{minutes % 60}m"])),
        "Timezone": draw(st.one_of(st.none(), st.sampled_from(ZONES))),
        "Location": draw(TEXT) + " Hall" if session_format != "online" else None,
        "Join-URL": draw(HTTPS_URL) if session_format != "in-person" else None,
        "Registration-URL": draw(st.one_of(st.none(), HTTPS_URL)),
        "Status": draw(st.sampled_from([None, "scheduled", "cancelled", "postponed", "full"])),
        "Sequence": draw(st.one_of(st.none(), st.integers(0, 2**31 - 1).map(str))),
        "UID": draw(
            st.one_of(
                st.none(),
                st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,15}(@[a-z0-9]{1,10})?", fullmatch=True),
            )
        ),
    }
    for name in draw(st.sets(st.sampled_from(sorted(fields)), max_size=3)):
        fields[name] = draw(st.one_of(TEXT, st.sampled_from(BAD_VALUES)))
    return fields


PREFIX = {"cancelled": "Cancelled: ", "postponed": "Postponed: "}
STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def feed_line(value: str) -> str:
    """A one-line TEXT value as feeds carry it: every line break str.splitlines() knows is a
    space (the writer's rule, written out here independently)."""
    return "".join(" " if len(f"a{c}a".splitlines()) > 1 else c for c in value)


def expected_event(fields: dict[str, str | None]) -> dict[str, object]:
    """What the feed must say for fields the build accepted (values are stripped)."""
    value = {name: (v or "").strip() for name, v in fields.items()}
    zone = ZoneInfo(value["Timezone"] or "America/New_York")
    start = datetime.strptime(value["Start"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    hours = re.search(r"(\d+)\s*h", value["Duration"].lower())
    minutes = re.search(r"(\d+)\s*m", value["Duration"].lower())
    length = timedelta(
        hours=int(hours.group(1)) if hours else 0, minutes=int(minutes.group(1)) if minutes else 0
    )
    status = value["Status"].lower() or "scheduled"
    uid = value["UID"] or "alpha-online"
    happening = status in ("scheduled", "full")
    online_only = value["Format"].lower() == "online"
    return {
        "UID": uid if "@" in uid else f"{uid}@127.0.0.1",
        "SUMMARY": feed_line(PREFIX.get(status, "") + value["Title"]),
        "START": start,
        "END": (start.astimezone(UTC) + length),
        "TZID": zone.key,
        # A withdrawn join link leaves "Online" where it was.
        "LOCATION": feed_line(
            (value["Join-URL"] if happening else "Online") if online_only else value["Location"]
        ),
        "STATUS": STATUS.get(status, "CONFIRMED"),
        "SEQUENCE": int(value["Sequence"] or 0),
        "FORMAT": {"online": "Online", "in-person": "In person", "hybrid": "Hybrid"}[
            value["Format"].lower()
        ],
        "CONFERENCE": value["Join-URL"] if happening else "",
        "REGISTER": value["Registration-URL"] if status == "scheduled" else "",
    }


def check_round_trip(output: Path, fields: dict[str, str | None]) -> None:
    want = expected_event(fields)
    # The aggregate feeds reach INFO_SESSIONS_FUTURE_DAYS (365) ahead of "today"; the
    # program's feed holds every session of the program, however far ahead.
    horizon = datetime.fromisoformat(TODAY).replace(tzinfo=ZoneInfo("America/New_York"))
    far = want["START"] >= horizon + timedelta(days=365)
    if far:
        assert block_names((output / "calendar" / "all.ics").read_bytes(), "VEVENT") == []
    for feed in ("sessions/alpha-online", "program-alpha" if far else "all"):
        data = (output / "calendar" / f"{feed}.ics").read_bytes()
        assert_folded_per_rfc(data)
        assert len(block_names(data, "VEVENT")) == 1
        (event,) = Calendar.from_ical(data).events
        assert str(event["UID"]) == want["UID"]
        assert str(event["SUMMARY"]) == want["SUMMARY"]
        assert event.decoded("DTSTART") == want["START"]
        # A UTC start is written in UTC ("...Z"), without a TZID.
        zone = event["DTSTART"].params.get("TZID", "UTC")
        assert zone == want["TZID"] or want["START"].utcoffset() == timedelta(0) == zone == "UTC"
        assert event.decoded("DTEND") == want["END"]
        assert str(event.get("LOCATION", "")) == want["LOCATION"]
        assert str(event["STATUS"]) == want["STATUS"]
        assert event.decoded("SEQUENCE") == want["SEQUENCE"]
        assert str(event["CATEGORIES"].cats[2]) == want["FORMAT"]
        assert str(event.get("CONFERENCE", "")) == want["CONFERENCE"]
        description = str(event["DESCRIPTION"])
        assert (f"Register: {want['REGISTER']}" in description) == bool(want["REGISTER"])
        (other,) = ics.Calendar(data.decode("utf-8")).events
        assert (other.uid, other.begin.datetime) == (want["UID"], want["START"])
        if "\\" not in want["SUMMARY"]:  # ics 0.7.3 reads "\\n" as a newline (a bug of its own)
            assert other.name == want["SUMMARY"]
    page = soup(output, "sessions/alpha-online")
    title = (fields["Title"] or "").strip()
    assert page.h1.get_text() == title
    assert jsonld(page)["name"] == title
    script = page.find("script", type="application/ld+json").string
    assert "<" not in script


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(fields=session_fields())
def test_any_session_metadata_is_refused_clearly_or_round_trips(
    fields: dict[str, str | None],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = copy_minimal(Path(folder))
        (content / "sessions" / "alpha-online.md").write_text(
            session_file(fields), encoding="utf-8"
        )
        try:
            output = build(content)
        except BuildError as error:
            event("refused")
            assert error.problems
            for problem in error.problems:
                assert isinstance(problem, Problem), problem
                assert problem.path == SESSION_PATH, problem
                assert PROBLEM.match(str(problem)), problem
            return
        event("built")
        check_round_trip(output, fields)


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(program=TEXT, quote=TEXT, title=TEXT, body=st.lists(TEXT, max_size=4).map("\r\n".join))
def test_hostile_text_anywhere_never_injects_markup_or_calendar_data(
    program: str, quote: str, title: str, body: str
) -> None:
    """Program title, quote text, session title and body at once: a clear refusal, or pages
    with no injected markup and feeds with exactly one event of exactly our properties."""
    with tempfile.TemporaryDirectory() as folder:
        content = copy_minimal(Path(folder))
        file = content / "programs" / "alpha.md"
        file.write_text(
            file.read_text().replace("Title: Alpha Program", f"Title: Alpha {program}"),
            encoding="utf-8",
        )
        file = content / "quotes" / "ann.md"
        file.write_text(
            file.read_text().replace("Quality is everyone's job.", f"Quality {quote}"),
            encoding="utf-8",
        )
        file = content / "sessions" / "alpha-online.md"
        file.write_text(
            file.read_text()
            .replace("Title: Alpha online session", f"Title: Alpha {title}")
            .replace("Meet the faculty.", body),
            encoding="utf-8",
        )
        try:
            output = build(content)
        except BuildError as error:
            event("refused")
            for problem in messages(error):
                assert PROBLEM.match(problem), problem
            return
        event("built")
        assert_pages_have_no_injected_markup(output)
        assert soup(output, "sessions/alpha-online").h1.get_text() == f"Alpha {title}".strip()
        for feed in ("all", "program-alpha", "sessions/alpha-online"):
            data = (output / "calendar" / f"{feed}.ics").read_bytes()
            assert_folded_per_rfc(data)
            assert block_names(data, "VEVENT") == [EVENT_PROPERTIES]
            (vevent,) = Calendar.from_ical(data).events
            assert str(vevent["SUMMARY"]) == feed_line(f"Alpha {title}".strip())
            (other,) = ics.Calendar(data.decode("utf-8")).events
            if "\\" not in title:  # ics 0.7.3 reads "\\n" as a newline (a bug of its own)
                assert other.name == feed_line(f"Alpha {title}".strip())
