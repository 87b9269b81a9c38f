"""The `make serve` server: content types, live reload injection, 404 page, reload events."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from tools.build import PROJECT_ROOT
from tools.devserver import (
    RELOAD_SNIPPET,
    SHARED_MEMORY,
    ReloadBroadcaster,
    has_room_for_builds,
    make_server,
    watch_and_rebuild,
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, ReloadBroadcaster]]:
    """A dev server on 127.0.0.1 (ephemeral port) serving a small folder."""
    output = tmp_path / "output"
    (output / "sessions").mkdir(parents=True)
    (output / "index.html").write_text("<html><body><p>home</p></body></html>")
    (output / "404.html").write_text("<html><body><p>not here</p></body></html>")
    (output / "calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (output / "sessions" / "index.html").write_text("<html><body>list</body></html>")
    broadcaster = ReloadBroadcaster()
    server = make_server(output, "127.0.0.1", 0, broadcaster)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", output, broadcaster
    server.shutdown()


def fetch(url: str) -> tuple[int, Message, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.headers, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_ics_is_served_as_text_calendar_utf8(served) -> None:
    base, _, _ = served
    status, headers, body = fetch(f"{base}/calendar.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith(b"BEGIN:VCALENDAR\r\n")


def test_html_gets_the_reload_script_but_files_on_disk_do_not(served) -> None:
    base, output, _ = served
    status, headers, body = fetch(f"{base}/sessions/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert RELOAD_SNIPPET in body
    assert b"EventSource" not in (output / "sessions" / "index.html").read_bytes()


def test_directory_without_slash_redirects(served) -> None:
    base, _, _ = served
    request = urllib.request.Request(f"{base}/sessions")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=5)
    assert caught.value.code == 301
    assert caught.value.headers["Location"] == "/sessions/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_missing_page_serves_404_page_with_404_status(served) -> None:
    base, _, _ = served
    status, _, body = fetch(f"{base}/no/such/page/")
    assert status == 404
    assert b"not here" in body


def test_reload_event_reaches_a_listening_browser(served) -> None:
    base, _, broadcaster = served
    received: list[bytes] = []

    def listen() -> None:
        with urllib.request.urlopen(f"{base}/__livereload", timeout=5) as stream:
            received.append(stream.readline())

    listener = threading.Thread(target=listen)
    listener.start()
    time.sleep(0.2)  # let the listener connect before announcing
    broadcaster.announce()
    listener.join(timeout=5)
    assert received == [b"data: reload\n"]


def test_watcher_rebuilds_and_announces_after_a_change(tmp_path: Path) -> None:
    watched = tmp_path / "content"
    watched.mkdir()
    broadcaster = ReloadBroadcaster()
    stop = threading.Event()
    rebuilds: list[int] = []

    def rebuild() -> bool:
        rebuilds.append(1)
        stop.set()
        return True

    watcher = threading.Thread(
        target=watch_and_rebuild, args=([watched], rebuild, broadcaster, stop)
    )
    watcher.start()
    time.sleep(0.5)  # the watcher must be running before the edit
    (watched / "new.md").write_text("Title: x\n")
    watcher.join(timeout=10)
    assert rebuilds == [1]
    assert broadcaster.generation == 1


def test_a_plugin_code_change_asks_for_a_restart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    watched = tmp_path / "plugins"
    watched.mkdir()
    stop = threading.Event()

    def rebuild() -> bool:
        stop.set()
        return True

    watcher = threading.Thread(
        target=watch_and_rebuild, args=([watched], rebuild, ReloadBroadcaster(), stop)
    )
    watcher.start()
    time.sleep(0.5)  # the watcher must be running before the edit
    (watched / "generator.py").write_text("x = 1\n")
    watcher.join(timeout=10)
    assert "restart make serve" in capsys.readouterr().out


def test_serve_stopped_by_sigterm_exits_cleanly_and_leaves_no_memory_folder(
    tmp_path: Path,
) -> None:
    shared_memory = SHARED_MEMORY
    in_memory = has_room_for_builds(shared_memory)  # else serve builds beside output/
    before = set(shared_memory.glob("hq-serve-*"))
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/plugins']\n"
        "from pathlib import Path\n"
        "from tools.devserver import serve_forever\n"
        "serve_forever(Path(sys.argv[1]), Path(sys.argv[2]), '127.0.0.1', 0)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(PROJECT_ROOT), str(tmp_path / "output")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # wait until it serves
        if line.startswith("serve: http://"):
            break
    made = set(shared_memory.glob("hq-serve-*")) - before
    assert len(made) == (1 if in_memory else 0)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    assert set(shared_memory.glob("hq-serve-*")) - before == set()
    assert (tmp_path / "output" / "index.html").is_file()
