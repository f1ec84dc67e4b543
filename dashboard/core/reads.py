"""The query core's primitive reads, uncached: a dashboard/sql file, a record list's row count,
the headline KPIs. Each runs on a cursor of the snapshot's shared connection and turns a damaged
snapshot file into DamagedSnapshotError. Their arguments are plain hashable values (warehouse
path as text, snapshot id, query name, parameters as sorted pairs) so any cache can key on them:
the core's own (dashboard/core/layer.py) or Streamlit's (dashboard/queries.py)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import polars as pl

from dashboard.core.connections import reader
from etl import kpis, warehouse
from etl.periods import Period

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

Items = tuple[tuple[str, object], ...]  # query parameters as sorted (name, value) pairs


@functools.cache
def sql_text(name: str) -> str:
    """dashboard/sql/<name>.sql (read once per process)."""
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no dashboard query {name!r} in {SQL_DIR}")
    return path.read_text(encoding="utf-8")


def count_sql(sql: str) -> str:
    """The row count of a record list's SQL (one of our files, never user text): its select
    without the closing `order by … limit $limit`, which a count does not need and which would
    make DuckDB sort every row first."""
    body, order_by, tail = sql.rpartition("\norder by ")
    if not order_by or "$limit" not in tail:
        raise ValueError("a record list ends with `order by …` and `limit $limit`")
    return f"select count(*) from (\n{body}\n)"


def _used(sql: str, params: Items) -> dict[str, object]:
    """Only the parameters the SQL names (DuckDB refuses unused ones), tuples as lists."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params if f"${k}" in sql}


def frame(db: str, snapshot: str, name: str, params: Items) -> pl.DataFrame:
    """Result of dashboard/sql/<name>.sql on the snapshot, with the parameters it uses."""
    sql = sql_text(name)
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = reader(db, snapshot).cursor()
        try:
            return cursor.sql(sql, params=_used(sql, params)).pl()
        finally:
            cursor.close()


def count(db: str, snapshot: str, name: str, params: Items) -> int:
    """How many rows the record list dashboard/sql/<name>.sql has (without its limit)."""
    sql = count_sql(sql_text(name))
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = reader(db, snapshot).cursor()
        try:
            return cursor.sql(sql, params=_used(sql, params)).fetchall()[0][0]
        finally:
            cursor.close()


def headline(
    db: str, snapshot: str, start: dt.date, end: dt.date, narrowed: Items = ()
) -> dict[str, kpis.KpiValue]:
    """Headline KPIs from the snapshot's kpi_headline macro (the numbers of `ipgov kpis`),
    narrowed by its optional filters as (name, codes) pairs (kpis.FILTERS)."""
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = reader(db, snapshot).cursor()
        try:
            return kpis.headline(cursor, Period(start, end, ""), **dict(narrowed))
        finally:
            cursor.close()
