"""`make publish` checks SITE_URL and PUBLISH_RSYNC_TARGET before it builds or sends anything:
the real invoke task in a copy of the project, real rsync, and publishconf.py as Pelican
reads it."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tools.build import PROJECT_ROOT, load_settings

INVOKE = Path(sys.executable).with_name("invoke")
PUBLISHCONF = PROJECT_ROOT / "publishconf.py"
PROJECT_FILES = ["tasks.py", "pelicanconf.py", "publishconf.py"]
PROJECT_FOLDERS = ["tools", "plugins", "theme", "content"]
EXAMPLE = (
    "give the https address the site is published at, e.g. SITE_URL=https://example.org make "
    "publish"
)
DOMAIN = "IDNA 2008: letters, digits and hyphens in dot-separated labels of 1 to 63 characters"

# (SITE_URL, what the error says after "SITE_URL: ")
BAD_SITE_URLS = [
    ("", f"'': is not set; {EXAMPLE}"),
    ("http://example.org", f"'http://example.org': must start with https://; {EXAMPLE}"),
    ("ftp://example.org", f"'ftp://example.org': must start with https://; {EXAMPLE}"),
    ("example.org", f"'example.org': must start with https://; {EXAMPLE}"),
    ("https:example.org", f"'https:example.org': must start with https://; {EXAMPLE}"),
    (
        "https://user:secret@example.org",
        "'https://user:***@example.org': has a user name or password (user:password@), which "
        "would be written into every page; give the address without it, e.g. "
        "SITE_URL=https://example.org make publish",
    ),
    (
        "https://user@example.org",
        "'https://user@example.org': has a user name or password (user:password@), which "
        "would be written into every page; give the address without it, e.g. "
        "SITE_URL=https://example.org make publish",
    ),
    (
        "https://example.org/?utm=x",
        "'https://example.org/?utm=x': has a query (?...), which would be added to every link; "
        "remove it",
    ),
    (
        "https://example.org/?",
        "'https://example.org/?': has a query (?...), which would be added to every link; "
        "remove it",
    ),
    (
        "https://example.org/#top",
        "'https://example.org/#top': has a fragment (#...), which would break every link; "
        "remove it",
    ),
    ("https://", f"'https://': has no host name; {EXAMPLE}"),
    ("https:///site", f"'https:///site': has no host name; {EXAMPLE}"),
    (
        "https://exa mple.org",
        "'https://exa mple.org': contains the character U+0020 (a space or control character); "
        "remove it (a URL has no spaces; write %20 in a path)",
    ),
    (
        "https://exa\tmple.org",
        "'https://exa\\tmple.org': contains the character U+0009 (a space or control "
        "character); remove it (a URL has no spaces; write %20 in a path)",
    ),
    (
        "https://example.org/\u2028",
        "'https://example.org/\\u2028': contains the character U+2028 (a space or control "
        "character); remove it (a URL has no spaces; write %20 in a path)",
    ),
    (
        "https://ex_ample.org",
        "'https://ex_ample.org': has a host name 'ex_ample.org' that is not a valid domain name "
        f"(Codepoint U+005F at position 3 of 'ex_ample' not allowed; {DOMAIN}); {EXAMPLE}",
    ),
    (
        "https://xn--zz.example",
        "'https://xn--zz.example': has a host name 'xn--zz.example' that is not a valid domain "
        f"name (Invalid A-label; {DOMAIN}); {EXAMPLE}",
    ),
    (
        "https://a..example",
        "'https://a..example': has a host name 'a..example' that is not a valid domain name "
        f"(Empty Label; {DOMAIN}); {EXAMPLE}",
    ),
    (
        "https://-bad.example",
        "'https://-bad.example': has a host name '-bad.example' that is not a valid domain name "
        f"(Label must not start or end with a hyphen; {DOMAIN}); {EXAMPLE}",
    ),
    (
        "https://1.2.3",
        f"'https://1.2.3': has a host '1.2.3' that is neither a domain name nor an IPv4 address; "
        f"{EXAMPLE}",
    ),
    (
        "https://[zz]",
        "'https://[zz]': is not a valid URL ('zz' does not appear to be an IPv4 or IPv6 "
        "address); check the port (1 to 65535) and the host",
    ),
    (
        "https://example.org:99999",
        "'https://example.org:99999': is not a valid URL (Port out of range 0-65535); check the "
        "port (1 to 65535) and the host",
    ),
    (
        "https://example.org:http",
        "'https://example.org:http': is not a valid URL (Port could not be cast to integer "
        "value as 'http'); check the port (1 to 65535) and the host",
    ),
    (
        "https://example.org:0",
        "'https://example.org:0': has the port 0, outside 1 to 65535; use a port from 1 to 65535",
    ),
    (
        "https://example.org:",
        "'https://example.org:': has an empty port after the ':'; remove the ':' or give the port",
    ),
    (
        'https://example.org/"onload="x',
        "'https://example.org/\"onload=\"x': has a path '/\"onload=\"x' with characters a URL "
        "may not hold unescaped; percent-encode them (e.g. %C3%A9 for é) or choose a plain path",
    ),
    (
        "https://example.org/caf\u00e9",
        "'https://example.org/café': has a path '/café' with characters a URL may not hold "
        "unescaped; percent-encode them (e.g. %C3%A9 for é) or choose a plain path",
    ),
]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SITE_URL")}
    return {**env, "SITE_TODAY": "2026-11-23", **extra}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's code and content (with the project's .venv), so that
    `invoke publish` builds into the copy's output/, never the project's."""
    root = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        shutil.copy2(PROJECT_ROOT / name, root / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(
            PROJECT_ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    return root


def invoke(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INVOKE), *args],
        cwd=project,
        env=environment(**env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=180,
    )


@pytest.mark.parametrize(("site_url", "message"), BAD_SITE_URLS, ids=[u for u, _ in BAD_SITE_URLS])
def test_make_publish_refuses_a_bad_site_url_before_building(
    project: Path, tmp_path: Path, site_url: str, message: str
) -> None:
    target = tmp_path / "www"
    target.mkdir()
    shutil.rmtree(project / "output", ignore_errors=True)
    run = invoke(
        project,
        "publish",
        "--target",
        "rsync",
        SITE_URL=site_url,
        PUBLISH_RSYNC_TARGET=f"{target}/",
    )
    assert run.returncode == 1
    assert run.stdout == f"publish: SITE_URL: {message}\n"
    assert not (project / "output").exists()  # nothing was built
    assert list(target.iterdir()) == []  # nothing was sent


@pytest.mark.parametrize(("site_url", "message"), BAD_SITE_URLS, ids=[u for u, _ in BAD_SITE_URLS])
def test_publishconf_refuses_the_same_site_urls_with_the_same_words(
    monkeypatch: pytest.MonkeyPatch, site_url: str, message: str
) -> None:
    monkeypatch.setenv("SITE_URL", site_url)
    with pytest.raises(SystemExit) as refused:
        load_settings(PUBLISHCONF)
    assert str(refused.value) == f"publishconf.py: SITE_URL: {message}"


def test_the_workflows_build_command_refuses_a_site_url_with_a_password(project: Path) -> None:
    """CI runs `make build ARGS="--settings publishconf.py"` with SITE_URL from Pages."""
    run = invoke(
        project, "build", "--settings", "publishconf.py", SITE_URL="https://u:pw@example.org"
    )
    assert run.returncode == 1
    assert run.stdout.startswith("publishconf.py: SITE_URL: 'https://u:***@example.org': has a")
    assert "pw" not in run.stdout and "Traceback" not in run.stdout


@pytest.mark.parametrize(
    ("site_url", "site"),
    [
        ("https://example.org", "https://example.org"),
        ("https://example.org/site/", "https://example.org/site"),
        ("HTTPS://Example.ORG:443/Site/", "https://example.org/Site"),
        ("https://b\u00fccher.example/a%20b/", "https://xn--bcher-kva.example/a%20b"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("https://[2001:db8::1]/", "https://[2001:db8::1]"),
        ("https://192.0.2.10/site", "https://192.0.2.10/site"),
    ],
)
def test_good_site_urls_are_accepted_in_one_normal_form(
    monkeypatch: pytest.MonkeyPatch, site_url: str, site: str
) -> None:
    monkeypatch.setenv("SITE_URL", site_url)
    settings = load_settings(PUBLISHCONF)
    assert (settings["SITEURL"], settings["SITE_ABSOLUTE_URL"]) == (site, site)


def _require_rsync() -> str:
    found = shutil.which("rsync")
    if found is None:
        message = "rsync is not installed (apt-get install rsync)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "",
            "publish: set PUBLISH_RSYNC_TARGET, e.g. PUBLISH_RSYNC_TARGET=user@host:/var/www/site/",
        ),
        (
            "--dry-run",
            "publish: PUBLISH_RSYNC_TARGET: '--dry-run': starts with '-', so rsync would read it "
            "as an option instead of a destination; give a destination such as "
            "PUBLISH_RSYNC_TARGET=user@host:/var/www/site/ (or a local folder path)",
        ),
        (
            "-e",
            "publish: PUBLISH_RSYNC_TARGET: '-e': starts with '-', so rsync would read it as an "
            "option instead of a destination; give a destination such as "
            "PUBLISH_RSYNC_TARGET=user@host:/var/www/site/ (or a local folder path)",
        ),
        (
            "user@-oProxyCommand=touch x:/var/www/",
            "publish: PUBLISH_RSYNC_TARGET: 'user@-oProxyCommand=touch x:/var/www/': the host "
            "'-oProxyCommand=touch x' starts with '-', so ssh would read it as an option; give a "
            "destination such as PUBLISH_RSYNC_TARGET=user@host:/var/www/site/ (or a local "
            "folder path)",
        ),
        (
            "host:/var/www/\nx",
            "publish: PUBLISH_RSYNC_TARGET: 'host:/var/www/\\nx': contains the control character "
            "U+000A; give a destination such as PUBLISH_RSYNC_TARGET=user@host:/var/www/site/ "
            "(or a local folder path)",
        ),
    ],
)
def test_make_publish_refuses_an_rsync_target_that_is_an_option_or_empty(
    project: Path, target: str, message: str
) -> None:
    _require_rsync()
    shutil.rmtree(project / "output", ignore_errors=True)
    run = invoke(
        project,
        "publish",
        "--target",
        "rsync",
        SITE_URL="https://example.org",
        PUBLISH_RSYNC_TARGET=target,
    )
    assert run.returncode == 1
    assert run.stdout == f"{message}\n"
    assert "Published" not in run.stdout
    assert not (project / "output").exists()


