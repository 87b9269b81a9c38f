"""SessionsGenerator: reads session files, checks them, writes session pages and feeds.

Phases, as in Pelican: ``generate_context`` reads and checks every file (problems are kept,
not raised, so that every file is checked); ``finalize`` runs once every generator's context
exists (programs are known then), raises one error listing every problem, and shares the
sessions with the templates; ``generate_output`` writes pages and .ics files.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from content_guard.paths import ContentPathError, read_content_bytes
from info_sessions import links
from info_sessions.calendar_grid import Month, month_grid, months_between
from info_sessions.display import (
    SessionView,
    calendar_links,
    description_head,
    long_date,
    site_time_text,
    summary,
    time_range,
    where_text,
)
from info_sessions.errors import SessionContentError
from info_sessions.files import LIST_FORMATS, check_session_bytes, markdown_renderer
from info_sessions.history import feed_stamp, last_commit_times
from info_sessions.ical import CalendarInfo, EventInfo, IcalCache, calendar_bytes
from info_sessions.jsonld import event_jsonld, jsonld_script_text
from info_sessions.listing import Feed, Listing, filter_views, group_by_month
from info_sessions.memo import SessionMemo, settings_fingerprint
from info_sessions.model import Session
from info_sessions.pagecache import ReusedPage, page_inputs, view_key
from info_sessions.plaintext import html_to_text
from info_sessions.settings import SessionSettings, save_as
from info_sessions.validation import Checked, duplicate_uid_problems, program_problems

logger = logging.getLogger(__name__)

# A feed larger than this fails the build (Google ignores subscriptions over 1 MB).
FEED_SIZE_LIMIT = 900_000


@dataclass(frozen=True)
class MonthPage:
    """One page of the month-grid view, with its neighbours."""

    url: str
    grid: Month
    previous: MonthPage | None = None
    next: MonthPage | None = None


@dataclass(frozen=True)
class SessionsContext:
    """What the templates get as ``info_sessions``."""

    upcoming: tuple[SessionView, ...]
    past: tuple[SessionView, ...]
    next: tuple[SessionView, ...]
    by_program: dict[str, tuple[SessionView, ...]]
    feeds: tuple[Feed, ...]
    feed_all: Feed
    feeds_by_key: dict[str, Feed]
    listings: tuple[Listing, ...]  # the index, per-format and per-program lists
    index_url: str
    past_url: str
    calendar_url: str
    subscribe_url: str
    format_urls: dict[str, str]
    program_urls: dict[str, str]
    google_add_by_url: str
    today: date
    refresh_hours: int


class SessionsGenerator(Generator):
    """Holds every session of one build; nothing lives outside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = SessionSettings.from_settings(self.settings)
        # Kept between the builds of `make serve`; a plain build starts with an empty one.
        self.memo: SessionMemo = self.settings.get("INFO_SESSIONS_MEMO") or SessionMemo()
        self.checked: dict[str, Checked] = {}
        self.sessions: list[Session] = []
        self.stamps: dict[str, datetime] = {}
        self.views: list[SessionView] = []
        self.shared: SessionsContext | None = None
        self.month_pages: list[MonthPage] = []

    # -- reading -----------------------------------------------------------------------
    def generate_context(self) -> None:
        """Read and check every session file; problems are raised later, all together."""
        folder = os.path.join(self.path, self.config.path)
        # Made on first use: on a rebuild of `make serve` most files come from the memo.
        renderer = functools.cache(lambda: markdown_renderer(self.config.markdown))

        def render(body: str) -> str:
            return renderer()(body)

        self.memo.next_build()
        fingerprint = settings_fingerprint(self.config)
        slugs: dict[str, str] = {}
        relatives = sorted(self.get_files(self.config.path, extensions=("md",)))
        for relative in relatives:
            display = os.path.join(os.path.basename(os.path.normpath(self.path)), relative)
            try:
                data = read_content_bytes(self.path, os.path.join(self.path, relative))
            except ContentPathError as error:
                problem = f"{display}: (file): {relative!r}: {error}"
                self.checked[display] = Checked(None, [problem], "", "")
                continue
            result = self.memo.checked(
                os.path.join(self.path, relative),
                data,
                fingerprint,
                lambda data=data, relative=relative: check_session_bytes(
                    data, self.path, relative, self.config, render
                ),
            )
            slug = Path(relative).stem
            if slug in slugs:
                result.problems.append(
                    f"{display}: (file name): {slug!r}: also used by {slugs[slug]}; every "
                    "session file needs its own name"
                )
            slugs.setdefault(slug, display)
            self.checked[display] = result
            if result.session is not None and not result.problems:
                self.sessions.append(result.session)
                self.add_source_path(result.session)
        self.memo.keep_only({os.path.join(self.path, relative) for relative in relatives})
        history = last_commit_times(folder) if os.path.isdir(folder) else {}
        fallback = self.config.today_start
        for session in self.sessions:
            name = os.path.relpath(session.source_path, folder).replace(os.sep, "/")
            self.stamps[session.slug] = feed_stamp(session.modified, history.get(name), fallback)
        self.sessions.sort(key=lambda s: (s.start.astimezone(ZoneInfo("UTC")), s.slug))
        logger.debug("info_sessions: read %d session files", len(self.checked))

    # -- after every context exists ------------------------------------------------------
    def problems(self, program_slugs: Iterable[str]) -> list[str]:
        """Every problem of every file, programs and UIDs included, grouped by file."""
        problems = [problem for result in self.checked.values() for problem in result.problems]
        problems += program_problems(self.checked, program_slugs)
        problems += duplicate_uid_problems(self.checked)
        # A stable sort keeps each file's problems in field order.
        return sorted(problems, key=lambda p: p.split(": ", 1)[0])

    def finalize(self, programs_by_slug: dict[str, Any]) -> None:
        """Check programs and UIDs, raise every problem at once, then share the sessions."""
        problems = self.problems(programs_by_slug)
        if problems:
            raise SessionContentError(problems)
        self.views = [self._view(s, programs_by_slug[s.program_slug]) for s in self.sessions]
        self.shared = self._shared(programs_by_slug)
        self.month_pages = self._month_pages()
        self.context["info_sessions"] = self.shared

    def _absolute(self, url: str) -> str:
        return f"{self.config.site_url}/{url}"

    def _view(self, session: Session, program: Any) -> SessionView:
        config = self.config
        program_name = getattr(program, "title", session.program_slug)
        page_url = self._absolute(session.url)
        head_text = "\n".join(description_head(session, program_name, page_url))
        # Pure functions of their keys, reused between the rebuilds of `make serve`.
        derived = self.memo.derived
        body = derived.get(("text", session.body_html), lambda: html_to_text(session.body_html))
        description = head_text + (f"\n\n{body}" if body else "")
        jsonld = derived.get(
            ("jsonld", session, description, config.site_url, config.organizer, program_name),
            lambda: jsonld_script_text(
                event_jsonld(
                    session,
                    description=description,
                    page_url=page_url,
                    organizer=config.organizer,
                    organizer_url=f"{config.site_url}/",
                    program_name=program_name,
                )
            ),
        )
        return SessionView(
            session=session,
            program=program,
            program_name=program_name,
            url=session.url,
            page_url=page_url,
            date_text=long_date(session.start),
            time_text=time_range(session.start, session.end),
            site_time_text=site_time_text(session, config.site_timezone),
            where_text=where_text(session),
            description=description,
            calendar_links=derived.get(
                ("links", session, head_text),
                lambda: calendar_links(session, session.feed_path, head_text),
            ),
            jsonld=jsonld,
        )

    def _feed(
        self,
        key: str,
        title: str,
        name: str,
        text: str,
        path: str,
        list_url: str,
        window: list[SessionView],
    ) -> Feed:
        url = self._absolute(path)
        full_name = f"{name} ({self.config.site_name})"
        return Feed(
            key=key,
            title=title,
            name=full_name,
            description=text,
            path=path,
            url=url,
            webcal=links.webcal_url(url),
            outlook=links.outlook_subscribe_link(links.OUTLOOK_COM, url, full_name),
            office365=links.outlook_subscribe_link(links.OFFICE_365, url, full_name),
            list_url=list_url,
            sessions=filter_views(window, key),
        )

    def _shared(self, programs_by_slug: dict[str, Any]) -> SessionsContext:
        config = self.config
        today_start = config.today_start
        upcoming = [v for v in self.views if v.session.end > today_start]
        past = [v for v in reversed(self.views) if v.session.end <= today_start]
        cutoff = today_start - timedelta(days=config.past_days)
        window = [v for v in self.views if v.session.end > cutoff]
        format_urls = {f: config.format_url.format(format=f) for f in LIST_FORMATS}
        program_urls = {
            slug: config.program_url.format(slug=slug) for slug in sorted(programs_by_slug)
        }
        feeds = [
            self._feed(
                "all",
                "All info sessions",
                "Info sessions",
                "Every information session of every program.",
                config.feed_all,
                config.index_url,
                window,
            ),
            self._feed(
                "in-person",
                "In-person sessions",
                "In-person info sessions",
                "Information sessions you can attend in person (in-person and hybrid).",
                config.feed_format.format(format="in-person"),
                format_urls["in-person"],
                window,
            ),
            self._feed(
                "online",
                "Online sessions",
                "Online info sessions",
                "Information sessions you can join online (online and hybrid).",
                config.feed_format.format(format="online"),
                format_urls["online"],
                window,
            ),
        ]
        programs = list(self.context.get("programs") or programs_by_slug.values())
        for program in programs:
            short = getattr(program, "short_name", "") or program.title
            feeds.append(
                self._feed(
                    f"program-{program.slug}",
                    program.title,
                    f"{short} info sessions",
                    f"Information sessions of the {program.title}.",
                    config.feed_program.format(slug=program.slug),
                    program_urls[program.slug],
                    window,
                )
            )
        by_key = {feed.key: feed for feed in feeds}
        listings = [
            Listing(
                "all",
                "Info sessions",
                "Upcoming information sessions of every program, in person and online.",
                config.index_url,
                group_by_month(upcoming),
                by_key["all"],
                "No sessions are scheduled at the moment.",
            ),
        ]
        for key, title, text in (
            ("in-person", "In-person info sessions", "attend in person (in-person and hybrid)"),
            ("online", "Online info sessions", "join online (online and hybrid)"),
        ):
            listings.append(
                Listing(
                    key,
                    title,
                    f"Upcoming information sessions you can {text}.",
                    format_urls[key],
                    group_by_month(filter_views(upcoming, key)),
                    by_key[key],
                    f"No {key} sessions are scheduled at the moment.",
                )
            )
        by_program = {}
        for program in programs:
            key = f"program-{program.slug}"
            by_program[program.slug] = filter_views(upcoming, key)
            listings.append(
                Listing(
                    key,
                    f"Info sessions: {program.title}",
                    f"Upcoming information sessions of the {program.title}.",
                    program_urls[program.slug],
                    group_by_month(by_program[program.slug]),
                    by_key[key],
                    "No sessions of this program are scheduled at the moment.",
                )
            )
        happening = [v for v in upcoming if v.session.status.happening]
        return SessionsContext(
            upcoming=tuple(upcoming),
            past=tuple(past),
            next=tuple(happening[: config.home_count]),
            by_program=by_program,
            feeds=tuple(feeds),
            feed_all=by_key["all"],
            feeds_by_key=by_key,
            listings=tuple(listings),
            index_url=config.index_url,
            past_url=config.past_url,
            calendar_url=config.calendar_url,
            subscribe_url=config.subscribe_url,
            format_urls=format_urls,
            program_urls=program_urls,
            google_add_by_url=links.GOOGLE_ADD_BY_URL,
            today=config.today,
            refresh_hours=config.refresh_hours,
        )

    def _month_pages(self) -> list[MonthPage]:
        """One grid per month from the first session (or this month) to the last."""
        config = self.config
        dates = [v.session.start.date() for v in self.views] + [config.today]
        by_date: dict[date, list[SessionView]] = {}
        for view in self.views:
            by_date.setdefault(view.session.start.date(), []).append(view)
        pages = [
            MonthPage(
                url=config.month_url.format(year=year, month=month),
                grid=month_grid(year, month, by_date, config.today),
            )
            for year, month in months_between(min(dates), max(dates))
        ]
        linked = []
        for index, page in enumerate(pages):
            linked.append(
                MonthPage(
                    url=page.url,
                    grid=page.grid,
                    previous=pages[index - 1] if index else None,
                    next=pages[index + 1] if index + 1 < len(pages) else None,
                )
            )
        return linked

    # -- writing -----------------------------------------------------------------------
    def _event(self, view: SessionView) -> EventInfo:
        session = view.session
        short = getattr(view.program, "short_name", "") or view.program_name
        return EventInfo(
            session=session,
            summary=summary(session),
            description=view.description,
            page_url=view.page_url,
            categories=("Info session", short, session.format.label),
            stamp=self.stamps[session.slug],
        )

    def _write_bytes(self, path: str, data: bytes) -> None:
        if len(data) > FEED_SIZE_LIMIT:
            logger.warning(
                "info_sessions: %s is %d bytes; calendar apps (Google: 1 MB) may refuse it; "
                "lower INFO_SESSIONS_PAST_DAYS or shorten descriptions",
                path,
                len(data),
            )
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _rendered(self) -> None:
        self.memo.pages_rendered += 1

    def _session_page_inputs(self, template: str) -> str | None:
        """What session pages are made from besides their sessions, when the memo is kept
        between builds (`make serve`) and the pages may be reused; else None."""
        inputs = None
        if self.settings.get("INFO_SESSIONS_MEMO") is not None:  # else nothing is kept
            inputs = page_inputs(
                self.env,
                template,
                self.settings,
                self.path,
                os.path.join(self.path, self.config.path),
                self.memo.derived,
            )
        self.memo.pages_written = len(self.views)
        # Reused pages count as they render (_rendered); otherwise every page renders.
        self.memo.pages_rendered = len(self.views) if inputs is None else 0
        return inputs

    def generate_output(self, writer: Any) -> None:
        """Write the list pages, month grids, session pages, subscribe page and feeds."""
        shared = self.shared
        if shared is None:  # finalize did not run: no sessions plugin context
            return
        config = self.config
        list_template = self.get_template("sessions/list")
        for listing in shared.listings:
            writer.write_file(save_as(listing.url), list_template, self.context, listing=listing)
        writer.write_file(
            save_as(config.past_url),
            self.get_template("sessions/past"),
            self.context,
            groups=group_by_month(shared.past),
        )
        month_template = self.get_template("sessions/month")
        this_month = (config.today.year, config.today.month)
        current = next(
            (p for p in self.month_pages if (p.grid.year, p.grid.month) == this_month),
            self.month_pages[0],
        )
        for page in self.month_pages:
            writer.write_file(
                save_as(page.url), month_template, self.context, month=page, page_url=page.url
            )
        # The calendar's front page shows this month again, under its own title.
        writer.write_file(
            save_as(config.calendar_url),
            month_template,
            self.context,
            month=current,
            page_url=config.calendar_url,
            calendar_front=True,
        )
        session_template = self.get_template("sessions/session")
        reuse_pages = self._session_page_inputs(session_template.name)
        ical_cache = IcalCache(self.memo.derived, self.memo.zones)
        for view in self.views:
            page: Any = session_template
            if reuse_pages is not None:
                page = ReusedPage(
                    session_template, (reuse_pages, view_key(view)), self.memo.pages, self._rendered
                )
            writer.write_file(view.session.save_as, page, self.context, item=view)
            self._write_bytes(
                view.session.feed_path,
                calendar_bytes(
                    [self._event(view)], prodid=config.prodid, info=None, cache=ical_cache
                ),
            )
        writer.write_file(
            save_as(config.subscribe_url), self.get_template("sessions/subscribe"), self.context
        )
        refresh = timedelta(hours=config.refresh_hours)
        for feed in shared.feeds:
            info = CalendarInfo(
                name=feed.name,
                description=feed.description,
                url=self._absolute(feed.list_url),
                refresh=refresh,
            )
            events = [self._event(view) for view in feed.sessions]
            data = calendar_bytes(events, prodid=config.prodid, info=info, cache=ical_cache)
            self._write_bytes(feed.path, data)
