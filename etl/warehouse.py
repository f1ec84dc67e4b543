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
import re
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import settings
from etl.errors import DamagedSnapshotError, IpgovError, NoDataError


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

    @property
    def app_db(self) -> Path:
        """The dashboard's own small database (saved SQL queries): beside, never in, a snapshot."""
        return self.folder / f"{self.db.stem}.app.sqlite"


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as e:
        raise IpgovError(explain(e, path)) from e


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction. After an I/O failure (disk full) DuckDB may already have
    aborted it; that second error must not hide the first, which is the one to report."""
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def explain(error: BaseException, path: Path) -> str:
    """One line a person can act on, for the ways opening or writing a warehouse file fails."""
    known = environment_fault(error, path)
    if known:
        return known
    text = str(error)
    first_line = text.splitlines()[0] if text else type(error).__name__
    return f"cannot open {path}: {first_line}"


def environment_fault(error: BaseException, path: Path) -> str | None:
    """The message for a fault of the machine or the file rather than of ipgov — another load
    holding the lock, a full disk, a read-only folder, a damaged file — or None."""
    lowered = str(error).lower()
    if "conflicting lock" in lowered or "could not set lock" in lowered:
        return f"{path} is in use by another ipgov load; wait for it to finish and try again"
    if "no space left" in lowered or getattr(error, "errno", None) == 28:
        return (
            f"the disk holding {path.parent} is full; nothing of this load was published — "
            "free some space and run it again"
        )
    if (
        "read-only file system" in lowered
        or "permission denied" in lowered
        or getattr(error, "errno", None) in (13, 30)
    ):
        return f"cannot write to {path.parent} (read-only or no permission); nothing was changed"
    if "not a valid duckdb database" in lowered or "corrupt" in lowered or "checksum" in lowered:
        return (
            f"{path} is damaged or not a DuckDB database; restore its folder from a backup, "
            "or move it aside and load the source files again"
        )
    return None


def _connect_bounded(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection under the load's memory limit (closed if the limit fails)."""
    con = _connect(path, read_only=False)
    try:
        limit_memory(con)
    except BaseException:
        con.close()
        raise
    return con


INGEST_WAIT_SECONDS = 5.0  # how long a load or rollback waits for a lister to let go


def _is_lock_conflict(error: BaseException) -> bool:
    lowered = str(error).lower()  # another process; or, in this one, a read-only connection
    return any(
        words in lowered
        for words in ("conflicting lock", "could not set lock", "different configuration")
    )


