"""The dashboard's one query layer: every read the pages make, cached per published snapshot.

Pages call these functions and never see SQL or DuckDB. Each cached function takes the snapshot
id as an argument, so a new load (a new snapshot) shows up on the next rerun without a restart.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from etl import appdb, kpis, sandbox, settings, warehouse
from etl.errors import DamagedSnapshotError, NoDataError
from etl.periods import Period

SQL_DIR = Path(__file__).parent / "sql"


def _paths() -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(settings.db_path())


def snapshot_id() -> str | None:
    """The current snapshot's id, or None when nothing has been loaded yet.

    DamagedSnapshotError when `CURRENT` is damaged, and from any read below when the snapshot
    file is: pages show it as one message (components.render_page), never as a traceback.
    """
    try:
        return warehouse.published_snapshot(_paths()).stem
    except NoDataError:
        return None


@st.cache_data(show_spinner=False, max_entries=256)
def _headline(db: str, snapshot: str, start: dt.date, end: dt.date) -> dict[str, kpis.KpiValue]:
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = _reader(db, snapshot).cursor()
        try:
            return kpis.headline(cursor, Period(start, end, ""))
        finally:
            cursor.close()


def headline(snapshot: str, period: Period) -> dict[str, kpis.KpiValue]:
    """Headline KPIs for the period (same numbers as `ipgov kpis`)."""
    return _headline(str(_paths().db), snapshot, period.start, period.end)


@st.cache_resource(show_spinner=False, max_entries=4)
def _reader(db: str, snapshot: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per snapshot for the whole server: opening a DuckDB file costs
    more than most dashboard queries. Each query takes its own cursor (thread-safe). A new
    snapshot is a new cache key; an old connection keeps its (possibly pruned) file readable
    until it is evicted."""
    return warehouse.open_snapshot(warehouse.WarehousePaths(Path(db)), snapshot)


@functools.cache
def _sql(name: str) -> str:
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no dashboard query {name!r} in {SQL_DIR}")
    return path.read_text(encoding="utf-8")


@st.cache_data(show_spinner=False, max_entries=1024)
def _frame(
    db: str, snapshot: str, name: str, params: tuple[tuple[str, object], ...]
) -> pl.DataFrame:
    sql = _sql(name)
    used = {k: list(v) if isinstance(v, tuple) else v for k, v in params if f"${k}" in sql}
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = _reader(db, snapshot).cursor()
        try:
            return cursor.sql(sql, params=used).pl()
        finally:
            cursor.close()


