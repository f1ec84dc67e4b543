"""The Loads page's reads: every load's history, the published snapshots, what a rollback would
take back — without Streamlit.

A load's history cannot come from the published snapshot: after a rollback the current snapshot
is an earlier one, which knows nothing of the loads after it, and those are exactly the ones a
steward looks for. So it comes from what each load leaves beside the warehouse, which no
rollback changes: its JSON report (reports/<load_id>.json, written by etl/load.py: every file
judged, with verdict, rows and reason, the files skipped, the snapshot published), who ran it
from the audit trail (the `load` and `publish` entries name the load id), and which loads are
withdrawn from the ingest database's raw.withdrawn_loads, read-only for a moment
(etl/rollback.py; a load starting then waits for it, etl/warehouse.connect_ingest).
Each report is parsed once per file version (path, size, mtime): a page run re-reads only the
folder listing.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dashboard.access import audit
from etl import rollback, warehouse
from etl.sources import KINDS

LOAD_ID = re.compile(r"\d{8}T\d{12}Z")  # etl.load.new_load_id: the UTC start time
STATES = ("current", "live", "withdrawn", "nothing_new")  # a load's state, for load_state
# fact table counted per snapshot (etl.rollback.COUNTED) → its record kind
COUNTED_KIND = {
    "fct_takedowns": "takedowns",
    "fct_cases": "cases",
    "fct_patent_preexams": "patents",
    "fct_trademark_cases": "trademarks",
    "fct_notarizations": "notarizations",
}
assert set(COUNTED_KIND) == set(rollback.COUNTED) and set(COUNTED_KIND.values()) <= set(KINDS)

FILE_SCHEMA = {
    "load_id": pl.String,
    "source_file": pl.String,
    "kind": pl.String,
    "load_status": pl.String,
    "rows_read": pl.Int64,
    "rows_valid": pl.Int64,
    "rows_quarantined": pl.Int64,
    "message_zh": pl.String,
    "message_en": pl.String,
}
LOAD_SCHEMA = {
    "loaded_at": pl.Datetime,
    "load_id": pl.String,
    "loaded_by": pl.String,
    "files_loaded": pl.Int64,
    "files_skipped": pl.Int64,
    "files_rejected": pl.Int64,
    "rows_loaded": pl.Int64,
    "rows_quarantined": pl.Int64,
    "snapshot_id": pl.String,
    "load_state": pl.String,
}
SNAPSHOT_SCHEMA = {
    "snapshot_id": pl.String,
    "snapshot_state": pl.String,
    "published_at": pl.Datetime,
    "loaded_by": pl.String,
    "snapshot_build": pl.String,
    "files": pl.Int64,
    **{f"rows_{kind}": pl.Int64 for kind in COUNTED_KIND.values()},
}


def started_at(load_id: str) -> dt.datetime:
    """When a load started (UTC, naive): its id is that time to the microsecond."""
    return dt.datetime.strptime(load_id, "%Y%m%dT%H%M%S%fZ")


def report_path(paths: warehouse.WarehousePaths, load_id: str) -> Path | None:
    """The load's JSON report, if it wrote one (never a path outside the reports folder)."""
    if not LOAD_ID.fullmatch(load_id):
        return None
    path = paths.reports / f"{load_id}.json"
    return path if path.is_file() else None


def _reports(paths: warehouse.WarehousePaths) -> list[Path]:
    if not paths.reports.is_dir():
        return []
    found = (p for p in paths.reports.glob("*.json") if LOAD_ID.fullmatch(p.stem))
    return sorted(found, key=lambda p: p.stem, reverse=True)