def connect_ingest(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """Read-write connection to the ingest database (one loader at a time).

    A lister (`ipgov snapshots`, the dashboard's Loads page) holds the file read-only for a few
    milliseconds; a load or rollback starting in that moment would fail on DuckDB's lock, so it
    retries for up to INGEST_WAIT_SECONDS. Another load holds the file much longer: after the
    wait, the same one-line "in use" error as before."""
    paths.folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + INGEST_WAIT_SECONDS
    while True:
        try:
            return _connect_bounded(paths.db)
        except IpgovError as e:
            if not _is_lock_conflict(e.__cause__ or e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def try_read_only(path: Path) -> duckdb.DuckDBPyConnection | None:
    """A file read-only, or None when it is missing, damaged or held by a load: for listing
    (`ipgov snapshots` reads the ingest database's records and each snapshot's counts), where a
    reader never waits for a load nor fails on one file."""
    if not path.exists():
        return None
    try:
        return _connect(path, read_only=True)
    except IpgovError:
        return None


def limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Bound what a load may hold in memory (setting load_memory_limit); beyond it DuckDB spills
    to its temporary directory, so a national-scale file never needs national-scale RAM."""
    con.execute(f"set memory_limit = {_literal(settings.current().load_memory_limit)}")


@contextlib.contextmanager
def threads(con: duckdb.DuckDBPyConnection, count: int | None) -> Iterator[None]:
    """DuckDB's worker threads set to `count` for the block and restored after (None: left as
    they are). A setting of the whole database, so of every cursor on it; 0.7 ms to change."""
    if count is None:
        yield
        return
    (before,) = con.execute("select current_setting('threads')").fetchall()[0]
    con.execute(f"set threads = {int(count)}")
    try:
        yield
    finally:
        con.execute(f"set threads = {int(before)}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect_scratch() -> duckdb.DuckDBPyConnection:
    """A private in-memory database: where `ipgov check` judges big files without a warehouse."""
    con = duckdb.connect(":memory:")
    spill = Path(tempfile.gettempdir()) / f"ipgov-duckdb-{os.getpid()}"
    con.execute(f"set temp_directory = {_literal(str(spill))}")
    limit_memory(con)
    return con


def connect_formatter() -> duckdb.DuckDBPyConnection:
    """A bare in-memory database that reads nothing (external access off, one thread): where the
    SQL console has DuckDB write values Python cannot hold (an infinite date) as text."""
    return duckdb.connect(":memory:", config={"enable_external_access": False, "threads": 1})


_DESCRIBER = threading.local()


def describer() -> duckdb.DuckDBPyConnection:
    """A bare in-memory database this thread keeps (one thread, nothing read from disk): where a
    workbook's Arrow columns are named in DuckDB's types. Kept, not opened per workbook: opening
    one cost 21–44 ms, a describe on a kept one 2.4 ms (docs/performance.md, session 16)."""
    con = getattr(_DESCRIBER, "con", None)
    if con is None:
        con = _DESCRIBER.con = duckdb.connect(":memory:", config={"threads": 1})
    return con


def connect_new_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """Read-write connection to a snapshot still being built (not yet visible to readers),
    bounded like the load's own: a query on it may group every row of the marts (grain checks
    of 22.8M pre-examinations here took a scale-1000 load's peak from 1.2 to 2.4 GB)."""
    return _connect_bounded(path)


REMEDY = "run `ipgov load PATH` again to publish a fresh one"
_SNAPSHOT_NAME = re.compile(r"[\w-][\w.-]*\.duckdb", re.ASCII)  # a bare file name, not hidden


def _pointed_name(paths: WarehousePaths) -> str | None:
    """The snapshot file name `CURRENT` holds; None before the first load."""
    pointer = paths.current_pointer
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeError) as e:
        reason = (
            "it is not text"
            if isinstance(e, UnicodeError)
            else f"it cannot be read ({e.strerror or type(e).__name__})"
        )
        raise DamagedSnapshotError(
            pointer, "pointer", f"{pointer} is damaged: {reason} — {REMEDY}"
        ) from e
    if not _SNAPSHOT_NAME.fullmatch(name):  # never a path outside the snapshots folder
        raise DamagedSnapshotError(
            pointer,
            "pointer",
            f"{pointer} is damaged: it holds {name[:40]!r}, not a snapshot file name — {REMEDY}",
        )
    return name


def published_snapshot(paths: WarehousePaths) -> Path:
    """The snapshot file a reader should open: NoDataError before the first load,
    DamagedSnapshotError when `CURRENT` cannot be read or names no snapshot file."""
    name = _pointed_name(paths)
    if name is None:
        raise NoDataError(f"no data loaded yet in {paths.db} — run `ipgov load PATH` first")
    snapshot = paths.snapshots / name
    if not snapshot.is_file():
        raise DamagedSnapshotError(
            paths.current_pointer,
            "pointer",
            f"{paths.current_pointer} is damaged: it names {name}, which does not exist — {REMEDY}",
        )
    return snapshot


def current_snapshot(paths: WarehousePaths) -> Path | None:
    """The published snapshot, or None when there is none to use: before the first load, or when
    `CURRENT` is damaged (the loader then publishes a fresh one). Readers use published_snapshot,
    which says which of these it is."""
    try:
        return published_snapshot(paths)
    except (NoDataError, DamagedSnapshotError):
        return None


