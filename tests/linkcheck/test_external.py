"""The live check, against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import dataclasses
import itertools
import socket
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.linkcheck.conftest import TestServer
from tools.linkcheck.cache import SuccessCache
from tools.linkcheck.config import LiveSettings
from tools.linkcheck.external import LiveChecker, classify_error, retry_after_seconds
from tools.linkcheck.ignore import IgnoreList
from tools.linkcheck.model import ExternalResult, Outcome, Usage


def _run(checker: LiveChecker, *urls: str) -> dict[str, ExternalResult]:
    usages = {url: [Usage("index.html", 7, url)] for url in urls}
    return {result.url: result for result in checker.run(usages)}


def _check(server: TestServer, settings: LiveSettings, url: str) -> ExternalResult:
    return _run(server.checker(settings), url)[url]


@pytest.mark.parametrize(
    ("path", "outcome", "status", "reason"),
    [
        ("/ok", Outcome.OK, 200, "ok (200)"),
        ("/ok?query=1", Outcome.OK, 200, "ok (200)"),
        ("/found", Outcome.OK, 200, "ok (200)"),
        ("/head-not-allowed", Outcome.OK, 200, "ok (200)"),
        ("/missing", Outcome.BROKEN, 404, "not found (404)"),
        ("/gone", Outcome.BROKEN, 410, "gone (410)"),
        ("/error", Outcome.BROKEN, 500, "the server answered 500 Internal Server Error"),
        ("/forbidden", Outcome.BROKEN, 403, "the server answered 403 Forbidden"),
        ("/bot-wall", Outcome.UNVERIFIED, 999, "a bot wall"),
        ("/challenge", Outcome.UNVERIFIED, 403, "bot-protection challenge"),
        ("/loop", Outcome.BROKEN, None, "more than 10 redirects"),
        ("/slow", Outcome.UNVERIFIED, None, "no complete answer within 0.5 s"),
    ],
)
def test_each_answer_has_its_outcome(
    http_server, fast_settings: LiveSettings, path: str, outcome: Outcome, status, reason: str
) -> None:
    result = _check(http_server, fast_settings, http_server.url(path))
    assert (result.outcome, result.status) == (outcome, status)
    assert reason in result.reason
    assert result.usages == [Usage("index.html", 7, http_server.url(path))]


def test_a_permanent_redirect_is_followed_and_reported(http_server, fast_settings) -> None:
    result = _check(http_server, fast_settings, http_server.url("/moved-twice"))
    assert result.outcome is Outcome.OK
    assert result.permanent_redirect == http_server.url("/ok")
    assert result.final_url == http_server.url("/ok")
    assert "moved permanently" in result.reason


def test_a_temporary_redirect_is_followed_but_not_reported(http_server, fast_settings) -> None:
    result = _check(http_server, fast_settings, http_server.url("/found"))
    assert (result.outcome, result.permanent_redirect) == (Outcome.OK, None)
    assert result.final_url == http_server.url("/ok")


def test_head_first_then_get_when_head_fails(http_server, fast_settings) -> None:
    _check(http_server, fast_settings, http_server.url("/head-not-allowed"))
    _check(http_server, fast_settings, http_server.url("/ok"))
    methods = [hit.method for hit in http_server.state.hits_for("/head-not-allowed")]
    assert methods == ["HEAD", "GET"]
    assert [hit.method for hit in http_server.state.hits_for("/ok")] == ["HEAD"]


def test_an_honest_user_agent_on_every_request(http_server, fast_settings) -> None:
    checker = http_server.checker(fast_settings)
    _run(checker, *(http_server.url(path) for path in ("/ok", "/moved", "/missing")))
    agents = {hit.user_agent for hit in http_server.state.hits}
    assert agents == {"HealthcareQualityProgramsLinkCheck/test"}
    assert "LinkCheck" in LiveSettings().user_agent


def test_429_waits_as_long_as_retry_after_asks_then_succeeds(http_server, fast_settings) -> None:
    result = _check(http_server, fast_settings, http_server.url("/limited"))
    assert (result.outcome, result.status) == (Outcome.OK, 200)
    first, second = http_server.state.hits_for("/limited")
    assert second.started - first.started >= 1.0  # Retry-After: 1


def test_a_retry_after_longer_than_the_cap_is_unverified_at_once(
    http_server, fast_settings
) -> None:
    started = time.monotonic()
    result = _check(http_server, fast_settings, http_server.url("/limited-long"))
    assert time.monotonic() - started < 1.0
    assert (result.outcome, result.status) == (Outcome.UNVERIFIED, 429)
    assert "wait 120 s, more than the 2 s" in result.reason
    assert len(http_server.state.hits_for("/limited-long")) == 1


def test_503_without_retry_after_backs_off_then_succeeds(http_server, fast_settings) -> None:
    result = _check(http_server, fast_settings, http_server.url("/unavailable"))
    assert result.outcome is Outcome.OK
    first, second = http_server.state.hits_for("/unavailable")
    assert second.started - first.started >= fast_settings.backoff


def test_rate_limits_outlasting_the_retries_are_unverified(http_server, fast_settings) -> None:
    settings = dataclasses.replace(fast_settings, max_retries=0)
    result = _check(http_server, settings, http_server.url("/limited"))
    assert (result.outcome, result.status) == (Outcome.UNVERIFIED, 429)
    assert "after every retry" in result.reason


def test_at_most_two_requests_in_flight_per_host_spaced_apart(http_server, fast_settings) -> None:
    settings = dataclasses.replace(fast_settings, workers=8, per_host=2, min_interval=0.1)
    urls = [http_server.url(f"/busy/{number}") for number in range(8)]
    results = _run(http_server.checker(settings), *urls)
    assert {result.outcome for result in results.values()} == {Outcome.OK}
    state = http_server.state
    assert state.max_in_flight == 2  # concurrent, and never more than two
    starts = sorted(hit.started for hit in state.hits)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= 0.05  # 0.1 s apart when sent; arrival adds jitter on a busy machine


def test_the_run_budget_stops_a_hanging_run(http_server, fast_settings) -> None:
    settings = dataclasses.replace(fast_settings, timeout=5.0, budget=0.6, workers=2)
    urls = [http_server.url(f"/slow/{number}") for number in range(6)]
    started = time.monotonic()
    results = _run(http_server.checker(settings), *urls)
    assert time.monotonic() - started < 2.0
    assert {result.outcome for result in results.values()} == {Outcome.UNVERIFIED}
    reasons = Counter(result.reason for result in results.values())
    assert reasons == {"not checked: the run's time budget of 0.6 s ran out": 6}


def test_a_refused_connection_is_broken(fast_settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    checker = LiveChecker(fast_settings, allowed_local_endpoints=[("127.0.0.1", port)])
    result = _run(checker, f"http://127.0.0.1:{port}/")[f"http://127.0.0.1:{port}/"]
    assert (result.outcome, result.reason) == (Outcome.BROKEN, "the server refused the connection")


def test_dns_failures_are_broken_unless_the_resolver_is_unavailable() -> None:
    no_name = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert classify_error(no_name, 5)[0] is Outcome.BROKEN
    try_again = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    assert classify_error(try_again, 5)[0] is Outcome.UNVERIFIED
    assert classify_error(TimeoutError(), 5) == (
        Outcome.UNVERIFIED,
        "no complete answer within 5 s",
    )


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_successes_are_cached_and_failures_rechecked(
    http_server, fast_settings, tmp_path: Path
) -> None:
    ok, missing = http_server.url("/ok"), http_server.url("/missing")
    first = _run(
        http_server.checker(fast_settings, cache=SuccessCache(tmp_path, 3600)), ok, missing
    )
    assert not first[ok].cached
    second = _run(
        http_server.checker(fast_settings, cache=SuccessCache(tmp_path, 3600)), ok, missing
    )
    assert second[ok].cached and second[ok].outcome is Outcome.OK
    assert second[ok].usages == [Usage("index.html", 7, ok)]
    assert second[missing].outcome is Outcome.BROKEN and not second[missing].cached
    assert len(http_server.state.hits_for("/ok")) == 1
    assert len(http_server.state.hits_for("/missing")) == 4  # HEAD + GET, twice


def test_expired_cache_entries_are_checked_again(http_server, fast_settings, tmp_path) -> None:
    ok = http_server.url("/ok")
    _run(http_server.checker(fast_settings, cache=SuccessCache(tmp_path, 3600)), ok)
    time.sleep(0.05)
    again = _run(http_server.checker(fast_settings, cache=SuccessCache(tmp_path, 0.01)), ok)
    assert not again[ok].cached
    assert len(http_server.state.hits_for("/ok")) == 2


def test_ignored_urls_are_not_requested(http_server, fast_settings) -> None:
    ignore = IgnoreList.from_entries(
        [{"pattern": r"/bot-wall$", "reason": "LinkedIn-style wall; checked by hand"}]
    )
    checker = http_server.checker(fast_settings, ignore=ignore, today=date(2026, 11, 23))
    result = _run(checker, http_server.url("/bot-wall"))[http_server.url("/bot-wall")]
    assert (result.outcome, result.reason) == (
        Outcome.IGNORED,
        "ignored: LinkedIn-style wall; checked by hand",
    )
    assert http_server.state.hits == []


def test_an_expired_ignore_entry_no_longer_applies(http_server, fast_settings) -> None:
    ignore = IgnoreList.from_entries(
        [{"url": http_server.url("/missing"), "reason": "moving", "expires": date(2026, 1, 1)}]
    )
    checker = http_server.checker(fast_settings, ignore=ignore, today=date(2026, 11, 23))
    result = _run(checker, http_server.url("/missing"))[http_server.url("/missing")]
    assert result.outcome is Outcome.BROKEN


def test_progress_is_reported_up_to_the_total(http_server, fast_settings) -> None:
    seen: list[tuple[int, int, int]] = []
    checker = http_server.checker(
        fast_settings,
        progress=lambda done, total, counts: seen.append((done, total, counts[Outcome.BROKEN])),
    )
    _run(checker, http_server.url("/ok"), http_server.url("/missing"), http_server.url("/gone"))
    assert seen[0] == (0, 3, 0)
    assert seen[-1] == (3, 3, 2)
    assert [done for done, _, _ in seen] == [0, 1, 2, 3]


@pytest.mark.parametrize("url", ["http://127.0.0.1:notaport/", f"https://{'x' * 70}.example.org/"])
def test_a_malformed_url_is_broken_and_the_run_goes_on(http_server, fast_settings, url) -> None:
    results = _run(http_server.checker(fast_settings), url, http_server.url("/ok"))
    assert results[url].outcome is Outcome.BROKEN
    assert results[url].reason.startswith("the URL is malformed")
    assert results[http_server.url("/ok")].outcome is Outcome.OK
