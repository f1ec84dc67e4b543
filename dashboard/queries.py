"""The pages' query layer: the query core (dashboard/core/) under Streamlit's cache.

Pages call these functions and never see SQL or DuckDB. The logic is the core's `QueryLayer`;
only the cache differs: `st.cache_data`, so the server's cache is Streamlit's (bounded per
function, cleared with the app's cache, every caller given its own copy of a frame). Each cached
read takes the snapshot id as an argument, so a new load (a new snapshot) shows up on the next
rerun without a restart. The briefing and the CLI use the core directly, without Streamlit.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboard import console, downloads
from dashboard.core import (
    DamagedSnapshotError,
    NoDataError,
    QueryLayer,
    Records,
    count_sql,
    paths,
    quality_by_day,
    quality_by_sender,
    snapshot_id,
)
from dashboard.core import loads as core_loads
from etl import appdb, settings, warehouse


def _st_cache(function: Callable[..., Any], max_entries: int) -> Callable[..., Any]:
    return st.cache_data(show_spinner=False, max_entries=max_entries)(function)


_layer = QueryLayer(_st_cache)
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
    "DamagedSnapshotError",
    "NoDataError",
    "Records",
    "codes",
    "count_sql",
    "data_days",
    "frame",
    "headline",
    "quality_by_day",
    "quality_by_sender",
    "quality_files",
    "quality_quarantine",
    "records",
    "records_all",
    "records_csv",
    "snapshot_id",
]


# --- SQL console (issue 5): the sandbox, its catalogue and the saved queries ------------------
# Analysts' own SQL never passes through here as text to DuckDB: dashboard.console parses it,
# checks it and runs it on a locked-down, read-only connection. Results are not cached: the page
# keeps the last one in its session, and each run is bounded by the console's limits.

SqlRefused = console.SqlRefused
SQL_EXPORT_FORMATS = ("csv", "xlsx", "parquet")
SQL_MEDIA_TYPES = console.MEDIA_TYPES


def sql_limits() -> console.Limits:
    """Time limit, row caps, memory and threads one console run gets (IPGOV_SQL_* settings)."""
    return console.Limits.from_settings()


def sql_run(sql: str) -> console.Result:
    """Run one console statement on the current snapshot, in a console worker process (never in
    the dashboard's own); `SqlRefused` says why not."""
    return console.run(paths(), sql)


def sql_warm() -> None:
    """Have a console worker process started before the first Run (it takes ~0.5 s to start)."""
    console.warm()


def sql_export(sql: str, fmt: str, snapshot: str) -> bytes:
    """The whole result, up to the export's row cap and IPGOV_DOWNLOAD_MAX_MB, as a CSV, XLSX or
    Parquet file, from the snapshot the shown result came from, so the download matches the table
    on screen. CSV starts with a BOM so Excel reads the Chinese text right.

    Built in a temporary file on disk, not in memory: Streamlit then holds the finished file
    (at most the cap) and nothing else; what was written, cut or not, is recorded for the page
    (`sql_download_outcome`)."""
    limits = console.Limits.from_settings()
    bom = codecs.BOM_UTF8 if fmt == "csv" else b""
    with downloads.building((snapshot, sql, fmt)) as build, tempfile.TemporaryFile() as spool:
        spool.write(bom)
        build.export = console.export(
            paths(),
            sql,
            fmt,
            spool,
            limits,
            snapshot=snapshot,
            max_bytes=limits.download_max_bytes - len(bom),
        )
        spool.seek(0)
        return spool.read()


def sql_download_outcome(sql: str, fmt: str, snapshot: str) -> downloads.Build | None:
    """The last finished download of this result in this format (None: none yet)."""
    return downloads.outcome((snapshot, sql, fmt))


def sql_download_wait(sql: str, fmt: str, snapshot: str) -> downloads.Build | None:
    """Wait for the download a click just started to finish (the button's on_click callback,
    so the rerun after the click can say whether the file was cut)."""
    limit = console.Limits.from_settings().export_time_limit_seconds
    return downloads.wait((snapshot, sql, fmt), time.monotonic(), limit + 5)


@st.cache_data(show_spinner=False, max_entries=8)
def _sql_catalog(db: str, snapshot: str) -> list[console.TableDoc]:
    return console.catalog(warehouse.WarehousePaths(Path(db)), snapshot=snapshot)[1]


def sql_catalog(snapshot: str) -> list[console.TableDoc]:
    """Every table, view and macro of the snapshot with column types, meanings and examples."""
    return _sql_catalog(str(paths().db), snapshot)


def sql_starters() -> list[console.StarterQuery]:
    return console.starter_queries()


def audit_log(
    since: dt.date | None, until: dt.date | None, user: str | None, action: str | None, limit: int
) -> pl.DataFrame:
    """The audit trail's entries, newest first, as the Audit page shows them (never cached: it
    grows with every click)."""
    from dashboard.access import audit

    found = audit.entries(paths(), since=since, until=until, user=user, action=action, limit=limit)
    return pl.DataFrame(
        {
            "audit_at": [dt.datetime.fromisoformat(e.at).replace(tzinfo=None) for e in found],
            "audit_user": [e.actor for e in found],
            "audit_action": [e.action for e in found],
            "audit_target": [e.target for e in found],
            "audit_result": [e.outcome for e in found],
            "audit_rows": [e.rows for e in found],
            "audit_detail": [
                json.dumps(e.detail, ensure_ascii=False) if e.detail else None for e in found
            ],
        },
        schema={
            "audit_at": pl.Datetime,
            "audit_user": pl.String,
            "audit_action": pl.String,
            "audit_target": pl.String,
            "audit_result": pl.String,
            "audit_rows": pl.Int64,
            "audit_detail": pl.String,
        },
    )


def sql_saved() -> list[appdb.SavedQuery]:
    """Saved queries from the app database beside the warehouse (shared by every session)."""
    return appdb.saved_queries(paths())


def sql_save(name: str, sql: str, description: str) -> appdb.SavedQuery:
    """Save a query the console would accept (checked first, so no one saves a refusal)."""
    console.parse(sql)
    return appdb.save_query(paths(), name, sql, description)


def sql_delete(name: str) -> bool:
    return appdb.delete_query(paths(), name)


__all__ += [
    "SQL_EXPORT_FORMATS",
    "SQL_MEDIA_TYPES",
    "SqlRefused",
    "sql_catalog",
    "sql_delete",
    "sql_download_outcome",
    "sql_download_wait",
    "sql_export",
    "sql_limits",
    "sql_run",
    "sql_save",
    "sql_saved",
    "sql_starters",
    "sql_warm",
]


# --- alerts (issue 16): rules, recipients and sends in the app database ---------------------
# Never cached: an admin's edit and a run of `ipgov alerts run` show on the next click.


def alert_sends(limit: int = 500) -> pl.DataFrame:
    """The latest sends, newest first, as the Alerts page shows them."""
    from dashboard.alerts import store

    return _sends_frame(store.sends(paths(), limit))


def alert_given_up() -> pl.DataFrame:
    """Every send given up (however old), oldest first: the ones an admin may re-queue."""
    from dashboard.alerts import store

    return _sends_frame(store.given_up(paths()))


def _sends_frame(found: list) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "alert_send_id": [s.id for s in found],
            "alert_created_at": [_utc(s.created_at) for s in found],
            "alert_group": [s.group for s in found],
            "alert_channel": [s.channel for s in found],
            "alert_address": [s.address for s in found],
            "alert_subject": [s.subject for s in found],
            "alert_items": [s.items for s in found],
            "alert_status": [s.status for s in found],
            "alert_attempts": [s.attempts for s in found],
            "alert_error_kind": [s.error_kind for s in found],
            "alert_error": [s.last_error for s in found],
            "alert_sent_at": [_utc(s.sent_at) for s in found],
        },
        schema={
            "alert_send_id": pl.Int64,
            "alert_created_at": pl.Datetime,
            "alert_group": pl.String,
            "alert_channel": pl.String,
            "alert_address": pl.String,
            "alert_subject": pl.String,
            "alert_items": pl.Int64,
            "alert_status": pl.String,
            "alert_attempts": pl.Int64,
            "alert_error_kind": pl.String,
            "alert_error": pl.String,
            "alert_sent_at": pl.Datetime,
        },
    )


