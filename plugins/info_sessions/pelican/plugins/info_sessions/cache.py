"""What one build of the sessions may reuse from the build before it, behind one interface.

A plain build reuses nothing: the generator gets a ``BuildCache``, whose methods just
compute. `make serve` rebuilds in one process and installs a ``RebuildCache`` for its
builds (``RebuildCache.installed``, through the plugin's ``get_cache`` signal), which keeps:

- each session file as checked, while its bytes are the same;
- values derived from sessions (plain text, JSON-LD, calendar links, serialised events),
  all pure functions of their keys;
- each page the generator writes (session, list, past, month and series pages), while
  what it is given to show and everything else it is made from are the same
  (``page_inputs``); a page whose templates read other sessions is always rendered;
- the output of each ``reuse`` tag's body (``fragments``: a session card), by its key.

It forgets everything when the settings change (``start``). What is kept is only ever used
if it is exactly what the build would make again: `make serve` writes, byte for byte, what
`make build` writes.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from jinja2 import Environment, TemplateNotFound, meta, nodes

from .hooks import get_cache
from .paths import ContentPathError, read_content_bytes
from .validation import Checked

T = TypeVar("T")
_MISSING = object()

# Fields of the templates' ``info_sessions`` made from settings and programs only, never
# from sessions: a session page that reads only these may be reused.
SETTINGS_FIELDS = frozenset(
    {
        "index_url",
        "past_url",
        "calendar_url",
        "subscribe_url",
        "format_urls",
        "program_lists",
        "google_add_by_url",
        "today",
        "refresh_hours",
        "past_days",
        "future_days",
    }
)
# Context names whose values are made from every session file.
SESSION_NAMES = frozenset({"generated_content"})


class BuildCache:
    """The cache of a plain build: nothing is kept, everything is computed."""

    def checked(self, path: str, data: bytes, check: Callable[[], Checked]) -> Checked:
        """``check()`` of the session file at ``path`` holding ``data``."""
        return check()

    def files_in_build(self, paths: set[str]) -> None:
        """The session files of this build, all of them checked (``paths``)."""

    def value(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, a pure function of ``key``."""
        return compute()

    def fragment(
        self, env: Environment, template: str | None, key: Hashable, render: Callable[[], str]
    ) -> str:
        """The output of a ``reuse`` tag's body (``fragments``) in ``template`` with
        ``key``: ``render()``."""
        return render()

    def pages(
        self, env: Environment, template: str, content: str, sessions: str, group: str
    ) -> PageStore:
        """Where pages rendered with ``template`` may be kept; a plain build keeps none.
        ``content`` is the content folder, ``sessions`` the session files' folder and
        ``group`` what the pages are called where their counts are shown."""
        return PageStore(None, {}, {})


@dataclass
class PageCount:
    """How many pages of one group a build wrote, and how many of those it rendered (the
    others were kept from the build before)."""

    written: int = 0
    rendered: int = 0


@dataclass
class PageStore:
    """Pages of one template in one build: ``get`` gives a page kept from the last build,
    ``keep`` keeps one rendered now. A page's key is what it is given to show; ``inputs``
    None: no page may be reused (or kept)."""

    inputs: str | None  # digest of what pages are made from besides what they are given
    last: dict[Hashable, str]
    now: dict[Hashable, str]
    count: PageCount = field(default_factory=PageCount)

    @property
    def reusing(self) -> bool:
        """Whether pages are kept at all."""
        return self.inputs is not None

    def get(self, key: Hashable) -> str | None:
        """The HTML of the page with ``key`` from the last build, or None."""
        if self.inputs is None:
            return None
        html = self.last.get((self.inputs, key))
        if html is not None:
            self.now[(self.inputs, key)] = html
        return html

    def keep(self, key: Hashable, html: str) -> None:
        """Keep the page just rendered for ``key``."""
        if self.inputs is not None:
            self.now[(self.inputs, key)] = html


