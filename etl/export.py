"""`ipgov export --parquet DIR`: the published marts as Hive-partitioned Parquet.

The scale-out path: past one machine, Spark, Trino or DuckDB itself read
`DIR/<table>/year=YYYY/month=MM/*.parquet` as one partitioned table. Fact tables are partitioned
by the year and month of their event date; dimensions and KPI tables are written whole.
Exported from the read-only snapshot, so an export never blocks or sees half a load.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from etl import warehouse
from etl.errors import IpgovError

# table → the date column its partitions follow
PARTITIONED = {
    "fct_takedowns": "notice_sent_on",
    "fct_cases": "received_on",
    "fct_referrals": "referred_on",
    "fct_patent_preexams": "accepted_on",
    "fct_trademark_cases": "opened_on",
    "fct_notarizations": "requested_at",
}


@dataclass
class ExportedTable:
    name: str
    rows: int
    files: int
    partitioned_by: str | None


def export_parquet(
    paths: warehouse.WarehousePaths, out: Path, overwrite: bool = False
) -> list[ExportedTable]:
    """Write every table of the current snapshot under `out`; returns what was written."""
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise IpgovError(f"{out} is not empty; use --overwrite to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    exported = []
    with warehouse.read_snapshot(paths) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' order by 1"
            ).fetchall()
        ]
        for table in tables:
            target = out / table
            date_column = PARTITIONED.get(table)
            if date_column:
                con.execute(
                    f"copy (select *, year({date_column}) as year, month({date_column}) as month "
                    f"from {table}) to '{target}' "
                    "(format parquet, partition_by (year, month), compression zstd)"
                )
            else:
                target.mkdir()
                con.execute(
                    f"copy {table} to '{target / 'data.parquet'}' "
                    "(format parquet, compression zstd)"
                )
            rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
            exported.append(
                ExportedTable(table, rows, len(list(target.rglob("*.parquet"))), date_column)
            )
    return exported
