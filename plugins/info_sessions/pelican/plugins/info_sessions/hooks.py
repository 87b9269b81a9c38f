"""The plugin's own signals (blinker, as Pelican's): what other code may connect to.

``get_cache``
    sent by the sessions generator when it is made (the sender is the generator), and by a
    ``reuse`` tag as it renders (the sender is the template environment). A receiver
    may answer with the ``cache.BuildCache`` the build should use: `make serve` answers with
    the ``cache.RebuildCache`` it keeps between rebuilds (``RebuildCache.installed``). With
    no answer, a build reuses nothing.
"""

from __future__ import annotations

from blinker import signal

get_cache = signal("info_sessions.get_cache")
