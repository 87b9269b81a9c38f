"""Structured data: schema.org JSON-LD on session and program pages, parsed and checked.

- Every session page (``/sessions/<name>/`` for each ``content/sessions/<name>.md``) has one
  ``Event`` with what Google's event rich results require (name, startDate, location) and
  recommend (endDate, eventStatus, eventAttendanceMode, organizer, description, offers), plus
  our own rules: dates with UTC offsets that match the page, the location type that the
  attendance mode implies, ``url`` the page's canonical address.
- Every program page (``/programs/<slug>/``) has one ``EducationalOccupationalProgram``.
- Every JSON-LD block on every page parses and names the schema.org context.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.browser.harness import ShippedSite, json_ld, soup
from tests.conftest import CONTENT
from tests.series.expected import session_files

SCHEMA = "https://schema.org/"
EVENT_STATUSES = {
    f"{SCHEMA}{status}"
    for status in (
        "EventScheduled",
        "EventCancelled",
        "EventPostponed",
        "EventRescheduled",
        "EventMovedOnline",
    )
}
# eventAttendanceMode -> the location types it needs.
ATTENDANCE_LOCATIONS = {
    f"{SCHEMA}OfflineEventAttendanceMode": {"Place"},
    f"{SCHEMA}OnlineEventAttendanceMode": {"VirtualLocation"},
    f"{SCHEMA}MixedEventAttendanceMode": {"Place", "VirtualLocation"},
}
# Page status (the hq-session--<status> class) -> the eventStatus it must carry.
PAGE_STATUS = {
    "scheduled": f"{SCHEMA}EventScheduled",
    "full": f"{SCHEMA}EventScheduled",
    "cancelled": f"{SCHEMA}EventCancelled",
    "postponed": f"{SCHEMA}EventPostponed",
}
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
ORGANIZATION_TYPES = {"Organization", "EducationalOrganization", "CollegeOrUniversity"}
OFFER_FIELDS = ("url", "price", "priceCurrency", "availability")
AVAILABILITY = {f"{SCHEMA}{a}" for a in ("InStock", "SoldOut", "PreOrder", "LimitedAvailability")}


def session_names() -> list[str]:
    """Every session in content/sessions/, by page address (a series' dates each)."""
    return [path.stem for path in session_files(CONTENT / "sessions")]


def program_slugs() -> list[str]:
    """Every program in content/programs/, by its Slug: header (the file name otherwise)."""
    slugs = []
    for path in sorted((CONTENT / "programs").glob("*.md")):
        match = re.search(r"^Slug:\s*(\S+)", path.read_text(encoding="utf-8"), re.M | re.I)
        slugs.append(match.group(1) if match else path.stem)
    return slugs


def one_of_type(document: BeautifulSoup, kind: str) -> dict:
    """The page's single JSON-LD object of ``@type`` ``kind`` (fails unless exactly one)."""
    found = [block for block in json_ld(document) if block.get("@type") == kind]
    assert len(found) == 1, f"expected one {kind} JSON-LD block, found {len(found)}"
    return found[0]


def canonical(document: BeautifulSoup) -> str:
    """The page's canonical URL."""
    link = document.find("link", rel="canonical")
    return link["href"] if link else ""


def aware(value: object, field: str, problems: list[str]) -> datetime | None:
    """``value`` as an aware datetime, or None with a problem noted."""
    if not isinstance(value, str) or not ISO_WITH_OFFSET.match(value):
        problems.append(f"{field}: {value!r} is not an ISO 8601 date-time with a UTC offset")
        return None
    return datetime.fromisoformat(value)


def is_https_or_site_url(value: object, site_base: str) -> bool:
    """An absolute https URL, or one under the site's own address."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return (parts.scheme == "https" and bool(parts.netloc)) or value.startswith(site_base)


def event_problems(document: BeautifulSoup, event: dict) -> list[str]:
    """What a session page's Event lacks or gets wrong."""
    problems: list[str] = []
    page_url = canonical(document)
    site_base = page_url.split("/sessions/")[0] + "/"
    if event.get("@context") not in ("https://schema.org", SCHEMA):
        problems.append(f"@context: {event.get('@context')!r}")
    heading = document.find("h1").get_text(" ", strip=True)
    name = event.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"name: {name!r} is empty")
    elif name not in heading:
        problems.append(f"name: {name!r} is not the page's heading {heading!r}")
    description = event.get("description")
    if not isinstance(description, str) or not description.strip():
        problems.append(f"description: {description!r} is empty")
    if event.get("url") != page_url:
        problems.append(f"url: {event.get('url')!r}, expected the canonical {page_url!r}")

    start = aware(event.get("startDate"), "startDate", problems)
    end = aware(event.get("endDate"), "endDate", problems)
    if start and end and end <= start:
        problems.append(f"endDate {end} is not after startDate {start}")
    shown = [t["datetime"] for t in document.select("main time[datetime]")]
    if start and event.get("startDate") not in shown:
        problems.append(f"startDate {event.get('startDate')!r} is not a time shown on the page")

    status = event.get("eventStatus")
    if status not in EVENT_STATUSES:
        problems.append(f"eventStatus: {status!r} is not a schema.org EventStatusType")
    article = document.select_one("main [class*='hq-session--']")
    page_status = next(
        (c.removeprefix("hq-session--") for c in article.get("class", []) if "--" in c), None
    )
    if page_status in PAGE_STATUS and status != PAGE_STATUS[page_status]:
        problems.append(f"eventStatus: {status!r} but the page says {page_status!r}")

    mode = event.get("eventAttendanceMode")
    locations = event.get("location")
    locations = locations if isinstance(locations, list) else [locations]
    types = {loc.get("@type") for loc in locations if isinstance(loc, dict)}
    if mode not in ATTENDANCE_LOCATIONS:
        problems.append(f"eventAttendanceMode: {mode!r} is not a schema.org attendance mode")
    elif types != ATTENDANCE_LOCATIONS[mode]:
        problems.append(
            f"location types {sorted(t or '?' for t in types)} do not fit {mode}: "
            f"expected {sorted(ATTENDANCE_LOCATIONS[mode])}"
        )
    for location in locations:
        if not isinstance(location, dict):
            problems.append(f"location: {location!r} is not an object")
        elif location.get("@type") == "Place":
            if not location.get("name") or not location.get("address"):
                problems.append(f"location Place needs a name and an address: {location!r}")
        elif location.get("@type") == "VirtualLocation" and not is_https_or_site_url(
            location.get("url"), site_base
        ):
            problems.append(f"location VirtualLocation needs an https url: {location!r}")

    organizer = event.get("organizer")
    if not isinstance(organizer, dict) or organizer.get("@type") not in (
        ORGANIZATION_TYPES | {"Person"}
    ):
        problems.append(f"organizer: {organizer!r} is not an Organization or Person")
    elif not organizer.get("name") or not is_https_or_site_url(organizer.get("url"), site_base):
        problems.append(f"organizer: {organizer!r} needs a name and a url")

    offers = event.get("offers")
    if offers is not None:
        for offer in offers if isinstance(offers, list) else [offers]:
            missing = [
                k for k in ("url", "price", "priceCurrency", "availability") if k not in offer
            ]
            if offer.get("@type") != "Offer" or missing:
                problems.append(f"offers: {offer!r} is not an Offer with {missing}")
            elif offer["availability"] not in AVAILABILITY:
                problems.append(f"offers availability: {offer['availability']!r}")
            elif page_status == "full" and offer["availability"] != f"{SCHEMA}SoldOut":
                problems.append("offers availability: the session is full, expected SoldOut")
    if page_status in ("cancelled", "postponed") and offers is not None:
        problems.append(f"offers: a {page_status} session offers nothing to register for")
    return problems


