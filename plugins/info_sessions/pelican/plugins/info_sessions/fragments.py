"""``{% reuse a, b %}...{% endreuse %}``: a part of a template that `make serve` may keep
between rebuilds, like a session card shown on many pages.

The body is rendered once per distinct key and build cache: the values of the names the
tag lists and of every setting-like (upper-case) name the body reads, and the sources of
its template and of every template that one extends, includes or imports. A plain build
keeps nothing and renders every body (``cache.BuildCache.fragment``).

What is kept is only correct if the body is a function of its key, so the tag checks
that when the template is compiled, and refuses it otherwise (TemplateSyntaxError): the
body may read only the listed names, upper-case names, macros defined in the same template
that read only their own arguments (by the same rules), and macros imported without
context; it may bind no name, include or import nothing, and call no filter or test that
is given the context.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import TemplateNotFound
from jinja2.ext import Extension
from jinja2.parser import Parser

from .cache import build_cache

TAG = "reuse"
# Statements a body (or a macro it calls) may not hold: they read or bind beyond its key.
REFUSED = (nodes.Include, nodes.Import, nodes.FromImport, nodes.ContextReference)
# How Jinja marks a filter or test that is given the context (``pass_context``...).
CONTEXT_PASSING = frozenset({"context", "eval_context"})


def _names(node: nodes.Node, ctx: str) -> set[str]:
    return {name.name for name in node.find_all(nodes.Name) if name.ctx == ctx}


class _Reads:
    """What the template holding a reuse tag defines: its macros and imported names."""

    def __init__(self, tree: nodes.Template) -> None:
        self.macros = {macro.name: macro for macro in tree.find_all(nodes.Macro)}
        self.imported: dict[str, bool] = {}  # name: imported with context
        for node in tree.find_all(nodes.FromImport):
            for entry in node.names:
                alias = entry[1] if isinstance(entry, tuple) else entry
                self.imported[alias] = node.with_context
        for node in tree.find_all(nodes.Import):
            self.imported[node.target] = node.with_context


class _BodyCheck:
    """Checks that a body reads only its key (see the module's docstring)."""

    def __init__(self, parser: Parser, lineno: int, defined: _Reads, environment: Any) -> None:
        self.parser = parser
        self.lineno = lineno
        self.defined = defined
        self.environment = environment
        self.settings: set[str] = set()  # the upper-case names read
        self.seen: set[str] = set()  # the macros checked

    def fail(self, message: str) -> None:
        """Refuse the template (TemplateSyntaxError at the tag)."""
        self.parser.fail(f"{TAG}: {message}", self.lineno)

    def reads(self, node: nodes.Node, allowed: set[str]) -> None:
        """Every name ``node`` reads is in ``allowed``, a setting, or a macro that is
        itself allowed; the settings are collected."""
        for refused in REFUSED:
            if any(True for _ in node.find_all(refused)):
                self.fail("no include, import or context inside the body")
        for name, kind in self._passed_context(node):
            self.fail(f"the {kind} {name!r} reads the context; call it outside")
        defined = self.defined
        for name in sorted(_names(node, "load") - allowed):
            if name.isupper():
                self.settings.add(name)
            elif name in defined.imported and not defined.imported[name]:
                continue  # sees only its arguments and the environment's globals
            elif name in defined.macros and name not in defined.imported:
                if name not in self.seen:
                    self.seen.add(name)
                    self.macro(defined.macros[name])
            else:
                self.fail(f"the body reads {name!r}; list it after {TAG}, or pass it in")

    def macro(self, macro: nodes.Macro) -> None:
        """A macro the body calls reads only its arguments (by the same rules)."""
        own = {arg.name for arg in macro.args} | _names(macro, "store")
        self.reads(nodes.Scope(macro.body), own | {"caller", "varargs", "kwargs"})
        for default in macro.defaults:
            self.reads(default, set())

    def _passed_context(self, node: nodes.Node) -> Iterator[tuple[str, str]]:
        for kind, table, node_type in (
            ("filter", self.environment.filters, nodes.Filter),
            ("test", self.environment.tests, nodes.Test),
        ):
            for found in node.find_all(node_type):
                passed = getattr(table.get(found.name), "jinja_pass_arg", None)
                if getattr(passed, "name", None) in CONTEXT_PASSING:
                    yield found.name, kind


class ReuseExtension(Extension):
    """The ``reuse`` tag (see the module's docstring)."""

    tags = {TAG}  # noqa: RUF012 (Jinja's Extension declares it a class attribute)

    def __init__(self, environment: Any) -> None:
        """Attach the tag to ``environment``."""
        super().__init__(environment)
        self._analysing: set[str] = set()  # templates being parsed to check a body

    def parse(self, parser: Parser) -> nodes.Node:
        """``reuse`` name [, name ...], its body, ``endreuse``."""
        lineno = next(parser.stream).lineno
        keys = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endreuse",), drop_needle=True)
        if parser.name in self._analysing:  # the check's own parse of this template
            return nodes.Output([nodes.Const("")], lineno=lineno)
        for key in keys:
            if not isinstance(key, nodes.Name):
                parser.fail(f"{TAG}: list names only, not expressions", lineno)
        settings = sorted(self._check(parser, body, {key.name for key in keys}, lineno))
        key_nodes = [*keys, *(nodes.Name(name, "load") for name in settings)]
        call = self.call_method(
            "_render",
            [nodes.Const(parser.name), nodes.Const(lineno), nodes.Tuple(key_nodes, "load")],
        )
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    # -- the compile-time check -------------------------------------------------------------
    def _check(
        self, parser: Parser, body: list[nodes.Node], keys: set[str], lineno: int
    ) -> set[str]:
        """The upper-case names the body reads; raise when it reads beyond its key."""
        wrapper = nodes.Scope(body)
        if _names(wrapper, "store") or _names(wrapper, "param"):
            parser.fail(f"{TAG}: the body may not set or loop over names", lineno)
        check = _BodyCheck(parser, lineno, self._template_reads(parser, lineno), self.environment)
        check.reads(wrapper, keys)
        return check.settings

    def _template_reads(self, parser: Parser, lineno: int) -> _Reads:
        if parser.name is None or self.environment.loader is None:
            parser.fail(f"{TAG}: only in a template loaded by name", lineno)
        try:
            source = self.environment.loader.get_source(self.environment, parser.name)[0]
        except TemplateNotFound:
            parser.fail(f"{TAG}: only in a template loaded by name", lineno)
        self._analysing.add(parser.name)
        try:
            return _Reads(self.environment.parse(source, parser.name))
        finally:
            self._analysing.discard(parser.name)

    # -- rendering --------------------------------------------------------------------------
    def _render(self, template: str | None, lineno: int, key: tuple[Any, ...], caller: Any) -> str:
        """The body's output for ``key``: kept by `make serve`'s cache, else rendered."""
        cache = build_cache(self.environment)
        return cache.fragment(self.environment, template, (lineno, key), caller)
