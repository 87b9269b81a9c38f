"""The plugin's own signals (blinker, as Pelican's): what other code may connect to.

``session_read``
    sent after each session file is read and checked; the sender is the file as problems
    name it ("content/sessions/x.md"), ``checked`` the result (``validation.Checked``).
    Pelican sends ``content_object_init`` for its content objects; sessions are not Pelican
    content, so a tool that follows which file is being read listens to both.
"""

from __future__ import annotations

from blinker import signal

session_read = signal("info_sessions.session_read")
