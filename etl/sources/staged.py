"""A source file's cells as a DuckDB relation: what every format is turned into before judging.

CSV (any encoding), Parquet and XLSX all end up as a relation of positional text or typed columns
`_c0, _c1, …` with the file's header cells beside it, so one SQL parser (etl/sources/cells.py)
and one gate engine (etl/gate/engine.py) serve every format and size.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SHEET_VIEW = "staged_sheet"  # the name a workbook's sheet is registered under


@dataclass
class StagedCells:
    """A file's cells as a DuckDB relation of positional columns `_c0, _c1, …`."""

    path: Path
    relation: str  # a FROM-able SQL expression
    headers: list[str | None]
    types: list[str]  # DuckDB type per position (VARCHAR for CSV)
    encoding: str
    first_row: int  # the clerk's row number of the first data row
    sheet: str | None = None
    sep: str = ","
    source: Path | None = None  # the UTF-8 file a CSV relation reads (the file or a copy)
    folder: Path | None = None  # where copies go
    expected_rows: int | None = None  # data rows if every line is one row (optimistic read)
    temp_files: list[Path] = field(default_factory=list)
    keep_alive: object = None  # a registered frame must outlive the queries on it

    def register(self, con: duckdb.DuckDBPyConnection) -> StagedCells:
        """A workbook's sheet (held in `keep_alive`) registered on `con` as SHEET_VIEW; CSV and
        Parquet relations need nothing. Itself, for chaining."""
        if self.keep_alive is not None:
            con.register(SHEET_VIEW, self.keep_alive)
        return self

    def close(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.keep_alive is not None:
            with contextlib.suppress(duckdb.Error):
                con.unregister(SHEET_VIEW)
            self.keep_alive = None
        self.close_files()

    def close_files(self) -> None:
        for temp in self.temp_files:
            temp.unlink(missing_ok=True)
        self.temp_files = []


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
