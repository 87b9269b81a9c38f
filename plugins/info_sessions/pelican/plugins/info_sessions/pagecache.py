"""Session pages kept between the rebuilds of `make serve`, so that one edit renders one page.

A session page is made from its ``SessionView``, the templates it uses, the settings, and
what other plugins read from content files outside the sessions folder (programs, pages).
``page_inputs`` sums up all but the view in one digest per build; a page whose view and
digest are the same as in the last build gets the HTML that build rendered.

That holds only while the session page reads nothing made from *other* session files. In
Pelican's context those are ``info_sessions`` (apart from the fields made from settings
alone, ``SETTINGS_FIELDS``) and ``generated_content`` (every session among the other
content). ``page_inputs`` reads the source of the session template and of every template it
extends, includes or imports, on every build, and returns None, so that every page is
rendered, when any of them reads more, or names a template only known at render time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from jinja2 import Environment, TemplateNotFound, meta, nodes

from .display import SessionView
from .memo import stable_text
from .reuse import Reuse

# SessionsContext fields made from settings and program slugs only, never from sessions.
SETTINGS_FIELDS = frozenset(
    {
        "index_url",
        "past_url",
        "calendar_url",
        "subscribe_url",
        "format_urls",
        "program_urls",
        "google_add_by_url",
        "today",
        "refresh_hours",
    }
)
# Context names whose values are made from every session file.
SESSION_NAMES = frozenset({"generated_content"})
# Settings that change from build to build without changing a page (where the build writes).
PER_BUILD_SETTINGS = frozenset({"OUTPUT_PATH", "SITE_SOURCE_MAP", "INFO_SESSIONS_MEMO"})


@dataclass(frozen=True)
class TemplateReads:
    """What one template's source names: other templates, and sessions' data or not."""

    templates: tuple[str | None, ...]  # None: a name only known at render time
    other_sessions: bool


def template_reads(env: Environment, source: str) -> TemplateReads:
    """Parse one template's source and say what it reads."""
    tree = env.parse(source)
    return TemplateReads(
        templates=tuple(meta.find_referenced_templates(tree)),
        other_sessions=reads_other_sessions(tree),
    )


def _with_parents(node: nodes.Node, parent: nodes.Node | None) -> Iterator[tuple[Any, Any]]:
    yield node, parent
    for child in node.iter_child_nodes():
        yield from _with_parents(child, node)


def reads_other_sessions(tree: nodes.Template) -> bool:
    """Whether a parsed template reads anything made from other session files: any use of
    ``generated_content``, or of ``info_sessions`` other than its SETTINGS_FIELDS."""
    for node, parent in _with_parents(tree, None):
        if not isinstance(node, nodes.Name) or node.ctx != "load":
            continue
        if node.name in SESSION_NAMES:
            return True
        if node.name != "info_sessions":
            continue
        if isinstance(parent, nodes.Getattr) and parent.attr in SETTINGS_FIELDS:
            continue
        if isinstance(parent, nodes.Test) and parent.name == "defined":
            continue
        return True
    return False


def template_family(
    env: Environment, name: str, analyses: Reuse | None = None
) -> dict[str, str] | None:
    """Source of template ``name`` and of every template it extends, includes or imports,
    by name; None when one of them reads other sessions or names a template only known at
    render time. ``analyses`` keeps what each source reads from one build to the next."""
    analyses = analyses or Reuse()
    sources: dict[str, str] = {}
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in sources:
            continue
        try:
            source = env.loader.get_source(env, current)[0] if env.loader else ""
        except TemplateNotFound:  # `ignore missing`, or an error the render will report
            source = "\0missing"
        sources[current] = source
        reads = analyses.get(("template", source), lambda text=source: template_reads(env, text))
        if reads.other_sessions or None in reads.templates:
            return None
        waiting.extend(t for t in reads.templates if t is not None)
    return sources


def _content_files(root: str, skip: str) -> Iterator[str]:
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if os.path.join(folder, f) != skip)
        for name in sorted(names):
            yield os.path.join(folder, name)


def page_inputs(
    env: Environment,
    template: str,
    settings: Mapping[str, Any],
    content: str,
    sessions: str,
    analyses: Reuse | None = None,
) -> str | None:
    """A digest of everything but its own session that a session page is made from, or
    None when its templates read other sessions (then no page may be reused).

    ``content`` is the content folder and ``sessions`` the session files' folder in it;
    ``analyses`` as for ``template_family``."""
    family = template_family(env, template, analyses)
    if family is None:
        return None
    digest = hashlib.sha256()
    for name in sorted(family):
        digest.update(f"template {name}\0{family[name]}\0".encode())
    kept = {key: value for key, value in settings.items() if key not in PER_BUILD_SETTINGS}
    digest.update(stable_text(kept).encode())
    for path in _content_files(content, os.path.normpath(sessions)):
        with open(path, "rb") as handle:
            digest.update(f"\0file {os.path.relpath(path, content)}\0".encode())
            digest.update(handle.read())
    return digest.hexdigest()


def view_key(view: SessionView) -> tuple[Hashable, ...]:
    """Every field of a view but its program (a content object: in ``page_inputs``)."""
    return tuple(getattr(view, f.name) for f in fields(view) if f.name != "program")


@dataclass
class ReusedPage:
    """Stands in for a Jinja template in Pelican's writer: renders once per key and build,
    and hands back the HTML of the last build when the key is the same."""

    template: Any  # jinja2.Template
    key: Hashable
    pages: Reuse
    on_render: Callable[[], None]

    def render(self, context: Mapping[str, Any]) -> str:
        """The page's HTML, rendered only when no earlier build made it from the same key."""

        def render() -> str:
            self.on_render()
            return self.template.render(context)

        return self.pages.get(self.key, render)
