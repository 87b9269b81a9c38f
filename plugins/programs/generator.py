"""ProgramsGenerator: reads programs, quotes and home-page figures; writes their pages."""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator
from pelican.plugins.info_sessions.headers import Header, HeaderReader, decode, shown_path
from pelican.plugins.info_sessions.jsonld import jsonld_script_text
from pelican.plugins.info_sessions.problems import ContentError, Problem, raise_recorded, record
from pelican.plugins.info_sessions.programs import provide

from programs.curriculum import load_curriculum
from programs.model import (
    PROGRAM_FIELDS,
    QUOTE_FIELDS,
    Program,
    ProgramReader,
    Quote,
    QuoteReader,
    required_problems,
)
from programs.tomlfile import toml_problem

logger = logging.getLogger(__name__)

# The formats under which our readers join Pelican's (Readers.read_file picks by format).
PROGRAM_FORMAT = "programs-program"
QUOTE_FORMAT = "programs-quote"


def _plain(html: str) -> str:
    """Text of a small HTML fragment (summaries), for meta descriptions and JSON-LD."""
    return Markup(html).striptags()


def _order(header: Header, problems: list[Problem]) -> int:
    raw = header.values.get("Order", "0")
    try:
        return int(raw)
    except ValueError:
        problems.append(
            Problem(
                header.path,
                "Order",
                raw,
                "must be a whole number, e.g. 'Order: 2'",
                header.lines.get("Order"),
            )
        )
        return 0


def quote_paragraphs(body: str) -> list[str]:
    """The quote's text as written: paragraphs of the body, never interpreted as Markdown."""
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def _split_slugs(value: str) -> list[str]:
    return [slug.strip() for slug in value.split(",") if slug.strip()]


