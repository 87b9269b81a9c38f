"""`make new-session`: ask for a session's details (or take them as flags) and write a
session file the build accepts.

Every answer is checked by the plugin's own validator as soon as it is given, together with
the answers before it; a wrong answer is asked again with the validator's message (or, when
there is no terminal to ask on, stops the command with that message).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from pelican.plugins.info_sessions import bounded
from pelican.plugins.info_sessions.files import SessionReader, validate_session_text
from pelican.plugins.info_sessions.headers import is_line_break, refused_character
from pelican.plugins.info_sessions.settings import SessionSettings
from pelican.plugins.info_sessions.validation import duplicate_uid_problems, parse_duration

from tools.build import PROJECT_ROOT
from tools.staff.content import SiteContent, read_content

DEFAULT_DURATION = "1h"
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$", re.ASCII)
# Never in an answer: each answer becomes one header line, so a line break (CR, LF, and the
# Unicode ones some readers break at: U+0085, U+2028, U+2029) would add header lines or end
# the header; control characters (C0, DEL, C1), zero-width and bidi controls and the byte
# order mark are invisible and change what calendars and browsers show. What is refused, and
# what counts as a line break, are the header reader's own rules (headers.refused_character,
# headers.is_line_break).
_CONTROL_NAMES = {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB", "\x85": "NEXT LINE"}


class NewSessionError(Exception):
    """The session cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Question:
    """One thing to ask: its flag, the header fields its answer fills, and how to ask."""

    key: str  # the flag without dashes, e.g. "join-url"
    fields: tuple[str, ...]  # header fields the answer can fill (problems about them)
    prompt: str


QUESTIONS = (
    Question("program", ("Program",), "Program (number or slug)"),
    Question("format", ("Format",), "Format (in-person, online or hybrid)"),
    Question("timezone", ("Timezone",), "Time zone"),
    Question("start", ("Start",), "Start, in {timezone} (YYYY-MM-DD HH:MM)"),
    Question(
        "repeat",
        ("Repeat", "Start"),
        "Repeat (weekly, every N weeks, monthly on the first Tuesday, monthly on day N; "
        "leave empty for a single session)",
    ),
    Question("end", ("Duration", "End"), "Duration (e.g. 1h, 90m) or end time (HH:MM)"),
    Question(
        "until",
        ("Until", "Count", "Start", "Skip"),
        "Until (the series' last date, YYYY-MM-DD) or how many dates (a number)",
    ),
    Question("location", ("Location",), "Location (venue and full address)"),
    Question("map-url", ("Map-URL",), "Map link (https://...)"),
    Question("join-url", ("Join-URL",), "Join link (https://...)"),
    Question(
        "registration-url", ("Registration-URL",), "Registration link (https://..., or leave empty)"
    ),
    Question("title", ("Title",), "Title"),
    Question("status", ("Status",), "Status"),
)
# Order of the lines in the file, as the README documents them.
FIELD_ORDER = (
    "Title", "Program", "Format", "Start", "End", "Duration", "Timezone", "Location", "Map-URL",
    "Join-URL", "Registration-URL", "Status", "UID", "Sequence", "Repeat", "Until", "Count",
)  # fmt: skip


def unsafe_character_problem(value: str) -> str | None:
    """What is wrong when ``value`` holds a line break or an invisible character; None when
    it holds none."""
    found = refused_character(value, field=True)
    if found is None:
        return None
    character = found.group()
    name = _CONTROL_NAMES.get(character) or unicodedata.name(character, "a control character")
    kind = "a line break" if is_line_break(character) else "an invisible character"
    return (
        f"{value!r}: contains {kind}, U+{ord(character):04X} ({name}), at character "
        f"{found.start() + 1}; give the whole answer on one line, without invisible characters "
        "(type it again rather than pasting it)"
    )