@pytest.mark.parametrize("name", session_names())
def test_session_page_has_event_json_ld(site: ShippedSite, name: str) -> None:
    """The session's page carries a complete schema.org Event that agrees with the page."""
    path = f"/sessions/{name}/"
    assert site.file(path).is_file(), f"content/sessions/{name}.md has no page at {path}"
    document = soup(site, path)
    problems = event_problems(document, one_of_type(document, "Event"))
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("slug", program_slugs())
def test_program_page_has_program_json_ld(site: ShippedSite, slug: str) -> None:
    """The program's page describes it as a schema.org EducationalOccupationalProgram."""
    path = f"/programs/{slug}/"
    assert site.file(path).is_file(), f"program {slug!r} has no page at {path}"
    document = soup(site, path)
    program = one_of_type(document, "EducationalOccupationalProgram")
    problems = []
    if program.get("@context") not in ("https://schema.org", SCHEMA):
        problems.append(f"@context: {program.get('@context')!r}")
    heading = document.find("h1").get_text(" ", strip=True)
    if not program.get("name") or program["name"] not in heading:
        problems.append(f"name: {program.get('name')!r} is not the heading {heading!r}")
    if not program.get("description"):
        problems.append("description: missing or empty")
    if program.get("url") != canonical(document):
        problems.append(f"url: {program.get('url')!r}, expected {canonical(document)!r}")
    provider = program.get("provider")
    if not isinstance(provider, dict) or provider.get("@type") not in ORGANIZATION_TYPES:
        problems.append(f"provider: {provider!r} is not an organisation")
    elif not provider.get("name"):
        problems.append(f"provider: {provider!r} has no name")
    if not program.get("educationalCredentialAwarded"):
        problems.append("educationalCredentialAwarded: missing or empty")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def test_every_session_and_program_is_checked(site: ShippedSite) -> None:
    """The content lists above are not empty, and no other page claims to be one of them."""
    sessions, programs = session_names(), program_slugs()
    assert sessions, "content/sessions/ has no sessions to check"
    assert programs, "content/programs/ has no programs to check"
    expected = {f"/sessions/{n}/" for n in sessions} | {f"/programs/{s}/" for s in programs}
    claiming = {
        path
        for path in site.pages
        for block in json_ld(soup(site, path))
        if block.get("@type") in ("Event", "EducationalOccupationalProgram")
    }
    assert claiming == expected, (
        f"pages with Event/Program JSON-LD but no content file: {sorted(claiming - expected)}; "
        f"content without JSON-LD on its page: {sorted(expected - claiming)}"
    )


