"""Values of pure functions kept from one build to the next (see memo.SessionMemo)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Reuse:
    """Values of pure functions, kept for the build that computed them and the next one."""

    def __init__(self) -> None:
        self._last: dict[Hashable, Any] = {}
        self._now: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``: from this build, else from the last, else ``compute()``."""
        if key not in self._now:
            self._now[key] = self._last[key] if key in self._last else compute()
        return self._now[key]

    def next_build(self) -> None:
        """Start a build: keep what the last one used, drop the rest."""
        self._last, self._now = self._now, {}