class RebuildCache(BuildCache):
    """Kept by `make serve` from one build to the next (see the module's docstring)."""

    def __init__(self) -> None:
        """An empty cache; ``installed`` hands it to the builds that run inside it."""
        self._settings: dict[str, Any] | None = None
        self.page_counts: dict[str, PageCount] = {}  # of the last build, by group
        self._stores: dict[str, PageStore] = {}  # of this build, by template
        self._content: dict[tuple[str, str], str | None] = {}  # content_digest, this build
        # family_digest of a fragment's template, by environment and template, this build
        self._template_sources: dict[tuple[int, str | None], str | None] = {}
        self._forget()

    def _forget(self) -> None:
        self._checked: dict[str, tuple[bytes, Checked]] = {}
        self._values_last: dict[Hashable, Any] = {}
        self._values_now: dict[Hashable, Any] = {}
        self._pages_last: dict[Hashable, str] = {}
        self._pages_now: dict[Hashable, str] = {}
        self._templates: dict[str, TemplateReads] = {}

    @contextmanager
    def installed(self) -> Iterator[RebuildCache]:
        """Every build of the sessions inside the block uses this cache."""
        with get_cache.connected_to(self._answer):
            yield self

    def _answer(self, generator: object) -> RebuildCache:
        return self

    def start(self, settings: Mapping[str, Any]) -> None:
        """Begin a build with ``settings`` as read from the settings file, before plugins
        add to them: everything is forgotten when they differ from the last build's."""
        if settings != self._settings:
            self._forget()
            self._settings = copy.deepcopy(dict(settings))
        self._values_last, self._values_now = self._values_now, {}
        self._pages_last, self._pages_now = self._pages_now, {}
        self.page_counts, self._stores = {}, {}
        self._content, self._template_sources = {}, {}

    def checked(self, path: str, data: bytes, check: Callable[[], Checked]) -> Checked:
        """The file's result from an earlier build while its bytes are the same."""
        kept = self._checked.get(path)
        if kept is None or kept[0] != data:
            kept = (data, check())
            self._checked[path] = kept
        return kept[1]

    def files_in_build(self, paths: set[str]) -> None:
        """Forget files no longer in the build, so that a long `make serve` does not grow."""
        for path in set(self._checked) - paths:
            del self._checked[path]

    def value(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` from this build, else from the last, else ``compute()``."""
        found = self._values_now.get(key, _MISSING)
        if found is _MISSING:
            found = self._values_last.get(key, _MISSING)
            if found is _MISSING:
                found = compute()
            self._values_now[key] = found
        return found

    def fragment(
        self, env: Environment, template: str | None, key: Hashable, render: Callable[[], str]
    ) -> str:
        """The body's output kept from this build or the last, while ``template`` and every
        template it uses are the same; else ``render()``."""
        place = (id(env), template)
        if place not in self._template_sources:
            self._template_sources[place] = family_digest(env, template, self._templates)
        templates = self._template_sources[place]
        if templates is None:  # a template known only at render time: nothing to key on
            return render()
        full = ("fragment", templates, template, key)
        try:
            hash(full)
        except TypeError:  # a value that cannot be a key: always rendered
            return render()
        return self.value(full, render)

    def pages(
        self, env: Environment, template: str, content: str, sessions: str, group: str
    ) -> PageStore:
        """Pages keyed by what they are made from besides what they are given, when their
        templates read no other session (else none is reused)."""
        store = self._stores.get(template)
        if store is None:
            folders = (content, sessions)
            if folders not in self._content:  # once a build: the files are the same for all
                self._content[folders] = content_digest(content, sessions)
            inputs = page_inputs(env, template, self._content[folders], self._templates)
            count = self.page_counts.setdefault(group, PageCount())
            store = PageStore(inputs, self._pages_last, self._pages_now, count)
            self._stores[template] = store
        return store


def build_cache(sender: object) -> BuildCache:
    """The cache ``sender`` (a generator, a template environment) uses: the one installed
    around this build, else one that keeps nothing."""
    answers = [cache for _, cache in get_cache.send(sender) if cache is not None]
    return answers[0] if answers else BuildCache()


# -- which session pages may be reused ----------------------------------------------------


@dataclass(frozen=True)
class TemplateReads:
    """What one template's source names: other templates, and sessions' data or not."""

    templates: tuple[str | None, ...]  # None: a name only known at render time
    other_sessions: bool


def template_reads(env: Environment, source: str, name: str | None = None) -> TemplateReads:
    """Parse one template's source (of template ``name``) and say what it reads."""
    tree = env.parse(source, name)
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
    env: Environment,
    name: str,
    known: dict[str, TemplateReads] | None = None,
    *,
    may_read_sessions: bool = False,
) -> dict[str, str] | None:
    """Source of template ``name`` and of every template it extends, includes or imports,
    by name; None when one of them names a template only known at render time, or reads
    other sessions (unless ``may_read_sessions``). ``known`` keeps what each source reads,
    by source."""
    known = {} if known is None else known
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
        if source not in known:
            known[source] = template_reads(env, source, current)
        reads = known[source]
        if (reads.other_sessions and not may_read_sessions) or None in reads.templates:
            return None
        waiting.extend(t for t in reads.templates if t is not None)
    return sources


def _content_files(root: str, skip: str) -> Iterator[str]:
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if os.path.join(folder, f) != skip)
        for name in sorted(names):
            yield os.path.join(folder, name)


def _family_hash(family: dict[str, str], start: str = "") -> str:
    """A digest of ``start`` and of a template family's sources (``template_family``)."""
    digest = hashlib.sha256(start.encode())
    for name in sorted(family):
        digest.update(f"template {name}\0{family[name]}\0".encode())
    return digest.hexdigest()


def family_digest(
    env: Environment, template: str | None, known: dict[str, TemplateReads] | None = None
) -> str | None:
    """A digest of template ``template`` and every template it extends, includes or
    imports; None when one of them is named only at render time."""
    if template is None:
        return None
    family = template_family(env, template, known, may_read_sessions=True)
    return None if family is None else _family_hash(family)


def content_digest(content: str, sessions: str) -> str | None:
    """A digest of every content file outside the sessions folder, each read with the
    confined read; None when one may not be read (the build reports it)."""
    digest = hashlib.sha256()
    folders: dict[str, str] = {}
    for path in _content_files(content, os.path.normpath(sessions)):
        try:
            data = read_content_bytes(content, path, max_bytes=None, folders=folders)
        except ContentPathError:
            return None
        digest.update(f"\0file {os.path.relpath(path, content)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def page_inputs(
    env: Environment,
    template: str,
    content: str | None,
    known: dict[str, TemplateReads] | None = None,
) -> str | None:
    """A digest of what a page is made from besides what it is given to show and the
    settings (a settings change empties the cache): its templates, and ``content``, the
    ``content_digest`` of every content file outside the sessions folder. None when its
    templates read other sessions, or ``content`` is None."""
    family = template_family(env, template, known)
    if family is None or content is None:
        return None
    return _family_hash(family, f"content {content}\0")
