"""Downloads of a console result: the whole result, up to the export caps in rows and in bytes of
the file, streamed to CSV, XLSX, Parquet or JSON batch by batch, so memory stays at one batch
whatever the caps. A file target is written through `dashboard.console.target`: a temporary file
beside it, renamed onto it only when finished, so a refused or stopped export changes nothing."""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dashboard.console.convert import CONVERTERS
from dashboard.console.limits import Limits
from dashboard.console.refusal import SqlRefused
from dashboard.console.session import BATCH_ROWS, Cap, open_stream
from dashboard.console.target import replacing
from dashboard.console.writers import EXACT_FORMATS, open_writer
from etl import warehouse
from etl.errors import IpgovError

FORMATS = ("csv", "xlsx", "parquet", "json")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}
# Bytes of the file `ipgov sql --out FILE` (or `--format csv` to stdout) writes at most; the
# dashboard's downloads have their own, smaller cap (IPGOV_DOWNLOAD_MAX_MB): they are held in
# the server's memory, these are not.
EXPORT_MAX_BYTES = 1024**3
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, minus the header row
# A Parquet or XLSX file that comes out over the byte cap (its size is known only when it is
# finished) is written again with proportionally fewer rows, a tenth below the cap's share.
ATTEMPTS = 4
SHRINK = 0.9


@dataclass
class Export:
    """What an export wrote."""

    format: str
    rows: int
    truncated: bool
    elapsed_seconds: float
    limit_rows: int
    bytes: int = 0
    cut_by: str = ""  # "rows" (the row cap), "bytes" (the byte cap) or "" (the whole result)
    limit_bytes: int = EXPORT_MAX_BYTES
    passes: int = 1  # more for a Parquet or XLSX file that came out over the byte cap


def export(
    paths: warehouse.WarehousePaths,
    sql: str,
    fmt: str,
    sink: Path | BinaryIO,
    limits: Limits | None = None,
    snapshot: str | None = None,
    *,
    max_bytes: int = EXPORT_MAX_BYTES,
    overwrite: bool = False,
) -> Export:
    """Stream the whole result (up to `export_max_rows` rows and `max_bytes` bytes of file) to
    a CSV, XLSX, Parquet or JSON file.

    Batch by batch, so memory stays at one batch whatever the caps. A `Path` is checked first
    (`target.check`: never the warehouse's own files, a symlink, a special file, a missing
    folder, or an existing file without `overwrite`) and written through a temporary file beside
    it, so a refused, failed or stopped export leaves the path as it was.
    """
    if fmt not in FORMATS:
        raise IpgovError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    limits = limits or Limits.from_settings()
    if isinstance(sink, Path):
        with replacing(sink, paths, overwrite) as out:
            return _export(paths, sql, fmt, out, limits, snapshot, max_bytes)
    if fmt in EXACT_FORMATS or _seekable(sink):
        return _export(paths, sql, fmt, sink, limits, snapshot, max_bytes)
    with tempfile.TemporaryFile() as spool:  # a pipe cannot be rewound for a second pass
        done = _export(paths, sql, fmt, spool, limits, snapshot, max_bytes)
        spool.seek(0)
        shutil.copyfileobj(spool, sink)
    return done


def _seekable(sink: BinaryIO) -> bool:
    try:
        return sink.seekable()
    except (AttributeError, ValueError):
        return False


def _time_limit(seconds: float) -> SqlRefused:
    return SqlRefused(
        "time_limit", f"stopped after {seconds:g} s (time limit)", seconds=f"{seconds:g}"
    )


def _export(
    paths: warehouse.WarehousePaths,
    sql: str,
    fmt: str,
    out: BinaryIO,
    limits: Limits,
    snapshot: str | None,
    max_bytes: int,
) -> Export:
    """Write the result to `out`: once for CSV and JSON, which stop exactly at the byte cap; again
    with fewer rows (same snapshot, same time limit in all) for a Parquet or XLSX file that
    comes out over it."""
    started = time.perf_counter()
    deadline = time.monotonic() + limits.export_time_limit_seconds
    row_cap = limits.export_max_rows
    if fmt == "xlsx":
        row_cap = min(row_cap, XLSX_MAX_ROWS)
    rows = row_cap
    start = 0 if fmt in EXACT_FORMATS else out.tell()
    convert = CONVERTERS[fmt]
    for attempt in range(ATTEMPTS):
        if attempt:
            out.seek(start)
            out.truncate()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _time_limit(limits.export_time_limit_seconds)
        cap = Cap(rows, sys.maxsize)  # rows only: the writer keeps the file's bytes
        try:
            with open_stream(paths, sql, limits, snapshot, BATCH_ROWS, remaining) as stream:
                snapshot = stream.snapshot  # a second pass reads what the first one did
                writer = open_writer(fmt, out, convert.schema(stream.schema), max_bytes)
                try:
                    for batch in cap.take(stream.batches()):
                        if not writer.write(convert(batch)):
                            break
                except BaseException:
                    with contextlib.suppress(Exception):
                        writer.close()  # its temporary files; the output is discarded
                    raise
                size = writer.close()
        except SqlRefused as e:
            if e.code == "time_limit":  # the limit is for all passes together, so say it whole
                raise _time_limit(limits.export_time_limit_seconds) from None
            raise
        if size <= max_bytes:
            # a second pass was cut by its row count, which came from the byte cap
            cut_by = "bytes" if writer.cut or attempt else "rows" if cap.truncated else ""
            elapsed = time.perf_counter() - started
            passes = attempt + 1
            return Export(
                fmt, writer.rows, bool(cut_by), elapsed, row_cap, size, cut_by, max_bytes, passes
            )
        if fmt in EXACT_FORMATS or writer.rows == 0:
            raise IpgovError(
                f"an empty {fmt} file of this result takes {size:,} bytes, more than the "
                f"{max_bytes:,}-byte cap"
            )
        rows = int(writer.rows * max_bytes / size * SHRINK)
    raise IpgovError(
        f"the {fmt} file of this result does not fit in {max_bytes:,} bytes; ask for fewer "
        "rows or columns"
    )
