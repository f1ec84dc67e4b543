"""Source file → canonical polars frame, with every unparseable cell reported, never guessed.

Government exports come as GB18030 CSV with Chinese headers, platforms send UTF-8 CSV, clerks send
XLSX, bulk feeds send Parquet. All of them end up as one frame per kind with canonical column names
and parsed types, plus a frame of row problems (row, column, rule, raw value) for the quarantine.

This module is also the first half of the data-quality gate (docs/quality.md): every fault that
makes a whole file unusable — unreadable or undecodable bytes, no data, a cut-off last line, blank
or merged or duplicate headers, missing required columns, an unknown kind, a workbook without a
data sheet — raises `FileRejected` with a `code` and a reason in English and Chinese, before
anything is written. Row-level rules (etl/validate.py) run on what this module returns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import polars as pl

from etl.errors import FileRejected
from etl.sources import KINDS
from etl.sources.schema import BOOLEAN, DATE, DECIMAL, INTEGER, STRING, TIMESTAMP, RecordKind

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES

ROW = "source_row"  # 1-based row as a clerk sees it in a spreadsheet (the header is row 1)
PROBLEM_SCHEMA = {
    ROW: pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "raw_value": pl.String,
}

# What a date-and-time cell may look like once 年月日 / . are dashes: chrono alone would also take
# "2024-03-019:9" (as 09:09) or a signed five-digit year.
TIMESTAMP_SHAPE = (
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]+)?)?)?$"
)
DECIMAL_LIMIT = 1e16  # DECIMAL(18,2) holds amounts below this
_TRUE = ["是", "y", "yes", "true", "t", "1", "已移送"]
_FALSE = ["否", "n", "no", "false", "f", "0", "未移送"]
_UTF8_BOM = b"\xef\xbb\xbf"

# Every reason a whole file is rejected: code → (English, Chinese). Written for the clerk who has
# to fix the file: say what is wrong, where, and what to do. {placeholders} are filled per file.
FILE_FAULTS: dict[str, tuple[str, str]] = {
    "unsupported_type": (
        "unsupported file type {suffix!r} (use CSV, XLSX or Parquet)",
        "不支持的文件类型“{suffix}”（请使用 CSV、XLSX 或 Parquet）",
    ),
    "unreadable": (
        "cannot be read as {what}: {detail}",
        "无法按 {what} 读取该文件（{detail}），请确认文件未损坏、格式与扩展名一致",
    ),
    "empty": (
        "has no data rows",
        "文件没有数据行（空文件或只有表头）",
    ),
    "encoding": (
        "row {row}: bytes at offset {offset} are neither UTF-8 nor GB18030; save the file as "
        "UTF-8 or GB18030 (mixed encodings?)",
        "第{row}行（第{offset}字节处）的内容既不是 UTF-8 也不是 GB18030 编码，"
        "请将文件另存为 UTF-8 或 GB18030（文件可能混用了多种编码）",
    ),
    "truncated": (
        "the last line (row {row}) is cut off: {detail}; the file looks truncated, export or "
        "copy it again",
        "最后一行（第{row}行）不完整：{detail_zh}；文件可能在导出或传输中被截断，请重新导出",
    ),
    "ragged_row": (
        "row {row} has {cells} cells but the header has {columns} columns; a comma inside a "
        "value must be quoted",
        "第{row}行有 {cells} 个单元格，但表头只有 {columns} 列；值中含逗号时须加英文双引号",
    ),
    "blank_header": (
        "{where}column {column} has values but no header; give every column a name in row 1",
        "{where_zh}第 {column} 列有数据但没有表头，请在第1行为每一列填写列名",
    ),
    "merged_header": (
        "{where}column {column} has values but an empty header cell (merged header cells?); "
        "unmerge the header so every column has its own name in one header row",
        "{where_zh}第 {column} 列有数据但表头单元格为空（表头可能有合并单元格）；"
        "请取消合并，使每一列在同一表头行中都有自己的列名",
    ),
    "duplicate_header": (
        "columns {first!r} and {second!r} both mean {canonical}",
        "“{first}”和“{second}”两列都表示“{canonical_zh}”（{canonical}），请删除其中一列",
    ),
    "missing_columns": (
        "missing required column(s) for {kind}: {names}",
        "缺少{kind_zh}的必填列：{names}",
    ),
    "unknown_kind": (
        "headers match no record kind; name it with --kind ({kinds})",
        "表头与任何记录类型都不匹配，请核对表头，或用 --kind 指定类型（{kinds}）",
    ),
    "bad_kind": (
        "unknown kind {kind!r}; one of {kinds}",
        "未知的记录类型“{kind}”，应为：{kinds}",
    ),
    "no_data_sheet": (
        "no sheet holds a table of a known record kind (sheets: {sheets})",
        "工作簿中没有可识别的数据表（工作表：{sheets}），请确认数据在第1行为表头的工作表中",
    ),
    # Raised by the quality gate (etl/validate.py), listed here so all file faults are in one place.
    "strict": (
        "{rows} of {rows_read} rows failed validation and --strict rejects the whole file; "
        "first: {first}",
        "共 {rows_read} 行中有 {rows} 行未通过校验，--strict 模式下整个文件不予加载；"
        "第一处：{first_zh}",
    ),
    "gate_error": (
        "the quality gate failed on this file ({detail}); nothing of it was loaded. This is a "
        "fault in ipgov, not in the file: report it with the file attached",
        "质量校验程序处理此文件时出错（{detail}），文件未加载。这是系统问题而非文件问题，"
        "请将文件发给系统维护人员",
    ),
}


def reject(path: Path | str, code: str, **values: object) -> FileRejected:
    """The FileRejected for fault `code`, with its English and Chinese reasons filled in."""
    en, zh = FILE_FAULTS[code]
    return FileRejected(str(path), en.format(**values), reason_zh=zh.format(**values), code=code)


@dataclass
class RawTable:
    """A file's cells before any meaning is given to them."""

    headers: list[str | None]  # header cells as written; None for a blank cell
    frame: pl.DataFrame  # data rows, one column per header cell, named by position
    encoding: str
    first_row: int  # the clerk's row number of the first data row
    sheet: str | None = None


