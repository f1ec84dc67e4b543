"""Source file → canonical polars frame, with every unparseable cell reported, never guessed.

Government exports come as GB18030 CSV with Chinese headers, platforms send UTF-8 CSV, clerks send
XLSX, bulk feeds send Parquet. All of them end up as one frame per kind with canonical column names
and parsed types, plus a frame of row problems (row, column, rule, raw value) for the quarantine.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
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

_TRUE = ["是", "y", "yes", "true", "t", "1", "已移送"]
_FALSE = ["否", "n", "no", "false", "f", "0", "未移送"]


@dataclass
class ReadResult:
    """What a source file held: good rows, problem rows, and how it was read."""

    kind: RecordKind
    frame: pl.DataFrame  # canonical columns + ROW, only rows without problems
    problems: pl.DataFrame  # PROBLEM_SCHEMA, one row per bad cell
    rows_read: int
    encoding: str
    ignored_columns: list[str]

    @property
    def rows_quarantined(self) -> int:
        return self.rows_read - self.frame.height


def _sniff_encoding(path: Path) -> str:
    head = path.open("rb").read(1 << 20)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut at the sniff boundary
            return "gb18030"
    return "utf-8"


def _read_csv(path: Path) -> tuple[pl.DataFrame, str]:
    encoding = _sniff_encoding(path)
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    options = {"infer_schema": False, "separator": sep}
    if encoding != "gb18030":
        try:
            return pl.read_csv(path, **options), encoding
        except pl.exceptions.ComputeError as e:
            if "utf-8" not in str(e).lower() and "utf8" not in str(e).lower():
                raise
            encoding = "gb18030"  # invalid UTF-8 past the sniffed head
    try:
        text = path.read_bytes().decode("gb18030")
    except UnicodeDecodeError as e:
        raise FileRejected(
            str(path), f"bytes at offset {e.start} are neither UTF-8 nor GB18030"
        ) from e
    return pl.read_csv(io.BytesIO(text.encode("utf-8")), **options), encoding


def _read_excel(path: Path) -> pl.DataFrame:
    sheets = pl.read_excel(path, sheet_id=0, engine="calamine", infer_schema_length=None)
    for frame in sheets.values():
        if frame.height > 0:
            return frame
    raise FileRejected(str(path), "no sheet holds any data rows")


def read_frame(path: Path) -> tuple[pl.DataFrame, str]:
    """The file's cells as a frame with the file's own headers, and the encoding used."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path), "xlsx"
    if suffix in PARQUET_SUFFIXES:
        return pl.read_parquet(path), "parquet"
    raise FileRejected(str(path), f"unsupported file type {suffix!r} (use CSV, XLSX or Parquet)")


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
            t.str.to_date("%Y%m%d", strict=False),
        )
    if logical == TIMESTAMP:
        if isinstance(dtype, pl.Datetime):
            return col.cast(pl.Datetime("us"))
        if dtype == pl.Date:
            return col.cast(pl.Datetime("us"))
        t = _date_text(_as_text(col))
        return pl.coalesce(
            *(
                t.str.to_datetime(f, time_unit="us", strict=False)
                for f in ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
            ),
            t.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
        )
    if logical == INTEGER:
        if dtype.is_integer():
            return col.cast(pl.Int64)
        number = _as_text(col).str.replace_all(",", "").cast(pl.Float64, strict=False)
        return pl.when(number == number.round(0)).then(number.cast(pl.Int64, strict=False))
    if logical == DECIMAL:
        if dtype.is_numeric():
            return col.cast(pl.Float64).round(2).cast(pl.Decimal(18, 2), strict=False)
        text = _as_text(col).str.replace_all(r"[,¥￥元\s]", "")
        return text.cast(pl.Float64, strict=False).round(2).cast(pl.Decimal(18, 2), strict=False)
    if logical == BOOLEAN:
        if dtype == pl.Boolean:
            return col
        t = _as_text(col).str.to_lowercase()
        return pl.when(t.is_in(_TRUE)).then(True).when(t.is_in(_FALSE)).then(False)
    if logical == STRING:
        return _as_text(col)
    raise ValueError(f"unknown logical type {logical}")


def parse_frame(
    frame: pl.DataFrame, kind: RecordKind, first_row: int
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """Canonical, typed rows without problems; the problems; and headers that were not used."""
    aliases = kind.header_aliases()
    renames, ignored, seen = {}, [], {}
    for header in frame.columns:
        canonical = aliases.get(_normalise_header(header))
        if canonical is None:
            ignored.append(header)
        elif canonical in seen:
            raise FileRejected(
                "", f"columns {seen[canonical]!r} and {header!r} both mean {canonical}"
            )
        else:
            renames[header] = canonical
            seen[canonical] = header
    missing = [c for c in kind.required if c not in seen]
    if missing:
        names = ", ".join(f"{c} ({kind.column(c).zh})" for c in missing)
        raise FileRejected("", f"missing required column(s) for {kind.name}: {names}")

    frame = frame.select(renames.keys()).rename(renames).with_row_index(ROW, offset=first_row)
    frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
    for c in kind.columns:
        if c.name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c.name))
    parsed = frame.select(
        ROW,
        *(_parse(c.name, c.type, frame.schema[c.name]).alias(c.name) for c in kind.columns),
    )
    raw_text = frame.select(ROW, *(_as_text(pl.col(c.name)).alias(c.name) for c in kind.columns))

    problems = []
    for c in kind.columns:
        bad_type = raw_text[c.name].is_not_null() & parsed[c.name].is_null()
        if bad_type.any():
            problems.append(_problems(raw_text, bad_type, c.name, f"type:{c.type}"))
        if c.required:
            missing_value = raw_text[c.name].is_null()
            if missing_value.any():
                problems.append(_problems(raw_text, missing_value, c.name, "required"))
    problem_frame = pl.concat(problems) if problems else pl.DataFrame(schema=PROBLEM_SCHEMA)
    good = parsed.filter(~pl.col(ROW).is_in(problem_frame[ROW].implode()))
    return good, problem_frame, ignored


def _problems(raw: pl.DataFrame, mask: pl.Series, column: str, rule: str) -> pl.DataFrame:
    return raw.filter(mask).select(
        pl.col(ROW),
        pl.lit(column).alias("column_name"),
        pl.lit(rule).alias("rule"),
        pl.col(column).alias("raw_value"),
    )


def read(path: Path, kind_name: str | None = None) -> ReadResult:
    """Read one source file; raises FileRejected when nothing of it can be used."""
    try:
        frame, encoding = read_frame(path)
    except FileRejected:
        raise
    except Exception as e:  # any reader failure means the file, not our code, is unusable
        raise FileRejected(str(path), f"cannot be read as {path.suffix or 'a table'}: {e}") from e
    if frame.width == 0 or frame.height == 0:
        raise FileRejected(str(path), "has no data rows")
    if kind_name is not None:
        if kind_name not in KINDS:
            raise FileRejected(str(path), f"unknown kind {kind_name!r}; one of {', '.join(KINDS)}")
        kind = KINDS[kind_name]
    else:
        kind = detect_kind(frame.columns)
        if kind is None:
            raise FileRejected(
                str(path), f"headers match no record kind; name it with --kind ({', '.join(KINDS)})"
            )
    first_row = 1 if encoding == "parquet" else 2
    try:
        good, problems, ignored = parse_frame(frame, kind, first_row)
    except FileRejected as e:
        raise FileRejected(str(path), e.reason) from e
    return ReadResult(kind, good, problems, frame.height, encoding, ignored)
