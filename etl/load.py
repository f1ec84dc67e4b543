"""`ipgov load`: source files → quality gate → raw (append + lineage) → staging → marts → snapshot.

Every file passes the data-quality gate (etl/gate/) before anything of it is written: a file
rejected as a whole leaves the warehouse as it was (only its rejection is recorded, in
raw.load_rejections); a file with bad rows loads its good rows and sends the others to
raw.quarantine. Each file is loaded in its own transaction, so a crash leaves every file either
fully loaded or not at all; a file whose SHA-256 was loaded before is skipped, so re-running a load
is harmless. Staging and marts are rebuilt in one transaction after the files, then published as a
snapshot, with a JSON report and GX data docs under the warehouse folder's reports/.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import reverts, schedules, settings, snapshot, transform, warehouse, workdays
from etl.errors import DamagedSnapshotError, FileRejected, IpgovError
from etl.gate import FileReport, Gate, engine, report_json
from etl.gate.codes import code_aliases, code_list
from etl.gate.engine import Judged
from etl.gate.oracle import DataDocs
from etl.progress import QUIET, FileProgress, OnProgress, for_file
from etl.sources import KINDS
from etl.sources.csv_files import remove_leftover_copies, stage_csv
from etl.sources.files import CSV_SUFFIXES, source_files
from etl.sources.schema import DUCKDB_TYPES, ROW, RecordKind
from etl.sources.staged import StagedCells

GATE_RESULTS = ".gate-results.json"  # suffix of a load's saved gate results, in reports/
LINEAGE_COLUMNS = {
    "load_id": "VARCHAR",
    "file_seq": "BIGINT",
    "source_file": "VARCHAR",
    "source_sha256": "VARCHAR",
    ROW: "BIGINT",
    "loaded_at": "TIMESTAMP",
}
CALENDAR_FIRST_DAY = dt.date(2004, 1, 1)  # chinesecalendar's first year
# leaves out the loads a rollback withdrew (etl/rollback.py): their files may be loaded again,
# and they make no snapshot stale
LIVE = "and load_id not in (select load_id from raw.withdrawn_loads)"
# Columns added to raw tables after warehouses already existed: `create table if not exists` does
# not add them, so ensure_raw does.
RAW_UPGRADES: dict[str, dict[str, str]] = {
    "quarantine": {
        "kind": "VARCHAR",
        "key_value": "VARCHAR",
        "expectation_type": "VARCHAR",
        "message_zh": "VARCHAR",
        "message_en": "VARCHAR",
        "is_pii": "BOOLEAN",
    },
    "load_files": {"sender": "VARCHAR", "sheet": "VARCHAR", "verdict": "VARCHAR"},
}


@dataclass
class FileOutcome:
    """What happened to one source file."""

    path: Path
    status: str  # loaded | skipped | rejected
    kind: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    message: str = ""  # English; why a file was skipped or rejected
    message_zh: str = ""
    report: FileReport | None = None  # the quality gate's verdict (not for skipped)


@dataclass
class LoadSummary:
    load_id: str
    files: list[FileOutcome] = field(default_factory=list)
    snapshot: Path | None = None
    seconds: float = 0.0
    report: Path | None = None  # the JSON report of this load
    data_docs: Path | None = None  # GX's HTML data docs (index page), when asked for
    gate_results: Path | None = None  # what `ipgov data-docs` renders them from
    warnings: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds: files, marts, snapshot…
    snapshot_build: str = ""  # full | incremental (etl/snapshot.py), when one was published
    snapshot_reason: str = ""  # why full; for incremental, what was recomputed
    snapshot_steps: dict[str, float] = field(default_factory=dict)  # seconds of its steps

    def phase(self, name: str, since: float) -> float:
        """Record the seconds of phase `name`, begun at `since`; the time it ended."""
        now = time.perf_counter()
        self.phases[name] = now - since
        return now

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def quarantined(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "loaded" and f.rows_quarantined]


def new_load_id(now: dt.datetime | None = None) -> str:
    """Sortable and unique per load: the UTC start time to the microsecond."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def sha256_of(path: Path, progress: FileProgress = QUIET) -> str:
    """The file's SHA-256, read in 1 MB chunks (`progress`: step hash, by bytes)."""
    digest = hashlib.sha256()
    read = 0
    on_bytes = progress.reader("hash")
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
            read += len(chunk)
            if on_bytes is not None:
                on_bytes(read)
    progress.done("hash")
    return digest.hexdigest()


