"""The live check: each unique external URL once, politely, within a time budget.

Each request has a wall-clock deadline (``timeout``, cut short by the run's ``budget``), and
a watchdog ends the run when the budget is spent even if a check is stuck. Every host, of
the link and of each redirect, is resolved once and every address it has is checked: one
that is not a public internet address (loopback, private, link-local such as the cloud
metadata service, and the like: ``addresses.refusal_reason``) is refused and reported.
"""

from __future__ import annotations

import errno
import http.client
import ipaddress
import logging
import queue
import random
import socket
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

from tools.linkcheck.addresses import (
    IPAddress,
    Resolver,
    refusal_reason,
    resolve,
    system_resolver,
)
from tools.linkcheck.cache import SuccessCache
from tools.linkcheck.config import LiveSettings, netloc_of
from tools.linkcheck.ignore import IgnoreList, local_today
from tools.linkcheck.model import ExternalResult, Outcome, Usage
from tools.linkcheck.transport import Answer
from tools.linkcheck.transport import request as send_request

logger = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, Counter[Outcome]], None]

_BODY_LIMIT = 32_768  # enough of a GET body to recognise a challenge page
_RETRIED = frozenset({429, 503})
_PERMANENT = frozenset({301, 308})
_CHALLENGE_MARKERS = (
    b"just a moment",
    b"challenge-platform",
    b"cf-chl",
    b"captcha",
    b"verify you are human",
    b"are you a robot",
    b"datadome",
    b"perimeterx",
    b"incapsula",
)
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
# How long past the run's budget the watchdog waits for checks already running.
_WATCHDOG_GRACE = 1.0


class _BudgetSpentError(Exception):
    """The run's time budget ran out before this request could start or finish."""


class _RefusedAddressError(Exception):
    """The host resolves to an address the check must not connect to; says which and why."""


