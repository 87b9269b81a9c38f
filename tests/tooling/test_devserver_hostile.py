"""The `make serve` server process against hostile or careless clients: another site's name in
the Host header (DNS rebinding), absurd request targets, a burst of 200 connections.

One real server process (serve_forever, building a copy of the content) for the module; every
request is written by hand on a socket, so each header is exactly what the test says.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from tests.realsite import TEST_TODAY
from tools.build import PROJECT_ROOT

SCRIPT = (
    "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/plugins']\n"
    "from pathlib import Path\n"
    "from tools.devserver import serve_forever\n"
    "serve_forever(Path(sys.argv[2]), Path(sys.argv[2]) / 'output', '127.0.0.1', 0, None)\n"
)


class Server:
    """The running process, its port and everything it printed."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.printed: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.printed.append(line)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve")
    shutil.copy2(PROJECT_ROOT / "pelicanconf.py", root / "pelicanconf.py")
    for name in ("content", "theme", "plugins"):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=ignore)
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", SCRIPT, str(PROJECT_ROOT), str(root)],
        cwd=root,
        env={**os.environ, "SITE_TODAY": TEST_TODAY},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    port = 0
    for line in process.stdout:
        if line.startswith("serve: http://"):
            port = int(line.split()[1].rstrip("/").rsplit(":", 1)[1])
            break
    assert port, "the server did not start"
    running = Server(process, port)
    yield running
    process.send_signal(signal.SIGTERM)
    process.wait(20)
    printed = "".join(running.printed)
    assert "Traceback" not in printed, printed


def raw(port: int, request: bytes, timeout: float = 10) -> tuple[int, bytes, bytes]:
    """Send ``request`` as it is; return (status, head, body) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            length = [
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ]
            if length and len(body) >= length[0]:
                break
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, head, body


def get(port: int, path: str, host: str | None) -> tuple[int, bytes, bytes]:
    header = f"Host: {host}\r\n" if host is not None else ""
    request = f"GET {path} HTTP/1.1\r\n{header}Connection: close\r\n\r\n"
    return raw(port, request.encode("latin-1"))


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "127.0.0.1", "localhost"],
)
def test_its_own_names_are_served(server: Server, host: str) -> None:
    status, _, body = get(server.port, "/", host.format(port=server.port))
    assert status == 200
    assert b"<html" in body.lower()


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example",
        "127.0.0.1:{port}.evil.example",
        "localhost:1",
        "127.0.0.1:{port}@evil.example",
        "[::1]:{port}",
        "0.0.0.0:{port}",
        "",
        None,  # no Host header at all
    ],
)
@pytest.mark.parametrize("path", ["/", "/about/", "/__livereload", "/calendar/all.ics"])
def test_any_other_host_gets_421_and_nothing_of_the_site(
    server: Server, host: str | None, path: str
) -> None:
    shown = None if host is None else host.format(port=server.port)
    status, head, body = get(server.port, path, shown)
    assert status == 421
    assert body == b""
    assert b"content-length: 0" in head.lower()


def test_head_requests_are_checked_too(server: Server) -> None:
    request = f"HEAD / HTTP/1.1\r\nHost: evil.example:{server.port}\r\n\r\n".encode()
    assert raw(server.port, request)[0] == 421
    request = f"HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    assert raw(server.port, request)[0] == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/" + "a" * 6000, 414),
        ("/" + "a/" * 3000, 414),
        ("/?" + "q" * 6000, 414),
        ("/" + "a" * 300 + "/", 404),  # one name longer than the system allows (255)
        ("/" + "b" * 2000, 404),
        ("/%00", 404),
        ("/a%00b/index.html", 404),
        ("/" + "%2e%2e/" * 8 + "etc/passwd", 404),
    ],
    ids=["6000-chars", "3000-folders", "long-query", "long-name", "2000-chars", "nul", "nul-in",
         "dot-dot"],
)  # fmt: skip
def test_absurd_targets_get_an_error_status_and_no_traceback(
    server: Server, path: str, status: int
) -> None:
    before = len(server.printed)
    got, _, body = get(server.port, path, f"127.0.0.1:{server.port}")
    assert got == status
    assert b"root:" not in body
    time.sleep(0.2)
    assert "Traceback" not in "".join(server.printed[before:])


def test_a_request_line_over_64_kb_gets_414(server: Server) -> None:
    status, _, _ = get(server.port, "/" + "a" * 70_000, f"127.0.0.1:{server.port}")
    assert status == 414


def test_200_concurrent_requests_are_all_answered_without_waiting_for_tcp_retries(
    server: Server,
) -> None:
    """With socketserver's backlog of 5, most of 200 simultaneous connections wait for TCP's
    one-second SYN retry; with 128 and a thread per request, none should."""
    count = 200
    start = threading.Barrier(count)
    took: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        start.wait()
        began = time.monotonic()
        status, _, _ = get(server.port, "/", f"127.0.0.1:{server.port}")
        with lock:
            took.append(time.monotonic() - began)
            statuses.append(status)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * count
    slow = sorted(t for t in took if t >= 1.0)
    # TCP's retry takes one second; a busy machine may delay a few requests that long.
    assert len(slow) <= 10, f"{len(slow)} of {count} took a second or more: {slow[:5]}..."
