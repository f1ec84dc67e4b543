"""`ipgov calendar import`: a year's official schedule into the warehouse, and a snapshot on it.

Why publish at once: every takedown latency of that year changes with its calendar, and the
operator who enters the notice expects the dashboard to count by it now, not after the next
data file. The import and its snapshot follow a load's rules: the ingest database is written
by one process at a time (a running load makes this wait for nothing: it says so), the schedule
is committed before the snapshot is built, and a build that fails leaves the current snapshot
as it was — the next load publishes the new calendar (etl/publish.py `snapshot_is_stale`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import publish, raw, schedules, warehouse, workdays
from etl.errors import IpgovError
from etl.schedule_file import Schedule, ScheduleError, read_schedule


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    schedule: Schedule
    import_id: str
    replaced: schedules.ImportRecord | None  # the year's previous import, if any
    snapshot: Path | None  # the snapshot published on the new calendar (None: no data yet)
    snapshot_build: str = ""  # full | incremental (always full: the calendar changed)


def import_schedule(path: Path, db: Path, by: str, today: dt.date | None = None) -> Imported:
    """Check the file, store it as the latest schedule of its year, publish a snapshot on it."""
    schedule = read_schedule(path)
    if workdays.package_covers(schedule.year):
        raise ScheduleError(
            path,
            None,
            f"{schedule.year} is already known from chinesecalendar, which decides it; "
            "nothing imported",
            f"{schedule.year} 年的安排已由 chinesecalendar 提供，无需导入",
        )
    paths = warehouse.WarehousePaths(db)
    today = today or dt.date.today()
    import_id = raw.new_load_id()
    try:
        con = warehouse.connect_ingest(paths)
    except IpgovError as e:
        raise IpgovError(f"cannot import the calendar now: {e}") from e
    try:
        raw.ensure_raw(con)
        replaced = schedules.records(con).get(schedule.year)
        con.begin()
        schedules.store(con, schedule, import_id, path.name, raw.sha256_of(path), by)
        con.commit()
    except (duckdb.Error, OSError) as e:
        con.close()
        raise _fault(e, paths) from e
    except BaseException:
        con.close()
        raise
    try:
        published, mode = _publish(con, paths, today)
    except (IpgovError, duckdb.Error, OSError) as e:
        # the schedule is stored: say so, and that the next load publishes it
        why = e if isinstance(e, IpgovError) else _fault(e, paths)
        raise IpgovError(
            f"the {schedule.year} schedule was imported, but no snapshot on it was published "
            f"({why}); the next `ipgov load` publishes it"
        ) from e
    finally:
        con.close()
    return Imported(schedule, import_id, replaced, published, mode)


def _fault(error: BaseException, paths: warehouse.WarehousePaths) -> IpgovError:
    """A disk full, a read-only folder, a damaged file as one line; anything else is a bug."""
    fault = warehouse.environment_fault(error, paths.db)
    if fault is None:
        raise error
    return IpgovError(fault)


def _publish(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> tuple[Path | None, str]:
    """A snapshot on the new calendar, when one was published before (else the first load
    publishes it): the marts rebuilt over the new ref.calendar_days, then built (full: the
    fingerprint changed) and published as a load's would be."""
    if warehouse.snapshot_id(paths) is None:
        return None, ""
    built = publish.republish(con, paths, today)
    return built.path, built.mode


def show(db: Path, year: int) -> schedules.YearCalendar:
    """The year as the warehouse's calendar decides it (`ipgov calendar show`): read-only, from
    the imports in the ingest database; a running load holds that file, so then it says so."""
    paths = warehouse.WarehousePaths(db)
    if not paths.db.exists():
        return schedules.year_calendar(None, year)
    con = warehouse.try_read_only(paths.db)
    if con is None:
        raise IpgovError(
            f"{paths.db} is in use by an ipgov load (or cannot be read); try again when it ends"
        )
    try:
        return schedules.year_calendar(con, year)
    finally:
        con.close()
