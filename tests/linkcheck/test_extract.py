"""Extraction: every kind of link found in built files, at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.linkcheck.extract import (
    extract_file,
    extract_html,
    extract_ics,
    extract_robots,
    extract_xml,
)
from tools.linkcheck.model import Kind


def _links(document) -> list[tuple[str, int | None, str]]:
    return [(link.url, link.line, link.where) for link in document.links]


def test_html_attributes_and_their_lines() -> None:
    page = b"""<!doctype html>
<html><head>
<link rel="stylesheet" href="/a.css">
<link rel="dns-prefetch" href="https://cdn.example.net">
<meta property="og:image" content="/og.png">
<meta name="twitter:image" content="/tw.png">
<meta http-equiv="refresh" content="0; url=/moved/">
</head><body>
<a href="/x/">x</a><area href="/map/">
<img src="/i.png" alt="" srcset="/i.png 1x, /i2.png 2x">
<picture><source srcset="/s.webp"></picture>
<video src="/v.mp4" poster="/p.jpg"></video>
<iframe src="/frame/"></iframe><script src="/s.js"></script>
<form action="/search/"><button formaction="/other/">Go</button></form>
<blockquote cite="https://www.example.org/q">q</blockquote>
<object data="/o.svg"></object>
</body></html>
"""
    document = extract_html("index.html", page)
    assert _links(document) == [
        ("/a.css", 3, "<link href>"),
        ("/og.png", 5, '<meta property="og:image">'),
        ("/tw.png", 6, '<meta property="twitter:image">'),
        ("/moved/", 7, '<meta http-equiv="refresh">'),
        ("/x/", 9, "<a href>"),
        ("/map/", 9, "<area href>"),
        ("/i.png", 10, "<img src>"),
        ("/i.png", 10, "<img srcset>"),
        ("/i2.png", 10, "<img srcset>"),
        ("/s.webp", 11, "<source srcset>"),
        ("/v.mp4", 12, "<video src>"),
        ("/p.jpg", 12, "<video poster>"),
        ("/frame/", 13, "<iframe src>"),
        ("/s.js", 13, "<script src>"),
        ("/search/", 14, "<form action>"),
        ("/other/", 14, "<button formaction>"),
        ("https://www.example.org/q", 15, "<blockquote cite>"),
        ("/o.svg", 16, "<object data>"),
    ]
    assert [link.navigational for link in document.links][4:6] == [True, True]
    assert document.problems == []


def test_links_in_comments_are_not_links() -> None:
    document = extract_html("index.html", b'<p>hi</p>\n<!-- <a href="/gone/">old</a> -->\n')
    assert document.links == []


def test_ids_anchors_and_duplicates() -> None:
    page = b'<main id="a">\n<a name="legacy"></a>\n<p id="b"></p>\n<p id="a"></p>\n</main>'
    document = extract_html("page.html", page)
    assert document.ids == {"a", "b", "legacy"}
    (problem,) = document.problems
    assert (problem.kind, problem.line, problem.url) == (Kind.DUPLICATE_ID, 4, "#a")
    assert "first used on line 1" in problem.reason


def test_images_without_alt_are_reported_and_empty_alt_is_fine() -> None:
    page = b'<img src="/a.png" alt="">\n<img src="/b.png">\n<img src="/c.png" alt="C">'
    (problem,) = extract_html("page.html", page).problems
    assert (problem.kind, problem.line, problem.url) == (Kind.MISSING_ALT, 2, "/b.png")


def test_json_ld_urls_with_the_line_of_each_value() -> None:
    page = b"""<html><head>
<script type="application/ld+json">
{"@context": "https://schema.org",
 "@type": "Event",
 "@id": "http://127.0.0.1:8000/sessions/a/#event",
 "url": "http://127.0.0.1:8000/sessions/a/",
 "image": ["/img/a.png", "/img/b.png"],
 "name": "Open day: /not a url",
 "location": {"@type": "Place", "url": "https://maps.example.org/place"},
 "description": "/looks/like/a/path"}
</script></head></html>"""
    document = extract_html("sessions/a/index.html", page)
    assert _links(document) == [
        ("http://127.0.0.1:8000/sessions/a/#event", 5, "JSON-LD '@id'"),
        ("http://127.0.0.1:8000/sessions/a/", 6, "JSON-LD 'url'"),
        ("/img/a.png", 7, "JSON-LD 'image'"),
        ("/img/b.png", 7, "JSON-LD 'image'"),
        ("https://maps.example.org/place", 9, "JSON-LD 'url'"),
        ("/looks/like/a/path", 10, "JSON-LD 'description'"),
    ]
    assert document.links[0].check_fragment is False  # an @id names, it need not lead


def test_invalid_json_ld_is_a_problem_at_its_line() -> None:
    page = b'<html><head>\n<script type="application/ld+json">\n{"url": }\n</script></head></html>'
    (problem,) = extract_html("page.html", page).problems
    assert (problem.kind, problem.line) == (Kind.INVALID_FILE, 3)


def test_css_urls_in_style_elements_attributes_and_files(tmp_path: Path) -> None:
    page = b'<style>\n/* url(/commented.png) */\n.a { background: url( "/a.png" ); }\n</style>\n'
    page += b"<div style=\"background: url('/b.png')\"></div>"
    assert _links(extract_html("p.html", page)) == [
        ("/a.png", 3, "<style> url()"),
        ("/b.png", 5, "<div style> url()"),
    ]
    css = tmp_path / "site.css"
    css.write_text(
        '@import "print.css";\n@import url(fonts.css);\n/* a\n comment */\n'
        ".x { mask: url(#clip); background: url(data:image/png;base64,AA) }\n"
        ".y { background: url(img/y.png) }\n",
        "utf-8",
    )
    document = extract_file(tmp_path, "site.css")
    assert document is not None
    assert _links(document) == [
        ("print.css", 1, "CSS url()"),
        ("fonts.css", 2, "CSS url()"),
        ("img/y.png", 6, "CSS url()"),
    ]


def test_sitemap_entries_must_be_absolute_and_internal() -> None:
    sitemap = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <url>
    <loc> http://127.0.0.1:8000/a/ </loc>
    <xhtml:link rel="alternate" hreflang="fr" href="http://127.0.0.1:8000/fr/a/"/>
  </url>
</urlset>"""
    document = extract_xml("sitemap.xml", sitemap)
    assert document.kind == "sitemap"
    assert _links(document) == [
        ("http://127.0.0.1:8000/a/", 5, "sitemap <loc>"),
        ("http://127.0.0.1:8000/fr/a/", 6, "sitemap <xhtml:link href>"),
    ]
    assert document.links[0].absolute_required and document.links[0].internal_required


