"""Page weight and JavaScript: every page with its local assets is at most 50 KB, and no page
needs JavaScript: the only scripts allowed are JSON-LD data blocks and one small file of the
theme (LOCAL_TIME_SCRIPT: it adds the visitor's own time; at most 2 KB gzipped, it asks no
other host for anything), loaded by src, deferred; tests/browser/test_no_javascript.py
proves that every page reads in full without it.

Weight is computed from the built files: the page's bytes plus, once each, every local file a
browser fetches to show it: stylesheets (including print ones, which browsers fetch too), their
``@import`` and ``url()`` references, icons, images (``src``, ``srcset``, ``poster``), scripts,
audio/video sources, embeds.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from tests.browser.harness import ShippedSite, soup

BUDGET_BYTES = 50 * 1024
# <link rel> values a browser fetches to render the page (not canonical, alternate, etc.).
FETCHED_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "manifest"}
CSS_REFERENCE = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)""")
DATA_SCRIPT_TYPES = {"application/ld+json"}
# The one script a page may load, and its limit in bytes once gzipped.
LOCAL_TIME_SCRIPT = "/theme/js/local-time.js"
SCRIPT_BUDGET_GZIPPED = 2 * 1024
EVENT_HANDLER = re.compile(r"^on[a-z]+$")


def local_file(site: ShippedSite, base_url: str, reference: str) -> Path | None:
    """The built file a reference on the page at ``base_url`` loads, if it is local."""
    reference = reference.strip()
    if not reference or reference.startswith(("data:", "#")):
        return None
    parts = urlsplit(urljoin("http://site.invalid" + base_url, reference))
    if parts.netloc != "site.invalid":
        return None
    return site.file(unquote(parts.path))


def page_references(site: ShippedSite, path: str) -> list[str]:
    """Every URL the page makes a browser fetch, as written."""
    document = soup(site, path)
    found = []
    for link in document.find_all("link", href=True):
        if FETCHED_LINK_RELS & {rel.lower() for rel in link.get("rel", [])}:
            found.append(link["href"])
    for element in document.find_all(["img", "script", "source", "audio", "video", "embed"]):
        for attribute in ("src", "poster"):
            if element.get(attribute):
                found.append(element[attribute])
        for candidate in element.get("srcset", "").split(","):
            if candidate.strip():
                found.append(candidate.split()[0])
    for element in document.find_all(["object"], data=True):
        found.append(element["data"])
    for style in document.find_all(style=True):
        found += [a or b for a, b in CSS_REFERENCE.findall(style["style"])]
    for block in document.find_all("style"):
        found += [a or b for a, b in CSS_REFERENCE.findall(block.get_text())]
    return found


def page_weight(site: ShippedSite, path: str) -> tuple[int, dict[str, int], list[str]]:
    """Total bytes of a page and its local assets, each asset's size, and missing assets."""
    sizes: dict[str, int] = {path: site.file(path).stat().st_size}
    missing: list[str] = []
    queue = [(path, reference) for reference in page_references(site, path)]
    while queue:
        base, reference = queue.pop()
        file = local_file(site, base, reference)
        if file is None:
            continue
        if not file.resolve().is_relative_to(site.output.resolve()):
            missing.append(f"{reference} (from {base}): outside the site")
            continue
        key = "/" + file.relative_to(site.output).as_posix()
        if key in sizes:
            continue
        if not file.is_file():
            missing.append(f"{reference} (from {base})")
            continue
        sizes[key] = file.stat().st_size
        if file.suffix == ".css":
            css = file.read_text(encoding="utf-8")
            queue += [(key, a or b) for a, b in CSS_REFERENCE.findall(css)]
    return sum(sizes.values()), sizes, missing


def test_page_weight_within_budget(site: ShippedSite, page_path: str) -> None:
    """The page plus every local asset it loads weighs at most 50 KB."""
    total, sizes, missing = page_weight(site, page_path)
    assert not missing, f"{page_path} loads local files that are not built: {missing}"
    listing = "\n  ".join(f"{size:>7} {name}" for name, size in sorted(sizes.items()))
    assert total <= BUDGET_BYTES, (
        f"{page_path} weighs {total} bytes with its assets, over the budget of {BUDGET_BYTES}:"
        f"\n  {listing}"
    )