def snapshot_id(paths: WarehousePaths) -> str | None:
    """Identity of the current snapshot: cache key for readers, changes with every publish."""
    snapshot = current_snapshot(paths)
    return snapshot.stem if snapshot else None


def snapshot_damage(error: BaseException, snapshot: Path) -> DamagedSnapshotError | None:
    """What an error opening or reading a published snapshot says about the file, or None when
    it is not about the file. DuckDB finds some damage only when a query reads the bad block
    (a truncated file opens), so this is asked on open and on every read."""
    lowered = str(error).lower()
    if "permission denied" in lowered or getattr(error, "errno", None) == 13:
        return DamagedSnapshotError(
            snapshot,
            "no_permission",
            f"cannot read the published snapshot {snapshot} (permission denied) — let this user "
            f"read it, or {REMEDY}",
        )
    if "not a valid duckdb database" in lowered:
        reason = "it is not a DuckDB database (overwritten or empty)"
    elif "could not read enough bytes" in lowered:
        reason = "it is shorter than it should be (truncated)"
    elif "corrupt database file" in lowered:
        reason = "a block of it fails its checksum"
    else:
        return None
    return DamagedSnapshotError(
        snapshot, "damaged", f"the published snapshot {snapshot} is damaged: {reason} — {REMEDY}"
    )


def _snapshot_file(paths: WarehousePaths, snapshot_id: str | None) -> Path:
    if snapshot_id is None:
        return published_snapshot(paths)
    snapshot = paths.snapshots / f"{snapshot_id}.duckdb"
    if not snapshot.exists():
        raise NoDataError(f"no data loaded yet in {paths.db} — run `ipgov load PATH` first")
    return snapshot


