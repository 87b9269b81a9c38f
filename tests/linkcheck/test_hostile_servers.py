"""The live check against hostile servers started here on 127.0.0.1: one that drips its
answer a byte at a time (a wall-clock deadline cuts it), redirects into this machine, the
local network or the cloud metadata address (refused before connecting), and host names
whose address could change between two lookups (the checked address is the one used).

A guard fails the test, instead of sending anything, if the checker ever tries to connect
to an address off the loopback interface.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tools.linkcheck.addresses import refusal_reason
from tools.linkcheck.config import ConfigError, LiveSettings, load_config
from tools.linkcheck.external import LiveChecker
from tools.linkcheck.model import ExternalResult, Outcome, Usage

SETTINGS = LiveSettings(
    timeout=1.0,
    budget=20.0,
    per_host=4,
    min_interval=0.0,
    workers=4,
    max_retries=0,
    max_retry_wait=1.0,
    backoff=0.1,
    cache_days=1.0,
    user_agent="HealthcareQualityProgramsLinkCheck/test",
)


def _run(checker: LiveChecker, *urls: str) -> dict[str, ExternalResult]:
    usages = {url: [Usage("index.html", 1, url)] for url in urls}
    return {result.url: result for result in checker.run(usages)}


@pytest.fixture(autouse=True)
def only_loopback_traffic(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every connect the checker makes must go to a loopback address; others are stopped
    here (and fail the test) so that a regression never sends traffic off this machine."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        try:
            loopback = ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: no connection to {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert attempts == [], f"the checker tried to connect off loopback: {attempts}"


# -- a server that drips its answer -------------------------------------------------------


@dataclass
class Drip:
    """A raw TCP server on 127.0.0.1 that sends each answer ``gap`` seconds per byte."""

    phase: str  # "status": all of it dripped; "headers": after the status line; "body"
    gap: float = 0.2
    stop: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    requests: int = 0

    def answer(self, method: str) -> tuple[bytes, bytes]:
        """(sent at once, dripped) for one request."""
        body = b"<!doctype html><title>ok</title>"
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        whole = head.encode() + (body if method == "GET" else b"")
        if self.phase == "status":
            return b"", whole
        if self.phase == "headers":
            return b"HTTP/1.1 200 OK\r\n", whole.split(b"\r\n", 1)[1]
        if method == "HEAD":  # so that the checker sends a GET, whose body drips
            return b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n", b""
        return head.encode(), body * 4

    def serve(self, listener: socket.socket) -> None:
        listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._talk, args=(client,), daemon=True).start()

    def _talk(self, client: socket.socket) -> None:
        with client:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            self.requests += 1
            method = request.split(b" ", 1)[0].decode()
            at_once, dripped = self.answer(method)
            try:
                client.sendall(at_once)
                for byte in dripped:  # bounded: the answer is short
                    if self.stop.wait(self.gap):
                        return
                    client.sendall(bytes([byte]))
            except OSError:  # the checker hung up, as it should
                return


@pytest.fixture
def drip(request: pytest.FixtureRequest) -> Iterator[Drip]:
    server = Drip(phase=request.param)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    server.port = listener.getsockname()[1]
    thread = threading.Thread(target=server.serve, args=(listener,), daemon=True)
    thread.start()
    yield server
    server.stop.set()
    thread.join(5)
    listener.close()


@pytest.mark.parametrize("drip", ["status", "headers", "body"], indirect=True)
def test_an_answer_dripped_a_byte_at_a_time_is_cut_at_the_deadline(drip: Drip) -> None:
    """Each byte comes well within the 1 s timeout, so timeouts per read never fire; the
    whole answer would take over 6 s. It must be cut at 1 s and never count as ok."""
    url = f"http://127.0.0.1:{drip.port}/page"
    checker = LiveChecker(SETTINGS, allowed_local_endpoints=[("127.0.0.1", drip.port)])
    started = time.monotonic()
    result = _run(checker, url)[url]
    took = time.monotonic() - started
    assert (result.outcome, result.reason) == (
        Outcome.UNVERIFIED,
        "no complete answer within 1 s",
    )
    assert took < 2.5, f"the request took {took:.1f} s"


@pytest.mark.parametrize("drip", ["status"], indirect=True)
def test_the_run_budget_cuts_dripping_requests_whose_timeout_is_longer(drip: Drip) -> None:
    settings = dataclasses.replace(SETTINGS, timeout=30.0, budget=1.5)
    urls = [f"http://127.0.0.1:{drip.port}/{number}" for number in range(4)]
    checker = LiveChecker(settings, allowed_local_endpoints=[("127.0.0.1", drip.port)])
    started = time.monotonic()
    results = _run(checker, *urls)
    took = time.monotonic() - started
    assert {r.reason for r in results.values()} == {
        "not checked: the run's time budget of 1.5 s ran out"
    }
    assert {r.outcome for r in results.values()} == {Outcome.UNVERIFIED}
    assert took < 3.0, f"the run took {took:.1f} s"


class _StuckChecker(LiveChecker):
    """A check that hangs outside any request (as a bug in our code could)."""

    release = threading.Event()

    def check(self, url: str) -> ExternalResult:
        self.release.wait(30)
        return ExternalResult(url, Outcome.OK, "too late")


def test_the_watchdog_ends_the_run_when_a_check_hangs() -> None:
    settings = dataclasses.replace(SETTINGS, budget=0.5)
    started = time.monotonic()
    try:
        results = _run(_StuckChecker(settings), "https://stuck.example/")
    finally:
        _StuckChecker.release.set()
    took = time.monotonic() - started
    assert took < 2.5, f"the run took {took:.1f} s"
    (result,) = results.values()
    assert (result.outcome, result.reason) == (
        Outcome.UNVERIFIED,
        "not finished when the run's time budget of 0.5 s ran out; the run stopped waiting for it",
    )


def test_a_dns_lookup_that_never_answers_is_cut_at_the_deadline() -> None:
    def silent_resolver(host: str, port: int) -> list[tuple]:
        time.sleep(10)
        return []

    checker = LiveChecker(SETTINGS, resolver=silent_resolver)
    started = time.monotonic()
    result = _run(checker, "https://slow-dns.example/")["https://slow-dns.example/"]
    assert time.monotonic() - started < 2.5
    assert (result.outcome, result.reason) == (Outcome.UNVERIFIED, "no complete answer within 1 s")


# -- redirects into this machine and private networks ---------------------------------------


@dataclass
class Recorder:
    """What a server on 127.0.0.1 received: (method, path, Host header) per request."""

    port: int = 0
    hits: list[tuple[str, str, str]] = field(default_factory=list)
    location: str = ""


def _recording_server(recorder: Recorder) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def do_HEAD(self) -> None:
            """Redirect to ``recorder.location`` when set, else answer 200."""
            recorder.hits.append((self.command, self.path, self.headers.get("Host", "")))
            if self.path.startswith("/redirect") and recorder.location:
                self.send_response(302)
                self.send_header("Location", recorder.location)
            else:
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            """As HEAD."""
            self.do_HEAD()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    recorder.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}).start()
    return server


@pytest.fixture
def servers() -> Iterator[tuple[Recorder, Recorder]]:
    """(redirecting server, victim server): both on 127.0.0.1; only the first is allowed."""
    made = []
    recorders = (Recorder(), Recorder())
    for recorder in recorders:
        made.append(_recording_server(recorder))
    yield recorders
    for server in made:
        server.shutdown()
        server.server_close()


LOOPBACK = "a loopback address (this machine itself)"
REDIRECT_TARGETS = [
    ("http://127.0.0.1:{victim}/secret", "127.0.0.1 is 127.0.0.1", LOOPBACK),
    ("http://127.0.0.2:{victim}/secret", "127.0.0.2 is 127.0.0.2", LOOPBACK),
    ("http://localhost:{victim}/secret", "localhost resolves to ", LOOPBACK),
    ("http://2130706433:{victim}/", "2130706433 resolves to 127.0.0.1", LOOPBACK),
    ("http://0x7f.1:{victim}/", "0x7f.1 resolves to 127.0.0.1", LOOPBACK),
    ("http://[::1]:{victim}/", "::1 is ::1", LOOPBACK),
    (
        "http://[::ffff:127.0.0.1]:{victim}/",
        "::ffff:127.0.0.1 is ::ffff:7f00:1",
        f"{LOOPBACK} (the IPv4 address inside ::ffff:7f00:1)",
    ),
    (
        "http://0.0.0.0:{victim}/",
        "0.0.0.0 is 0.0.0.0",
        "the unspecified address (connecting to it reaches this machine)",
    ),
    (
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "169.254.169.254 is 169.254.169.254",
        "a link-local address (where the cloud metadata service answers)",
    ),
    (
        "http://[fd00:ec2::254]/latest/meta-data/",
        "fd00:ec2::254 is fd00:ec2::254",
        "a link-local address (where the cloud metadata service answers)",
    ),
    ("https://[fe80::1]/", "fe80::1 is fe80::1", "a link-local address"),
    ("http://10.0.0.1/admin", "10.0.0.1 is 10.0.0.1", "a private or special-purpose address"),
    ("http://192.168.1.1/", "192.168.1.1 is 192.168.1.1", "a private or special-purpose address"),
    ("http://[fc00::1]/", "fc00::1 is fc00::1", "a unique-local address (a private network's)"),
    ("http://224.0.0.1/", "224.0.0.1 is 224.0.0.1", "a multicast address"),
    ("http://100.64.0.1/", "100.64.0.1 is 100.64.0.1", "a shared address (carrier-grade NAT"),
]


@pytest.mark.parametrize(("target", "where", "why"), REDIRECT_TARGETS, ids=lambda v: v[:40])
def test_a_redirect_to_an_address_that_is_not_public_is_refused_before_connecting(
    servers: tuple[Recorder, Recorder], target: str, where: str, why: str
) -> None:
    redirecting, victim = servers
    target = target.format(victim=victim.port)
    redirecting.location = target
    url = f"http://127.0.0.1:{redirecting.port}/redirect"
    checker = LiveChecker(SETTINGS, allowed_local_endpoints=[("127.0.0.1", redirecting.port)])
    result = _run(checker, url)[url]
    assert result.outcome is Outcome.BROKEN
    assert result.reason.startswith(f"refused: a redirect from {url} leads to {target}, and ")
    assert where in result.reason and why in result.reason, result.reason
    assert result.reason.endswith(
        ", not a public internet address; it was not requested (a public page must not lead "
        "into a private network)"
    )
    assert victim.hits == []
    assert [hit[:2] for hit in redirecting.hits] == [("HEAD", "/redirect")]


def test_a_link_straight_to_loopback_is_refused(servers: tuple[Recorder, Recorder]) -> None:
    _, victim = servers
    url = f"http://127.0.0.1:{victim.port}/"
    result = _run(LiveChecker(SETTINGS), url)[url]
    assert (result.outcome, result.reason) == (
        Outcome.BROKEN,
        f"refused: the link, and 127.0.0.1 is 127.0.0.1, {LOOPBACK}, not a public internet "
        "address; it was not requested (a public page must not lead into a private network)",
    )
    assert victim.hits == []


def test_the_checked_address_is_the_one_connected_to(servers: tuple[Recorder, Recorder]) -> None:
    """One lookup per request: a resolver that would answer differently the second time
    (DNS rebinding) is asked once, and the request reaches the address it gave first."""
    server, _ = servers
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[tuple]:
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "10.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    url = f"http://rebind.test:{server.port}/page"
    checker = LiveChecker(
        SETTINGS, resolver=rebinding, allowed_local_endpoints=[("127.0.0.1", server.port)]
    )
    result = _run(checker, url)[url]
    assert (result.outcome, result.status) == (Outcome.OK, 200)
    assert asked == ["rebind.test"]
    assert server.hits == [("HEAD", "/page", f"rebind.test:{server.port}")]


def test_a_host_with_one_private_address_among_public_ones_is_refused(
    servers: tuple[Recorder, Recorder],
) -> None:
    def mixed(host: str, port: int) -> list[tuple]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("8.8.8.8", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port)),
        ]

    result = _run(LiveChecker(SETTINGS, resolver=mixed), "https://mixed.test/")
    assert result["https://mixed.test/"].outcome is Outcome.BROKEN
    assert "mixed.test resolves to 169.254.169.254, a link-local address" in (
        result["https://mixed.test/"].reason
    )


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", LOOPBACK),
        ("127.255.255.254", LOOPBACK),
        ("::1", LOOPBACK),
        ("169.254.169.254", "a link-local address (where the cloud metadata service answers)"),
        ("169.254.0.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("10.1.2.3", "a private or special-purpose address"),
        ("172.16.0.1", "a private or special-purpose address"),
        ("192.168.0.1", "a private or special-purpose address"),
        ("fd12:3456::1", "a unique-local address (a private network's)"),
        ("fec0::1", "a site-local address (a private network's)"),
        ("100.64.0.1", "a shared address (carrier-grade NAT, a provider's internal network)"),
        ("0.0.0.0", "the unspecified address (connecting to it reaches this machine)"),
        ("::", "the unspecified address (connecting to it reaches this machine)"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("192.0.2.1", "a private or special-purpose address"),
        ("::ffff:10.0.0.1", "a private or special-purpose address (a local network"),
        ("::ffff:169.254.169.254", "a link-local address (where the cloud metadata service"),
        ("64:ff9b::7f00:1", f"{LOOPBACK} (the IPv4 address inside 64:ff9b::7f00:1)"),
        ("2002:a00:1::", "a private or special-purpose address (a local network"),
        ("::127.0.0.1", f"{LOOPBACK} (the IPv4 address inside ::7f00:1)"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_which_addresses_are_refused(address: str, reason: str | None) -> None:
    found = refusal_reason(ipaddress.ip_address(address))
    if reason is None:
        assert found is None
    else:
        assert found is not None and found.startswith(reason), found


def test_only_loopback_can_be_allowed_and_only_from_code(tmp_path) -> None:
    with pytest.raises(ValueError, match="only loopback addresses can be allowed"):
        LiveChecker(SETTINGS, allowed_local_endpoints=[("169.254.169.254", 80)])
    config = tmp_path / "linkcheck.toml"
    config.write_text('[external]\nallowed_local_endpoints = [["127.0.0.1", 80]]\n')
    with pytest.raises(ConfigError, match="has no setting 'allowed_local_endpoints'"):
        load_config(config)


# -- the same over TLS ------------------------------------------------------------------------


@pytest.fixture
def tls_files(tmp_path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A self-signed certificate for tls.test (only), trusted by checkers made after
    this fixture (OpenSSL reads SSL_CERT_FILE when the default context loads its roots)."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (apt-get install openssl)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=tls.test",
         "-addext", "subjectAltName=DNS:tls.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return str(cert), str(key)


def _tls_drip_server(cert: str, key: str, gap: float, stop: threading.Event) -> int:
    """An HTTPS server on 127.0.0.1 that drips a complete 200 answer a byte per ``gap``."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

    def talk(client: socket.socket) -> None:
        try:
            with context.wrap_socket(client, server_side=True) as tls:
                tls.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = tls.recv(4096)
                    if not chunk:
                        return
                    request += chunk
                for byte in answer:
                    if stop.wait(gap):
                        return
                    tls.sendall(bytes([byte]))
        except OSError:
            return

    def serve() -> None:
        with listener:
            while not stop.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                threading.Thread(target=talk, args=(client,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


@pytest.mark.parametrize(
    ("name", "gap"),
    [("tls.test", 0.0), ("tls.test", 0.2), ("other.test", 0.0)],
    ids=["prompt", "dripped", "wrong-name"],
)
def test_https_is_checked_against_the_name_and_cut_at_the_deadline(
    tls_files: tuple[str, str], name: str, gap: float
) -> None:
    """The connection goes to the checked address, while TLS verifies the certificate
    against the host name (tls.test); a dripped answer is cut at 1 s as over plain HTTP."""
    stop = threading.Event()
    port = _tls_drip_server(*tls_files, gap=gap, stop=stop)

    def resolver(host: str, port: int) -> list[tuple]:
        assert host == name
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    url = f"https://{name}:{port}/"
    checker = LiveChecker(
        SETTINGS, resolver=resolver, allowed_local_endpoints=[("127.0.0.1", port)]
    )
    started = time.monotonic()
    try:
        result = _run(checker, url)[url]
    finally:
        stop.set()
    if name != "tls.test":  # the certificate is checked against the link's host name
        assert result.outcome is Outcome.BROKEN
        assert result.reason.startswith("the TLS certificate is not valid: Hostname mismatch")
    elif gap:
        assert (result.outcome, result.reason) == (
            Outcome.UNVERIFIED,
            "no complete answer within 1 s",
        )
        assert time.monotonic() - started < 2.5
    else:
        assert (result.outcome, result.status) == (Outcome.OK, 200), result.reason
