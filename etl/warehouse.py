"""The only module that opens DuckDB: the ingest database, its snapshots, and the publish step.

DuckDB refuses a writer while any other process holds the file, even read-only. So the ETL owns
the ingest file (`--db`, read-write, raw → staging → marts), and after each successful load it
writes a fresh serving snapshot holding only the marts and KPI views (no raw rows, no personal
data) and atomically repoints `CURRENT` at it. Readers open the current snapshot read-only and
never block a load; a load never changes a snapshot a reader has open.

Layout for `--db data/warehouse.duckdb` (copying `data/` is a complete backup):
    data/warehouse.duckdb                    ingest database (ETL only)
    data/warehouse.snapshots/<load_id>.duckdb  published snapshots
    data/warehouse.snapshots/CURRENT         name of the current snapshot
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.errors import IpgovError, NoDataError


@dataclass(frozen=True)
class WarehousePaths:
    """Everything a warehouse owns, derived from the ingest file's path."""

    db: Path

    @property
    def folder(self) -> Path:
        return self.db.parent

    @property
    def snapshots(self) -> Path:
        return self.folder / f"{self.db.stem}.snapshots"

    @property
    def current_pointer(self) -> Path:
        return self.snapshots / "CURRENT"

    @property
    def reports(self) -> Path:
        return self.folder / "reports"


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise IpgovError(
                f"{path} is in use by another ipgov load; wait for it to finish and try again"
            ) from e
        raise IpgovError(f"cannot open {path}: {e}") from e


def connect_ingest(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """Read-write connection to the ingest database (one loader at a time)."""
    paths.folder.mkdir(parents=True, exist_ok=True)
    return _connect(paths.db, read_only=False)


def connect_new_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """Read-write connection to a snapshot still being built (not yet visible to readers)."""
    return _connect(path, read_only=False)


def current_snapshot(paths: WarehousePaths) -> Path | None:
    """The published snapshot readers should use, or None before the first load."""
    try:
        name = paths.current_pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    snapshot = paths.snapshots / name
    return snapshot if snapshot.exists() else None


def snapshot_id(paths: WarehousePaths) -> str | None:
    """Identity of the current snapshot: cache key for readers, changes with every publish."""
    snapshot = current_snapshot(paths)
    return snapshot.stem if snapshot else None


@contextlib.contextmanager
def read_snapshot(
    paths: WarehousePaths, snapshot_id: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the current snapshot (or the one named), closed on exit.

    Naming the snapshot lets a cached reader query exactly the snapshot its cache key names,
    even if a load publishes a newer one in between.
    """
    snapshot = (
        current_snapshot(paths)
        if snapshot_id is None
        else (paths.snapshots / f"{snapshot_id}.duckdb")
    )
    if snapshot is None or not snapshot.exists():
        raise NoDataError(f"no data loaded yet in {paths.db} — run `ipgov load PATH` first")
    con = _connect(snapshot, read_only=True)
    try:
        yield con
    finally:
        con.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(paths: WarehousePaths, built: Path, load_id: str) -> Path:
    """Make a fully written snapshot file current, atomically; then prune old ones."""
    final = paths.snapshots / f"{load_id}.duckdb"
    _fsync(built)
    os.replace(built, final)
    pointer_tmp = paths.current_pointer.with_suffix(".tmp")
    pointer_tmp.write_text(final.name + "\n", encoding="utf-8")
    _fsync(pointer_tmp)
    os.replace(pointer_tmp, paths.current_pointer)
    _fsync(paths.snapshots)
    return final


def prune_snapshots(paths: WarehousePaths, keep: int, grace_seconds: float) -> list[Path]:
    """Delete snapshots older than the newest `keep` (besides the current) and the grace period.

    A reader that opened an old snapshot keeps its file handle on POSIX even after unlinking,
    and the grace period lets short reads that resolved the old pointer finish opening it.
    """
    current = current_snapshot(paths)
    files = sorted(paths.snapshots.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    removed = []
    now = time.time()
    for old in [p for p in files if p != current][keep:]:
        if now - old.stat().st_mtime > grace_seconds:
            old.unlink(missing_ok=True)
            Path(f"{old}.wal").unlink(missing_ok=True)
            removed.append(old)
    return removed