def _is_duration(answer: str) -> bool:
    """Whether ``answer`` is written as a duration (one far too long included: the
    validator then says so)."""
    try:
        return parse_duration(answer) is not None
    except bounded.OutOfBoundsError:
        return True


def flag(key: str) -> str:
    """The command-line flag of an answer: '--join-url'."""
    return {"end": "--duration or --end", "until": "--until or --count"}.get(key, f"--{key}")


def compose(values: dict[str, str], body: str = "") -> str:
    """A session file from header values (in the documented order) and a body.

    Raises NewSessionError for a value with a line break or an invisible character: it would
    add header lines, or end the header early and move the lines after it into the body.
    """
    for name in FIELD_ORDER:
        problem = unsafe_character_problem(values.get(name, ""))
        if problem:
            raise NewSessionError(f"{name}: {problem}")
    header = "".join(f"{name}: {values[name]}\n" for name in FIELD_ORDER if values.get(name))
    return f"{header}\n{body}"


class Interview:
    """The answers so far, checked against the site the way the build checks them."""

    def __init__(self, site: SiteContent, config: SessionSettings, sessions_folder: str) -> None:
        self.site = site
        self.config = config
        self.folder = sessions_folder  # e.g. "content/sessions"
        self.values: dict[str, str] = {}
        self.programs = {program.slug: program for program in site.programs}
        self.reader = SessionReader(site.settings)

    # -- what each question needs ----------------------------------------------------
    @property
    def series(self) -> bool:
        """Whether the answers so far describe a series (Repeat was given)."""
        return bool(self.values.get("Repeat"))

    def asked(self, question: Question) -> bool:
        """Whether to ask ``question`` (a flag for it is always checked)."""
        if question.key == "until":
            return self.series
        session_format = self.values.get("Format", "").strip().lower()
        if question.key == "location":
            return session_format in ("in-person", "hybrid")
        if question.key == "join-url":
            return session_format in ("online", "hybrid")
        # Status and Map-URL (the page maps the Location without it) come from flags only.
        return question.key not in ("status", "map-url")

    def required(self, question: Question) -> bool:
        """Whether ``question`` must be answered (the others have a default or are optional)."""
        if question.key in ("location", "join-url", "until"):
            return self.asked(question)
        return question.key in ("program", "format", "start", "end")

    def default(self, question: Question) -> str:
        """The answer used when the question is left empty."""
        if question.key == "timezone":
            return self.config.default_timezone
        if question.key == "end":
            return DEFAULT_DURATION
        if question.key == "title":
            program = self.programs.get(self.values.get("Program", ""))
            name = getattr(program, "short_name", "") or getattr(program, "title", "")
            session_format = self.values.get("Format", "").strip().lower()
            return f"{name} {session_format} information session".strip()
        if question.key == "status":
            return "scheduled"
        return ""

    def prompt(self, question: Question) -> str:
        """The question as the terminal shows it, with its default in brackets."""
        text = question.prompt.format(timezone=self.values.get("Timezone", ""))
        default = self.default(question)
        return f"{text} [{default}]: " if default else f"{text}: "

    # -- answers ---------------------------------------------------------------------
    def fill(self, question: Question, answer: str) -> dict[str, str]:
        """The header values an answer gives."""
        answer = answer.strip() or self.default(question)
        if question.key == "program":
            slugs = list(self.programs)
            try:
                number = bounded.whole_number(answer, len(slugs))
            except bounded.OutOfBoundsError:
                number = None  # no such number: the validator names the program
            if number:
                answer = slugs[number - 1]
        if question.key == "until":
            if answer.isascii() and answer.isdigit():
                return {"Count": answer, "Until": ""}
            return {"Until": answer, "Count": ""}
        if question.key == "end":
            if answer.isascii() and answer.isdigit():
                answer = f"{answer}m"  # minutes, as the prompt's examples suggest
            if _is_duration(answer):
                return {"Duration": answer, "End": ""}
            if _CLOCK.match(answer):
                answer = f"{self.values.get('Start', '').split(' ')[0]} {answer}"
            return {"End": answer, "Duration": ""}
        return {question.fields[0]: answer}

    def problems(self, question: Question, answer: str) -> list[str]:
        """The validator's problems with ``answer`` (given the answers before it)."""
        unsafe = unsafe_character_problem(answer)
        if unsafe:
            return [f"{question.fields[0]}: {unsafe}"]
        if not answer.strip() and not self.default(question) and self.required(question):
            return ["an answer is needed"]
        candidate = {**self.values, **self.fill(question, answer)}
        draft = f"{self.folder}/draft.md"
        result = validate_session_text(
            compose(candidate), draft, self.config, self.programs, self.reader
        )
        # The draft is not a file: its problems are shown without a place.
        problems = [
            str(replace(problem, path="", line=None))
            for problem in result.problems
            if problem.field in question.fields
        ]
        if question.key == "end" and problems:
            problems[-1] += "; or give a duration such as 1h or 90m"
        return problems

    def accept(self, question: Question, answer: str) -> None:
        """Keep an answer that has no problems."""
        self.values.update(self.fill(question, answer))

    # -- the file ----------------------------------------------------------------------
    def file_name(self) -> str:
        """'<date>-<program>-<format>', with -2, -3... when a session already uses it."""
        date = self.values["Start"].split(" ")[0]
        base = f"{date}-{self.values['Program']}-{self.values['Format'].strip().lower()}"
        taken = {Path(path).stem for path in self.site.checked}
        domain = f"@{self.config.uid_domain}"
        taken |= {r.uid.removesuffix(domain) for r in self.site.checked.values() if r.uid}
        if self.series:
            base += "-series"
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        return name

    def final_text(self, name: str) -> str:
        """The whole file, checked once more with the UIDs of every other session."""
        values = {"Status": "scheduled", **self.values, "UID": name, "Sequence": "0"}
        values["Format"] = values["Format"].strip().lower()
        if self.series:
            del values["Status"]  # a series has none (Cancel lists its cancelled dates)
        text = compose(values)
        path = f"{self.folder}/{name}.md"
        result = validate_session_text(text, path, self.config, self.programs, self.reader)
        problems = list(result.problems)
        if not problems:
            others = {**self.site.checked, path: result}
            problems = [p for p in duplicate_uid_problems(others) if p.path == path]
        if problems:
            raise NewSessionError("\n".join(str(problem) for problem in problems))
        return text