@functools.lru_cache(maxsize=4096)
def _parsed(path: str, size: int, mtime_ns: int) -> tuple[str | None, tuple[dict, ...]]:
    """(the snapshot a report says its load published, one dict per file), for this version of
    the file (size and mtime are the cache key's, not read here)."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a report cut off by a full disk: the load shows no files
        return None, ()
    load_id = Path(path).stem
    files = []
    for f in report.get("files", []):
        rejection = f.get("rejection") or {}
        rejected = f.get("verdict") == "rejected"
        files.append(
            {
                "load_id": load_id,
                "source_file": f.get("file"),
                "kind": f.get("kind") or "-",
                "load_status": "rejected" if rejected else "loaded",
                "rows_read": f.get("rows_read"),
                "rows_valid": f.get("rows_valid"),
                "rows_quarantined": f.get("rows_quarantined"),
                "message_zh": rejection.get("message_zh"),
                "message_en": rejection.get("message_en"),
            }
        )
    for f in report.get("skipped", []):
        files.append(
            {
                "load_id": load_id,
                "source_file": f.get("file"),
                "kind": "-",
                "load_status": "skipped",
                "rows_read": None,
                "rows_valid": None,
                "rows_quarantined": None,
                # reports before message_zh was written: the English reason in both
                "message_zh": f.get("message_zh") or f.get("message"),
                "message_en": f.get("message"),
            }
        )
    return report.get("snapshot"), tuple(files)


def _report(path: Path) -> tuple[str | None, tuple[dict, ...]]:
    try:
        stat = path.stat()
    except OSError:
        return None, ()
    return _parsed(str(path), stat.st_size, stat.st_mtime_ns)


def who_loaded(paths: warehouse.WarehousePaths) -> dict[str, str]:
    """Load id → who ran it: the actor of the audit trail's `ipgov load` or Upload-page
    Publish entry that names it (the CLI's actor is cli:<os user>)."""
    found: dict[str, str] = {}
    if not paths.app_db.exists():
        return found
    for action in ("load", "publish"):
        for entry in audit.entries(paths, action=action):
            load_id = entry.detail.get("load_id")
            if isinstance(load_id, str) and entry.actor:
                found.setdefault(load_id, entry.actor)
    return found


@dataclass(frozen=True)
class History:
    """Every load, newest first (`loads`), each file of each (`files`); `withdrawn_known` is
    False when the ingest database was busy, so withdrawn loads may show as live."""

    loads: pl.DataFrame
    files: pl.DataFrame
    withdrawn_known: bool


def history(paths: warehouse.WarehousePaths) -> History:
    """The history of every load that wrote a report, newest first."""
    current = warehouse.snapshot_id(paths)
    withdrawn = rollback.withdrawals(paths)
    by = who_loaded(paths)
    loads, files = [], []
    for path in _reports(paths):
        snapshot, rows = _report(path)
        snapshot_id = Path(snapshot).stem if snapshot else None
        load_id = path.stem
        if snapshot_id is None:
            state = "nothing_new"
        elif withdrawn and load_id in withdrawn:
            state = "withdrawn"
        else:
            state = "current" if snapshot_id == current else "live"
        done = [r for r in rows if r["load_status"] == "loaded"]
        loads.append(
            {
                "loaded_at": started_at(load_id),
                "load_id": load_id,
                "loaded_by": by.get(load_id),
                "files_loaded": len(done),
                "files_skipped": sum(r["load_status"] == "skipped" for r in rows),
                "files_rejected": sum(r["load_status"] == "rejected" for r in rows),
                "rows_loaded": sum(r["rows_valid"] or 0 for r in done),
                "rows_quarantined": sum(r["rows_quarantined"] or 0 for r in done),
                "snapshot_id": snapshot_id,
                "load_state": state,
            }
        )
        files.extend(rows)
    return History(
        pl.DataFrame(loads, schema=LOAD_SCHEMA),
        pl.DataFrame(files, schema=FILE_SCHEMA),
        withdrawn is not None,
    )


def snapshot_list(paths: warehouse.WarehousePaths) -> pl.DataFrame:
    """The published snapshots as `ipgov snapshots` lists them, newest first: current or
    withdrawn, when, who ran the load that published it, how built, files, rows per kind."""
    by = who_loaded(paths)
    rows = []
    for s in rollback.snapshots(paths):
        state = "current" if s.current else "withdrawn" if s.withdrawn else "earlier"
        rows.append(
            {
                "snapshot_id": s.id,
                "snapshot_state": state,
                "published_at": s.published_at.replace(tzinfo=None),
                "loaded_by": by.get(s.id),
                "snapshot_build": s.built,
                "files": s.files_loaded,
                **{f"rows_{kind}": s.rows.get(table) for table, kind in COUNTED_KIND.items()},
            }
        )
    return pl.DataFrame(rows, schema=SNAPSHOT_SCHEMA)


@dataclass(frozen=True)
class Plan:
    """What rolling back to `target` would do, for the confirmation step: the loads it would
    withdraw and reinstate (as etl.rollback.rollback decides them), and their files."""

    target: str
    current: str | None
    withdraw: list[str]
    reinstate: list[str]
    files: pl.DataFrame  # the files of the loads withdrawn (loaded or rejected)
    counts: pl.DataFrame  # records per kind: in the current snapshot, in the target


def rollback_plan(paths: warehouse.WarehousePaths, target: str) -> Plan:
    """The loads after `target` that hold data (a file loaded or rejected) and are not withdrawn
    yet; the withdrawn ones up to it come back."""
    found = history(paths)
    loads = found.loads
    holds_data = (pl.col("files_loaded") + pl.col("files_rejected")) > 0
    withdraw = loads.filter(
        (pl.col("load_id") > target) & (pl.col("load_state") != "withdrawn") & holds_data
    )["load_id"]
    reinstate = loads.filter((pl.col("load_id") <= target) & (pl.col("load_state") == "withdrawn"))
    files = found.files.filter(
        pl.col("load_id").is_in(withdraw.to_list()) & (pl.col("load_status") != "skipped")
    )
    return Plan(
        target,
        warehouse.snapshot_id(paths),
        sorted(withdraw.to_list()),
        sorted(reinstate["load_id"].to_list()),
        files,
        _counts(snapshot_list(paths), target),
    )


def _counts(snapshots: pl.DataFrame, target: str) -> pl.DataFrame:
    """Records per kind in the current snapshot and in the target (None: unreadable)."""
    now = snapshots.filter(pl.col("snapshot_state") == "current")
    after = snapshots.filter(pl.col("snapshot_id") == target)
    rows = [
        {
            "kind": kind,
            "rows_now": now[f"rows_{kind}"][0] if now.height else None,
            "rows_after": after[f"rows_{kind}"][0] if after.height else None,
        }
        for kind in COUNTED_KIND.values()
    ]
    return pl.DataFrame(
        rows, schema={"kind": pl.String, "rows_now": pl.Int64, "rows_after": pl.Int64}
    )
