"""The real site: every program's key facts, curriculum totals, quotes, home, news, site files.

Facts are checked against the wording of the source documents in sources/.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

CONTENT = Path(__file__).resolve().parents[2] / "content"
SOURCES = Path(__file__).resolve().parents[2] / "sources"
MSCSO_CURRICULUM = CONTENT / "programs" / "clinical-service-operations.toml"

PROGRAM_FACTS = {
    "healthcare-quality-and-safety": [
        "Master of Healthcare Quality and Safety",
        "Harvard Medical School",
        "2018-2019",
        "advanced degree",
        "three years of clinical experience",
        "operational quality and safety",
        "informatics",
        "leadership",
        "quantitative approaches",
        "risk",
        "mentor",
        "capstone",
        "information sessions",
    ],
    "clinical-service-operations": [
        "Master of Science in Clinical Service Operations",
        "Harvard Medical School",
        "36",
        "capstone",
        "Kevin Tucker",
        "Mara Bloom",
        "Capstone Committee",
    ],
    "quality-improvement-fellowship": [
        "Quality Improvement Fellowship",
        "Health Foundation",
        "Institute for Healthcare Improvement",
        "Boston",
        "Program in Clinical Effectiveness",
        "seven-week",
        "mentor",
    ],
    "medical-education": [
        "Master of Medical Sciences in Medical Education",
        "Harvard Medical School",
        "two",
        "Harvard Macy Institute",
        "Harvard Graduate School of Education",
        "Jennifer Kesselheim",
        "thesis",
    ],
    "health-professions-education": [
        "Master of Science in Health Professions Education",
        "MGH Institute of Health Professions",
        "Harvard Macy Institute",
        "Massachusetts General Hospital",
        "online",
    ],
}


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "lxml")


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("slug", sorted(PROGRAM_FACTS))
def test_program_page_shows_its_key_facts(built_site: Path, slug: str) -> None:
    soup = page(built_site, f"programs/{slug}")
    text = text_of(soup.main)
    missing = [fact for fact in PROGRAM_FACTS[slug] if fact.lower() not in text.lower()]
    assert missing == []
    assert soup.select(".hq-facts dt"), "the key-facts list is empty"


def test_every_program_is_listed_on_programs_and_home(built_site: Path) -> None:
    for url in ("programs", ""):
        links = {a["href"] for a in page(built_site, url).select(".hq-card__title a")}
        assert links == {f"/programs/{slug}/" for slug in PROGRAM_FACTS}


def test_core_courses_sum_to_36_and_schedules_to_their_listed_credits() -> None:
    data = tomllib.loads(MSCSO_CURRICULUM.read_text(encoding="utf-8"))
    assert len(data["courses"]) == 12
    assert sum(course["credits"] for course in data["courses"]) == 36
    terms = {
        (schedule["id"], term.get("year"), term["name"]): sum(
            entry["credits"] for entry in term["entries"]
        )
        for schedule in data["schedules"]
        for term in schedule["terms"]
    }
    assert terms == {
        ("full-time", None, "Fall term"): 15,
        ("full-time", None, "January term"): 6,
        ("full-time", None, "Spring term"): 15,
        ("part-time", 1, "Fall term"): 7,
        ("part-time", 1, "January term"): 4,
        ("part-time", 1, "Spring term"): 7,
        ("part-time", 2, "Fall term"): 8,
        ("part-time", 2, "January term"): 2,
        ("part-time", 2, "Spring term"): 7,
    }


def test_curriculum_titles_and_credits_are_the_sources(built_site: Path) -> None:
    source = normalise((SOURCES / "clinical-service-operations.txt").read_text())
    data = tomllib.loads(MSCSO_CURRICULUM.read_text(encoding="utf-8"))
    for course in data["courses"]:
        assert course["title"] in source
    for schedule in data["schedules"]:
        for term in schedule["terms"]:
            for entry in term["entries"]:
                assert f"{entry['title']} ({entry['credits']} Cr)" in source


def test_rendered_curriculum_totals(built_site: Path) -> None:
    program = page(built_site, "programs/clinical-service-operations")
    courses = program.find("caption", string="Core courses and credits").parent
    assert len(courses.tbody.find_all("tr")) == 12
    assert text_of(courses.tfoot) == "Total 36"
    soup = page(built_site, "programs/clinical-service-operations/curriculum")
    courses = soup.find("caption", string="Core courses and credits").parent
    assert text_of(courses.tfoot) == "Total 36"
    assert len(soup.select("details.hq-course")) == 11  # the source gives no aim for one
    full_time = soup.find(id="schedule-full-time")
    assert text_of(full_time.caption).endswith("36 credits")
    part_time = soup.find(id="schedule-part-time")
    assert text_of(part_time.caption).endswith("35 credits")
    for link in full_time.select("a") + part_time.select("a"):
        target = soup.find(id=link["href"].removeprefix("#"))
        assert target is not None and target.name == "tr"


def quote_files() -> list[Path]:
    return sorted((CONTENT / "quotes").glob("*.md"))


def header_and_body(path: Path) -> tuple[dict[str, str], str]:
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines())
    return fields, body


def test_there_are_quotes() -> None:
    assert len(quote_files()) >= 8


@pytest.mark.parametrize("path", quote_files(), ids=lambda p: p.stem)
def test_quote_is_verbatim_from_its_source(path: Path) -> None:
    fields, body = header_and_body(path)
    source = normalise((SOURCES / fields["Source-file"]).read_text(encoding="utf-8"))
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            assert normalise(paragraph) in source
    assert fields["Person"].split()[-1] in source
    assert fields["Role"] in source


@pytest.mark.parametrize("path", quote_files(), ids=lambda p: p.stem)
def test_quote_is_attributed_on_its_pages(built_site: Path, path: Path) -> None:
    fields, body = header_and_body(path)
    first_words = normalise(body)[:60]
    urls = ["people"]
    urls += [f"programs/{slug.strip()}" for slug in fields.get("Programs", "").split(",") if slug]
    if fields.get("News"):
        urls.append(f"news/{fields['News']}")
    for url in urls:
        figures = [
            figure
            for figure in page(built_site, url).select("figure.hq-quote")
            if first_words in text_of(figure.blockquote)
        ]
        assert len(figures) == 1, f"{path.name} not shown once on /{url}/"
        caption = text_of(figures[0].figcaption)
        assert fields["Person"] in caption and fields["Role"] in caption


def test_home_explains_why_it_matters_with_its_source(built_site: Path) -> None:
    soup = page(built_site, "")
    section = soup.find(id="why").find_parent("section")
    text = text_of(section)
    assert "nearly 100,000" in text
    assert "$3 trillion" in text
    assert "Source:" in text


def test_news_item_shows_its_quotes_and_further_reading(built_site: Path) -> None:
    soup = page(built_site, "news/bmj-quality-improvement-series")
    people = text_of(soup.main)
    for name in ("Jennifer Dixon", "Fiona Godlee", "Anya De Iongh"):
        assert name in people
    assert soup.find("a", href="https://www.bmj.com/quality-improvement") is not None
    feed = (built_site / "feeds" / "news.atom.xml").read_text()
    assert "/news/bmj-quality-improvement-series/" in feed


LEFTOVER_SYNTAX = [
    (re.compile(r"\{\{|\{%|%\}|\}\}"), "unrendered Jinja"),
    (re.compile(r"\{(filename|static|attach|index|tag|category|author)\}"), "Pelican placeholder"),
    (re.compile(r"(^|\s)#{1,6} \w"), "Markdown heading"),
    (re.compile(r"\*\*\w|\w\*\*"), "Markdown bold"),
    (re.compile(r"\]\(|\[[^\]]+\]\["), "Markdown link"),
    (re.compile(r"^\s*[-*] \w", re.MULTILINE), "Markdown list item"),
]


def test_no_page_shows_template_or_markdown_syntax(built_site: Path) -> None:
    problems = []
    for file in sorted(built_site.rglob("*.html")):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
        for tag in soup(["script", "style"]):
            tag.decompose()
        text = soup.get_text("\n")
        for pattern, what in LEFTOVER_SYNTAX:
            if match := pattern.search(text):
                problems.append(f"{file.relative_to(built_site)}: {what}: {match.group(0)!r}")
    assert problems == []


def test_site_files(built_site: Path) -> None:
    assert (built_site / "404.html").is_file()
    robots = (built_site / "robots.txt").read_text()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
    sitemap = (built_site / "sitemap.xml").read_text()
    for slug in PROGRAM_FACTS:
        assert f"<loc>http://127.0.0.1:8000/programs/{slug}/</loc>" in sitemap
    assert "404" not in sitemap


def test_every_page_has_nav_skip_link_and_main(built_site: Path) -> None:
    for file in sorted(built_site.rglob("*.html")):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml")
        first_link = soup.body.find("a")
        assert first_link["href"] == "#main-content", file
        assert soup.find("main", id="main-content") is not None, file
        labels = [a.get_text(strip=True) for a in soup.select("nav.hq-nav a")]
        assert labels == ["Home", "Programs", "Info sessions", "People and quotes", "News", "About"]
