"""Deterministic synthetic content: N info sessions over P programs, in three forms.

``python benchmarks/generate.py --sessions 1000 --out benchmarks/work/n1000`` writes::

    site/content/          our formats: programs/, sessions/, pages/about.md, news/
    plain/content/         the same sessions as ordinary Pelican articles, programs as pages
    plain/pelicanconf.py   settings for plain Pelican (no plugin)
    events/content/        the same sessions as pelican-events event articles
    events/pelicanconf.py  settings for Pelican with the pelican-events plugin
    manifest.json          what was generated, including every seeded broken link

Same arguments, same bytes: only the seed decides, nothing reads the clock. ``link_project``
then makes ``site/`` a project root (its pelicanconf.py, theme/ and plugins/ are links to the
real ones), so our real build and dev server code build the synthetic site unchanged.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 20261123
DEFAULT_TODAY = date(2026, 11, 23)
DEFAULT_PROGRAMS = 24
# "Hundreds of sessions a year": the sessions of one site are spread at this rate, so a
# larger N means more years of history, while the months ahead keep the same density.
DEFAULT_RATE = 400
# How far ahead sessions are scheduled (days). With the plugin's 180-day past window, the
# feeds hold the sessions of about (180 + AHEAD) days, whatever N is.
DEFAULT_AHEAD = 182
# "A year ahead": a school that plans its next twelve months, N sessions all upcoming, spread
# over this many days from tomorrow (1,000 sessions: three a day).
YEAR_AHEAD_DAYS = 365
SITE_TIMEZONE = "America/New_York"

SUBJECTS = (
    "Healthcare Quality and Safety",
    "Patient Safety",
    "Clinical Service Operations",
    "Health Professions Education",
    "Quality Improvement",
    "Health Informatics",
    "Population Health",
    "Health Policy",
    "Nursing Leadership",
    "Implementation Science",
    "Health Economics",
    "Global Health Delivery",
    "Clinical Research",
    "Health Equity",
    "Digital Health",
    "Value-Based Care",
    "Healthcare Analytics",
    "Clinical Effectiveness",
    "Risk Management",
    "Medical Education",
    "Care Transitions",
    "Primary Care Improvement",
    "Perioperative Quality",
    "Emergency Care Systems",
    "Pharmacy Quality",
    "Infection Prevention",
    "Health Systems Engineering",
    "Mental Health Services",
    "Maternal Health Quality",
    "Patient Experience",
)
AWARDS = (
    ("Master of Science in", "MS"),
    ("Graduate Certificate in", "GC"),
    ("Master of Healthcare", "MH"),
    ("Fellowship in", "F"),
)
INSTITUTIONS = (
    "Example School of Medicine",
    "Example Institute of Health Sciences",
    "Example University Graduate School",
    "Example College of Nursing",
)
# Campus zone and city of each program, and zones online sessions are held in.
CAMPUSES = (
    ("America/New_York", "Boston, MA"),
    ("Europe/London", "London"),
    ("America/Chicago", "Chicago, IL"),
    ("America/Los_Angeles", "San Francisco, CA"),
    ("Asia/Singapore", "Singapore"),
    ("Australia/Sydney", "Sydney"),
)
FORMATS = (("online", 45), ("in-person", 35), ("hybrid", 20))
STATUSES = (("scheduled", 82), ("full", 7), ("cancelled", 6), ("postponed", 5))
DURATIONS = (("45m", 45), ("1h", 60), ("1h", 60), ("90m", 90), ("1h30m", 90), ("2h", 120))
TOPICS = (
    "admissions and funding",
    "curriculum and capstone",
    "meet the faculty",
    "studying while working",
    "application clinic",
    "alumni panel",
    "international applicants",
    "scholarships and fees",
    "open house",
    "ask us anything",
)
FIRST_NAMES = ("Amara", "Ben", "Chiara", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jon")
LAST_NAMES = ("Okafor", "Lindqvist", "Moreau", "Patel", "Santos", "Kowalski", "Nakamura", "Reyes")
BUILDINGS = ("Learning Center", "Education Building", "Conference Center", "Main Hall")

PARAGRAPHS = (
    "Join {person}, {role} of the {program}, for a session about what the program asks of "
    "students and what it gives back. We start with a short overview, then take questions "
    "from everyone in the room and online.",
    "The session covers the admission requirements, the application timeline and how "
    "clinical experience is assessed. Bring your questions about references, transcripts "
    "and the personal statement.",
    "Current students describe a typical week: coursework in the evenings, a mentored "
    "improvement project at their own workplace, and two short residential blocks a year.",
    "You will hear how the capstone works: each student leads a measurable change in care, "
    "from defining the problem to sustaining the gain, with a faculty mentor throughout.",
    "Funding is a common question. We explain tuition, payment plans, employer sponsorship "
    "and the scholarships the school offers, and who to contact about each.",
    "Graduates of the program now lead quality, safety and operations teams in hospitals, "
    "clinics and health systems. Two of them join us to talk about what changed for them.",
    "If you are applying from outside the country, we cover visas, time zones for the "
    "online sessions, and how the residential weeks are arranged for travelling students.",
)
AGENDA = (
    "Welcome and introductions",
    "How the program is organised",
    "Admissions, step by step",
    "Tuition, fees and funding",
    "Student and alumni panel",
    "Questions and answers",
)


@dataclass(frozen=True)
class Program:
    """One synthetic program."""

    slug: str
    title: str
    short: str
    institution: str
    timezone: str
    city: str
    order: int


@dataclass(frozen=True)
class Break:
    """A broken link seeded on purpose, for both link checkers to find."""

    page: str  # output-relative page the link is on
    url: str  # the link as written
    kind: str  # what our checker calls it: missing-file or missing-fragment


@dataclass
class Manifest:
    """What one generation wrote."""

    sessions: int
    programs: int
    seed: int
    today: str
    rate: int
    ahead: int
    formats: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    first_start: str = ""
    last_start: str = ""
    breaks: list[Break] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, sorted keys."""
        return {
            "sessions": self.sessions,
            "programs": self.programs,
            "seed": self.seed,
            "today": self.today,
            "rate_per_year": self.rate,
            "ahead_days": self.ahead,
            "formats": dict(sorted(self.formats.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "first_start": self.first_start,
            "last_start": self.last_start,
            "breaks": [vars(b) for b in self.breaks],
        }


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in table], weights=[w for _, w in table])[0]