def _program_menu(interview: Interview) -> str:
    lines = ["Programs:"]
    for number, (slug, program) in enumerate(interview.programs.items(), start=1):
        lines.append(f"  {number}. {slug}  ({program.title})")
    return "\n".join(lines)


def missing_flags(given: dict[str, str]) -> list[str]:
    """Flags a script must give (there is no terminal to ask on), and did not."""
    session_format = given.get("format", "").strip().lower()
    keys = ["program", "format", "start", "end"]
    keys += ["until"] if given.get("repeat", "").strip() else []
    keys += ["location"] if session_format in ("in-person", "hybrid") else []
    keys += ["join-url"] if session_format in ("online", "hybrid") else []
    return [flag(key) for key in keys if key not in given]


def _answer(
    interview: Interview,
    question: Question,
    answer: str | None,
    interactive: bool,
    ask: Callable[[str], str],
    say: Callable[[str], None],
) -> None:
    """Take ``answer`` (or ask for one) until the validator accepts it."""
    while True:
        if answer is None:
            try:
                answer = ask(interview.prompt(question))
            except EOFError:
                raise NewSessionError("stopped before the last answer; no file written") from None
        problems = interview.problems(question, answer)
        if not problems:
            interview.accept(question, answer)
            return
        if not interactive:
            shown = [f"{flag(question.key)}: {problem}" for problem in problems]
            raise NewSessionError("\n".join(shown))
        for problem in problems:
            say(f"  Not accepted: {problem}")
        answer = None


