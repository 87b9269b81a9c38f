"""The comparison page's table: one row per facet (``facts.FACETS``), one column per program.

Built from the programs' own facts, so the page can only show what their files give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from programs.facts import FACETS, Facet, Fact


@dataclass(frozen=True)
class Row:
    """One facet across every program, in the programs' order."""

    facet: Facet
    facts: tuple[Fact, ...]

    @property
    def id(self) -> str:
        """The row's id on the page, e.g. 'compare-degree'."""
        return f"compare-{self.facet.key}"


@dataclass(frozen=True)
class Comparison:
    """Every program side by side."""

    programs: tuple[Any, ...]  # Program objects, in site order (Order:, then slug)
    rows: tuple[Row, ...]


def comparison(programs: Sequence[Any]) -> Comparison:
    """The comparison of ``programs``, each of which already has its ``facts``."""
    rows = tuple(
        Row(facet, tuple(program.facts[index] for program in programs))
        for index, facet in enumerate(FACETS)
    )
    return Comparison(programs=tuple(programs), rows=rows)
