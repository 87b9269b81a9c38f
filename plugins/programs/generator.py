"""ProgramsGenerator: reads programs, quotes and home-page figures; writes their pages."""

from __future__ import annotations

import difflib
import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator
from pelican.plugins.info_sessions import bounded
from pelican.plugins.info_sessions.headers import Header, HeaderReader, decode
from pelican.plugins.info_sessions.jsonld import jsonld_script_text
from pelican.plugins.info_sessions.paths import ContentPathError, read_content_bytes, shown_path
from pelican.plugins.info_sessions.problems import ContentError, Problem, raise_recorded, record
from pelican.plugins.info_sessions.programs import provide
from pelican.plugins.info_sessions.settings import max_file_bytes
from pelican.plugins.info_sessions.validation import SHOWN_DIGITS

from programs.compare import comparison
from programs.contacts import read_contacts
from programs.curriculum import load_curriculum
from programs.facts import Place, card_facts, facts_for, program_facts
from programs.labels import program_label
from programs.model import (
    PROGRAM_FIELDS,
    QUOTE_FIELDS,
    PeopleGroup,
    Program,
    ProgramReader,
    Quote,
    QuoteReader,
    required_problems,
)
from programs.tomlfile import TypedValues, load_toml

logger = logging.getLogger(__name__)

# The formats under which our readers join Pelican's (Readers.read_file picks by format).
# The largest Order a program may have (it only sorts the programs).
MAX_ORDER = 9999
PROGRAM_FORMAT = "programs-program"
QUOTE_FORMAT = "programs-quote"


def _plain(html: str) -> str:
    """Text of a small HTML fragment (summaries), for meta descriptions and JSON-LD."""
    return Markup(html).striptags()


def _order(header: Header, problems: list[Problem]) -> int:
    raw = header.values.get("Order", "0")
    fix = "must be a whole number, e.g. 'Order: 2'"
    try:
        order = bounded.whole_number(raw, MAX_ORDER)  # the plugin's one bounded parser
    except bounded.OutOfBoundsError:
        order, fix = None, f"must be a whole number from 0 to {MAX_ORDER}, e.g. 'Order: 2'"
    if order is None:
        shown = raw if len(raw) <= SHOWN_DIGITS else f"{raw[:SHOWN_DIGITS]}... ({len(raw)} digits)"
        problems.append(Problem(header.path, "Order", shown, fix, header.lines.get("Order")))
        return 0
    return order


def quote_paragraphs(body: str) -> list[str]:
    """The quote's text as written: paragraphs of the body, never interpreted as Markdown."""
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def _split_slugs(value: str) -> list[str]:
    return [slug.strip() for slug in value.split(",") if slug.strip()]


def _is_file_name(name: str, suffix: str) -> bool:
    """True for a plain file name ending in ``suffix``: no folder, no '..', not hidden."""
    return (
        name.endswith(suffix)
        and not name.startswith(".")
        and os.path.basename(name) == name
        and "\\" not in name
    )


def _group_hint(group: str, groups: dict[str, str]) -> str:
    """How to fix a quote's unknown `Group:` value."""
    guess = difflib.get_close_matches(group, list(groups), n=1)
    if guess:
        return f"did you mean {guess[0]!r}?"
    known = f"use one of: {', '.join(groups)}, or " if groups else ""
    return f"{known}declare the group in PROGRAMS_PEOPLE_GROUPS (pelicanconf.py)"


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
        data["numberOfCredits"] = program.curriculum.required_credits
    return jsonld_script_text(data)


