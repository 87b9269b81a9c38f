"""`make new-session` (invoke new-session): on a terminal it asks, with flags it never does;
every answer is checked by the build's validator, and the file it writes builds into every
page and feed the session belongs to."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from pelican.plugins.info_sessions.files import SessionReader

from tests.sessions.helpers import page
from tests.staff.conftest import TODAY, invoke, invoke_on_terminal
from tools.build import build_site, site_today
from tools.staff.new_session import unsafe_character_problem

ONLINE = {
    "--program": "alpha",
    "--format": "online",
    "--start": "2027-05-11 12:00",
    "--duration": "1h",
    "--join-url": "https://example.org/join/alpha-may",
}
ONLINE_FLAGS = [part for item in ONLINE.items() for part in item]


def build(content: Path) -> Path:
    output = content.parent / "output"
    build_site(output, overrides={"PATH": str(content), **site_today(TODAY)})
    return output


def feed_events(output: Path, feed: str) -> dict[str, object]:
    """UID -> VEVENT of a built feed."""
    data = (output / "calendar" / f"{feed}.ics").read_bytes()
    return {str(event["UID"]): event for event in Calendar.from_ical(data).events}


def listed(output: Path, url: str, link: str) -> bool:
    return page(output, url).find("a", href=link) is not None


def test_on_a_terminal_it_asks_reasks_with_the_validators_message_and_writes_the_file(
    site: Path,
) -> None:
    run = invoke_on_terminal(
        "new-session",
        "--content",
        str(site),
        answers=[
            "3", "alpha",
            "onsite", "hybrid",
            "",  # time zone: the site's default
            "2027-03-14 02:30", "2027-04-20 18:00",
            "",  # repeat: none, a single session
            "17:00", "90",
            "", "Alpha Hall, 1 Example Street, Boston, MA",
            "http://example.org/join", "https://example.org/join/alpha-apr",
            "javascript:alert(1)", "https://example.org/register/alpha-apr",
            "",  # title: the default
        ],
    )  # fmt: skip
    assert run.status == 0, run.output
    for shown in (
        "Programs:\n  1. beta  (Beta Program)\n  2. alpha  (Alpha Program)\n"
        "Program (number or slug): ",
        "Not accepted: Program: '3': no such program; use one of: alpha, beta",
        "Not accepted: Format: 'onsite': must be one of in-person, online, hybrid (did you "
        "mean 'online'?)",
        "Time zone [America/New_York]: ",
        "Start, in America/New_York (YYYY-MM-DD HH:MM): ",
        "Not accepted: Start: '2027-03-14 02:30': does not exist in America/New_York: clocks go "
        "forward 1 hour that night and skip this time; choose a time at least 1 hour earlier "
        "or later",
        "Not accepted: End: '2027-04-20 17:00': must end after Start (2027-04-20 18:00); or "
        "give a duration such as 1h or 90m",
        "Not accepted: an answer is needed",
        "Not accepted: Join-URL: 'http://example.org/join': must be an https:// URL with a "
        "host and no spaces",
        "Not accepted: Registration-URL: 'javascript:alert(1)': must be an https:// URL with a "
        "host and no spaces",
        "Title [ALP hybrid information session]: ",
        f"Wrote {site}/sessions/2027-04-20-alpha-hybrid.md",
        "  2. Check everything:  make check",
        f"git add {site}/sessions/2027-04-20-alpha-hybrid.md",
    ):
        assert shown in run.output
    written = site / "sessions" / "2027-04-20-alpha-hybrid.md"
    assert written.read_text(encoding="utf-8") == (
        "Title: ALP hybrid information session\n"
        "Program: alpha\n"
        "Format: hybrid\n"
        "Start: 2027-04-20 18:00\n"
        "Duration: 90m\n"
        "Timezone: America/New_York\n"
        "Location: Alpha Hall, 1 Example Street, Boston, MA\n"
        "Join-URL: https://example.org/join/alpha-apr\n"
        "Registration-URL: https://example.org/register/alpha-apr\n"
        "Status: scheduled\n"
        "UID: 2027-04-20-alpha-hybrid\n"
        "Sequence: 0\n"
        "\n"
    )
    output = build(site)
    link = "/sessions/2027-04-20-alpha-hybrid/"
    for url in ("sessions", "sessions/in-person", "sessions/online", "sessions/program/alpha",
                "programs/alpha", "sessions/calendar/2027-04"):  # fmt: skip
        assert listed(output, url, link), url
    assert page(output, link.strip("/")).h1.get_text() == "ALP hybrid information session"
    uid = "2027-04-20-alpha-hybrid@127.0.0.1"
    for feed in ("all", "in-person", "online", "program-alpha", "sessions/2027-04-20-alpha-hybrid"):
        event = feed_events(output, feed)[uid]
        assert event.decoded("DTSTART") == datetime(2027, 4, 20, 22, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2027, 4, 20, 23, 30, tzinfo=UTC)
        assert str(event["LOCATION"]) == "Alpha Hall, 1 Example Street, Boston, MA"
    assert uid not in feed_events(output, "program-beta")


def test_with_every_flag_it_never_asks(site: Path) -> None:
    run = invoke(
        "new-session", "--content", str(site), *ONLINE_FLAGS,
        "--registration-url", "https://example.org/register/alpha-may",
        "--title", "Alpha: ask us anything", "--timezone", "Europe/London",
    )  # fmt: skip
    assert run.status == 0, run.output
    assert "?" not in run.output and ": [" not in run.output  # no question was asked
    written = site / "sessions" / "2027-05-11-alpha-online.md"
    assert written.read_text(encoding="utf-8") == (
        "Title: Alpha: ask us anything\n"
        "Program: alpha\n"
        "Format: online\n"
        "Start: 2027-05-11 12:00\n"
        "Duration: 1h\n"
        "Timezone: Europe/London\n"
        "Join-URL: https://example.org/join/alpha-may\n"
        "Registration-URL: https://example.org/register/alpha-may\n"
        "Status: scheduled\n"
        "UID: 2027-05-11-alpha-online\n"
        "Sequence: 0\n"
        "\n"
    )
    output = build(site)
    link = "/sessions/2027-05-11-alpha-online/"
    for url in ("sessions", "sessions/online", "sessions/program/alpha", "programs/alpha"):
        assert listed(output, url, link), url
    assert not listed(output, "sessions/in-person", link)
    uid = "2027-05-11-alpha-online@127.0.0.1"
    event = feed_events(output, "online")[uid]
    assert str(event["SUMMARY"]) == "Alpha: ask us anything"
    assert event.decoded("DTSTART") == datetime(2027, 5, 11, 11, tzinfo=UTC)
    assert uid not in feed_events(output, "in-person")


def test_end_as_a_clock_time_and_a_status_flag(site: Path) -> None:
    run = invoke(
        "new-session", "--content", str(site), "--program", "beta", "--format", "in-person",
        "--start", "2027-06-01 17:30", "--end", "19:00", "--location", "Beta Hall, Boston",
        "--status", "full",
    )  # fmt: skip
    assert run.status == 0, run.output
    text = (site / "sessions" / "2027-06-01-beta-in-person.md").read_text()
    assert "End: 2027-06-01 19:00\n" in text and "Status: full\n" in text
    assert "Title: Beta Program in-person information session\n" in text
    event = feed_events(build(site), "in-person")["2027-06-01-beta-in-person@127.0.0.1"]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_map_url_flag_is_written_and_checked(site: Path) -> None:
    """--map-url: written as Map-URL, shown as the page's map link; http is refused."""
    flags = (
        "new-session", "--content", str(site), "--program", "beta", "--format", "in-person",
        "--start", "2027-06-02 17:30", "--duration", "1h", "--location", "Beta Hall, Boston",
    )  # fmt: skip
    refused = invoke(*flags, "--map-url", "http://maps.example.org/beta-hall")
    assert refused.status != 0
    assert "Map-URL" in refused.output and "https://" in refused.output
    run = invoke(*flags, "--map-url", "https://maps.example.org/beta-hall")
    assert run.status == 0, run.output
    text = (site / "sessions" / "2027-06-02-beta-in-person.md").read_text()
    assert "Location: Beta Hall, Boston\nMap-URL: https://maps.example.org/beta-hall\n" in text
    shown = page(build(site), "sessions/2027-06-02-beta-in-person")
    assert shown.select_one("a.hq-map")["href"] == "https://maps.example.org/beta-hall"


