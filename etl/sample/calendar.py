"""Working days on numpy day numbers, decided by the warehouse's own calendar.

Why: the sample draws latencies in China working days (Spring Festival, National Day, make-up
Saturdays), and the warehouse measures them against dim_date. Both must agree, so the flags come
from `etl.workdays` (chinesecalendar, then reference/calendar_overrides.csv, then the weekday
rule), fetched once for the whole range and kept as numpy arrays: the generators then move
millions of days without a Python loop.

Days are integers (days since 1970-01-01, what numpy's datetime64[D] and polars' Date hold);
timestamps are seconds, China time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from etl import workdays

EPOCH = date(1970, 1, 1)
DAY_S = 86_400

# The days the generators may touch: from a month before the data window to two years past the
# data date (removals, closings and grants after it only decide which cells are left empty).
CALENDAR_FIRST = date(2021, 12, 1)
CALENDAR_LAST = date(2028, 12, 31)


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


@dataclass(frozen=True)
class WorkCalendar:
    """Working-day flags for a range of days, and the sorted day numbers of its working days.

    Days outside the range count as the first or last day of it (callers stay inside it).
    """

    first: int  # day number of flags[0]
    flags: np.ndarray
    working: np.ndarray  # day numbers of the working days, ascending, int64

    @classmethod
    def build(
        cls,
        first: date = CALENDAR_FIRST,
        last: date = CALENDAR_LAST,
        overrides: Path = workdays.OVERRIDES,
    ) -> WorkCalendar:
        """The calendar of [first, last] as `etl.workdays` decides it."""
        flags = workdays.workday_flags(first, last, overrides)
        lo = day_number(first)
        return cls(first=lo, flags=flags, working=(np.flatnonzero(flags) + lo).astype(np.int64))

    @property
    def last(self) -> int:
        """Day number of the range's last day."""
        return self.first + len(self.flags) - 1

    def is_workday(self, days: np.ndarray) -> np.ndarray:
        """Working-day flag of each day."""
        return self.flags[np.clip(days, self.first, self.last) - self.first]

    def add_workdays(self, days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """The n-th working day after each day; n = 0 keeps the day itself (even a holiday)."""
        wd = self.working
        days = np.asarray(days, dtype=np.int64)
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), days.shape)
        pos = np.searchsorted(wd, days, side="right") + n - 1
        return np.where(n > 0, wd[np.clip(pos, 0, len(wd) - 1)], days)

    def next_workday(self, days: np.ndarray) -> np.ndarray:
        """Each day if it is a working day, else the next working day."""
        wd = self.working
        pos = np.searchsorted(wd, np.asarray(days, dtype=np.int64), side="left")
        return wd[np.clip(pos, 0, len(wd) - 1)]

    def last_workday(self, year: int) -> int:
        """The year's last working day."""
        wd = self.working
        return int(wd[np.searchsorted(wd, day_number(date(year, 12, 31)), side="right") - 1])


@lru_cache(maxsize=1)
def project_calendar() -> WorkCalendar:
    """The calendar every generator uses, built once per process."""
    return WorkCalendar.build()


def is_workday(days: np.ndarray) -> np.ndarray:
    """Working-day flag of each day, by the project calendar."""
    return project_calendar().is_workday(days)


def add_workdays(days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """The n-th working day after each day (n = 0: the day itself), by the project calendar."""
    return project_calendar().add_workdays(days, n)


def next_workday(days: np.ndarray) -> np.ndarray:
    """Each day if it is a working day, else the next one, by the project calendar."""
    return project_calendar().next_workday(days)


def last_workday(year: int) -> int:
    """The year's last working day, by the project calendar."""
    return project_calendar().last_workday(year)


def year_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def month_of(days: np.ndarray) -> np.ndarray:
    """Month (1-12) of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1
