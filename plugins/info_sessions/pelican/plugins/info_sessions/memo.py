"""Work kept between the builds of one process, so that `make serve` re-checks only the
session files that changed.

A build without ``INFO_SESSIONS_MEMO`` gets a new, empty memo and keeps nothing; the dev
server passes one ``SessionMemo`` to every rebuild. A file is checked again whenever its
bytes or the plugin settings that checking reads differ from the last time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from .reuse import Reuse
from .settings import SessionSettings
from .validation import Checked
from .vtimezone import ZoneTransitions


def stable_text(value: Any) -> str:
    """A repr that is the same in every process for equal settings (no memory addresses)."""
    if isinstance(value, Mapping):
        items = sorted((stable_text(k), stable_text(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        parts = [stable_text(item) for item in value]
        return "[" + ", ".join(sorted(parts) if isinstance(value, set | frozenset) else parts) + "]"
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    configs = getattr(value, "getConfigs", None)  # Markdown extension objects
    if callable(configs):
        return f"{kind}({stable_text(configs())})"
    text = repr(value)  # dates, zones, paths; not functions or objects named by address
    return text if " at 0x" not in text else f"{kind}()"


def settings_fingerprint(config: SessionSettings) -> str:
    """Every plugin setting, as text; a checked file is reused only under the same one."""
    return stable_text({field.name: getattr(config, field.name) for field in fields(config)})


class SessionMemo:
    """Checked session files, and values derived from them, from earlier builds."""

    def __init__(self) -> None:
        self._checked: dict[str, tuple[bytes, str, Checked]] = {}
        self.derived = Reuse()
        self.zones = ZoneTransitions()
        self.pages = Reuse()  # session pages' HTML (pagecache.ReusedPage)
        self.pages_rendered = 0  # in the last build: session pages rendered, not reused
        self.pages_written = 0  # in the last build: session pages written

    def next_build(self) -> None:
        """Called once at the start of every build."""
        self.derived.next_build()
        self.pages.next_build()
        self.pages_rendered = self.pages_written = 0

    def checked(
        self, path: str, data: bytes, fingerprint: str, check: Callable[[], Checked]
    ) -> Checked:
        """The result of ``check()`` for this file, reused while its bytes and the settings
        stay the same."""
        kept = self._checked.get(path)
        if kept is None or kept[0] != data or kept[1] != fingerprint:
            kept = (data, fingerprint, check())
            self._checked[path] = kept
        return kept[2]

    def keep_only(self, paths: set[str]) -> None:
        """Forget files not in this build, so that a long `make serve` does not grow."""
        for name in set(self._checked) - paths:
            del self._checked[name]
