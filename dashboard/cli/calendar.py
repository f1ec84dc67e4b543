"""`ipgov calendar import FILE` (a year's official holiday schedule) and `ipgov calendar show`.

chinesecalendar ships the years it knows; a later year is provisional (weekday rule, plus the
statutory days of etl/reference/calendar_overrides.csv) until an office enters the State
Council's notice here. The import is audited (action `calendar_import`) like a load: it changes
every working-day count of that year. The file's shape: etl/schedule_file.py, docs/cli.md.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, out, user_errors
from etl.errors import IpgovError

calendar_app = typer.Typer(
    help="The working-day calendar: official holiday schedules past chinesecalendar.",
    no_args_is_help=True,
)

SOURCES = {  # calendar_source → how `calendar show` names it
    "chinesecalendar": "chinesecalendar (official)",
    "imported": "imported official schedule",
    "statutory": "statutory days only, weekday rule (provisional)",
    "weekday_rule": "weekday rule (provisional)",
}


@calendar_app.command("import")
@user_errors
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV: date,kind,name (kind holiday or workday).")],
    db: DbOption = None,
) -> None:
    """Import one year's official schedule (State Council notice) and publish a snapshot on it."""
    from dashboard.access import audit
    from etl import calendar_import, warehouse

    warehouse_db = db_or_default(db)
    paths = warehouse.WarehousePaths(warehouse_db)
    try:
        done = calendar_import.import_schedule(file, warehouse_db, audit.cli_actor())
    except IpgovError as e:
        with contextlib.suppress(IpgovError):  # a folder that refused the import may refuse this
            audit.record(
                paths, audit.cli_actor(), "calendar_import", target=str(file),
                outcome="failed", error=str(e),
            )  # fmt: skip
        raise
    schedule = done.schedule
    audit.record(
        paths, audit.cli_actor(), "calendar_import", target=str(file), outcome="ok",
        rows=len(schedule.days), year=schedule.year, import_id=done.import_id,
        holidays=schedule.holidays, workdays=schedule.workdays,
        replaced=done.replaced.import_id if done.replaced else None,
        snapshot=done.snapshot.name if done.snapshot else None,
    )  # fmt: skip
    replaces = (
        f" (replaces the import of {done.replaced.imported_at:%Y-%m-%d %H:%M} UTC)"
        if done.replaced
        else ""
    )
    out.print(
        f"imported {schedule.year}: {schedule.holidays} holiday(s), {schedule.workdays} adjusted "
        f"working day(s) from {file.name}{replaces}"
    )
    if done.snapshot is not None:
        built = f"{done.snapshot.stem} ({done.snapshot_build})"
        out.print(f"published snapshot {built}: every working-day count on the new calendar")
    else:
        out.print("no data loaded yet: the next `ipgov load` counts by this calendar")


@calendar_app.command("show")
@user_errors
def show_command(
    year: Annotated[int, typer.Option("--year", help="Calendar year, e.g. 2027.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """A year's holidays and adjusted working days, their source, whether it is provisional."""
    from etl import calendar_import

    if not 2004 <= year <= 2100:
        raise IpgovError(f"year {year} is outside the calendar (2004–2100)")
    cal = calendar_import.show(db_or_default(db), year)
    record = cal.imported
    if as_json:
        payload = {
            "year": cal.year,
            "source": cal.source,
            "is_provisional": cal.is_provisional,
            "workdays": cal.workdays,
            "imported": None
            if record is None
            else {
                "import_id": record.import_id,
                "file": record.source_file,
                "sha256": record.source_sha256,
                "imported_at": record.imported_at.isoformat(timespec="seconds"),
                "imported_by": record.imported_by,
            },
            "days": [
                {"date": d.day.isoformat(), "kind": d.kind, "name": d.holiday_name}
                for d in cal.days
            ],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    title = f"{cal.year}: {SOURCES.get(cal.source, cal.source)}, {cal.workdays} working days"
    table = Table(title=title, title_justify="left")
    for column in ("date", "weekday", "kind", "name"):
        table.add_column(column)
    for d in cal.days:
        table.add_row(str(d.day), f"{d.day:%a}", d.kind, d.holiday_name or "")
    out.print(table)
    if record is not None:
        out.print(
            f"imported from {record.source_file} by {record.imported_by} at "
            f"{record.imported_at:%Y-%m-%d %H:%M} UTC (import {record.import_id})"
        )
    if cal.is_provisional:
        out.print(
            f"{cal.year} is PROVISIONAL: no official schedule is known for it, so working-day "
            f"KPIs touching it say so. Enter the State Council's notice with "
            f"`ipgov calendar import FILE` (docs/operations.md)."
        )
