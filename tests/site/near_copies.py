"""Sentences of the site's own prose that copy a source document too closely.

The site's prose (program pages and their header fields, curriculum aims and objectives,
quote contexts, the About page, news, the home page's figures) must be in our own words;
names, titles, course titles and quotations must stay exactly as the sources give them.
So each sentence is compared with the sources after those exact parts are masked out:

- text inside double quotation marks (a quotation) is dropped;
- every protected phrase (course titles, program names, people, their roles and
  organisations, and the names, figures and lists of facts in ``EXACT_PHRASES``) becomes
  one placeholder token that counts neither as copied nor as our own;
- what is left is split into lowercase words, and a word counts as copied when it is part
  of a run of ``RUN`` or more words that also appears in a source.

A sentence is a near-copy when at least ``MIN_COVERED`` of its words, and at least
``MAX_COVERAGE`` of them, are copied, or when it shares ``MAX_RUN`` words in a row with a
source. ``python -m tests.site.near_copies`` prints every sentence with its numbers.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RUN = 4  # words in a row that make a copied phrase
MIN_COVERED = 4  # a sentence needs at least this many copied words to count as a copy
MAX_COVERAGE = 0.5  # share of a sentence's own words that may be copied
MAX_RUN = 7  # a longer run of copied words is a copy whatever the sentence's length

# Names, titles, figures and lists of facts that must be written exactly as the sources give
# them, besides those the content itself declares (course titles, program names, people and
# their roles).
EXACT_PHRASES = (
    "Harvard Medical School",
    "Harvard Medical School's Office for External Education",
    "Office for External Education",
    "Harvard Graduate School of Education",
    "Harvard Macy Institute",
    "Harvard School of Public Health",
    "Harvard-affiliated academic medical centers",
    "Harvard-affiliated hospitals",
    "Massachusetts General Hospital",
    "MGH Institute of Health Professions",
    "Beth Israel Deaconess Medical Center",
    "HMS associate professor of medicine",
    "associate chair for education in the Department of Medicine",
    "director of quality improvement and safety for graduate medical education",
    "Department of Medicine quality and safety curriculum",
    "HMS Fellowship in Patient Safety and Quality",
    "National Academy of Medicine",
    "Institute for Healthcare Improvement",
    "Institute of Health Improvement",
    "World Health Organization",
    "Program in Clinical Effectiveness",
    "International Forum on Quality and Safety in Healthcare",
    "Leading Innovations Program",
    "Health Foundation Quality Improvement Fellowships",
    "Quality Improvement Fellowship",
    "the Health Foundation",
    "Health Foundation",
    "The BMJ",
    "UK Royal Colleges",
    "Capstone Committee",
    "Student Handbook",
    "Master in Healthcare Quality and Safety",
    "Master in Clinical Service Operations",
    "Master of Medical Sciences (MMSc) in Medical Education",
    "Masters Degree Collaborations",
    "Kevin Tucker",
    "Mara Bloom",
    "Jennifer Kesselheim, MD, EdM",
    "Anya De Iongh",
    "Sibylle Erdmann",
    "Harvard affiliates",
    "peer capstone feedback sessions",
    # Figures, as the sources give them.
    "nearly 100,000",
    "nearly a third",
    "more than $3 trillion",
    "low-value, unnecessary and ineffective",
    "more than 500 residents",
    "nearly two decades",
    "2018-2019 academic year",
    "36-credit curriculum",
    "April 2014",
    # Lists of facts the sources give (the subjects of a course, the five curriculum areas,
    # the domains of the skills-based learning): reordering them would help no reader.
    "quality improvement, statistics, epidemiology, decision science, economics and ethics",
    "operational quality and safety",
    "quantitative approaches",
    "clinical operations management",
    "financial and strategic planning",
    "systems design performance improvement",
    "information systems integration",
    "physicians, registered nurses, nurse practitioners and allied health care professionals",
)

_WORD = re.compile(r"[a-z0-9$]+(?:'(?!s\b)[a-z]+)?")  # a possessive 's is a word of its own
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_MARKDOWN_LINE = re.compile(r"^\s*(?:#+|[-*]|\d+\.)\s+")
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
NAME = "\x00"  # the placeholder token of a protected phrase

# Header fields whose values are our prose; the others are names, titles or identifiers.
PROSE_FIELDS = {
    "programs": ("summary", "audience", "requirements", "length", "format", "first-class"),
    "quotes": ("context",),
    "news": ("title", "summary"),
    "pages": ("summary",),
}
NAME_FIELDS = {
    "programs": ("title", "degree", "institution", "partners", "short-name", "directors"),
    "quotes": ("person", "role", "organisation"),
}


def words(text: str) -> list[str]:
    """Lowercase words of ``text`` (hyphens and punctuation separate words)."""
    return _WORD.findall(text.lower().replace("’", "'"))


@dataclass(frozen=True)
class Unit:
    """One sentence (or list item, or heading) of the site's prose, and where it is."""

    where: str
    text: str


@dataclass(frozen=True)
class Measure:
    """How much of a unit is copied: its own words, those in copied runs, the longest run
    of words it shares with a source, and that source."""

    unit: Unit
    own: int
    copied: int
    run: int
    source: str

    @property
    def coverage(self) -> float:
        """Share of the unit's own words that are copied."""
        return self.copied / self.own if self.own else 0.0

    @property
    def near_copy(self) -> bool:
        """Whether the unit copies a source too closely."""
        return (self.copied >= MIN_COVERED and self.coverage >= MAX_COVERAGE) or self.run >= MAX_RUN

    def __str__(self) -> str:
        return (
            f"{self.coverage:4.0%} copied ({self.copied}/{self.own} words), longest run "
            f"{self.run:2d} [{self.source}] {self.unit.where}: {self.unit.text}"
        )