def frame(name: str, snapshot: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Result of dashboard/sql/<name>.sql with named parameters (only those the file uses)."""
    items = tuple(sorted((params or {}).items()))
    return _frame(str(_paths().db), snapshot, name, items)


# --- Record lists: a page shows the first rows, the CSV has them all ---------------------------
# A record list (a dashboard/sql file ending in `limit $limit`) holds a year of records: ~2M
# takedown notices at scale 1000. A page fetches only the rows it shows plus their count; every
# row is read only when someone clicks the download (docs/performance.md).


@dataclass(frozen=True)
class Records:
    """The first rows of a record list, in its order, and how many rows the list has in all."""

    rows: pl.DataFrame
    total: int


def count_sql(sql: str) -> str:
    """The row count of a record list's SQL (one of our files, never user text): its select
    without the closing `order by … limit $limit`, which a count does not need and which would
    make DuckDB sort every row first."""
    body, order_by, tail = sql.rpartition("\norder by ")
    if not order_by or "$limit" not in tail:
        raise ValueError("a record list ends with `order by …` and `limit $limit`")
    return f"select count(*) from (\n{body}\n)"


@st.cache_data(show_spinner=False, max_entries=1024)
def _count(db: str, snapshot: str, name: str, params: tuple[tuple[str, object], ...]) -> int:
    sql = count_sql(_sql(name))
    used = {k: list(v) if isinstance(v, tuple) else v for k, v in params if f"${k}" in sql}
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = _reader(db, snapshot).cursor()
        try:
            return cursor.sql(sql, params=used).fetchall()[0][0]
        finally:
            cursor.close()


def records(name: str, snapshot: str, params: dict[str, object], limit: int) -> Records:
    """The first `limit` rows of the record list dashboard/sql/<name>.sql and its row count
    (counted only when the list is longer than what is shown)."""
    rows = frame(name, snapshot, params | {"limit": limit})
    if rows.height < limit:
        return Records(rows, rows.height)
    items = tuple(sorted(params.items()))
    return Records(rows, _count(str(_paths().db), snapshot, name, items))


def records_all(name: str, snapshot: str, params: dict[str, object]) -> pl.DataFrame:
    """Every row of the record list, for a download button's callable: runs when the user
    clicks, not with the page, and is not cached (a whole list can be hundreds of MB)."""
    db = str(_paths().db)
    sql = _sql(name)
    used = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items() if f"${k}" in sql}
    with warehouse.damage_as_error(warehouse.WarehousePaths(Path(db)), snapshot):
        cursor = _reader(db, snapshot).cursor()
        try:
            return cursor.sql(sql, params=used | {"limit": None}).pl()
        finally:
            cursor.close()


def records_csv(name: str, snapshot: str, params: dict[str, object]) -> bytes:
    """Every row of the record list as CSV with the query's own column names and codes (for
    analysts' tools), UTF-8 with a BOM so Excel reads the Chinese text."""
    return records_all(name, snapshot, params).write_csv().encode("utf-8-sig")


def codes(snapshot: str, lang: str) -> dict[str, dict[str, str]]:
    """{domain: {code: display name}} in the language, for filters and legends."""
    names: dict[str, dict[str, str]] = {}
    for row in frame("codes", snapshot).iter_rows(named=True):
        names.setdefault(row["domain"], {})[row["code"]] = row[f"name_{lang}"]
    return names


def data_days(snapshot: str) -> tuple[dt.date, dt.date] | None:
    """First and last day with any event in the snapshot."""
    span = frame("data_span", snapshot)
    if span.is_empty() or span["last_day"][0] is None:
        return None
    return span["first_day"][0], span["last_day"][0]


__all__ = [
    "DamagedSnapshotError",
    "NoDataError",
    "Records",
    "codes",
    "count_sql",
    "data_days",
    "frame",
    "headline",
    "records",
    "records_all",
    "records_csv",
    "snapshot_id",
]


# --- SQL console (issue 5): the sandbox, its catalogue and the saved queries ------------------
# Analysts' own SQL never passes through here as text to DuckDB: etl.sandbox parses it, checks
# it and runs it on a locked-down, read-only connection. Results are not cached: the page keeps
# the last one in its session, and each run is bounded by the sandbox's limits.

SqlRefused = sandbox.SqlRefused
SQL_EXPORT_FORMATS = ("csv", "xlsx", "parquet")
SQL_MEDIA_TYPES = sandbox.MEDIA_TYPES


def sql_limits() -> sandbox.Limits:
    """Time limit, row caps, memory and threads one console run gets (IPGOV_SQL_* settings)."""
    return sandbox.Limits.from_settings()


def sql_run(sql: str) -> sandbox.Result:
    """Run one console statement on the current snapshot; `SqlRefused` says why not."""
    return sandbox.run(_paths(), sql)


def sql_export(sql: str, fmt: str, snapshot: str) -> bytes:
    """The whole result (up to the export cap) as a CSV, XLSX or Parquet file, from the snapshot
    the shown result came from, so the download matches the table on screen. CSV starts with a
    BOM so Excel reads the Chinese text right."""
    buffer = io.BytesIO()
    if fmt == "csv":
        buffer.write(codecs.BOM_UTF8)
    sandbox.export(_paths(), sql, fmt, buffer, snapshot=snapshot)
    return buffer.getvalue()


@st.cache_data(show_spinner=False, max_entries=8)
def _sql_catalog(db: str, snapshot: str) -> list[sandbox.TableDoc]:
    return sandbox.catalog(warehouse.WarehousePaths(Path(db)), snapshot=snapshot)[1]


def sql_catalog(snapshot: str) -> list[sandbox.TableDoc]:
    """Every table, view and macro of the snapshot with column types, meanings and examples."""
    return _sql_catalog(str(_paths().db), snapshot)


def sql_starters() -> list[sandbox.StarterQuery]:
    return sandbox.starter_queries()


def sql_saved() -> list[appdb.SavedQuery]:
    """Saved queries from the app database beside the warehouse (shared by every session)."""
    return appdb.saved_queries(_paths())


def sql_save(name: str, sql: str, description: str) -> appdb.SavedQuery:
    """Save a query the console would accept (checked first, so no one saves a refusal)."""
    sandbox.parse(sql)
    return appdb.save_query(_paths(), name, sql, description)


def sql_delete(name: str) -> bool:
    return appdb.delete_query(_paths(), name)


__all__ += [
    "SQL_EXPORT_FORMATS",
    "SQL_MEDIA_TYPES",
    "SqlRefused",
    "sql_catalog",
    "sql_delete",
    "sql_export",
    "sql_limits",
    "sql_run",
    "sql_save",
    "sql_saved",
    "sql_starters",
]


# --- Data quality (issue 3): what the quality gate loaded, held back and rejected -------------
# An older snapshot (published before the gate) has no quality marts: these return None then.


def _quality(name: str, snapshot: str) -> pl.DataFrame | None:
    try:
        return frame(name, snapshot)
    except duckdb.CatalogException:
        return None


def _narrow(frame_: pl.DataFrame, **allowed: list[str]) -> pl.DataFrame:
    for column, values in allowed.items():
        if values:
            frame_ = frame_.filter(pl.col(column).is_in(values))
    return frame_


def quality_files(
    snapshot: str, kinds: list[str] | None = None, senders: list[str] | None = None
) -> pl.DataFrame | None:
    """Every file the gate judged (loaded or rejected), newest first."""
    files = _quality("quality_files", snapshot)
    return None if files is None else _narrow(files, kind=kinds or [], sender=senders or [])


def quality_quarantine(
    snapshot: str,
    kinds: list[str] | None = None,
    senders: list[str] | None = None,
    statuses: list[str] | None = None,
) -> pl.DataFrame | None:
    """Quarantined cells with their reason and status (open, resolved, superseded)."""
    cells = _quality("quality_quarantine", snapshot)
    if cells is None:
        return None
    return _narrow(cells, kind=kinds or [], sender=senders or [], status=statuses or [])


def quality_by_day(files: pl.DataFrame) -> pl.DataFrame:
    """Files judged per day and verdict, wide (one column per verdict) for a stacked bar chart."""
    counts = files.group_by("judged_on", "verdict").agg(pl.len().alias("files"))
    if counts.is_empty():
        return pl.DataFrame({"judged_on": []}, schema={"judged_on": pl.Date})
    wide = counts.pivot("verdict", index="judged_on", values="files")
    return wide.fill_null(0).sort("judged_on")


def quality_by_sender(files: pl.DataFrame, cells: pl.DataFrame) -> pl.DataFrame:
    """Per sender (and kind): files by verdict, open quarantined rows, the most frequent rule."""
    verdicts = files.group_by("sender", "kind").agg(
        pl.len().alias("files"),
        (pl.col("verdict") == "rejected").sum().alias("rejected"),
        (pl.col("verdict") == "quarantined").sum().alias("quarantined"),
    )
    open_cells = cells.filter(pl.col("status") == "open")
    rules = open_cells.group_by("sender", "kind").agg(
        pl.struct("source_file", "source_row").n_unique().alias("open_rows"),
        pl.col("rule").mode().first().alias("top_rule"),
    )
    return (
        verdicts.join(rules, on=["sender", "kind"], how="left")
        .with_columns(pl.col("open_rows").fill_null(0))
        .sort(["rejected", "open_rows", "files"], descending=True)
    )


__all__ += ["quality_by_day", "quality_by_sender", "quality_files", "quality_quarantine"]
