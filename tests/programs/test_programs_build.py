"""The programs plugin on a real (small) build: pages, curriculum tables, quotes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.problems import messages
from tools.build import BuildError


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_program_pages_index_and_people_page(build, scenario: Path) -> None:
    output = build(content=scenario)
    alpha = soup(output / "programs" / "alpha" / "index.html")
    assert alpha.h1.get_text(strip=True) == "Alpha Program"
    facts = {
        dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
        for dt in alpha.select(".hq-aside .hq-facts dt")
    }
    unstated = "Not stated in the source"
    assert facts == {
        "Degree or award": "MSc Alpha",
        "Awarding institution": "Alpha School",
        "Length": unstated,
        "Format": unstated,
        "Credits": "6 credits (2 core courses)",
        "Program leadership": unstated,
        "First class": unstated,
    }
    index = soup(output / "programs" / "index.html")
    titles = [a.get_text(strip=True) for a in index.select(".hq-card__title a")]
    assert titles == ["Beta Program", "Alpha Program"]  # by Order, not by name
    people = soup(output / "people" / "index.html")
    assert "Ann Example" in people.get_text()
    assert "Bob Example" in people.get_text()


def test_curriculum_totals_and_schedule_rows_link_to_courses(build, scenario: Path) -> None:
    output = build(content=scenario)
    program_page = soup(output / "programs" / "alpha" / "index.html")
    courses = program_page.find("caption", string="Core courses and credits").parent
    assert courses.tfoot.get_text(" ", strip=True) == "Total 6"
    assert program_page.find(id="schedule-full-time") is None  # on the curriculum page
    link = program_page.find("a", href="/programs/alpha/curriculum/")
    assert link.get_text(strip=True) == "Course aims, learning objectives and schedules"
    page = soup(output / "programs" / "alpha" / "curriculum" / "index.html")
    assert page.h1.get_text(strip=True) == "Curriculum: Alpha Program"
    courses = page.find("caption", string="Core courses and credits").parent
    assert courses.tfoot.get_text(" ", strip=True) == "Total 6"
    schedule = page.find(id="schedule-full-time")
    assert schedule.caption.get_text(strip=True) == "Full-time: 6 credits"
    link = schedule.find("a", string="Course 1 (schedule wording)")
    assert link["href"] == "#course-one"
    assert page.find(id="course-one") is not None
    subtotals = [row.get_text(" ", strip=True) for row in schedule.select(".hq-subtotal")]
    assert subtotals == ["Term total 4", "Term total 2"]


def test_no_credit_note_when_every_total_matches(build, scenario: Path) -> None:
    page = soup(build(content=scenario) / "programs" / "alpha" / "curriculum" / "index.html")
    assert page.select(".hq-credit-note") == []
    assert not page.find(id="schedule-full-time").has_attr("aria-describedby")


def test_a_schedule_that_adds_up_to_other_credits_is_noted_with_both_numbers(
    build, scenario: Path
) -> None:
    edit(
        scenario / "programs" / "alpha.toml",
        'course = "two"\ntitle = "Course Two"\ncredits = 2',
        'course = "two"\ntitle = "Course Two"\ncredits = 1',
    )
    page = soup(build(content=scenario) / "programs" / "alpha" / "curriculum" / "index.html")
    table = page.find(id="schedule-full-time")
    note = page.find(id=table["aria-describedby"])
    assert note.get_text(" ", strip=True) == (
        "As the source gives it, this schedule adds up to 5 credits, while the program requires "
        "6 credits. “Course Two” has 1 credit in this schedule and 2 credits in the course list."
    )
    assert note.find_next("table") is table
    assert "Total 5" in table.tfoot.get_text(" ", strip=True)  # shown as given, not corrected


def test_stated_required_credits_are_noted_against_the_course_list_and_schedules(
    build, scenario: Path
) -> None:
    toml = scenario / "programs" / "alpha.toml"
    toml.write_text("required_credits = 8\n\n" + toml.read_text())
    output = build(content=scenario)
    curriculum = soup(output / "programs" / "alpha" / "curriculum" / "index.html")
    notes = [note.get_text(" ", strip=True) for note in curriculum.select(".hq-credit-note")]
    assert notes == [
        "As the source lists them, the core courses add up to 6 credits, while the program "
        "requires 8 credits.",
        "As the source gives it, this schedule adds up to 6 credits, while the program requires "
        "8 credits.",
    ]
    page = soup(output / "programs" / "alpha" / "index.html")
    assert [note.get_text(" ", strip=True) for note in page.select(".hq-credit-note")] == notes[:1]
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["numberOfCredits"] == 8


def test_quotes_are_escaped_verbatim_and_attributed(build, scenario: Path) -> None:
    output = build(content=scenario)
    html = (output / "programs" / "beta" / "index.html").read_text()
    assert "<team>" not in html
    page = soup(output / "programs" / "beta" / "index.html")
    quote = page.select_one(".hq-quote")
    assert quote.blockquote.get_text(strip=True) == 'Quality is a <team> effort & "never" done.'
    assert "Ann Example" in quote.figcaption.get_text()
    assert "director of the alpha program" in quote.figcaption.get_text()
    news = soup(output / "news" / "launch" / "index.html")
    assert "Dr Bob Example" in news.select_one(".hq-quote figcaption").get_text(" ", strip=True)


def quote_texts(page: BeautifulSoup) -> list[str]:
    return [figure.blockquote.get_text(strip=True) for figure in page.select("figure.hq-quote")]


def test_people_page_groups_quotes_as_declared_and_every_quote_shows_its_context(
    build, scenario: Path
) -> None:
    output = build(content=scenario)
    people = soup(output / "people" / "index.html")
    groups = {
        section.h2.get_text(strip=True): quote_texts(section)
        for section in people.select("section.hq-people-group")
    }
    # Headings from PROGRAMS_PEOPLE_GROUPS, in its order; groups without quotes are left out.
    assert groups == {
        "Program leaders": ['Quality is a <team> effort & "never" done.'],
        "Participants": ["The workshop changed how I work."],
        "The BMJ and the Health Foundation": ["Improvement is everyone's job."],
    }
    for page in [
        people,
        *(
            soup(output / p / "index.html")
            for p in ("programs/alpha", "programs/beta", "news/launch")
        ),
    ]:
        for figure in page.select("figure.hq-quote"):
            assert figure.select_one(".hq-quote__context").get_text(strip=True)
    ann, cy, bob = people.select("figure.hq-quote")
    assert ann.select_one(".hq-quote__context").get_text(strip=True) == "On quality"
    assert "About: Alpha Program, Beta Program." in " ".join(ann.figcaption.get_text().split())
    assert "From the news: A launch." in " ".join(bob.figcaption.get_text().split())
    assert "About:" not in cy.figcaption.get_text()


def test_a_quote_about_no_program_or_news_item_is_only_on_the_people_page(
    build, scenario: Path
) -> None:
    output = build(content=scenario)
    everywhere = {
        str(file.relative_to(output))
        for file in output.rglob("*.html")
        if "The workshop changed how I work." in quote_texts(soup(file))
    }
    assert everywhere == {"people/index.html"}


def test_program_jsonld(build, scenario: Path) -> None:
    page = soup(build(content=scenario) / "programs" / "alpha" / "index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["name"] == "Alpha Program"
    assert data["provider"]["name"] == "Alpha School"
    assert data["numberOfCredits"] == 6
    assert data["url"].endswith("/programs/alpha/")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"scenario text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1))


BAD_INPUTS = [
    pytest.param(
        "quotes/ann.md",
        "Context: On quality\n",
        "",
        ["content/quotes/ann.md: Context: (missing): required; add a 'Context:' line"],
        id="quote-without-context",
    ),
    pytest.param(
        "quotes/ann.md",
        "Group: program-leaders\n",
        "",
        ["content/quotes/ann.md: Group: (missing): required; add a 'Group:' line"],
        id="quote-without-group",
    ),
    pytest.param(
        "quotes/ann.md",
        "Group: program-leaders",
        "Group: program-leader",
        [
            "content/quotes/ann.md:4: Group: 'program-leader': no such group; did you mean "
            "'program-leaders'?"
        ],
        id="quote-misspelt-group",
    ),
    pytest.param(
        "quotes/ann.md",
        "Group: program-leaders",
        "Group: faculty",
        [
            "content/quotes/ann.md:4: Group: 'faculty': no such group; use one of: "
            "program-leaders, school-leaders, participants, bmj-health-foundation, "
            "patient-partners, or declare the group in PROGRAMS_PEOPLE_GROUPS (pelicanconf.py)"
        ],
        id="quote-unknown-group",
    ),
    pytest.param(
        "quotes/cy.md",
        "Person: Cy Example",
        "Person: Ann Example",
        [
            "content/quotes/cy.md:4: Group: 'participants': content/quotes/ann.md puts Ann "
            "Example in 'program-leaders'; give every quote of one person the same group"
        ],
        id="person-in-two-groups",
    ),
    pytest.param(
        "programs/alpha.toml",
        "[[courses]]",
        'required_credits = "six"\n\n[[courses]]',
        ["content/programs/alpha.toml: required_credits: 'six': must be a positive whole number"],
        id="required-credits-not-a-number",
    ),
    pytest.param(
        "programs/alpha.md",
        "Institution:",
        "Instituton:",
        [
            "content/programs/alpha.md: Institution: (missing): required;",
            "content/programs/alpha.md:4: Instituton: 'Alpha School': unknown field; "
            "did you mean 'Institution'?",
        ],
        id="misspelt-field",
    ),
    pytest.param(
        "programs/alpha.md",
        "Order: 2",
        "Order: second",
        ["content/programs/alpha.md:3: Order: 'second': must be a whole number"],
        id="order-not-a-number",
    ),
    pytest.param(
        "programs/beta.md",
        "Slug: beta",
        "Slug: alpha",
        [
            "content/programs/alpha.md:2: Slug: 'alpha': also used by content/programs/beta.md; "
            "every program needs its own slug"
        ],
        id="duplicate-slug",
    ),
    pytest.param(
        "quotes/ann.md",
        "Programs: alpha, beta",
        "Programs: alpha, gamma",
        ["content/quotes/ann.md:6: Programs: 'gamma': no such program; use one of: alpha, beta"],
        id="quote-unknown-program",
    ),
    pytest.param(
        "quotes/bob.md",
        "News: launch",
        "News: lunch",
        ["content/quotes/bob.md:7: News: 'lunch': no such news item; use one of: launch"],
        id="quote-unknown-news",
    ),
    pytest.param(
        "programs/alpha.toml",
        'course = "two"',
        'course = "three"',
        [
            "content/programs/alpha.toml: schedules[0].terms[1].entries[0].course: 'three': "
            "no course has this id; use one of: one, two"
        ],
        id="schedule-unknown-course",
    ),
    pytest.param(
        "programs/alpha.toml",
        "credits = 2\n\n[[schedules]]",
        'credits = "two"\n\n[[schedules]]',
        ["content/programs/alpha.toml: courses[1].credits: 'two': must be a positive whole"],
        id="credits-not-a-number",
    ),
    pytest.param(
        "programs/alpha.toml",
        "[[courses]]",
        "[[courses]",
        [
            "content/programs/alpha.toml:1: (file): '[[courses]': not valid TOML: Expected ']]' "
            "at the end of an array declaration (at line 1, column 10)"
        ],
        id="toml-syntax",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BAD_INPUTS)
def test_bad_input_is_reported_with_file_field_value_and_fix(
    build, scenario: Path, file: str, old: str, new: str, expected: list[str]
) -> None:
    edit(scenario / file, old, new)
    with pytest.raises(BuildError) as caught:
        build(content=scenario)
    report = "\n".join(messages(caught.value))
    for message in expected:
        assert message in report


def test_all_problems_in_all_files_are_reported_at_once(build, scenario: Path) -> None:
    edit(scenario / "programs" / "alpha.md", "Degree:", "Degre:")
    edit(scenario / "programs" / "beta.md", "Order: 1", "Order: one")
    edit(scenario / "quotes" / "ann.md", "Role:", "Rôle:")
    with pytest.raises(BuildError) as caught:
        build(content=scenario)
    report = "\n".join(messages(caught.value))
    assert "alpha.md:5: Degre:" in report
    assert "beta.md:3: Order: 'one'" in report
    assert "ann.md: Role: (missing)" in report
