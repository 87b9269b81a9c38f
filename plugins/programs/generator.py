"""ProgramsGenerator: reads programs, quotes and home-page figures; writes their pages."""

from __future__ import annotations

import difflib
import json
import logging
import os
import tomllib
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from content_guard import ContentRefusedError
from content_guard.paths import ContentPathError, read_content_bytes
from programs.compare import comparison
from programs.contacts import read_contacts
from programs.curriculum import CurriculumError, load_curriculum
from programs.errors import ProgramsContentError
from programs.facts import Place, card_facts, facts_for, program_facts
from programs.labels import program_label
from programs.model import (
    PROGRAM_FIELDS,
    QUOTE_FIELDS,
    PeopleGroup,
    Program,
    Quote,
    field_problems,
    text_problems,
)

logger = logging.getLogger(__name__)


def _plain(html: str) -> str:
    """Text of a small HTML fragment (summaries), for meta descriptions and JSON-LD."""
    return Markup(html).striptags()


def _order(path: str, content: Any, problems: list[str]) -> int:
    raw = content.metadata.get("order", "0")
    try:
        return int(raw)
    except ValueError:
        problems.append(f"{path}: Order: {raw!r}: must be a whole number, e.g. 'Order: 2'")
        return 0


def quote_paragraphs(content_path: str, source_path: str) -> list[str]:
    """The quote's text as written: paragraphs of the body, never interpreted as Markdown."""
    text = read_content_bytes(content_path, source_path).decode("utf-8").replace("\r\n", "\n")
    body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def not_utf8_problem(source_path: str, display_path: str, error: UnicodeDecodeError) -> str:
    """The problem for a file that is not UTF-8: the line and byte where decoding failed."""
    data = Path(source_path).read_bytes()
    line = data.count(b"\n", 0, error.start) + 1
    start = data.rfind(b"\n", 0, error.start) + 1
    end = data.find(b"\n", error.start)
    shown = data[start : end if end >= 0 else len(data)].decode("utf-8", "replace").strip()
    return (
        f"{display_path}: (file): {shown!r}: line {line} is not UTF-8 text (byte "
        f"0x{data[error.start]:02X}); save the file with the encoding UTF-8"
    )


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
        data["numberOfCredits"] = program.curriculum.required_credits
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    # No "<", ">" or "&" inside the script element: "</script>" would end it early and
    # "<!--<script>" would make it swallow the rest of the page.
    return Markup(text.translate(_SCRIPT_SAFE))


