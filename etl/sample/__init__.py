"""Deterministic synthetic source files that look like the center's real exports.

Why: the pipeline, its tests and the dashboard need realistic inputs, and real case files carry
personal data that must never leave the center. `write_sample` writes one file per record kind per
calendar year (one hash-chained file for notarizations) in the formats the real systems export:
a GB18030 CSV with Chinese headers, UTF-8 CSVs, Parquet, XLSX and a BOM-prefixed CSV.

Choices that matter to callers:

* Deterministic. Every draw comes from ``numpy.random.default_rng([seed, kind, year, chunk])``, so
  the same seed and scale give byte-identical files, and a chunk depends only on its own key (no
  wall clock, no global state, no set or dict iteration order).
* Published figures are constructed, not sampled. A small per-year *plan* (counts per day, and per
  day x type x result x authorization-year cell for patents) fixes them exactly; rows are generated
  inside the plan, so another seed changes the rows but never the figures.
* Streaming. Years are generated and appended in chunks of whole days (at most ``CHUNK_ROWS`` rows
  unless a single day is larger), so memory stays bounded at scale 1000 (~10M takedowns, ~23M
  patents). Only a few bytes per case are kept across kinds, so notices can cite real cases.
* China's calendar, the warehouse's own. Working days come from `etl.workdays` (chinesecalendar's
  Spring Festival, National Day and make-up Saturdays, then reference/calendar_overrides.csv, then
  the weekday rule), the same source as dim_date, so latencies counted in working days behave like
  real ones and agree with the KPIs.
* Nothing happens after the data date 2026-09-30: later removal/closing/authorization dates are
  left empty, meaning still live / open / pending.

One module per job, imported in this order (each only from those before it): `calendar` (working
days on numpy day numbers), `core` (data window, random streams, code lists, seasonality),
`columns` (numpy to polars), `fakers` (names, phones, firms, URLs), `writers` (file sinks), then
one generator per kind: `cases`, `takedowns`, `patents`, `trademarks`, `notarizations`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from etl.sample.cases import BASE_CASES, write_cases
from etl.sample.core import (
    CHUNK_ROWS,
    DATA_END,
    DATA_START,
    LOCATIONS,
    OFFLINE,
    ONLINE,
    PARTNERS,
    PLATFORMS,
    REGIONS,
    YEARS,
    Progress,
)
from etl.sample.notarizations import (
    BASE_NOTARY_AFTER,
    BASE_NOTARY_PENDING,
    BASE_NOTARY_WINDOW,
    NOTARY_LAUNCH,
    NOTARY_WINDOW_END,
    write_notarizations,
)
from etl.sample.patents import BASE_PATENTS, PUBLISHED_AUTHORIZED, write_patents
from etl.sample.takedowns import BASE_TAKEDOWNS, write_takedowns
from etl.sample.trademarks import (
    BASE_TRADEMARKS,
    XLSX_MAX_ROWS,
    check_fits_a_sheet,
    write_trademarks,
)

__all__ = [
    "BASE_CASES",
    "BASE_NOTARY_AFTER",
    "BASE_NOTARY_PENDING",
    "BASE_NOTARY_WINDOW",
    "BASE_PATENTS",
    "BASE_TAKEDOWNS",
    "BASE_TRADEMARKS",
    "CHUNK_ROWS",
    "DATA_END",
    "DATA_START",
    "LOCATIONS",
    "NOTARY_LAUNCH",
    "NOTARY_WINDOW_END",
    "OFFLINE",
    "ONLINE",
    "PARTNERS",
    "PLATFORMS",
    "PUBLISHED_AUTHORIZED",
    "REGIONS",
    "XLSX_MAX_ROWS",
    "YEARS",
    "write_sample",
]


def write_sample(
    out: Path,
    seed: int = 42,
    scale: float = 1.0,
    progress: Callable[[str, int], None] | None = None,
) -> list[Path]:
    """Writes the files, returns their paths sorted. progress(label, rows_written) is called after
    each chunk; label is the file name and rows_written the rows in that file so far.

    Yearly volumes are round(base * scale) (at least 1); at scale 1 the published figures hold
    exactly for any seed. The same seed and scale give byte-identical files.
    """
    if not scale > 0:  # also rejects NaN
        raise ValueError(f"scale must be > 0, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    check_fits_a_sheet(scale)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report: Progress = progress if progress is not None else (lambda _label, _rows: None)
    seed = int(seed)
    paths, case_index = write_cases(out, seed, scale, report)
    paths += write_takedowns(out, seed, scale, case_index, report)
    paths += write_patents(out, seed, scale, report)
    paths += write_trademarks(out, seed, scale, report)
    paths += write_notarizations(out, seed, scale, case_index, report)
    return sorted(paths)
