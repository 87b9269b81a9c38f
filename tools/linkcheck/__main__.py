"""``python -m tools.linkcheck``: check a built site (see ``tools.linkcheck.cli``)."""

import sys

from tools.linkcheck.cli import main

sys.exit(main())
