"""What progress inside a file (etl/progress.py) costs: one big takedowns CSV loaded into a fresh
warehouse without a progress hook and with one, alternately, RUNS times each.

    python benchmarks/progress.py [--rows 420000] [--runs 2]

The file is the sample's 2023 takedowns (seed 42, scale 1) repeated to `--rows` rows, each with
its own notice id (420,000 rows ≈ 49 MB). The hook counts every report and passes them through
`Throttled`, as the Upload page does, counting what a page would redraw. CPU seconds are the
process's (DuckDB's threads included). Records benchmarks/results/progress-<rows>.json and
prints a markdown table. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from etl.load import load  # noqa: E402
from etl.progress import Progress, Throttled  # noqa: E402
from etl.sample import write_sample  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def big_takedowns(sample: Path, out: Path, rows: int) -> Path:
    """The sample's 2023 takedowns repeated to `rows` rows, each with its own notice id."""
    source = pl.read_csv(sample / "takedowns_2023.csv", infer_schema=False)
    repeated = pl.concat([source] * (rows // source.height + 1)).head(rows)
    numbered = pl.format("TD2023-{}", pl.int_range(1, rows + 1).cast(pl.String).str.zfill(7))
    repeated.with_columns(numbered.alias("notice_id")).write_csv(out)
    return out


def run(path: Path, folder: Path, hooked: bool) -> dict:
    reports: Counter[str] = Counter()
    redrawn: Counter[str] = Counter()
    lock = threading.Lock()

    def redraw(progress: Progress) -> None:
        with lock:
            redrawn[progress.step] += 1

    throttled = Throttled(redraw)

    def hook(progress: Progress) -> None:
        with lock:
            reports[progress.step] += 1
        throttled(progress)

    db = Path(tempfile.mkdtemp(dir=folder)) / "warehouse.duckdb"
    cpu, wall = time.process_time(), time.perf_counter()
    summary = load([path], db, today=TODAY, reports=False, on_progress=hook if hooked else None)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert [f.rows_loaded for f in summary.files] == [summary.files[0].rows_read]
    return {
        "hook": hooked,
        "cpu_s": round(cpu, 3),
        "wall_s": round(wall, 3),
        "files_phase_s": round(summary.phases["files"], 3),
        "file_s": round(summary.files[0].seconds, 3),
        "reports": dict(reports),
        "page_updates": dict(redrawn),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=420_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_sample(folder / "sample", seed=42, scale=1.0)
        path = big_takedowns(folder / "sample", folder / "takedowns_big.csv", args.rows)
        runs = [run(path, folder, hooked) for _ in range(args.runs) for hooked in (False, True)]
        size = path.stat().st_size
    result = {
        "rows": args.rows,
        "bytes": size,
        "machine": platform.platform(),
        "python": platform.python_version(),
        "runs": runs,
    }
    out = ROOT / "benchmarks" / "results" / f"progress-{args.rows}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{args.rows:,} rows, {size / (1 << 20):.1f} MiB\n")
    print("| hook | CPU s | wall s | file s | reports | page updates |")
    print("|---|---:|---:|---:|---|---|")
    for r in runs:
        reports = ", ".join(f"{k} {v}" for k, v in r["reports"].items()) or "–"
        updates = ", ".join(f"{k} {v}" for k, v in r["page_updates"].items()) or "–"
        print(f"| {'yes' if r['hook'] else 'no'} | {r['cpu_s']} | {r['wall_s']} | "
              f"{r['file_s']} | {reports} | {updates} |")  # fmt: skip


if __name__ == "__main__":
    main()