def _header_and_body(path: Path) -> tuple[dict[str, str], str]:
    head, _, body = path.read_text(encoding="utf-8").replace("\r\n", "\n").partition("\n\n")
    fields = {}
    for line in head.splitlines():
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return fields, body


def sentences(text: str) -> list[str]:
    """Sentences, list items and headings of a Markdown text, without its markup."""
    found = []
    for line in text.splitlines():
        line = _MARKDOWN_LINK.sub(r"\1", _MARKDOWN_LINE.sub("", line)).replace("**", "")
        found.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return found


def content_units(root: Path = ROOT) -> tuple[list[Unit], list[str]]:
    """Every unit of our prose under ``root``/content, and the protected phrases found there."""
    content = root / "content"
    units: list[Unit] = []
    names: list[str] = list(EXACT_PHRASES)
    for kind in ("programs", "quotes", "news", "pages"):
        for path in sorted((content / kind).glob("*.md")):
            fields, body = _header_and_body(path)
            where = str(path.relative_to(root))
            for field in PROSE_FIELDS[kind]:
                units += [Unit(f"{where} {field}", s) for s in sentences(fields.get(field, ""))]
            names += [fields[field] for field in NAME_FIELDS.get(kind, ()) if fields.get(field)]
            if kind != "quotes":  # a quote's body is the quotation itself
                units += [Unit(where, s) for s in sentences(body)]
    for path in sorted(content.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(root))
        for course in data.get("courses", []):
            names.append(course["title"])
            for sentence in sentences(course.get("aim", "")):
                units.append(Unit(f"{where} {course['id']} aim", sentence))
            for objective in course.get("objectives", []):
                units.append(Unit(f"{where} {course['id']} objective", objective))
        for schedule in data.get("schedules", []):
            for term in schedule.get("terms", []):
                names += [entry["title"] for entry in term.get("entries", [])]
        for figure in data.get("figures", []):
            units.append(Unit(where, f"{figure['value']} {figure['text']}"))
        units += [Unit(where, data[key]) for key in ("heading", "source") if key in data]
    return units, names


def _masker(names: list[str]):
    """A function from text to its words with every protected phrase as one NAME token."""
    phrases = sorted({tuple(words(name)) for name in names if words(name)}, key=len, reverse=True)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        by_first.setdefault(phrase[0], []).append(phrase)

    def mask(text: str) -> list[str]:
        tokens, masked, i = words(text), [], 0
        while i < len(tokens):
            for phrase in by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    masked.append(NAME)
                    i += len(phrase)
                    break
            else:
                masked.append(tokens[i])
                i += 1
        return masked

    return mask


class Comparison:
    """The sources, masked and cut into runs, against which units of prose are measured."""

    def __init__(self, sources: Path, names: list[str]) -> None:
        self.mask = _masker(names)
        self.sources = {
            path.name: self.mask(path.read_text(encoding="utf-8"))
            for path in sorted(sources.glob("*.txt"))
        }
        self.runs: dict[tuple[str, ...], str] = {}
        for name, tokens in self.sources.items():
            for i in range(len(tokens) - RUN + 1):
                self.runs.setdefault(tuple(tokens[i : i + RUN]), name)

    def measure(self, unit: Unit) -> Measure:
        """How much of ``unit``, quotations left out, is copied from the sources."""
        tokens = self.mask(_QUOTED.sub(" ", unit.text))
        copied = [False] * len(tokens)
        for i in range(len(tokens) - RUN + 1):
            gram = tuple(tokens[i : i + RUN])
            if gram in self.runs and gram.count(NAME) < RUN - 1:
                copied[i : i + RUN] = [True] * RUN
        own = [i for i, token in enumerate(tokens) if token != NAME]
        longest, source = 0, ""
        for name, tokens_of_source in self.sources.items():
            match = SequenceMatcher(None, tokens, tokens_of_source, autojunk=False)
            block = match.find_longest_match(0, len(tokens), 0, len(tokens_of_source))
            shared = len([t for t in tokens[block.a : block.a + block.size] if t != NAME])
            if shared > longest:
                longest, source = shared, name
        return Measure(
            unit=unit, own=len(own), copied=sum(copied[i] for i in own), run=longest, source=source
        )


def measure_all(root: Path = ROOT) -> list[Measure]:
    """Every unit of our prose under ``root``/content, measured against ``root``/sources."""
    units, names = content_units(root)
    comparison = Comparison(root / "sources", names)
    return [comparison.measure(unit) for unit in units]


def near_copies(root: Path = ROOT) -> list[Measure]:
    """The units of our prose that copy a source too closely."""
    return [measure for measure in measure_all(root) if measure.near_copy]


def main() -> int:
    """Print every unit, closest copies first, and the number of near-copies."""
    measures = sorted(measure_all(), key=lambda m: (-m.near_copy, -m.coverage, -m.run))
    for measure in measures:
        print(("NEAR-COPY " if measure.near_copy else "          ") + str(measure))
    flagged = sum(measure.near_copy for measure in measures)
    print(f"{flagged} near-copies among {len(measures)} sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