def given_answers(answers: dict[str, str | None], *, interactive: bool) -> dict[str, str]:
    """The answers given as flags (``--duration`` as ``end``); raise NewSessionError for
    every flag holding a line break or an invisible character, for --duration with --end,
    and, without a terminal, for any answer missing."""
    given = {key: value for key, value in answers.items() if value is not None}
    unsafe = [
        f"--{key}: {problem}"
        for key, value in given.items()
        if (problem := unsafe_character_problem(value))
    ]
    if unsafe:
        raise NewSessionError("\n".join(unsafe))
    if "end" in given and "duration" in given:
        raise NewSessionError("give --duration or --end, not both")
    if "duration" in given:
        given["end"] = given.pop("duration")
    if "until" in given and "count" in given:
        raise NewSessionError("give --until or --count, not both")
    end_flag = "--count" if "count" in given else "--until"
    if "count" in given:
        given["until"] = given.pop("count")
    if "until" in given and not given.get("repeat", "").strip():
        raise NewSessionError(
            f"{end_flag}: only with --repeat (a series); give --repeat, e.g. --repeat weekly, "
            "or leave it out for a single session"
        )
    if not interactive and missing_flags(given):
        raise NewSessionError(
            f"missing {', '.join(missing_flags(given))} (there is no terminal to ask on); "
            "give every answer as a flag (invoke --help new-session lists them)"
        )
    return given


def run(
    answers: dict[str, str | None],
    *,
    content: Path | None = None,
    settings_file: Path = PROJECT_ROOT / "pelicanconf.py",
    interactive: bool | None = None,
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
) -> Path:
    """Ask what is missing (or take ``answers``, keyed by flag name), write the file,
    return its path. Raises NewSessionError with the reason when it cannot."""
    if interactive is None:
        interactive = sys.stdin.isatty()
    given = given_answers(answers, interactive=interactive)
    if content is not None and not content.is_dir():
        raise NewSessionError(
            f"--content: {str(content)!r}: no such folder; give the site's content folder, "
            "e.g. --content content (or leave it out)"
        )
    site = read_content(settings_file, content)
    config = site.session_config
    if config is None:
        raise NewSessionError("the site's INFO_SESSIONS_ settings have problems; run make check")
    if not site.programs:
        raise NewSessionError(f"no programs in {site.folder.name}/programs/; add one first")
    interview = Interview(site, config, f"{site.folder.name}/{config.path}")
    if interactive and site.problems:
        say(f"Note: make check lists {len(site.problems)} problem(s) elsewhere in the content.")
    for question in QUESTIONS:
        if question.key in given:
            _answer(interview, question, given[question.key], interactive, ask, say)
        elif interactive and interview.asked(question):
            if question.key == "program":
                say(_program_menu(interview))
            _answer(interview, question, None, interactive, ask, say)
        elif not interview.required(question):
            interview.accept(question, "")  # its default, or nothing
    name = interview.file_name()
    text = interview.final_text(name)
    folder = site.folder / config.path
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.md"
    with target.open("x", encoding="utf-8") as file:  # "x": never overwrite
        file.write(text)
    say(next_steps(target, name, config.page_url.format(slug=name)))
    return target


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it, else absolute."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def next_steps(path: Path, name: str, url: str) -> str:
    """What to do once the file is written."""
    shown = _shown(path)
    return "\n".join(
        [
            f"Wrote {shown}",
            "",
            "Next:",
            "  1. If you like, add a description under the header, after the blank line",
            "     (Markdown; links must be https:// or start with /).",
            "  2. Check everything:  make check",
            f"  3. Preview:  make serve, then open http://127.0.0.1:8000/{url}",
            "  4. Commit it, then push (or open a pull request):",
            f"       git add {shown}",
            f'       git commit -m "Add info session {name}"',
            "The session is live once the commit is on main; calendars pick it up at their",
            "next refresh (Google Calendar: within a day).",
        ]
    )
