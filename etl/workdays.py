"""China working-day calendar for dim_date.

Each year is decided by the first of these that knows it (its `calendar_source`):

1. `chinesecalendar`: the package's statutory holidays and adjusted Saturday/Sunday working days,
   for the years it ships (2004–2026 in 1.11);
2. `imported`: the State Council's notice for that year as an office entered it with
   `ipgov calendar import` (etl/schedule_file.py reads it, etl/schedules.py stores it);
3. `statutory`: the statutory days of `reference/calendar_overrides.csv` (the Holiday Regulations
   fix *which* festival days are off, not how the notice moves a weekend holiday or which
   Saturdays are worked), on the weekday rule — **provisional**;
4. `weekday_rule`: Monday to Friday — **provisional**.

A provisional day is a guess the KPIs touching it must say they rest on (docs/kpis.md).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import chinese_calendar
import numpy as np
import polars as pl
from chinese_calendar.constants import holidays as PACKAGE_HOLIDAYS
from chinese_calendar.constants import workdays as PACKAGE_WORKDAYS

OVERRIDES = Path(__file__).parent / "reference" / "calendar_overrides.csv"

SOURCE_PACKAGE = "chinesecalendar"
SOURCE_IMPORTED = "imported"
SOURCE_STATUTORY = "statutory"
SOURCE_WEEKDAY = "weekday_rule"
# the sources that are not an official schedule (dim_date.is_provisional says the same)
PROVISIONAL_SOURCES = (SOURCE_STATUTORY, SOURCE_WEEKDAY)

# An imported year: the days its notice names → (is_workday, holiday name).
YearSchedule = Mapping[dt.date, tuple[bool, str | None]]


def _read_overrides(path: Path) -> dict[dt.date, tuple[bool, str]]:
    with path.open(encoding="utf-8") as f:
        return {
            dt.date.fromisoformat(row["date"]): (
                row["is_workday"].strip().lower() == "true",
                row["holiday_name"],
            )
            for row in csv.DictReader(f)
        }


def package_covers(year: int) -> bool:
    """Whether chinesecalendar ships this year's official schedule."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _package_day(day: dt.date) -> tuple[bool, str | None]:
    """chinesecalendar's `is_workday` and `get_holiday_detail` for a day of a year it covers
    (checked once per year by `package_covers`), read from its own tables. Its functions check
    every date against min() and max() of all its holidays: 0.36 s for the ~8,400 days a load's
    calendar spans, a sixth of a district-sized load."""
    if day in PACKAGE_WORKDAYS:  # an adjusted Saturday or Sunday: a working day
        return True, None
    if day in PACKAGE_HOLIDAYS:
        return False, PACKAGE_HOLIDAYS[day] or None
    return day.weekday() <= 4, None


def calendar_days(
    start: dt.date,
    end: dt.date,
    overrides: Path = OVERRIDES,
    imported: Mapping[int, YearSchedule] | None = None,
) -> pl.DataFrame:
    """One row per day in [start, end]: is_workday, holiday_name and which source decided it.

    imported: year → the days its official schedule names (what `ipgov calendar import` stored);
    a year chinesecalendar ships is the package's, whatever was imported for it."""
    imported = imported or {}
    exceptions = _read_overrides(overrides)
    override_years = {d.year for d in exceptions}
    covered = {y: package_covers(y) for y in range(start.year, end.year + 1)}
    dates, workdays, names, sources = [], [], [], []
    day = start
    while day <= end:
        if covered[day.year]:
            is_workday, name = _package_day(day)
            source = SOURCE_PACKAGE
        elif day.year in imported:
            is_workday, name = imported[day.year].get(day, (day.weekday() < 5, None))
            name = None if is_workday else name  # as the package: a worked day is no holiday
            source = SOURCE_IMPORTED
        elif day.year in override_years:
            is_workday, name = exceptions.get(day, (day.weekday() < 5, None))
            source = SOURCE_STATUTORY
        else:
            is_workday, name, source = day.weekday() < 5, None, SOURCE_WEEKDAY
        dates.append(day)
        workdays.append(is_workday)
        names.append(name or None)
        sources.append(source)
        day += dt.timedelta(days=1)
    return pl.DataFrame(
        {
            "date_day": dates,
            "is_workday": workdays,
            "holiday_name": names,
            "calendar_source": sources,
        },
        schema={
            "date_day": pl.Date,
            "is_workday": pl.Boolean,
            "holiday_name": pl.String,
            "calendar_source": pl.String,
        },
    )


def workday_flags(start: dt.date, end: dt.date, overrides: Path = OVERRIDES) -> np.ndarray:
    """is_workday for each day in [start, end] as a numpy bool array, index 0 being `start`.

    The same decision as `calendar_days` (it is computed by it), for callers that do day
    arithmetic on numpy arrays, such as the sample generator: one source of truth for the
    warehouse's dim_date and for the latencies the sample draws. The sample has no warehouse, so
    it knows no imported schedule: past the package it draws on the provisional calendar.
    """
    flags = calendar_days(start, end, overrides)["is_workday"].to_list()
    return np.array(flags, dtype=bool)