def program_jsonld(program: Program, site_url: str) -> Markup:
    """schema.org EducationalOccupationalProgram for a program page, safe inside <script>."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": program.title,
        "description": _plain(program.summary),
        "url": f"{site_url}/{program.url}",
        "provider": {
            "@type": "CollegeOrUniversity",
            "name": program.metadata["institution"],
        },
        "educationalCredentialAwarded": program.metadata["degree"],
    }
    if program.metadata.get("requirements"):
        data["programPrerequisites"] = program.metadata["requirements"]
    if program.curriculum is not None:
        data["numberOfCredits"] = program.curriculum.credits
    return jsonld_script_text(data)


class ProgramsGenerator(Generator):
    """Holds every program and quote of one build; nothing lives outside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Our strict readers join this generator's own Readers: Pelican's read_file makes the
        # content objects (metadata processing, formatted fields, links) with them.
        self.readers.readers[PROGRAM_FORMAT] = ProgramReader(self.settings)
        self.readers.readers[QUOTE_FORMAT] = QuoteReader(self.settings)
        self.headers: dict[str, Header] = {}  # source path -> the file's header
        self.programs: list[Program] = []
        self.quotes: list[Quote] = []
        self.figures: dict[str, Any] = {}

    # -- reading -----------------------------------------------------------------------
    def _read(
        self, folder: str, fmt: str, content_class: type, problems: list[Problem]
    ) -> list[Any]:
        """Every file of ``folder`` as a content object; their header problems collected."""
        reader: HeaderReader = self.readers.readers[fmt]
        items = []
        for relative in sorted(self.get_files(folder, extensions=("md",))):
            item = self.readers.read_file(
                base_path=self.path,
                path=relative,
                content_class=content_class,
                fmt=fmt,
                context=self.context,
            )
            header = reader.headers.pop(item.source_path)
            problems.extend(header.problems)
            if not header.decoded:  # not UTF-8 text: nothing else to check
                continue
            self.headers[item.source_path] = header
            items.append(item)
        return items

    def _header(self, content: Any) -> Header:
        return self.headers[content.source_path]

    def _load_programs(self, problems: list[Problem]) -> None:
        for program in self._read(
            self.settings["PROGRAMS_PATH"], PROGRAM_FORMAT, Program, problems
        ):
            header = self._header(program)
            problems.extend(required_problems(header, PROGRAM_FIELDS))
            program.order = _order(header, problems)
            program.short_name = program.metadata.get("short-name", "")
            program.description = _plain(getattr(program, "summary", ""))
            program.facts = [
                (field.label, program.metadata[field.key])
                for field in PROGRAM_FIELDS
                if field.label and program.metadata.get(field.key)
            ]
            program.curriculum = None
            if program.metadata.get("curriculum"):
                file = Path(program.source_path).parent / program.metadata["curriculum"]
                try:
                    program.curriculum = load_curriculum(
                        file,
                        os.path.join(os.path.dirname(header.path), program.metadata["curriculum"]),
                    )
                except ContentError as error:
                    problems.extend(error.problems)
            program.quotes = []
            self.add_source_path(program)
            self.programs.append(program)
        # A file without Title or Slug has no slug; its problems are reported already.
        self.programs.sort(key=lambda p: (p.order, getattr(p, "slug", "")))
        seen: dict[str, str] = {}
        for program in self.programs:
            if not getattr(program, "slug", ""):
                continue
            header = self._header(program)
            if program.slug in seen:
                problems.append(
                    Problem(
                        header.path,
                        "Slug",
                        program.slug,
                        f"also used by {seen[program.slug]}; every program needs its own slug",
                        header.lines.get("Slug"),
                    )
                )
            seen[program.slug] = header.path

    def _load_quotes(self, problems: list[Problem]) -> None:
        by_slug = {p.slug: p for p in self.programs if getattr(p, "slug", "")}
        news = {a.slug: a for a in self.context.get("articles", [])}
        for quote in self._read(
            self.settings["PROGRAMS_QUOTES_PATH"], QUOTE_FORMAT, Quote, problems
        ):
            header = self._header(quote)
            problems.extend(required_problems(header, QUOTE_FIELDS))
            quote.order = _order(header, problems)
            quote.paragraphs = quote_paragraphs(header.body)
            role, organisation = (
                quote.metadata.get("role", ""),
                quote.metadata.get("organisation", ""),
            )
            # The role as the source gives it often names the organisation already.
            quote.shown_organisation = "" if organisation.lower() in role.lower() else organisation
            if not quote.paragraphs:
                problems.append(
                    Problem(header.path, "(body)", None, "add the quote's text after the header")
                )
            quote.programs = self._quote_programs(header, by_slug, problems)
            news_slug = quote.metadata.get("news", "")
            quote.news = news.get(news_slug) if news_slug else None
            if news_slug and quote.news is None:
                problems.append(
                    Problem(
                        header.path,
                        "News",
                        news_slug,
                        "no such news item; use one of: " + ", ".join(sorted(news)),
                        header.lines.get("News"),
                    )
                )
            if not quote.metadata.get("programs") and not news_slug:
                problems.append(
                    Problem(
                        header.path,
                        "Programs",
                        None,
                        "a quote needs 'Programs:' or 'News:' so it appears somewhere",
                    )
                )
            self.quotes.append(quote)
        self.quotes.sort(key=lambda q: (q.order, q.metadata.get("person", "")))
        for quote in self.quotes:
            for program in quote.programs:
                program.quotes.append(quote)

    @staticmethod
    def _quote_programs(
        header: Header, by_slug: dict[str, Program], problems: list[Problem]
    ) -> list[Program]:
        """The programs a quote names; a problem for each slug that is no program's."""
        programs = []
        for slug in _split_slugs(header.values.get("Programs", "")):
            if slug in by_slug:
                programs.append(by_slug[slug])
            else:
                problems.append(
                    Problem(
                        header.path,
                        "Programs",
                        slug,
                        "no such program; use one of: "
                        + (", ".join(sorted(by_slug)) or "(no programs are defined)"),
                        header.lines.get("Programs"),
                    )
                )
        return programs

    def _load_figures(self, problems: list[Problem]) -> None:
        file = Path(self.path) / self.settings["PROGRAMS_FIGURES_FILE"]
        if not file.exists():
            return
        display = shown_path(self.path, str(file))
        text, problem = decode(file.read_bytes(), display)
        if problem is not None:
            problems.append(problem)
            return
        try:
            self.figures = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            problems.append(toml_problem(text, display, error))

    def generate_context(self) -> None:
        """Read everything, record every problem (raised with every other generator's
        before anything is written), and share the results."""
        problems: list[Problem] = []
        self._load_programs(problems)
        self._load_quotes(problems)
        self._load_figures(problems)
        if problems:
            # The build stops before writing; sessions are still checked against the
            # programs that could be read.
            record(self.context, problems)
            self.programs = [p for p in self.programs if getattr(p, "slug", "")]
        else:
            site_url = self.settings["SITE_ABSOLUTE_URL"]
            for program in self.programs:
                program.jsonld = program_jsonld(program, site_url)
        quotes_by_news: dict[str, list[Quote]] = {}
        for quote in self.quotes:
            if quote.news is not None:
                quotes_by_news.setdefault(quote.news.slug, []).append(quote)
        self.context["programs"] = self.programs
        self.context["programs_by_slug"] = {p.slug: p for p in self.programs}
        # The info-sessions plugin links sessions to these and checks them against them.
        provide(self.context, [p for p in self.programs if getattr(p, "title", "")])
        self.context["quotes"] = self.quotes
        self.context["quotes_by_news"] = quotes_by_news
        self.context["figures"] = self.figures
        self.context["PROGRAMS_INDEX_URL"] = self.settings["PROGRAMS_INDEX_URL"]
        self.context["PROGRAMS_PEOPLE_URL"] = self.settings["PROGRAMS_PEOPLE_URL"]
        logger.debug("programs: %d programs, %d quotes", len(self.programs), len(self.quotes))

    # -- writing -----------------------------------------------------------------------
    def generate_output(self, writer: Any) -> None:
        """Write each program page, the programs index and the people page; first, stop the
        build with every problem any generator recorded."""
        raise_recorded(self.context)
        for program in self.programs:
            writer.write_file(
                program.save_as,
                self.get_template(program.template),
                self.context,
                program=program,
                url=program.url,
            )
        writer.write_file(
            self.settings["PROGRAMS_INDEX_SAVE_AS"],
            self.get_template("programs"),
            self.context,
        )
        writer.write_file(
            self.settings["PROGRAMS_PEOPLE_SAVE_AS"],
            self.get_template("people"),
            self.context,
        )