def test_without_a_terminal_missing_answers_are_an_error_naming_the_flags(site: Path) -> None:
    before = sorted(p.name for p in (site / "sessions").iterdir())
    run = invoke("new-session", "--content", str(site), "--program", "alpha", "--format", "hybrid")
    assert run.status == 1
    assert run.output.strip() == (
        "new-session: missing --start, --duration or --end, --location, --join-url (there is no "
        "terminal to ask on); give every answer as a flag (invoke --help new-session lists them)"
    )
    assert sorted(p.name for p in (site / "sessions").iterdir()) == before


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            {"--start": "2027-03-14 02:30"},
            "new-session: --start: Start: '2027-03-14 02:30': does not exist in America/New_York: "
            "clocks go forward 1 hour that night and skip this time; choose a time at least 1 "
            "hour earlier or later",
        ),
        (
            {"--join-url": "javascript:alert(1)"},
            "new-session: --join-url: Join-URL: 'javascript:alert(1)': must be an https:// URL "
            "with a host and no spaces",
        ),
        (
            {"--program": "gamma"},
            "new-session: --program: Program: 'gamma': no such program; use one of: alpha, beta",
        ),
        (
            {"--timezone": "Europe/Londn"},
            "new-session: --timezone: Timezone: 'Europe/Londn': unknown time zone; use an IANA "
            "name such as 'America/New_York' (did you mean 'Europe/London'?)",
        ),
        (
            {"--duration": "13h"},
            "new-session: --duration or --end: Duration: '13h': the session would last 13 "
            "hours; 12 hours at most; or give a duration such as 1h or 90m",
        ),
        ({"--end": "13:00"}, "new-session: give --duration or --end, not both"),
    ],
)
def test_without_a_terminal_a_wrong_flag_is_refused_with_the_validators_message(
    site: Path, flags: dict[str, str], message: str
) -> None:
    changed = [part for item in {**ONLINE, **flags}.items() for part in item]
    run = invoke("new-session", "--content", str(site), *changed)
    assert run.status == 1
    assert run.output.strip() == message
    assert not (site / "sessions" / "2027-05-11-alpha-online.md").exists()


