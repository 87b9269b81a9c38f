"""One HTTP(S) request to an address already resolved and checked, with a wall-clock deadline.

Socket timeouts apply to each read: a server that sends a byte a second never trips one and
can hold a request for as long as it likes. Here a timer shuts the socket down when the
request's deadline passes, whatever phase it is in (connect, TLS handshake, status line,
headers, body), and the request then fails with :class:`DeadlineError`.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tools.linkcheck.addresses import Address


class DeadlineError(TimeoutError):
    """The request's deadline passed before its answer was complete."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server answered (the body only as far as ``body_limit``)."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to ``host`` (its name in the Host header, SNI and certificate check) over a
    connection to one of ``addresses``, never to a new lookup of the name."""

    def __init__(
        self,
        host: str,
        port: int,
        addresses: Sequence[Address],
        deadline: float,
        tls: ssl.SSLContext | None,
    ) -> None:
        super().__init__(host, port, timeout=max(0.001, deadline - time.monotonic()))
        self._addresses = addresses
        self._deadline = deadline
        self._tls = tls
        self._lock = threading.Lock()
        # The socket as connected: http.client drops self.sock once the answer says
        # "Connection: close" (the answer reads on through its own file object).
        self._connected: socket.socket | None = None
        self.cut = False

    def connect(self) -> None:
        """Connect to the first of the checked addresses that answers."""
        error: OSError | None = None
        for address in self._addresses:
            remaining = self._deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineError
            sock = socket.socket(address.family, socket.SOCK_STREAM)
            with self._lock:
                self._connected = sock  # so that a cut reaches a connect in progress
            try:
                sock.settimeout(remaining)
                sock.connect(address.sockaddr)
                break
            except OSError as failure:
                sock.close()
                error = failure
        else:
            raise error or OSError("no address to connect to")
        if self.cut or self._deadline <= time.monotonic():
            raise DeadlineError
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self.host)
            with self._lock:
                self._connected = sock
        self.sock = sock

    def release(self) -> None:
        """Close the connection and the socket as connected (``close`` leaves the socket to
        the answer, which http.client calls it for before the answer is read)."""
        self.close()
        with self._lock:
            sock, self._connected = self._connected, None
        if sock is not None:
            sock.close()

    def cut_now(self) -> None:
        """Shut the socket down, waking any read or write blocked on it."""
        with self._lock:
            self.cut = True
            sock = self._connected
        if sock is not None:
            # socket.socket's own shutdown: an SSLSocket's would drop its TLS state under the
            # feet of the thread reading from it.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def request(
    method: str,
    host: str,
    port: int,
    target: str,
    *,
    addresses: Sequence[Address],
    deadline: float,
    headers: Mapping[str, str],
    tls: ssl.SSLContext | None,
    body_limit: int,
) -> Answer:
    """Send one request and read the answer by ``deadline`` (time.monotonic()); raise
    DeadlineError when the deadline passes first, else what http.client raises."""
    connection = _PinnedConnection(host, port, addresses, deadline, tls)
    timer = threading.Timer(max(0.0, deadline - time.monotonic()), connection.cut_now)
    timer.daemon = True
    timer.start()
    answer: http.client.HTTPResponse | None = None
    try:
        connection.request(method, target, headers=dict(headers))
        answer = connection.getresponse()
        body = answer.read(body_limit) if method == "GET" else b""
        found = {name.lower(): value for name, value in answer.getheaders()}
        if connection.cut:  # the cut reads as the end of the headers or the body: not whole
            raise DeadlineError
        return Answer(answer.status, answer.reason, found, body)
    except (OSError, http.client.HTTPException, ValueError) as error:
        if connection.cut:
            raise DeadlineError from error
        raise
    finally:
        timer.cancel()
        if answer is not None:
            answer.close()
        connection.release()
