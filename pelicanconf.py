"""Pelican settings for local builds and `make serve`. publishconf.py extends them."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

_project = Path(__file__).resolve().parent
for _folder in (_project, _project / "plugins"):  # tools.linkcheck, below
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from pelican.plugins.info_sessions.zones import use_pinned_tzdata  # noqa: E402

from tools.linkcheck.config import load_config  # noqa: E402

# Time zones come from the pinned tzdata package only, never from this machine's zone files,
# so two machines build the same times (before ZoneInfo(TIMEZONE) below; the content_guard
# plugin pins it again for every build, with the info-sessions plugin's zones module).
use_pinned_tzdata()

SITENAME = "Healthcare Quality Graduate Programs"
SITE_TAGLINE = "Graduate programs in healthcare quality, safety and clinical operations"
SITE_DESCRIPTION = (
    "Compare graduate programs in healthcare quality, patient safety and clinical service "
    "operations, read what their faculty and leaders say, and join an information session."
)
AUTHOR = "Site editors"
DEFAULT_LANG = "en"
TIMEZONE = "America/New_York"

# Links inside the site are root-relative; SITE_ABSOLUTE_URL is used where a full URL is
# required (canonical links, Open Graph, feeds, calendar subscriptions).
SITEURL = ""
SITE_ABSOLUTE_URL = os.environ.get("SITE_ABSOLUTE_URL", "http://127.0.0.1:8000")

# "Today" for everything that depends on the date (upcoming vs past sessions, feed windows).
# One setting, overridable with the SITE_TODAY environment variable (YYYY-MM-DD).
SITE_TODAY = os.environ.get("SITE_TODAY") or datetime.now(ZoneInfo(TIMEZONE)).date().isoformat()

# The People page groups the people quoted by who they are, in this order: {id: heading}.
# Each quote file names its group's id in `Group:`.
PROGRAMS_PEOPLE_GROUPS = {
    "program-leaders": "Program leaders",
    "school-leaders": "School leaders",
    "participants": "Participants",
    "bmj-health-foundation": "The BMJ and the Health Foundation",
    "patient-partners": "Patient partners",
}

PATH = "content"
THEME = "theme"
# Our site-only plugins live in plugins/; info_sessions is an installed package (its own
# project in plugins/info_sessions/, installed in editable mode by `make setup`), which
# Pelican finds as the namespace plugin pelican.plugins.info_sessions.
PLUGIN_PATHS = ["plugins"]
# content_guard: the build reads only content/ and writes only the output folder; zones come
# from tzdata. safe_markdown: raw HTML shows as text; unsafe links and attributes fail the build.
# news: a news item shows only a date its source gives (see plugins/news/dates.py).
PLUGINS = [
    "content_guard",
    "safe_markdown",
    "theme_helpers",
    "site_files",
    "news",
    "programs",
    "info_sessions",
]

# News are Pelican articles; About is a page. Programs, quotes and sessions are read by our
# plugins from their own folders.
ARTICLE_PATHS = ["news"]
# A news item dated in the future is still published: whether a date has come is decided by
# SITE_TODAY, never by the build machine's clock.
WITH_FUTURE_DATES = True
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
INDEX_SAVE_AS = "news/index.html"
DIRECT_TEMPLATES = ["index"]
TEMPLATE_PAGES = {"home.html": "index.html", "404.html": "404.html"}
DEFAULT_PAGINATION = False

# Pages we do not publish: taxonomies and archives add nothing on a site this size.
for _kind in ("CATEGORY", "CATEGORIES", "TAG", "TAGS", "AUTHOR", "AUTHORS", "ARCHIVES"):
    globals()[f"{_kind}_SAVE_AS"] = ""
del _kind
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# The info-sessions plugin reads only its own INFO_SESSIONS_ settings and Pelican's: give it
# our "today" and absolute address, and make every session name one of our programs.
INFO_SESSIONS_TODAY = SITE_TODAY
INFO_SESSIONS_SITE_URL = SITE_ABSOLUTE_URL
INFO_SESSIONS_REQUIRE_PROGRAM = True

FEED_DOMAIN = SITE_ABSOLUTE_URL
FEED_ALL_ATOM = "feeds/news.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
# http:// links in content are allowed only where linkcheck.toml's ignore list allows the URL.
SAFE_MARKDOWN_HTTP_ALLOWED = [
    {
        "url": entry.url,
        "pattern": entry.pattern,
        "expires": entry.expires.isoformat() if entry.expires else None,
    }
    for entry in load_config(_project / "linkcheck.toml").ignore.entries
]
# Autoescape everything; templates mark rendered Markdown as safe explicitly. Every build
# makes new Jinja environments, so none needs to look for edited templates (auto_reload): a
# template is loaded once per build, not checked on disk each of the thousands of times a
# page asks for it (make serve's rebuilds make new environments too).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}
# Compiled templates, kept between builds (tools/build.py; git ignores .cache/). Jinja
# compiles a template again when its source changes; deleting the folder is always safe.
SITE_TEMPLATE_CACHE = str(_project / ".cache" / "templates")

# No build timestamps anywhere: identical trees give byte-identical output.
DELETE_OUTPUT_DIRECTORY = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
