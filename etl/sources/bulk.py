"""Big source files read by DuckDB, never held whole in Python: the bulk half of the reader.

The in-memory reader (`etl.sources.reader`) decodes a whole file, frames it in polars and hands
GX a pandas copy: fine for a district's files, ~3 GB for a province's 2M-row yearly export. Here
the same file-level checks run on what can be read cheaply — the first line for the header, the
last lines for a cut-off file, a streamed pass only when a fault needs locating — and the cells
stay in DuckDB: `read_csv` / `read_parquet` (or, for a workbook, the one sheet calamine read) are
the relation the SQL gate (`etl.validate_sql`) turns into typed rows in one pass.

Faults are the reader's `FileRejected` codes with the same rows and wording
(tests/test_bulk_gate.py runs the fault corpus through both readers).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.errors import FileRejected
from etl.sources import reader
from etl.sources.reader import CSV_SUFFIXES, EXCEL_SUFFIXES, PARQUET_SUFFIXES, reject

CHUNK = 16 << 20  # bytes per read when a file must be streamed through Python
HEAD = 1 << 20  # bytes read to find the header line and the encoding
TAIL = 1 << 20  # bytes read to check the last line
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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

    def close(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.keep_alive is not None:
            with contextlib.suppress(duckdb.Error):
                con.unregister("bulk_sheet")
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


# ------------------------------------------------------------------------------------------------
# CSV: encoding without reading the whole file into Python
# ------------------------------------------------------------------------------------------------


def _chunks(path: Path, skip: int = 0) -> Iterator[bytes]:
    with path.open("rb") as f:
        f.seek(skip)
        while chunk := f.read(CHUNK):
            yield chunk


def _row_at(path: Path, offset: int, skip: int) -> int:
    """The clerk's row number of byte `offset` of the body (the file after `skip` BOM bytes)."""
    lines, seen = 0, 0
    for chunk in _chunks(path, skip):
        if seen + len(chunk) >= offset:
            return lines + chunk[: offset - seen].count(b"\n") + 1
        lines += chunk.count(b"\n")
        seen += len(chunk)
    return lines + 1


def _utf8_scan(path: Path, skip: int) -> tuple[tuple[int, str] | None, bool]:
    """Where the body stops being UTF-8 — (offset, reason), None if it all is — and whether it
    has a blank line: one pass over the file for both."""
    carry, seen, blank, tail = b"", 0, False, b""
    for chunk in _chunks(path, skip):
        blank = blank or _blank_in(tail + chunk[:2]) or _blank_in(chunk)
        tail = chunk[-2:]
        data = carry + chunk if carry else chunk
        try:
            _, used = codecs.utf_8_decode(data, "strict", False)
        except UnicodeDecodeError as e:
            return (seen + e.start, e.reason), blank
        carry = data[used:]
        seen += used
    if carry:
        return (seen, "unexpected end of data"), blank
    return None, blank


def _blank_in(data: bytes) -> bool:
    return b"\n\n" in data or b"\n\r\n" in data


def _mostly_utf8(path: Path, skip: int) -> bool:
    """The reader's rule: UTF-8 text with a few foreign bytes is rejected, not read as GB18030."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    bad = good = 0
    for chunk in _chunks(path, skip):
        text = decoder.decode(chunk)
        replaced = text.count("\ufffd")
        non_ascii = len(text) - len(text.encode("ascii", "ignore"))
        bad += replaced
        good += non_ascii - replaced
    return good >= 4 * bad


def _transcode(path: Path, skip: int, encoding: str, folder: Path) -> Path:
    """The body re-encoded as UTF-8 in a temporary file; FileRejected where it does not decode."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    target = _temp_csv(folder)
    seen = 0
    try:
        with target.open("wb") as handle:
            for chunk in _chunks(path, skip):
                try:
                    handle.write(decoder.decode(chunk).encode("utf-8"))
                except UnicodeDecodeError as e:
                    raise _fault(path, skip, seen + e.start, at_end=False) from e
                seen += len(chunk)
            try:
                handle.write(decoder.decode(b"", final=True).encode("utf-8"))
            except UnicodeDecodeError as e:
                raise _fault(path, skip, seen - 1, at_end=True) from e
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


