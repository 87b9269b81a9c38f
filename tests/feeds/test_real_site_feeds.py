"""The real site's sessions as subscribers get them: read by ``ical`` and calcurse, and no
join link of a cancelled or postponed session in any built file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import CONTENT
from tests.feeds.lifecycle import expected_session
from tests.feeds.readers import calcurse_events, ical_events, on_clock
from tests.series.expected import session_files
from tests.sessions.helpers import unfold

# Every session, a series' dates each as a file of its own (tests/series/expected.py).
SESSIONS = session_files(CONTENT / "sessions")


def built_texts(output: Path) -> dict[str, str]:
    """Every text file of the build, .ics files unfolded (a fold cannot split a URL there)."""
    texts = {}
    for file in output.rglob("*"):
        if file.suffix == ".ics":
            texts[str(file.relative_to(output))] = "\n".join(unfold(file.read_bytes()))
        elif file.suffix in (".html", ".xml", ".json", ".txt"):
            texts[str(file.relative_to(output))] = file.read_text("utf-8")
    return texts


def test_no_withdrawn_join_link_is_in_any_built_file(built_site: Path) -> None:
    sessions = [expected_session(path) for path in SESSIONS]
    withdrawn = [s for s in sessions if s.join_url and not s.happening]
    assert {s.status for s in withdrawn} == {"cancelled", "postponed"}  # the sample has both
    texts = built_texts(built_site)
    for session in sessions:
        if not session.join_url:
            continue
        forms = (session.join_url, quote(session.join_url, safe=""))
        found = sorted(name for name, text in texts.items() if any(f in text for f in forms))
        own = {f"calendar/sessions/{session.slug}.ics", f"sessions/{session.slug}/index.html"}
        shared = any(s.happening and s.join_url == session.join_url for s in sessions)
        if session.happening:
            assert f"calendar/sessions/{session.slug}.ics" in found, session.slug
        elif shared:  # a date of a series whose other dates take place: its own files
            assert own.isdisjoint(found), f"{session.slug} ({session.status}): in {found}"
        else:
            assert found == [], f"{session.slug} ({session.status}): join link in {found}"


@pytest.mark.parametrize("viewer", ["UTC", "America/Los_Angeles", "Asia/Kolkata"])
def test_every_feed_reads_the_same_in_ical_and_calcurse(built_site: Path, viewer: str) -> None:
    """Each real feed: ``ical`` and calcurse (TZ set to the viewer's zone) give every
    session at the instants its file gives with zoneinfo."""
    by_uid = {s.uid: s for s in (expected_session(path) for path in SESSIONS)}
    feeds = sorted((built_site / "calendar").glob("*.ics"))
    assert len(feeds) >= 4
    for feed in feeds:
        read = ical_events(feed.read_bytes())
        assert read, feed.name
        for uid, event in read.items():
            assert (event.start, event.end) == (by_uid[uid].start, by_uid[uid].end), uid
        shown = {(a.local_start, a.local_end) for a in calcurse_events(feed, viewer)}
        assert shown == {
            (on_clock(by_uid[uid].start, viewer), on_clock(by_uid[uid].end, viewer)) for uid in read
        }, feed.name
