"""Screenshots of the site for people who look rather than read: `invoke screenshots`.

Builds the site into a temporary folder, serves it on 127.0.0.1 and saves desktop (1280 px)
and mobile (390 px) PNGs of the home page, the comparison, a program, the sessions list, the
month view and a session page into docs/screenshots/ as ``<page>-<desktop|mobile>.png``, as a
visitor in India sees them (VISITOR_ZONE). The
program is the first on the programs page and the session the next one on the home page, so
nothing here names content. README shows (and .gitignore keeps) home, compare and program at
both widths, and the month view and a session page at 390 px.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tools.browser import CHROMIUM, DESKTOP, MOBILE, StaticServer, launch_chromium
from tools.build import PROJECT_ROOT, BuildError, build_site, site_today

OUTPUT_DIR = PROJECT_ROOT / "docs" / "screenshots"
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}
# The visitor the pictures are taken for: in India, so that online sessions show "Your time"
# (theme/static/js/local-time.js) and the pictures do not depend on the machine's zone.
VISITOR_ZONE, VISITOR_LANGUAGE = "Asia/Kolkata", "en-IN"
# Name -> (page that lists it, CSS selector of the link to follow), or a fixed address.
PAGES: dict[str, str | tuple[str, str]] = {
    "home": "/",
    "compare": "/programs/compare/",
    "program": ("/programs/", "main h2 a[href^='/programs/'], main h3 a[href^='/programs/']"),
    "sessions": "/sessions/",
    # Next month rather than this one, which may have no session left to show.
    "month": ("/sessions/calendar/", "main a[rel='next']"),
    # The home page lists only sessions that take place: its first is the next one.
    "session": ("/", "main li h3 a[href^='/sessions/']"),
}

# Where a picture starts, when not at the top: the month's sessions rather than the filters.
START_AT = {"month": "table.hq-month"}


class ScreenshotError(Exception):
    """A page to photograph could not be found or opened."""


def resolve(page: Page, base: str, target: str | tuple[str, str]) -> str:
    """The address of a page to photograph: fixed, or the first link of a list page."""
    if isinstance(target, str):
        return target
    listing, selector = target
    page.goto(base + listing)
    link = page.locator(selector).first
    if link.count() == 0:
        raise ScreenshotError(f"screenshots: no link matching {selector!r} on {listing}")
    return link.get_attribute("href") or listing


def take(site: Path, out_dir: Path, full_page: bool = False) -> list[Path]:
    """Photograph every page of PAGES at every width of VIEWPORTS; return the files written."""
    if not CHROMIUM.is_file():
        raise ScreenshotError(f"screenshots: {CHROMIUM} is missing; apt-get install chromium")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with StaticServer(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for width_name, viewport in VIEWPORTS.items():
                context = browser.new_context(
                    viewport=viewport,
                    device_scale_factor=1,
                    is_mobile=width_name == "mobile",
                    timezone_id=VISITOR_ZONE,
                    locale=VISITOR_LANGUAGE,
                )
                page = context.new_page()
                for name, target in PAGES.items():
                    address = resolve(page, base, target)
                    response = page.goto(base + address)
                    if response is None or not response.ok:
                        raise ScreenshotError(f"screenshots: {address} did not load")
                    if name in START_AT:
                        page.locator(START_AT[name]).evaluate(
                            "el => el.scrollIntoView({block: 'start'})"
                        )
                    file = out_dir / f"{name}-{width_name}.png"
                    page.screenshot(path=str(file), full_page=full_page)
                    written.append(file)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: build into a temporary folder, photograph, list the files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT_DIR, help="default: docs/screenshots")
    parser.add_argument("--full-page", action="store_true", help="whole pages, not the screen")
    parser.add_argument("--today", help="SITE_TODAY for the build (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    overrides = site_today(args.today) if args.today else {}
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        output = Path(folder) / "output"
        try:
            build_site(output, overrides=overrides)
            files = take(output, args.out, full_page=args.full_page)
        except BuildError as error:
            print(f"screenshots: the site did not build:\n{error}", file=sys.stderr)
            return 1
        except ScreenshotError as error:
            print(error, file=sys.stderr)
            return 1
    for file in files:
        print(f"{file.relative_to(PROJECT_ROOT) if file.is_relative_to(PROJECT_ROOT) else file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
