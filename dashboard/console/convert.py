"""Values as each output can hold them: polars (the page's table) has no intervals or unions, CSV
and spreadsheet cells hold only flat values, JSON has no NaN, and Python's dates stop at years
1 to 9999 while DuckDB's go to ±infinity and year 294247 (timestamps) or 5877641 (dates).
Columns a format lacks become text in DuckDB's own notation, batch by batch."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from etl import warehouse


def _interval_text(value: Any) -> str:
    """A month-day-nano interval as DuckDB prints it: '1 year 2 months 3 days 04:05:06'."""
    months, days, nanos = value.months, value.days, value.nanoseconds
    parts = []
    years, months = divmod(months, 12)
    for count, unit in ((years, "year"), (months, "month"), (days, "day")):
        if count:
            parts.append(f"{count} {unit}{'s' if abs(count) != 1 else ''}")
    if nanos or not parts:
        sign = "-" if nanos < 0 else ""
        seconds, nanos = divmod(abs(nanos), 1_000_000_000)
        clock = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        parts.append(clock + (f".{nanos // 1000:06d}".rstrip("0") if nanos else ""))
    return " ".join(parts)


def value_text(value: Any) -> str | None:
    """Any value as text: JSON for nested values, DuckDB's notation for intervals."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"  # as SQL writes them
    if hasattr(value, "nanoseconds") and hasattr(value, "months"):
        return _interval_text(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value_text(value)


def _finite(value: Any) -> Any:
    """NaN and infinity become null: JSON has neither."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_row(row: dict[str, Any]) -> str:
    try:
        return json.dumps(row, ensure_ascii=False, default=_json_default, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(row), ensure_ascii=False, default=_json_default)


# What Python's datetime holds, in each Arrow unit: 0001-01-01 to 9999-12-31 (a day inside for
# timestamps, so a time zone cannot carry one past either end).
_PYTHON_DAYS = (-719_162, 2_932_896)
_PYTHON_SECONDS = (-62_135_596_800 + 86_400, 253_402_300_799 - 86_400)
_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _leaves(array: pa.Array) -> Iterator[pa.Array]:
    """The date and timestamp arrays inside `array`, however deep (lists, structs, maps, unions).

    Children are read whole, not cut to a slice's rows: at worst a column becomes text because of
    a value just outside the rows shown.
    """
    t = array.type
    if isinstance(array, pa.ExtensionArray):
        yield from _leaves(array.storage)
    elif pa.types.is_date32(t) or pa.types.is_timestamp(t):
        yield array
    elif pa.types.is_map(t):
        yield from _leaves(array.keys)
        yield from _leaves(array.items)
    elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        yield from _leaves(array.flatten())
    elif pa.types.is_struct(t) or pa.types.is_union(t):
        for i in range(t.num_fields):
            yield from _leaves(array.field(i))
    elif pa.types.is_dictionary(t):
        yield from _leaves(array.dictionary)


def _may_hold_dates(t: pa.DataType) -> bool:
    if pa.types.is_date32(t) or pa.types.is_timestamp(t):
        return True
    if isinstance(t, pa.BaseExtensionType):
        return _may_hold_dates(t.storage_type)
    if pa.types.is_dictionary(t):
        return _may_hold_dates(t.value_type)
    return any(_may_hold_dates(t.field(i).type) for i in range(getattr(t, "num_fields", 0)))


def beyond_python(column: pa.Array | pa.ChunkedArray) -> bool:
    """Whether a value in `column` is a date or timestamp Python cannot hold (±infinity, a year
    past 9999 or before 1): converting it to Python would raise OverflowError."""
    if not _may_hold_dates(column.type):
        return False
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for leaf in (leaf for chunk in chunks for leaf in _leaves(chunk)):
        if len(leaf) == leaf.null_count:
            continue
        if pa.types.is_date32(leaf.type):
            low, high = _PYTHON_DAYS
            ints = leaf.view(pa.int32())
        else:
            per = _PER_SECOND[leaf.type.unit]
            low, high = _PYTHON_SECONDS[0] * per, _PYTHON_SECONDS[1] * per
            ints = leaf.view(pa.int64())
        bounds = pc.min_max(ints)
        if bounds["min"].as_py() < low or bounds["max"].as_py() > high:
            return True
    return False


def duckdb_text(column: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """`column` as DuckDB writes it (`infinity`, `294247-01-10`, `[infinity, 2020-01-01]`), by
    DuckDB itself: a bare in-memory instance that only casts the values it is handed."""
    con = warehouse.connect_formatter()
    try:
        relation = con.from_arrow(pa.table({"v": column}))
        return relation.select("v::varchar as v").to_arrow_table().column("v")
    finally:
        con.close()


def python_safe(table: pa.Table) -> pa.Table:
    """`table` with each column that holds a date Python cannot hold as DuckDB's text, so
    `to_pylist()` (the CLI's table, JSON and XLSX writers) never meets an OverflowError."""
    for i, name in enumerate(table.column_names):
        if beyond_python(table.column(i)):
            table = table.set_column(i, name, duckdb_text(table.column(i)))
    return table


def _as_text(column: pa.Array) -> pa.Array:
    if beyond_python(column):
        return duckdb_text(column).combine_chunks()
    return pa.array([value_text(v) for v in column.to_pylist()], pa.string())


@dataclass(frozen=True)
class Converter:
    """Turns every column whose type is not `kept` into text (for a format that lacks it).

    `python_values`: the writer takes Python values, one batch at a time, and needs no fixed
    column types (JSON, XLSX), so a column holding a date Python cannot hold becomes text too.
    """

    kept: Callable[[pa.DataType], bool]
    python_values: bool = False

    def schema(self, schema: pa.Schema) -> pa.Schema:
        return pa.schema(
            [f if self.kept(f.type) else pa.field(f.name, pa.string()) for f in schema]
        )

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if self.python_values:
            columns = [
                col if self.kept(f.type) and not beyond_python(col) else _as_text(col)
                for f, col in zip(batch.schema, batch.columns, strict=True)
            ]
            return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)
        if all(self.kept(f.type) for f in batch.schema):
            return batch
        columns = [
            col if self.kept(f.type) else _as_text(col)
            for f, col in zip(batch.schema, batch.columns, strict=True)
        ]
        return pa.RecordBatch.from_arrays(columns, schema=self.schema(batch.schema))


def _polars_can(t: pa.DataType) -> bool:
    if pa.types.is_interval(t) or pa.types.is_union(t):
        return False
    if pa.types.is_struct(t):
        return t.num_fields > 0 and all(_polars_can(t.field(i).type) for i in range(t.num_fields))
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return _polars_can(t.value_type)
    if pa.types.is_map(t):
        return _polars_can(t.key_type) and _polars_can(t.item_type)
    return not isinstance(t, pa.BaseExtensionType)


def _flat(t: pa.DataType) -> bool:
    """Types a CSV or spreadsheet cell holds as they are."""
    return (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_decimal(t)
        or pa.types.is_boolean(t)
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_date(t)
        or pa.types.is_timestamp(t)
        or pa.types.is_time(t)
        or pa.types.is_null(t)
    )


def _parquet_can(t: pa.DataType) -> bool:
    if isinstance(t, pa.BaseExtensionType):
        return _parquet_can(t.storage_type)
    return _polars_can(t)


displayable = Converter(_polars_can)
CONVERTERS = {
    "csv": Converter(_flat),
    "xlsx": Converter(_flat, python_values=True),
    "json": Converter(_polars_can, python_values=True),
    "parquet": Converter(_parquet_can),
}