def figures_data(data: dict[str, Any], path: str, problems: list[Problem]) -> dict[str, Any]:
    """figures.toml as the home page uses it, every value read as the type it must have
    (strings; ``[[figures]]`` tables of ``value`` and ``text``); problems go to
    ``problems``, and nothing is shown from a file that has any."""
    values = TypedValues(path)
    figures = [
        {"value": values.text(where, raw, "value"), "text": values.text(where, raw, "text")}
        for where, raw in values.tables("", data, "figures")
    ]
    found = {
        "heading": values.text("", data, "heading"),
        "source": values.text("", data, "source"),
        "source_program": values.text("", data, "source_program", default=""),
        "figures": figures,
    }
    problems.extend(values.found)
    return {} if values.found else found


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
        self.people_groups: list[PeopleGroup] = []
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
            program.label = program_label(
                getattr(program, "title", ""), program.metadata.get("label", ""), program.short_name
            )
            program.description = _plain(getattr(program, "summary", ""))
            program.contacts, contact_problems = read_contacts(header, program.metadata)
            problems.extend(contact_problems)
            # What the info-sessions plugin reads (programs.provide): how to reach the program.
            program.contact_email = program.contacts.email
            program.website = program.contacts.website
            program.curriculum = self._curriculum(program, header, problems)
            program.curriculum_url = program.curriculum_save_as = ""
            if program.curriculum is not None and getattr(program, "slug", ""):
                program.curriculum_url = self.settings["PROGRAMS_CURRICULUM_URL"].format(
                    slug=program.slug
                )
                program.curriculum_save_as = self.settings["PROGRAMS_CURRICULUM_SAVE_AS"].format(
                    slug=program.slug
                )
            program.quotes = []
            self.add_source_path(program)
            self.programs.append(program)
        # A file without Title or Slug has no slug; its problems are reported already.
        self.programs.sort(key=lambda p: (p.order, getattr(p, "slug", "")))
        self._check_slugs(problems)

    def _curriculum(self, program: Program, header: Header, problems: list[Problem]) -> Any:
        """The program's curriculum file read, or None (without one, or with problems)."""
        name = program.metadata.get("curriculum", "")
        if not name:
            return None
        if not _is_file_name(name, ".toml"):
            problems.append(
                Problem(
                    header.path,
                    "Curriculum",
                    name,
                    "must be the name of a .toml file beside the program file, such as "
                    f"'{Path(header.path).stem}.toml', not a path",
                    header.lines.get("Curriculum"),
                )
            )
            return None
        file = Path(program.source_path).parent / name
        try:
            return load_curriculum(
                self.path,
                file,
                os.path.join(os.path.dirname(header.path), name),
                max_bytes=max_file_bytes(self.settings),
            )
        except ContentError as error:
            problems.extend(error.problems)
            return None

    def _check_slugs(self, problems: list[Problem]) -> None:
        """Every program needs its own slug, and none may take the comparison page."""
        seen: dict[str, str] = {}
        compare_page = self.settings["PROGRAMS_COMPARE_SAVE_AS"]
        for program in self.programs:
            if not getattr(program, "slug", ""):
                continue
            header = self._header(program)
            if program.save_as == compare_page:
                problems.append(
                    Problem(
                        header.path,
                        "Slug",
                        program.slug,
                        "its page would be the comparison page "
                        f"(/{self.settings['PROGRAMS_COMPARE_URL']}); choose another slug",
                        header.lines.get("Slug"),
                    )
                )
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

    def _group_people(self, problems: list[Problem]) -> None:
        """Sort the quotes into the People page's groups (PROGRAMS_PEOPLE_GROUPS)."""
        groups = self.settings["PROGRAMS_PEOPLE_GROUPS"]
        if not isinstance(groups, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in groups.items()
        ):
            problems.append(
                Problem(
                    "pelicanconf.py",
                    "PROGRAMS_PEOPLE_GROUPS",
                    groups,
                    "must map each group's id to its heading, e.g. "
                    '{"program-leaders": "Program leaders"}',
                )
            )
            return
        members: dict[str, list[Quote]] = {key: [] for key in groups}
        group_of: dict[str, tuple[str, str]] = {}  # person: (group, the file that said so)
        for quote in self.quotes:
            header = self._header(quote)
            group, person = quote.metadata.get("group", ""), quote.metadata.get("person", "")
            if not group:
                continue  # reported as missing already
            line = header.lines.get("Group")
            if group not in groups:
                problems.append(
                    Problem(
                        header.path,
                        "Group",
                        group,
                        f"no such group; {_group_hint(group, groups)}",
                        line,
                    )
                )
                continue
            earlier = group_of.setdefault(person, (group, header.path))
            if earlier[0] != group:
                problems.append(
                    Problem(
                        header.path,
                        "Group",
                        group,
                        f"{earlier[1]} puts {person} in {earlier[0]!r}; give every quote of "
                        "one person the same group",
                        line,
                    )
                )
            members[group].append(quote)
        self.people_groups = [
            PeopleGroup(id=key, heading=heading, quotes=tuple(members[key]))
            for key, heading in groups.items()
            if members[key]
        ]

    def _load_figures(self, problems: list[Problem]) -> None:
        file = Path(self.path) / self.settings["PROGRAMS_FIGURES_FILE"]
        if not os.path.lexists(file):
            return
        display = shown_path(self.path, str(file))
        try:
            data = read_content_bytes(self.path, str(file), max_bytes=max_file_bytes(self.settings))
        except ContentPathError as error:
            problems.append(Problem(display, "(file)", file.name, str(error)))
            return
        text, problem = decode(data, display)
        if problem is not None:
            problems.append(problem)
            return
        try:
            self.figures = figures_data(load_toml(text, display), display, problems)
        except ContentError as error:
            problems.extend(error.problems)

    def generate_context(self) -> None:
        """Read everything, record every problem (raised with every other generator's
        before anything is written), and share the results."""
        problems: list[Problem] = []
        self._load_programs(problems)
        self._load_quotes(problems)
        self._group_people(problems)
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
                program.facts = program_facts(program)
                program.key_facts = facts_for(program.facts, Place.KEY_FACTS)
                program.apply_facts = facts_for(program.facts, Place.APPLY)
                program.card_facts = card_facts(program.facts)
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
        self.context["people_groups"] = self.people_groups
        self.context["figures"] = self.figures
        self.context["comparison"] = comparison(self.programs) if not problems else None
        self.context["PROGRAMS_COMPARE_URL"] = self.settings["PROGRAMS_COMPARE_URL"]
        self.context["PROGRAMS_INDEX_URL"] = self.settings["PROGRAMS_INDEX_URL"]
        self.context["PROGRAMS_PEOPLE_URL"] = self.settings["PROGRAMS_PEOPLE_URL"]
        logger.debug("programs: %d programs, %d quotes", len(self.programs), len(self.quotes))

    # -- writing -----------------------------------------------------------------------
    def generate_output(self, writer: Any) -> None:
        """Write program and curriculum pages, the index, the comparison and the people
        page; first, stop the build with every problem any generator recorded."""
        raise_recorded(self.context)
        for program in self.programs:
            writer.write_file(
                program.save_as,
                self.get_template(program.template),
                self.context,
                program=program,
                url=program.url,
            )
            if program.curriculum_save_as:
                writer.write_file(
                    program.curriculum_save_as,
                    self.get_template("curriculum"),
                    self.context,
                    program=program,
                    url=program.curriculum_url,
                )
        writer.write_file(
            self.settings["PROGRAMS_INDEX_SAVE_AS"],
            self.get_template("programs"),
            self.context,
        )
        writer.write_file(
            self.settings["PROGRAMS_COMPARE_SAVE_AS"],
            self.get_template("compare"),
            self.context,
        )
        writer.write_file(
            self.settings["PROGRAMS_PEOPLE_SAVE_AS"],
            self.get_template("people"),
            self.context,
        )
