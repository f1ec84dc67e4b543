"""The imported official schedules, kept in the ingest database (raw.calendar_schedules).

Why there: a schedule is reference data an office enters, not code, so it lives with the
warehouse it belongs to (copied with it, backed up with it) and reaches dim_date the way the
other reference tables do: `etl.raw.refresh_reference` builds ref.calendar_days from the
package, these imports and the statutory file, and a snapshot's fingerprint hashes ref.*
(etl/snapshot.py), so the first build after an import is full and every working-day count is
recomputed on the new calendar. The latest import of a year wins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from etl import workdays
from etl.schedule_file import HOLIDAY, WORKDAY, Schedule

TABLE = "raw.calendar_schedules"
_LATEST = f"""
    select * from {TABLE}
    qualify import_id = max(import_id) over (partition by year)
"""


@dataclass(frozen=True)
class ImportRecord:
    """Which import decides a year."""

    year: int
    import_id: str
    source_file: str
    source_sha256: str
    imported_at: dt.datetime
    imported_by: str
    holidays: int
    workdays: int


@dataclass(frozen=True)
class CalendarDay:
    """A day that is not what the weekday rule makes it, or a named holiday."""

    day: dt.date
    is_workday: bool
    holiday_name: str | None
    kind: str  # holiday | workday (an adjusted working Saturday/Sunday)


@dataclass(frozen=True)
class YearCalendar:
    """One year as the warehouse's next build decides it (`ipgov calendar show`)."""

    year: int
    source: str  # chinesecalendar | imported | statutory | weekday_rule
    is_provisional: bool
    workdays: int
    days: list[CalendarDay] = field(default_factory=list)
    imported: ImportRecord | None = None  # the import deciding it, when source is imported


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select 1 from duckdb_tables() where schema_name = 'raw' "
            "and table_name = 'calendar_schedules' and database_name = current_database()"
        ).fetchone()
    )


def store(
    con: duckdb.DuckDBPyConnection,
    schedule: Schedule,
    import_id: str,
    source_file: str,
    source_sha256: str,
    by: str,
) -> None:
    """Append the schedule as a new import of its year (the caller holds the transaction)."""
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.executemany(
        f"insert into {TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [import_id, schedule.year, d.day, d.kind, d.name, source_file, source_sha256, at, by]
            for d in schedule.days
        ],
    )


def imported(con: duckdb.DuckDBPyConnection) -> dict[int, workdays.YearSchedule]:
    """Year → the days its latest import names (is_workday, holiday name); {} before any."""
    if not _has_table(con):
        return {}
    years: dict[int, dict[dt.date, tuple[bool, str | None]]] = {}
    for year, day, kind, name in con.execute(
        f"select year, date_day, kind, holiday_name from ({_LATEST}) order by date_day"
    ).fetchall():
        years.setdefault(year, {})[day] = (kind == WORKDAY, name)
    return years


def records(con: duckdb.DuckDBPyConnection) -> dict[int, ImportRecord]:
    """Year → its latest import."""
    if not _has_table(con):
        return {}
    rows = con.execute(
        f"select year, import_id, any_value(source_file), any_value(source_sha256), "
        f"any_value(imported_at), any_value(imported_by), "
        f"count(*) filter (where kind = '{HOLIDAY}'), count(*) filter (where kind = '{WORKDAY}') "
        f"from ({_LATEST}) group by year, import_id order by year"
    ).fetchall()
    return {r[0]: ImportRecord(*r) for r in rows}


def latest_import_id(con: duckdb.DuckDBPyConnection) -> str | None:
    """The newest import of any year (a snapshot older than it has the old calendar)."""
    if not _has_table(con):
        return None
    return con.execute(f"select max(import_id) from {TABLE}").fetchone()[0]


def year_calendar(con: duckdb.DuckDBPyConnection | None, year: int) -> YearCalendar:
    """The year's calendar from the package, the imports on `con` (None: no warehouse yet) and
    the statutory file: each day that is not ordinary, its source, whether it is provisional."""
    schedules = imported(con) if con is not None else {}
    frame = workdays.calendar_days(dt.date(year, 1, 1), dt.date(year, 12, 31), imported=schedules)
    source = frame["calendar_source"][0]
    days = [
        CalendarDay(day, is_workday, name, WORKDAY if is_workday else HOLIDAY)
        for day, is_workday, name in frame.select("date_day", "is_workday", "holiday_name").rows()
        if name is not None or is_workday != (day.weekday() < 5)
    ]
    is_imported = con is not None and source == workdays.SOURCE_IMPORTED
    record = records(con).get(year) if is_imported else None
    return YearCalendar(
        year=year,
        source=source,
        is_provisional=source in workdays.PROVISIONAL_SOURCES,
        workdays=int(frame["is_workday"].sum()),
        days=days,
        imported=record,
    )