class _HostGate:
    """At most ``per_host`` requests in flight to one host, starts ``min_interval`` apart."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self._slots = threading.BoundedSemaphore(per_host)
        self._lock = threading.Lock()
        self._min_interval = min_interval
        self._next_start = 0.0

    @contextmanager
    def slot(self, deadline: float) -> Iterator[None]:
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise _BudgetSpentError
        try:
            # The wait happens under the lock and the next start counts from the moment this
            # one really starts: a thread the system wakes late cannot bunch up with the next.
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                if start >= deadline:
                    raise _BudgetSpentError
                if start > now:
                    time.sleep(start - now)
                self._next_start = time.monotonic() + self._min_interval
            yield
        finally:
            self._slots.release()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def classify_error(error: BaseException, timeout: float) -> tuple[Outcome, str]:
    """The outcome of a request that raised ``error`` instead of answering."""
    if isinstance(error, socket.gaierror):
        if error.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)):
            return Outcome.UNVERIFIED, f"the DNS lookup could not be done right now ({error})"
        return Outcome.BROKEN, "the host name does not resolve (DNS lookup failed)"
    if isinstance(error, ConnectionRefusedError):
        return Outcome.BROKEN, "the server refused the connection"
    if isinstance(error, ssl.SSLCertVerificationError):
        return Outcome.BROKEN, f"the TLS certificate is not valid: {error.verify_message}"
    if isinstance(error, ssl.SSLError):
        return Outcome.BROKEN, f"the TLS handshake failed: {error.reason or error}"
    if isinstance(error, http.client.InvalidURL):
        return Outcome.BROKEN, f"the URL is malformed: {error}"
    if isinstance(error, TimeoutError):
        return Outcome.UNVERIFIED, f"no complete answer within {timeout:g} s"
    if isinstance(error, http.client.HTTPException):
        return Outcome.UNVERIFIED, f"the server's answer was not valid HTTP ({error!r})"
    if isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return Outcome.UNVERIFIED, f"the network is unreachable ({error.strerror})"
    return Outcome.UNVERIFIED, f"the connection failed: {error}"


def _is_challenge(response: Answer) -> bool:
    headers = response.headers
    if headers.get("cf-mitigated", "").lower() == "challenge" or "x-amzn-waf-action" in headers:
        return True
    server = headers.get("server", "").lower()
    if server.startswith(("cloudflare", "ddos-guard")):
        return True
    body = response.body.lower()
    return any(marker in body for marker in _CHALLENGE_MARKERS)


def classify_response(response: Answer) -> tuple[Outcome, str]:
    """The outcome of a final (non-redirect, non-retried) HTTP answer."""
    status = response.status
    if 200 <= status < 300:
        return Outcome.OK, f"ok ({status})"
    if status == 999:
        return Outcome.UNVERIFIED, "the site answers robots with 999 (a bot wall); check by hand"
    if status in (401, 403) and _is_challenge(response):
        return Outcome.UNVERIFIED, f"a bot-protection challenge page ({status}); check by hand"
    if status in _RETRIED:
        return Outcome.UNVERIFIED, f"still {status} {response.reason} after every retry"
    if status == 404:
        return Outcome.BROKEN, "not found (404)"
    if status == 410:
        return Outcome.BROKEN, "gone (410)"
    if 300 <= status < 400:
        return Outcome.BROKEN, f"a {status} redirect without a usable Location header"
    return Outcome.BROKEN, f"the server answered {status} {response.reason}".rstrip()


class LiveChecker:
    """Checks external URLs concurrently, at most ``per_host`` at a time per host."""

    def __init__(
        self,
        settings: LiveSettings,
        *,
        cache: SuccessCache | None = None,
        ignore: IgnoreList | None = None,
        today: date | None = None,
        progress: ProgressFn | None = None,
        resolver: Resolver = system_resolver,
        allowed_local_endpoints: Iterable[tuple[str, int]] = (),
    ) -> None:
        """``resolver`` looks host names up (default: the system's getaddrinfo).
        ``allowed_local_endpoints``: (loopback IP, port) pairs the check may connect to
        although they are not public, for tests that run their own server on 127.0.0.1;
        nothing in linkcheck.toml or the content can set it, and any other loopback port,
        private or link-local address stays refused."""
        self.settings = settings
        self.cache = cache
        self.ignore = ignore or IgnoreList()
        self.today = today or local_today()
        self.progress = progress
        self._resolver = resolver
        self._allowed = frozenset(_loopback_endpoint(*pair) for pair in allowed_local_endpoints)
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()
        self._ssl = ssl.create_default_context()
        self._deadline = 0.0

    def run(self, external: Mapping[str, list[Usage]]) -> list[ExternalResult]:
        """Check every URL in ``external`` (fetch URL -> usages); results sorted by URL."""
        self._deadline = time.monotonic() + self.settings.budget
        results: list[ExternalResult] = []
        pending: list[str] = []
        for url in external:
            result = self._without_network(url, external[url])
            if result is None:
                pending.append(url)
            else:
                results.append(result)
        counts: Counter[Outcome] = Counter(result.outcome for result in results)
        total = len(external)
        self._report(len(results), total, counts)
        for result in self._check_all(_by_host_round_robin(pending)):
            result.usages = list(external[result.url])
            results.append(result)
            counts[result.outcome] += 1
            if self.cache is not None:
                self.cache.put(result)
            self._report(len(results), total, counts)
        if self.cache is not None:
            self.cache.save()
        return sorted(results, key=lambda result: result.url)

    def _check_all(self, urls: list[str]) -> Iterator[ExternalResult]:
        """Check ``urls`` on ``workers`` daemon threads, yielding each result as it comes.

        The watchdog: once the budget (and a short grace) is spent, every URL not finished
        is yielded as unverified and the run goes on without waiting; the threads are
        daemons, so a check stuck somewhere cannot keep the process alive either.
        """
        if not urls:
            return
        tasks: queue.SimpleQueue[str] = queue.SimpleQueue()
        for url in urls:
            tasks.put(url)
        finished: queue.SimpleQueue[ExternalResult] = queue.SimpleQueue()
        for number in range(min(self.settings.workers, len(urls))):
            threading.Thread(
                target=self._work, args=(tasks, finished), name=f"linkcheck-{number}", daemon=True
            ).start()
        unfinished = set(urls)
        while unfinished:
            wait = self._deadline + _WATCHDOG_GRACE - time.monotonic()
            try:
                result = finished.get(timeout=max(0.0, wait))
            except queue.Empty:
                break
            if result.url in unfinished:
                unfinished.discard(result.url)
                yield result
        for url in sorted(unfinished):
            yield ExternalResult(
                url,
                Outcome.UNVERIFIED,
                f"not finished when the run's time budget of {self.settings.budget:g} s ran "
                "out; the run stopped waiting for it",
            )

    def _work(
        self, tasks: queue.SimpleQueue[str], finished: queue.SimpleQueue[ExternalResult]
    ) -> None:
        """One worker thread: check URLs from ``tasks`` until none is left."""
        while True:
            try:
                url = tasks.get_nowait()
            except queue.Empty:
                return
            try:
                result = self.check(url)
            except Exception as error:  # one odd URL must not end the whole run
                logger.exception("checking %s failed", url)
                reason = f"the checker failed on this URL: {error!r}"
                result = ExternalResult(url, Outcome.UNVERIFIED, reason)
            finished.put(result)

    def _report(self, done: int, total: int, counts: Counter[Outcome]) -> None:
        if self.progress is not None:
            self.progress(done, total, counts)

    def _without_network(self, url: str, usages: list[Usage]) -> ExternalResult | None:
        """The verdict from the ignore list or the cache, if either has one."""
        for candidate in (url, *(usage.url for usage in usages)):
            entry = self.ignore.match(candidate, self.today)
            if entry is not None:
                return ExternalResult(
                    url, Outcome.IGNORED, f"ignored: {entry.reason}", usages=list(usages)
                )
        cached = self.cache.get(url) if self.cache is not None else None
        if cached is not None:
            cached.usages = list(usages)
        return cached

    def check(self, url: str) -> ExternalResult:
        """Check one URL: redirects followed, 429/503 retried as the server asks."""
        settings = self.settings
        for attempt in range(settings.max_retries + 1):
            try:
                response, final_url, permanent = self._follow(url)
            except _BudgetSpentError:
                return ExternalResult(
                    url,
                    Outcome.UNVERIFIED,
                    f"not checked: the run's time budget of {settings.budget:g} s ran out",
                )
            except (_TooManyRedirectsError, _RefusedAddressError) as error:
                return ExternalResult(url, Outcome.BROKEN, str(error))
            except (OSError, http.client.HTTPException) as error:
                outcome, reason = classify_error(error, settings.timeout)
                return ExternalResult(url, outcome, reason)
            if response.status not in _RETRIED or attempt == settings.max_retries:
                break
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is None:
                wait = settings.backoff * 2**attempt
            if wait > settings.max_retry_wait:
                return ExternalResult(
                    url,
                    Outcome.UNVERIFIED,
                    f"rate limited ({response.status}): the server asks us to wait {wait:g} s, "
                    f"more than the {settings.max_retry_wait:g} s we wait",
                    status=response.status,
                )
            wait += random.uniform(0, min(1.0, wait / 10))  # jitter, so retries do not align
            if time.monotonic() + wait >= self._deadline:
                return ExternalResult(
                    url,
                    Outcome.UNVERIFIED,
                    f"rate limited ({response.status}) beyond the run's time budget",
                    status=response.status,
                )
            logger.debug("%s: %s, retrying in %.2f s", url, response.status, wait)
            time.sleep(wait)
        outcome, reason = classify_response(response)
        if permanent and outcome is Outcome.OK:
            reason = f"{reason}; moved permanently to {permanent}: update the link"
        return ExternalResult(
            url,
            outcome,
            reason,
            status=response.status,
            final_url=final_url if final_url != url else None,
            permanent_redirect=permanent,
        )

    def _follow(self, url: str) -> tuple[Answer, str, str | None]:
        """Request ``url``, following redirects; returns (answer, final URL, permanent target)."""
        current, permanent, all_permanent = url, None, True
        came_from: str | None = None
        for _ in range(self.settings.max_redirects + 1):
            response = self._head_then_get(current, came_from)
            location = response.headers.get("location")
            if not (300 <= response.status < 400 and response.status != 304 and location):
                return response, current, permanent
            following = urljoin(current, location.strip())
            all_permanent = all_permanent and response.status in _PERMANENT
            if all_permanent:
                permanent = following
            came_from, current = current, following
        raise _TooManyRedirectsError(
            f"more than {self.settings.max_redirects} redirects (a redirect loop?)"
        )

    def _head_then_get(self, url: str, came_from: str | None) -> Answer:
        """HEAD first; GET when HEAD fails, since many servers mishandle HEAD."""
        try:
            response = self._request("HEAD", url, came_from)
        except (ConnectionResetError, http.client.RemoteDisconnected, http.client.BadStatusLine):
            return self._request("GET", url, came_from)
        if response.status >= 400 and response.status not in _RETRIED:
            return self._request("GET", url, came_from)
        return response

    def _gate(self, host: str) -> _HostGate:
        with self._gates_lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = _HostGate(self.settings.per_host, self.settings.min_interval)
                self._gates[host] = gate
            return gate

    def _request(self, method: str, url: str, came_from: str | None = None) -> Answer:
        parts = urlsplit(url)
        try:
            port = parts.port
            host = (parts.hostname or "").encode("idna").decode("ascii")
        except ValueError as error:  # a bad port, or a host name IDNA cannot encode
            raise http.client.InvalidURL(f"{url!r}: {error}") from error
        if parts.scheme not in ("http", "https") or not host:
            raise http.client.InvalidURL(f"cannot request {url!r}")
        port = port or (443 if parts.scheme == "https" else 80)
        target = quote(parts.path or "/", safe=_SAFE_PATH)
        if parts.query:
            target += "?" + quote(parts.query, safe=_SAFE_PATH + "?=&")
        with self._gate(netloc_of(parts.scheme, parts.netloc)).slot(self._deadline):
            started = time.monotonic()
            deadline = min(started + self.settings.timeout, self._deadline)
            if deadline <= started:
                raise _BudgetSpentError
            try:
                addresses = resolve(host, port, deadline, self._resolver)
                for address in addresses:
                    self._refuse_unless_public(address.ip, port, url, came_from)
                return send_request(
                    method,
                    host,
                    port,
                    target,
                    addresses=addresses,
                    deadline=deadline,
                    headers={
                        "User-Agent": self.settings.user_agent,
                        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                        "Accept-Encoding": "identity",
                        "Connection": "close",
                    },
                    tls=self._ssl if parts.scheme == "https" else None,
                    body_limit=_BODY_LIMIT,
                )
            except TimeoutError as error:  # DeadlineError, a socket or DNS timeout
                if deadline < started + self.settings.timeout:  # cut short by the budget
                    raise _BudgetSpentError from error
                raise

    def _refuse_unless_public(
        self, ip: IPAddress, port: int, url: str, came_from: str | None
    ) -> None:
        """Raise _RefusedAddressError when ``ip`` is not a public internet address."""
        reason = refusal_reason(ip)
        if reason is None or (str(ip), port) in self._allowed:
            return
        host = urlsplit(url).hostname
        how = f"a redirect from {came_from} leads to {url}" if came_from else "the link"
        where = f"{host} is {ip}" if _is_ip_literal(host) else f"{host} resolves to {ip}"
        raise _RefusedAddressError(
            f"refused: {how}, and {where}, {reason}, not a public internet address; it was "
            "not requested (a public page must not lead into a private network)"
        )


def _is_ip_literal(host: str | None) -> bool:
    try:
        ipaddress.ip_address(host or "")
    except ValueError:
        return False
    return True


def _loopback_endpoint(address: str, port: int) -> tuple[str, int]:
    """(address, port) normalised; only loopback addresses may be allowed (tests)."""
    ip = ipaddress.ip_address(address)
    if not ip.is_loopback:
        raise ValueError(f"only loopback addresses can be allowed, not {address!r}")
    return str(ip), int(port)


class _TooManyRedirectsError(Exception):
    """The redirect chain is longer than allowed."""


def _by_host_round_robin(urls: list[str]) -> list[str]:
    """Interleave URLs by host, so workers spread over hosts instead of queueing on one."""
    by_host: dict[str, list[str]] = {}
    for url in sorted(urls):
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    queues = list(by_host.values())
    ordered: list[str] = []
    while queues:
        ordered.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    return ordered
