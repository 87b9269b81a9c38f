"""Fixtures for the link checker: the fixture sites and a local HTTP server to check live."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tools.linkcheck.config import LiveSettings, SiteConfig
from tools.linkcheck.external import LiveChecker

DATA = Path(__file__).resolve().parent.parent / "data" / "linkcheck"
# The fixture sites are "published" at PUBLISHED and built for local use at DEV; links that
# start with either are internal.
PUBLISHED = "https://hq.example.org"
DEV = "http://127.0.0.1:8000"


FixtureSite = Callable[[str], tuple[Path, SiteConfig]]


@pytest.fixture
def fixture_site() -> FixtureSite:
    """``fixture_site(name)`` -> (output folder, SiteConfig) of tests/data/linkcheck/<name>."""

    def _site(name: str) -> tuple[Path, SiteConfig]:
        root = DATA / name
        config = SiteConfig.from_urls(PUBLISHED, DEV, project_root=root, root_url=PUBLISHED)
        return root / "output", config

    return _site


@dataclass
class Hit:
    """One request the test server received."""

    method: str
    path: str
    user_agent: str
    started: float
    ended: float = 0.0


@dataclass
class ServerState:
    """What the test server saw; tests assert on it."""

    hits: list[Hit] = field(default_factory=list)
    per_path: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def hits_for(self, path: str) -> list[Hit]:
        """Requests for ``path``, in arrival order."""
        with self.lock:
            return [hit for hit in self.hits if hit.path == path]


class _Handler(BaseHTTPRequestHandler):
    """Serves one canned answer per path (see ``_answer``)."""

    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_HEAD(self) -> None:
        """Answer a HEAD request."""
        self._serve("HEAD")

    def do_GET(self) -> None:
        """Answer a GET request."""
        self._serve("GET")

    def _serve(self, method: str) -> None:
        state = self.server.state
        hit = Hit(method, self.path, self.headers.get("User-Agent", ""), time.monotonic())
        with state.lock:
            state.hits.append(hit)
            state.per_path[self.path] += 1
            count = state.per_path[self.path]
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            status, headers, body = self._answer(method, count)
            self.send_response(status, "Bot wall" if status == 999 else None)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if method == "GET":
                self.wfile.write(body)
        finally:
            with state.lock:
                state.in_flight -= 1
                hit.ended = time.monotonic()

    def _answer(self, method: str, count: int) -> tuple[int, dict[str, str], bytes]:
        state = self.server.state
        page = b"<!doctype html><title>Test</title><p>Hello</p>"
        path = self.path
        if path in ("/ok", "/ok?query=1"):
            return 200, {"Content-Type": "text/html"}, page
        if path == "/moved":
            return 301, {"Location": "/ok"}, b""
        if path == "/moved-twice":
            return 308, {"Location": "/moved"}, b""
        if path == "/found":
            return 302, {"Location": "/ok"}, b""
        if path == "/loop":
            return 301, {"Location": "/loop"}, b""
        if path == "/missing":
            return 404, {}, b"not found"
        if path == "/gone":
            return 410, {}, b"gone"
        if path == "/error":
            return 500, {}, b"oops"
        if path == "/bot-wall":
            return 999, {}, b""
        if path == "/challenge":
            headers = {"cf-mitigated": "challenge", "Content-Type": "text/html"}
            return 403, headers, b"<title>Just a moment...</title>"
        if path == "/forbidden":
            return 403, {"Content-Type": "text/plain"}, b"Forbidden"
        if path == "/head-not-allowed":
            return (405, {"Allow": "GET"}, b"") if method == "HEAD" else (200, {}, page)
        if path == "/limited":  # 429 once, asking for a one-second pause, then fine
            return (429, {"Retry-After": "1"}, b"") if count == 1 else (200, {}, page)
        if path == "/limited-long":
            return 429, {"Retry-After": "120"}, b""
        if path == "/unavailable":  # 503 once without Retry-After, then fine
            return (503, {}, b"") if count == 1 else (200, {}, page)
        if path.startswith("/busy"):  # takes a moment, to observe concurrency
            time.sleep(0.15)
            return 200, {}, page
        if path.startswith("/slow"):  # answers only when the test ends (or after 5 s)
            state.release.wait(5)
            return 200, {}, page
        return 404, {}, b"unknown test path"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: ServerState


@dataclass
class TestServer:
    """A running local server: ``url(path)`` and what it ``state``-recorded."""

    __test__ = False  # not a test class, although its name starts with Test

    base: str
    state: ServerState

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on this server."""
        return f"{self.base}{path}"

    @property
    def endpoint(self) -> tuple[str, int]:
        """(address, port) of this server on the loopback interface."""
        host, _, port = self.base.removeprefix("http://").rpartition(":")
        return host, int(port)

    def checker(self, settings: LiveSettings, **options: Any) -> LiveChecker:
        """A live checker that may connect to this server (loopback is otherwise refused)."""
        return LiveChecker(settings, allowed_local_endpoints=[self.endpoint], **options)


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """A local HTTP server on 127.0.0.1 (ephemeral port) with canned answers per path."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = ServerState()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield TestServer(f"http://{host}:{port}", server.state)
    finally:
        server.state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def fast_settings() -> LiveSettings:
    """Live-check settings with budgets shortened for tests."""
    return LiveSettings(
        timeout=0.5,
        budget=10.0,
        per_host=2,
        min_interval=0.0,
        workers=4,
        max_retries=2,
        max_retry_wait=2.0,
        backoff=0.2,
        cache_days=1.0,
        user_agent="HealthcareQualityProgramsLinkCheck/test",
    )
