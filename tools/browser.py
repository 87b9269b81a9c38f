"""Headless Chromium and a plain static server, shared by the browser tests and screenshots.

The built site is served exactly as built (no live-reload script, unlike tools/devserver.py)
on 127.0.0.1 with a port the system picks. Chromium is Debian's (``apt-get install
chromium``), driven by playwright; ``playwright install`` is never needed.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from types import TracebackType

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# The machine may have no internet: without these flags Chromium keeps calling its services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like any static host, without logging every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class StaticServer:
    """Serve a folder on ``http://127.0.0.1:<free port>`` from a background thread."""

    def __init__(self, root: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(root))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="static-server", daemon=True
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> str:
        """Start serving; return the base URL (no trailing slash)."""
        self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with the offline-friendly flags."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
