"""The comparison page, program cards and program pages' next steps, on real builds.

What each program should show is read here straight from its file (a plain header reader,
not the plugin's), so the page is checked against the file, not against the plugin's idea of it:
every fact the file gives, exactly as written, and "Not stated in the source" where it gives
none. The scenario tests/data/programs/compare has a program with every field, one with only
the required ones and one in between.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.conftest import CONTENT
from tests.problems import without_lines
from tools.build import BuildError

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "programs"
UNSTATED = "Not stated in the source"
# The comparison's rows, in order: their label and the program file's field (None: computed).
ROWS = [
    ("Degree or award", "Degree"),
    ("Awarding institution", "Institution"),
    ("In collaboration with", "Partners"),
    ("Length", "Length"),
    ("Format", "Format"),
    ("Credits", None),
    ("Who it is for", "Audience"),
    ("Requirements", "Requirements"),
    ("Program leadership", "Directors"),
    ("First class", "First-class"),
    ("Course list", None),
    ("Next info session", None),
]


def header(path: Path) -> dict[str, str]:
    """A program file's header fields, as written (names as in the file)."""
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def page(output: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((output / url / "index.html").read_text(encoding="utf-8"), "lxml")


def text(element: Tag) -> str:
    return " ".join(element.get_text(" ").split())


def expected_facts(file: Path) -> dict[str, str]:
    """Every row's expected text for one program file, "Next info session" aside."""
    fields = header(file)
    facts = {}
    for label, field in ROWS:
        if field is not None:
            facts[label] = fields.get(field) or UNSTATED
    if fields.get("Curriculum"):
        data = tomllib.loads((file.parent / fields["Curriculum"]).read_text(encoding="utf-8"))
        credits = sum(course["credits"] for course in data["courses"])
        facts["Credits"] = f"{credits} credits ({len(data['courses'])} core courses)"
        facts["Course list"] = "Courses and schedules"
    else:
        facts["Credits"] = facts["Course list"] = UNSTATED
    return facts


def comparison(output: Path) -> tuple[list[str], dict[str, dict[str, Tag]]]:
    """The comparison table: program page links in column order, and {program: {row: cell}}."""
    table = page(output, "programs/compare").select_one("main table")
    assert table.caption is not None and table.caption.get_text(strip=True)
    heads = table.select("thead th")
    assert all(th["scope"] == "col" for th in heads)
    programs = [th.a["href"] for th in heads]
    cells: dict[str, dict[str, Tag]] = {program: {} for program in programs}
    for row in table.select("tbody tr"):
        label = row.th
        assert label["scope"] == "row"
        values = row.find_all("td")
        assert len(values) == len(programs), f"row {text(label)!r} has {len(values)} cells"
        for program, cell in zip(programs, values, strict=True):
            cells[program][text(label)] = cell
    return programs, cells


@pytest.fixture(scope="module")
def compare_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/programs/compare built once."""
    from tests.realsite import TEST_TODAY
    from tools.build import build_site

    root = tmp_path_factory.mktemp("compare")
    shutil.copytree(SCENARIOS / "compare", root / "content")
    output = root / "output"
    build_site(output, overrides={"SITE_TODAY": TEST_TODAY, "PATH": str(root / "content")})
    return output


def check_comparison(output: Path, programs_folder: Path) -> dict[str, dict[str, Tag]]:
    """The comparison shows, for every program file, exactly its facts, in ROWS order."""
    programs, cells = comparison(output)
    files = {f"/programs/{header(f)['Slug']}/": f for f in programs_folder.glob("*.md")}
    assert sorted(programs) == sorted(files), "the comparison does not list every program"
    for program, file in files.items():
        assert list(cells[program]) == [label for label, _ in ROWS], list(cells[program])
        shown = {label: text(cell) for label, cell in cells[program].items()}
        del shown["Next info session"]
        assert shown == expected_facts(file), f"{program}: the comparison differs from {file}"
        for label, cell in cells[program].items():
            unstated = cell.select(".hq-unstated")
            assert bool(unstated) == (shown.get(label) == UNSTATED), f"{program} {label}"
        course_link = cells[program]["Course list"].a
        if course_link is not None:
            assert course_link["href"] == f"{program}#curriculum"
            assert page(output, program.strip("/")).find(id="curriculum") is not None
    return cells


def test_comparison_shows_exactly_what_each_program_file_gives(compare_site: Path) -> None:
    """A program with every field, one with the required ones only and one in between: each
    fact as written, credits computed from the curriculum, "not stated" for the rest."""
    cells = check_comparison(compare_site, SCENARIOS / "compare" / "programs")
    bare = {label: text(cell) for label, cell in cells["/programs/bare/"].items()}
    assert list(bare.values()).count(UNSTATED) == 9  # all but degree and institution (and session)
    assert text(cells["/programs/full/"]["Credits"]) == "9 credits (3 core courses)"


def test_comparison_links_each_program_and_its_next_session_that_takes_place(
    compare_site: Path,
) -> None:
    """Column heads are the programs' labels, linked; the next-session row links the next
    session that takes place (not a cancelled one) or says none is scheduled."""
    soup = page(compare_site, "programs/compare")
    heads = [(a.get_text(strip=True), a["href"]) for a in soup.select("thead th a")]
    assert heads == [
        ("Full Facts (MFF)", "/programs/full/"),
        ("Bare Certificate", "/programs/bare/"),
        ("Partial Fellowship", "/programs/partial/"),
    ]
    _, cells = comparison(compare_site)
    full = cells["/programs/full/"]["Next info session"]
    assert full.a["href"] == "/sessions/full-online-dec/"
    assert text(full) == "Tuesday 8 December 2026 (online)"
    assert text(cells["/programs/bare/"]["Next info session"]) == "None scheduled"
    assert text(cells["/programs/partial/"]["Next info session"]) == "None scheduled"
    region = soup.select_one("[role=region][tabindex='0']")
    assert region is not None and region.table is not None, "no focusable scroll region"
    assert region["aria-labelledby"] == region.table.caption["id"]


def test_real_comparison_shows_exactly_what_each_program_file_gives(built_site: Path) -> None:
    """The shipped site's comparison against content/programs/*.md."""
    check_comparison(built_site, CONTENT / "programs")


def test_comparison_is_linked_from_home_programs_and_every_program_page(
    compare_site: Path,
) -> None:
    for url in ("", "programs", "programs/full", "programs/bare", "programs/partial"):
        links = page(compare_site, url).select("main a[href='/programs/compare/']")
        assert links, f"/{url} does not link to the comparison"
        assert any("hq-button" in a.get("class", []) for a in links), f"/{url}: no button"


def test_cards_carry_degree_length_format_and_next_session(compare_site: Path) -> None:
    for url in ("", "programs"):
        cards = {
            card.select_one(".hq-card__title a")["href"]: {
                text(dt): text(dt.find_next_sibling("dd")) for dt in card.select("dt")
            }
            for card in page(compare_site, url).select(".hq-card")
        }
        assert cards["/programs/full/"] == {
            "Degree or award": "Master of Full Facts (MFF)",
            "Length": "Two years",
            "Format": "Part-time online study",
            "Next info session": "Tuesday 8 December 2026 (online)",
        }
        assert cards["/programs/bare/"] == {
            "Degree or award": "Certificate in Bare Facts",
            "Length": UNSTATED,
            "Format": UNSTATED,
            "Next info session": "None scheduled",
        }


# -- next steps on program pages ---------------------------------------------------------


def section(soup: BeautifulSoup, heading_id: str) -> Tag:
    heading = soup.find(id=heading_id)
    assert heading is not None, f"no #{heading_id}"
    return heading.find_parent("section")


def test_next_steps_come_first_with_register_buttons(compare_site: Path) -> None:
    """The next session (with Register) is beside the content, before it in the page; the
    next steps are the first section; each session has a Register or details button."""
    soup = page(compare_site, "programs/full")
    main = soup.main
    aside = main.select_one("aside")
    first_section = main.select_one(".hq-program__body section")
    assert first_section is section(soup, "next-steps")
    panel = section(soup, "next-session")
    assert panel.find_parent("aside") is aside
    register = panel.select_one("a.hq-button")
    assert text(register) == "Register for Full Facts online session, Tuesday 8 December 2026"
    assert register["href"] == "https://example.org/register/full-dec"
    buttons = [(text(a), a["href"]) for a in section(soup, "info-sessions").select("a.hq-button")]
    assert buttons == [
        (
            "Register for Full Facts online session, Tuesday 8 December 2026",
            "https://example.org/register/full-dec",
        ),
        (
            "Session details : Full Facts open evening, Tuesday 12 January 2027",
            "/sessions/full-campus-jan/",
        ),
    ]


@pytest.mark.parametrize("slug", ["bare", "partial"])
def test_without_sessions_the_program_offers_its_own_feed(compare_site: Path, slug: str) -> None:
    """No session that takes place: the page says so and offers the program's own feed."""
    soup = page(compare_site, f"programs/{slug}")
    panel = section(soup, "next-session")
    assert "None is scheduled" in text(panel)
    subscribe = panel.find("a", class_="hq-button")
    assert subscribe["href"] == f"#feed-program-{slug}"  # the control on this page
    sessions = section(soup, "info-sessions")
    if slug == "bare":
        assert "No information sessions of this program are scheduled" in text(sessions)
        feed = sessions.select_one(f"details.hq-feed#feed-program-{slug}")
        assert feed is not None
        assert feed.find("a", href=f"/calendar/program-{slug}.ics") is not None
        assert feed.select_one("a[href^='webcal://']") is not None
    else:  # its one session is cancelled: listed, marked, no button
        assert "Cancelled" in text(sessions)
        assert sessions.select("a.hq-button") == []


def test_how_to_apply_links_only_what_the_file_gives(compare_site: Path) -> None:
    full = section(page(compare_site, "programs/full"), "how-to-apply")
    links = {text(a): a["href"] for a in full.select("a")}
    assert links == {
        "Apply to the Master of Full Facts": "https://apply.example.org/full",
        "Program website": "https://www.example.org/full",
        "Email admissions@example.org": "mailto:admissions@example.org",
    }
    facts = {text(dt): text(dt.find_next_sibling("dd")) for dt in full.select("dt")}
    assert facts == {
        "Who it is for": "Clinicians who want every fact.",
        "Requirements": "A first degree and two years of practice.",
    }
    partial = section(page(compare_site, "programs/partial"), "how-to-apply")
    assert partial.select("a") == []
    assert (
        "refers to the program's website and an email contact without giving their addresses"
        in text(partial)
    )
    assert "Requirements " + UNSTATED in text(partial)
    bare = section(page(compare_site, "programs/bare"), "how-to-apply")
    assert bare.select("a") == []
    assert "The source gives no website, contact address or application link" in text(bare)


def test_real_program_pages_say_where_the_source_points_without_a_link(built_site: Path) -> None:
    """The shipped files give no addresses: nothing is linked, the mention is reported."""
    for file in sorted((CONTENT / "programs").glob("*.md")):
        fields = header(file)
        apply = section(page(built_site, f"programs/{fields['Slug']}"), "how-to-apply")
        assert apply.select("a") == [], f"{file.name} links {apply.select('a')}"
        mentions = fields.get("Source-mentions", "")
        if "website" in mentions:
            assert "refers to the program's website" in text(apply), file.name
        assert ("email contact" in text(apply)) == ("email" in mentions), file.name


# -- contents lists ---------------------------------------------------------------------


def test_program_page_contents_list_links_every_section_in_order(compare_site: Path) -> None:
    """Every section heading of the page's content (theme and Markdown alike) has an id and an
    entry, in page order; a page with a single section gets no list."""
    soup = page(compare_site, "programs/full")
    nav = soup.select_one("nav.hq-toc")
    assert nav is not None and nav["aria-labelledby"] == "toc-title"
    entries = [(a["href"], text(a)) for a in nav.select("a")]
    body = soup.select_one(".hq-program__body")
    headings = [(f"#{h2.get('id')}", text(h2)) for h2 in body.find_all("h2")]
    assert entries == [h for h in headings if h[0] != "#toc-title"]
    assert entries == [
        ("#next-steps", "Next steps"),
        ("#about-the-program", "About the program"),
        ("#who-it-is-for", "Who it is for"),
        ("#curriculum", "Curriculum"),
    ]
    assert page(compare_site, "programs/bare").select_one("nav.hq-toc") is None


def test_section_headings_never_repeat_an_id_of_the_page(build, tmp_path: Path) -> None:
    """Markdown headings named like the page's own parts get ids of their own."""
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / "compare", content)
    file = content / "programs" / "full.md"
    file.write_text(
        file.read_text() + "\n## Key facts\n\nx\n\n## Next steps\n\ny\n\n## Main content\n\nz\n"
    )
    soup = page(build(content=content), "programs/full")
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    entries = [a["href"] for a in soup.select("nav.hq-toc a")]
    assert entries[-4:] == ["#key-facts-2", "#next-steps-2", "#main-content-2", "#curriculum"]


