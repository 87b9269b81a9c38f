"""Pelican settings for the published site: absolute URLs from SITE_URL."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # pelicanconf.py beside us
from pelicanconf import *
from tools.publish import PublishError, check_site_url

# https only, no user:password@, query or fragment, a valid host and port (tools/publish.py).
try:
    SITEURL = check_site_url(os.environ.get("SITE_URL", ""))
except PublishError as error:
    raise SystemExit(f"publishconf.py: {str(error).removeprefix('publish: ')}") from None
SITE_ABSOLUTE_URL = SITEURL
INFO_SESSIONS_SITE_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
