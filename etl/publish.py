"""Raw → models → a published snapshot: the reference tables, staging and mart views rebuilt
over raw, and a new snapshot built (etl/snapshot.py) when raw holds a load the current one does
not or it was built by other models than this code's; old snapshots pruned.

The loader publishes after its files; the calendar import and `ipgov serve` (after an upgrade)
publish with no file loaded (`republish`, `republish_if_outdated`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl import schedules, settings, snapshot, transform, warehouse
from etl.errors import DamagedSnapshotError
from etl.raw import LIVE, ensure_raw, new_load_id, refresh_reference


def rebuild_marts(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    """Reference tables, staging and mart views, rebuilt together: readers of the ingest file
    see both or neither. The marts are computed when a snapshot copies them (etl/snapshot.py)."""
    con.begin()
    try:
        refresh_reference(con, today)
        transform.build(con, "staging", "staging")
        for (table,) in con.execute(  # marts were tables before they became views
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall():
            con.execute(f"drop table marts.{table}")
        transform.build(con, "marts", "marts")
        con.commit()
    except BaseException:
        warehouse.rollback(con)
        raise


def snapshot_is_stale(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> bool:
    """True when raw holds a load the current snapshot does not: none published yet, or a
    load that committed its files and then died before publishing (the files are skipped when
    it runs again, so without this check the snapshot would stay behind for good), or a
    calendar schedule imported after it whose own publish did not happen; or when the snapshot
    was built by other models than this code's (`built_by_other_models`)."""
    current = warehouse.snapshot_id(paths)
    if current is None:
        return True
    latest = con.execute(
        "select max(load_id) from (select load_id from raw.load_files "
        f"union all select load_id from raw.load_rejections) where true {LIVE}"
    ).fetchall()[0][0]
    if latest is not None and latest > current:
        return True
    imported = schedules.latest_import_id(con)  # a schedule imported after it was published
    if imported is not None and imported > current:
        return True
    if built_by_other_models(con, paths, today):  # hashes the models and reference tables
        return True
    # Last, as it reads the whole snapshot: a file that cannot be read is replaced, not kept.
    try:
        warehouse.verify_snapshot(paths)
    except DamagedSnapshotError:
        return True
    return False


def built_by_other_models(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> bool:
    """Whether the current snapshot was built from other models or reference tables than this
    code's: ipgov was upgraded since (a page would call a macro or column the snapshot lacks),
    or a new year's calendar is due. Its fingerprint, recorded at publish, tells
    (raw.snapshot_builds); a snapshot without a record (older warehouses) counts as other."""
    current = warehouse.snapshot_id(paths)
    if current is None:
        return False
    refresh_reference(con, today)  # what a build would use now
    recorded = snapshot.recorded(con, current)
    return recorded is None or recorded[0] != snapshot.fingerprint(con)


def republish(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> snapshot.Built:
    """A new snapshot from raw as it is, with no file loaded: the marts rebuilt, built,
    published, the old ones pruned. For a calendar import, and for a snapshot built by other
    models (`republish_if_outdated`)."""
    rebuild_marts(con, today)
    built = snapshot.build(con, paths, new_load_id())
    prune(con, paths)
    return built


def republish_if_outdated(db: Path, today: dt.date | None = None) -> snapshot.Built | None:
    """Before serving: rebuild the current snapshot from raw when it was built by other models
    (an upgrade of ipgov), so no page meets a macro or column its snapshot lacks. None when it
    is current or there is none; IpgovError (one line) when the ingest database is in use."""
    paths = warehouse.WarehousePaths(db)
    if warehouse.snapshot_id(paths) is None:
        return None
    today = today or dt.date.today()
    con = warehouse.connect_ingest(paths)
    try:
        ensure_raw(con)
        if not built_by_other_models(con, paths, today):
            return None
        return republish(con, paths, today)
    finally:
        con.close()


def prune(con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths) -> None:
    """Old snapshots removed as the settings say, never the current one nor one a rollback
    points at."""
    warehouse.prune_snapshots(
        paths,
        settings.current().snapshot_keep,
        settings.current().snapshot_grace_seconds,
        rollback_targets(con),
    )


def rollback_targets(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The snapshots a rollback made current whose withdrawn loads are still withdrawn: kept
    by the pruning whatever their age (etl/rollback.py records them in raw.withdrawn_loads)."""
    rows = con.execute("select distinct to_snapshot from raw.withdrawn_loads").fetchall()
    return {target for (target,) in rows if target}
