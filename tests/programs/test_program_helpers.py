"""Pure functions of the programs plugin and the contents filter: labels, contact fields,
facts, contents lists of rendered HTML."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from pelican.plugins.info_sessions.headers import Header

from programs.contacts import email_problem, https_problem, read_contacts
from programs.labels import program_label
from theme_helpers.contents import slug, with_contents

PATH = "content/programs/x.md"
HEADER = Header(PATH, {}, {"Website": 3, "Contact-email": 4}, "")


@pytest.mark.parametrize(
    ("title", "label", "short", "expected"),
    [
        ("Master of Healthcare Quality and Safety", "Healthcare Quality and Safety", "MHQS",
         "Healthcare Quality and Safety (MHQS)"),
        ("Master of Science in Clinical Service Operations", "Clinical Service Operations", "",
         "Clinical Service Operations"),
        ("Alpha Program", "", "", "Alpha Program"),
        ("Alpha Program", "", "ALP", "Alpha Program (ALP)"),
        ("Master of X (MX)", "", "MX", "Master of X (MX)"),  # the short name is there already
        ("Spaced   out", " Label  with\tspaces ", "", "Label with spaces"),
    ],
)  # fmt: skip
def test_program_label(title: str, label: str, short: str, expected: str) -> None:
    assert program_label(title, label, short) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/program",
        "https://example.org/a/b?c=d&e=f#g",
        "HTTPS://example.org/",
        "https://example.org:8443/x%20y",
    ],
)
def test_https_addresses_that_are_accepted(url: str) -> None:
    assert https_problem("Website", url) is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://example.org/", "must start with https://"),
        ("ftp://example.org/", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("//example.org/", "must start with https://"),
        ("example.org", "must start with https://"),
        ("https://", "is not a web address"),
        ("https://localhost/", "is not a web address"),
        ("https://example.org/a b", "is not a web address"),
        ('https://example.org/"onmouseover="x', "is not a web address"),
        ("https://example.org/<script>", "is not a web address"),
        ("https://exämple.org/", "is not a web address"),
        ("https://me:pw@example.org/", "holds a user name or password"),
    ],
)
def test_https_problems_say_what_is_wrong_and_how_to_fix_it(url: str, says: str) -> None:
    problem = https_problem("Website", url)
    assert problem is not None and problem.startswith(says)


def test_contact_problems_name_file_field_value_line_and_fix() -> None:
    _, problems = read_contacts(
        HEADER, {"website": "http://example.org/", "contact-email": "mailto:a@example.org"}
    )
    assert [str(problem) for problem in problems] == [
        f"{PATH}:3: Website: 'http://example.org/': must start with https:// (e.g. 'Website: "
        "https://www.example.edu/program'); leave the field out when the source gives no "
        "address",
        f"{PATH}:4: Contact-email: 'mailto:a@example.org': write the address alone, without "
        "'mailto:'",
    ]


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("admissions@example.edu", True),
        ("first.last+tag@mail.example.co.uk", True),
        ("a@b", False),
        ("@example.org", False),
        ("a..b@example.org", False),
        ("a@example.org?subject=hi", False),
        ("a@example.org,b@example.org", False),
        ("a b@example.org", False),
        ("a#b@example.org", False),
        ("<a@example.org>", False),
    ],
)
def test_email_addresses(address: str, ok: bool) -> None:
    assert (email_problem(address) is None) is ok


def test_contacts_read_every_field_and_keep_mentions_in_a_fixed_order() -> None:
    contacts, problems = read_contacts(
        HEADER, {"website": " https://example.org/ ", "source-mentions": "Email, apply, email"}
    )
    assert problems == []
    assert contacts.website == "https://example.org/" and contacts.has_links
    assert contacts.mentioned == ("email", "apply")
    empty, problems = read_contacts(HEADER, {})
    assert problems == [] and not empty.has_links and empty.mentioned == ()


def test_contents_entries_and_ids() -> None:
    html = (
        '<h2 id="next-steps">Next steps</h2><p>x</p><h2>Who it is for?</h2>'
        '<h2 class="c">Who it is for</h2><div id="who-it-is-for-2"></div>'
        "<h2>Caf\u00e9 &amp; <em>more</em></h2><h3>Not listed</h3><h2>  </h2>"
    )
    contents = with_contents(Markup(html))
    assert [(e.id, e.text) for e in contents.entries] == [
        ("next-steps", "Next steps"),
        ("who-it-is-for", "Who it is for?"),
        ("who-it-is-for-3", "Who it is for"),
        ("cafe-more", "Café & more"),
        ("section", ""),
    ]
    assert '<h2 id="who-it-is-for">Who it is for?</h2>' in contents.html
    assert '<h2 id="who-it-is-for-3" class="c">Who it is for</h2>' in contents.html
    assert isinstance(contents.html, Markup)


@given(st.text(max_size=40))
def test_slugs_are_always_safe_ids(text: str) -> None:
    value = slug(text)
    assert value and all(c.isascii() and (c.isalnum() or c == "-") for c in value)


@given(st.text(max_size=40))
def test_escaped_heading_text_stays_text(text: str) -> None:
    """Heading text comes escaped (Markdown escapes raw HTML): it never turns into markup."""
    contents = with_contents(Markup("<h2>%s</h2>") % text)
    assert contents.entries[0].text == " ".join(text.split())
    assert contents.html.count("<h2") == 1


def test_contents_ids_avoid_the_rest_of_the_page() -> None:
    """A heading's new id differs from ids elsewhere on the page: other parts the template
    passes along and the page shell's own."""
    contents = with_contents(
        Markup("<h2>Key facts</h2><h2>Main content</h2><h2>Contents</h2>"),
        Markup('<aside><h2 id="key-facts">Key facts</h2></aside>'),
    )
    assert [e.id for e in contents.entries] == ["key-facts-2", "main-content-2", "contents"]
