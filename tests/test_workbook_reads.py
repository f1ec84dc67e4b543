"""Workbooks read once, and ahead: the header row comes with the data when the names calamine
gives the columns are the header cells' own text (etl/sources/workbooks.py), and the loader reads
the next workbook in its read-ahead thread (etl/load.py)."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import fastexcel
import pytest
import xlsxwriter

from etl import load, warehouse
from etl.sources import workbooks
from tests.conftest import TODAY, query

# Header rows as offices write them, and the ones calamine names its own way
HEADER_ROWS = {
    "plain": ["案件编号", "受理日期", "案件类型", "状态"],
    "spaces": ["  案件编号 ", "受理日期", "  "],
    "repeated": ["名称", "名称", "名称_1"],
    "suffix": ["备注_1", "状态"],
    "blank": ["案件编号", None, "状态"],
    "number": ["案件编号", 2024, 123456789012345678, 2024.5],
    "numeric text": ["案件编号", "2024", "1e3"],
    "boolean": ["案件编号", True],
    "date": ["案件编号", dt.datetime(2024, 3, 1)],
    "line break": ["案件\n编号", "状态"],
}


def _workbook(path: Path, headers: list[object]) -> Path:
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("数据")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for column, header in enumerate(headers):
        if isinstance(header, dt.datetime):
            sheet.write_datetime(0, column, header, date)
        elif header is not None:
            sheet.write(0, column, header)
    for row in (1, 2):
        for column in range(len(headers)):
            sheet.write_string(row, column, f"v{row}{column}")
    book.close()
    return path


@pytest.mark.parametrize("name", HEADER_ROWS)
def test_the_named_headers_are_the_header_row_as_text_or_nothing(name, tmp_path):
    path = _workbook(tmp_path / "book.xlsx", HEADER_ROWS[name])
    book = fastexcel.read_excel(path)
    named = workbooks._named_headers(book.load_sheet(0, header_row=0, schema_sample_rows=None))
    head = book.load_sheet(0, header_row=None, n_rows=1, dtypes="string").to_polars().row(0)
    as_text = [workbooks.blank_to_none(v) for v in head]
    if name in ("plain", "spaces", "line break"):
        assert named == as_text  # the common case reads the sheet once
    else:
        assert named is None  # calamine's names are not the text: the row is read as text


STAGED = {  # the header row as the staged sheet holds it: each cell as text, blank as None
    "plain": ["案件编号", "受理日期", "案件类型", "状态"],
    "repeated": ["名称", "名称", "名称_1"],
    "blank": ["案件编号", None, "状态"],
    "number": ["案件编号", "2024", "123456789012345696", "2024.5"],
}


@pytest.mark.parametrize("name", STAGED)
def test_a_staged_sheet_has_the_header_row_the_clerk_wrote(name, tmp_path, monkeypatch):
    """Whichever way the header row was read, the staged headers are its cells as text (a
    repeated header and a blank one are then the faults the header check names)."""
    path = _workbook(tmp_path / "book.xlsx", HEADER_ROWS[name])
    monkeypatch.setattr(workbooks, "matches_kind", lambda found, kind: True)
    staged = workbooks.read_sheet(path, None)
    assert staged.headers == STAGED[name]


# every column of every row but the load's own id and time
TRADEMARKS = "select * exclude (load_id, loaded_at) from raw.trademarks order by all"


def _loaded(db: Path) -> list[tuple]:
    con = warehouse.connect_ingest(warehouse.WarehousePaths(db))
    try:
        return con.execute(TRADEMARKS).fetchall()
    finally:
        con.close()


def test_workbooks_are_read_in_the_read_ahead_thread_and_load_the_same(
    sample_dir, tmp_path, monkeypatch
):
    files = [sample_dir / "trademarks_2022.xlsx", sample_dir / "trademarks_2023.xlsx"]
    threads = []
    stage_ahead = load.stage_ahead

    def spy(path, kind, folder, progress):
        threads.append(threading.current_thread().name)
        return stage_ahead(path, kind, folder, progress)

    monkeypatch.setattr(load, "stage_ahead", spy)
    ahead = load.load(files, tmp_path / "ahead" / "warehouse.duckdb", today=TODAY, reports=False)
    assert [f.status for f in ahead.files] == ["loaded", "loaded"]
    assert len(threads) == 2 and all(t.startswith("ipgov-prepare") for t in threads)

    def broken(path, kind, folder, progress):
        raise RuntimeError("calamine failed without saying why")

    # a workbook the thread could not read is read again on its turn, the way it always was
    monkeypatch.setattr(load, "stage_ahead", broken)
    again = load.load(files, tmp_path / "again" / "warehouse.duckdb", today=TODAY, reports=False)
    assert [f.status for f in again.files] == ["loaded", "loaded"]
    rows = _loaded(tmp_path / "ahead" / "warehouse.duckdb")
    assert len(rows) == sum(f.rows_loaded for f in ahead.files) > 0
    assert rows == _loaded(tmp_path / "again" / "warehouse.duckdb")
    assert query(
        warehouse.WarehousePaths(tmp_path / "ahead" / "warehouse.duckdb"),
        "select count(*) from fct_trademark_cases",
    ) == [(len(rows),)]


def test_a_sheets_column_types_are_duckdbs_named_on_one_kept_connection():
    """The parser's types come from DuckDB's describe of the Arrow columns, on a connection the
    thread keeps (one per workbook cost 21–44 ms: docs/performance.md, session 16)."""
    import datetime as dt

    import pyarrow as pa

    from etl import warehouse
    from etl.sources import workbooks

    sheet = pa.table(
        {
            "_c0": ["WQ1"],
            "_c1": [1.5],
            "_c2": pa.array([dt.datetime(2024, 3, 1, 9, 30)], pa.timestamp("ms")),
            "_c3": [True],
        }
    )
    assert workbooks.duckdb_types(sheet) == ["VARCHAR", "DOUBLE", "TIMESTAMP_MS", "BOOLEAN"]
    kept = warehouse.describer()
    assert workbooks.duckdb_types(sheet.select(["_c1"])) == ["DOUBLE"]
    assert warehouse.describer() is kept
