"""Any source file → its cells as a DuckDB relation (`StagedCells`), whatever its format.

The one entry point the reader (etl/sources/reader.py) and the loader's read-ahead thread use:
CSV through etl/sources/csv_files.py, XLSX through etl/sources/workbooks.py, Parquet here
(DuckDB reads it as it is). File-level faults found on the way raise `FileRejected`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.progress import QUIET, FileProgress
from etl.sources.csv_files import stage_csv
from etl.sources.faults import first_line, reject
from etl.sources.files import CSV_SUFFIXES, EXCEL_SUFFIXES, PARQUET_SUFFIXES
from etl.sources.staged import StagedCells, quote_literal, quote_name
from etl.sources.workbooks import read_sheet


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> StagedCells:
    scan = f"read_parquet({quote_literal(str(path))})"
    try:
        described = con.execute(f"describe select * from {scan}").fetchall()
    except duckdb.Error as e:
        raise reject(path, "unreadable", what="Parquet", detail=first_line(e)) from e
    names = [row[0] for row in described]
    select = ", ".join(f"{quote_name(n)} as _c{i}" for i, n in enumerate(names))
    return StagedCells(
        path,
        f"(select {select} from {scan})",
        list(names),
        [row[1] for row in described],
        "parquet",
        1,
    )


def stage(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind_name: str | None,
    folder: Path,
    progress: FileProgress = QUIET,
) -> StagedCells:
    """The file as a relation of cells, or FileRejected for the faults found before reading.
    `folder`: where a transcoded copy of a CSV may be written (beside the warehouse);
    `progress`: a CSV's reading passes, by bytes; a workbook's reading, read by calamine in one
    call, as a step without a percentage (Parquet: DuckDB reads it when it parses)."""
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return stage_parquet(con, path)
    staged = stage_ahead(path, kind_name, folder, progress)
    if staged is None:
        raise reject(path, "unsupported_type", suffix=suffix or path.name)
    return staged.register(con)


def stage_ahead(
    path: Path, kind_name: str | None, folder: Path, progress: FileProgress = QUIET
) -> StagedCells | None:
    """What of staging needs no connection, so the loader can do it in its read-ahead thread: a
    CSV's reading checks, a workbook's data sheet read by calamine (registered on a connection
    by `StagedCells.register` at its turn). None for any other file (Parquet: DuckDB reads it
    when it parses)."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return stage_csv(path, folder, progress)
    if suffix in EXCEL_SUFFIXES:
        progress.report("scan", None)
        staged = read_sheet(path, kind_name)
        progress.done("scan")
        return staged
    return None
