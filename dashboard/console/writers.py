"""One writer per download format, each keeping the file within a byte budget (issue 12).

A download is held in the server's memory once it is built (Streamlit serves a download button's
file from memory), so its size must be bounded in bytes of the *file*, not only in rows:
10,000 rows of 1 MB strings are 10 GB. How each format knows its size:

- CSV and JSON: each batch (JSON: each row) is encoded first and written only if it fits, so
  the file stops exactly at the last whole row within the budget.
- Parquet and XLSX: the size is known only when the file is finished (Parquet's footer, XLSX's
  zip). Each batch is cut to the rows the bytes per row so far say will fit, with a reserve for
  the finish: the bytes of the row groups written (Parquet), or of the sheet's rows deflated as
  the zip will deflate them (XLSX). Should the finished file still pass the budget,
  `dashboard.console.export` writes it again with proportionally fewer rows.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any, BinaryIO, Protocol

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard.console.convert import json_row

EXACT_FORMATS = frozenset({"csv", "json"})  # stop at the budget as they write; no second pass


class Writer(Protocol):
    rows: int
    cut: bool  # the byte budget stopped it before the end of the result

    def write(self, batch: pa.RecordBatch) -> bool:
        """Write `batch` (or as much as fits); False once no further batch may be written."""
        ...

    def close(self) -> int:
        """Finish the file; the bytes it takes."""
        ...


def _longest_prefix(batch: pa.RecordBatch, size: Callable[[pa.RecordBatch], int], room: int) -> int:
    """Rows of the longest prefix of `batch` whose encoding takes at most `room` bytes (bisection:
    a dozen encodings of at most one batch, once per download)."""
    low, high = 0, batch.num_rows  # low fits; high is not known to
    while low < high:
        middle = (low + high + 1) // 2
        if size(batch.slice(0, middle)) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _rows_that_fit(spent: int, rows: int, batch_rows: int, room: int) -> int:
    """How many of the next `batch_rows` rows fit in `room` more bytes, at the bytes per row so
    far (`spent` over `rows`); all of them for the first batch, which has nothing to go by."""
    if rows == 0 or spent <= 0:
        return batch_rows
    if room <= 0:
        return 0
    return min(batch_rows, int(room * rows / spent))


def _reserve(max_bytes: int) -> int:
    """Bytes kept for what a Parquet or XLSX file adds when it is finished (footer, zip
    directory, the other parts of a workbook): 2 % of the budget, at least 64 KiB."""
    return max(max_bytes // 50, 64 * 1024)


def _csv_bytes(batch: pa.RecordBatch) -> bytes:
    buffer = io.BytesIO()
    pa_csv.write_csv(batch, buffer, pa_csv.WriteOptions(include_header=False))
    return buffer.getvalue()


class CsvWriter:
    """A header line, then whole rows while they fit in `max_bytes`."""

    def __init__(self, sink: BinaryIO, schema: pa.Schema, max_bytes: int) -> None:
        self.sink, self.max_bytes = sink, max_bytes
        self.rows, self.cut = 0, False
        header = io.BytesIO()
        pa_csv.write_csv(schema.empty_table(), header)
        self.size = self._put(header.getvalue())

    def _put(self, data: bytes) -> int:
        self.sink.write(data)
        return len(data)

    def write(self, batch: pa.RecordBatch) -> bool:
        data = _csv_bytes(batch)
        room = self.max_bytes - self.size
        if len(data) > room:
            rows = _longest_prefix(batch, lambda b: len(_csv_bytes(b)), room)
            batch, data, self.cut = batch.slice(0, rows), _csv_bytes(batch.slice(0, rows)), True
        self.size += self._put(data)
        self.rows += batch.num_rows
        return not self.cut

    def close(self) -> int:
        return self.size


class JsonWriter:
    """A JSON array, one object per row, while the rows and the closing bracket fit."""

    CLOSE = b"\n]\n"

    def __init__(self, sink: BinaryIO, schema: pa.Schema, max_bytes: int) -> None:
        self.sink, self.max_bytes = sink, max_bytes
        self.rows, self.cut = 0, False
        sink.write(b"[")
        self.size = 1

    def write(self, batch: pa.RecordBatch) -> bool:
        for row in batch.to_pylist():
            piece = (b",\n" if self.rows else b"\n") + json_row(row).encode("utf-8")
            if self.size + len(piece) + len(self.CLOSE) > self.max_bytes:
                self.cut = True
                return False
            self.sink.write(piece)
            self.size += len(piece)
            self.rows += 1
        return True

    def close(self) -> int:
        end = self.CLOSE if self.rows else b"]\n"
        self.sink.write(end)
        return self.size + len(end)


class ParquetWriter:
    """Row groups, one per batch (cut to what should fit); the footer comes at the close."""

    def __init__(self, sink: BinaryIO, schema: pa.Schema, max_bytes: int) -> None:
        self.sink, self.max_bytes, self.start = sink, max_bytes, sink.tell()
        self.rows, self.cut = 0, False
        self._writer = pq.ParquetWriter(sink, schema)

    def write(self, batch: pa.RecordBatch) -> bool:
        spent = self.sink.tell() - self.start
        room = self.max_bytes - _reserve(self.max_bytes) - spent
        rows = _rows_that_fit(spent, self.rows, batch.num_rows, room)
        if rows < batch.num_rows:
            batch, self.cut = batch.slice(0, rows), True
        if batch.num_rows:
            self._writer.write_batch(batch)
            self.rows += batch.num_rows
        return not self.cut

    def close(self) -> int:
        self._writer.close()
        return self.sink.tell() - self.start


class XlsxWriter:
    """One sheet, written row by row to a temporary file (xlsxwriter's constant memory mode) and
    zipped at the close, when its size is first known.

    Until then the rows written so far are deflated here as the zip will deflate them (zlib's
    default level, raw deflate), so the bytes per row are known as the sheet grows. That reads
    xlsxwriter's row file (`row_data_filename`, not a public attribute); without it the file is
    measured only when closed.
    """

    def __init__(self, sink: BinaryIO, schema: pa.Schema, max_bytes: int) -> None:
        import xlsxwriter

        self.sink, self.max_bytes, self.start = sink, max_bytes, sink.tell()
        self.rows, self.cut = 0, False
        self._deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self._deflated_from = 0  # bytes of the row file deflated so far
        self._spent = 0  # their deflated size
        self._book = xlsxwriter.Workbook(sink, {"constant_memory": True, "in_memory": False})
        self._sheet = self._book.add_worksheet("result")
        bold = self._book.add_format({"bold": True})
        self._dates = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._times = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._sheet.write_row(0, 0, schema.names, bold)

    def write(self, batch: pa.RecordBatch) -> bool:
        room = self.max_bytes - _reserve(self.max_bytes) - self._spent
        rows = _rows_that_fit(self._spent, self.rows, batch.num_rows, room)
        if rows < batch.num_rows:
            batch, self.cut = batch.slice(0, rows), True
        for values in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            self.rows += 1
            for col, value in enumerate(values):
                self._cell(self.rows, col, value)
        self._measure()
        return not self.cut

    def _measure(self) -> None:
        """Deflate what xlsxwriter has added to its row file since the last batch."""
        name = getattr(self._sheet, "row_data_filename", None)
        handle = getattr(self._sheet, "row_data_fh", None)
        if not name or handle is None:
            return
        handle.flush()
        with open(name, "rb") as rows:
            rows.seek(self._deflated_from)
            while chunk := rows.read(1 << 20):
                self._deflated_from += len(chunk)
                self._spent += len(self._deflate.compress(chunk))

    def _cell(self, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, dt.datetime):
            self._sheet.write_datetime(row, col, value.replace(tzinfo=None), self._times)
        elif isinstance(value, dt.date):
            self._sheet.write_datetime(row, col, value, self._dates)
        elif isinstance(value, dt.time):
            self._sheet.write_string(row, col, value.isoformat())
        elif isinstance(value, str):
            self._sheet.write_string(row, col, value)
        elif isinstance(value, float) and not math.isfinite(value):
            self._sheet.write_string(row, col, str(value))  # Excel has no NaN or infinity
        else:
            self._sheet.write(row, col, value)

    def close(self) -> int:
        self._book.close()
        return self.sink.tell() - self.start


WRITERS: dict[str, type[CsvWriter | JsonWriter | ParquetWriter | XlsxWriter]] = {
    "csv": CsvWriter,
    "json": JsonWriter,
    "parquet": ParquetWriter,
    "xlsx": XlsxWriter,
}


def open_writer(fmt: str, sink: BinaryIO, schema: pa.Schema, max_bytes: int) -> Writer:
    return WRITERS[fmt](sink, schema, max_bytes)
