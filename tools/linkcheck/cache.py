"""A persistent cache of external URLs that answered well, so re-runs stay polite and fast."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tools.linkcheck.model import ExternalResult, Outcome

logger = logging.getLogger(__name__)

CACHE_FILE = "external.json"
_VERSION = 1


class SuccessCache:
    """Successes only, each trusted for ``max_age`` seconds; failures are always re-checked."""

    def __init__(
        self, folder: Path, max_age: float, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = folder / CACHE_FILE
        self.max_age = max_age
        self._clock = clock
        self._entries: dict[str, dict[str, object]] = {}
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            logger.warning("ignoring the unreadable link cache %s: %s", self.path, error)
            return
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            logger.warning("ignoring the link cache %s: unknown format", self.path)
            return
        now = self._clock()
        entries = data.get("entries", {})
        if isinstance(entries, dict):
            self._entries = {
                url: entry
                for url, entry in entries.items()
                if isinstance(entry, dict) and self._fresh(entry, now)
            }

    def _fresh(self, entry: dict[str, object], now: float) -> bool:
        checked = entry.get("checked_at")
        return isinstance(checked, int | float) and 0 <= now - checked <= self.max_age

    def get(self, url: str) -> ExternalResult | None:
        """The cached success for ``url`` if it has not expired, marked ``cached``."""
        entry = self._entries.get(url)
        if entry is None or not self._fresh(entry, self._clock()):
            return None
        status = entry.get("status")
        final_url = entry.get("final_url")
        redirect = entry.get("permanent_redirect")
        return ExternalResult(
            url=url,
            outcome=Outcome.OK,
            reason=str(entry.get("reason") or "ok"),
            status=status if isinstance(status, int) else None,
            final_url=final_url if isinstance(final_url, str) else None,
            permanent_redirect=redirect if isinstance(redirect, str) else None,
            cached=True,
        )

    def put(self, result: ExternalResult) -> None:
        """Remember ``result`` if it is a fresh success; anything else is not kept."""
        if result.outcome is not Outcome.OK or result.cached:
            if result.outcome is not Outcome.OK:
                self._entries.pop(result.url, None)
            return
        self._entries[result.url] = {
            "checked_at": self._clock(),
            "status": result.status,
            "reason": result.reason,
            "final_url": result.final_url,
            "permanent_redirect": result.permanent_redirect,
        }

    def __len__(self) -> int:
        return len(self._entries)

    def save(self) -> None:
        """Write the cache atomically (a crash never leaves half a file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": _VERSION, "entries": dict(sorted(self._entries.items()))}
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".external-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(payload, file, indent=1)
                file.write("\n")
            Path(temporary).replace(self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
