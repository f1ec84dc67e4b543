"""A workbook's header row, read once with its data: the names calamine gives the columns are
used only where they are the header cells' own text (etl/sources/workbooks.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import fastexcel
import pytest
import xlsxwriter

from etl.sources import workbooks

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
    staged = workbooks.stage_excel(duckdb.connect(), path, None)
    assert staged.headers == STAGED[name]
