"""Every dashboard query, p50/p95 over repeated runs, against the same KPIs computed the way a
user would otherwise write them: pandas over the source files inside a Streamlit app.

    python benchmarks/queries.py [--scale 1] [--runs 20] [--db PATH --sample DIR]

Writes the sample at the scale and loads it (unless --db/--sample name existing ones), then:
1. runs each dashboard/sql/*.sql file `--runs` times on a cursor of one read-only snapshot
   connection (the dashboard's path, without Streamlit's result cache) and records p50/p95 in
   milliseconds;
2. computes four headline KPIs for one year with pandas from the source files — (a) reading the
   files each time, (b) with the frames already in memory, as a cached Streamlit app would — and
   the same KPIs with DuckDB (`kpi_headline`), side by side in one run.
Results: benchmarks/results/queries.json and markdown tables on stdout (for docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard.components import DRILL_DOWN_ROWS  # noqa: E402
from dashboard.core import count_sql  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from etl import kpis, warehouse  # noqa: E402
from etl.periods import year  # noqa: E402

SQL_DIR = ROOT / "dashboard" / "sql"
YEAR = 2025


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def prepare(scale: float, work: Path) -> tuple[Path, Path]:
    from etl.load import load
    from etl.sample import write_sample

    t0 = time.perf_counter()
    write_sample(work / "sample", seed=42, scale=scale)
    t1 = time.perf_counter()
    load([work / "sample"], work / "warehouse.duckdb")
    print(
        f"scale {scale}: sample {t1 - t0:.1f} s, load {time.perf_counter() - t1:.1f} s",
        file=sys.stderr,
    )
    return work / "warehouse.duckdb", work / "sample"


def time_queries(paths: warehouse.WarehousePaths, runs: int) -> dict[str, dict[str, float]]:
    """p50/p95 of every query file. A record list (a file with `$limit`) is timed three ways:
    `name` — the rows a page shows (DRILL_DOWN_ROWS); `name:count` — its row count, which a page
    runs when the list is longer; `name:all` — every row (the CSV download; for case_open_age
    also the Cases page's histogram)."""
    params = Filters(year(YEAR)).params() | {
        "grain": "month",
        "as_of": dt.date(YEAR, 12, 31),
        "dimension": "location",
        "directions": (),
        "limit": DRILL_DOWN_ROWS,
    }
    results = {}
    with warehouse.read_snapshot(paths) as con:  # one connection, a cursor per query
        for path in sorted(SQL_DIR.glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            variants = {path.stem: (sql, params)}
            if "$limit" in sql:
                every_row = params | {"limit": None}
                variants[f"{path.stem}:count"] = (count_sql(sql), params)
                variants[f"{path.stem}:all"] = (sql, every_row)
            for name, (text, values) in variants.items():
                used = {
                    k: list(v) if isinstance(v, tuple) else v
                    for k, v in values.items()
                    if f"${k}" in text
                }
                samples = []
                for _ in range(runs):
                    t0 = time.perf_counter()
                    cursor = con.cursor()
                    cursor.sql(text, params=used).pl()
                    cursor.close()
                    samples.append((time.perf_counter() - t0) * 1000)
                results[name] = {
                    "p50_ms": round(percentile(samples, 50), 2),
                    "p95_ms": round(percentile(samples, 95), 2),
                }
    return results


# --- the pandas way -----------------------------------------------------------------------------


def read_sources(sample: Path) -> dict[str, pd.DataFrame]:
    """What a hand-written Streamlit app would do: read every export with pandas."""
    takedowns = pd.concat(
        pd.read_csv(p, parse_dates=["notice_sent_at", "removed_at"])
        for p in sorted(sample.glob("takedowns_*.csv"))
    )
    cases = pd.concat(
        pd.read_csv(io.StringIO(p.read_bytes().decode("gb18030")), parse_dates=["受理日期"])
        for p in sorted(sample.glob("cases_*.csv"))
    )
    patents = pd.concat(pd.read_parquet(p) for p in sorted(sample.glob("patents_*.parquet")))
    return {"takedowns": takedowns, "cases": cases, "patents": patents}


def holidays() -> np.ndarray:
    import chinese_calendar

    days = [d.date() for d in pd.date_range("2021-01-01", "2026-12-31")]
    weekend_workdays = [d for d in days if d.weekday() >= 5 and chinese_calendar.is_workday(d)]
    offs = [d for d in days if d.weekday() < 5 and not chinese_calendar.is_workday(d)]
    return np.array(offs, dtype="datetime64[D]"), np.array(weekend_workdays, dtype="datetime64[D]")


def pandas_kpis(src: dict[str, pd.DataFrame], off: np.ndarray, extra: np.ndarray) -> dict:
    td = src["takedowns"]
    td = td[td["notice_sent_at"].dt.year == YEAR]
    sent = td["notice_sent_at"].values.astype("datetime64[D]")
    removed = td["removed_at"].values.astype("datetime64[D]")
    live = pd.isna(td["removed_at"]).values
    removed_filled = np.where(live, sent, removed)
    latency = np.busday_count(sent + 1, removed_filled + 1, holidays=off)
    # adjusted working weekends count too
    latency += np.array(
        [((extra > s) & (extra <= r)).sum() for s, r in zip(sent, removed_filled, strict=True)]
    )
    latency = np.where(live, np.nan, latency)
    done = latency[~np.isnan(latency)]
    cases = src["cases"]
    patents = src["patents"]
    return {
        "takedown_requests": len(td),
        "takedown_median_workdays": float(np.median(done)),
        "takedown_within_2wd_share": float(((latency <= 2) & ~live).sum() / len(td)),
        "cases_accepted": int((cases["受理日期"].dt.year == YEAR).sum()),
        "patent_preexam_accepted": int(
            (pd.to_datetime(patents["accepted_on"]).dt.year == YEAR).sum()
        ),
    }


def compare(paths: warehouse.WarehousePaths, sample: Path, runs: int) -> dict:
    off, extra = holidays()
    t0 = time.perf_counter()
    src = read_sources(sample)
    read_s = time.perf_counter() - t0
    cached = []
    for _ in range(max(3, runs // 4)):
        t0 = time.perf_counter()
        want = pandas_kpis(src, off, extra)
        cached.append(time.perf_counter() - t0)
    duck = []
    with warehouse.read_snapshot(paths) as con:
        for _ in range(runs):
            t0 = time.perf_counter()
            cursor = con.cursor()
            got = kpis.headline(cursor, year(YEAR))
            cursor.close()
            duck.append(time.perf_counter() - t0)
    for key, value in want.items():  # same numbers, or the comparison means nothing
        assert abs(float(got[key]) - value) < 1e-9, (key, got[key], value)
    pandas_cached = statistics.median(cached)
    duck_p50 = statistics.median(duck)
    return {
        "pandas_read_files_s": round(read_s, 3),
        "pandas_kpis_cached_frames_s": round(pandas_cached, 4),
        "pandas_kpis_reading_files_s": round(read_s + pandas_cached, 3),
        "duckdb_kpi_headline_p50_s": round(duck_p50, 4),
        "duckdb_kpi_headline_p95_s": round(percentile(duck, 95), 4),
        "speedup_vs_cached_pandas": round(pandas_cached / duck_p50, 1),
        "speedup_vs_pandas_reading_files": round((read_s + pandas_cached) / duck_p50, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--sample", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db and args.sample:
            db, sample = args.db, args.sample
        else:
            db, sample = prepare(args.scale, Path(tmp))
        paths = warehouse.WarehousePaths(db)
        queries = time_queries(paths, args.runs)
        versus = compare(paths, sample, args.runs)
    result = {"scale": args.scale, "runs": args.runs, "queries": queries, "versus_pandas": versus}
    out = ROOT / "benchmarks" / "results" / f"queries-scale{args.scale:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"| query | p50 (ms) | p95 (ms) |  (scale {args.scale:g}, {args.runs} runs)")
    print("|---|---|---|")
    for name, r in queries.items():
        print(f"| {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} |")
    print()
    print("| measure | value |")
    print("|---|---|")
    for key, value in versus.items():
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
