"""The dashboard's one query layer: every read the pages make, cached per published snapshot.

Pages call these functions and never see SQL or DuckDB. Each cached function takes the snapshot
id as an argument, so a new load (a new snapshot) shows up on the next rerun without a restart.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import polars as pl
import streamlit as st

from etl import kpis, settings, warehouse
from etl.errors import NoDataError
from etl.periods import Period

SQL_DIR = Path(__file__).parent / "sql"


def _paths() -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(settings.db_path())


def snapshot_id() -> str | None:
    """The current snapshot's id, or None when nothing has been loaded yet."""
    return warehouse.snapshot_id(_paths())


@st.cache_data(show_spinner=False, max_entries=256)
def _headline(db: str, snapshot: str, start: dt.date, end: dt.date) -> dict[str, kpis.KpiValue]:
    with warehouse.read_snapshot(warehouse.WarehousePaths(Path(db)), snapshot) as con:
        return kpis.headline(con, Period(start, end, ""))


@st.cache_data(show_spinner=False, max_entries=16)
def _monthly(db: str, snapshot: str) -> pl.DataFrame:
    with warehouse.read_snapshot(warehouse.WarehousePaths(Path(db)), snapshot) as con:
        return con.sql("select * from kpi_monthly order by month_start").pl()


def headline(snapshot: str, period: Period) -> dict[str, kpis.KpiValue]:
    """Headline KPIs for the period (same numbers as `ipgov kpis`)."""
    return _headline(str(_paths().db), snapshot, period.start, period.end)


def monthly(
    snapshot: str, start: dt.date | None = None, end: dt.date | None = None
) -> pl.DataFrame:
    """kpi_monthly, optionally limited to months starting within [start, end]."""
    frame = _monthly(str(_paths().db), snapshot)
    if start is not None:
        frame = frame.filter(pl.col("month_start") >= start)
    if end is not None:
        frame = frame.filter(pl.col("month_start") <= end)
    return frame


def data_span(snapshot: str) -> tuple[dt.date, dt.date] | None:
    """First and last month with data in the snapshot."""
    frame = _monthly(str(_paths().db), snapshot)
    if frame.is_empty():
        return None
    return frame["month_start"].min(), frame["month_start"].max()


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
    with warehouse.read_snapshot(warehouse.WarehousePaths(Path(db)), snapshot) as con:
        return con.sql(sql, params=used).pl()


def frame(name: str, snapshot: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """Result of dashboard/sql/<name>.sql with named parameters (only those the file uses)."""
    items = tuple(sorted((params or {}).items()))
    return _frame(str(_paths().db), snapshot, name, items)


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
    "NoDataError", "codes", "data_days", "data_span", "frame", "headline", "monthly",
    "snapshot_id",
]
