"""`make serve`: serve output/ on 127.0.0.1, rebuild on every change, reload open browsers.

The reload script is injected into HTML responses by this server only; built files never
contain it. Browsers listen on /__livereload (server-sent events) and reload after a
successful rebuild. A failed rebuild keeps serving the previous site and prints every problem.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

RELOAD_PATH = "/__livereload"
# Longest request target served; a longer one is answered 414 (no page has such an address).
MAX_TARGET = 2048
# Connections the system queues before the server accepts them (socketserver's default is 5;
# a burst larger than the queue waits for TCP's one-second retry, so a page with its assets
# and a few tabs reloading at once must fit). Linux caps it at net.core.somaxconn.
LISTEN_BACKLOG = 1024
RELOAD_SNIPPET = (
    b'<script>new EventSource("/__livereload").onmessage = () => location.reload();</script>'
)
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}
WATCHED = ("content", "theme", "plugins", "pelicanconf.py")
# Rebuilds go through memory (/dev/shm) when it has this much room for the whole site;
# containers often give /dev/shm only 64 MB.
SHARED_MEMORY = Path("/dev/shm")
SCRATCH_MIN_FREE = 512 * 1024 * 1024
SCRATCH_PREFIX = "hq-serve-"  # then the pid of the serving process


class ReloadBroadcaster:
    """Counts successful rebuilds and wakes every browser waiting for the next one."""

    def __init__(self) -> None:
        self._generation = 0
        self._changed = threading.Condition()

    @property
    def generation(self) -> int:
        """How many reloads have been announced."""
        return self._generation

    def announce(self) -> None:
        """Tell every listening browser to reload."""
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def wait_after(self, generation: int, timeout: float) -> bool:
        """Wait until a reload newer than ``generation`` is announced; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._generation > generation, timeout)


class DevRequestHandler(SimpleHTTPRequestHandler):
    """Static files from the output folder, plus the live-reload event stream."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }
    broadcaster: ReloadBroadcaster
    keepalive_seconds = 15.0

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: rebuild messages matter more than request logs."""

    def _refused(self) -> bool:
        """Answer, without content, a request this server must not serve; True if it did.

        Only its own names are served: ``Host: 127.0.0.1:<port>`` or ``localhost:<port>``
        (or without the port). Any other Host is a page elsewhere that got a browser to
        reach this server under its own name (DNS rebinding): 421. A request target longer
        than MAX_TARGET: 414.
        """
        if len(self.path) > MAX_TARGET:
            self._bare(HTTPStatus.REQUEST_URI_TOO_LONG)
            return True
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        allowed = {"127.0.0.1", "localhost", f"127.0.0.1:{port}", f"localhost:{port}"}
        if host not in allowed:
            self._bare(HTTPStatus.MISDIRECTED_REQUEST)
            return True
        return False

    def _bare(self, status: HTTPStatus) -> None:
        """An answer with a status and no content; the connection is closed after it."""
        self.close_connection = True
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    def do_HEAD(self) -> None:
        """As the standard handler, for the hosts and addresses this server serves."""
        if self._refused():
            return
        try:
            super().do_HEAD()
        except (OSError, ValueError):  # a name too long for the system, a NUL byte
            self._bare(HTTPStatus.NOT_FOUND)

    def do_GET(self) -> None:
        """Serve the event stream, an HTML page with the reload script, or a file."""
        if self._refused():
            return
        try:
            self._get()
        except (OSError, ValueError) as error:  # a name too long for the system, a NUL byte
            if isinstance(error, (BrokenPipeError, ConnectionResetError)):
                return  # the browser went away
            self._bare(HTTPStatus.NOT_FOUND)

    def _get(self) -> None:
        if self.path == RELOAD_PATH:
            self._stream_reloads()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the standard handler redirects to the slash URL
                return
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            self._send_html(path, HTTPStatus.OK)
        elif not path.exists():
            missing = Path(self.directory) / "404.html"
            if missing.is_file():
                self._send_html(missing, HTTPStatus.NOT_FOUND)
            else:
                self.send_error(HTTPStatus.NOT_FOUND)
        else:
            super().do_GET()

    def _send_html(self, path: Path, status: HTTPStatus) -> None:
        body = path.read_bytes().replace(b"</body>", RELOAD_SNIPPET + b"</body>", 1)
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream_reloads(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.broadcaster.generation
        try:
            while True:
                if self.broadcaster.wait_after(seen, self.keepalive_seconds):
                    seen = self.broadcaster.generation
                    self.wfile.write(b"data: reload\n\n")
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


class DevServer(ThreadingHTTPServer):
    """A thread per request, a deep listen queue, and no traceback for a client's mistake."""

    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG

    def handle_error(self, request: object, client_address: object) -> None:
        """One line, not a traceback, for a request that failed; a browser that went away
        mid-answer is not news."""
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError)):
            print(f"serve: a request from {client_address} failed: {error!r}", file=sys.stderr)


def make_server(
    output: Path, host: str, port: int, broadcaster: ReloadBroadcaster
) -> ThreadingHTTPServer:
    """An HTTP server for ``output`` (resolved on every request, so swapped builds show)."""
    handler = type("Handler", (DevRequestHandler,), {"broadcaster": broadcaster})
    return DevServer((host, port), functools.partial(handler, directory=str(output)))


