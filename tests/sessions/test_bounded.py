"""The bounded parsers: any text gives a value inside the bounds, None, or OutOfBoundsError;
never another exception (Python's own limits are never reached)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.plugins.info_sessions import bounded
from pelican.plugins.info_sessions.bounded import OutOfBoundsError

TEXT = st.one_of(
    st.text(max_size=40),
    st.text("0123456789hm: -", max_size=60),
    st.integers(0, 10**6).map(lambda n: "9" * n if n < 6000 else str(n)),
)


@given(raw=TEXT)
def test_whole_number_never_fails_otherwise(raw: str) -> None:
    try:
        value = bounded.whole_number(raw, 2**31 - 1)
    except OutOfBoundsError:
        return
    assert value is None or 0 <= value <= 2**31 - 1


@given(raw=TEXT)
def test_duration_never_fails_otherwise(raw: str) -> None:
    try:
        value = bounded.duration(raw, timedelta(hours=12))
    except OutOfBoundsError:
        return
    assert value is None or timedelta(0) <= value <= timedelta(hours=12 * 100 * 2)


@given(raw=st.one_of(TEXT, st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M"))))
def test_wall_clock_never_fails_otherwise(raw: str) -> None:
    try:
        value = bounded.wall_clock(raw)
    except OutOfBoundsError:
        return
    assert value is None or bounded.MIN_YEAR <= value.year <= bounded.MAX_YEAR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 0), ("007", 7), ("2147483647", 2**31 - 1), ("-1", None), ("٣", None), ("1.0", None)],
)
def test_whole_number_values(raw: str, expected: int | None) -> None:
    assert bounded.whole_number(raw, 2**31 - 1) == expected


@pytest.mark.parametrize("raw", ["2147483648", "9" * 5000, "0" * 5000 + "2147483648"])
def test_whole_number_refuses_what_passes_the_bound(raw: str) -> None:
    with pytest.raises(OutOfBoundsError):
        bounded.whole_number(raw, 2**31 - 1)


def test_dates_keep_to_their_years_and_windows() -> None:
    assert bounded.wall_clock("2027-02-30 12:00") is None
    assert bounded.wall_clock("2027-03-09 18:00") == datetime(2027, 3, 9, 18, 0)  # noqa: DTZ001
    assert bounded.calendar_date("2027-03-09") == date(2027, 3, 9)
    for raw in ("0001-01-01 00:00", "9999-12-31 23:59", "1899-12-31 23:59", "3000-01-01 00:00"):
        with pytest.raises(OutOfBoundsError):
            bounded.wall_clock(raw)
    window = bounded.DateWindow.around(date(2026, 11, 23), 1830, 730)
    assert (window.earliest, window.latest) == (date(2021, 11, 19), date(2028, 11, 22))
    assert window.holds(date(2028, 11, 22)) and not window.holds(date(2028, 11, 23))
