"""The query core: every read the pages, the briefing and the CLI make, without Streamlit.

Reads run on one read-only connection per snapshot per process (`connections`), a cursor per
query, from the named-parameter files in dashboard/sql/ (`reads`). Results are cached here in a
plain bounded LRU keyed by (warehouse, snapshot id, query, parameters), so `ipgov brief` and the
briefing read each number once without importing Streamlit; the pages use the same layer under
Streamlit's cache instead (dashboard/queries.py). Polars frames are returned shared, not copied:
callers must not change them in place.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from dashboard.core.layer import QueryLayer, Records, paths, snapshot_id
from dashboard.core.params import DIMENSIONS, Filters
from dashboard.core.quality import quality_by_day, quality_by_sender
from dashboard.core.reads import SQL_DIR, count_sql
from etl.errors import DamagedSnapshotError, NoDataError


def lru(function: Callable[..., Any], max_entries: int) -> Callable[..., Any]:
    """A thread-safe LRU of `max_entries` results (errors are not cached)."""
    return functools.lru_cache(maxsize=max_entries)(function)


_layer = QueryLayer(lru)
headline = _layer.headline
frame = _layer.frame
records = _layer.records
records_all = _layer.records_all
records_csv = _layer.records_csv
codes = _layer.codes
data_days = _layer.data_days
quality_files = _layer.quality_files
quality_quarantine = _layer.quality_quarantine

__all__ = [
    "DIMENSIONS",
    "SQL_DIR",
    "DamagedSnapshotError",
    "Filters",
    "NoDataError",
    "QueryLayer",
    "Records",
    "codes",
    "count_sql",
    "data_days",
    "frame",
    "headline",
    "paths",
    "quality_by_day",
    "quality_by_sender",
    "quality_files",
    "quality_quarantine",
    "records",
    "records_all",
    "records_csv",
    "snapshot_id",
]