class ProgramsGenerator(Generator):
    """Holds every program and quote of one build; nothing lives outside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programs: list[Program] = []
        self.quotes: list[Quote] = []
        self.people_groups: list[PeopleGroup] = []
        self.figures: dict[str, Any] = {}

    # -- reading -----------------------------------------------------------------------
    def _read(self, folder: str, content_class: type, problems: list[str]) -> list[Any]:
        items = []
        for relative in sorted(self.get_files(folder, extensions=("md",))):
            display = os.path.join(os.path.basename(self.path), relative)
            source = os.path.join(self.path, relative)
            try:
                text = read_content_bytes(self.path, source).decode("utf-8")
            except ContentPathError as error:
                problems.append(f"{display}: (file): {relative!r}: {error}")
                continue
            except UnicodeDecodeError as error:
                problems.append(not_utf8_problem(source, display, error))
                continue
            problems.extend(text_problems(display, text))
            try:
                item = self.readers.read_file(
                    base_path=self.path,
                    path=relative,
                    content_class=content_class,
                    context=self.context,
                )
            except ContentRefusedError:  # content_guard logged why, naming the file
                continue
            # A field set twice or continued comes back as a list; text_problems reported
            # it, so keep the first value and check the rest of the file as usual.
            for key, value in item.metadata.items():
                if isinstance(value, list) and value and isinstance(value[0], str):
                    item.metadata[key] = value[0]
            items.append(item)
        return items

    def _display_path(self, content: Any) -> str:
        return os.path.join(os.path.basename(self.path), content.get_relative_source_path())

    def _load_programs(self, problems: list[str]) -> None:
        for program in self._read(self.settings["PROGRAMS_PATH"], Program, problems):
            path = self._display_path(program)
            problems.extend(field_problems(path, program.metadata, PROGRAM_FIELDS))
            program.order = _order(path, program, problems)
            program.short_name = program.metadata.get("short-name", "")
            program.label = program_label(
                getattr(program, "title", ""), program.metadata.get("label", ""), program.short_name
            )
            program.description = _plain(getattr(program, "summary", ""))
            program.contacts, contact_problems = read_contacts(path, program.metadata)
            problems.extend(contact_problems)
            program.curriculum = None
            name = program.metadata.get("curriculum", "")
            if name and not _is_file_name(name, ".toml"):
                problems.append(
                    f"{path}: Curriculum: {name!r}: must be the name of a .toml file beside "
                    f"the program file, such as '{Path(path).stem}.toml', not a path"
                )
            elif name:
                file = Path(program.source_path).parent / name
                try:
                    program.curriculum = load_curriculum(
                        self.path, file, os.path.join(os.path.dirname(path), name)
                    )
                except CurriculumError as error:
                    problems.extend(error.problems)
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
        seen: dict[str, str] = {}
        compare_page = self.settings["PROGRAMS_COMPARE_SAVE_AS"]
        for program in self.programs:
            if not getattr(program, "slug", ""):
                continue
            if program.save_as == compare_page:
                problems.append(
                    f"{self._display_path(program)}: Slug: {program.slug!r}: its page would be "
                    f"the comparison page (/{self.settings['PROGRAMS_COMPARE_URL']}); choose "
                    "another slug"
                )
            if program.slug in seen:
                problems.append(
                    f"{self._display_path(program)}: Slug: {program.slug!r}: also used by "
                    f"{seen[program.slug]}; every program needs its own slug"
                )
            seen[program.slug] = self._display_path(program)

    def _load_quotes(self, problems: list[str]) -> None:
        by_slug = {p.slug: p for p in self.programs if getattr(p, "slug", "")}
        news = {a.slug: a for a in self.context.get("articles", [])}
        for quote in self._read(self.settings["PROGRAMS_QUOTES_PATH"], Quote, problems):
            path = self._display_path(quote)
            problems.extend(field_problems(path, quote.metadata, QUOTE_FIELDS))
            quote.order = _order(path, quote, problems)
            quote.paragraphs = quote_paragraphs(self.path, quote.source_path)
            role, organisation = (
                quote.metadata.get("role", ""),
                quote.metadata.get("organisation", ""),
            )
            # The role as the source gives it often names the organisation already.
            quote.shown_organisation = "" if organisation.lower() in role.lower() else organisation
            if not quote.paragraphs:
                problems.append(f"{path}: (body): (empty): add the quote's text after the header")
            quote.programs = []
            for slug in _split_slugs(quote.metadata.get("programs", "")):
                if slug in by_slug:
                    quote.programs.append(by_slug[slug])
                else:
                    problems.append(
                        f"{path}: Programs: {slug!r}: no such program; use one of: "
                        + ", ".join(sorted(by_slug))
                    )
            news_slug = quote.metadata.get("news", "")
            quote.news = news.get(news_slug) if news_slug else None
            if news_slug and quote.news is None:
                problems.append(
                    f"{path}: News: {news_slug!r}: no such news item; use one of: "
                    + ", ".join(sorted(news))
                )
            self.quotes.append(quote)
        self.quotes.sort(key=lambda q: (q.order, q.metadata.get("person", "")))
        for quote in self.quotes:
            for program in quote.programs:
                program.quotes.append(quote)

    def _group_people(self, problems: list[str]) -> None:
        """Sort the quotes into the People page's groups (PROGRAMS_PEOPLE_GROUPS)."""
        groups = self.settings["PROGRAMS_PEOPLE_GROUPS"]
        if not isinstance(groups, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in groups.items()
        ):
            problems.append(
                f"pelicanconf.py: PROGRAMS_PEOPLE_GROUPS: {groups!r}: must map each group's id "
                'to its heading, e.g. {"program-leaders": "Program leaders"}'
            )
            return
        members: dict[str, list[Quote]] = {key: [] for key in groups}
        group_of: dict[str, tuple[str, str]] = {}  # person: (group, the file that said so)
        for quote in self.quotes:
            path = self._display_path(quote)
            group, person = quote.metadata.get("group", ""), quote.metadata.get("person", "")
            if not group:
                continue  # reported as missing already
            if group not in groups:
                problems.append(
                    f"{path}: Group: {group!r}: no such group; {_group_hint(group, groups)}"
                )
                continue
            earlier = group_of.setdefault(person, (group, path))
            if earlier[0] != group:
                problems.append(
                    f"{path}: Group: {group!r}: {earlier[1]} puts {person} in {earlier[0]!r}; "
                    "give every quote of one person the same group"
                )
            members[group].append(quote)
        self.people_groups = [
            PeopleGroup(id=key, heading=heading, quotes=tuple(members[key]))
            for key, heading in groups.items()
            if members[key]
        ]

    def _load_figures(self, problems: list[str]) -> None:
        file = Path(self.path) / self.settings["PROGRAMS_FIGURES_FILE"]
        if not file.exists():
            return
        display = os.path.join(os.path.basename(self.path), file.name)
        try:
            self.figures = tomllib.loads(read_content_bytes(self.path, str(file)).decode("utf-8"))
        except ContentPathError as error:
            problems.append(f"{display}: (file): {file.name!r}: {error}")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            problems.append(f"{display}: (file): not valid TOML: {error}")

    def generate_context(self) -> None:
        """Read everything, report every problem at once, and share the results."""
        problems: list[str] = []
        self._load_programs(problems)
        self._load_quotes(problems)
        self._group_people(problems)
        self._load_figures(problems)
        if problems:
            raise ProgramsContentError(problems)
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
        self.context["quotes"] = self.quotes
        self.context["quotes_by_news"] = quotes_by_news
        self.context["people_groups"] = self.people_groups
        self.context["figures"] = self.figures
        self.context["comparison"] = comparison(self.programs)
        self.context["PROGRAMS_COMPARE_URL"] = self.settings["PROGRAMS_COMPARE_URL"]
        self.context["PROGRAMS_INDEX_URL"] = self.settings["PROGRAMS_INDEX_URL"]
        self.context["PROGRAMS_PEOPLE_URL"] = self.settings["PROGRAMS_PEOPLE_URL"]
        logger.debug("programs: %d programs, %d quotes", len(self.programs), len(self.quotes))

    # -- writing -----------------------------------------------------------------------
    def generate_output(self, writer: Any) -> None:
        """Write program and curriculum pages, the index, the comparison and the people page."""
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