def alert_max_attempts() -> int:
    """IPGOV_ALERT_MAX_ATTEMPTS: failed runs in a row before a send is given up."""
    return settings.current().alert_max_attempts


def alert_requeue(send_id: int, actor: str):
    """Put a given-up send back in the queue (an admin, on the Alerts page)."""
    from dashboard.alerts import store

    return store.requeue(paths(), send_id, actor)


def _utc(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text).replace(tzinfo=None) if text else None


def alert_rules():
    """Every alert rule (seeded with the defaults on first use)."""
    from dashboard.alerts import store

    return store.rules(paths())


def alert_recipients():
    from dashboard.alerts import store

    return store.recipients(paths())


def alert_save_rule(name: str, states: tuple[str, ...], group: str, enabled: bool, actor: str):
    from dashboard.alerts import store

    return store.save_rule(paths(), name, states, group, enabled, actor)


def alert_add_recipient(group: str, channel: str, address: str, actor: str):
    from dashboard.alerts import store

    return store.add_recipient(paths(), group, channel, address, actor)


def alert_remove_recipient(group: str, channel: str, address: str) -> bool:
    from dashboard.alerts import store

    return store.remove_recipient(paths(), group, channel, address)


__all__ += [
    "alert_add_recipient",
    "alert_given_up",
    "alert_max_attempts",
    "alert_recipients",
    "alert_remove_recipient",
    "alert_requeue",
    "alert_rules",
    "alert_save_rule",
    "alert_sends",
]
# --- loads and snapshots (issue 13): the Loads page -------------------------------------------
# Read from each load's report, the audit trail and the snapshots folder, not from the current
# snapshot (after a rollback it knows nothing of the loads after it): dashboard/core/loads.py.
# Not under st.cache_data: every rerun lists afresh (each report is parsed once in the core).

LoadHistory = core_loads.History
RollbackPlan = core_loads.Plan


def load_history() -> core_loads.History:
    """Every load, newest first, and each of its files."""
    return core_loads.history(paths())


def snapshot_list() -> pl.DataFrame:
    """The published snapshots, newest first, as `ipgov snapshots` lists them."""
    return core_loads.snapshot_list(paths())


def rollback_plan(target: str) -> core_loads.Plan:
    """What rolling back to `target` would withdraw and reinstate."""
    return core_loads.rollback_plan(paths(), target)


def load_report(load_id: str) -> bytes | None:
    """A load's JSON report (its quality report: every file's verdict, rules and first problems),
    or None when it wrote none."""
    path = core_loads.report_path(paths(), load_id)
    return path.read_bytes() if path else None


__all__ += ["LoadHistory", "RollbackPlan", "load_history", "load_report", "rollback_plan",
            "snapshot_list"]  # fmt: skip
