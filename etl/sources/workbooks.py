"""XLSX workbooks → the data sheet's cells as a DuckDB relation.

A clerk's workbook may open with a cover sheet, or carry a title row or merged header cells above
the data. The first sheet whose first row is the header of a record kind is read; a sheet whose
header row has a blank cell over data is rejected with the sheet and column letter, because
guessing which of two header rows is meant would load dates into the wrong field. There is no
streaming XLSX reader: calamine (fastexcel) reads the one sheet into Arrow, DuckDB judges it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.sources.faults import first_line, reject
from etl.sources.headers import blank_to_none, excel_column, matches_kind
from etl.sources.staged import SHEET_VIEW, StagedCells


def stage_excel(con: duckdb.DuckDBPyConnection, path: Path, kind_name: str | None) -> StagedCells:
    """The data sheet registered on `con` as a relation of positional columns."""
    import fastexcel

    try:
        book = fastexcel.read_excel(path)
        names = list(book.sheet_names)
    except Exception as e:  # a broken zip, not a workbook, password-protected...
        raise reject(path, "unreadable", what="XLSX", detail=first_line(e)) from e
    blank_header_sheet = None
    for index, name in enumerate(names):
        try:
            head = book.load_sheet(index, header_row=None, n_rows=1, dtypes="string")
            head = head.to_polars()
        except Exception:  # an empty sheet
            continue
        if head.height == 0:
            continue
        headers = [blank_to_none(v) for v in head.row(0)]
        if not matches_kind(headers, kind_name):
            if any(headers) and None in headers:
                blank_header_sheet = blank_header_sheet or (name, headers)
            continue
        try:
            body = book.load_sheet(index, header_row=0, schema_sample_rows=None).to_polars()
        except Exception as e:
            raise reject(path, "unreadable", what="XLSX", detail=first_line(e)) from e
        arrow = body.rename({c: f"_c{i}" for i, c in enumerate(body.columns)}).to_arrow()
        con.register(SHEET_VIEW, arrow)
        described = con.execute(f"describe select * from {SHEET_VIEW}").fetchall()
        return StagedCells(
            path,
            SHEET_VIEW,
            headers,
            [row[1] for row in described],
            "xlsx",
            2,
            sheet=name,
            keep_alive=arrow,
        )
    if blank_header_sheet is not None:  # a title row or merged cells where the header should be
        name, headers = blank_header_sheet
        raise reject(
            path,
            "merged_header",
            where=f"sheet {name!r}: ",
            where_zh=f"工作表“{name}”：",
            column=excel_column(headers.index(None)),
        )
    raise reject(path, "no_data_sheet", sheets=", ".join(names) or "-")