@dataclass
class ReadResult:
    """What a source file held: every row parsed, the raw text, and the problems found."""

    kind: RecordKind
    parsed: pl.DataFrame  # ROW + canonical typed columns, every row (a bad cell is null)
    text: pl.DataFrame  # ROW + canonical columns as the file wrote them (blank = null)
    problems: pl.DataFrame  # PROBLEM_SCHEMA (at least), one row per bad cell
    rows_read: int
    encoding: str
    ignored_columns: list[str]
    sheet: str | None = None

    @cached_property
    def frame(self) -> pl.DataFrame:
        """The rows without any problem: what loads."""
        if self.problems.is_empty():
            return self.parsed
        return self.parsed.filter(~pl.col(ROW).is_in(self.problems[ROW].implode()))

    @property
    def rows_valid(self) -> int:
        return self.frame.height

    @property
    def rows_quarantined(self) -> int:
        return self.rows_read - self.frame.height

    def with_problems(self, problems: pl.DataFrame) -> ReadResult:
        """The same file judged by another set of problems (the quality gate's)."""
        return replace(self, problems=problems)


def _positional(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: f"_c{i}" for i, c in enumerate(frame.columns)})


# ------------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------------


def _row_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _decode_csv(path: Path, data: bytes) -> tuple[bytes, str, str]:
    """The file as UTF-8 bytes, as text, and the encoding it was written in.

    UTF-8 is tried first, then GB18030. A UTF-8 byte-order mark in front of GB18030 text (an
    exporter that labels everything UTF-8) is decoded as GB18030: GB18030 text is almost never
    valid UTF-8, so a clean GB18030 decode of it is unambiguous. A file that is mostly valid UTF-8
    with a few bad bytes is rejected instead of being read as GB18030 mojibake.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise _decode_fault(path, data, e.start, at_end=e.end >= len(data) - 1) from e
        return text.encode("utf-8"), text, "utf-16"
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    try:
        return body, body.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    if utf8_error.reason == "unexpected end of data" and _is_utf8(body[: utf8_error.start]):
        raise _decode_fault(path, body, utf8_error.start, at_end=True)
    lenient = body.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good_multibyte = sum(1 for ch in lenient if ord(ch) > 127) - bad
    if good_multibyte >= 4 * bad:  # UTF-8 text with a few foreign bytes: do not guess
        raise _decode_fault(path, body, utf8_error.start, at_end=False)
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError as e:
        at_end = e.reason == "incomplete multibyte sequence" and e.end >= len(body) - 1
        raise _decode_fault(path, body, e.start, at_end=at_end) from e
    return text.encode("utf-8"), text, "gb18030"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decode_fault(path: Path, data: bytes, offset: int, at_end: bool) -> FileRejected:
    return decode_fault(path, _row_of(data, offset), offset, at_end)


def decode_fault(path: Path, row: int, offset: int, at_end: bool) -> FileRejected:
    """Bytes that do not decode at `offset` (on the clerk's `row`): a cut-off file when they are
    its last bytes, else a wrong or mixed encoding."""
    if at_end:
        return reject(
            path,
            "truncated",
            row=row,
            detail="it ends in the middle of a character",
            detail_zh="文件在一个字符的中间结束",
        )
    return reject(path, "encoding", row=row, offset=offset)


def _separator(path: Path, first_line: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    if "\t" in first_line and "," not in first_line:
        return "\t"
    return ","


def _cells(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


def _check_last_line(
    path: Path, text: str, sep: str, header_cells: int, lines_before: int = 0
) -> None:
    """Reject a file whose last record is cut short: polars would quietly fill it with nulls.

    `text` is the whole file, or its tail after `lines_before` complete lines (big files)."""
    lines = text.rstrip("\r\n").split("\n")
    if len(lines) + lines_before < 2:
        return
    last = lines[-1].rstrip("\r")
    row = lines_before + len(lines)
    if last.count('"') % 2:
        raise reject(
            path,
            "truncated",
            row=row,
            detail="a quoted value is never closed",
            detail_zh="引号内的值没有结束",
        )
    if '"' in last:  # a quoted value may hold separators or line breaks: counting is unsafe
        return
    cells = len(_cells(last, sep))
    previous = lines[-2] if len(lines) > 1 else '"'
    before = len(_cells(previous.rstrip("\r"), sep)) if '"' not in previous else header_cells
    if cells < header_cells and cells < before:
        raise reject(
            path,
            "truncated",
            row=row,
            detail=f"it has {cells} of {header_cells} cells",
            detail_zh=f"只有 {cells} 个单元格，表头有 {header_cells} 列",
        )


def _ragged_row(text: str | Iterable[str], sep: str) -> tuple[int, int, int] | None:
    """Slow path after a reader refused a row: the first row with more cells than the header.

    `text` is the file's text, or its lines (a big file is streamed)."""
    rows = csv.reader(io.StringIO(text) if isinstance(text, str) else text, delimiter=sep)
    header = len(next(rows, []))
    for cells in rows:
        if len(cells) > header:
            return rows.line_num, len(cells), header
    return None


def _read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    if not data.strip():
        raise reject(path, "empty")
    utf8, text, encoding = _decode_csv(path, data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    sep = _separator(path, first_line)
    _check_last_line(path, text, sep, len(_cells(first_line, sep)))
    try:
        frame = pl.read_csv(io.BytesIO(utf8), has_header=False, infer_schema=False, separator=sep)
    except pl.exceptions.NoDataError as e:
        raise reject(path, "empty") from e
    except pl.exceptions.ComputeError as e:
        ragged = _ragged_row(text, sep) if "more fields" in str(e) else None
        if ragged:
            raise reject(
                path, "ragged_row", row=ragged[0], cells=ragged[1], columns=ragged[2]
            ) from e
        detail = str(e).strip().splitlines()[0]
        raise reject(path, "unreadable", what="CSV", detail=detail) from e
    headers = [_blank_to_none(h) for h in frame.row(0)] if frame.height else []
    return RawTable(headers, _positional(frame.slice(1)), encoding, first_row=2)


def _blank_to_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\ufeff", "").strip()
    return text or None


# ------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------


def _sheet_matches(headers: list[str | None], kind_name: str | None) -> bool:
    named = [h for h in headers if h]
    if kind_name is None:
        return (detect_kind(named) or closest_kind(named)) is not None
    aliases = KINDS[kind_name].header_aliases()
    present = {aliases.get(_normalise_header(h)) for h in named}
    return set(KINDS[kind_name].required) <= present


def _read_excel(path: Path, kind_name: str | None) -> RawTable:
    """The first sheet whose first row is the header of a record kind (a cover sheet is skipped)."""
    import fastexcel

    try:
        book = fastexcel.read_excel(path)
        names = list(book.sheet_names)
    except Exception as e:  # a broken zip, not a workbook, password-protected...
        raise reject(path, "unreadable", what="XLSX", detail=_first_line(e)) from e
    blank_header_sheet = None
    for index, name in enumerate(names):
        try:
            head = book.load_sheet(index, header_row=None, n_rows=1, dtypes="string")
            head = head.to_polars()
        except Exception:  # an empty sheet
            continue
        if head.height == 0:
            continue
        headers = [_blank_to_none(v) for v in head.row(0)]
        if not _sheet_matches(headers, kind_name):
            if any(headers) and None in headers:
                blank_header_sheet = blank_header_sheet or (name, headers)
            continue
        try:
            body = book.load_sheet(index, header_row=0, schema_sample_rows=None).to_polars()
        except Exception as e:
            raise reject(path, "unreadable", what="XLSX", detail=_first_line(e)) from e
        return RawTable(headers, _positional(body), "xlsx", first_row=2, sheet=name)
    if blank_header_sheet is not None:  # a title row or merged cells where the header should be
        name, headers = blank_header_sheet
        raise reject(
            path,
            "merged_header",
            where=f"sheet {name!r}: ",
            where_zh=f"工作表“{name}”：",
            column=_excel_column(headers.index(None)),
        )
    raise reject(path, "no_data_sheet", sheets=", ".join(names) or "-")


def _excel_column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# ------------------------------------------------------------------------------------------------
# Any file
# ------------------------------------------------------------------------------------------------


def read_table(path: Path, kind_name: str | None = None) -> RawTable:
    """The file's header cells and data rows, or FileRejected when it cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, kind_name)
    if suffix in PARQUET_SUFFIXES:
        try:
            frame = pl.read_parquet(path)
        except Exception as e:
            raise reject(path, "unreadable", what="Parquet", detail=_first_line(e)) from e
        return RawTable(list(frame.columns), _positional(frame), "parquet", first_row=1)
    raise reject(path, "unsupported_type", suffix=suffix or path.name)


def read_frame(path: Path) -> tuple[pl.DataFrame, str]:
    """The file's cells as a frame with the file's own headers, and the encoding used."""
    table = read_table(path)
    names = [h or f"_c{i}" for i, h in enumerate(table.headers)]
    return table.frame.rename(dict(zip(table.frame.columns, names, strict=False))), table.encoding


def _normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def detect_kind(headers: list[str]) -> RecordKind | None:
    """The kind whose required columns all appear among the headers (most matches wins)."""
    normalised = {_normalise_header(h) for h in headers}
    best, best_hits = None, 0
    for kind in KINDS.values():
        aliases = kind.header_aliases()
        present = {aliases[h] for h in normalised if h in aliases}
        if set(kind.required) <= present and len(present) > best_hits:
            best, best_hits = kind, len(present)
    return best


def closest_kind(headers: list[str]) -> RecordKind | None:
    """The kind a file was meant to be when a required column is missing: most of its
    required columns are there and no other kind matches as well. Lets the gate say "column X is
    missing" instead of "headers match no record kind"."""
    normalised = {_normalise_header(h) for h in headers}
    scored = []
    for kind in KINDS.values():
        aliases = kind.header_aliases()
        present = {aliases[h] for h in normalised if h in aliases}
        required = len(set(kind.required) & present)
        if len(present) >= 2 and 2 * required > len(kind.required):
            scored.append((required, len(present), kind))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    if not scored or (len(scored) > 1 and scored[0][:2] == scored[1][:2]):
        return None
    return scored[0][2]


def _as_text(expr: pl.Expr) -> pl.Expr:
    """Cell text with blanks as null, so 'empty' means one thing."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _date_text(text: pl.Expr) -> pl.Expr:
    return text.str.replace_all(r"[年月/.]", "-").str.replace_all("日", "").str.replace("T", " ")


def _parse(column: str, logical: str, dtype: pl.DataType) -> pl.Expr:
    """Expression that parses one column to its logical type; failures become null."""
    col = pl.col(column)
    if logical == DATE:
        if dtype == pl.Date:
            return col
        if isinstance(dtype, pl.Datetime):
            return col.dt.date()
        t = _date_text(_as_text(col))
        return pl.coalesce(
            t.str.extract(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s.*)?$").str.to_date(
                "%Y-%m-%d", strict=False
            ),
            pl.when(t.str.contains(r"^[0-9]{8}$")).then(t.str.to_date("%Y%m%d", strict=False)),
        )
    if logical == TIMESTAMP:
        if isinstance(dtype, pl.Datetime):
            return col.cast(pl.Datetime("us"))
        if dtype == pl.Date:
            return col.cast(pl.Datetime("us"))
        t = _date_text(_as_text(col))
        parsed = pl.coalesce(
            *(
                t.str.to_datetime(f, time_unit="us", strict=False)
                for f in ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
            ),
            t.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
        )
        return pl.when(t.str.contains(TIMESTAMP_SHAPE)).then(parsed)
    if logical == INTEGER:
        if dtype.is_integer():
            return col.cast(pl.Int64)
        number = _as_text(col).str.replace_all(",", "").cast(pl.Float64, strict=False)
        return pl.when(number == number.round(0)).then(number.cast(pl.Int64, strict=False))
    if logical == DECIMAL:
        if dtype.is_numeric():
            number = col.cast(pl.Float64)
        else:
            text = _as_text(col).str.replace_all(r"[,¥￥元\s]", "")
            number = text.cast(pl.Float64, strict=False)
        # DECIMAL(18,2) holds < 10^16; polars raises on a bigger value instead of giving null
        fits = number.abs() < DECIMAL_LIMIT
        return pl.when(fits).then(number.round(2).cast(pl.Decimal(18, 2), strict=False))
    if logical == BOOLEAN:
        if dtype == pl.Boolean:
            return col
        t = _as_text(col).str.to_lowercase()
        return pl.when(t.is_in(_TRUE)).then(True).when(t.is_in(_FALSE)).then(False)
    if logical == STRING:
        return _as_text(col)
    raise ValueError(f"unknown logical type {logical}")


def _map_headers(
    path: Path | str, table: RawTable, kind: RecordKind
) -> tuple[dict[str, str], list[str]]:
    """Positional column → canonical name, and the headers that mean nothing to this kind."""

    def has_values(position: str) -> bool:
        values = table.frame.get_column(position) if position in table.frame.columns else None
        return values is not None and bool(_as_text_series(values).drop_nulls().len())

    return map_headers(path, table.headers, table.sheet, has_values, kind)


def map_headers(
    path: Path | str,
    headers: list[str | None],
    sheet: str | None,
    has_values: Callable[[str], bool],
    kind: RecordKind,
) -> tuple[dict[str, str], list[str]]:
    """Positional column (`_c<i>`) → canonical name, and the headers unused by this kind.

    `has_values(position)` says whether a column without a header holds any value: a blank
    header over data is a fault, a blank trailing column is not. The reader answers it from its
    frame, the bulk reader (etl/sources/bulk.py) with a query."""
    aliases = kind.header_aliases()
    renames: dict[str, str] = {}
    ignored: list[str] = []
    seen: dict[str, str] = {}
    excel = sheet is not None
    where = (f"sheet {sheet!r}: ", f"工作表“{sheet}”：") if excel else ("", "")
    for i, header in enumerate(headers):
        position = f"_c{i}"
        if header is None:
            if has_values(position):
                raise reject(
                    path,
                    "merged_header" if excel else "blank_header",
                    where=where[0],
                    where_zh=where[1],
                    column=_excel_column(i) if excel else str(i + 1),
                )
            continue
        canonical = aliases.get(_normalise_header(header))
        if canonical is None:
            ignored.append(header)
        elif canonical in seen:
            raise reject(
                path,
                "duplicate_header",
                first=seen[canonical],
                second=header,
                canonical=canonical,
                canonical_zh=kind.column(canonical).zh,
            )
        else:
            renames[position] = canonical
            seen[canonical] = header
    missing = [c for c in kind.required if c not in seen]
    if missing:
        names = ", ".join(f"{c} ({kind.column(c).zh})" for c in missing)
        raise reject(path, "missing_columns", kind=kind.name, kind_zh=kind.zh, names=names)
    return renames, ignored


def _as_text_series(values: pl.Series) -> pl.Series:
    return pl.select(_as_text(pl.lit(values))).to_series()


def parse_table(
    path: Path | str, table: RawTable, kind: RecordKind
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str]]:
    """Every row typed, every row as text, the type/required problems, and unused headers."""
    renames, ignored = _map_headers(path, table, kind)
    frame = table.frame.select(renames.keys()).rename(renames)
    frame = frame.with_row_index(ROW, offset=table.first_row).with_columns(
        pl.col(ROW).cast(pl.Int64)
    )
    for c in kind.columns:
        if c.name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c.name))
    parsed = frame.select(
        ROW,
        *(_parse(c.name, c.type, frame.schema[c.name]).alias(c.name) for c in kind.columns),
    )
    text = frame.select(ROW, *(_as_text(pl.col(c.name)).alias(c.name) for c in kind.columns))

    problems = []
    for c in kind.columns:
        bad_type = text[c.name].is_not_null() & parsed[c.name].is_null()
        if bad_type.any():
            problems.append(_problems(text, bad_type, c.name, f"type:{c.type}"))
        if c.required:
            missing_value = text[c.name].is_null()
            if missing_value.any():
                problems.append(_problems(text, missing_value, c.name, "required"))
    problem_frame = pl.concat(problems) if problems else pl.DataFrame(schema=PROBLEM_SCHEMA)
    return parsed, text, problem_frame, ignored


def parse_frame(
    frame: pl.DataFrame, kind: RecordKind, first_row: int
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """Canonical, typed rows without problems; the problems; and headers that were not used."""
    table = RawTable(list(frame.columns), _positional(frame), "", first_row)
    parsed, _, problems, ignored = parse_table("", table, kind)
    good = parsed.filter(~pl.col(ROW).is_in(problems[ROW].implode()))
    return good, problems, ignored


def _problems(raw: pl.DataFrame, mask: pl.Series, column: str, rule: str) -> pl.DataFrame:
    return raw.filter(mask).select(
        pl.col(ROW),
        pl.lit(column).alias("column_name"),
        pl.lit(rule).alias("rule"),
        pl.col(column).alias("raw_value"),
    )


def resolve_kind(path: Path | str, headers: list[str | None], kind_name: str | None) -> RecordKind:
    """The kind named with --kind, else the one the headers show."""
    if kind_name is not None:
        if kind_name not in KINDS:
            raise reject(path, "bad_kind", kind=kind_name, kinds=", ".join(KINDS))
        return KINDS[kind_name]
    named = [h for h in headers if h]
    kind = detect_kind(named) or closest_kind(named)
    if kind is None:
        raise reject(path, "unknown_kind", kinds=", ".join(KINDS))
    return kind


def read(path: Path, kind_name: str | None = None) -> ReadResult:
    """Read one source file; raises FileRejected when nothing of it can be used."""
    if kind_name is not None and kind_name not in KINDS:
        raise reject(path, "bad_kind", kind=kind_name, kinds=", ".join(KINDS))
    try:
        table = read_table(path, kind_name)
    except FileRejected:
        raise
    except Exception as e:  # any reader failure means the file, not our code, is unusable
        what = path.suffix or "a table"
        raise reject(path, "unreadable", what=what, detail=_first_line(e)) from e
    if table.frame.width == 0 or table.frame.height == 0:
        raise reject(path, "empty")
    kind = resolve_kind(path, table.headers, kind_name)
    parsed, text, problems, ignored = parse_table(path, table, kind)
    return ReadResult(
        kind, parsed, text, problems, table.frame.height, table.encoding, ignored, table.sheet
    )