def test_atom_links_and_links_inside_entry_content() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<link href="http://127.0.0.1:8000/" rel="alternate"/>
<icon>http://127.0.0.1:8000/favicon.svg</icon>
<entry><link href="/news/a/" rel="alternate"/>
<content type="html">&lt;p&gt;one&lt;/p&gt;
&lt;p&gt;&lt;a href="/programs/"&gt;two&lt;/a&gt; &lt;img src="/i.png"&gt;&lt;/p&gt;</content>
<summary type="text">&lt;a href="/not-html/"&gt;</summary>
</entry></feed>"""
    document = extract_xml("feeds/all.atom.xml", feed)
    assert document.kind == "atom"
    assert _links(document) == [
        ("http://127.0.0.1:8000/", 3, "Atom <link>"),
        ("http://127.0.0.1:8000/favicon.svg", 4, "Atom <icon>"),
        ("/news/a/", 5, "Atom <link>"),
        ("/programs/", 7, "Atom <content> <a href>"),
        ("/i.png", 7, "Atom <content> <img src>"),
    ]
    assert document.problems == []  # markup rules apply to pages, not to feed content


def test_rss_links() -> None:
    feed = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><link>http://127.0.0.1:8000/</link>
<item><link>http://127.0.0.1:8000/news/a/</link>
<enclosure url="http://127.0.0.1:8000/a.mp3" type="audio/mpeg" length="1"/>
<description>&lt;a href="/b/"&gt;b&lt;/a&gt;</description></item></channel></rss>"""
    assert _links(extract_xml("feed.rss", feed)) == [
        ("http://127.0.0.1:8000/", 2, "RSS <link>"),
        ("http://127.0.0.1:8000/news/a/", 3, "RSS <link>"),
        ("http://127.0.0.1:8000/a.mp3", 4, "RSS <enclosure url>"),
        ("/b/", 5, "RSS <description> <a href>"),
    ]


def test_malformed_xml_is_a_problem_at_its_line() -> None:
    (problem,) = extract_xml("sitemap.xml", b"<urlset>\n<url>\n</urlset>").problems
    assert (problem.kind, problem.line) == (Kind.INVALID_FILE, 3)


def test_every_event_url_in_a_calendar_with_its_line() -> None:
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "URL:http://127.0.0.1:8000/calendar/all.ics\r\n"
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260102T100000Z\r\n"
        "URL;VALUE=URI:http://127.0.0.1:8000/sessions/\r\n a/\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260103T100000Z\r\n"
        "SUMMARY:no URL\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260104T100000Z\r\n"
        "URL:https://www.example.org/c\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    document = extract_ics("calendar/all.ics", calendar.encode())
    assert _links(document) == [
        ("http://127.0.0.1:8000/calendar/all.ics", 4, "VCALENDAR URL"),
        ("http://127.0.0.1:8000/sessions/a/", 9, "event URL"),
        ("https://www.example.org/c", 22, "event URL"),
    ]


def test_an_unreadable_calendar_is_a_problem() -> None:
    (problem,) = extract_ics("calendar/all.ics", b"this is not iCalendar").problems
    assert problem.kind is Kind.INVALID_FILE


@pytest.mark.parametrize(
    ("text", "line", "why"),
    [
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VCALENDAR\r\n", 4, "END:VEVENT"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n", 4, "missing"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nno colon here\r\nEND:VCALENDAR\r\n", 3, "NAME"),
        ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nURL:https://x.example/\r\n", 3, "after"),
        (b"BEGIN:VCALENDAR\r\nSUMMARY:\xff\r\nEND:VCALENDAR\r\n", None, "utf-8"),
    ],
)
def test_a_broken_calendar_structure_is_a_problem_at_its_line(
    text: str | bytes, line: int | None, why: str
) -> None:
    data = text if isinstance(text, bytes) else text.encode()
    (problem,) = extract_ics("calendar/all.ics", data).problems
    assert (problem.kind, problem.line) == (Kind.INVALID_FILE, line)
    assert why in problem.reason


def test_robots_sitemap_lines() -> None:
    robots = (
        "User-agent: *\nDisallow:\n# Sitemap: http://old/\nsitemap: http://127.0.0.1:8000/s.xml\n"
    )
    document = extract_robots("robots.txt", robots)
    assert _links(document) == [("http://127.0.0.1:8000/s.xml", 4, "robots.txt Sitemap:")]


def test_files_without_links_are_not_parsed(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "notes.txt").write_text("http://example.org/", "utf-8")
    assert extract_file(tmp_path, "logo.png") is None
    assert extract_file(tmp_path, "notes.txt") is None


def test_an_empty_page_is_a_problem() -> None:
    (problem,) = extract_html("empty.html", b"  \n").problems
    assert problem.kind is Kind.INVALID_FILE