def test_make_publish_mirrors_with_rsync_and_ends_its_options_with_a_double_dash(
    project: Path, tmp_path: Path
) -> None:
    """The real build and the real rsync; a wrapper on PATH records rsync's arguments."""
    real = _require_rsync()
    tools = tmp_path / "bin"
    tools.mkdir()
    log = tmp_path / "rsync-arguments"
    wrapper = tools / "rsync"
    wrapper.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\nexec "{real}" "$@"\n', encoding="utf-8"
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("old")
    run = invoke(
        project,
        "publish",
        "--target",
        "rsync",
        SITE_URL="https://example.org/site/",
        PUBLISH_RSYNC_TARGET=f"{target}/",
        PATH=f"{tools}{os.pathsep}{os.environ['PATH']}",
    )
    assert run.returncode == 0, run.stdout
    assert run.stdout.rstrip().endswith(f"Published {project / 'output'} to rsync")
    arguments = log.read_text().splitlines()
    assert arguments[-3:] == ["--", f"{project / 'output'}/", f"{target}/"]
    assert all(argument.startswith("--") for argument in arguments[:-3])
    assert not (target / "stale.html").exists()
    built = (project / "output" / "index.html").read_bytes()
    assert (target / "index.html").read_bytes() == built
    assert b'href="https://example.org/site/' in built