COPY_PREFIX = "ipgov-bulk-"


def _temp_csv(folder: Path) -> Path:
    """A new empty file for a rewritten copy; the caller deletes it (StagedCells.close)."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix=COPY_PREFIX, dir=folder)
    os.close(handle)
    return Path(name)


def remove_leftover_copies(folder: Path) -> list[Path]:
    """Copies a killed load left behind; call only while holding the folder's ingest lock."""
    found = sorted(folder.glob(f"{COPY_PREFIX}*.csv")) if folder.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _fault(path: Path, skip: int, offset: int, at_end: bool) -> FileRejected:
    return reader.decode_fault(path, _row_at(path, offset, skip), offset, at_end)


def _as_utf8(path: Path, head: bytes, folder: Path) -> tuple[Path, str, list[Path], bool]:
    """A UTF-8 file DuckDB can read (the file itself, or a transcoded copy), the encoding, the
    copies to delete afterwards, and whether the file has a blank line.

    Same decisions as the in-memory reader's `_decode_csv`: UTF-8 first, then GB18030 (also
    behind a UTF-8 byte-order mark), UTF-16 by its mark; mostly-UTF-8 with foreign bytes and
    undecodable bytes are rejected with their row."""
    if head.startswith(_UTF16_BOMS):
        copy = _transcode(path, 0, "utf-16", folder)
        return copy, "utf-16", [copy], _has_blank_line(copy)
    skip = len(reader._UTF8_BOM) if head.startswith(reader._UTF8_BOM) else 0
    fault, blank = _utf8_scan(path, skip)
    if fault is None:
        return path, "utf-8-sig" if skip else "utf-8", [], blank
    offset, reason = fault
    if reason == "unexpected end of data" and _utf8_fault_free_before(path, skip, offset):
        raise _fault(path, skip, offset, at_end=True)
    if _mostly_utf8(path, skip):
        raise _fault(path, skip, offset, at_end=False)
    copy = _transcode(path, skip, "gb18030", folder)
    return copy, "gb18030", [copy], _has_blank_line(copy)


def _utf8_fault_free_before(path: Path, skip: int, offset: int) -> bool:
    """True when the body is valid UTF-8 up to `offset` and nothing follows but that last
    incomplete character (a file cut in the middle of a character)."""
    size = path.stat().st_size - skip
    return size - offset <= 3


# ------------------------------------------------------------------------------------------------
# CSV: the header, the last line, the relation
# ------------------------------------------------------------------------------------------------


def _first_line(path: Path) -> str:
    with path.open("rb") as f:
        line = f.readline(HEAD)
    return line.decode("utf-8", errors="replace").replace("\ufeff", "").rstrip("\r\n")


def _check_tail(path: Path, source: Path, sep: str, header_cells: int) -> None:
    """The in-memory reader's cut-off-last-line check, on the file's last lines only."""
    size = source.stat().st_size
    with source.open("rb") as f:
        f.seek(max(0, size - TAIL))
        tail = f.read()
    start = 0
    if size > TAIL:
        start = tail.find(b"\n") + 1
        if start == 0:  # one enormous last line: nothing to compare it with
            return
    text = tail[start:].decode("utf-8", errors="replace").replace("\ufeff", "")
    try:
        reader._check_last_line(path, text, sep, header_cells, lines_before=1 if start else 0)
    except FileRejected:
        if not start:
            raise
        lines_before = _row_at(source, size - len(tail) + start, 0) - 1
        reader._check_last_line(path, text, sep, header_cells, lines_before=lines_before)


def _has_blank_line(path: Path) -> bool:
    tail = b""
    for chunk in _chunks(path):
        if _blank_in(tail + chunk[:2]) or _blank_in(chunk):  # also across two chunks
            return True
        tail = chunk[-2:]
    return False


