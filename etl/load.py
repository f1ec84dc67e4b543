"""`ipgov load`: source files → raw (append + lineage) → staging → marts → published snapshot.

Each file is loaded in its own transaction, so a crash leaves every file either fully loaded or
not at all; a file whose SHA-256 was loaded before is skipped, so re-running a load is harmless.
Staging and marts are rebuilt in one transaction after the files, then published as a snapshot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import settings, transform, warehouse, workdays
from etl.errors import FileRejected, IpgovError
from etl.sources import KINDS
from etl.sources.reader import ROW, SUFFIXES, ReadResult, read
from etl.sources.schema import DUCKDB_TYPES, RecordKind

CODES_CSV = Path(__file__).parent / "reference" / "codes.csv"
LINEAGE_COLUMNS = {
    "load_id": "VARCHAR",
    "file_seq": "BIGINT",
    "source_file": "VARCHAR",
    "source_sha256": "VARCHAR",
    ROW: "BIGINT",
    "loaded_at": "TIMESTAMP",
}
CALENDAR_FIRST_DAY = dt.date(2004, 1, 1)  # chinesecalendar's first year


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
    message: str = ""


@dataclass
class LoadSummary:
    load_id: str
    files: list[FileOutcome] = field(default_factory=list)
    snapshot: Path | None = None
    seconds: float = 0.0

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "rejected"]


def new_load_id(now: dt.datetime | None = None) -> str:
    """Sortable and unique per load: the UTC start time to the microsecond."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def source_files(paths: Iterable[Path]) -> list[Path]:
    """Files named, plus supported files found below named folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise IpgovError(f"{path}: no such file or folder")
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
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


def refresh_reference(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    """Code lists and the working-day calendar, rebuilt from the package's reference files."""
    con.execute("create schema if not exists ref")
    codes = pl.read_csv(CODES_CSV, infer_schema=False)
    aliases = (
        pl.concat(
            [
                codes.select("domain", pl.col(source).alias("alias"), "code")
                for source in ("code", "name_zh", "name_en")
            ]
            + [
                codes.select(
                    "domain", pl.col("aliases").str.split("|").alias("alias"), "code"
                ).explode("alias")
            ]
        )
        .drop_nulls()
        .with_columns(pl.col("alias").str.strip_chars().str.to_lowercase())
    )
    aliases = aliases.filter(pl.col("alias") != "").unique(["domain", "alias"], keep="first")
    con.register("codes_in", codes.drop("aliases").to_arrow())
    con.register("aliases_in", aliases.to_arrow())
    con.execute("create or replace table ref.codes as from codes_in")
    con.execute("create or replace table ref.code_aliases as from aliases_in")
    last_day = dt.date(today.year + 2, 12, 31)
    con.register("calendar_in", workdays.calendar_days(CALENDAR_FIRST_DAY, last_day).to_arrow())
    con.execute("create or replace table ref.calendar_days as from calendar_in")
    for name in ("codes_in", "aliases_in", "calendar_in"):
        con.unregister(name)


def _insert_file(
    con: duckdb.DuckDBPyConnection,
    result: ReadResult,
    path: Path,
    sha256: str,
    load_id: str,
    loaded_at: dt.datetime,
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
    con.register("incoming", result.frame.with_columns(lineage).to_arrow())
    con.execute(f"insert into raw.{result.kind.name} by name select * from incoming")
    con.unregister("incoming")
    if result.problems.height:
        problems = result.problems.with_columns(
            *lineage[:3], pl.lit(loaded_at).alias("quarantined_at")
        )
        con.register("problems_in", problems.to_arrow())
        con.execute("insert into raw.quarantine by name select * from problems_in")
        con.unregister("problems_in")
    con.execute(
        "insert into raw.load_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            result.frame.height,
            result.rows_quarantined,
            result.ignored_columns,
            loaded_at,
        ],
    )


def _load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str | None,
    load_id: str,
    loaded_at: dt.datetime,
) -> FileOutcome:
    started = time.perf_counter()
    sha256 = sha256_of(path)
    seen = con.execute(
        "select source_file, load_id from raw.load_files where source_sha256 = ?", [sha256]
    ).fetchall()
    if seen:
        return FileOutcome(
            path, "skipped", message=f"same bytes as {seen[0][0]} (load {seen[0][1]})"
        )
    try:
        result = read(path, kind)
    except FileRejected as e:
        return FileOutcome(
            path, "rejected", message=e.reason, seconds=time.perf_counter() - started
        )
    con.begin()
    try:
        _insert_file(con, result, path, sha256, load_id, loaded_at)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return FileOutcome(
        path,
        "loaded",
        result.kind.name,
        result.rows_read,
        result.frame.height,
        result.rows_quarantined,
        time.perf_counter() - started,
    )


def rebuild_marts(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    """Staging views and mart tables, rebuilt together: readers of the ingest file see both or
    neither."""
    con.begin()
    try:
        refresh_reference(con, today)
        transform.build(con, "staging", "staging")
        transform.build(con, "marts", "marts")
        con.commit()
    except BaseException:
        con.rollback()
        raise


def build_snapshot(
    con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, load_id: str
) -> Path:
    """Copy the marts into a new snapshot file, add the KPI views, and publish it."""
    paths.snapshots.mkdir(parents=True, exist_ok=True)
    building = paths.snapshots / f".{load_id}.building"
    building.unlink(missing_ok=True)
    con.execute(f"attach '{building}' as snap")
    try:
        for model in transform.models("marts"):
            con.execute(f"create table snap.main.{model.name} as from marts.{model.name}")
    finally:
        con.execute("detach snap")
    snap = warehouse.connect_new_snapshot(building)
    try:
        for model in transform.models("marts"):
            transform.document(snap, model, None)
        transform.build(snap, "kpis", None)
        snap.execute("checkpoint")
    finally:
        snap.close()
    return warehouse.publish(paths, building, load_id)


def load(
    inputs: Iterable[Path],
    db: Path,
    kind: str | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    today: dt.date | None = None,
) -> LoadSummary:
    """Load source files into the warehouse at `db` and publish a new snapshot if anything new."""
    started = time.perf_counter()
    files = source_files(inputs)
    if not files:
        raise IpgovError("no CSV, XLSX or Parquet files found in " + ", ".join(map(str, inputs)))
    paths = warehouse.WarehousePaths(db)
    summary = LoadSummary(new_load_id())
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con = warehouse.connect_ingest(paths)
    try:
        ensure_raw(con)
        for path in files:
            outcome = _load_file(con, path, kind, summary.load_id, loaded_at)
            summary.files.append(outcome)
            if on_file:
                on_file(outcome)
        changed = any(f.status == "loaded" for f in summary.files)
        if changed or warehouse.current_snapshot(paths) is None:
            rebuild_marts(con, today or dt.date.today())
            summary.snapshot = build_snapshot(con, paths, summary.load_id)
            warehouse.prune_snapshots(
                paths,
                int(settings.get("snapshot_keep")),
                float(settings.get("snapshot_grace_seconds")),
            )
    finally:
        con.close()
    summary.seconds = time.perf_counter() - started
    return summary
