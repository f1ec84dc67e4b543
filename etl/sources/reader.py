"""Source file → typed rows in DuckDB, with every file-level fault found first, never guessed.

Government exports come as GB18030 CSV with Chinese headers, platforms send UTF-8 CSV, clerks send
XLSX, bulk feeds send Parquet. Each is staged as a relation of cells (etl/sources/stage.py), its
headers mapped to a record kind's canonical columns (etl/sources/headers.py), and its cells parsed
in one SQL pass into the temporary table `gate_rows` (etl/sources/cells.py), where the quality
gate (etl/gate/) judges them and the loader inserts the good ones from.

Every fault that makes a whole file unusable — unreadable or undecodable bytes, no data, a cut-off
last line, blank or merged or duplicate headers, missing required columns, an unknown kind, a
workbook without a data sheet — raises `FileRejected` with a `code` and a reason in English and
Chinese (etl/sources/faults.py), before anything is written.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import warehouse
from etl.errors import FileRejected
from etl.progress import QUIET, FileProgress
from etl.sources.cells import ROWS_TABLE, has_values, materialize
from etl.sources.faults import first_line, reject
from etl.sources.headers import check_kind_name, map_headers, resolve_kind
from etl.sources.schema import ROW, STRING, RecordKind
from etl.sources.stage import stage
from etl.sources.staged import StagedCells, quote_name

PROBLEM_SCHEMA = {
    ROW: pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "raw_value": pl.String,
}


@dataclass
class Rows:
    """A file read into `gate_rows` on a connection: what its cells mean, and where they are."""

    kind: RecordKind
    texts: dict[str, str]  # each canonical column's text as SQL over gate_rows
    rows_read: int
    encoding: str
    ignored_columns: list[str]
    sheet: str | None
    first_row: int  # gate_rows.rowid + first_row is the clerk's row number

    def row_sql(self, alias: str = "g") -> str:
        """The clerk's row number of a gate_rows row, as SQL."""
        return f"{alias}.rowid + {self.first_row}"


def drop_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"drop table if exists temp.{ROWS_TABLE}")


def read_rows(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind_name: str | None,
    folder: Path,
    staged: StagedCells | None = None,
    progress: FileProgress = QUIET,
) -> Rows:
    """Read one file into `gate_rows` on `con`; FileRejected for its file-level faults.

    `folder`: where a transcoded copy may be written. `staged`: the file's cells, already staged
    (the loader stages the next CSV in a thread while DuckDB works on the one before).
    `progress`: the reading passes and the parse (etl/progress.py)."""
    try:
        check_kind_name(path, kind_name)
    except FileRejected:
        if staged is not None:
            staged.close_files()
        raise
    staged = staged.register(con) if staged else stage(con, path, kind_name, folder, progress)
    try:
        if not any(staged.headers):
            raise reject(path, "empty")
        try:
            kind = resolve_kind(path, staged.headers, kind_name)
            renames, ignored = map_headers(
                path, staged.headers, staged.sheet, has_values(con, staged), kind
            )
        except FileRejected:
            if not _has_rows(con, staged):  # a header without rows is empty, whatever it says
                raise reject(path, "empty") from None
            raise
        texts = materialize(con, staged, kind, renames, progress)
        rows_read = con.execute(f"select count(*) from {ROWS_TABLE}").fetchall()[0][0]
        if rows_read == 0:
            raise reject(path, "empty")
    except FileRejected:
        drop_rows(con)
        raise
    except (duckdb.InvalidInputException, duckdb.ConversionException) as e:
        # DuckDB refused the bytes in a way the CSV checks did not foresee: the file's fault
        drop_rows(con)
        what = {"parquet": "Parquet", "xlsx": "XLSX"}.get(staged.encoding, "CSV")
        raise reject(path, "unreadable", what=what, detail=first_line(e)) from e
    finally:
        staged.close(con)
    return Rows(kind, texts, rows_read, staged.encoding, ignored, staged.sheet, staged.first_row)


def _has_rows(con: duckdb.DuckDBPyConnection, staged: StagedCells) -> bool:
    try:
        return bool(con.execute(f"select 1 from {staged.relation} limit 1").fetchall())
    except duckdb.Error:
        return True  # rows DuckDB cannot read: the header fault is the news


@dataclass
class ReadResult:
    """A file read on its own, fetched into polars: for tools and tests, not the load path
    (the gate judges rows where they are, in DuckDB)."""

    kind: RecordKind
    parsed: pl.DataFrame  # ROW + canonical typed columns, every row (a bad cell is null)
    text: pl.DataFrame  # ROW + canonical columns as the file wrote them (blank = null)
    problems: pl.DataFrame  # PROBLEM_SCHEMA: a cell that does not parse, a required one empty
    rows_read: int
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)
    sheet: str | None = None

    @property
    def frame(self) -> pl.DataFrame:
        """The rows without any problem."""
        if self.problems.is_empty():
            return self.parsed
        return self.parsed.filter(~pl.col(ROW).is_in(self.problems[ROW].implode()))

    @property
    def rows_quarantined(self) -> int:
        return self.rows_read - self.frame.height


def read(path: Path, kind_name: str | None = None) -> ReadResult:
    """Read one source file with the parser's own checks (types, required values) only;
    FileRejected when nothing of it can be used."""
    con = warehouse.connect_scratch()
    try:
        rows = read_rows(con, path, kind_name, Path(tempfile.gettempdir()))
        kind = rows.kind
        row = f"cast({rows.row_sql()} as bigint) as {ROW}"
        values = ", ".join(quote_name(c.name) for c in kind.columns)
        texts = ", ".join(f"{rows.texts[c.name]} as {quote_name(c.name)}" for c in kind.columns)
        order = "order by g.rowid"
        parsed = con.sql(f"select {row}, {values} from {ROWS_TABLE} g {order}").pl()
        text = con.sql(f"select {row}, {texts} from {ROWS_TABLE} g {order}").pl()
        checks = []
        for c in kind.columns:
            name, cell = quote_name(c.name), rows.texts[c.name]
            found = []
            if c.type != STRING:
                found.append((f"type:{c.type}", f"{cell} is not null and {name} is null"))
            if c.required:
                found.append(("required", f"{cell} is null"))
            for rule, predicate in found:
                checks.append(
                    f"select {row}, '{c.name}' as column_name, '{rule}' as rule, "
                    f"{cell} as raw_value from {ROWS_TABLE} g where {predicate}"
                )
        problems = con.sql(" union all ".join(checks)).pl().cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]
    finally:
        drop_rows(con)
        con.close()
    return ReadResult(
        kind,
        parsed,
        text,
        problems,
        rows.rows_read,
        rows.encoding,
        rows.ignored_columns,
        rows.sheet,
    )