def _slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def make_programs(count: int) -> list[Program]:
    """``count`` distinct programs, always the same ones for the same count."""
    if not 1 <= count <= len(SUBJECTS) * len(AWARDS):
        raise ValueError(f"programs: {count}: must be 1 to {len(SUBJECTS) * len(AWARDS)}")
    programs = []
    for index in range(count):
        award, award_short = AWARDS[(index // len(SUBJECTS)) % len(AWARDS)]
        subject = SUBJECTS[index % len(SUBJECTS)]
        initials = "".join(word[0] for word in subject.split() if word[0].isupper())
        zone, city = CAMPUSES[index % len(CAMPUSES)]
        programs.append(
            Program(
                slug=_slugify(f"{award_short} {subject}"),
                title=f"{award} {subject}",
                short=f"{award_short}-{initials}",
                institution=INSTITUTIONS[index % len(INSTITUTIONS)],
                timezone=zone,
                city=city,
                order=index + 1,
            )
        )
    return programs


def program_file(program: Program) -> str:
    """content/programs/<slug>.md in our format."""
    return (
        f"Title: {program.title}\n"
        f"Slug: {program.slug}\n"
        f"Short-name: {program.short}\n"
        f"Order: {program.order}\n"
        f"Institution: {program.institution}\n"
        f"Degree: {program.title} ({program.short})\n"
        "Audience: Clinicians and managers who want to lead improvement in health care.\n"
        "Requirements: A first degree and at least two years of work in health care.\n"
        "Length: Two years part-time\n"
        f"Format: Online study with residential weeks in {program.city}\n"
        "Source: synthetic benchmark data\n"
        f"Summary: Sample data for benchmarks: a synthetic program in "
        f"{program.title.split(' in ')[-1].lower()}, not a real offer.\n"
        "\n"
        "## About the program\n\n"
        f"**Sample data: this program does not exist.** The {program.title} is generated for "
        "benchmarks of the site generator.\n\n"
        "## Who it is for\n\n"
        "Clinicians, nurses and managers who lead change in the services they work in.\n"
    )


@dataclass(frozen=True)
class SessionSpec:
    """Everything about one synthetic session, before it is written in any format."""

    slug: str
    program: Program
    title: str
    format: str
    status: str
    start: datetime  # aware, in ``timezone``
    end: datetime
    duration: str  # as written in the file, or "" when End is written
    timezone: str
    write_timezone: bool
    location: str
    join_url: str
    registration_url: str
    uid: str
    sequence: int
    body: str


def _body(rng: random.Random, program: Program, broken: str, all_programs: list[Program]) -> str:
    person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    role = rng.choice(("program director", "admissions lead", "associate director"))
    picks = rng.sample(range(len(PARAGRAPHS)), rng.randint(2, 4))
    paragraphs = [
        PARAGRAPHS[i].format(person=person, role=role, program=program.title) for i in picks
    ]
    other = rng.choice(all_programs)
    agenda = rng.sample(AGENDA, rng.randint(3, 5))
    lines = [
        paragraphs[0],
        "",
        "## What we will cover",
        "",
        *[f"- {item}" for item in agenda],
        "",
        *[line for p in paragraphs[1:] for line in (p, "")],
        f"Read the [program overview](/programs/{program.slug}/) and its "
        f"[key facts](/programs/{program.slug}/#key-facts) before you come. Questions in "
        f"advance: [admissions@example.org](mailto:admissions@example.org) or the "
        f"[application guide](https://admissions.example.org/{program.slug}/apply).",
        "",
        f"Also interested in the [{other.title}](/programs/{other.slug}/)? See "
        "[every upcoming session](/sessions/).",
    ]
    if broken:
        lines += ["", f"Slides from last year are in the [session archive]({broken})."]
    return "\n".join(lines) + "\n"


def make_sessions(
    count: int,
    programs: list[Program],
    rng: random.Random,
    today: date,
    rate: int,
    ahead: int,
    breaks: int,
    upcoming_only: bool = False,
) -> tuple[list[SessionSpec], list[Break]]:
    """``count`` sessions spread over the programs, over the years up to ``ahead`` days
    (``upcoming_only``: all of them over the ``ahead`` days from tomorrow)."""
    if upcoming_only:
        span, first_day = ahead, today + timedelta(days=1)
    else:
        span = max(30, round(count * 365 / rate))
        first_day = today + timedelta(days=min(ahead, span // 2) - span)
    broken_at = set(rng.sample(range(count), min(breaks, count)))
    specs: list[SessionSpec] = []
    seeded: list[Break] = []
    used: set[str] = set()
    for index in range(count):
        program = programs[rng.randrange(len(programs))]
        fmt = _weighted(rng, FORMATS)
        status = _weighted(rng, STATUSES)
        day = first_day + timedelta(days=rng.randrange(span))
        if fmt == "online":
            zone = rng.choice((program.timezone, program.timezone, SITE_TIMEZONE, "Europe/London"))
        else:
            zone = program.timezone
        hour = rng.choice((8, 9, 10, 12, 13, 15, 17, 18))
        minute = rng.choice((0, 0, 0, 30))
        start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
        duration, minutes = rng.choice(DURATIONS)
        length = timedelta(minutes=minutes)
        write_end = rng.random() < 0.3
        base = f"{program.short.lower()}-{fmt}-{day.isoformat()}"
        slug = base if base not in used else f"{base}-{index}"
        used.add(slug)
        building = rng.choice(BUILDINGS)
        location = (
            f"Sample venue, {building}, Room {rng.randint(100, 499)}, {program.city}"
            if fmt != "online"
            else ""
        )
        join = (
            f"https://meet.example.org/j/{rng.randrange(10**9, 10**10)}"
            if fmt != "in-person"
            else ""
        )
        register = (
            f"https://admissions.example.org/{program.slug}/register/{slug}"
            if rng.random() < 0.7
            else ""
        )
        broken = ""
        if index in broken_at:
            # Each seeded URL is unique, so a checker that reports a URL once still shows all.
            if len(seeded) % 2:
                broken = f"/programs/{program.slug}/#archive-{slug}"
                kind = "missing-fragment"
            else:
                broken = f"/programs/{program.slug}/archive/{slug}/"
                kind = "missing-file"
            seeded.append(Break(page=f"sessions/{slug}/index.html", url=broken, kind=kind))
        title = f"{program.short} {fmt.replace('-', ' ')} info session: {rng.choice(TOPICS)}"
        specs.append(
            SessionSpec(
                slug=slug,
                program=program,
                title=title,
                format=fmt,
                status=status,
                start=start,
                end=start + length,
                duration="" if write_end else duration,
                timezone=zone,
                write_timezone=zone != SITE_TIMEZONE or rng.random() < 0.5,
                location=location,
                join_url=join,
                registration_url=register,
                uid=f"legacy-{index}@events.example.org" if rng.random() < 0.05 else "",
                sequence=rng.randint(1, 3) if status in ("cancelled", "postponed") else 0,
                body=_body(rng, program, broken, programs),
            )
        )
    seeded.sort(key=lambda b: (b.page, b.url))
    return specs, seeded


def session_file(spec: SessionSpec) -> str:
    """content/sessions/<slug>.md in our format (README "Info sessions")."""
    lines = [
        f"Title: {spec.title}",
        f"Program: {spec.program.slug}",
        f"Format: {spec.format}",
        f"Start: {spec.start:%Y-%m-%d %H:%M}",
        f"Duration: {spec.duration}" if spec.duration else f"End: {spec.end:%Y-%m-%d %H:%M}",
    ]
    if spec.write_timezone:
        lines.append(f"Timezone: {spec.timezone}")
    if spec.location:
        lines.append(f"Location: {spec.location}")
    if spec.join_url:
        lines.append(f"Join-URL: {spec.join_url}")
    if spec.registration_url:
        lines.append(f"Registration-URL: {spec.registration_url}")
    if spec.status != "scheduled":
        lines.append(f"Status: {spec.status}")
    if spec.uid:
        lines.append(f"UID: {spec.uid}")
    if spec.sequence:
        lines.append(f"Sequence: {spec.sequence}")
    return "\n".join(lines) + "\n\n" + spec.body


def _facts(spec: SessionSpec) -> str:
    """The session's facts as Markdown, for the peers, whose articles have no session fields."""
    lines = [
        f"- **When:** {spec.start:%A %d %B %Y, %H:%M} to {spec.end:%H:%M} ({spec.timezone})",
        f"- **Format:** {spec.format}",
        f"- **Status:** {spec.status}",
    ]
    if spec.location:
        lines.append(f"- **Where:** {spec.location}")
    if spec.join_url:
        lines.append(f"- **Join online:** <{spec.join_url}>")
    if spec.registration_url:
        lines.append(f"- **Register:** <{spec.registration_url}>")
    return "\n".join(lines) + "\n\n"


def _peer_header(spec: SessionSpec) -> list[str]:
    published = spec.start.astimezone(ZoneInfo(SITE_TIMEZONE))
    return [
        f"Title: {spec.title}",
        f"Date: {published:%Y-%m-%d %H:%M}",
        f"Slug: {spec.slug}",
        f"Category: {spec.program.title}",
        f"Tags: {spec.format}, {spec.status}",
        f"Summary: {spec.program.short} information session ({spec.format}, {spec.status}).",
    ]


def plain_article(spec: SessionSpec) -> str:
    """The session as an ordinary Pelican article: facts in the body, no event fields."""
    return "\n".join(_peer_header(spec)) + "\n\n" + _facts(spec) + spec.body


EVENT_STATUS = {"cancelled": "cancelled", "postponed": "tentative"}


def event_article(spec: SessionSpec) -> str:
    """The session as a pelican-events article (event-* fields, times in the site's zone)."""
    zone = ZoneInfo(SITE_TIMEZONE)
    lines = [
        *_peer_header(spec),
        f"Event-start: {spec.start.astimezone(zone):%Y-%m-%d %H:%M}",
        f"Event-end: {spec.end.astimezone(zone):%Y-%m-%d %H:%M}",
        f"Event-location: {spec.location or spec.join_url}",
        f"Event-status: {EVENT_STATUS.get(spec.status, 'confirmed')}",
        f"Event-categories: Info session,{spec.program.short},{spec.format}",
    ]
    if spec.registration_url or spec.join_url:
        lines.append(f"Event-url: {spec.registration_url or spec.join_url}")
    if spec.join_url and spec.status != "cancelled":
        lines.append(f"Event-conference: {spec.join_url}")
    return "\n".join(lines) + "\n\n" + _facts(spec) + spec.body


def peer_program_page(program: Program) -> str:
    """A program as an ordinary Pelican page, for both peers."""
    body = program_file(program).split("\n\n", 1)[1]
    return f"Title: {program.title}\nSlug: {program.slug}\n\n{body}"


ABOUT = """Title: About this site
Slug: about
Summary: Sample data for benchmarks: a synthetic site with many programs and sessions.

## What this site is

**Sample data.** A synthetic copy of the site, generated to measure how the site generator
scales with the number of programs and information sessions. Nothing here is a real event.
"""

NEWS = """Title: Sample news item for benchmarks
Date: {today}
Slug: sample-news
Summary: Sample data: a news item, so the news pages are built too.

**Sample data.** A synthetic news item. See the [programs](/programs/) and the
[information sessions](/sessions/).
"""

PEER_SETTINGS = '''"""Settings for {what} on the synthetic sessions (see benchmarks/README.md)."""

SITENAME = "Healthcare Quality Graduate Programs (benchmark)"
AUTHOR = "Site editors"
SITEURL = ""
TIMEZONE = "{zone}"
DEFAULT_LANG = "en"
PATH = "content"
# pelican-quickstart's default: ten articles a page on index, category, tag and author pages.
DEFAULT_PAGINATION = 10
# No timestamps: content caching off, as in our own settings.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
PLUGINS: list[str] = {plugins}
'''

EVENTS_EXTRA = """PLUGIN_EVENTS = {{
    "ics_fname": "calendar/events.ics",
    "metadata_field_for_summary": "title",
    # "now" pinned to the benchmark's today, as SITE_TODAY pins ours.
    "test_timestamp": "{today} 00:00:00",
}}
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate(
    out: Path,
    *,
    sessions: int,
    programs: int = DEFAULT_PROGRAMS,
    seed: int = DEFAULT_SEED,
    today: date = DEFAULT_TODAY,
    rate: int = DEFAULT_RATE,
    ahead: int = DEFAULT_AHEAD,
    breaks: int | None = None,
    upcoming_only: bool = False,
) -> Manifest:
    """Write the three forms of the content under ``out`` (see the module docstring)."""
    if sessions < 1:
        raise ValueError(f"sessions: {sessions}: must be at least 1")
    rng = random.Random(seed)
    program_list = make_programs(programs)
    seeded_count = max(2, sessions // 100) if breaks is None else breaks
    specs, seeded = make_sessions(
        sessions, program_list, rng, today, rate, ahead, seeded_count, upcoming_only
    )
    site, plain, events = out / "site" / "content", out / "plain", out / "events"
    for program in program_list:
        _write(site / "programs" / f"{program.slug}.md", program_file(program))
        for peer in (plain, events):
            _write(peer / "content" / "pages" / f"{program.slug}.md", peer_program_page(program))
    for spec in specs:
        _write(site / "sessions" / f"{spec.slug}.md", session_file(spec))
        _write(plain / "content" / "sessions" / f"{spec.slug}.md", plain_article(spec))
        _write(events / "content" / "sessions" / f"{spec.slug}.md", event_article(spec))
    _write(site / "pages" / "about.md", ABOUT)
    _write(site / "news" / "sample-news.md", NEWS.format(today=today.isoformat()))
    for peer in (plain, events):
        _write(peer / "content" / "pages" / "about.md", ABOUT)
    _write(
        plain / "pelicanconf.py",
        PEER_SETTINGS.format(what="plain Pelican", zone=SITE_TIMEZONE, plugins="[]"),
    )
    _write(
        events / "pelicanconf.py",
        PEER_SETTINGS.format(
            what="Pelican with pelican-events", zone=SITE_TIMEZONE, plugins='["pelican_events"]'
        )
        + EVENTS_EXTRA.format(today=today.isoformat()),
    )
    manifest = Manifest(
        sessions=sessions,
        programs=programs,
        seed=seed,
        today=today.isoformat(),
        rate=rate,
        ahead=ahead,
    )
    for spec in specs:
        manifest.formats[spec.format] = manifest.formats.get(spec.format, 0) + 1
        manifest.statuses[spec.status] = manifest.statuses.get(spec.status, 0) + 1
    starts = sorted(spec.start.astimezone(ZoneInfo("UTC")) for spec in specs)
    manifest.first_start, manifest.last_start = starts[0].isoformat(), starts[-1].isoformat()
    manifest.breaks = seeded
    _write(out / "manifest.json", json.dumps(manifest.as_dict(), indent=1, sort_keys=True) + "\n")
    return manifest


def link_project(site: Path, project_root: Path = PROJECT_ROOT) -> None:
    """Make ``site`` a project root: pelicanconf.py, theme/ and plugins/ link to the real ones."""
    for name in ("pelicanconf.py", "theme", "plugins"):
        link = site / name
        if link.is_symlink() or link.exists():
            continue
        link.symlink_to(project_root / name)


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one N into a folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, required=True, help="N, how many sessions")
    parser.add_argument("--programs", type=int, default=DEFAULT_PROGRAMS, help="P")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument("--rate", type=int, default=DEFAULT_RATE, help="sessions a year")
    parser.add_argument("--ahead", type=int, default=DEFAULT_AHEAD, help="days scheduled ahead")
    parser.add_argument("--breaks", type=int, default=None, help="seeded broken links")
    parser.add_argument("--out", type=Path, required=True, help="an empty or missing folder")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out}: not empty; generate into a new folder")
    manifest = generate(
        args.out,
        sessions=args.sessions,
        programs=args.programs,
        seed=args.seed,
        today=args.today,
        rate=args.rate,
        ahead=args.ahead,
        breaks=args.breaks,
    )
    link_project(args.out / "site")
    print(
        f"generate: {manifest.sessions} sessions over {manifest.programs} programs, "
        f"{len(manifest.breaks)} seeded broken links, into {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