def test_real_program_pages_have_contents_lists(built_site: Path) -> None:
    for file in sorted((CONTENT / "programs").glob("*.md")):
        soup = page(built_site, f"programs/{header(file)['Slug']}")
        nav = soup.select_one("nav.hq-toc")
        assert nav is not None, file.name
        for link in nav.select("a"):
            assert soup.find(id=link["href"][1:]).name == "h2", link


# -- bad input ---------------------------------------------------------------------------


BAD_CONTACTS = [
    ("Website", "http://www.example.org/full", "Website: 'http://www.example.org/full': must "
     "start with https://"),
    ("Website", "javascript:alert(1)", "Website: 'javascript:alert(1)': must start with https://"),
    ("Website", "https://", "Website: 'https://': is not a web address"),
    ("Website", 'https://example.org/"><b>x</b>', "is not a web address"),
    ("Website", "https://user:secret@example.org/", "holds a user name or password"),
    ("Apply-URL", "www.example.org/apply", "Apply-URL: 'www.example.org/apply': must start with "
     "https://"),
    ("Contact-email", "mailto:admissions@example.org", "without 'mailto:'"),
    ("Contact-email", "admissions at example.org", "is not an email address"),
    ("Contact-email", "a@b.org?subject=x", "is not an email address"),
    ("Source-mentions", "website, phone", "Source-mentions: 'phone': not one of website, "
     "email, apply"),
    ("Source-mentions", "website", "Source-mentions: 'website': Website is set"),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value", "message"), BAD_CONTACTS)
def test_bad_contact_fields_name_file_field_value_and_fix(
    build, tmp_path: Path, field: str, value: str, message: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / "compare", content)
    file = content / "programs" / "full.md"
    lines = [line for line in file.read_text().splitlines() if not line.startswith(f"{field}:")]
    lines.insert(1, f"{field}: {value}")
    file.write_text("\n".join(lines) + "\n")
    with pytest.raises(BuildError) as caught:
        build(content=content)
    report = "\n".join(without_lines(caught.value))
    assert f"content/programs/full.md: {message}" in report or (
        "content/programs/full.md: " in report and message in report
    ), report


def test_every_contact_problem_is_reported_at_once(build, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / "compare", content)
    file = content / "programs" / "full.md"
    source = file.read_text()
    source = source.replace("Website: https://www.", "Website: http://www.")
    source = source.replace("Contact-email: admissions@", "Contact-email: admissions-at-")
    file.write_text(source)
    partial = content / "programs" / "partial.md"
    partial.write_text(partial.read_text().replace("website, email", "site"))
    with pytest.raises(BuildError) as caught:
        build(content=content)
    report = "\n".join(without_lines(caught.value))
    assert "full.md: Website: 'http://www.example.org/full'" in report
    assert "full.md: Contact-email: 'admissions-at-example.org'" in report
    assert "partial.md: Source-mentions: 'site'" in report


def test_a_program_cannot_take_the_comparison_pages_address(build, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIOS / "compare", content)
    file = content / "programs" / "bare.md"
    file.write_text(file.read_text().replace("Slug: bare", "Slug: compare"))
    with pytest.raises(BuildError) as caught:
        build(content=content)
    assert (
        "content/programs/bare.md: Slug: 'compare': its page would be the comparison page"
        in "\n".join(without_lines(caught.value))
    )


# -- one label per program -----------------------------------------------------------------


def expected_label(fields: dict[str, str]) -> str:
    """Label (else the title), with the short name in brackets unless it is there already."""
    base, short = fields.get("Label") or fields["Title"], fields.get("Short-name", "")
    return f"{base} ({short})" if short and short not in base else base


def test_one_label_per_program_wherever_programs_are_listed(built_site: Path) -> None:
    """The session filters, the comparison's heads, session cards and session pages name a
    program by the same label."""
    labels = {}
    for file in (CONTENT / "programs").glob("*.md"):
        fields = header(file)
        labels[f"/programs/{fields['Slug']}/"] = expected_label(fields)
    assert len(set(labels.values())) == len(labels), "two programs share a label"
    sessions = page(built_site, "sessions")
    group = sessions.find(id="filters-program").find_next_sibling("ul")
    shown = {a["href"].rstrip("/").rsplit("/", 1)[-1]: text(a) for a in group.select("a")}
    assert shown == {href.split("/")[2]: label for href, label in labels.items()}
    heads = page(built_site, "programs/compare").select("thead th a")
    assert {a["href"]: text(a) for a in heads} == labels
    named = [
        (a["href"], text(a))
        for card in sessions.select("li.hq-session")
        for a in card.select(".hq-meta a[href^='/programs/']")
    ]
    assert named and all(labels[href] == label for href, label in named), named
    for session in (built_site / "sessions").glob("*/index.html"):
        soup = BeautifulSoup(session.read_text(encoding="utf-8"), "lxml")
        dt = soup.find("dt", string="Program")
        if dt is not None:  # a session page
            link = dt.find_next_sibling("dd").a
            assert text(link) == labels[link["href"]], session


def test_a_session_without_registration_says_how_to_take_part(compare_site: Path) -> None:
    """No Registration-URL: the page says so, sends people to the venue (with its map) and
    names the program's contacts from its own file; nothing else is made up."""
    soup = page(compare_site, "sessions/full-campus-jan")
    facts = {text(dt): dt.find_next_sibling("dd") for dt in soup.select(".hq-facts dt")}
    assert "Registration" not in facts
    how = facts["How to take part"]
    assert " ".join(how.get_text().split()) == (
        "This session has no registration link. Come to the venue at the time shown. "
        "Questions: admissions@example.org or the program's website."
    )
    assert [a["href"] for a in how.select("a")] == [
        "mailto:admissions@example.org",
        "https://www.example.org/full",
    ]
    assert facts["Where"].select_one("a.hq-map")["href"] == (
        "https://www.openstreetmap.org/search?query=Full%20Hall%2C%201%20Example%20Street%2C"
        "%20Boston%2C%20MA"
    )


def test_a_cancelled_session_with_none_to_follow_points_to_the_feed(compare_site: Path) -> None:
    """The program has no other session that takes place: its feed and its list page."""
    soup = page(compare_site, "sessions/partial-cancelled")
    instead = soup.select_one(".hq-instead")
    assert text(instead).startswith("No other session of this program is scheduled yet.")
    assert [a["href"] for a in instead.select("a")] == [
        "/sessions/subscribe/#feed-program-partial",
        "/sessions/program/partial/",
    ]
