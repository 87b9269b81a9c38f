"""SessionsGenerator: reads the session files, finalizes them into what pages show, writes.

Phases, as in Pelican: ``generate_context`` reads and checks every file (problems are
recorded, not raised, so that every file is checked); ``finalize`` runs once every
generator's context exists (the site's programs are known then), records the problems found
across files, or shares the sessions with the templates; ``generate_output`` raises every
recorded problem at once, or writes the pages and the .ics files.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import ChoiceLoader, FileSystemLoader, Template
from markupsafe import Markup
from pelican.generators import Generator

from . import links
from .cache import build_cache
from .calendar_grid import MonthPage, month_pages, month_span, months_between, this_month
from .display import SeriesView, SessionView, make_view, series_view, summary
from .feeds import (
    Feed,
    Listing,
    ProgramList,
    ProgramSessions,
    every_feed,
    fit_to_size,
    group_by_month,
    instead_of,
    program_lists,
)
from .files import LIST_FORMATS, SessionReader, check_session_bytes
from .history import feed_stamp, last_commit_times
from .ical import CalendarInfo, EventInfo, IcalCache, calendar_bytes
from .model import Series, Session
from .paths import ContentPathError, read_content_bytes, shown_path
from .problems import NOTICE_ATTRIBUTE, ContentError, Problem, by_file, raise_recorded, record
from .programs import Program
from .settings import SessionSettings, save_as
from .validation import Checked, duplicate_uid_problems, horizon_problems, program_problems

logger = logging.getLogger(__name__)

# A feed larger than this fails the build (Google ignores subscriptions over 1 MB).
FEED_SIZE_LIMIT = 900_000
# The default templates, used where the theme has none of its own.
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Writes a page kept from the last build through Pelican's writer: its HTML, as rendered
# then.
KEPT_PAGE = Template("{{ kept_page }}")


@dataclass(frozen=True)
class SessionsContext:
    """What the templates get as ``info_sessions``."""

    upcoming: tuple[SessionView, ...]
    past: tuple[SessionView, ...]
    next: tuple[SessionView, ...]  # the next few that take place, for a home page
    feeds: tuple[Feed, ...]
    feed_all: Feed
    listings: tuple[Listing, ...]  # the index, per-format and per-program lists
    programs: tuple[ProgramSessions, ...]  # per program the site gives, in its order
    by_program: dict[str, ProgramSessions]  # the same, by program slug
    program_lists: tuple[ProgramList, ...]  # their list pages (no sessions: for any page)
    index_url: str
    past_url: str
    calendar_url: str
    subscribe_url: str
    format_urls: dict[str, str]
    google_add_by_url: str
    today: date
    refresh_hours: int
    past_days: int
    future_days: int  # how far ahead the aggregate feeds reach


class SessionsGenerator(Generator):
    """Holds every session of one build; nothing lives outside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Read the plugin's settings (their problems are recorded with the content's)."""
        super().__init__(*args, **kwargs)
        self.env.loader = ChoiceLoader([self.env.loader, FileSystemLoader(str(TEMPLATES))])
        self.cache = build_cache(self)
        self.config: SessionSettings | None = None
        try:
            self.config = SessionSettings.from_settings(self.settings)
        except ContentError as error:  # nothing is read; the build stops before writing
            record(self.context, error.problems)
        self.checked: dict[str, Checked] = {}
        self.name_problems: list[Problem] = []  # file names used twice (in subfolders)
        self.sessions: list[Session] = []
        self.series: list[Series] = []
        self.series_views: list[SeriesView] = []
        self.stamps: dict[str, datetime] = {}
        self.views: list[SessionView] = []
        self.shared: SessionsContext | None = None
        self.months: tuple[MonthPage, ...] = ()
        self.ical = IcalCache(self.cache)
        self.feed_data: dict[str, bytes] = {}  # each feed's .ics, made once for its size
        self.folders_made: set[str] = set()  # folders of the output made by _write_bytes

    # -- reading -----------------------------------------------------------------------
    def generate_context(self) -> None:
        """Read and check every session file; problems are recorded, not raised."""
        if self.config is None:
            return
        reader = SessionReader(self.settings)
        first_of_name: dict[str, str] = {}
        folders: dict[str, str] = {}  # real paths, resolved once in this pass
        relatives = sorted(self.get_files(self.config.path, extensions=("md",)))
        for relative in relatives:
            source = os.path.join(self.path, relative)
            display = shown_path(self.path, source)
            try:
                data = read_content_bytes(
                    self.path, source, max_bytes=self.config.max_file_bytes, folders=folders
                )
            except ContentPathError as error:
                name = os.path.basename(source)
                self.checked[display] = Checked(
                    None, (Problem(display, "(file)", name, str(error)),), "", "", {}
                )
                continue
            result = self.cache.checked(
                source,
                data,
                lambda data=data, relative=relative: check_session_bytes(
                    data, self.path, relative, self.config, reader
                ),
            )
            self.checked[display] = result
            slug = Path(relative).stem
            if slug in first_of_name:
                self.name_problems.append(
                    Problem(
                        display,
                        "(file name)",
                        slug,
                        f"also used by {first_of_name[slug]}; every session file needs its own "
                        "name",
                    )
                )
            elif result.sessions:
                self._add(result, display, first_of_name)
            first_of_name.setdefault(slug, display)
        self.cache.files_in_build({os.path.join(self.path, relative) for relative in relatives})
        self._stamp()
        self.sessions.sort(key=lambda s: (s.start.astimezone(ZoneInfo("UTC")), s.slug))
        logger.debug("info_sessions: read %d session files", len(self.checked))

    def _add(self, result: Checked, display: str, first_of_name: dict[str, str]) -> None:
        """Keep the sessions of a file without problems: its session, or a series' dates
        (whose page names, "<file name>-YYYY-MM-DD", no other file may use)."""
        if result.series is None:
            self.sessions.append(result.session)
            self.add_source_path(result.session)
            return
        for session in result.series.occurrences:
            if session.slug in first_of_name:
                self.name_problems.append(
                    Problem(
                        first_of_name[session.slug],
                        "(file name)",
                        session.slug,
                        f"also the page name of a date of the series {display}; rename "
                        "one of the two files",
                    )
                )
            first_of_name.setdefault(session.slug, display)
        self.sessions.extend(result.series.occurrences)
        self.series.append(result.series)
        self.add_source_path(result.series)

    def _stamp(self) -> None:
        """Each session's DTSTAMP (``history.feed_stamp``): the later of its file's last
        commit and its Modified field, else the start of today."""
        folder = os.path.join(self.path, self.config.path)
        history = last_commit_times(folder) if os.path.isdir(folder) else {}
        fallback = self.config.today_start
        for session in self.sessions:
            name = os.path.relpath(session.source_path, folder).replace(os.sep, "/")
            self.stamps[session.slug] = feed_stamp(session.modified, history.get(name), fallback)

    # -- once every context exists ---------------------------------------------------------
    def problems(self, program_slugs: Sequence[str]) -> list[Problem]:
        """Every problem of every file, programs and UIDs included, grouped by file."""
        problems = [problem for result in self.checked.values() for problem in result.problems]
        problems += self.name_problems
        problems += program_problems(self.checked, program_slugs)
        problems += duplicate_uid_problems(self.checked)
        problems += horizon_problems(self.checked, self.config)
        return by_file(problems)

    def month_problems(self) -> list[Problem]:
        """A problem when the month pages from the first session to the last would pass
        INFO_SESSIONS_MAX_MONTH_PAGES, naming the session farthest from today."""
        today = self.config.today
        first, last = month_span((s.start.date() for s in self.sessions), today)
        count = len(months_between(first, last))
        limit = self.config.max_month_pages
        if count <= limit or not self.sessions:
            return []
        farthest = max(self.sessions, key=lambda s: abs((s.start.date() - today).days))
        display = shown_path(self.path, farthest.source_path)
        return [
            Problem(
                display,
                "Start",
                f"{farthest.start:%Y-%m-%d %H:%M}",
                f"the calendar would have {count} month pages ({first:%B %Y} to {last:%B %Y}); "
                f"at most {limit}: check the year (or raise INFO_SESSIONS_MAX_MONTH_PAGES)",
                self.checked[display].lines.get("Start") if display in self.checked else None,
            )
        ]

    def finalize(self, programs: Sequence[Program]) -> None:
        """Check the sessions against the site's programs and each other; record every
        problem, or make the views, feeds, lists and month pages the templates get."""
        if self.config is None:
            return
        problems = self.problems([program.slug for program in programs])
        problems += self.month_problems()
        if problems:
            record(self.context, problems)
            return
        by_slug = {program.slug: program for program in programs}
        self.views = [
            make_view(s, by_slug.get(s.program_slug), self.config, self.cache.value)
            for s in self.sessions
        ]
        by_uid = {view.session.uid: view for view in self.views}
        self.series_views = [
            series_view(s, by_slug.get(s.occurrences[0].program_slug), by_uid, self.config)
            for s in self.series
        ]
        self.shared = self._shared(programs)
        oversized = self._oversized_program_feeds(self.shared.feeds)
        if oversized:
            record(self.context, oversized)
            return
        for feed in self.shared.feeds:
            if feed.left_out:
                notice = self._left_out_notice(feed)
                # A warning, so that it is shown wherever warnings are; the attached notice
                # tells a build that collects problems that this one does not fail it.
                logger.warning("%s", notice, extra={NOTICE_ATTRIBUTE: notice})
        self.views = [
            view
            if view.status.happening
            else replace(view, instead=instead_of(view, self.shared.upcoming, self.shared.feeds))
            for view in self.views
        ]
        self.months = month_pages(self.views, self.config.today, self.config.month_url)
        self.context["info_sessions"] = self.shared

    # -- feed sizes ------------------------------------------------------------------------
    def _feed_bytes(self, feed: Feed, sessions: Sequence[SessionView]) -> bytes:
        """The .ics of ``feed`` holding ``sessions``."""
        config = self.config
        info = CalendarInfo(
            name=feed.name,
            description=feed.description,
            url=f"{config.site_url}/{feed.list_url}",
            refresh=timedelta(hours=config.refresh_hours),
        )
        events = [self._event(view) for view in sessions]
        return calendar_bytes(events, prodid=config.prodid, info=info, cache=self.ical)

    def _fit(self, feed: Feed) -> Feed:
        """An aggregate feed, its farthest sessions left out when it would pass
        FEED_SIZE_LIMIT."""
        return fit_to_size(feed, lambda held: len(self._feed_bytes(feed, held)), FEED_SIZE_LIMIT)

    def _oversized_program_feeds(self, feeds: Sequence[Feed]) -> list[Problem]:
        """A problem for each feed still over FEED_SIZE_LIMIT once the aggregate feeds have
        left out what they may: a program's feed keeps every session of its program, and an
        aggregate feed every session that names no program (it has no other feed); named
        on the longest session file it holds."""
        problems = []
        for feed in feeds:
            if not feed.sessions:
                continue
            data = self._feed_bytes(feed, feed.sessions)
            self.feed_data[feed.path] = data  # what generate_output writes
            size = len(data)
            if size <= FEED_SIZE_LIMIT:
                continue
            longest = max(feed.sessions, key=lambda v: len(v.session.body_html))
            kept = (
                "a program's feed holds every session of the program"
                if feed.per_program
                else "sessions that name no program are in no other feed, so they are never "
                "left out; give them a Program"
            )
            problems.append(
                Problem(
                    shown_path(self.path, longest.session.source_path),
                    "(feed)",
                    feed.path,
                    f"the feed would be {size:,} bytes with its {len(feed.sessions)} sessions, "
                    f"over the {FEED_SIZE_LIMIT:,} calendar apps accept (Google: 1 MB); {kept}, "
                    "or shorten the descriptions (this file's is the longest) or lower "
                    "INFO_SESSIONS_PAST_DAYS",
                )
            )
        return problems

    def _left_out_notice(self, feed: Feed) -> Problem:
        """The notice that ``feed`` left out its farthest sessions (the build goes on)."""
        kept = feed.sessions[-1].session.start if feed.sessions else None
        reach = f"it reaches to {kept:%Y-%m-%d}" if kept else "it holds none"
        return Problem(
            feed.path,
            "(feed)",
            feed.left_out,
            f"left out the {feed.left_out} farthest session(s) to stay under "
            f"{FEED_SIZE_LIMIT:,} bytes ({reach}); each is still on its page and in its "
            "program's feed. "
            "Nothing to fix; to make the feed reach evenly, lower INFO_SESSIONS_FUTURE_DAYS "
            f"(now {self.config.future_days})",
        )

    def _shared(self, programs: Sequence[Program]) -> SessionsContext:
        config = self.config
        today_start = config.today_start
        upcoming = [v for v in self.views if v.session.end > today_start]
        past = [v for v in reversed(self.views) if v.session.end <= today_start]
        feeds, listings = every_feed(config, programs, self.views, upcoming, self._fit)
        per_program = [
            ProgramSessions(
                program=listing.program,
                upcoming=tuple(v for group in listing.groups for v in group.sessions),
                feed=listing.feed,
                listing=listing,
            )
            for listing in listings
            if listing.program is not None
        ]
        happening = [v for v in upcoming if v.session.status.happening]
        return SessionsContext(
            upcoming=tuple(upcoming),
            past=tuple(past),
            next=tuple(happening[: config.home_count]),
            feeds=feeds,
            feed_all=feeds[0],
            listings=listings,
            programs=tuple(per_program),
            by_program={entry.program.slug: entry for entry in per_program},
            program_lists=program_lists(config, programs),
            index_url=config.index_url,
            past_url=config.past_url,
            calendar_url=config.calendar_url,
            subscribe_url=config.subscribe_url,
            format_urls={f: config.format_url.format(format=f) for f in LIST_FORMATS},
            google_add_by_url=links.GOOGLE_ADD_BY_URL,
            today=config.today,
            refresh_hours=config.refresh_hours,
            past_days=config.past_days,
            future_days=config.future_days,
        )

    # -- writing -----------------------------------------------------------------------
    def _event(self, view: SessionView) -> EventInfo:
        session = view.session
        program = (view.program.name,) if view.program is not None else ()
        return EventInfo(
            session=session,
            summary=summary(session),
            description=view.description,
            page_url=view.page_url,
            categories=("Info session", *program, session.format.label),
            stamp=self.stamps[session.slug],
        )

    def _write_bytes(self, path: str, data: bytes) -> None:
        if len(data) > FEED_SIZE_LIMIT:  # one session's own file: its description alone
            logger.warning(
                "info_sessions: %s is %d bytes; calendar apps (Google: 1 MB) may refuse it; "
                "shorten the session's description",
                path,
                len(data),
            )
        target = os.path.join(self.output_path, path)
        folder = os.path.dirname(target)
        if folder not in self.folders_made:  # most .ics files share one folder
            os.makedirs(folder, exist_ok=True)
            self.folders_made.add(folder)
        with open(target, "wb") as handle:
            handle.write(data)

    def generate_output(self, writer: Any) -> None:
        """Stop the build with every problem any generator recorded; or write the list
        pages, month pages, session pages, subscribe page and feeds."""
        raise_recorded(self.context)
        if self.shared is None:  # no sessions finalized (the plugin's hook did not run)
            return
        config = self.config
        for listing in self.shared.listings:
            self._write_page(writer, "sessions/list", save_as(listing.url), listing=listing)
        self._write_page(
            writer,
            "sessions/past",
            save_as(config.past_url),
            groups=group_by_month(self.shared.past),
        )
        for page in self.months:
            self._write_page(
                writer, "sessions/month", save_as(page.url), month=page, page_url=page.url
            )
        # The calendar's front page shows this month again, under its own title.
        self._write_page(
            writer,
            "sessions/month",
            save_as(config.calendar_url),
            month=this_month(self.months, config.today),
            page_url=config.calendar_url,
            calendar_front=True,
        )
        ical = self.ical
        self._write_session_pages(writer, ical)
        self._write_series_pages(writer, ical)
        self._write_page(writer, "sessions/subscribe", save_as(config.subscribe_url))
        for feed in self.shared.feeds:
            data = self.feed_data.get(feed.path)
            self._write_bytes(feed.path, data or self._feed_bytes(feed, feed.sessions))

    def _write_page(
        self, writer: Any, name: str, page: str, group: str = "calendar pages", **values: Any
    ) -> None:
        """Write ``page`` with template ``name`` given ``values``. A page `make serve` kept
        from the last build, given the same values and made from the same inputs
        (``cache.page_inputs``), is written as it was rendered then."""
        template = self.get_template(name)
        pages = self.cache.pages(
            self.env, template.name, self.path, os.path.join(self.path, self.config.path), group
        )
        key: tuple[tuple[str, Any], ...] | None = tuple(sorted(values.items()))
        try:
            kept = pages.get(key)
        except TypeError:  # a value that cannot be a key (unhashable): always rendered
            key, kept = None, None
        if kept is None:
            writer.write_file(page, template, self.context, **values)
            pages.count.rendered += 1
            if pages.reusing and key is not None:
                with open(os.path.join(self.output_path, page), encoding="utf-8") as html:
                    pages.keep(key, html.read())
        else:  # its template reads only the page itself, not the site's context
            writer.write_file(page, KEPT_PAGE, {}, kept_page=Markup(kept))
        pages.count.written += 1

    def _write_series_pages(self, writer: Any, ical: IcalCache) -> None:
        """Each series' page, listing its dates, and its .ics holding every one of them."""
        for view in self.series_views:
            self._write_page(writer, "sessions/series", view.series.save_as, series=view)
            events = [self._event(item) for item in view.every]
            data = calendar_bytes(events, prodid=self.config.prodid, info=None, cache=ical)
            self._write_bytes(view.series.feed_path, data)

    def _write_session_pages(self, writer: Any, ical: IcalCache) -> None:
        """Each session's page and its own .ics."""
        for view in self.views:
            self._write_page(
                writer, "sessions/session", view.session.save_as, "session pages", item=view
            )
            event = calendar_bytes(
                [self._event(view)], prodid=self.config.prodid, info=None, cache=ical
            )
            self._write_bytes(view.session.feed_path, event)