def test_a_second_session_gets_its_own_name_and_uid_and_nothing_is_overwritten(
    site: Path,
) -> None:
    assert invoke("new-session", "--content", str(site), *ONLINE_FLAGS).status == 0
    first = site / "sessions" / "2027-05-11-alpha-online.md"
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    run = invoke("new-session", "--content", str(site), *ONLINE_FLAGS)
    assert run.status == 0, run.output
    second = site / "sessions" / "2027-05-11-alpha-online-2.md"
    assert "UID: 2027-05-11-alpha-online-2\n" in second.read_text()
    assert hashlib.sha256(first.read_bytes()).hexdigest() == digest
    events = feed_events(build(site), "all")
    assert {"2027-05-11-alpha-online@127.0.0.1", "2027-05-11-alpha-online-2@127.0.0.1"} <= set(
        events
    )


def test_a_name_kept_as_the_uid_of_a_renamed_file_is_not_reused(site: Path) -> None:
    renamed = site / "sessions" / "alpha-may.md"
    renamed.write_text(
        "Title: Renamed\nProgram: alpha\nFormat: online\nStart: 2027-05-11 09:00\n"
        "Duration: 1h\nJoin-URL: https://example.org/j\nUID: 2027-05-11-alpha-online\n\n"
    )
    run = invoke("new-session", "--content", str(site), *ONLINE_FLAGS)
    assert run.status == 0, run.output
    assert (site / "sessions" / "2027-05-11-alpha-online-2.md").exists()
    build(site)  # two sessions, two UIDs: the build accepts it


def test_the_written_file_can_be_renamed_without_becoming_a_new_event(site: Path) -> None:
    assert invoke("new-session", "--content", str(site), *ONLINE_FLAGS).status == 0
    uid = "2027-05-11-alpha-online@127.0.0.1"
    assert uid in feed_events(build(site), "all")
    file = site / "sessions" / "2027-05-11-alpha-online.md"
    file.rename(file.with_name("alpha-may-online.md"))
    output = site.parent / "renamed"
    build_site(output, overrides={"PATH": str(site), **site_today(TODAY)})
    assert uid in feed_events(output, "all")
    assert (output / "sessions" / "alpha-may-online" / "index.html").is_file()