def test_json_ld_parses(site: ShippedSite, page_path: str) -> None:
    """Every JSON-LD block on the page is valid JSON naming the schema.org context."""
    document = soup(site, page_path)
    for block in json_ld(document):  # a JSON error fails here, with its position
        assert block.get("@context") in ("https://schema.org", SCHEMA), (
            f"{page_path}: JSON-LD without the schema.org @context: {block!r}"
        )
        assert block.get("@type"), f"{page_path}: JSON-LD without @type: {block!r}"


def test_event_check_reports_each_missing_or_wrong_field(site: ShippedSite) -> None:
    """A real session's Event, broken field by field, gets one problem per broken field."""
    names = session_names()
    assert names, "content/sessions/ has no sessions"
    document = soup(site, f"/sessions/{names[0]}/")
    event = copy.deepcopy(one_of_type(document, "Event"))
    del event["endDate"]
    event["startDate"] = "2027-01-01T12:00"  # no UTC offset
    event["eventStatus"] = "Scheduled"
    event["eventAttendanceMode"] = f"{SCHEMA}MixedEventAttendanceMode"
    event["location"] = {"@type": "Place", "name": "Somewhere"}  # no address, no online part
    event["organizer"] = "Someone"
    event["url"] = "https://example.org/elsewhere/"
    problems = "\n".join(event_problems(document, event))
    for expected in (
        "endDate: None",
        "startDate: '2027-01-01T12:00' is not an ISO 8601 date-time with a UTC offset",
        "eventStatus: 'Scheduled'",
        "do not fit",
        "Place needs a name and an address",
        "organizer: 'Someone'",
        "url: 'https://example.org/elsewhere/'",
    ):
        assert expected in problems, f"{expected!r} not reported in:\n{problems}"