def watch_and_rebuild(
    paths: Iterable[Path],
    rebuild: Callable[[], bool],
    broadcaster: ReloadBroadcaster,
    stop: threading.Event | None = None,
) -> None:
    """Rebuild after every batch of changes under ``paths``; announce successful rebuilds."""
    from watchfiles import watch

    for changes in watch(*paths, stop_event=stop, debounce=200, step=50):
        names = sorted({Path(name).name for _, name in changes})
        print(f"serve: changed {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}")
        if any(Path(name).suffix == ".py" and "plugins" in Path(name).parts for _, name in changes):
            print("serve: plugin code changed; restart make serve to load it")
        if rebuild():
            broadcaster.announce()


def remove_stale_scratch(parent: Path) -> None:
    """Remove the memory folders of `make serve` processes that no longer run (killed ones
    cannot remove their own)."""
    for folder in parent.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = folder.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or _running(int(pid)) or folder.stat().st_uid != os.getuid():
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process, alive
    return True


def has_room_for_builds(folder: Path) -> bool:
    """Whether ``folder`` exists, is writable and has SCRATCH_MIN_FREE bytes free."""
    return (
        folder.is_dir()
        and os.access(folder, os.W_OK)
        and shutil.disk_usage(folder).free >= SCRATCH_MIN_FREE
    )


class Rebuilder:
    """Builds the site again and again in one process, as `make serve` does.

    Kept between rebuilds, so that one edit costs little: what the info-sessions plugin keeps
    (``info_sessions.cache.RebuildCache``: session files already checked, what is derived
    from them, session pages whose inputs did not change; all of it forgotten when the
    settings change), and compiled templates. Every page and feed is still written, into a
    folder in memory (/dev/shm) where there is one; on success only the files whose bytes
    changed are written to ``output`` (without /dev/shm, the whole new folder is swapped in).
    A failed rebuild leaves the served site as it was.
    """

    def __init__(
        self,
        output: Path,
        settings_file: Path,
        overrides: Mapping[str, Any] | None = None,
        scratch_parent: Path | None = SHARED_MEMORY,
    ) -> None:
        """``scratch_parent``: where to build before writing changed files into ``output``
        (used only with room for the site); None builds beside ``output`` and swaps."""
        from tools.build import KeptBetweenBuilds

        self.output = output
        self.settings_file = settings_file
        self.overrides = dict(overrides or {})
        self.kept = KeptBetweenBuilds()
        if scratch_parent is not None and has_room_for_builds(scratch_parent):
            remove_stale_scratch(scratch_parent)
            self.kept.scratch = Path(
                tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch_parent)
            )

    @property
    def scratch(self) -> Path | None:
        """The folder in memory rebuilds are made in, or None."""
        return self.kept.scratch

    def close(self) -> None:
        """Remove the in-memory build folder."""
        self.kept.wait_for_removal()
        if self.kept.scratch is not None:
            shutil.rmtree(self.kept.scratch, ignore_errors=True)
            self.kept.scratch = None

    def __enter__(self) -> Rebuilder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __call__(self) -> bool:
        """Rebuild; print the time taken, or every problem. True on success."""
        from tools.build import BuildError, build_site

        started = time.perf_counter()
        notices: tuple[object, ...] = ()
        try:
            notices = build_site(
                self.output,
                settings_file=self.settings_file,
                overrides=self.overrides,
                kept=self.kept,
            ).notices
        except BuildError as error:
            problems = error.problems
        except OSError as error:  # a write outside the build's own steps: still a failure
            from tools.build import write_problem

            problems = [write_problem(error)]
        else:
            problems = []
        if problems:
            count = len(problems)
            print(f"serve: build failed, still serving the previous site ({count} problem(s)):")
            for problem in problems:
                print(f"  {problem}")
            return False
        took = time.perf_counter() - started
        shown = "".join(
            f"; {group}: {count.rendered} rendered, {count.written - count.rendered} unchanged"
            for group, count in self.kept.sessions.page_counts.items()
            if count.written
        )
        print(f"serve: rebuilt in {took:.2f} s{shown}")
        for notice in notices:  # what the build did on its own; it does not fail it
            print(f"  notice: {notice}")
        return True


def serve_forever(
    root: Path, output: Path, host: str, port: int, scratch_parent: Path | None = SHARED_MEMORY
) -> None:
    """Build, serve and rebuild on change until interrupted (``scratch_parent``: see
    Rebuilder)."""
    rebuild = Rebuilder(output, root / "pelicanconf.py", scratch_parent=scratch_parent)
    # Stopped by a signal (a process manager, `timeout`): unwind so the memory folder goes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        rebuild()
        output.mkdir(exist_ok=True)
        broadcaster = ReloadBroadcaster()
        server = make_server(output, host, port, broadcaster)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]  # the one the system chose, when asked for port 0
        print(f"serve: http://{host}:{port}/ (Ctrl+C to stop); watching {', '.join(WATCHED)}")
        try:
            watch_and_rebuild([root / name for name in WATCHED], rebuild, broadcaster)
        finally:
            server.shutdown()
    except KeyboardInterrupt:
        pass
    finally:
        rebuild.close()
