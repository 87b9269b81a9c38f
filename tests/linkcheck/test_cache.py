"""The on-disk cache keeps successes only, each for a limited time."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tools.linkcheck.cache import CACHE_FILE, SuccessCache
from tools.linkcheck.model import ExternalResult, Outcome

OK = ExternalResult(
    "https://a.example.org/",
    Outcome.OK,
    "ok (200); moved permanently to https://b.example.org/: update the link",
    status=200,
    final_url="https://b.example.org/",
    permanent_redirect="https://b.example.org/",
)


def test_a_success_survives_a_save_and_a_reload(tmp_path: Path) -> None:
    cache = SuccessCache(tmp_path, 3600)
    cache.put(OK)
    cache.save()
    reloaded = SuccessCache(tmp_path, 3600).get(OK.url)
    assert reloaded is not None and reloaded.cached
    assert (reloaded.outcome, reloaded.status, reloaded.permanent_redirect, reloaded.reason) == (
        Outcome.OK,
        200,
        "https://b.example.org/",
        OK.reason,
    )


def test_failures_are_never_kept_and_remove_an_old_success(tmp_path: Path) -> None:
    cache = SuccessCache(tmp_path, 3600)
    cache.put(OK)
    cache.put(ExternalResult(OK.url, Outcome.BROKEN, "not found (404)", status=404))
    cache.put(ExternalResult("https://c.example.org/", Outcome.UNVERIFIED, "999"))
    cache.save()
    data = json.loads((tmp_path / CACHE_FILE).read_text("utf-8"))
    assert data["entries"] == {}


def test_entries_older_than_the_expiry_are_dropped(tmp_path: Path) -> None:
    cache = SuccessCache(tmp_path, 3600)
    cache.put(OK)
    cache.save()
    data = json.loads((tmp_path / CACHE_FILE).read_text("utf-8"))
    data["entries"][OK.url]["checked_at"] = time.time() - 7200
    (tmp_path / CACHE_FILE).write_text(json.dumps(data), "utf-8")
    assert SuccessCache(tmp_path, 3600).get(OK.url) is None
    assert SuccessCache(tmp_path, 3 * 3600).get(OK.url) is not None


def test_an_unreadable_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_text("{not json", "utf-8")
    cache = SuccessCache(tmp_path, 3600)
    assert len(cache) == 0
    cache.put(OK)
    cache.save()
    assert SuccessCache(tmp_path, 3600).get(OK.url) is not None
    assert [p.name for p in tmp_path.iterdir()] == [CACHE_FILE]  # no temporary files left
