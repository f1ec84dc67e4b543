"""Reporting periods: a year, a quarter like 2024Q3, or a date range, and the one before it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from etl.errors import IpgovError

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True)
class Period:
    """Both dates included."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before: previous quarter, year, or same length."""
        if _is_quarter(self):
            start = _add_months(self.start, -3)
            return quarter(start.year, (start.month - 1) // 3 + 1)
        if _is_year(self):
            return year(self.start.year - 1)
        end = self.start - dt.timedelta(days=1)
        start = end - dt.timedelta(days=self.days - 1)
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")

    def year_before(self) -> Period:
        """The same period one year earlier (for year-over-year change)."""
        if _is_quarter(self):
            return quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        start = _shift_year(self.start, -1)
        end = _shift_year(self.end, -1)
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _is_quarter(p: Period) -> bool:
    return (
        p.start.day == 1
        and p.start.month in (1, 4, 7, 10)
        and p.end == _add_months(p.start, 3) - dt.timedelta(days=1)
    )


def _is_year(p: Period) -> bool:
    return p.start == dt.date(p.start.year, 1, 1) and p.end == dt.date(p.start.year, 12, 31)


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))


def quarter(y: int, q: int) -> Period:
    start = dt.date(y, 3 * (q - 1) + 1, 1)
    return Period(start, _add_months(start, 3) - dt.timedelta(days=1), f"{y}Q{q}")


def parse_quarter(text: str) -> Period:
    """'2024Q3', '2024-Q3' or '2024q3' → that quarter; anything else is the user's mistake."""
    match = _QUARTER.match(text)
    if not match:
        raise IpgovError(f"quarter {text!r} is not like 2024Q3")
    return quarter(int(match.group(1)), int(match.group(2)))


def quarter_of(day: dt.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def resolve(
    year_: int | None = None,
    quarter_: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    default: Period | None = None,
) -> Period:
    """The one period a command line asked for (at most one way of asking)."""
    ways = sum(x is not None for x in (year_, quarter_)) + (start is not None or end is not None)
    if ways > 1:
        raise IpgovError("give one of --year, --quarter, or --from/--to")
    if year_ is not None:
        return year(year_)
    if quarter_ is not None:
        return parse_quarter(quarter_)
    if start is not None or end is not None:
        if start is None or end is None:
            raise IpgovError("--from and --to go together")
        if end < start:
            raise IpgovError(f"--to {end} is before --from {start}")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    if default is None:
        raise IpgovError("no period given")
    return default


def quarters_between(first: dt.date, last: dt.date) -> list[Period]:
    """Every quarter touching [first, last], newest first (for a quarter picker)."""
    out = []
    current = quarter_of(last)
    while current.end >= first:
        out.append(current)
        current = current.previous()
    return out
