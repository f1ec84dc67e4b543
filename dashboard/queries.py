"""The dashboard's one query layer: every read the pages make, cached per published snapshot.

Pages call these functions and never see SQL or DuckDB. Each cached function takes the snapshot
id as an argument, so a new load (a new snapshot) shows up on the next rerun without a restart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import streamlit as st

from etl import kpis, settings, warehouse
from etl.errors import NoDataError
from etl.periods import Period


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


__all__ = ["NoDataError", "data_span", "headline", "monthly", "snapshot_id"]
