"""The real site can be trusted: quotes shown in context and where they belong, old dates
shown as what was announced, and every discrepancy in the sources noted, not hidden."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

from tools.build import PROJECT_ROOT

CONTENT = PROJECT_ROOT / "content"
SOURCES = PROJECT_ROOT / "sources"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def text_of(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def header(path: Path) -> dict[str, str]:
    head = path.read_text(encoding="utf-8").partition("\n\n")[0]
    return {
        k.strip().lower(): v.strip()
        for k, _, v in (line.partition(":") for line in head.splitlines())
    }


def quotes() -> dict[str, dict[str, str]]:
    """Each quote file's header, with its text (normalised) under "text"."""
    found = {}
    for path in sorted((CONTENT / "quotes").glob("*.md")):
        fields = header(path)
        fields["text"] = " ".join(path.read_text(encoding="utf-8").partition("\n\n")[2].split())
        found[path.stem] = fields
    return found


def programs() -> dict[str, dict[str, str]]:
    return {header(p)["slug"]: header(p) for p in sorted((CONTENT / "programs").glob("*.md"))}


def notes_on_the_source(site: Path, slug: str) -> str:
    """The text of a program page's "Notes on the source" list."""
    heading = page(site, f"programs/{slug}").find("h2", string="Notes on the source")
    assert heading is not None, f"programs/{slug} has no notes on its source"
    return text_of(heading.find_next("ul"))


def quote_of(figure) -> tuple[str, dict[str, str]]:
    shown = " ".join(figure.blockquote.get_text(" ").split())
    matches = [(n, q) for n, q in quotes().items() if q["text"][:80] in shown]
    assert len(matches) == 1, shown[:80]
    return matches[0]


@pytest.mark.parametrize("slug", sorted(programs()))
def test_a_program_page_shows_only_quotes_about_that_program(built_site: Path, slug: str) -> None:
    program = programs()[slug]
    shown = page(built_site, f"programs/{slug}").select("main figure.hq-quote")
    expected = {
        name
        for name, q in quotes().items()
        if slug in [s.strip() for s in q.get("programs", "").split(",")]
    }
    assert {quote_of(figure)[0] for figure in shown} == expected
    for figure in shown:
        name, quote = quote_of(figure)
        # A quote about a program comes from that program's own source document.
        assert quote["source-file"] == program["source"], name


def test_the_leading_innovations_testimonial_is_on_no_program_page(built_site: Path) -> None:
    hays = quotes()["richard-hays"]
    assert "Leading Innovations Program" in hays["context"]
    for file in sorted(built_site.rglob("*.html")):
        if hays["text"][:60] in " ".join(file.read_text(encoding="utf-8").split()):
            assert file.relative_to(built_site).as_posix() == "people/index.html"


def test_every_quote_says_what_it_is_about_wherever_it_is_shown(built_site: Path) -> None:
    shown: dict[str, int] = {}
    for file in sorted(built_site.rglob("*.html")):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
        for figure in soup.select("figure.hq-quote"):
            name, quote = quote_of(figure)
            shown[name] = shown.get(name, 0) + 1
            assert text_of(figure.select_one(".hq-quote__context")) == quote["context"], file
    # Each on the People page, on the page of every program it is about, and on its news item.
    assert shown == {
        name: 1
        + len([s for s in q.get("programs", "").split(",") if s.strip()])
        + bool(q.get("news"))
        for name, q in quotes().items()
    }