def _fill_blank_lines(path: Path, sep: str, columns: int, folder: Path) -> Path:
    """A copy whose blank lines hold empty cells: DuckDB skips blank lines, polars (and a clerk
    counting rows in a spreadsheet) keeps them as rows, so later row numbers would shift."""
    filler = (sep * max(columns - 1, 0)).encode("utf-8")
    target = _temp_csv(folder)
    with target.open("wb") as handle:
        pending = b""
        for chunk in _chunks(path):
            data = pending + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                pending = data
                continue
            lines, pending = data[: cut + 1], data[cut + 1 :]
            handle.write(_filled(lines, filler))
        handle.write(pending)
    return target


def _filled(lines: bytes, filler: bytes) -> bytes:
    out = lines.replace(b"\n\r\n", b"\n" + filler + b"\r\n")
    while b"\n\n" in out:
        out = out.replace(b"\n\n", b"\n" + filler + b"\n")
    return out


def _line_count(path: Path) -> int:
    """Lines in the file, a last line without its line break included."""
    lines, last = 0, b"\n"
    for chunk in _chunks(path):
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def stage_csv(path: Path, folder: Path) -> StagedCells:
    """The CSV's header and a `read_csv` relation over its data rows (all VARCHAR).

    The usual big file — UTF-8, no blank line — is read optimistically: only the header, the
    tail and a count of its lines are checked in Python (a memchr pass), DuckDB validates the
    UTF-8 as it reads. If DuckDB finds bytes that are not UTF-8, or reads fewer rows than the
    file has lines (a blank line, or a quoted line break), `careful` makes every check of the
    in-memory reader on the whole file and the file is read again."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(HEAD)
    if not head.strip() and size <= HEAD:
        raise reject(path, "empty")
    if not head.startswith(_UTF16_BOMS):
        skip = len(reader._UTF8_BOM) if head.startswith(reader._UTF8_BOM) else 0
        first = head[skip:].split(b"\n", 1)[0]
        try:
            first.decode("utf-8")
        except UnicodeDecodeError:
            pass  # GB18030 (or broken): the careful way
        else:
            with contextlib.suppress(FileRejected):  # judged again the careful way
                return _optimistic(path, folder, "utf-8-sig" if skip else "utf-8")
    return _careful(path, folder)


def _optimistic(path: Path, folder: Path, encoding: str) -> StagedCells:
    first = _first_line(path)
    sep = reader._separator(path, first)
    headers = [reader._blank_to_none(h) for h in reader._cells(first, sep)]
    _check_tail(path, path, sep, len(headers))
    return _csv_cells(path, path, headers, encoding, sep, folder, [], _line_count(path) - 1)


def _csv_cells(
    path: Path,
    source: Path,
    headers: list[str | None],
    encoding: str,
    sep: str,
    folder: Path,
    temps: list[Path],
    expected_rows: int | None = None,
) -> StagedCells:
    """The relation over `source`, the UTF-8 file that stands for `path`."""
    return StagedCells(
        path,
        _read_csv_sql(source, sep, len(headers), parallel=True),
        headers,
        ["VARCHAR"] * len(headers),
        encoding,
        2,
        sep=sep,
        source=source,
        folder=folder,
        temp_files=temps,
        expected_rows=expected_rows,
    )


def careful(staged: StagedCells) -> bool:
    """After an optimistic read went wrong: the whole file checked as the in-memory reader
    checks it (FileRejected for its faults). True if the file must be read again (it was
    transcoded, or its blank lines filled)."""
    again = _careful(staged.path, staged.folder or staged.path.parent)
    changed = again.source != staged.source
    staged.close_files()
    staged.relation, staged.source, staged.encoding = again.relation, again.source, again.encoding
    staged.temp_files, staged.expected_rows = again.temp_files, None
    return changed


def _careful(path: Path, folder: Path) -> StagedCells:
    with path.open("rb") as f:
        head = f.read(HEAD)
    source, encoding, temps, blank = _as_utf8(path, head, folder)
    try:
        first = _first_line(source)
        sep = reader._separator(path, first)
        headers = [reader._blank_to_none(h) for h in reader._cells(first, sep)]
        _check_tail(path, source, sep, len(headers))
        if blank:
            filled = _fill_blank_lines(source, sep, len(headers), folder)
            temps.append(filled)
            source = filled
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    return _csv_cells(path, source, headers, encoding, sep, folder, temps)


def _read_csv_sql(source: Path, sep: str, columns: int, parallel: bool) -> str:
    names = ", ".join(f"'_c{i}': 'VARCHAR'" for i in range(columns))
    return (
        f"read_csv({quote_literal(str(source))}, header = false, skip = 1, "
        f"delim = {quote_literal(sep)}, quote = '\"', escape = '\"', "
        f"columns = {{{names}}}, auto_detect = false, strict_mode = true, "
        f"null_padding = true, parallel = {'true' if parallel else 'false'})"
    )


def read_error(staged: StagedCells, error: duckdb.Error) -> str | None:
    """What to do about DuckDB refusing the CSV: 'serial' to read it again without the parallel
    scanner, else raise the file's FileRejected. None if the error is not about the file."""
    text = str(error)
    path = staged.path
    if "null_padding in conjunction with quoted new lines" in text:
        return "serial"
    if staged.expected_rows is not None and "Invalid unicode" in text:
        return "careful"
    source = staged.source or path
    if "Expected Number of Columns" in text:
        with source.open(encoding="utf-8", errors="replace", newline="") as f:
            ragged = reader._ragged_row(f, staged.sep)
        if ragged:
            raise reject(path, "ragged_row", row=ragged[0], cells=ragged[1], columns=ragged[2])
    if "CSV Error" in text or "Invalid unicode" in text or "unterminated quote" in text:
        detail = next((line.strip() for line in text.splitlines()[1:] if line.strip()), text)
        raise reject(path, "unreadable", what="CSV", detail=detail)
    return None