def open_snapshot(
    paths: WarehousePaths, snapshot_id: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current snapshot (or the one named); the caller closes it.

    Naming the snapshot lets a cached reader query exactly the snapshot its cache key names,
    even if a load publishes a newer one in between. Read its results inside
    `damage_as_error`, or use read_snapshot, which does.
    """
    snapshot = _snapshot_file(paths, snapshot_id)
    try:
        return duckdb.connect(str(snapshot), read_only=True)
    except duckdb.Error as e:
        raise (snapshot_damage(e, snapshot) or IpgovError(explain(e, snapshot))) from e


@contextlib.contextmanager
def damage_as_error(paths: WarehousePaths, snapshot_id: str) -> Iterator[None]:
    """Around reads of the snapshot named: an error that shows the file damaged (a block cut off
    or failing its checksum) becomes DamagedSnapshotError; any other error passes unchanged."""
    try:
        yield
    except duckdb.Error as e:
        damage = snapshot_damage(e, paths.snapshots / f"{snapshot_id}.duckdb")
        if damage is None:
            raise
        raise damage from e


@contextlib.contextmanager
def read_snapshot(
    paths: WarehousePaths, snapshot_id: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the current snapshot (or the one named), closed on exit."""
    snapshot = _snapshot_file(paths, snapshot_id)
    con = open_snapshot(paths, snapshot.stem)
    try:
        with damage_as_error(paths, snapshot.stem):
            yield con
    finally:
        con.close()


def verify_snapshot(paths: WarehousePaths) -> None:
    """Read every row of every table of the current snapshot, so DuckDB checks each block in use
    against its checksum; DamagedSnapshotError if one fails. Costs a full scan: for the loader
    (is the published snapshot worth keeping?), not for readers."""
    with read_snapshot(paths) as con:
        tables = con.execute(
            "select table_name from duckdb_tables() where not internal order by 1"
        ).fetchall()
        for (table,) in tables:
            con.execute(f'select bit_xor(hash(t)) from "{table}" as t').fetchall()


SANDBOX_DATABASE = "ipgov"


def open_sandbox(
    paths: WarehousePaths, memory_limit: str, threads: int, snapshot_id: str | None = None
) -> tuple[str, duckdb.DuckDBPyConnection]:
    """A locked-down connection to the current snapshot (or the one named) for the SQL console.

    Its own in-memory DuckDB instance with the snapshot ATTACHed read-only as `ipgov`, not
    `duckdb.connect(snapshot, config=...)`: DuckDB shares one instance per file within a process
    and refuses a second connection with another configuration, so that would break the
    dashboard's other readers of the same snapshot while a console query runs (and a second
    console query could not set the already-locked configuration again). After the attach,
    external access goes off (no files, ATTACH, COPY, INSTALL/LOAD) and the configuration is
    locked, so no statement can lift the memory limit, the thread cap or the sandbox itself.
    No temp directory: a query that needs more memory than the limit fails instead of spilling.
    """
    if snapshot_id is None:
        snapshot = published_snapshot(paths)
    else:
        snapshot = paths.snapshots / f"{snapshot_id}.duckdb"
        if not snapshot.exists():
            raise IpgovError(f"snapshot {snapshot_id} is no longer published; run the query again")
    try:
        con = duckdb.connect(
            ":memory:",
            config={
                "memory_limit": memory_limit,
                "threads": threads,
                "temp_directory": "",
                "python_enable_replacements": False,  # no scans of the caller's Python objects
                "autoload_known_extensions": False,
                "autoinstall_known_extensions": False,
            },
        )
    except duckdb.Error as e:
        raise IpgovError(f"cannot open the SQL sandbox: {e}") from e
    try:
        quoted = str(snapshot).replace("'", "''")
        con.execute(f"attach '{quoted}' as {SANDBOX_DATABASE} (read_only)")
        con.execute(f"use {SANDBOX_DATABASE}")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except duckdb.Error as e:
        con.close()
        damage = snapshot_damage(e, snapshot)
        raise (damage or IpgovError(f"cannot open {snapshot} for the SQL console: {e}")) from e
    return snapshot.stem, con


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
    point_current(paths, final)
    return final


def point_current(paths: WarehousePaths, snapshot: Path) -> None:
    """Rewrite `CURRENT` to name `snapshot`, atomically (a reader sees the old name or the new
    one, never half a name): publishing a new snapshot, and rolling back to an earlier one."""
    pointer_tmp = paths.current_pointer.with_suffix(".tmp")
    pointer_tmp.write_text(snapshot.name + "\n", encoding="utf-8")
    _fsync(pointer_tmp)
    os.replace(pointer_tmp, paths.current_pointer)
    _fsync(paths.snapshots)


def remove_unfinished_snapshots(paths: WarehousePaths) -> list[Path]:
    """Delete snapshot files a killed load left half-built. Only call while holding the ingest
    database (the loader's lock), so no other load can be building one right now."""
    removed = []
    for unfinished in paths.snapshots.glob(".*.building*"):
        unfinished.unlink(missing_ok=True)
        removed.append(unfinished)
    paths.current_pointer.with_suffix(".tmp").unlink(missing_ok=True)
    return removed


def prune_snapshots(
    paths: WarehousePaths, keep: int, grace_seconds: float, protect: Collection[str] = ()
) -> list[Path]:
    """Delete snapshots older than the newest `keep` (besides the current) and the grace period,
    never the current one nor one named in `protect` (the loader passes the snapshots a rollback
    made current: a rollback's target stays, whatever its age, so what `ipgov snapshots` says
    a rollback went back to still exists).

    A reader that opened an old snapshot keeps its file handle on POSIX even after unlinking,
    and the grace period lets short reads that resolved the old pointer finish opening it.
    """
    current = current_snapshot(paths)
    files = sorted(paths.snapshots.glob("*.duckdb"), key=lambda p: p.name, reverse=True)
    removed = []
    now = time.time()
    older = [p for p in files if p != current][keep:]
    for old in [p for p in older if p.stem not in protect]:
        if now - old.stat().st_mtime > grace_seconds:
            old.unlink(missing_ok=True)
            Path(f"{old}.wal").unlink(missing_ok=True)
            removed.append(old)
    return removed
