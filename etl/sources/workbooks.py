"""XLSX workbooks → the data sheet's cells as a DuckDB relation.

A clerk's workbook may open with a cover sheet, or carry a title row or merged header cells above
the data. The first sheet whose first row is the header of a record kind is read; a sheet whose
header row has a blank cell over data is rejected with the sheet and column letter, because
guessing which of two header rows is meant would load dates into the wrong field. There is no
streaming XLSX reader: calamine (fastexcel) reads the one sheet into Arrow, DuckDB judges it.

A formula cell is read as the value the spreadsheet saved with it. A workbook written by a
program that saves formulas without their results (no `<v>` in the cell) would load those cells
as empty: such a workbook is rejected (`formula_uncached`) naming the first cell, to be opened
and saved again in Excel or WPS, which store the results.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from etl import warehouse
from etl.sources.faults import first_line, reject
from etl.sources.headers import blank_to_none, excel_column, matches_kind
from etl.sources.staged import SHEET_VIEW, StagedCells

if TYPE_CHECKING:  # pyarrow is imported by polars' to_arrow, only when a workbook is read
    import pyarrow as pa


def read_sheet(path: Path, kind_name: str | None) -> StagedCells:
    """The data sheet read into Arrow, not yet registered on a connection (`StagedCells.register`
    does that where it is queried): calamine works without the GIL, so the loader reads the next
    workbook in its read-ahead thread while DuckDB works on the file before (etl/load.py)."""
    import fastexcel

    try:
        book = fastexcel.read_excel(path)
        names = list(book.sheet_names)
    except Exception as e:  # a broken zip, not a workbook, password-protected...
        raise reject(path, "unreadable", what="XLSX", detail=first_line(e)) from e
    blank_header_sheet = None
    for index, name in enumerate(names):
        try:
            sheet = book.load_sheet(index, header_row=0, schema_sample_rows=None)
        except Exception:  # an empty sheet, or cells calamine cannot type: the header row decides
            sheet = None
        headers = _named_headers(sheet) if sheet is not None else None
        if headers is None:
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
            if sheet is None:
                sheet = book.load_sheet(index, header_row=0, schema_sample_rows=None)
            body = sheet.to_polars()
        except Exception as e:
            raise reject(path, "unreadable", what="XLSX", detail=first_line(e)) from e
        cell = _uncached_formula(path, name)
        if cell is not None:
            raise reject(path, "formula_uncached", sheet=name, cell=cell)
        arrow = body.rename({c: f"_c{i}" for i, c in enumerate(body.columns)}).to_arrow()
        return StagedCells(
            path,
            SHEET_VIEW,
            headers,
            duckdb_types(arrow),  # for the parser
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


def duckdb_types(arrow: pa.Table) -> list[str]:
    """DuckDB's type of each column of `arrow`, as the parser will see it once registered, on
    the connection the thread keeps for it (the loader's read-ahead one, a page's)."""
    con = warehouse.describer()
    con.register(SHEET_VIEW, arrow)
    try:
        return [row[1] for row in con.execute(f"describe select * from {SHEET_VIEW}").fetchall()]
    finally:
        con.unregister(SHEET_VIEW)


# Column names calamine may have made up or changed: a blank or non-text header cell
# (`__UNNAMED__3`), a repeated one (the second `名称` is named `名称_1`), a number (written its
# own way: 123456789012345678 is named "123456789012345700", its text is "…696")
_MADE_UP_NAME = re.compile(r"_\d+$|^\s*[-+]?(\d[\d,]*\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _named_headers(sheet: object) -> list[str | None] | None:
    """The header row as calamine named the sheet's columns, when the names are the header
    cells' own text; None when one may not be (then the row is read again, as text). Reading
    the sheet once instead of twice: calamine parses the whole sheet for its first row too
    (1.0 s of a 203k-row workbook's 2.6 s)."""
    columns = sheet.available_columns()  # type: ignore[attr-defined]
    if not columns:
        return None
    if any(c.column_name_from != "looked_up" or _MADE_UP_NAME.search(c.name) for c in columns):
        return None
    return [blank_to_none(c.name) for c in columns]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the sheet named `sheet` (workbook.xml → its relationship)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rel_id = next(
        (s.get(_REL) for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None
    )
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(_PACKAGE_REL):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return str(PurePosixPath("xl") / target)
    return None


def _uncached_formula(path: Path, sheet: str) -> str | None:
    """The first cell (like "K5") of the sheet holding a formula saved without its result.

    Most sheets hold no formula at all: the part is scanned for `<f` in chunks first, and parsed
    only when one is there."""
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet)
            if part is None or part not in book.namelist():
                return None
            with book.open(part) as handle:
                tail = b""
                while chunk := handle.read(1 << 20):
                    if re.search(rb"<(\w+:)?f[ >/]", tail + chunk):
                        break
                    tail = chunk[-16:]
                else:
                    return None
            with book.open(part) as handle:
                for _, element in ElementTree.iterparse(handle):
                    if element.tag != f"{_MAIN}c":
                        continue
                    formula = element.find(f"{_MAIN}f")
                    value = element.find(f"{_MAIN}v")
                    inline = element.find(f"{_MAIN}is")
                    saved = (value is not None and value.text) or inline is not None
                    if formula is not None and not saved:
                        return element.get("r", "?")
                    element.clear()
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return None  # calamine read it; what it read stands
    return None
