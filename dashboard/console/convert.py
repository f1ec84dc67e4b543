"""Values as each output can hold them: polars (the page's table) has no intervals or unions, CSV
and spreadsheet cells hold only flat values, JSON has no NaN. Columns a format lacks become text
in DuckDB's own notation, batch by batch."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa


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


def _as_text(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    return pa.array([value_text(v) for v in column.to_pylist()], pa.string())


@dataclass(frozen=True)
class Converter:
    """Turns every column whose type is not `kept` into text (for a format that lacks it)."""

    kept: Callable[[pa.DataType], bool]

    def schema(self, schema: pa.Schema) -> pa.Schema:
        return pa.schema(
            [f if self.kept(f.type) else pa.field(f.name, pa.string()) for f in schema]
        )

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
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
    "xlsx": Converter(_flat),
    "json": Converter(_polars_can),
    "parquet": Converter(_parquet_can),
}