def test_the_people_page_groups_people_by_who_they_are(built_site: Path) -> None:
    groups = read_settings(str(PROJECT_ROOT / "pelicanconf.py"))["PROGRAMS_PEOPLE_GROUPS"]
    soup = page(built_site, "people")
    sections = soup.select("main section.hq-people-group")
    shown = {text_of(s.h2): {quote_of(f)[0] for f in s.select("figure.hq-quote")} for s in sections}
    expected: dict[str, set[str]] = {}
    for name, quote in quotes().items():
        expected.setdefault(groups[quote["group"]], set()).add(name)
    assert shown == expected
    assert [text_of(s.h2) for s in sections] == [h for h in groups.values() if h in expected]
    assert {
        "Program leaders",
        "School leaders",
        "Participants",
        "Patient partners",
        "The BMJ and the Health Foundation",
    } <= set(shown)
    # It once said every quote came from "the people who lead these programs".
    lead = text_of(soup.select_one("main .hq-lead"))
    assert "grouped by who they are" in lead and "who lead" not in lead


def test_the_part_time_schedule_is_noted_as_short_of_the_required_credits(built_site: Path) -> None:
    data = tomllib.loads((CONTENT / "programs" / "clinical-service-operations.toml").read_text())
    assert data["required_credits"] == 36
    soup = page(built_site, "programs/clinical-service-operations/curriculum")
    part_time = soup.find(id="schedule-part-time")
    note = soup.find(id=part_time["aria-describedby"])
    assert text_of(note) == (
        "As the source gives it, this schedule adds up to 35 credits, while the program requires "
        "36 credits. “Seminar Series: Real World Experience in Managing Health Care "
        "Organizations” has 1 credit in this schedule and 2 credits in the course list."
    )
    assert not soup.find(id="schedule-full-time").has_attr("aria-describedby")


# Every name of a master's degree in the sources is a program's Title or Degree, or one of these.
OTHER_NAMES = {
    "Master in Healthcare Quality and Safety": "healthcare-quality-and-safety",
    "Master in Clinical Service Operations": "clinical-service-operations",
}
NOT_SHOWN_PROGRAMS = {"Master of Medical Sciences in Clinical Investigation"}  # in a quote's role
_MASTER = re.compile(r"\bMaster(?:'s)? (?:of|in)(?: (?:[A-Z][A-Za-z]*|\([A-Za-z]+\)|and|in|of))+")


def test_every_second_name_of_a_program_in_the_sources_is_noted_on_its_page(
    built_site: Path,
) -> None:
    known = {p["title"] for p in programs().values()} | {p["degree"] for p in programs().values()}
    for source in sorted(SOURCES.glob("*.txt")):
        for line in source.read_text(encoding="utf-8").splitlines():
            for match in _MASTER.finditer(line):
                name = re.sub(r"( (and|in|of))+$", "", match.group(0))
                assert name in known | set(OTHER_NAMES) | NOT_SHOWN_PROGRAMS, (source.name, name)
    for name, slug in OTHER_NAMES.items():
        assert name in notes_on_the_source(built_site, slug)


# Other discrepancies in a source, each noted on the program's page (the words it must quote).
NOTED = {
    "healthcare-quality-and-safety": ["at least 3 to 5 years of clinical experience"],
    "quality-improvement-fellowship": ["Institute of Health Improvement", "April 2014"],
    "clinical-service-operations": ["Seminar Series 2 credits", "1 credit"],
}


@pytest.mark.parametrize("slug", sorted(NOTED))
def test_other_discrepancies_are_noted(built_site: Path, slug: str) -> None:
    notes = notes_on_the_source(built_site, slug)
    for words in NOTED[slug]:
        assert words in notes


def test_old_dates_read_as_what_was_announced(built_site: Path) -> None:
    soup = page(built_site, "programs/healthcare-quality-and-safety")
    facts = {text_of(dt): text_of(dt.find_next("dd")) for dt in soup.select(".hq-facts dt")}
    first_class = next(value for label, value in facts.items() if label.startswith("First class"))
    assert "2018-2019" in first_class and "announced" in first_class
    fellowship = text_of(page(built_site, "programs/quality-improvement-fellowship").main)
    sentence = next(s for s in re.split(r"(?<=[.)])\s", fellowship) if "April 2014" in s)
    assert "source dates" in sentence
