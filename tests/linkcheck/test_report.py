"""Reports: grouped per page for people, complete for machines; the whole run end to end."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

from tools.linkcheck.cli import exit_status, run
from tools.linkcheck.config import SiteConfig
from tools.linkcheck.model import ExternalResult, Kind, Outcome, Problem, Usage
from tools.linkcheck.offline import check_site
from tools.linkcheck.report import ProgressLine, format_external, format_problems

PROBLEMS = [
    Problem(
        "programs/a/index.html",
        41,
        Kind.MISSING_FRAGMENT,
        "no id 'fees' on programs/b/index.html",
        url="/programs/b/#fees",
        where="<a href>",
        source="content/programs/a.md",
        source_line=12,
    ),
    Problem(
        "programs/a/index.html",
        7,
        Kind.MISSING_FILE,
        "no file theme/css/x.css in the output",
        url="/theme/css/x.css",
        where="<link href>",
        source="content/programs/a.md",
    ),
    Problem("orphan.html", None, Kind.ORPHAN, "no chain of links from the home page leads here"),
]


def test_problems_are_grouped_per_page_with_line_link_reason_and_source() -> None:
    text = format_problems(PROBLEMS)
    assert text == (
        "orphan.html: 1 problem\n"
        "  whole page: no chain of links from the home page leads here [orphan]\n"
        "\n"
        "programs/a/index.html (built from content/programs/a.md): 2 problems\n"
        "  line 41: <a href> \"/programs/b/#fees\": no id 'fees' on programs/b/index.html"
        " [missing-fragment]\n"
        "      source: content/programs/a.md, line 12 has this link\n"
        '  line 7: <link href> "/theme/css/x.css": no file theme/css/x.css in the output'
        " [missing-file]\n"
        "      source: not in content/programs/a.md, so it comes from the theme or a plugin"
    )


def test_external_report_lists_failures_and_moves_with_every_use() -> None:
    use = Usage("index.html", 3, "https://a.example.org/x#y", "content/pages/about.md")
    results = [
        ExternalResult("https://ok.example.org/", Outcome.OK, "ok (200)", usages=[use]),
        ExternalResult("https://a.example.org/x", Outcome.BROKEN, "not found (404)", usages=[use]),
        ExternalResult("https://w.example.org/", Outcome.UNVERIFIED, "999", usages=[use]),
        ExternalResult(
            "https://m.example.org/",
            Outcome.OK,
            "ok (200); moved permanently to https://n.example.org/: update the link",
            permanent_redirect="https://n.example.org/",
            usages=[use],
        ),
        ExternalResult("https://i.example.org/", Outcome.IGNORED, "ignored: wall", usages=[use]),
    ]
    text = format_external(results)
    blocks = text.split("\n\n")
    assert [block.split(" ", 1)[0] for block in blocks] == ["BROKEN", "UNVERIFIED", "MOVED"]
    assert blocks[0] == (
        "BROKEN https://a.example.org/x: not found (404)\n"
        "  used on index.html line 3 (content/pages/about.md)"
    )


def test_progress_on_a_pipe_prints_whole_lines() -> None:
    stream = io.StringIO()
    progress = ProgressLine(stream, every=3600)
    progress(0, 2, Counter())
    progress(1, 2, Counter({Outcome.BROKEN: 1}))  # too soon after the first: not printed
    progress(2, 2, Counter({Outcome.BROKEN: 1, Outcome.UNVERIFIED: 1}))
    assert stream.getvalue().splitlines() == [
        "checking external links: 0/2 done, 0 broken, 0 unverified",
        "checking external links: 2/2 done, 1 broken, 1 unverified",
    ]


def _tiny_site(tmp_path: Path, base: str) -> tuple[Path, Path, Path]:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text(
        "<!doctype html><title>Home</title>\n"
        f'<a href="{base}/ok">fine</a>\n'
        f'<a href="{base}/missing#part">gone</a>\n'
        f'<a href="{base}/bot-wall">wall</a>\n'
        f'<a href="{base}/moved">moved</a>\n'
        '<a href="/about/">about</a>\n',
        "utf-8",
    )
    settings = tmp_path / "siteconf.py"
    settings.write_text('SITEURL = ""\nSITE_ABSOLUTE_URL = "http://127.0.0.1:8000"\n', "utf-8")
    config = tmp_path / "linkcheck.toml"
    config.write_text(
        "[external]\ntimeout = 1.0\nbudget = 10.0\nmin_interval = 0.0\n\n"
        f'[[ignore]]\nurl = "{base}/retired"\nreason = "an old page we no longer link to"\n',
        "utf-8",
    )
    return output, settings, config


def test_a_whole_run_reports_offline_and_live_problems_and_fails(
    http_server, tmp_path: Path
) -> None:
    output, settings, config = _tiny_site(tmp_path, http_server.base)
    stream, progress = io.StringIO(), io.StringIO()
    report = tmp_path / "reports" / "linkcheck.json"
    status = run(
        output,
        settings_file=settings,
        config_file=config,
        cache_dir=tmp_path / "cache",
        report_file=report,
        stream=stream,
        progress_stream=progress,
        allowed_local_endpoints=[http_server.endpoint],
    )
    assert status == 1
    text = stream.getvalue()
    assert 'line 6: <a href> "/about/": no file about/index.html in the output' in text
    assert "an external link over plain http://" in text  # the test server is plain http
    missing = http_server.url("/missing")
    assert f"BROKEN {missing}: not found (404)\n  used on index.html line 3\n" in text
    assert f"UNVERIFIED {http_server.url('/bot-wall')}" in text
    assert f"MOVED {http_server.url('/moved')}: ok (200); moved permanently to " in text
    assert "External links: 4 unique URLs (0 from the cache): 2 ok, 1 broken, 1 unverified" in text
    assert "unused (the site no longer links there): [[ignore]] #1" in text
    assert progress.getvalue().splitlines()[-1] == (
        "checking external links: 4/4 done, 1 broken, 1 unverified"
    )
    data = json.loads(report.read_text("utf-8"))
    assert data["summary"]["offline_problems"] == 5
    assert data["summary"]["external"] == {"broken": 1, "ok": 2, "unverified": 1}
    assert {p["kind"] for p in data["offline"]} == {"missing-file", "insecure-link"}
    outcomes = {r["url"]: r["outcome"] for r in data["external"]}
    assert outcomes[http_server.url("/ok")] == "ok"
    assert outcomes[missing] == "broken"
    assert data["ignore"]["unused"] and not data["ignore"]["expired"]
    cached = json.loads((tmp_path / "cache" / "external.json").read_text("utf-8"))
    assert sorted(cached["entries"]) == [http_server.url("/moved"), http_server.url("/ok")]


def test_a_clean_run_exits_zero(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text('<a href="/">home</a> <a href="#x" id="x">x</a>', "utf-8")
    settings = tmp_path / "siteconf.py"
    settings.write_text('SITEURL = ""\nSITE_ABSOLUTE_URL = "http://127.0.0.1:8000"\n', "utf-8")
    stream = io.StringIO()
    status = run(
        output,
        settings_file=settings,
        config_file=tmp_path / "none.toml",
        cache_dir=tmp_path / "cache",
        report_file=tmp_path / "report.json",
        stream=stream,
        progress_stream=io.StringIO(),
    )
    assert status == 0, stream.getvalue()
    assert "Offline check: 1 built files, 0 problems" in stream.getvalue()
    assert "External links: 0 unique URLs" in stream.getvalue()


def test_unverified_links_are_reported_but_do_not_fail(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<p>No links.</p>", "utf-8")
    check = check_site(output, SiteConfig())
    wall = ExternalResult("https://w.example.org/", Outcome.UNVERIFIED, "999")
    broken = ExternalResult("https://b.example.org/", Outcome.BROKEN, "not found (404)")
    assert exit_status(check, [wall]) == 0
    assert exit_status(check, None) == 0
    assert exit_status(check, [wall, broken]) == 1
    (output / "index.html").write_text('<a href="/nowhere/">x</a>', "utf-8")
    assert exit_status(check_site(output, SiteConfig()), [wall]) == 1
