"""Period parsing and arithmetic: quarter labels, previous periods, year-over-year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.errors import IpgovError
from etl.periods import Period, parse_quarter, quarter, quarters_between, resolve, year


@given(y=st.integers(1900, 2200), q=st.integers(1, 4))
def test_quarter_label_round_trips(y, q):
    p = parse_quarter(f"{y}Q{q}")
    assert p == quarter(y, q)
    assert p.start.month == 3 * q - 2 and p.end.month == 3 * q
    assert p.previous().end + dt.timedelta(days=1) == p.start  # quarters tile the calendar


@given(text=st.text(max_size=12))
def test_any_text_is_a_quarter_or_a_user_error(text):
    try:
        p = parse_quarter(text)
    except IpgovError:
        return
    assert isinstance(p, Period)


def test_previous_and_year_before():
    assert quarter(2024, 1).previous() == quarter(2023, 4)
    assert quarter(2024, 3).year_before() == quarter(2023, 3)
    assert year(2024).previous() == year(2023)
    custom = Period(dt.date(2024, 3, 1), dt.date(2024, 3, 10), "x")
    assert custom.previous().end == dt.date(2024, 2, 29)
    assert custom.previous().days == 10


def test_quarters_between_newest_first():
    labels = [p.label for p in quarters_between(dt.date(2022, 11, 1), dt.date(2023, 4, 1))]
    assert labels == ["2023Q2", "2023Q1", "2022Q4"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year_": 2024, "quarter_": "2024Q1"}, "give one of"),
        ({"start": dt.date(2024, 1, 1)}, "go together"),
        ({"start": dt.date(2024, 2, 1), "end": dt.date(2024, 1, 1)}, "before"),
    ],
)
def test_resolve_rejects_ambiguous_requests(kwargs, message):
    with pytest.raises(IpgovError, match=message):
        resolve(**kwargs)
