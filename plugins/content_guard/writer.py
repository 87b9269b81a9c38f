"""Pelican's writer, refusing any file that would land outside the output folder.

Pelican's own guard (``sanitised_join``) compares path prefixes, so ``output`` lets
``../output-old/x.html`` through; this one compares whole path parts.
"""

from __future__ import annotations

import os
from typing import Any

from pelican.writers import Writer

from content_guard.paths import is_within
from content_guard.problems import ContentGuardError, ContentProblem


def _check(output: str, name: str) -> None:
    root = os.path.abspath(output)
    target = os.path.abspath(os.path.join(root, name))
    if target == root or not is_within(target, root):
        raise ContentGuardError(
            [
                ContentProblem(
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

    def write_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Pelican's write_file, after checking where ``name`` lands."""
        if name:  # Pelican writes nothing for "" or False
            _check(self.output_path, name)
        return super().write_file(name, *args, **kwargs)

    def write_feed(
        self, elements: Any, context: Any, path: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        """Pelican's write_feed, after checking where ``path`` lands."""
        if path:
            _check(self.output_path, path)
        return super().write_feed(elements, context, path, *args, **kwargs)
