"""The warehouse's own tables: raw, every loaded file's rows with their lineage, and ref, the
code lists and working-day calendar the models read.

raw.<kind> holds every version of every record as it was loaded, each row with the load, the
file and the row it came from (`LINEAGE_COLUMNS`); raw.load_files, raw.load_rejections and
raw.quarantine say what became of each file and bad row. Nothing in raw is changed in place: a
rollback withdraws whole loads (raw.withdrawn_loads, etl/rollback.py) and everything reads raw
without them (`LIVE` here, `staging.live` in the models). The loader (etl/load.py) writes here a
file at a time, each in its own transaction; the preview, the rollback and the calendar import
use the same tables, ids and hashes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import polars as pl

from etl import schedules, transform, warehouse, workdays
from etl.gate import FileReport
from etl.gate.codes import code_aliases, code_list
from etl.gate.engine import Judged
from etl.progress import QUIET, FileProgress
from etl.sources import KINDS
from etl.sources.schema import DUCKDB_TYPES, ROW, RecordKind

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
        warehouse.rollback(con)
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


def insert_file(
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


def record_rejection(
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
        warehouse.rollback(con)
        raise
