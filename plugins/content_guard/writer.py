"""Pelican's writer, refusing any file that would land outside the output folder.

Pelican's own guard (``sanitised_join``) compares path prefixes, so ``output`` lets
``../output-old/x.html`` through; this one compares whole path parts.

With the setting ``CONTENT_GUARD_CHECK_ONLY`` true (``make check``), the writer checks where
each file would land and writes nothing: pages are neither rendered nor saved. Pelican uses
one writer (it warns and takes the first when two plugins offer one), so the check asks this
one to write nothing rather than offering a second.
"""

from __future__ import annotations

import os
from typing import Any

from pelican.plugins.info_sessions.paths import is_within
from pelican.plugins.info_sessions.problems import ContentError, Problem
from pelican.writers import Writer

# The setting that makes the writer check only (see the module's docstring).
CHECK_ONLY = "CONTENT_GUARD_CHECK_ONLY"


def _check(output: str, name: str) -> None:
    """Raise ContentError when ``name`` would land outside the ``output`` folder."""
    root = os.path.abspath(output)
    target = os.path.abspath(os.path.join(root, name))
    if target == root or not is_within(target, root):
        raise ContentError(
            [
                Problem(
                    "(output)",
                    "(file)",
                    name,
                    "would be written outside the output folder; check the Save_as, Slug "
                    "or *_SAVE_AS setting that names it",
                )
            ]
        )


class ConfinedWriter(Writer):
    """Writes pages and feeds only inside the output folder."""

    @property
    def check_only(self) -> bool:
        """True when nothing is to be written (``CONTENT_GUARD_CHECK_ONLY``)."""
        return bool(self.settings.get(CHECK_ONLY))

    def write_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Pelican's write_file, after checking where ``name`` lands."""
        if name:  # Pelican writes nothing for "" or False
            _check(self.output_path, name)
        if self.check_only:
            return None
        return super().write_file(name, *args, **kwargs)

    def write_feed(
        self, elements: Any, context: Any, path: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        """Pelican's write_feed, after checking where ``path`` lands."""
        if path:
            _check(self.output_path, path)
        if self.check_only:
            return None
        return super().write_feed(elements, context, path, *args, **kwargs)
