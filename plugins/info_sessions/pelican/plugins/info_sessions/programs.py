"""The programs a site may give the plugin: sessions link to them and are checked against them.

The plugin has no programs of its own and works without any: a session's ``Program`` field
is then left out (or refused when it names one). A site that has programs (our own
``programs`` plugin, say) hands them over in its generator's ``generate_context`` with
``provide(self.context, programs)``: any objects with

- ``slug``: what a session's ``Program:`` field names;
- ``title``: the program's name, shown on session pages and in feeds;
- ``url``: the site-relative address of its page (``programs/x/``);
- ``short_name`` (optional): a shorter name for feed names;
- ``label`` (optional): how the program is named where space is short (the filter links,
  session cards and session pages of the default templates); without one, the short name
  or the title;
- ``contact_email`` and ``website`` (optional): how to reach the program, as its own data
  gives them; a session page without a registration link points to them.

Sessions are checked against them once every generator has read its content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol

# Where programs wait in Pelican's shared context until the sessions are finalized.
CONTEXT_KEY = "info_sessions_programs"


class ProgramLike(Protocol):
    """What a site's program objects must have (``short_name`` is optional)."""

    slug: str
    title: str
    url: str


@dataclass(frozen=True)
class Program:
    """A program as the plugin keeps it: the things it reads, copied once."""

    slug: str
    title: str
    url: str
    short_name: str = ""
    given_label: str = ""
    contact_email: str = ""
    website: str = ""

    @property
    def name(self) -> str:
        """The short name where there is one, else the title."""
        return self.short_name or self.title

    @property
    def label(self) -> str:
        """The label the site gave, else ``name``."""
        return self.given_label or self.name


def provide(context: MutableMapping[str, Any], programs: Iterable[ProgramLike]) -> None:
    """Give the plugin the site's programs, in the order the site lists them."""
    context[CONTEXT_KEY] = [
        Program(
            slug=str(item.slug),
            title=str(item.title),
            url=str(item.url),
            short_name=str(getattr(item, "short_name", "") or ""),
            given_label=str(getattr(item, "label", "") or ""),
            contact_email=str(getattr(item, "contact_email", "") or ""),
            website=str(getattr(item, "website", "") or ""),
        )
        for item in programs
    ]


def provided(context: Mapping[str, Any]) -> tuple[Program, ...]:
    """The programs the site gave (none when it gave none)."""
    return tuple(context.get(CONTEXT_KEY, ()))
