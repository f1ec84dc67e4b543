"""numpy arrays to polars columns: labels, dates, timestamps, IDs, nulls where a value is missing.

Why: the generators draw integers (code indices, day numbers, seconds); turning them into the
columns a file carries is the same few operations for every kind, and doing them without a Python
loop per row is what keeps scale 1000 fast.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


def mask(s: pl.Series, valid: np.ndarray) -> pl.Series:
    """s with nulls where not valid."""
    return pl.select(pl.when(pl.Series(valid)).then(s)).to_series()


def labels(values: Sequence[str], idx: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """values[idx] as a string Series (null where not valid), without a Python loop per row."""
    s = pl.Series(list(values), dtype=pl.String).gather(np.clip(idx, 0, len(values) - 1))
    return s if valid is None else mask(s, valid)


def dates(days: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """Day numbers as a Date Series (null where not valid)."""
    s = pl.Series(days.astype(np.int32)).cast(pl.Date)
    return s if valid is None else mask(s, valid)


def timestamps(secs: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """Seconds since 1970 (China time, no zone) as a Datetime Series (null where not valid)."""
    s = pl.from_epoch(pl.Series(secs.astype(np.int64)), time_unit="s")
    return s if valid is None else mask(s, valid)


def ids(prefix: str, year: int | np.ndarray, seq: np.ndarray, width: int) -> pl.Series:
    """IDs like WQ2023-0001 from (year, sequence number)."""
    y = pl.Series(np.broadcast_to(np.asarray(year), seq.shape).astype(np.int32)).cast(pl.String)
    return prefix + y + "-" + pl.Series(seq.astype(np.int64)).cast(pl.String).str.zfill(width)
