"""Every read the pages, the briefing and the CLI make, over a cache the caller chooses.

`QueryLayer` holds the logic once (parameters as cache keys, record lists counted only when
longer than shown, codes by language, the quality frames); the three primitive reads of
dashboard/core/reads.py are wrapped in the cache it is given. The query core uses a plain
bounded LRU (dashboard/core/__init__.py); the pages use Streamlit's `st.cache_data`
(dashboard/queries.py). Every cache key holds the warehouse and the snapshot id, so a new load
(a new snapshot) is read on the next call, and an old snapshot's entries age out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from dashboard.core import quality, reads
from etl import kpis, settings, warehouse
from etl.errors import NoDataError
from etl.periods import Period

# (function, max_entries) → the same function, cached
Cache = Callable[[Callable[..., Any], int], Callable[..., Any]]


def paths() -> warehouse.WarehousePaths:
    """The warehouse the settings name now (`settings.overridden(db=…)` scopes it)."""
    return warehouse.WarehousePaths(settings.db_path())


def snapshot_id() -> str | None:
    """The current snapshot's id, or None when nothing has been loaded yet. Never cached: a
    load publishes a new one at any time.

    DamagedSnapshotError when `CURRENT` is damaged, and from any read below when the snapshot
    file is: pages show it as one message (components.render_page), never as a traceback.
    """
    try:
        return warehouse.published_snapshot(paths()).stem
    except NoDataError:
        return None


def _items(params: dict[str, object] | None) -> reads.Items:
    return tuple(sorted((params or {}).items()))


@dataclass(frozen=True)
class Records:
    """The first rows of a record list, in its order, and how many rows the list has in all."""

    rows: pl.DataFrame
    total: int


class QueryLayer:
    """The dashboard's reads over one cache (see the module docstring)."""

    def __init__(self, cache: Cache) -> None:
        self._frame = cache(reads.frame, 1024)
        self._count = cache(reads.count, 1024)
        self._headline = cache(reads.headline, 256)

    def headline(
        self, snapshot: str, period: Period, **narrowed: tuple[str, ...]
    ) -> dict[str, kpis.KpiValue]:
        """Headline KPIs for the period (same numbers as `ipgov kpis`); `narrowed`: the
        macro's optional filters (kpis.FILTERS: code tuples, as `ipgov kpis --platform …`)."""
        picked = tuple((name, tuple(codes)) for name, codes in sorted(narrowed.items()) if codes)
        return self._headline(str(paths().db), snapshot, period.start, period.end, picked)

    def frame(
        self, name: str, snapshot: str, params: dict[str, object] | None = None
    ) -> pl.DataFrame:
        """Result of dashboard/sql/<name>.sql with named parameters (only those the file uses)."""
        return self._frame(str(paths().db), snapshot, name, _items(params))

    # --- record lists: a page shows the first rows, the CSV has them all ----------------------
    # A record list (a dashboard/sql file ending in `limit $limit`) holds a year of records:
    # ~2M takedown notices at scale 1000. A page fetches only the rows it shows plus their
    # count; every row is read only when someone clicks the download (docs/performance.md).

    def records(self, name: str, snapshot: str, params: dict[str, object], limit: int) -> Records:
        """The first `limit` rows of the record list dashboard/sql/<name>.sql and its row count
        (counted only when the list is longer than what is shown)."""
        rows = self.frame(name, snapshot, params | {"limit": limit})
        if rows.height < limit:
            return Records(rows, rows.height)
        return Records(rows, self._count(str(paths().db), snapshot, name, _items(params)))

    def records_all(
        self, name: str, snapshot: str, params: dict[str, object], limit: int | None = None
    ) -> pl.DataFrame:
        """Every row of the record list (or its first `limit`), for a download button's
        callable: runs when the user clicks, not with the page, and is not cached (a whole list
        can be hundreds of MB)."""
        return reads.frame(str(paths().db), snapshot, name, _items(params | {"limit": limit}))

    def records_csv(self, name: str, snapshot: str, params: dict[str, object]) -> bytes:
        """Every row of the record list as CSV with the query's own column names and codes (for
        analysts' tools), UTF-8 with a BOM so Excel reads the Chinese text."""
        return self.records_all(name, snapshot, params).write_csv().encode("utf-8-sig")

    # --- codes and the data's span -------------------------------------------------------------

    def codes(self, snapshot: str, lang: str) -> dict[str, dict[str, str]]:
        """{domain: {code: display name}} in the language, for filters and legends."""
        names: dict[str, dict[str, str]] = {}
        for row in self.frame("codes", snapshot).iter_rows(named=True):
            names.setdefault(row["domain"], {})[row["code"]] = row[f"name_{lang}"]
        return names

    def data_days(self, snapshot: str) -> tuple[dt.date, dt.date] | None:
        """First and last day with any event in the snapshot."""
        span = self.frame("data_span", snapshot)
        if span.is_empty() or span["last_day"][0] is None:
            return None
        return span["first_day"][0], span["last_day"][0]

    # --- data quality (issue 3): what the gate loaded, held back and rejected ------------------
    # An older snapshot (published before the gate) has no quality marts: these return None.

    def _quality(self, name: str, snapshot: str) -> pl.DataFrame | None:
        try:
            return self.frame(name, snapshot)
        except duckdb.CatalogException:
            return None

    def quality_files(
        self, snapshot: str, kinds: list[str] | None = None, senders: list[str] | None = None
    ) -> pl.DataFrame | None:
        """Every file the gate judged (loaded or rejected), newest first."""
        files = self._quality("quality_files", snapshot)
        if files is None:
            return None
        return quality.narrow(files, kind=kinds or [], sender=senders or [])

    def quality_quarantine(
        self,
        snapshot: str,
        kinds: list[str] | None = None,
        senders: list[str] | None = None,
        statuses: list[str] | None = None,
    ) -> pl.DataFrame | None:
        """Quarantined cells with their reason and status (open, resolved, superseded)."""
        cells = self._quality("quality_quarantine", snapshot)
        if cells is None:
            return None
        return quality.narrow(cells, kind=kinds or [], sender=senders or [], status=statuses or [])


__all__ = ["Cache", "QueryLayer", "Records", "paths", "snapshot_id"]
