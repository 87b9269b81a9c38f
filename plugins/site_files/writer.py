"""Write sitemap.xml and robots.txt from the built files, and the source map for checks."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

# Pages that are not for search engines.
SITEMAP_EXCLUDE = frozenset({"404.html"})


def page_urls(output: Path) -> list[str]:
    """Site-relative URLs of every HTML page in ``output``, sorted (directory style)."""
    urls = []
    root = str(output)
    # os.walk and plain strings: pathlib's rglob was a tenth of a `make serve` rebuild.
    for folder, _, names in os.walk(root):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        for name in names:
            if not name.endswith(".html"):
                continue
            relative = name if prefix == "./" else prefix + name
            if relative not in SITEMAP_EXCLUDE:
                urls.append(relative.removesuffix("index.html"))
    return sorted(urls)


def sitemap_xml(base_url: str, urls: list[str]) -> str:
    """A sitemap document listing ``urls`` under ``base_url``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [f"  <url><loc>{escape(f'{base_url}/{url}')}</loc></url>" for url in urls]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_robots_and_sitemap(pelican: Any) -> None:
    """Write sitemap.xml and robots.txt into the output folder."""
    output = Path(pelican.output_path)
    base_url = pelican.settings["SITE_ABSOLUTE_URL"].rstrip("/")
    (output / "sitemap.xml").write_text(sitemap_xml(base_url, page_urls(output)), "utf-8")
    (output / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n", "utf-8"
    )


def write_source_map(generators: list[Any]) -> None:
    """Write {output file: content source file} to SITE_SOURCE_MAP, when that is set."""
    if not generators:
        return
    settings = generators[0].settings
    target = settings.get("SITE_SOURCE_MAP")
    if not target:
        return
    content_dir = os.path.basename(os.path.normpath(settings["PATH"]))
    mapping = {}
    for location, content in generators[0].context["generated_content"].items():
        save_as = getattr(content, "save_as", "")
        if save_as:
            mapping[save_as] = f"{content_dir}/{location}"
    Path(target).write_text(json.dumps(mapping, indent=1, sort_keys=True) + "\n", "utf-8")


def pin_empty_feed_date(context: dict[str, Any], feed: Any) -> None:
    """Date a feed without entries at the start of SITE_TODAY (site zone), not the build's clock.

    feedgenerator writes an empty feed's <updated> as the current time, so two builds of a
    site without news would differ. Feeds with entries keep the newest entry's date.
    """
    if feed.items or not context.get("SITE_TODAY"):
        return
    day = date.fromisoformat(str(context["SITE_TODAY"]))
    zone = ZoneInfo(str(context.get("TIMEZONE") or "UTC"))
    start_of_today = datetime(day.year, day.month, day.day, tzinfo=zone)
    feed.latest_post_date = lambda: start_of_today