def test_page_needs_no_javascript(site: ShippedSite, page_path: str) -> None:
    """No executable script, event handler or javascript: URL; only JSON-LD data blocks."""
    document = soup(site, page_path)
    problems = []
    for script in document.find_all("script"):
        kind = (script.get("type") or "text/javascript").lower()
        if kind in DATA_SCRIPT_TYPES and not script.get("src"):
            continue
        if not is_local_time_script(script):
            problems.append(f"<script type={kind!r} src={script.get('src')!r}>")
    for element in document.find_all(True):
        handlers = [name for name in element.attrs if EVENT_HANDLER.match(name)]
        if handlers:
            problems.append(f"<{element.name}> has event handler attributes {handlers}")
        for attribute in ("href", "src", "action", "formaction"):
            if str(element.get(attribute, "")).strip().lower().startswith("javascript:"):
                problems.append(f"<{element.name} {attribute}={element[attribute]!r}>")
    for noscript in document.find_all("noscript"):
        problems.append(f"<noscript> (content that depends on JavaScript): {noscript}")
    assert not problems, f"{page_path}:\n  " + "\n  ".join(problems)


def is_local_time_script(script: object) -> bool:
    """``<script src=".../theme/js/local-time.js" defer></script>``: the theme's one script,
    by address, deferred, with nothing inline."""
    attributes = dict(script.attrs)  # type: ignore[attr-defined]
    return (
        set(attributes) == {"src", "defer"}
        and urlsplit(attributes["src"]).path == LOCAL_TIME_SCRIPT
        and not urlsplit(attributes["src"]).netloc
        and not script.get_text().strip()  # type: ignore[attr-defined]
    )


def test_the_one_script_is_small_and_asks_nothing_of_other_hosts(site: ShippedSite) -> None:
    """local-time.js: at most 2 KB gzipped; it names no address, makes no request, loads no
    other code and writes no HTML (only text), so content can never run through it."""
    data = site.file(LOCAL_TIME_SCRIPT).read_bytes()
    assert len(gzip.compress(data, 9)) <= SCRIPT_BUDGET_GZIPPED, len(gzip.compress(data, 9))
    code = re.sub(r"/\*.*?\*/|^\s*// .*$", "", data.decode("utf-8"), flags=re.DOTALL | re.M)
    for word in ("http", "//", "fetch", "XMLHttpRequest", "import", "eval", "innerHTML",
                 "outerHTML", "insertAdjacentHTML", "document.write", "src", "sendBeacon",
                 "WebSocket", "Worker", "localStorage", "cookie"):  # fmt: skip
        assert word not in code, f"local-time.js uses {word!r}"
    pages = [p for p in site.pages if soup(site, p).find("script", src=True)]
    assert pages, "no page loads the script"
    assert "/sessions/" in pages and "/sessions/calendar/" in pages and "/" in pages


def test_weight_counts_each_local_asset_once_and_reports_missing(tmp_path: Path) -> None:
    """On a tiny site: the page, its stylesheet, what the stylesheet loads and its icon count
    once each; external and data: URLs do not count; a missing file is reported."""
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "site.css").write_text(
        "@import 'extra.css'; body { background: url(/theme/bg.png) }", encoding="utf-8"
    )
    (tmp_path / "theme" / "extra.css").write_text("p { background: url(bg.png) }")
    (tmp_path / "theme" / "bg.png").write_bytes(b"x" * 1000)
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="/theme/site.css">'
        '<link rel="stylesheet" href="theme/site.css" media="print">'
        '<link rel="canonical" href="/">'
        '<img src="https://example.org/big.png" alt=""><img src="data:," alt="">'
        '<img srcset="/theme/bg.png 1x, /missing.png 2x" alt="">',
        encoding="utf-8",
    )
    site = ShippedSite(tmp_path, ("/",))
    total, sizes, missing = page_weight(site, "/")
    assert set(sizes) == {"/", "/theme/site.css", "/theme/extra.css", "/theme/bg.png"}
    assert total == sum(f.stat().st_size for f in tmp_path.rglob("*") if f.is_file())
    assert missing == ["/missing.png (from /)"]