# Line breaks (CR, LF and the Unicode ones), control characters (C0, DEL, C1), zero-width
# and bidi controls, the byte order mark: each would add a header line, end the header early
# (moving UID and Sequence into the body) or hide what calendars show.
UNSAFE = {
    "\n": "a line break, U+000A (LINE FEED)",
    "\r": "a line break, U+000D (CARRIAGE RETURN)",
    "\x85": "a line break, U+0085 (NEXT LINE)",
    "\u2028": "a line break, U+2028 (LINE SEPARATOR)",
    "\u2029": "a line break, U+2029 (PARAGRAPH SEPARATOR)",
    "\t": "an invisible character, U+0009 (TAB)",
    "\x01": "an invisible character, U+0001 (a control character)",  # NUL cannot be in argv
    "\x1b": "an invisible character, U+001B (a control character)",
    "\x7f": "an invisible character, U+007F (a control character)",
    "\x9b": "an invisible character, U+009B (a control character)",
    "\u200b": "an invisible character, U+200B (ZERO WIDTH SPACE)",
    "\u200f": "an invisible character, U+200F (RIGHT-TO-LEFT MARK)",
    "\u202e": "an invisible character, U+202E (RIGHT-TO-LEFT OVERRIDE)",
    "\u2066": "an invisible character, U+2066 (LEFT-TO-RIGHT ISOLATE)",
    "\u2069": "an invisible character, U+2069 (POP DIRECTIONAL ISOLATE)",
    "\ufeff": "an invisible character, U+FEFF (ZERO WIDTH NO-BREAK SPACE)",
}
FIX = (
    "give the whole answer on one line, without invisible characters (type it again rather "
    "than pasting it)"
)


