"""linkcheck.toml: the ignore list (reasons, expiry, unused entries) and live-check settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tools.build import PROJECT_ROOT, load_settings
from tools.linkcheck.config import ConfigError, LiveSettings, Prefix, SiteConfig, load_config
from tools.linkcheck.ignore import IgnoreConfigError, IgnoreList

TODAY = date(2026, 11, 23)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "linkcheck.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_project_config_loads() -> None:
    config = load_config(PROJECT_ROOT / "linkcheck.toml")
    assert config.live.per_host == 2
    assert config.live.min_interval >= 1.0


def test_a_missing_config_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "linkcheck.toml")
    assert config.live == LiveSettings()
    assert config.ignore.entries == ()


def test_entries_settings_and_matching(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[external]
timeout = 5
budget = 60.5
per_host = 1

[[ignore]]
url = "https://www.linkedin.com/school/example/"
reason = "LinkedIn answers robots with 999"

[[ignore]]
pattern = '^https://doi\\.org/'
reason = "DOI resolver rate-limits; checked monthly by hand"
expires = 2027-01-31
""",
    )
    config = load_config(path)
    assert (config.live.timeout, config.live.budget, config.live.per_host) == (5.0, 60.5, 1)
    first, second = config.ignore.entries
    assert first.matches("https://www.linkedin.com/school/example/#about")
    assert not first.matches("https://www.linkedin.com/school/other/")
    assert second.matches("https://doi.org/10.1136/bmj.x")
    assert not second.matches("https://example.org/?u=https://doi.org/")
    assert second.expires == date(2027, 1, 31)
    assert config.ignore.match("https://doi.org/10.1/x", TODAY) is second


def test_expired_entries_no_longer_match_and_are_reported() -> None:
    ignore = IgnoreList.from_entries(
        [
            {"url": "https://a.example.org/", "reason": "moving", "expires": "2026-11-22"},
            {"url": "https://b.example.org/", "reason": "moving", "expires": "2026-11-23"},
        ]
    )
    assert ignore.match("https://a.example.org/", TODAY) is None
    assert ignore.match("https://b.example.org/", TODAY) is not None  # valid through that day
    assert [entry.url for entry in ignore.expired(TODAY)] == ["https://a.example.org/"]


def test_unused_entries_are_reported() -> None:
    ignore = IgnoreList.from_entries(
        [
            {"url": "https://a.example.org/", "reason": "wall"},
            {"pattern": "gone\\.example", "reason": "retired site"},
        ]
    )
    unused = ignore.unused(["https://a.example.org/", "https://b.example.org/"])
    assert [entry.number for entry in unused] == [2]
    assert "#2" in unused[0].describe() and "retired site" in unused[0].describe()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"url": "https://a.example.org/"}, "needs a 'reason'"),
        ({"url": "https://a.example.org/", "reason": "  "}, "needs a 'reason'"),
        ({"reason": "why"}, "exactly one of 'url' or 'pattern'"),
        ({"url": "https://a/", "pattern": "a", "reason": "why"}, "exactly one of"),
        ({"pattern": "(", "reason": "why"}, "bad pattern"),
        ({"url": "", "reason": "why"}, "non-empty string"),
        ({"url": "https://a/", "reason": "why", "expires": "someday"}, "must be a date"),
        ({"url": "https://a/", "reason": "why", "until": "2027-01-01"}, "unknown key"),
    ],
)
def test_malformed_entries_are_rejected_with_their_number(entry: dict, message: str) -> None:
    with pytest.raises(IgnoreConfigError, match=message) as raised:
        IgnoreList.from_entries([{"url": "https://ok/", "reason": "fine"}, entry])
    assert "entry #2" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[external]\ntimeout = 'soon'\n", "timeout must be a number"),
        ("[external]\nper_host = 2.5\n", "per_host must be a whole number"),
        ("[external]\nspeed = 1\n", "no setting 'speed'"),
        ("[checks]\n", "unknown table"),
        ("[external\n", "not valid TOML"),
    ],
)
def test_malformed_settings_are_rejected(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, text))


def test_the_dev_settings_make_root_relative_and_local_absolute_links_internal() -> None:
    config = SiteConfig.from_settings(load_settings(PROJECT_ROOT / "pelicanconf.py"), PROJECT_ROOT)
    settings = load_settings(PROJECT_ROOT / "pelicanconf.py")
    assert config.prefixes == (Prefix.parse(settings["SITE_ABSOLUTE_URL"]),)
    assert config.root_path == ""


def test_the_publish_settings_make_the_public_address_internal(monkeypatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://quality.example.org")
    settings = load_settings(PROJECT_ROOT / "publishconf.py")
    config = SiteConfig.from_settings(settings, PROJECT_ROOT)
    assert config.prefixes == (Prefix("quality.example.org", ""),)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[external]\ntimeout = "x"\n', "[external] timeout must be a number, got 'x'"),
        ("[external]\ntimeout = -1.0\n", "[external] timeout = -1.0: must be from 0.1 to 600"),
        ("[external]\nbudget = 1e308\n", "[external] budget = 1e+308: must be from 1 to 86400"),
        ("[external]\nworkers = 0\n", "[external] workers = 0: must be from 1 to 64"),
        ("[external]\nper_host = 1000\n", "[external] per_host = 1000: must be from 1 to 16"),
        ("[external]\nmax_redirects = -1\n", "[external] max_redirects = -1: must be from 0"),
        (
            '[external]\nuser_agent = "a\\r\\nX-Injected: 1"\n',
            "[external] user_agent = 'a\\r\\nX-Injected: 1': must be one line of 1 to 200 "
            "printable ASCII characters (it is sent as an HTTP header)",
        ),
        ("x = \n", "not valid TOML"),
        ('[[ignore]]\npattern = "("\nreason = "x"\n', "[[ignore]] entry #1: bad pattern '('"),
        ("[external]\nallow_private = true\n", "[external] has no setting 'allow_private'"),
    ],
)
def test_a_bad_linkcheck_toml_is_one_line_from_the_command_never_a_traceback(
    tmp_path: Path, toml: str, message: str
) -> None:
    import subprocess
    import sys

    from tools.build import PROJECT_ROOT

    config = tmp_path / "linkcheck.toml"
    config.write_text(toml, encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<!doctype html><title>x</title>")
    command = [sys.executable, "-m", "tools.linkcheck", "--offline", "--config", str(config)]
    result = subprocess.run(
        [*command, "--report", str(tmp_path / "r.json"), str(output)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"linkcheck: {config}: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_checking_a_folder_that_was_never_built_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tools.build import PROJECT_ROOT

    missing = tmp_path / "output"
    result = subprocess.run(
        [sys.executable, "-m", "tools.linkcheck", "--offline", str(missing)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (
        2,
        f"linkcheck: no built site at {missing}: build it first\n",
    )


@pytest.mark.parametrize("build", [True, False], ids=["build", "no-build"])
def test_make_linkcheck_with_a_settings_file_that_does_not_exist(build: bool) -> None:
    import subprocess
    import sys
    from pathlib import Path

    from tools.build import PROJECT_ROOT

    invoke = Path(sys.executable).with_name("invoke")
    command = [str(invoke), "linkcheck", "--offline", "--settings", "no-such-conf.py"]
    result = subprocess.run(
        [*command, *([] if build else ["--no-build"])],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "no-such-conf.py" in result.stderr and "Traceback" not in result.stderr
