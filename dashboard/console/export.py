"""Downloads of a console result: the whole result (up to the export cap) streamed to CSV, XLSX,
Parquet or JSON batch by batch, so memory stays at one batch whatever the cap. A file target is
written through `dashboard.console.target`: a temporary file beside it, renamed onto it only when
finished, so a refused or stopped export changes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard.console.convert import CONVERTERS, json_row
from dashboard.console.limits import Limits
from dashboard.console.session import BATCH_ROWS, Cap, open_stream
from dashboard.console.target import replacing
from etl import warehouse
from etl.errors import IpgovError

FORMATS = ("csv", "xlsx", "parquet", "json")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}
# Byte bounds besides the row caps: 10,000 rows of 100 MB strings would still exhaust the server.
EXPORT_MAX_BYTES = 1024**3
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, minus the header row


@dataclass
class Export:
    """What an export wrote."""

    format: str
    rows: int
    truncated: bool
    elapsed_seconds: float
    limit_rows: int


class _Writer:
    """Streams converted batches to one file format."""

    def __init__(self, fmt: str, sink: BinaryIO, schema: pa.Schema) -> None:
        self.fmt = fmt
        self.sink = sink
        self.schema = schema
        self.rows = 0
        if fmt == "csv":
            self._csv = pa_csv.CSVWriter(sink, schema)
        elif fmt == "parquet":
            self._parquet = pq.ParquetWriter(sink, schema)
        elif fmt == "json":
            sink.write(b"[")
        elif fmt == "xlsx":
            import xlsxwriter

            self._book = xlsxwriter.Workbook(sink, {"constant_memory": True, "in_memory": False})
            self._sheet = self._book.add_worksheet("result")
            bold = self._book.add_format({"bold": True})
            self._dates = self._book.add_format({"num_format": "yyyy-mm-dd"})
            self._times = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
            self._sheet.write_row(0, 0, schema.names, bold)

    def write(self, batch: pa.RecordBatch) -> None:
        if self.fmt == "csv":
            self._csv.write_batch(batch)
        elif self.fmt == "parquet":
            self._parquet.write_batch(batch)
        elif self.fmt == "json":
            for row in batch.to_pylist():
                self.sink.write(b",\n" if self.rows else b"\n")
                text = json_row(row)
                self.sink.write(text.encode("utf-8"))
                self.rows += 1
            return
        elif self.fmt == "xlsx":
            for values in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                self.rows += 1
                for col, value in enumerate(values):
                    self._cell(self.rows, col, value)
            return
        self.rows += batch.num_rows

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

    def close(self) -> None:
        if self.fmt == "csv":
            self._csv.close()
        elif self.fmt == "parquet":
            self._parquet.close()
        elif self.fmt == "json":
            self.sink.write(b"\n]\n" if self.rows else b"]\n")
        elif self.fmt == "xlsx":
            self._book.close()


def export(
    paths: warehouse.WarehousePaths,
    sql: str,
    fmt: str,
    sink: Path | BinaryIO,
    limits: Limits | None = None,
    snapshot: str | None = None,
    *,
    overwrite: bool = False,
) -> Export:
    """Stream the whole result (up to `export_max_rows`) to a CSV, XLSX, Parquet or JSON file.

    Batch by batch, so memory stays at one batch whatever the cap. A `Path` is checked first
    (`target.check`: never the warehouse's own files, a symlink, a special file, a missing
    folder, or an existing file without `overwrite`) and written through a temporary file beside
    it, so a refused, failed or stopped export leaves the path as it was.
    """
    if fmt not in FORMATS:
        raise IpgovError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    limits = limits or Limits.from_settings()
    rows = min(limits.export_max_rows, XLSX_MAX_ROWS) if fmt == "xlsx" else limits.export_max_rows
    cap = Cap(rows, EXPORT_MAX_BYTES)
    convert = CONVERTERS[fmt]
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        # the target is checked, and its temporary file made, before the query runs
        out: BinaryIO = (
            stack.enter_context(replacing(sink, paths, overwrite))
            if isinstance(sink, Path)
            else sink
        )
        stream = stack.enter_context(
            open_stream(paths, sql, limits, snapshot, BATCH_ROWS, limits.export_time_limit_seconds)
        )
        writer = _Writer(fmt, out, convert.schema(stream.schema))
        try:
            for batch in cap.take(stream.batches()):
                writer.write(convert(batch))
        finally:
            writer.close()
    return Export(fmt, cap.rows, cap.truncated, time.perf_counter() - started, rows)
