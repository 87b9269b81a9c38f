"""The plugin's own signals (blinker, as Pelican's): what other code may connect to.

``get_cache``
    sent by the sessions generator when it is made; the sender is the generator. A receiver
    may answer with the ``cache.BuildCache`` the build should use: `make serve` answers with
    the ``cache.RebuildCache`` it keeps between rebuilds (``RebuildCache.installed``). With
    no answer, a build reuses nothing.

``session_read``
    sent after each session file is read and checked; the sender is the file as problems
    name it ("content/sessions/x.md"), ``checked`` the result (``validation.Checked``).
    Pelican sends ``content_object_init`` for its content objects; sessions are not Pelican
    content, so a tool that follows which file is being read listens to both.
"""

from __future__ import annotations

from blinker import signal

get_cache = signal("info_sessions.get_cache")
session_read = signal("info_sessions.session_read")