def _raw_table_ddl(kind: RecordKind) -> str:
    columns = [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS.items()]
    columns += [f"{c.name} {DUCKDB_TYPES[c.type]}" for c in kind.columns]
    return f"create table if not exists raw.{kind.name} (\n    " + ",\n    ".join(columns) + "\n)"


def ensure_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw layer (generated from the record kinds' schemas) if it is not there yet."""
    con.execute("create schema if not exists raw")
    for ddl in sorted((transform.SQL_DIR / "raw").glob("*.sql")):
        con.execute(ddl.read_text(encoding="utf-8"))
    for kind in KINDS.values():
        con.execute(_raw_table_ddl(kind))
        existing = {
            r[0]
            for r in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'raw' "
                "and table_name = ?",
                [kind.name],
            ).fetchall()
        }
        for c in kind.columns:  # a column added to a kind after the table was created
            if c.name not in existing:
                con.execute(
                    f"alter table raw.{kind.name} add column {c.name} {DUCKDB_TYPES[c.type]}"
                )
    _drop_unique_sha256(con)
    for table, columns in RAW_UPGRADES.items():
        existing = _columns(con, table)
        for name, sql_type in columns.items():
            if name not in existing:
                con.execute(f"alter table raw.{table} add column {name} {sql_type}")


def _drop_unique_sha256(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses made before rollbacks held each SHA-256 once in raw.load_files (UNIQUE); a
    withdrawn load's file may now be loaded again. DuckDB cannot drop a constraint, so the small
    table is copied into one made by the current DDL, in one transaction."""
    unique = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'raw' "
        "and table_name = 'load_files' and constraint_type = 'UNIQUE'"
    ).fetchone()[0]
    if not unique:
        return
    ddl = (transform.SQL_DIR / "raw" / "load_files.sql").read_text(encoding="utf-8")
    con.begin()
    try:
        con.execute("alter table raw.load_files rename to load_files_before_rollbacks")
        con.execute(ddl)
        con.execute("insert into raw.load_files by name from raw.load_files_before_rollbacks")
        con.execute("drop table raw.load_files_before_rollbacks")
        con.commit()
    except BaseException:
        _rollback(con)
        raise


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() where schema_name = 'raw' and table_name = ?",
        [table],
    ).fetchall()
    return {r[0] for r in rows}


def refresh_reference(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    """Code lists and the working-day calendar, rebuilt from the package's reference files and
    the official schedules imported into this warehouse (etl/schedules.py)."""
    con.execute("create schema if not exists ref")
    codes = code_list()
    aliases = code_aliases()  # the gate normalises codes with the very same table
    con.register("codes_in", codes.drop("aliases").to_arrow())
    con.register("aliases_in", aliases.to_arrow())
    con.execute("create or replace table ref.codes as from codes_in")
    con.execute("create or replace table ref.code_aliases as from aliases_in")
    last_day = dt.date(today.year + 2, 12, 31)
    calendar = workdays.calendar_days(
        CALENDAR_FIRST_DAY, last_day, imported=schedules.imported(con)
    )
    con.register("calendar_in", calendar.to_arrow())
    con.execute("create or replace table ref.calendar_days as from calendar_in")
    for name in ("codes_in", "aliases_in", "calendar_in"):
        con.unregister(name)


def _insert_file(
    con: duckdb.DuckDBPyConnection,
    result: Judged,
    path: Path,
    sha256: str,
    load_id: str,
    loaded_at: dt.datetime,
    progress: FileProgress = QUIET,
) -> None:
    next_seq = con.execute("select coalesce(max(file_seq), 0) + 1 from raw.load_files")
    file_seq = next_seq.fetchall()[0][0]
    lineage = [
        pl.lit(load_id).alias("load_id"),
        pl.lit(file_seq, dtype=pl.Int64).alias("file_seq"),
        pl.lit(path.name).alias("source_file"),
        pl.lit(sha256).alias("source_sha256"),
        pl.lit(loaded_at).alias("loaded_at"),
    ]
    with progress.statement(con, "insert", result.rows_valid):
        con.execute(  # the rows never leave DuckDB
            f"insert into raw.{result.kind.name} by name "
            "select ? as load_id, ? as file_seq, ? as source_file, ? as source_sha256, "
            f"? as loaded_at, * from ({result.good_rows_sql()})",
            [load_id, file_seq, path.name, sha256, loaded_at],
        )
    if result.problems.height:
        problems = result.problems.with_columns(
            *lineage[:3],
            pl.lit(result.kind.name).alias("kind"),
            pl.lit(loaded_at).alias("quarantined_at"),
        )
        con.register("problems_in", problems.to_arrow())
        con.execute("insert into raw.quarantine by name select * from problems_in")
        con.unregister("problems_in")
    con.execute(
        "insert into raw.load_files (file_seq, load_id, kind, source_file, source_path, "
        "source_sha256, size_bytes, encoding, rows_read, rows_loaded, rows_quarantined, "
        "ignored_columns, loaded_at, sender, sheet, verdict) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_seq,
            load_id,
            result.kind.name,
            path.name,
            str(path.resolve()),
            sha256,
            path.stat().st_size,
            result.encoding,
            result.rows_read,
            result.rows_valid,
            result.rows_quarantined,
            result.ignored_columns,
            loaded_at,
            sender_of(path),
            result.sheet,
            "quarantined" if result.rows_quarantined else "ok",
        ],
    )


def sender_of(path: Path) -> str:
    """Who sent a file: the folder it arrived in (one folder per agency, e.g. inbox/区市监局/)."""
    return path.resolve().parent.name


def _record_rejection(
    con: duckdb.DuckDBPyConnection,
    report: FileReport,
    path: Path,
    sha256: str,
    load_id: str,
    rejected_at: dt.datetime,
) -> None:
    """The one row a rejected file writes, so officials see it; its own transaction."""
    con.begin()
    try:
        con.execute(
            "insert into raw.load_rejections values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id,
                path.name,
                str(path.resolve()),
                sha256,
                path.stat().st_size,
                sender_of(path),
                report.kind,
                report.reason_code or "unreadable",
                report.message_zh,
                report.message_en,
                report.rows_read or None,
                report.rows_quarantined or None,
                rejected_at,
            ],
        )
        con.commit()
    except BaseException:
        _rollback(con)
        raise


@dataclass
class Prepared:
    """What can be done for a file before its turn, in a thread beside DuckDB's work on the
    one before: its SHA-256 and, for a CSV, the reading checks (etl/sources/csv_files.py) —
    Python work on one core while DuckDB's threads are busy with the previous file."""

    sha256: str
    staged: StagedCells | FileRejected | None = None

    def discard(self) -> None:
        if isinstance(self.staged, StagedCells):
            self.staged.close_files()


def _prepare(
    path: Path, folder: Path, loaded: set[str], on_progress: OnProgress | None = None
) -> Prepared:
    progress = for_file(on_progress, path)
    prepared = Prepared(sha256_of(path, progress))
    if prepared.sha256 in loaded:
        return prepared
    if path.suffix.lower() in CSV_SUFFIXES:
        try:
            prepared.staged = stage_csv(path, folder, progress)
        except FileRejected as e:
            prepared.staged = e
    return prepared


def _load_file(
    con: duckdb.DuckDBPyConnection,
    gate: Gate,
    path: Path,
    kind: str | None,
    load_id: str,
    loaded_at: dt.datetime,
    prepared: Prepared | None = None,
    allow_revert: bool = False,
    on_progress: OnProgress | None = None,
) -> FileOutcome:
    started = time.perf_counter()
    progress = for_file(on_progress, path)
    sha256 = prepared.sha256 if prepared else sha256_of(path, progress)
    seen = con.execute(
        f"select source_file, load_id from raw.load_files where source_sha256 = ? {LIVE}",
        [sha256],
    ).fetchall()
    if seen:
        if prepared:
            prepared.discard()
        return FileOutcome(
            path,
            "skipped",
            message=f"same bytes as {seen[0][0]} (load {seen[0][1]})",
            message_zh=f"与已加载的 {seen[0][0]}（批次 {seen[0][1]}）内容相同，跳过",
        )
    report, result = gate.check(path, kind, prepared.staged if prepared else None, on_progress)
    back = None if result is None else reverts.find(con, result.kind, result.good_rows_sql())
    if back and not allow_revert:
        engine.drop_tables(con)
        report = dataclasses.replace(
            report,
            verdict="rejected",
            reason_code="revert",
            message_en=f"{path.name}: {back.message()}",
            message_zh=f"{path.name}：{back.message_zh()}",
        )
        result = None
    if result is None:
        engine.drop_tables(con)  # a file rejected by --strict after it was judged
        _record_rejection(con, report, path, sha256, load_id, loaded_at)
        return FileOutcome(
            path,
            "rejected",
            report.kind,
            report.rows_read,
            0,
            report.rows_quarantined,
            time.perf_counter() - started,
            report.message_en,
            report.message_zh,
            report,
        )
    con.begin()
    try:
        _insert_file(con, result, path, sha256, load_id, loaded_at, progress)
        con.commit()
    except BaseException:
        _rollback(con)
        raise
    finally:
        engine.drop_tables(con)
    return FileOutcome(
        path,
        "loaded",
        result.kind.name,
        result.rows_read,
        result.rows_valid,
        result.rows_quarantined,
        time.perf_counter() - started,
        # a revert loaded on purpose is said, not hidden
        f"put {back.count} record(s) back to an older version: {back.listed}" if back else "",
        f"已将 {back.count} 条记录恢复为较早的版本：{back.listed}" if back else "",
        report=report,
    )


def _load_files(
    con: duckdb.DuckDBPyConnection,
    gate: Gate,
    files: list[Path],
    kind: str | None,
    folder: Path,
    load_id: str,
    loaded_at: dt.datetime,
    allow_revert: bool = False,
    on_progress: OnProgress | None = None,
) -> Iterator[FileOutcome]:
    """Each file in turn, the next one prepared in a thread meanwhile (one ahead: at most two
    transcoded copies on disk; its hashing and reading reported from that thread)."""
    loaded = {
        sha
        for (sha,) in con.execute(
            f"select source_sha256 from raw.load_files where true {LIVE}"
        ).fetchall()
    }
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipgov-prepare") as pool:
        ahead: Future[Prepared] | None = None
        try:
            for i, path in enumerate(files):
                current = ahead or pool.submit(_prepare, path, folder, loaded, on_progress)
                ahead = None
                if i + 1 < len(files):
                    ahead = pool.submit(_prepare, files[i + 1], folder, loaded, on_progress)
                yield _load_file(
                    con,
                    gate,
                    path,
                    kind,
                    load_id,
                    loaded_at,
                    current.result(),
                    allow_revert,
                    on_progress,
                )
        finally:
            if ahead is not None:
                ahead.cancel()
                with contextlib.suppress(BaseException):
                    ahead.result().discard()


def rebuild_marts(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    """Reference tables, staging and mart views, rebuilt together: readers of the ingest file
    see both or neither. The marts are computed when a snapshot copies them (etl/snapshot.py)."""
    con.begin()
    try:
        refresh_reference(con, today)
        transform.build(con, "staging", "staging")
        for (table,) in con.execute(  # marts were tables before they became views
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall():
            con.execute(f"drop table marts.{table}")
        transform.build(con, "marts", "marts")
        con.commit()
    except BaseException:
        _rollback(con)
        raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction. After an I/O failure (disk full) DuckDB may already have
    aborted it; that second error must not hide the first, which is the one to report."""
    with contextlib.suppress(duckdb.Error):
        con.rollback()


def _snapshot_is_stale(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> bool:
    """True when raw holds a load the current snapshot does not: none published yet, or a
    load that committed its files and then died before publishing (the files are skipped when
    it runs again, so without this check the snapshot would stay behind for good), or a
    calendar schedule imported after it whose own publish did not happen; or when the snapshot
    was built by other models than this code's (`built_by_other_models`)."""
    current = warehouse.snapshot_id(paths)
    if current is None:
        return True
    latest = con.execute(
        "select max(load_id) from (select load_id from raw.load_files "
        f"union all select load_id from raw.load_rejections) where true {LIVE}"
    ).fetchall()[0][0]
    if latest is not None and latest > current:
        return True
    imported = schedules.latest_import_id(con)  # a schedule imported after it was published
    if imported is not None and imported > current:
        return True
    if built_by_other_models(con, paths, today):  # hashes the models and reference tables
        return True
    # Last, as it reads the whole snapshot: a file that cannot be read is replaced, not kept.
    try:
        warehouse.verify_snapshot(paths)
    except DamagedSnapshotError:
        return True
    return False


def load(
    inputs: Iterable[Path],
    db: Path,
    kind: str | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    today: dt.date | None = None,
    *,
    strict: bool = False,
    validate: bool = True,
    reports: bool = True,
    data_docs: bool = False,
    allow_revert: bool = False,
    on_progress: OnProgress | None = None,
) -> LoadSummary:
    """Load source files into the warehouse at `db` and publish a new snapshot if anything new.

    on_progress: told how far each file's steps have come (etl/progress.py: hash, scan, parse,
    judge, insert), from this thread and the read-ahead one; on_file: each file's outcome.

    allow_revert: load a file even if it puts records back to an older version (etl/reverts.py;
    said in its outcome); without it such a file is rejected, naming the records.
    strict: a file with any bad row is rejected as a whole. validate=False checks only the
    suites' type and required rules (the parser's own): for the benchmark, not for users.
    reports=False writes no JSON report and no gate results. data_docs=True also renders GX's
    data docs now (`render_data_docs` does it later from the saved results).
    """
    started = time.perf_counter()
    inputs = list(inputs)
    files = source_files(inputs)
    if not files:
        raise IpgovError("no CSV, XLSX or Parquet files found in " + ", ".join(map(str, inputs)))
    paths = warehouse.WarehousePaths(db)
    summary = LoadSummary(new_load_id())
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = today or dt.date.today()
    con = warehouse.connect_ingest(paths)
    gate = Gate(  # files are judged on this connection, their rows inserted from it
        today,
        strict=strict,
        validate=validate,
        docs_dir=paths.reports / "data_docs" if reports else None,
        run_name=summary.load_id,
        con=con,
        scratch=paths.folder,
    )
    try:
        ensure_raw(con)
        warehouse.remove_unfinished_snapshots(paths)  # we hold the ingest lock: no one builds
        remove_leftover_copies(paths.folder)  # a killed load's transcoded files
        phase = time.perf_counter()
        for outcome in _load_files(
            con,
            gate,
            files,
            kind,
            paths.folder,
            summary.load_id,
            loaded_at,
            allow_revert,
            on_progress,
        ):
            summary.files.append(outcome)
            if on_file:
                on_file(outcome)
        phase = summary.phase("files", phase)
        # A rejection is news too: officials see it on the Data quality page.
        changed = any(f.status in ("loaded", "rejected") for f in summary.files)
        if changed or _snapshot_is_stale(con, paths, today):
            rebuild_marts(con, today)
            phase = summary.phase("marts", phase)
            built = snapshot.build(con, paths, summary.load_id)
            summary.snapshot, summary.snapshot_build = built.path, built.mode
            summary.snapshot_reason, summary.snapshot_steps = built.reason, built.steps
            phase = summary.phase("snapshot", phase)
            prune(con, paths)
    except (duckdb.Error, OSError) as e:
        # disk full, read-only folder, damaged file: the transactions and the atomic publish
        # leave the last good state in place; say so in one line instead of a traceback
        fault = warehouse.environment_fault(e, paths.db)
        if fault is None:
            raise
        raise IpgovError(fault) from e
    finally:
        con.close()
    if reports:
        phase = time.perf_counter()
        _write_reports(summary, gate, paths, today, strict, data_docs)
        summary.phase("reports", phase)
    summary.seconds = time.perf_counter() - started
    return summary


def built_by_other_models(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> bool:
    """Whether the current snapshot was built from other models or reference tables than this
    code's: ipgov was upgraded since (a page would call a macro or column the snapshot lacks),
    or a new year's calendar is due. Its fingerprint, recorded at publish, tells
    (raw.snapshot_builds); a snapshot without a record (older warehouses) counts as other."""
    current = warehouse.snapshot_id(paths)
    if current is None:
        return False
    refresh_reference(con, today)  # what a build would use now
    recorded = snapshot.recorded(con, current)
    return recorded is None or recorded[0] != snapshot.fingerprint(con)


def republish(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, today: dt.date
) -> snapshot.Built:
    """A new snapshot from raw as it is, with no file loaded: the marts rebuilt, built,
    published, the old ones pruned. For a calendar import, and for a snapshot built by other
    models (`republish_if_outdated`)."""
    rebuild_marts(con, today)
    built = snapshot.build(con, paths, new_load_id())
    prune(con, paths)
    return built


def republish_if_outdated(db: Path, today: dt.date | None = None) -> snapshot.Built | None:
    """Before serving: rebuild the current snapshot from raw when it was built by other models
    (an upgrade of ipgov), so no page meets a macro or column its snapshot lacks. None when it
    is current or there is none; IpgovError (one line) when the ingest database is in use."""
    paths = warehouse.WarehousePaths(db)
    if warehouse.snapshot_id(paths) is None:
        return None
    today = today or dt.date.today()
    con = warehouse.connect_ingest(paths)
    try:
        ensure_raw(con)
        if not built_by_other_models(con, paths, today):
            return None
        return republish(con, paths, today)
    finally:
        con.close()


def prune(con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths) -> None:
    """Old snapshots removed as the settings say, never the current one nor one a rollback
    points at."""
    warehouse.prune_snapshots(
        paths,
        settings.current().snapshot_keep,
        settings.current().snapshot_grace_seconds,
        rollback_targets(con),
    )


def rollback_targets(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The snapshots a rollback made current whose withdrawn loads are still withdrawn: kept
    by the pruning whatever their age (etl/rollback.py records them in raw.withdrawn_loads)."""
    rows = con.execute("select distinct to_snapshot from raw.withdrawn_loads").fetchall()
    return {target for (target,) in rows if target}


def _write_reports(
    summary: LoadSummary,
    gate: Gate,
    paths: warehouse.WarehousePaths,
    today: dt.date,
    strict: bool,
    data_docs: bool,
) -> None:
    """reports/<load_id>.json, the gate's results (reports/<load_id>.gate-results.json) and,
    when asked for, GX's data docs. The data is loaded by now, so a report that cannot be
    written is a warning, never a failed load."""
    try:
        summary.gate_results = gate.save_docs(paths.reports / f"{summary.load_id}{GATE_RESULTS}")
    except OSError as e:
        summary.warnings.append(f"gate results not written: {e}")
    if data_docs:
        try:
            summary.data_docs = gate.build_docs()
        except Exception as e:  # GX rendering is not worth failing a finished load for
            summary.warnings.append(f"data docs not written: {type(e).__name__}: {e}")
    judged = [f.report for f in summary.files if f.report is not None]
    payload = report_json(
        judged,
        load_id=summary.load_id,
        today=today.isoformat(),
        strict=strict,
        snapshot=summary.snapshot.name if summary.snapshot else None,
        snapshot_build={
            "mode": summary.snapshot_build,
            "detail": summary.snapshot_reason,
            "seconds": summary.snapshot_steps,
        }
        if summary.snapshot
        else None,
        data_docs=str(summary.data_docs) if summary.data_docs else None,
        skipped=[
            {"file": f.path.name, "message": f.message, "message_zh": f.message_zh}
            for f in summary.files
            if f.status == "skipped"
        ],
    )
    try:
        paths.reports.mkdir(parents=True, exist_ok=True)
        target = paths.reports / f"{summary.load_id}.json"
        target.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        summary.report = target
    except OSError as e:
        summary.warnings.append(f"report not written: {e}")


def render_data_docs(db: Path, load_id: str | None = None) -> Path:
    """GX's HTML data docs of a load (default: the latest that judged a file), rendered from the
    results it saved, into reports/data_docs/ beside the warehouse (replacing the site rendered
    there before); the index page."""
    paths = warehouse.WarehousePaths(db)
    if load_id is None:
        saved = sorted(paths.reports.glob(f"*{GATE_RESULTS}"))
        if not saved:
            raise IpgovError(f"no load of {db} has saved gate results in {paths.reports}")
        results = saved[-1]
    else:
        results = paths.reports / f"{load_id}{GATE_RESULTS}"
        if not results.is_file():
            raise IpgovError(f"load {load_id} saved no gate results ({results} is missing)")
    site = paths.reports / "data_docs"
    shutil.rmtree(site, ignore_errors=True)  # generated pages only: no page of another load
    docs = DataDocs.read(results, site).build()
    assert docs is not None  # a saved file lists at least one judged file
    return docs
