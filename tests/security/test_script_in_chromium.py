"""No script from content, ever: the evasion corpus on real builds, checked in Chromium.

- ``hostile_site``: a small site whose every content path to HTML carries a payload (program,
  quote and news header fields, Summary, curriculum TOML, figures.toml, a session's title and
  description, the About page), plus one news item per corpus snippet shown as text and per
  URL that only looks like script. It must build; then every built page is opened in
  Chromium (served by the browser harness's static server), every element of the main
  content is hovered, focused and clicked, and the page must open no dialog, hold no ``on*``
  or ``style`` attribute, no script other than JSON-LD and the theme's local-time.js, no
  javascript:/data:/vbscript: URL (as Chromium itself parses each URL attribute) and no
  frame, object, base or form.
- Every refused corpus URL, in every place Markdown puts a URL and in the Summary header,
  and every refused snippet, fails one real build, which names each file (and ``make check``
  names the same files).
- The checker itself is first run on a page that renders the same corpus with plain
  Markdown (no safe_markdown): there it must see dialogs and handlers, or it proves nothing.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from pelican.plugins.info_sessions.problems import Problem
from playwright.sync_api import Browser, Page

from safe_markdown import SafeMarkdownExtension, UnsafeMarkdownError
from tests.browser.harness import url_path
from tests.realsite import TEST_TODAY
from tests.security.corpus import HARMLESS_URLS, REFUSED_URLS, SNIPPETS, URL_FORMS, url_in
from tools.browser import StaticServer
from tools.build import BuildError, build_site
from tools.staff.content import read_content

pytestmark = pytest.mark.browser

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "programs" / "valid"
SESSION = Path(__file__).resolve().parents[1] / "data" / "hostile" / "minimal" / "sessions"


def payload(where: str) -> str:
    """Text that ends a script block, an attribute and a tag, then tries to run script."""
    return (
        f"</script><script>alert('{where}')</script>\"'><img src=x onerror=alert('{where}')>"
        f" <!--<script>"
    )


# -- the checker, run in Chromium ------------------------------------------------------------

# One pass over the page: every attribute of every element, as Chromium parsed them.
SCAN = """() => {
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "poster", "cite",
    "data", "background", "srcset", "xlink:href", "lowsrc", "dynsrc", "longdesc", "ping"]);
  const bad = new Set(["javascript:", "data:", "vbscript:"]);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag}> ${name}="${attribute.value}"`);
      if (name === "style") found.push(`<${tag}> style="${attribute.value}"`);
      if (!urlAttributes.has(name)) continue;
      const parts = name === "srcset"
        ? attribute.value.split(",").map((part) => part.trim().split(/\\s+/)[0])
        : [attribute.value];
      for (const part of parts) {
        let protocol;
        try { protocol = new URL(part, document.baseURI).protocol; }
        catch (error) { continue; }
        if (bad.has(protocol)) found.push(`<${tag}> ${name}="${attribute.value}" (${protocol})`);
      }
    }
  }
  for (const el of document.querySelectorAll("script")) {
    if (el.type === "application/ld+json" && !el.src) continue;
    // The theme's one script (the visitor's own time): same origin, by address, nothing inline.
    const src = el.src ? new URL(el.src) : null;
    if (src && src.origin === location.origin && src.pathname === "/theme/js/local-time.js"
        && !el.textContent.trim()) continue;
    found.push(`<script> ${el.outerHTML.slice(0, 80)}`);
  }
  const forbidden = "iframe, frame, frameset, object, embed, applet, base, form, svg, math, "
    + "style, meta[http-equiv], link[rel=import]";
  for (const el of document.querySelectorAll(forbidden)) {
    found.push(`<${el.tagName.toLowerCase()}>`);
  }
  return found;
}"""

# Hover, focus and click every element of the main content; clicks on ordinary links are
# kept from navigating (a javascript: link would still run: nothing stops it).
INTERACT = """() => {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (link && ["http:", "https:", "mailto:", "tel:", "webcal:"].includes(link.protocol)) {
      event.preventDefault();
    }
  }, true);
  const elements = document.querySelectorAll("main, main *");
  for (const el of elements) {
    for (const type of ["pointerover", "mouseover", "mouseenter", "mousemove", "pointerdown",
                        "mousedown", "mouseup", "click", "dblclick", "mouseout", "mouseleave"]) {
      el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
    }
    for (const type of ["focus", "focusin", "blur", "focusout"]) {
      el.dispatchEvent(new FocusEvent(type, {bubbles: true}));
    }
    if (el.focus) el.focus();
  }
  return elements.length;
}"""


def check_page(page: Page, url: str) -> list[str]:
    """Everything on ``url`` that could run script: dialogs it opened, and SCAN's findings."""
    dialogs: list[str] = []

    def on_dialog(dialog: object) -> None:
        dialogs.append(f"dialog: {dialog.message!r}")  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    page.on("dialog", on_dialog)
    try:
        page.goto(url, wait_until="load")
        found = page.evaluate(SCAN)
        page.evaluate(INTERACT)
        for link in page.locator(".hq-prose a, .hq-lead a, .hq-prose img").all():
            try:  # real mouse and keyboard on the rendered Markdown's links and images
                link.hover(force=True, timeout=1000)
                link.focus(timeout=1000)
                link.click(force=True, no_wait_after=True, timeout=1000)
            except Exception:
                continue
            if page.url.split("#")[0] != url.split("#")[0]:
                page.goto(url, wait_until="load")
        page.wait_for_timeout(100)  # timers and late errors of images
        found += page.evaluate(SCAN)
    finally:
        page.remove_listener("dialog", on_dialog)
    return dialogs + sorted(set(found))


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


# -- the hostile site ----------------------------------------------------------------------


def write_hostile_content(content: Path) -> None:
    """Fill a copy of the programs scenario with payloads in every path to HTML."""
    program = content / "programs" / "alpha.md"
    text = program.read_text(encoding="utf-8")
    for field in ("Title", "Institution", "Degree"):
        value = text.split(f"{field}: ", 1)[1].split("\n", 1)[0]
        text = text.replace(f"{field}: {value}", f"{field}: {value} {payload(field)}")
    text = text.replace(
        "Summary: The alpha program.",
        f"Summary: The alpha program {html.escape('<b>')} {payload('Summary')} and "
        f"[a harmless link]({HARMLESS_URLS[0].text}).\n"
        f"Audience: {payload('Audience')}\nRequirements: {payload('Requirements')}\n"
        f"Directors: {payload('Directors')}",
    )
    program.write_text(text + f"\n{payload('program body')}\n", encoding="utf-8")
    curriculum = content / "programs" / "alpha.toml"
    text = curriculum.read_text(encoding="utf-8")
    text = text.replace('title = "Course One"', f'title = """{payload("course")}"""')
    curriculum.write_text(
        text.replace('aim = "Learn one."', f'aim = """{payload("aim")}"""'), encoding="utf-8"
    )
    (content / "figures.toml").write_text(
        f'heading = """{payload("heading")}"""\nsource = """{payload("source")}"""\n'
        'source_program = "alpha"\n\n[[figures]]\n'
        f'value = """{payload("value")}"""\ntext = """{payload("figure")}"""\n',
        encoding="utf-8",
    )
    quote = content / "quotes" / "ann.md"
    text = quote.read_text(encoding="utf-8")
    for field in ("Person", "Role", "Organisation", "Source", "Context"):
        if f"\n{field}: " not in f"\n{text}":
            continue
        value = text.split(f"{field}: ", 1)[1].split("\n", 1)[0]
        text = text.replace(f"{field}: {value}", f"{field}: {value} {payload(field)}")
    quote.write_text(text + f"\n{payload('quote')}\n", encoding="utf-8")
    news = content / "news" / "launch.md"
    text = news.read_text(encoding="utf-8")
    text = text.replace("Title: A launch", f"Title: A launch {payload('news title')}")
    text = text.replace("Summary: Something launched.", f"Summary: {payload('news summary')}")
    news.write_text(text + f"\n{payload('news body')}\n", encoding="utf-8")
    sessions = content / "sessions"
    sessions.mkdir()
    session = (SESSION / "alpha-online.md").read_text(encoding="utf-8")
    session = session.replace("Title: Alpha online session", f"Title: Alpha {payload('Session')}")
    (sessions / "alpha-online.md").write_text(
        session + f"\n{payload('description')} [ok](/programs/)\n", encoding="utf-8"
    )
    in_person = (
        session.replace("Format: online", "Format: in-person")
        .replace("Join-URL: https://example.org/join/alpha\n", f"Location: {payload('Location')}\n")
        .replace("2026-12-08", "2026-12-15")
    )
    (sessions / "alpha-campus.md").write_text(in_person, encoding="utf-8")
    about = content / "pages" / "about.md"
    shown = [entry for entry in SNIPPETS if entry.verdict == "shown"]
    body = "\n\n".join(entry.text for entry in shown)
    about.write_text(about.read_text(encoding="utf-8") + f"\n{body}\n", encoding="utf-8")
    for number, entry in enumerate(shown):
        (content / "news" / f"shown-{entry.slug}.md").write_text(
            f"Title: Shown: {entry.name}\nDate: 2026-10-{number % 28 + 1:02d}\n\n{entry.text}\n",
            encoding="utf-8",
        )
    for number, entry in enumerate(HARMLESS_URLS):
        forms = "\n\n".join(url_in(form, entry.text) for form in URL_FORMS)
        (content / "news" / f"harmless-{entry.slug}.md").write_text(
            f"Title: Harmless: {entry.name}\nDate: 2026-09-{number + 1:02d}\n"
            f"Summary: [s]({entry.text})\n\n{forms}\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile site, built (it must build: everything in it is shown as text)."""
    root = tmp_path_factory.mktemp("hostile-site")
    content = root / "content"
    shutil.copytree(SCENARIO, content)
    write_hostile_content(content)
    output = root / "output"
    build_site(output, overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY})
    return output


def test_no_page_of_the_hostile_site_can_run_script(hostile_site: Path, tab: Page) -> None:
    pages = sorted(
        url_path(file.relative_to(hostile_site).as_posix()) for file in hostile_site.rglob("*.html")
    )
    shown = [entry for entry in SNIPPETS if entry.verdict == "shown"]
    assert len(pages) > len(shown) + len(HARMLESS_URLS)  # every news item has its page
    failures = {}
    with StaticServer(hostile_site) as base:
        for path in pages:
            found = check_page(tab, base + path)
            if found:
                failures[path] = found
    assert not failures, "\n".join(
        f"{path}:\n    " + "\n    ".join(found) for path, found in failures.items()
    )


def test_the_payloads_are_on_the_pages_as_text(hostile_site: Path) -> None:
    """The test above proves something only if the payloads reached the pages."""
    program = (hostile_site / "programs" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "&lt;/script&gt;&lt;script&gt;alert(&#39;Title&#39;)" in program
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert('Title')" in program  # JSON-LD
    about = (hostile_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "&lt;svg/onload=alert('svg')&gt;" in about
    for page, where in [
        ("sessions/alpha-campus", "Location"),
        ("sessions/alpha-online", "Session"),
        ("", "figure"),
        ("people", "Role"),
        ("news/launch", "news title"),
    ]:
        text = (hostile_site / page / "index.html").read_text(encoding="utf-8")
        assert f"&lt;/script&gt;&lt;script&gt;alert(&#39;{where}&#39;)" in text, page


# -- the refused corpus, on one real build ---------------------------------------------------


def refused_files() -> dict[str, str]:
    """news file name -> Markdown, for every refused URL in every form and every refused
    snippet, when Markdown makes it a link at all (a form that stays text is safe)."""
    files = {}
    for entry in REFUSED_URLS:
        for form in URL_FORMS:
            text = url_in(form, entry.text)
            try:
                markdown.markdown(text, extensions=["extra", SafeMarkdownExtension()])
            except UnsafeMarkdownError:
                name = f"url-{entry.slug}-{form.replace(' ', '-')}.md"
                files[name] = f"Title: {entry.name} in a {form}\nDate: 2026-10-01\n\n{text}\n"
        files[f"url-{entry.slug}-summary.md"] = (
            f"Title: {entry.name} in a Summary\nDate: 2026-10-01\n"
            f"Summary: See [this](<{entry.text}>).\n\nBody.\n"
        )
    for entry in SNIPPETS:
        if entry.verdict == "refused":
            files[f"snippet-{entry.slug}.md"] = (
                f"Title: {entry.name}\nDate: 2026-10-01\n\n{entry.text}\n"
            )
    return files


def test_every_refused_evasion_fails_the_build_naming_its_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SCENARIO, content)
    files = refused_files()
    for name, text in files.items():
        (content / "news" / name).write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    with pytest.raises(BuildError) as caught:
        build_site(output, overrides={"PATH": str(content), "SITE_TODAY": TEST_TODAY})
    assert not output.exists()
    problems = caught.value.problems
    assert all(isinstance(problem, Problem) for problem in problems), problems
    named = {problem.path for problem in problems}
    expected = {f"content/news/{name}" for name in files}
    assert expected - named == set(), "not refused: " + ", ".join(sorted(expected - named))
    assert named - expected == set(), named - expected
    for problem in problems:
        assert problem.line is not None, problem  # the line is known
        if problem.path.endswith("-summary.md"):  # a link in the Summary header names it
            assert problem.field == "Summary", problem
    checked = read_content(content=content, today=TEST_TODAY)
    assert {problem.path for problem in checked.problems} == expected


# -- the checker, on a page that is not protected ----------------------------------------------


def test_the_checker_catches_the_corpus_when_nothing_protects_the_page(
    tmp_path: Path, tab: Page
) -> None:
    """Plain Markdown (raw HTML on, no URL check) renders the corpus into a page: the same
    checker must see dialogs and handlers there, or its silence elsewhere proves nothing."""
    parts = [markdown.markdown(entry.text, extensions=["extra"]) for entry in SNIPPETS]
    parts += [markdown.markdown(url_in("link", e.text), extensions=["extra"]) for e in REFUSED_URLS]
    page = "<!doctype html><title>control</title><main>" + "\n".join(parts) + "</main>"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    with StaticServer(tmp_path) as base:
        found = check_page(tab, base + "/")
    dialogs = [line for line in found if line.startswith("dialog:")]
    assert len(dialogs) >= 5, found
    assert any("onmouseover" in line for line in found)
    assert any("(javascript:)" in line for line in found)
    assert any(line.startswith("<script>") for line in found)