@pytest.mark.parametrize("character", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_line_break_or_invisible_character_in_any_flag_is_refused_naming_every_flag(
    site: Path, character: str
) -> None:
    """The value of each flag holds ``character``; every flag is named, nothing is written."""
    before = sorted(p.name for p in (site / "sessions").iterdir())
    values = {
        "--program": "alpha",
        "--format": "hybrid",
        "--start": "2027-05-11 12:00",
        "--duration": "1h",
        "--timezone": "Europe/London",
        "--location": "Alpha Hall, Boston",
        "--join-url": "https://example.org/join/alpha-may",
        "--registration-url": "https://example.org/register/alpha-may",
        "--title": "Alpha",
        "--status": "scheduled",
    }
    tainted = {name: f"{value}{character}Registration-URL: https://example.org/x" for name, value
               in values.items()}  # fmt: skip
    tainted["--title"] = f"Alpha{character}{character}UID: stolen"  # a "blank line" then a field
    run = invoke("new-session", "--content", str(site),
                 *[part for item in tainted.items() for part in item])  # fmt: skip
    assert run.status == 1, run.output
    lines = run.output.strip().removeprefix("new-session: ").split("\n")
    # one line per flag (a CR or LF inside a value is shown escaped by repr)
    assert len(lines) == len(values), run.output
    for line, (name, value) in zip(lines, tainted.items(), strict=True):
        position = value.index(character) + 1
        assert line == (
            f"{name}: {value!r}: contains {UNSAFE[character]}, at character {position}; {FIX}"
        )
    assert "Traceback" not in run.output
    assert sorted(p.name for p in (site / "sessions").iterdir()) == before


def test_on_a_terminal_an_answer_with_a_line_separator_is_asked_again(site: Path) -> None:
    run = invoke_on_terminal(
        "new-session", "--content", str(site), *ONLINE_FLAGS,
        answers=[
            "",  # time zone: the site's default
            "",  # repeat: none, a single session
            "", # registration link: none
            "Alpha\u2028Status: cancelled",  # title, refused
            "Alpha\u200b",  # refused
            "Alpha live",
        ],
    )  # fmt: skip
    assert run.status == 0, run.output
    assert (
        "Not accepted: Title: 'Alpha\\u2028Status: cancelled': contains a line break, U+2028 "
        f"(LINE SEPARATOR), at character 6; {FIX}"
    ) in run.output
    assert (
        "Not accepted: Title: 'Alpha\\u200b': contains an invisible character, U+200B (ZERO "
        f"WIDTH SPACE), at character 6; {FIX}"
    ) in run.output
    text = (site / "sessions" / "2027-05-11-alpha-online.md").read_text(encoding="utf-8")
    assert text == (
        "Title: Alpha live\n"
        "Program: alpha\n"
        "Format: online\n"
        "Start: 2027-05-11 12:00\n"
        "Duration: 1h\n"
        "Timezone: America/New_York\n"
        "Join-URL: https://example.org/join/alpha-may\n"
        "Status: scheduled\n"
        "UID: 2027-05-11-alpha-online\n"
        "Sequence: 0\n"
        "\n"
    )
    build(site)


@pytest.mark.parametrize("answer", ["²", "١٢:٠٠", "٣٠"])
def test_unicode_digits_are_refused_without_a_traceback(site: Path, answer: str) -> None:
    for name in ("--program", "--duration"):
        flags = {**ONLINE, name: answer}
        run = invoke("new-session", "--content", str(site),
                     *[part for item in flags.items() for part in item])  # fmt: skip
        assert run.status == 1, run.output
        assert run.output.startswith(f"new-session: {name if name == '--program' else '--dur'}")
        assert "Traceback" not in run.output


def test_compose_refuses_a_value_that_would_break_the_header() -> None:
    from tools.staff.new_session import NewSessionError, compose

    with pytest.raises(NewSessionError, match=r"^Title: 'a\\n\\nUID: x': contains a line break"):
        compose({"Title": "a\n\nUID: x", "UID": "real"})


@pytest.mark.parametrize("command", ["new-session", "check"])
def test_a_content_folder_that_does_not_exist_is_named_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "no-such-content"
    flags = ONLINE_FLAGS if command == "new-session" else []
    run = invoke(command, "--content", str(missing), *flags)
    assert run.status == 1
    assert run.output.strip() == (
        f"{command}: --content: {str(missing)!r}: no such folder; give the site's content "
        "folder, e.g. --content content (or leave it out)"
    )


def test_an_answer_is_refused_exactly_when_the_build_would_refuse_the_field() -> None:
    """new-session and the header reader apply one rule to a field's value: every character
    below U+3000 and the joiners in text that needs them, accepted or refused alike."""
    values = [f"a{chr(code)}b" for code in range(0x3000) if not 0xD800 <= code < 0xE000]
    values += ["\u0645\u06cc\u200c\u062e", "\U0001f469\u200d\u2695", "a\u200cb", "\u200dx"]
    for value in values:
        refused_by_tool = unsafe_character_problem(value) is not None
        refused_by_build = bool(SessionReader.parse(f"Title: {value}\n\nBody.\n", "x.md").problems)
        assert refused_by_tool == refused_by_build, repr(value)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        pytest.param(
            {"--duration": "9" * 30 + "h"},
            "new-session: --duration or --end: Duration: '" + "9" * 30 + "h': the session would "
            "last more than 12 hours; 12 hours at most (write it like 90m, 1h or 1h30m); or "
            "give a duration such as 1h or 90m",
            id="huge-duration",
        ),
        pytest.param(
            {"--duration": "9" * 5000},
            "new-session: --duration or --end: Duration: '" + "9" * 5000 + "m': the session "
            "would last more than 12 hours; 12 hours at most (write it like 90m, 1h or 1h30m); "
            "or give a duration such as 1h or 90m",
            id="5000-digit-minutes",
        ),
        pytest.param(
            {"--start": "9999-12-31 23:00"},
            "new-session: --start: Start: '9999-12-31 23:00': the year 9999 is not between "
            "1900 and 2999; check the year",
            id="year-9999",
        ),
        pytest.param(
            {"--start": "2999-05-11 12:00"},
            f"new-session: --start: Start: '2999-05-11 12:00': is {(datetime(2999, 5, 11) - datetime.fromisoformat(TODAY)).days} days "  # noqa: E501, DTZ001
            "after today (" + TODAY + "); sessions are dated from ",
            id="year-2999",
        ),
        pytest.param(
            {"--program": "9" * 5000},
            "new-session: --program: Program: '" + "9" * 5000 + "': no such program",
            id="5000-digit-program-number",
        ),
    ],
)
def test_absurd_flags_get_the_builds_named_errors(
    site: Path, flags: dict[str, str], message: str
) -> None:
    before = sorted((site / "sessions").iterdir())
    changed = [part for item in {**ONLINE, **flags}.items() for part in item]
    run = invoke("new-session", "--content", str(site), *changed)
    assert run.status == 1, run.output
    assert "Traceback" not in run.output
    assert run.output.strip().startswith(message), run.output[:600]
    assert sorted((site / "sessions").iterdir()) == before
