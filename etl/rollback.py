"""Going back to an earlier snapshot, and what the published snapshots are.

A rollback makes an earlier snapshot current again — one atomic rewrite of the `CURRENT` pointer,
so the dashboard's next query reads it — and *withdraws* the loads published after it
(raw.withdrawn_loads): their rows stay in raw (append-only), but no later snapshot counts them,
since staging reads raw through the `live` macro. Without that, the next load's snapshot would
bring the bad load back. Their files can then be loaded again (corrected or as they were): the
same-bytes check ignores withdrawn loads. Rolling forward to a later snapshot reinstates the loads
up to it.

It needs the ingest database, so it waits for no load: while one runs, it says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import warehouse
from etl.errors import IpgovError
from etl.raw import ensure_raw

# fact tables counted per snapshot (`ipgov snapshots`), in the dashboard's page order
COUNTED = (
    "fct_takedowns",
    "fct_cases",
    "fct_patent_preexams",
    "fct_trademark_cases",
    "fct_notarizations",
)


@dataclass(frozen=True)
class SnapshotInfo:
    """One published snapshot file."""

    id: str  # the load that published it
    path: Path
    current: bool
    built: str | None  # full | incremental, when recorded
    published_at: dt.datetime
    size_bytes: int
    rows: dict[str, int | None]  # fact table → rows (None: unreadable)
    files_loaded: int | None = None  # by the load that published it
    withdrawn: bool = False  # its load was taken back by a rollback


def _rows(path: Path) -> dict[str, int | None]:
    con = warehouse.try_read_only(path)
    if con is None:
        return dict.fromkeys(COUNTED)
    try:
        counts: dict[str, int | None] = {}
        for table in COUNTED:
            try:
                counts[table] = con.execute(f"select count(*) from {table}").fetchone()[0]
            except duckdb.Error:
                counts[table] = None
        return counts
    finally:
        con.close()


def _records(
    paths: warehouse.WarehousePaths,
) -> tuple[dict[str, str], dict[str, int], set[str]]:
    """How each snapshot was built, files each load brought, the withdrawn loads — from the
    ingest database read-only; nothing while a load holds it (the files are listed anyway)."""
    con = warehouse.try_read_only(paths.db)
    if con is None:
        return {}, {}, set()
    try:
        tables = {
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw'"
            ).fetchall()
        }

        def rows(table: str, sql: str) -> list[tuple]:
            return con.execute(sql).fetchall() if table in tables else []

        built = dict(rows("snapshot_builds", "select load_id, mode from raw.snapshot_builds"))
        loaded = dict(rows("load_files", "select load_id, count(*) from raw.load_files group by 1"))
        withdrawn = {
            w for (w,) in rows("withdrawn_loads", "select load_id from raw.withdrawn_loads")
        }
        return built, loaded, withdrawn
    finally:
        con.close()


@dataclass(frozen=True)
class Withdrawal:
    """A load a rollback took back: when, by whom, to which snapshot."""

    load_id: str
    at: dt.datetime
    by: str
    to_snapshot: str


def withdrawals(paths: warehouse.WarehousePaths) -> dict[str, Withdrawal] | None:
    """The loads withdrawn now, by load id, from the ingest database read-only; None while a
    load or rollback holds it (the caller then says it does not know, rather than "none")."""
    con = warehouse.try_read_only(paths.db)
    if con is None:
        return None if paths.db.exists() else {}
    try:
        known = con.execute(
            "select count(*) from duckdb_tables() "
            "where schema_name = 'raw' and table_name = 'withdrawn_loads'"
        ).fetchone()[0]
        if not known:
            return {}
        rows = con.execute(
            "select load_id, withdrawn_at, withdrawn_by, to_snapshot from raw.withdrawn_loads"
        ).fetchall()
        return {row[0]: Withdrawal(*row) for row in rows}
    finally:
        con.close()


def snapshots(paths: warehouse.WarehousePaths) -> list[SnapshotInfo]:
    """Every published snapshot file, newest first, with what the ingest database says of it
    (read-only: this works while a load runs, minus the records of that load)."""
    current = warehouse.current_snapshot(paths)
    files = sorted(paths.snapshots.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    built, loaded, withdrawn = _records(paths)
    return [
        SnapshotInfo(
            f.stem,
            f,
            f == current,
            built.get(f.stem),
            dt.datetime.fromtimestamp(f.stat().st_mtime, dt.UTC),
            f.stat().st_size,
            _rows(f),
            loaded.get(f.stem),
            f.stem in withdrawn,
        )
        for f in files
    ]


@dataclass(frozen=True)
class RolledBack:
    """What a rollback did."""

    snapshot: str
    previous: str | None
    withdrawn: list[str]  # loads taken back now
    reinstated: list[str]  # loads brought back (rolling forward)


def rollback(paths: warehouse.WarehousePaths, snapshot_id: str, by: str) -> RolledBack:
    """Make `snapshot_id` current and withdraw the loads after it (reinstate those up to it)."""
    target = paths.snapshots / f"{snapshot_id}.duckdb"
    if not snapshot_id or "/" in snapshot_id or not target.is_file():
        known = ", ".join(s.id for s in snapshots(paths)[:5]) or "none"
        raise IpgovError(
            f"no published snapshot {snapshot_id!r} in {paths.snapshots} (the newest: {known}); "
            "`ipgov snapshots` lists them"
        )
    try:
        con = warehouse.connect_ingest(paths)
    except IpgovError as e:
        raise IpgovError(f"cannot roll back now: {e}") from e
    previous = warehouse.snapshot_id(paths)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        ensure_raw(con)
        con.begin()
        loads = [
            load_id
            for (load_id,) in con.execute(
                "select distinct load_id from (select load_id from raw.load_files union all "
                "select load_id from raw.load_rejections) where load_id > ? order by 1",
                [snapshot_id],
            ).fetchall()
        ]
        already = {w for (w,) in con.execute("select load_id from raw.withdrawn_loads").fetchall()}
        withdrawn = [load for load in loads if load not in already]
        reinstated = sorted(w for w in already if w <= snapshot_id)
        if withdrawn:
            con.executemany(
                "insert into raw.withdrawn_loads values (?, ?, ?, ?)",
                [[load, now, by, snapshot_id] for load in withdrawn],
            )
        if reinstated:
            con.execute("delete from raw.withdrawn_loads where load_id <= ?", [snapshot_id])
        con.commit()
        try:
            warehouse.point_current(paths, target)  # the dashboard's next query reads it
        except BaseException:  # the pointer did not move: neither do the withdrawals
            con.execute(
                "delete from raw.withdrawn_loads where list_contains(?, load_id)", [withdrawn]
            )
            for load in reinstated:
                con.execute(
                    "insert into raw.withdrawn_loads values (?, ?, ?, ?)",
                    [load, now, by, previous or ""],
                )
            raise
    except duckdb.Error as e:
        warehouse.rollback(con)
        raise IpgovError(warehouse.explain(e, paths.db)) from e
    finally:
        con.close()
    return RolledBack(snapshot_id, previous, withdrawn, reinstated)
