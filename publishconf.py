"""Pelican settings for the published site: absolute URLs from SITE_URL."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # pelicanconf.py beside us
from pelicanconf import *

SITEURL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITEURL.startswith("https://"):
    raise SystemExit(
        "publishconf.py: SITE_URL must be the https address the site is published at, "
        f"got {SITEURL!r}. Example: SITE_URL=https://example.org make publish"
    )
SITE_ABSOLUTE_URL = SITEURL
INFO_SESSIONS_SITE_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
