"""File sinks in the formats the center's systems export: CSV in any encoding (GB18030 with CRLF
lines, UTF-8, UTF-8 with BOM), Parquet with one row group per chunk, and a streamed XLSX sheet.

Why: the generators append one chunk at a time, so memory stays bounded, and a sink must write
the same bytes for the same rows (no wall clock, fixed workbook timestamp), which is what lets
tests compare files by hash.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter
from xlsxwriter.worksheet import Worksheet


class CsvSink:
    """Appends frames to one CSV file; only the first chunk writes the header."""

    def __init__(self, path: Path, encoding: str, bom: bool = False, crlf: bool = False) -> None:
        self.encoding = encoding
        self.terminator = "\r\n" if crlf else "\n"
        self.rows = 0
        self._fh: BinaryIO = path.open("wb")
        if bom:
            self._fh.write(b"\xef\xbb\xbf")

    def write(self, df: pl.DataFrame) -> None:
        text = df.write_csv(
            include_header=self.rows == 0,
            null_value="",
            line_terminator=self.terminator,
            datetime_format="%Y-%m-%d %H:%M:%S",
        )
        self._fh.write(text.encode(self.encoding))
        self.rows += df.height

    def close(self) -> None:
        self._fh.close()


def parquet_writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    """A Parquet file written a row group per `write_table` call: zstd, dictionaries, statistics."""
    return pq.ParquetWriter(
        path,
        schema,
        compression="zstd",
        compression_level=3,
        version="2.6",
        use_dictionary=True,
        write_statistics=True,
    )


class XlsxSheet:
    """One-sheet workbook streamed row by row (xlsxwriter's constant-memory mode).

    A header row, frozen, 16-wide columns, and the formats the bureau's sheets use. `created` is
    written into the workbook's properties instead of the clock, so the bytes are reproducible.
    """

    def __init__(self, path: Path, title: str, headers: list[str], created: datetime) -> None:
        self._wb = xlsxwriter.Workbook(path, {"constant_memory": True})
        self._wb.set_properties({"title": title, "author": "ipgov", "created": created})
        self.ws: Worksheet = self._wb.add_worksheet(title)
        self.date_fmt = self._wb.add_format({"num_format": "yyyy-mm-dd"})
        self.money_fmt = self._wb.add_format({"num_format": "#,##0.00"})
        self.int_fmt = self._wb.add_format({"num_format": "0"})
        self.ws.freeze_panes(1, 0)
        self.ws.set_column(0, len(headers) - 1, 16)
        self.ws.write_row(0, 0, headers)

    def write_day(self, row: int, col: int, day: int) -> None:
        """A day number as a real Excel date."""
        self.ws.write_datetime(row, col, datetime(1970, 1, 1) + timedelta(day), self.date_fmt)

    def close(self) -> None:
        self._wb.close()
