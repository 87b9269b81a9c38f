"""A static file server on 127.0.0.1 for LinkChecker: ``python static_server.py FOLDER``.

Binds an ephemeral port and prints ``port N`` on its first line. Every response carries the
``LinkChecker`` header, LinkChecker's documented way to let a site's own server lift its
politeness limit (``maxrequestspersecond`` above 10), so it is measured checking, not waiting.
"""

from __future__ import annotations

import functools
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class Handler(SimpleHTTPRequestHandler):
    """Files from one folder, quietly, with the LinkChecker header, over keep-alive HTTP/1.1."""

    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        """Add the header that lets LinkChecker use its configured request rate."""
        self.send_header("LinkChecker", "benchmark")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """No request log."""


class Server(ThreadingHTTPServer):
    """Threads per connection; a client that drops its keep-alive connection is not an error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore connections reset by the client; report anything else as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main() -> None:
    """Serve the folder named on the command line until killed."""
    folder = sys.argv[1]
    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