def serial(staged: StagedCells) -> None:
    """Switch the relation to DuckDB's single-threaded CSV scanner (quoted line breaks)."""
    source = staged.source or staged.path
    staged.relation = _read_csv_sql(source, staged.sep, len(staged.headers), parallel=False)


# ------------------------------------------------------------------------------------------------
# Parquet and XLSX
# ------------------------------------------------------------------------------------------------


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path) -> StagedCells:
    scan = f"read_parquet({quote_literal(str(path))})"
    try:
        described = con.execute(f"describe select * from {scan}").fetchall()
    except duckdb.Error as e:
        raise reject(path, "unreadable", what="Parquet", detail=reader._first_line(e)) from e
    names = [row[0] for row in described]
    select = ", ".join(f"{quote_name(n)} as _c{i}" for i, n in enumerate(names))
    return StagedCells(
        path,
        f"(select {select} from {scan})",
        list(names),
        [row[1] for row in described],
        "parquet",
        1,
    )


def stage_excel(con: duckdb.DuckDBPyConnection, path: Path, kind_name: str | None) -> StagedCells:
    """One sheet: calamine reads it (no streaming reader for XLSX), DuckDB judges it."""
    table = reader._read_excel(path, kind_name)
    arrow = table.frame.to_arrow()
    con.register("bulk_sheet", arrow)
    described = con.execute("describe select * from bulk_sheet").fetchall()
    return StagedCells(
        path,
        "bulk_sheet",
        table.headers,
        [row[1] for row in described],
        table.encoding,
        table.first_row,
        sheet=table.sheet,
        keep_alive=arrow,
    )


def stage(
    con: duckdb.DuckDBPyConnection, path: Path, kind_name: str | None, folder: Path
) -> StagedCells:
    """The file as a relation of cells, or FileRejected for the faults found before reading."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return stage_csv(path, folder)
    if suffix in PARQUET_SUFFIXES:
        return stage_parquet(con, path)
    if suffix in EXCEL_SUFFIXES:
        return stage_excel(con, path, kind_name)
    raise reject(path, "unsupported_type", suffix=suffix or path.name)
