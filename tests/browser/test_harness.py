"""The harness's own rules: page addresses, page kinds, and the missing-program policy
(skip locally with the reason; fail when CI is set)."""

from __future__ import annotations

import pytest

from tests.browser.harness import page_kind, require, url_path


def test_built_files_map_to_the_addresses_they_are_served_at() -> None:
    assert url_path("index.html") == "/"
    assert url_path("sessions/index.html") == "/sessions/"
    assert url_path("404.html") == "/404.html"


def test_pages_of_one_template_share_a_kind() -> None:
    assert page_kind("/sessions/calendar/2027-01/") == page_kind("/sessions/calendar/")
    assert page_kind("/sessions/mhqs-online-2027-01/") == "session"
    assert page_kind("/sessions/subscribe/") == "/sessions/subscribe/"
    assert page_kind("/sessions/past/") == "/sessions/past/"


@pytest.mark.parametrize("value", ["", "0", "false", "no"])
def test_missing_program_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match=r"Chromium .*apt-get install chromium"):
        require(False, "Chromium", "apt-get install chromium")


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_missing_program_fails_in_ci(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require(False, "Chromium", "apt-get install chromium")


def test_present_program_neither_skips_nor_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require(True, "Chromium", "apt-get install chromium")
