"""The facts applicants compare programs on, declared once.

The program page's key facts, its "How to apply" facts, the program cards' facts and every
row of the comparison page come from ``FACETS``. A fact the program file does not give is not
stated (``Fact.stated`` is false) and pages say so; nothing is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from programs.model import PROGRAM_FIELDS


class Kind(Enum):
    """Where a facet's value comes from."""

    TEXT = "text"  # the program file's field of the same name, as written
    CREDITS = "credits"  # computed from the curriculum file: total credits and course count
    COURSES = "courses"  # a link to the curriculum on the program page


class Place(Enum):
    """Where a facet shows on the program page (every facet is on the comparison page)."""

    KEY_FACTS = "key facts"  # the key-facts panel beside the content
    APPLY = "apply"  # "How to apply" in the next steps
    COMPARE = "compare"  # only on the comparison page


@dataclass(frozen=True)
class Facet:
    """One thing to compare: its id (the metadata field for TEXT facets) and its label."""

    key: str
    label: str
    kind: Kind = Kind.TEXT
    place: Place = Place.KEY_FACTS
    shown_unstated: bool = True  # in the key facts: "not stated" rather than left out
    on_card: bool = False  # also on the program's card (home page, /programs/)


def _field_label(name: str) -> str:
    return next(field.label for field in PROGRAM_FIELDS if field.key == name)


FACETS: tuple[Facet, ...] = (
    Facet("degree", _field_label("degree"), on_card=True),
    Facet("institution", _field_label("institution")),
    Facet("partners", _field_label("partners"), shown_unstated=False),
    Facet("length", _field_label("length"), on_card=True),
    Facet("format", _field_label("format"), on_card=True),
    Facet("credits", "Credits", Kind.CREDITS),
    Facet("audience", _field_label("audience"), place=Place.APPLY),
    Facet("requirements", _field_label("requirements"), place=Place.APPLY),
    Facet("directors", _field_label("directors")),
    Facet("first-class", _field_label("first-class")),
    Facet("curriculum", "Course list", Kind.COURSES, place=Place.COMPARE),
)


@dataclass(frozen=True)
class Fact:
    """One program's value for one facet."""

    facet: Facet
    text: str = ""  # TEXT: the field's value
    credits: int = 0  # CREDITS: total credits of the core courses
    courses: int = 0  # CREDITS: how many core courses
    url: str = ""  # COURSES: site-relative link to the curriculum

    @property
    def label(self) -> str:
        """The facet's label, e.g. 'Degree or award'."""
        return self.facet.label

    @property
    def stated(self) -> bool:
        """False when the program file (and its curriculum) do not give this fact."""
        return bool(self.text or self.credits or self.url)


def program_facts(program: Any) -> tuple[Fact, ...]:
    """Every facet's fact for one program, in FACETS order."""
    facts = []
    curriculum = program.curriculum
    for facet in FACETS:
        if facet.kind is Kind.CREDITS:
            fact = Fact(facet)
            if curriculum is not None:
                fact = Fact(facet, credits=curriculum.credits, courses=len(curriculum.courses))
        elif facet.kind is Kind.COURSES:
            fact = Fact(facet, url=f"{program.url}#curriculum" if curriculum is not None else "")
        else:
            fact = Fact(facet, text=str(program.metadata.get(facet.key, "") or "").strip())
        facts.append(fact)
    return tuple(facts)


def facts_for(facts: tuple[Fact, ...], place: Place) -> tuple[Fact, ...]:
    """The facts shown at one place of the program page."""
    return tuple(
        fact
        for fact in facts
        if fact.facet.place is place and (fact.stated or fact.facet.shown_unstated)
    )


def card_facts(facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The facts a program's card shows, stated or not."""
    return tuple(fact for fact in facts if fact.facet.on_card)
